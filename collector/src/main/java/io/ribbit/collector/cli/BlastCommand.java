package io.ribbit.collector.cli;

import io.netty.util.NetUtil;
import io.ribbit.collector.blast.Blast;
import io.ribbit.collector.blast.BlastOptions;
import io.ribbit.collector.blast.BlastReport;
import io.ribbit.collector.blast.MrtSource;
import io.ribbit.collector.blast.Pace;
import io.ribbit.collector.blast.RouteList;
import io.ribbit.collector.blast.SessionParams;
import io.ribbit.collector.blast.SyntheticTable;
import io.ribbit.collector.blast.Workload;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code ribbit blast}: a BGP load generator. Opens N parallel eBGP sessions to a BGP speaker (or
 * waits for it to connect), sends a table (synthetic, MRT, or a route list) as fast as the
 * receiver reads it or at a set rate, End-of-RIB, optional churn waves, keeps the sessions up
 * and prints per-session and total send throughput.
 */
@Command(name = "blast", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"BGP load generator: N parallel sessions send a table (synthetic like feeder.py, an MRT file,"
                + " or a route list) as fast as possible or at a set rate, End-of-RIB, optional churn waves;"
                + " prints per-session and total send throughput.",
                "Sessions stay up (KEEPALIVEs) until --duration or Ctrl-C, then end with a Cease 6/2."},
        footer = {"", "Examples:",
                "  ribbit blast --port 1790 --sessions 4 --v4 1000000",
                "  ribbit blast --host 192.0.2.1 --source 192.0.2.10 --as 64500 --mrt rib.20240101.0000.bz2",
                "  ribbit blast --port 1790 --routes routes.txt --prefix-rate 10000 --json",
                "  ribbit blast --port 1790 --v4 100000 --churn 10 --waves 5 --interval 10"})
public final class BlastCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Receiver address (default: 127.0.0.1).")
    String host = "127.0.0.1";

    @Option(names = {"-p", "--port"}, paramLabel = "PORT",
            description = "Receiver's BGP port, or with --passive the port each session listens on. Default: 179.")
    int port = 179;

    @Option(names = "--passive",
            description = "Listen on each session's source address and wait for the receiver to connect.")
    boolean passive;

    @Option(names = {"-n", "--sessions"}, paramLabel = "N", description = "Parallel sessions (default: 1).")
    int sessions = 1;

    @Option(names = "--source", split = ",", paramLabel = "ADDRESS",
            description = "Source address of each session (comma list; the last one counts up for the rest)."
                    + " Default: 127.0.0.11, 127.0.0.12, ... for a loopback receiver, any address otherwise.")
    List<String> sources = new ArrayList<>();

    @Option(names = "--as", split = ",", paramLabel = "ASN",
            description = "Each session's AS (comma list, cycled). Default: 3356,1299,174,6939,... as feeder.py.")
    List<Long> asns = new ArrayList<>();

    @Option(names = "--next-hop", split = ",", paramLabel = "IPV4",
            description = "Each session's IPv4 NEXT_HOP (comma list, cycled). Default: 198.51.100.<session>.")
    List<String> nextHops = new ArrayList<>();

    @Option(names = "--next-hop6", paramLabel = "IPV6",
            description = "IPv6 next hop for every session. Default: 2001:db8::<session>.")
    String nextHop6;

    @Option(names = "--hold", paramLabel = "SECONDS", description = "Hold time proposed in OPEN (default: 90).")
    int hold = 90;

    @ArgGroup(exclusive = true)
    Source source = new Source();

    static final class Source {
        @Option(names = "--mrt", paramLabel = "FILE",
                description = "MRT file (.gz/.bz2 ok): TABLE_DUMP_V2 RIB -> announcements; BGP4MP -> replayed UPDATEs.")
        Path mrt;

        @Option(names = "--routes", paramLabel = "FILE",
                description = "Route list: text (PREFIX|AS PATH|ORIGIN|MED|COMMUNITIES|LARGE COMMUNITIES per line)"
                        + " or YAML.")
        Path routes;
    }

    @Option(names = "--v4", paramLabel = "N", description = "Synthetic table: IPv4 prefixes (default: 1000000).")
    int v4 = 1_000_000;

    @Option(names = "--v6", paramLabel = "N", description = "Synthetic table: IPv6 prefixes (default: 0).")
    int v6;

    @Option(names = "--seed", paramLabel = "N", description = "Synthetic table: seed (default: 1).")
    long seed = 1;

    @Option(names = "--mrt-peer", paramLabel = "PEER",
            description = "Which MRT peer: first (RIB default), all (BGP4MP default), a PEER_INDEX_TABLE index, or"
                    + " an address.")
    String mrtPeer;

    @Option(names = "--replay-speed", paramLabel = "SPEED",
            description = "BGP4MP replay timing: original, a factor (10 = ten times faster), or max (default).")
    String replaySpeed = "max";

    @Option(names = "--rate", paramLabel = "N",
            description = "UPDATEs per second per session (default: as fast as possible).")
    Double rate;

    @Option(names = "--prefix-rate", paramLabel = "N", description = "Prefixes per second per session.")
    Double prefixRate;

    @Option(names = "--churn", paramLabel = "PERCENT",
            description = "Churn: per wave, withdraw then re-announce this share of the table (0: no churn).")
    int churn;

    @Option(names = "--waves", paramLabel = "N", description = "Churn waves (default: 1 with --churn).")
    int waves = 1;

    @Option(names = "--interval", paramLabel = "SECONDS", description = "Pause before each churn wave (default: 5).")
    double interval = 5;

    @Option(names = "--no-eor", description = "Do not send End-of-RIB after the table.")
    boolean noEndOfRib;

    @Option(names = "--no-sync",
            description = "Each session sends as soon as it is Established (default: wait for all).")
    boolean noSync;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS",
            description = "Time allowed to reach Established (default: 30).")
    double connectTimeout = 30;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Stop this long after the start (default: run until Ctrl-C).")
    double duration;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        BlastOptions options;
        Workload workload;
        Blast blast;
        try {
            options = options();
            workload = workload();
            blast = new Blast(options, workload, System.err::println);
        } catch (IllegalArgumentException e) { // ParameterException too: bad options, a bad route list or MRT file
            System.err.println("ribbit blast: " + e.getMessage());
            System.err.println("Try 'ribbit blast --help' for more information.");
            return 2;
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintStream err = System.err;
        err.println("ribbit blast: " + workload.description());
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onTerminate(stop::countDown);
        long deadline = duration > 0 ? System.nanoTime() + (long) (duration * 1e9) : Long.MAX_VALUE;
        try {
            blast.start();
            boolean printed = false;
            while (!stop.await(100, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
                if (!printed && blast.done().isDone()) {
                    print(out, blast.done().join());
                    printed = true;
                    if (blast.sessions().stream().allMatch(s -> s.error() != null)) {
                        break; // every session failed: nothing to keep up
                    }
                    err.println("all sent; keeping the sessions up" + (duration > 0 ? " until --duration" : "")
                            + " (Ctrl-C ends them with a Cease)");
                }
            }
            blast.close(Duration.ofSeconds(5));
            BlastReport report = blast.report();
            if (!printed) {
                print(out, report);
            }
            return report.ok() ? 0 : 1;
        } finally {
            blast.close(Duration.ofSeconds(1));
        }
    }

    private void print(PrintWriter out, BlastReport r) {
        out.print(json ? r.json() + "\n" : r.text());
        out.flush();
    }

    private Workload workload() throws Exception {
        if (source.mrt != null) {
            requireFile(source.mrt, "--mrt");
            return MrtSource.load(source.mrt, mrtPeer);
        }
        if (mrtPeer != null) {
            throw new ParameterException(spec.commandLine(), "--mrt-peer needs --mrt");
        }
        if (source.routes != null) {
            requireFile(source.routes, "--routes");
            return RouteList.load(source.routes);
        }
        if (v4 < 0 || v6 < 0 || v4 + (long) v6 == 0) {
            throw new ParameterException(spec.commandLine(), "--v4/--v6: prefix counts must be >= 0, not both 0");
        }
        return SyntheticTable.workload(seed, v4, v6);
    }

    private void requireFile(Path f, String option) {
        if (!Files.isReadable(f)) {
            throw new ParameterException(spec.commandLine(), option + ": cannot read " + f);
        }
    }

    private BlastOptions options() {
        CommandLine cl = spec.commandLine();
        if (sessions < 1 || sessions > 250) {
            throw new ParameterException(cl, "--sessions must be 1..250, not " + sessions);
        }
        if (port < 1 || port > 65535 || (passive && port == 0)) {
            throw new ParameterException(cl, "--port must be 1..65535, not " + port);
        }
        if (hold != 0 && (hold < 3 || hold > 65535)) {
            throw new ParameterException(cl, "--hold must be 0 or 3..65535 seconds (RFC 4271 §4.2), not " + hold);
        }
        if (rate != null && prefixRate != null) {
            throw new ParameterException(cl, "--rate and --prefix-rate are mutually exclusive");
        }
        if ((rate != null && !(rate > 0)) || (prefixRate != null && !(prefixRate > 0))) {
            throw new ParameterException(cl, "--rate/--prefix-rate must be positive");
        }
        if (churn < 0 || churn > 100) {
            throw new ParameterException(cl, "--churn must be 0..100 percent, not " + churn);
        }
        if (waves < 1) {
            throw new ParameterException(cl, "--waves must be at least 1");
        }
        if (interval < 0 || connectTimeout <= 0 || duration < 0) {
            throw new ParameterException(cl, "--interval, --connect-timeout and --duration must not be negative");
        }
        for (Long a : asns) {
            if (a < 1 || a > 0xFFFF_FFFFL || a == 23456) {
                throw new ParameterException(cl, "--as: " + a
                        + " is not a usable AS number (1..4294967295, not AS_TRANS)");
            }
        }
        double speed;
        switch (replaySpeed) {
            case "max" -> speed = 0;
            case "original" -> speed = 1;
            default -> {
                try {
                    speed = Double.parseDouble(replaySpeed);
                } catch (NumberFormatException e) {
                    speed = -1;
                }
                if (!(speed > 0)) {
                    throw new ParameterException(cl, "--replay-speed must be original, max or a positive factor, not "
                            + replaySpeed);
                }
            }
        }
        InetAddress target = address(host, "--host");
        boolean loopback = target.isLoopbackAddress();
        List<SessionParams> list = new ArrayList<>();
        int[] base = null;
        for (int i = 0; i < sessions; i++) {
            InetAddress local;
            if (i < sources.size()) {
                local = address(sources.get(i), "--source");
            } else if (!sources.isEmpty() || loopback) {
                if (base == null) {
                    byte[] b = (sources.isEmpty() ? address("127.0.0.11", "--source")
                            : address(sources.get(sources.size() - 1), "--source")).getAddress();
                    base = new int[] {ipv4(b, "--source"), sources.isEmpty() ? 0 : 1};
                }
                local = address(SessionParams.ipv4Text(base[0] + base[1]++), "--source");
            } else if (sessions == 1) {
                local = null;
            } else {
                throw new ParameterException(cl, "--source: give each of the " + sessions
                        + " sessions a source address (a receiver tells peers apart by address)");
            }
            long asn = asns.isEmpty() ? SyntheticTable.DEFAULT_SESSION_AS[i % SyntheticTable.DEFAULT_SESSION_AS.length]
                    : asns.get(i % asns.size());
            int nh = nextHops.isEmpty() ? ipv4(new byte[] {(byte) 198, 51, 100, (byte) (i + 1)}, "")
                    : ipv4(address(nextHops.get(i % nextHops.size()), "--next-hop").getAddress(), "--next-hop");
            byte[] nh6 = nextHop6 != null ? address(nextHop6, "--next-hop6").getAddress()
                    : SessionParams.documentationIpv6(i + 1);
            if (nh6.length != 16) {
                throw new ParameterException(cl, "--next-hop6 must be an IPv6 address");
            }
            int routerId = ipv4(new byte[] {(byte) 203, 0, 113, (byte) (i + 1)}, "");
            InetSocketAddress bind = local == null ? new InetSocketAddress(0)
                    : new InetSocketAddress(local, passive ? port : 0);
            list.add(new SessionParams(i, bind, asn, routerId, nh, nh6));
        }
        Pace pace = rate != null ? new Pace(Pace.Kind.UPDATES_PER_SECOND, rate)
                : prefixRate != null ? new Pace(Pace.Kind.PREFIXES_PER_SECOND, prefixRate) : Pace.MAX;
        return new BlastOptions(passive ? null : new InetSocketAddress(target, port), passive, list, hold, pace, speed,
                churn, churn > 0 ? waves : 0, Duration.ofMillis((long) (interval * 1000)), !noEndOfRib, !noSync,
                Duration.ofMillis((long) (connectTimeout * 1000)));
    }

    private InetAddress address(String text, String option) {
        byte[] b = NetUtil.createByteArrayFromIpAddressString(text.strip());
        if (b == null) {
            throw new ParameterException(spec.commandLine(), option + ": \"" + text + "\" is not an IP address");
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }

    private int ipv4(byte[] b, String option) {
        if (b.length != 4) {
            throw new ParameterException(spec.commandLine(), option + " must be an IPv4 address");
        }
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }
}
