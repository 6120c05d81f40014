package io.ribbit.collector.interop;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GoBGP ({@code gobgpd}, {@code gobgp}) from Debian's gobgpd package.
 *
 * <p>Run as {@code gobgpd -f DIR/gobgpd.toml -t toml -p -l info --api-hosts unix://DIR/gobgp.sock
 * --pprof-disable}: plain-text log on stdout, gRPC API only on a Unix socket in DIR (no TCP port,
 * no pprof listener). Controlled with {@code gobgp --target unix://DIR/gobgp.sock}.
 *
 * <p>Routes are added to and deleted from the global RIB with {@code gobgp global rib add|del};
 * GoBGP puts its own ASN in front of {@code aspath} on the eBGP session. Received routes come from
 * {@code gobgp -j neighbor X adj-in}. GoBGP shows a received Shutdown Communication only in its log
 * ({@code msg="received notification" ... Communicated-Reason="..."}).
 *
 * <p>In {@link Peering.Mode#ACTIVE} gobgpd 3.10 opens its first connection 5 to 10 s after start:
 * its connect-retry timer has a 5 s floor ({@code minConnectRetryInterval}, lowered to 1 s only in
 * GoBGP 4). Passive sessions come up as soon as the peer connects.
 */
public final class GoBgp extends BgpDaemon {
    static final String GOBGPD = "/usr/bin/gobgpd";
    static final String GOBGP = "/usr/bin/gobgp";

    private static final Pattern NOTIFICATION_IN_LOG = Pattern.compile(
            "msg=\"received notification\".*?Communicated-Reason=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");

    public GoBgp(Peering peering) {
        super(peering);
    }

    @Override
    public String name() {
        return "gobgp";
    }

    @Override
    protected List<String> binaries() {
        return List.of(GOBGPD, GOBGP);
    }

    @Override
    protected void writeConfig(Path dir) {
        write(dir.resolve("gobgpd.toml"), config(peering));
    }

    @Override
    protected List<String> command(Path dir) {
        return List.of(GOBGPD, "-f", dir.resolve("gobgpd.toml").toString(), "-t", "toml", "-p", "-l", "info",
                "--api-hosts", "unix://" + socket(), "--pprof-disable");
    }

    @Override
    protected boolean ready() {
        return Files.exists(socket()) && Cli.run(gobgp("global")).ok();
    }

    /** gobgpd.toml for {@code peering}. */
    static String config(Peering p) {
        StringBuilder c = new StringBuilder();
        c.append("# Ribbit interop harness: gobgpd peering with ").append(p.peerAddress()).append('\n');
        c.append("[global.config]\n");
        c.append("  as = ").append(p.localAsn()).append('\n');
        c.append("  router-id = \"").append(p.routerId()).append("\"\n");
        c.append("  port = ").append(p.localPort()).append('\n');
        c.append("  local-address-list = [\"").append(p.localAddress()).append("\"]\n");
        c.append("[[neighbors]]\n");
        c.append("  [neighbors.config]\n");
        c.append("    neighbor-address = \"").append(p.peerAddress()).append("\"\n");
        c.append("    peer-as = ").append(p.peerAsn()).append('\n');
        c.append("  [neighbors.transport.config]\n");
        c.append("    local-address = \"").append(p.localAddress()).append("\"\n");
        if (!p.passive()) {
            c.append("    remote-port = ").append(p.peerPort()).append('\n');
        }
        c.append("    passive-mode = ").append(p.passive()).append('\n');
        c.append("  [neighbors.timers.config]\n");
        c.append("    hold-time = ").append(p.holdTime()).append('\n');
        c.append("    keepalive-interval = ").append(p.keepalive()).append('\n');
        c.append("    connect-retry = 1\n");
        c.append("    idle-hold-time-after-reset = 1\n");
        if (p.addPathSend()) {
            c.append("  [neighbors.add-paths.config]\n");
            c.append("    send-max = 8\n");
        }
        if (p.gracefulRestart()) {
            c.append("  [neighbors.graceful-restart.config]\n");
            c.append("    enabled = true\n");
            c.append("    restart-time = 120\n");
        }
        for (String family : List.of("ipv4-unicast", "ipv6-unicast")) {
            c.append("  [[neighbors.afi-safis]]\n");
            c.append("    [neighbors.afi-safis.config]\n");
            c.append("      afi-safi-name = \"").append(family).append("\"\n");
            if (p.gracefulRestart()) {
                c.append("    [neighbors.afi-safis.mp-graceful-restart.config]\n");
                c.append("      enabled = true\n");
            }
        }
        return c.toString();
    }

    /** The arguments after {@code gobgp global rib add -a FAMILY} that announce {@code r}. */
    static List<String> ribAddArguments(Route r) {
        List<String> args = new ArrayList<>(List.of(r.prefix(), "origin", "igp", "nexthop", r.nextHop()));
        if (!r.asPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            r.asPath().forEach(asn -> path.append(path.length() == 0 ? "" : ",").append(asn));
            args.add("aspath");
            args.add(path.toString());
        }
        r.med().ifPresent(m -> {
            args.add("med");
            args.add(Long.toString(m));
        });
        if (!r.communities().isEmpty()) {
            args.add("community");
            args.add(String.join(",", r.communities()));
        }
        if (!r.largeCommunities().isEmpty()) {
            args.add("large-community");
            args.add(String.join(",", r.largeCommunities()));
        }
        return args;
    }

    @Override
    public void announce(List<Route> routes) {
        for (Route r : routes) {
            List<String> cmd = gobgp("global", "rib", "add", "-a", family(r));
            cmd.addAll(ribAddArguments(r));
            Cli.check(cmd);
        }
    }

    @Override
    public void withdraw(List<Route> routes) {
        for (Route r : routes) {
            Cli.check(gobgp("global", "rib", "del", "-a", family(r), r.prefix()));
        }
    }

    private static String family(Route r) {
        return r.isIpv6() ? "ipv6" : "ipv4";
    }

    /** {@code gobgp -j neighbor X}: {@code state.session_state} 6 is ESTABLISHED. */
    @Override
    public boolean sessionEstablished() {
        Cli.Result r = Cli.run(gobgp("-j", "neighbor", peering.peerAddress()));
        if (!r.ok()) {
            return false;
        }
        JsonNode state = json(r.output()).path("state").path("session_state");
        return state.asInt() == 6 || "ESTABLISHED".equalsIgnoreCase(state.asText());
    }

    /**
     * Routes accepted from the peer, all families: {@code afi_safis[].state.accepted} of
     * {@code gobgp -j neighbor X} (-1 when the neighbor cannot be read).
     */
    public long acceptedRoutes() {
        Cli.Result r = Cli.run(gobgp("-j", "neighbor", peering.peerAddress()));
        if (!r.ok()) {
            return -1;
        }
        long n = 0;
        for (JsonNode family : json(r.output()).path("afi_safis")) {
            n += family.path("state").path("accepted").asLong(0);
        }
        return n;
    }

    @Override
    public Optional<String> receivedShutdownCommunication() {
        Matcher m = NOTIFICATION_IN_LOG.matcher(log());
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        if (last == null || last.isEmpty() || last.equals("\"\"")) {
            return Optional.empty();
        }
        if (last.startsWith("\"")) {
            last = last.substring(1, last.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return Optional.of(last);
    }

    @Override
    public List<Route> receivedRoutes() {
        List<Route> routes = new ArrayList<>();
        for (String family : List.of("ipv4", "ipv6")) {
            Cli.Result r = Cli.run(gobgp("-j", "neighbor", peering.peerAddress(), "adj-in", "-a", family));
            if (!r.ok() || r.output().isBlank()) {
                continue;
            }
            JsonNode table = json(r.output());
            for (Iterator<String> it = table.fieldNames(); it.hasNext(); ) {
                String prefix = it.next();
                for (JsonNode path : table.path(prefix)) {
                    routes.add(route(prefix, path.path("attrs")));
                }
            }
        }
        return routes;
    }

    /** One adj-in path: attrs by type code (2 AS_PATH, 3 NEXT_HOP, 4 MED, 8 COMMUNITIES, 14 MP_REACH, 32 LARGE). */
    static Route route(String prefix, JsonNode attrs) {
        String nextHop = prefix.indexOf(':') >= 0 ? "::" : "0.0.0.0";
        List<Long> asPath = new ArrayList<>();
        List<String> communities = new ArrayList<>();
        List<String> large = new ArrayList<>();
        OptionalLong med = OptionalLong.empty();
        for (JsonNode a : attrs) {
            switch (a.path("type").asInt()) {
                case 2 -> a.path("as_paths").forEach(seg -> seg.path("asns").forEach(asn -> asPath.add(asn.asLong())));
                case 3, 14 -> nextHop = a.path("nexthop").asText(nextHop);
                case 4 -> med = OptionalLong.of(a.path("metric").asLong());
                case 8 -> a.path("communities").forEach(c -> communities.add((c.asLong() >>> 16) + ":" + (c.asLong() & 0xFFFF)));
                case 32 -> a.path("value").forEach(v -> large.add(v.path("ASN").asLong() + ":"
                        + v.path("LocalData1").asLong() + ":" + v.path("LocalData2").asLong()));
                default -> {
                }
            }
        }
        return new Route(prefix, nextHop, asPath, communities, large, med);
    }

    /**
     * Cease 6/2 with the communication. Uses the deprecated {@code neighbor X shutdown --reason}:
     * in gobgp 3.10 {@code neighbor X disable --reason} sends the NOTIFICATION without the text.
     */
    @Override
    public void sendShutdown(String communication) {
        Cli.check(gobgp("neighbor", peering.peerAddress(), "shutdown", "--reason", plainText(communication)));
    }

    private Path socket() {
        return dir().resolve("gobgp.sock");
    }

    private List<String> gobgp(String... args) {
        List<String> cmd = new ArrayList<>(List.of(GOBGP, "--target", "unix://" + socket()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
