package io.ribbit.collector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ribbit.codec.mrt.Mrt;
import io.ribbit.codec.mrt.MrtReader;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.collector.blast.Blast;
import io.ribbit.collector.blast.BlastOptions;
import io.ribbit.collector.blast.BlastReport;
import io.ribbit.collector.blast.MrtSource;
import io.ribbit.collector.blast.RouteGroup;
import io.ribbit.collector.blast.SessionParams;
import io.ribbit.collector.blast.StreamEncoder;
import io.ribbit.collector.blast.SyntheticTable;
import io.ribbit.collector.blast.Workload;
import io.ribbit.collector.cli.Main;
import io.ribbit.collector.config.ConfigLoader;
import io.ribbit.collector.peer.Peer;
import io.ribbit.collector.peer.SessionState;
import io.ribbit.rib.Route;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ribbit blast} against Ribbit itself (a {@link Daemon} in-process on loopback): what the
 * receiver holds must be exactly what blast reports having sent. The runs against BIRD and GoBGP
 * are in {@code interop.BlastReceiversTest}.
 */
@Timeout(180)
class BlastTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final Closer open = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        open.close();
    }

    /** Ribbit with one passive neighbor per blast session 127.0.0.(11 + i), AS {@code asns[i]} or feeder.py's. */
    private Daemon ribbit(int sessions, long... asns) throws Exception {
        StringBuilder y = new StringBuilder("name: blast-test\nrouter-id: 192.0.2.1\nlocal-as: 64512\n"
                + "listen: [\"127.0.0.1:0\"]\nhttp: \"127.0.0.1:0\"\nneighbors:\n");
        for (int i = 0; i < sessions; i++) {
            y.append("  - address: 127.0.0.").append(11 + i).append('\n')
                    .append("    remote-as: ").append(i < asns.length ? asns[i] : SyntheticTable.DEFAULT_SESSION_AS[i])
                    .append('\n')
                    .append("    mode: passive\n");
        }
        Daemon d = new Daemon(ConfigLoader.parse(y.toString(), "blast-test.yaml"));
        open.push(d);
        d.start();
        return d;
    }

    private static List<SessionParams> sessions(int n) {
        List<SessionParams> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(SessionParams.feederStyle(i, new InetSocketAddress("127.0.0." + (11 + i), 0)));
        }
        return out;
    }

    private Blast blast(Daemon d, int sessions, Workload w, java.util.function.UnaryOperator<BlastOptions> tweak)
            throws Exception {
        BlastOptions o = tweak.apply(BlastOptions.active(d.peers().listenAddresses().get(0), sessions(sessions)));
        Blast b = new Blast(o, w, line -> System.out.println("[blast] " + line));
        open.push(b);
        return b.start();
    }

    private static Peer peer(Daemon d, int session) throws Exception {
        return d.peers().peer(InetAddress.getByName("127.0.0." + (11 + session)));
    }

    private static void awaitRoutes(Peer p, long n) {
        Await.until(n + " routes from " + p.name(), WAIT, () -> p.rib().size() == n,
                () -> "(" + p.rib().size() + " routes, " + p.state() + ")");
    }

    @Test
    @DisplayName("2 sessions, synthetic 20,000 IPv4 + 5,000 IPv6: Ribbit's Adj-RIB-In of each peer holds exactly what"
            + " blast reports; first AS = session AS, next hop = the session's; Cease 6/2 at the end")
    void syntheticTableIntoRibbit() throws Exception {
        Daemon d = ribbit(2);
        Workload w = SyntheticTable.workload(7, 20_000, 5_000);
        Blast b = blast(d, 2, w, o -> o);
        BlastReport r = b.tableSent().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        System.out.print(r.text());
        assertTrue(r.ok(), r.text());
        assertEquals(2 * 25_000, r.prefixesSent(), r.text());
        for (int i = 0; i < 2; i++) {
            Peer p = peer(d, i);
            assertEquals(25_000, r.sessions().get(i).table().announced());
            awaitRoutes(p, r.sessions().get(i).table().announced());
            assertEquals(20_000, p.rib().size(AfiSafi.IPV4_UNICAST));
            assertEquals(5_000, p.rib().size(AfiSafi.IPV6_UNICAST));
            long asn = SyntheticTable.DEFAULT_SESSION_AS[i];
            String nh = "198.51.100." + (i + 1);
            int[] checked = new int[1];
            p.rib().forEach(AfiSafi.IPV4_UNICAST, (k, route) -> {
                if (checked[0]++ < 1000) {
                    assertEquals(asn, route.attributes().asPath().asns()[0], k.prefix());
                    assertEquals(nh, route.nextHopText(), k.prefix());
                }
            });
        }
        // The same table on both sessions: same prefixes, different first AS.
        Map<String, Route> one = new HashMap<>();
        peer(d, 0).rib().forEach(AfiSafi.IPV6_UNICAST, (k, route) -> one.put(k.prefix(), route));
        peer(d, 1).rib().forEach(AfiSafi.IPV6_UNICAST, (k, route) -> {
            Route other = one.get(k.prefix());
            long[] a = other.attributes().asPath().asns();
            long[] b2 = route.attributes().asPath().asns();
            assertArrayEquals(java.util.Arrays.copyOfRange(a, 1, a.length),
                    java.util.Arrays.copyOfRange(b2, 1, b2.length));
        });
        b.close();
        Await.until("both peers down after the Cease", WAIT, () -> {
            try {
                return peer(d, 0).state() != SessionState.ESTABLISHED && peer(d, 1).state() != SessionState.ESTABLISHED;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(1.0, d.registry().get("ribbit.peer.notifications.received").tag("peer", "127.0.0.11")
                .tag("code", "6").tag("subcode", "2").counter().count());
    }

    @Test
    @DisplayName("passive sessions at a set prefix rate: Ribbit (active) connects to blast; 8,000 prefixes at 16,000"
            + " prefixes/s take about half a second and all arrive")
    void passiveAtPrefixRate() throws Exception {
        Workload w = SyntheticTable.workload(5, 8_000, 0);
        BlastOptions o = new BlastOptions(null, true, sessions(1), 90,
                new io.ribbit.collector.blast.Pace(io.ribbit.collector.blast.Pace.Kind.PREFIXES_PER_SECOND, 16_000), 0,
                0, 0, Duration.ZERO, true, true, Duration.ofSeconds(60));
        Blast b = new Blast(o, w, line -> System.out.println("[blast] " + line));
        open.push(b);
        b.start();
        int port = b.sessions().get(0).listenAddress().getPort();
        Daemon d = daemonWith("""
                  - address: 127.0.0.11
                    remote-as: 3356
                    mode: active
                    port: %d
                    local-address: 127.0.0.1
                    connect-retry: 1
                """.formatted(port));
        BlastReport r = b.tableSent().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        System.out.print(r.text());
        assertTrue(r.ok(), r.text());
        double seconds = r.sessions().get(0).table().seconds();
        assertTrue(seconds > 0.4 && seconds < 5, "8,000 prefixes at 16,000/s took " + seconds + " s");
        awaitRoutes(peer(d, 0), 8_000);
    }

    private Daemon daemonWith(String neighbors) throws Exception {
        return daemonWith(neighbors, "[]");
    }

    private Daemon daemonWith(String neighbors, String listen) throws Exception {
        Daemon d = new Daemon(ConfigLoader.parse("name: blast-test\nrouter-id: 192.0.2.1\nlocal-as: 64512\n"
                + "listen: " + listen + "\nhttp: \"127.0.0.1:0\"\nneighbors:\n" + neighbors, "blast-test.yaml"));
        open.push(d);
        d.start();
        return d;
    }

    @Test
    @DisplayName("active sessions retry the connection until the receiver listens (within --connect-timeout)")
    void connectRetries() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        BlastOptions o = BlastOptions.active(new InetSocketAddress("127.0.0.1", port), sessions(1));
        Blast b = new Blast(o, SyntheticTable.workload(6, 2_000, 0), line -> System.out.println("[blast] " + line));
        open.push(b);
        b.start();
        Thread.sleep(1_500); // refused connections meanwhile
        Daemon d = daemonWith("""
                  - address: 127.0.0.11
                    remote-as: 3356
                    mode: passive
                """, "[\"127.0.0.1:" + port + "\"]");
        BlastReport r = b.tableSent().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(r.ok(), r.text());
        awaitRoutes(peer(d, 0), 2_000);
    }

    @Test
    @DisplayName("RFC 4271 §4.4: with a 3 s hold time blast's KEEPALIVEs keep the session up long after the table")
    void keepalivesHoldTheSession() throws Exception {
        Daemon d = daemonWith("""
                  - address: 127.0.0.11
                    remote-as: 3356
                    mode: passive
                    hold-time: 3
                """, "[\"127.0.0.1:0\"]");
        Blast b = blast(d, 1, SyntheticTable.workload(9, 1_000, 100), o -> o);
        b.tableSent().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Peer p = peer(d, 0);
        awaitRoutes(p, 1_100);
        Await.holds("Established for 3 hold times", Duration.ofSeconds(9), () -> p.state() == SessionState.ESTABLISHED,
                () -> p.toString());
        assertEquals(1_100, p.rib().size());
        assertTrue(b.report().ok(), b.report().text());
    }

    @Test
    @DisplayName("timed replay: changes 1 s and 2 s after the first, at 4x speed, take about half a second;"
            + " withdrawals are replayed too")
    void replayTiming() throws Exception {
        List<RouteGroup> t = SyntheticTable.generate(4, 300, 0);
        List<io.ribbit.collector.blast.Change> changes = new ArrayList<>();
        long t0 = 1_400_000_000_000_000L;
        for (int i = 0; i < t.size(); i++) {
            RouteGroup g = t.get(i);
            changes.add(new io.ribbit.collector.blast.Change(t0 + (i % 3) * 1_000_000L, g, null));
        }
        changes.sort(java.util.Comparator.comparingLong(io.ribbit.collector.blast.Change::micros));
        changes.add(new io.ribbit.collector.blast.Change(t0 + 2_000_000L, null, t.get(0).prefixes()));
        Workload w = new Workload("timed test", changes, true);
        Daemon d = ribbit(1);
        Blast b = blast(d, 1, w, o -> o.withReplaySpeed(4));
        BlastReport r = b.tableSent().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        System.out.print(r.text());
        double seconds = r.sessions().get(0).table().seconds();
        assertTrue(seconds > 0.45 && seconds < 3, "2 s of changes at 4x took " + seconds + " s");
        assertEquals(t.get(0).size(), r.sessions().get(0).table().withdrawn());
        awaitRoutes(peer(d, 0), 300 - t.get(0).size());
    }

    @Test
    @DisplayName("YAML route list: routes, attributes, grouping of equal attributes, errors with the route's index")
    void yamlRouteList() throws Exception {
        String yaml = """
                routes:
                  - prefix: 192.0.2.0/24
                    as-path: [64500, 64501]
                    med: 10
                    communities: ["64500:1"]
                  - prefix: 198.51.100.0/24
                    as-path: [64500, 64501]
                    med: 10
                    communities: ["64500:1"]
                  - prefix: 2001:db8::/32
                    as-path: [64500]
                    origin: incomplete
                    large-communities: ["64500:1:2"]
                """;
        List<RouteGroup> g = io.ribbit.collector.blast.RouteList.parseYaml(
                new java.io.ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "r.yaml", 100);
        assertEquals(2, g.size());
        assertEquals(List.of("192.0.2.0/24", "198.51.100.0/24"), g.get(0).prefixes().prefixes());
        assertEquals(AfiSafi.IPV6_UNICAST, g.get(1).family());
        assertEquals("[64500, 64501]", java.util.Arrays.toString(g.get(0).path().asns()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                io.ribbit.collector.blast.RouteList.parseYaml(new java.io.ByteArrayInputStream(
                        "routes:\n  - prefix: 10.0.0.0/8\n  - as-path: [1]\n".getBytes(StandardCharsets.UTF_8)),
                        "r.yaml", 100));
        assertEquals("r.yaml: routes[2]: each route needs a prefix", e.getMessage());
    }

    @Test
    @DisplayName("churn 20 %, 3 waves: Ribbit saw the withdrawals and ends with the whole table")
    void churnIntoRibbit() throws Exception {
        Daemon d = ribbit(1);
        Workload w = SyntheticTable.workload(3, 10_000, 0);
        Blast b = blast(d, 1, w, o -> o.withChurn(20, 3, Duration.ofMillis(300)));
        BlastReport r = b.done().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        System.out.print(r.text());
        assertTrue(r.ok(), r.text());
        assertEquals(3, b.wavesSent());
        var churn = r.sessions().get(0).churn();
        assertTrue(churn.withdrawn() > 3 * 1000, r.text());
        assertEquals(churn.withdrawn(), churn.announced(), "every withdrawn prefix is re-announced");
        // Written is not processed: wait for Ribbit's counters to account for every prefix sent.
        Await.until("Ribbit counted every withdrawal and re-announcement", WAIT, () -> counter(d, "withdrawn")
                == churn.withdrawn() && counter(d, "announced") == 10_000 + churn.announced(),
                () -> "(withdrawn " + counter(d, "withdrawn") + ", announced " + counter(d, "announced") + ")");
        awaitRoutes(peer(d, 0), 10_000);
    }

    private static long counter(Daemon d, String which) {
        // Whatever kind of counter the meter is (a FunctionCounter over the peer loop's count today).
        return (long) d.registry().get("ribbit.peer.prefixes." + which).tag("peer", "127.0.0.11").meter().measure()
                .iterator().next().getValue();
    }

    @Test
    @DisplayName("MRT TABLE_DUMP_V2 (openbgpd_rib_table-v2.mrt, peer 192.168.1.10): Ribbit holds that peer's RIB"
            + " entry count, IPv4 and IPv6")
    void mrtRibIntoRibbit() throws Exception {
        Path file = testData("mrt/mrtparse/openbgpd_rib_table-v2.mrt");
        long v4 = 0;
        long v6 = 0;
        for (Mrt.Record x : MrtReader.readAll(file).records()) {
            if (x instanceof Mrt.Rib rib && rib.safi() == 1) {
                for (Mrt.RibEntry e : rib.entries()) {
                    if (e.peer() != null && e.peer().ip().equals("192.168.1.10")) {
                        v4 += rib.afi() == 1 ? 1 : 0;
                        v6 += rib.afi() == 2 ? 1 : 0;
                    }
                }
            }
        }
        assertEquals(21, v4 + v6, "RIB entries of the peer in the file");
        Daemon d = ribbit(1);
        Workload w = MrtSource.load(file, "192.168.1.10");
        assertEquals(v4 + v6, w.announcedPrefixes(), w.description());
        Blast b = blast(d, 1, w, o -> o);
        BlastReport r = b.tableSent().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        System.out.print(r.text());
        assertEquals(v4 + v6, r.prefixesSent());
        Peer p = peer(d, 0);
        awaitRoutes(p, v4 + v6);
        assertEquals(v4, p.rib().size(AfiSafi.IPV4_UNICAST));
        assertEquals(v6, p.rib().size(AfiSafi.IPV6_UNICAST));
    }

    @Test
    @DisplayName("MRT BGP4MP replay (RIS rrc06 updates, as fast as possible): Ribbit ends with the prefixes the"
            + " replayed announcements and withdrawals leave")
    void mrtUpdatesIntoRibbit() throws Exception {
        Path file = testData("mrt/libbgpstream/ris.rrc06.updates.1427846400.gz");
        Workload w = MrtSource.load(file, null);
        assertTrue(w.timed());
        // What a receiver holds at the end: replay the changes on a set of prefixes.
        java.util.Set<String> held = new java.util.HashSet<>();
        for (var c : w.changes()) {
            if (c.announce() != null) {
                held.addAll(c.announce().prefixes().prefixes());
            } else {
                held.removeAll(c.withdraw().prefixes());
            }
        }
        Daemon d = ribbit(1);
        Blast b = blast(d, 1, w, o -> o);
        BlastReport r = b.tableSent().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        System.out.print(r.text());
        assertTrue(r.sessions().get(0).table().withdrawn() > 0, r.text());
        Peer p = peer(d, 0);
        awaitRoutes(p, held.size());
    }

    @Test
    @DisplayName("the command: a text route list (IPv4 + IPv6, communities) through `ribbit blast --routes`,"
            + " JSON report, Ribbit holds every route with its attributes, Cease at the end")
    void textRouteListThroughTheCommand() throws Exception {
        Daemon d = ribbit(1, 64496);
        Path routes = dir.resolve("routes.txt");
        StringBuilder t = new StringBuilder("# prefix|AS path|origin|MED|communities|large communities\n");
        for (int i = 0; i < 300; i++) {
            t.append("10.").append(i / 256).append('.').append(i % 256).append(".0/24|64500 64501 ")
                    .append(65000 + i % 7)
                    .append("|IGP|").append(i % 3 == 0 ? "" : Integer.toString(i)).append("|64500:").append(i % 5)
                    .append("|64500:1:").append(i % 2).append('\n');
        }
        t.append("2001:db8:1::/48|64500\n2001:db8:2::/48|64500 64502|INCOMPLETE\n");
        Files.writeString(routes, t.toString());
        int port = d.peers().listenAddresses().get(0).getPort();
        CompletableFuture<String[]> run = CompletableFuture.supplyAsync(() -> runMain("blast", "--port",
                Integer.toString(port), "--routes", routes.toString(), "--as", "64496", "--duration", "8", "--json"));
        Peer p = peer(d, 0);
        awaitRoutes(p, 302);
        Route r = p.rib().get(io.ribbit.rib.RouteKey.of(new io.ribbit.codec.nlri.PrefixList(AfiSafi.IPV4_UNICAST, 1,
                new long[] {io.ribbit.codec.nlri.PrefixList.packIpv4(10 << 24 | 1 << 8, 24)}, null, null, null), 0));
        assertEquals(List.of(64496L, 64500L, 64501L, 65000L + 1 % 7), java.util.Arrays.stream(
                r.attributes().asPath().asns()).boxed().toList());
        assertEquals(1, r.attributes().med());
        String[] out = run.get(60, TimeUnit.SECONDS);
        assertEquals("0", out[0], out[2]);
        Await.until("the Cease 6/2 at --duration's end", WAIT, () -> d.registry()
                .find("ribbit.peer.notifications.received").tag("peer", "127.0.0.11").tag("code", "6")
                .tag("subcode", "2").counter() != null);
        JsonNode json = new ObjectMapper().readTree(out[1]);
        assertEquals(302, json.path("total").path("table").path("prefixes").asLong(), out[1]);
        assertTrue(json.path("ok").asBoolean(), out[1]);
    }

    @Test
    @DisplayName("bad arguments give a clear error and exit code 2, before any connection")
    void badArguments() throws Exception {
        String[] r = runMain("blast", "--sessions", "0");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--sessions must be 1..250"), r[2]);
        r = runMain("blast", "--rate", "10", "--prefix-rate", "10");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("mutually exclusive"), r[2]);
        r = runMain("blast", "--mrt", dir.resolve("missing.mrt").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("cannot read"), r[2]);
        r = runMain("blast", "--host", "not-an-address");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("is not an IP address"), r[2]);
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "10.0.0.0/24|64500\n10.0.1.0/33|64500\n");
        r = runMain("blast", "--routes", bad.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("bad.txt:2: bad prefix \"10.0.1.0/33\""), r[2]);
        r = runMain("blast", "--sessions", "2", "--host", "192.0.2.1");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("give each of the 2 sessions a source address"), r[2]);
    }

    @Test
    @DisplayName("synthetic table: deterministic by seed, and feeder.py's statistics (1M: 359,889 UPDATEs, 29.7 MB;"
            + " here 100k scaled, ±2 %)")
    void syntheticStatistics() {
        List<RouteGroup> a = SyntheticTable.generate(1, 100_000, 10_000);
        List<RouteGroup> b2 = SyntheticTable.generate(1, 100_000, 10_000);
        assertEquals(a, b2, "same seed, same table");
        assertNotEquals(a, SyntheticTable.generate(2, 100_000, 10_000));
        assertEquals(110_000, a.stream().mapToLong(RouteGroup::size).sum());
        var s = new StreamEncoder(SessionParams.feederStyle(0, new InetSocketAddress(0)))
                .encode(SyntheticTable.generate(1, 100_000, 0).stream().map(io.ribbit.collector.blast.Change::announce)
                        .toList(), false, io.netty.buffer.PooledByteBufAllocator.DEFAULT);
        try {
            assertEquals(100_000, s.announced());
            assertEquals(35_989, s.messages(), 0.02 * 35_989, "UPDATEs per 100k prefixes");
            assertEquals(2_970_000, s.bytes(), 0.02 * 2_970_000, "octets per 100k prefixes");
        } finally {
            s.release();
        }
    }

    private static Path testData(String relative) {
        Path root = Path.of(System.getProperty("ribbit.testdata", "../../shared/testdata"));
        Path f = root.resolve(relative);
        Assumptions.assumeTrue(Files.isReadable(f), "shared test data not found: " + f);
        return f;
    }

    /** Runs {@code ribbit ARGS}: exit code, standard output, standard error. */
    private static synchronized String[] runMain(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new String[] {Integer.toString(exit), o.toString(StandardCharsets.UTF_8),
                    e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
