package io.ribbit.collector.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Proves the harness without Ribbit: pairs of real daemons peer with each other on loopback. Each
 * daemon announces once (a 6-hop IPv4 route with communities, large communities and MED, and an
 * IPv6 route) to a daemon whose CLI must show them with the expected attributes, withdraws them,
 * and (except ExaBGP, which cannot) sends an Administrative Shutdown whose RFC 9003 text the other
 * daemon must report. Every daemon is stopped in try-with-resources, also on failure.
 *
 * <p>Addresses: bird 127.0.0.21 AS65021, FRR .22 AS65022, GoBGP .23 AS65023, OpenBGPD .24
 * AS65024, ExaBGP .25 AS65025; listen ports are free ones from 17900 up.
 */
class DaemonHarnessTest {
    private static final Duration ESTABLISH = Duration.ofSeconds(30);
    private static final Duration PROPAGATE = Duration.ofSeconds(15);

    /** Builds a daemon for its own side of a session. */
    private record Side(String address, long asn, Function<Peering, BgpDaemon> factory) {
    }

    private static final Side BIRD = new Side("127.0.0.21", 65021, Bird::new);
    private static final Side FRR = new Side("127.0.0.22", 65022, Frr::new);
    private static final Side GOBGP = new Side("127.0.0.23", 65023, GoBgp::new);
    private static final Side OPENBGPD = new Side("127.0.0.24", 65024, OpenBgpd::new);
    private static final Side EXABGP = new Side("127.0.0.25", 65025, ExaBgp::new);

    /** Two daemons peered with each other: {@code active} connects to {@code passive}'s listener. */
    private record Pair(BgpDaemon active, BgpDaemon passive) {
        static Pair of(Side active, Side passive, boolean addPathAndGracefulRestart) {
            int activePort = Peering.freePort(active.address());
            int passivePort = Peering.freePort(passive.address());
            Peering a = new Peering(active.address(), activePort, active.asn(), active.address(),
                    passive.address(), passivePort, passive.asn(), Peering.Mode.ACTIVE, 3,
                    addPathAndGracefulRestart, addPathAndGracefulRestart);
            Peering p = new Peering(passive.address(), passivePort, passive.asn(), passive.address(),
                    active.address(), activePort, active.asn(), Peering.Mode.PASSIVE, 3,
                    addPathAndGracefulRestart, addPathAndGracefulRestart);
            return new Pair(active.factory().apply(a), passive.factory().apply(p));
        }
    }

    /** The routes a daemon with last address octet {@code n} announces. */
    private static List<Route> routes(int n) {
        return List.of(
                Route.of("10." + n + ".0.0/24", "192.0.2." + n)
                        .withAsPath(64501, 64502, 64503, 64504, 64505, 64506)
                        .withCommunities("65000:" + n, "65000:100")
                        .withLargeCommunities("65000:" + n + ":7")
                        .withMed(n * 10L),
                Route.of("2001:db8:" + n + "::/48", "2001:db8::" + n).withAsPath(64510, 64511));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @DisplayName("bird announces to GoBGP, withdraws, and its shutdown communication reaches GoBGP")
    void birdToGoBgp() {
        exchange(Pair.of(BIRD, GOBGP, true), (active, passive) -> active, "bird going away for maintenance");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @DisplayName("GoBGP announces to FRR, withdraws, and its shutdown communication reaches FRR")
    void goBgpToFrr() {
        exchange(Pair.of(FRR, GOBGP, false), (active, passive) -> passive, "gobgp says goodbye");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @DisplayName("FRR announces to OpenBGPD, withdraws, and its shutdown communication reaches OpenBGPD")
    void frrToOpenBgpd() {
        exchange(Pair.of(OPENBGPD, FRR, true), (active, passive) -> passive, "frr: planned work, back soon");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @DisplayName("OpenBGPD announces to ExaBGP, withdraws, and its shutdown communication reaches ExaBGP")
    void openBgpdToExaBgp() {
        exchange(Pair.of(OPENBGPD, EXABGP, false), (active, passive) -> active, "openbgpd: rebooting, see ticket 1234");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @DisplayName("ExaBGP announces to bird and withdraws (ExaBGP cannot send a shutdown communication)")
    void exaBgpToBird() {
        exchange(Pair.of(EXABGP, BIRD, true), (active, passive) -> active, null);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @DisplayName("RFC 7606: ExaBGP sends a malformed MED and bird treats that UPDATE as withdraw, keeping the session")
    void exaBgpMalformedAttribute() {
        Pair pair = Pair.of(EXABGP, BIRD, false);
        ExaBgp exabgp = (ExaBgp) pair.active();
        BgpDaemon bird = pair.passive();
        exabgp.assumeAvailable();
        bird.assumeAvailable();
        try (exabgp; bird) {
            startAndEstablish(pair);
            Route good = Route.of("10.25.1.0/24", "192.0.2.25");
            Route bad = Route.of("10.25.2.0/24", "192.0.2.25");
            exabgp.announce(List.of(good, bad));
            bird.await(PROPAGATE, "both routes at bird", () -> bird.receivedPrefixes().contains(bad.prefix()));
            exabgp.announceWithRawAttributes(bad, List.of(RawAttribute.medWithBadLength()));
            bird.await(PROPAGATE, "treat-as-withdraw of " + bad.prefix(),
                    () -> !bird.receivedPrefixes().contains(bad.prefix()));
            assertTrue(bird.receivedPrefixes().contains(good.prefix()), "the other route stays");
            assertTrue(bird.sessionEstablished(), "no session reset");
            assertTrue(bird.log().contains("Malformed MULTI_EXIT_DISC"), bird.log());
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @DisplayName("a stopped daemon can be started again and the session comes back")
    void restart() {
        Pair pair = Pair.of(EXABGP, BIRD, true);
        pair.active().assumeAvailable();
        pair.passive().assumeAvailable();
        try (BgpDaemon exabgp = pair.active(); BgpDaemon bird = pair.passive()) {
            startAndEstablish(pair);
            Path firstDir = exabgp.dir();
            exabgp.stop();
            assertFalse(exabgp.isRunning());
            bird.await(PROPAGATE, "bird to see the session go down", () -> !bird.sessionEstablished());
            long t0 = System.nanoTime();
            exabgp.start();
            assertFalse(firstDir.equals(exabgp.dir()), "a fresh directory");
            exabgp.awaitEstablished(ESTABLISH);
            bird.awaitEstablished(ESTABLISH);
            System.out.printf("exabgp restarted and Established again after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            exabgp.announce(List.of(Route.of("10.25.3.0/24", "192.0.2.25")));
            bird.await(PROPAGATE, "the route after the restart", () -> bird.receivedPrefixes().contains("10.25.3.0/24"));
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @DisplayName("bird reports GoBGP's shutdown communication")
    void birdReceivesShutdownCommunication() {
        Pair pair = Pair.of(GOBGP, BIRD, false);
        pair.active().assumeAvailable();
        pair.passive().assumeAvailable();
        try (BgpDaemon gobgp = pair.active(); BgpDaemon bird = pair.passive()) {
            startAndEstablish(pair);
            assertEquals(Optional.empty(), bird.receivedShutdownCommunication());
            gobgp.sendShutdown("gobgp to bird: maintenance window 42");
            bird.await(PROPAGATE, "bird to show the shutdown communication",
                    () -> bird.receivedShutdownCommunication().isPresent());
            assertEquals(Optional.of("gobgp to bird: maintenance window 42"), bird.receivedShutdownCommunication());
        }
    }

    /**
     * Starts both, waits for Established, lets {@code pick(active, passive)} announce its routes to
     * the other, checks them there, withdraws them, checks they are gone, then sends a shutdown
     * with {@code communication} (unless null) and checks the other daemon reports it.
     */
    private static void exchange(Pair pair, BiFunction<BgpDaemon, BgpDaemon, BgpDaemon> pick, String communication) {
        pair.active().assumeAvailable();
        pair.passive().assumeAvailable();
        try (BgpDaemon active = pair.active(); BgpDaemon passive = pair.passive()) {
            startAndEstablish(pair);
            BgpDaemon sender = pick.apply(active, passive);
            BgpDaemon receiver = sender == active ? passive : active;
            List<Route> routes = routes(Integer.parseInt(sender.peering().localAddress().substring(8)));

            long t0 = System.nanoTime();
            sender.announce(routes);
            receiver.await(PROPAGATE, receiver.name() + " to receive " + routes,
                    () -> receiver.receivedPrefixes().containsAll(routes.stream().map(Route::prefix).toList()));
            System.out.printf("%s -> %s: routes visible after %d ms%n", sender.name(), receiver.name(),
                    (System.nanoTime() - t0) / 1_000_000);
            List<Route> received = receiver.receivedRoutes();
            for (Route sent : routes) {
                Route got = received.stream().filter(r -> r.prefix().equals(sent.prefix())).findFirst().orElseThrow();
                String what = sender.name() + " -> " + receiver.name() + " " + sent.prefix() + ": ";
                assertEquals(sent.pathAsSentBy(sender.peering().localAsn()), got.asPath(), what + "AS path");
                assertEquals(sent.nextHop(), got.nextHop(), what + "next hop");
                assertEquals(sent.communities(), got.communities(), what + "communities");
                assertEquals(sent.largeCommunities(), got.largeCommunities(), what + "large communities");
                if (sent.med().isPresent()) {
                    assertEquals(sent.med(), got.med(), what + "MED");
                }
            }

            sender.withdraw(routes);
            receiver.await(PROPAGATE, receiver.name() + " to see the withdrawals",
                    () -> routes.stream().noneMatch(r -> receiver.receivedPrefixes().contains(r.prefix())));

            if (communication != null) {
                sender.sendShutdown(communication);
                receiver.await(PROPAGATE, receiver.name() + " to show the shutdown communication",
                        () -> receiver.receivedShutdownCommunication().isPresent());
                assertEquals(Optional.of(communication), receiver.receivedShutdownCommunication());
                receiver.await(PROPAGATE, "session down at " + receiver.name(), () -> !receiver.sessionEstablished());
                assertFalse(receiver.sessionEstablished());
            }
        }
    }

    /** The five daemons by name, for parameterized tests. */
    private static Side side(String name) {
        return switch (name) {
            case "bird" -> BIRD;
            case "frr" -> FRR;
            case "gobgp" -> GOBGP;
            case "openbgpd" -> OPENBGPD;
            case "exabgp" -> EXABGP;
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest(name = "{0}, ADD-PATH and graceful restart {1}")
    @CsvSource({"bird, true", "bird, false", "frr, true", "frr, false", "gobgp, true", "gobgp, false",
            "openbgpd, true", "openbgpd, false", "exabgp, true", "exabgp, false"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("active: the daemon connects from its own address to a listener on 127.0.0.1 and sends the configured OPEN")
    void activeTowardsRibbitAddress(String name, boolean options) throws IOException {
        Side side = side(name);
        try (ServerSocket ribbit = new ServerSocket()) {
            ribbit.bind(new InetSocketAddress("127.0.0.1", 0));
            ribbit.setSoTimeout(30_000);
            Peering peering = Peering.active(side.address(), Peering.freePort(side.address()), side.asn(),
                    "127.0.0.1", ribbit.getLocalPort(), 64999).withAddPathSend(options).withGracefulRestart(options);
            try (BgpDaemon daemon = side.factory().apply(peering)) {
                daemon.assumeAvailable();
                daemon.start();
                long t0 = System.nanoTime();
                try (Socket s = ribbit.accept()) {
                    System.out.printf("%s (active) connected %d ms after start returned%n", name,
                            (System.nanoTime() - t0) / 1_000_000);
                    assertEquals(side.address(), s.getInetAddress().getHostAddress(), "source address");
                    checkOpen(readOpen(s), side, options, name);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bird", "frr", "gobgp", "openbgpd", "exabgp"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("passive: the daemon accepts a connection from 127.0.0.1 on its own address and port and sends its OPEN")
    void passiveTowardsRibbitAddress(String name) throws IOException {
        Side side = side(name);
        Peering peering = Peering.passive(side.address(), Peering.freePort(side.address()), side.asn(), "127.0.0.1", 64999);
        try (BgpDaemon daemon = side.factory().apply(peering)) {
            daemon.assumeAvailable();
            daemon.start();
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress("127.0.0.1", 0));
                s.connect(new InetSocketAddress(side.address(), peering.localPort()), 5_000);
                s.setSoTimeout(30_000);
                checkOpen(readOpen(s), side, false, name);
            }
        }
    }

    /** The OPEN message body (after the 19-octet header) that the daemon sends first. */
    private static byte[] readOpen(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] header = new byte[19];
        in.readFully(header);
        for (int i = 0; i < 16; i++) {
            assertEquals((byte) 0xFF, header[i], "marker");
        }
        assertEquals(1, header[18], "first message is an OPEN");
        byte[] body = new byte[((header[16] & 0xFF) << 8 | (header[17] & 0xFF)) - 19];
        in.readFully(body);
        return body;
    }

    /** Version 4, the daemon's ASN and router id, hold time 3, IPv4+IPv6 unicast, ADD-PATH send/GR as asked. */
    private static void checkOpen(byte[] open, Side side, boolean options, String name) {
        ByteBuffer b = ByteBuffer.wrap(open);
        assertEquals(4, b.get(), name + " version");
        assertEquals(side.asn(), b.getShort() & 0xFFFF, name + " my AS");
        assertEquals(3, b.getShort() & 0xFFFF, name + " hold time");
        byte[] id = new byte[4];
        b.get(id);
        assertEquals(side.address(), (id[0] & 0xFF) + "." + (id[1] & 0xFF) + "." + (id[2] & 0xFF) + "." + (id[3] & 0xFF),
                name + " BGP identifier");
        int paramsEnd = (b.get() & 0xFF) + b.position();
        List<Integer> codes = new ArrayList<>();
        List<String> families = new ArrayList<>();
        List<String> addPathSend = new ArrayList<>();
        while (b.position() < paramsEnd) {
            int type = b.get() & 0xFF;
            int end = (b.get() & 0xFF) + b.position();
            while (type == 2 && b.position() < end) {
                int code = b.get() & 0xFF;
                int length = b.get() & 0xFF;
                codes.add(code);
                int next = b.position() + length;
                if (code == 1) {
                    families.add(b.getShort() + "/" + b.get(b.position() + 1));
                } else if (code == 69) {
                    // RFC 7911 §4: AFI, SAFI, Send/Receive (1 receive, 2 send, 3 both) per family.
                    for (int i = b.position(); i + 4 <= next; i += 4) {
                        if ((b.get(i + 3) & 2) != 0) {
                            addPathSend.add(b.getShort(i) + "/" + b.get(i + 2));
                        }
                    }
                }
                b.position(next);
            }
            b.position(end);
        }
        assertTrue(families.containsAll(List.of("1/1", "2/1")), name + " families " + families);
        assertTrue(codes.contains(65), name + " 4-octet AS capability " + codes);
        // FRR always advertises ADD-PATH receive; only the send bit follows the Peering.
        assertEquals(options ? List.of("1/1", "2/1") : List.of(), addPathSend, name + " ADD-PATH send families");
        if (options) {
            assertTrue(codes.contains(64), name + " graceful restart capability " + codes);
        }
        System.out.printf("%s OPEN capabilities %s%n", name, codes);
    }

    /** The pure parts: configuration and command rendering, output parsing. No daemon runs. */
    @Nested
    @DisplayName("rendering and parsing, no daemons")
    class Rendering {
        private final Path dir = Path.of("/tmp/ribbit-test-dir");
        private final Peering active = new Peering("127.0.0.21", 17921, 65021, "127.0.0.21", "127.0.0.1", 17900,
                64999, Peering.Mode.ACTIVE, 3, true, true);
        private final Peering passive = Peering.passive("127.0.0.24", 17924, 65024, "127.0.0.1", 64999);
        private final Route route = Route.of("10.21.0.0/24", "192.0.2.21").withAsPath(64501, 64502, 64503)
                .withCommunities("65000:1", "65000:2").withLargeCommunities("65000:1:2").withMed(55);
        private final Route route6 = Route.of("2001:db8:21::/48", "2001:db8::21");

        @Test
        @DisplayName("Peering accepts only loopback, unprivileged ports, eBGP and a hold time of 0 or >= 3")
        void peeringValidation() {
            assertThrows(IllegalArgumentException.class,
                    () -> Peering.active("192.0.2.1", 17900, 65001, "127.0.0.1", 17901, 65002));
            assertThrows(IllegalArgumentException.class,
                    () -> Peering.active("127.0.0.21", 179, 65001, "127.0.0.1", 17901, 65002));
            assertThrows(IllegalArgumentException.class,
                    () -> Peering.active("127.0.0.21", 17900, 65001, "127.0.0.1", 179, 65002));
            assertThrows(IllegalArgumentException.class,
                    () -> Peering.active("127.0.0.21", 17900, 65001, "127.0.0.1", 17901, 65001));
            assertThrows(IllegalArgumentException.class, () -> passive.withHoldTime(2));
            assertEquals(1, passive.keepalive());
            assertEquals(10, passive.withHoldTime(30).keepalive());
        }

        @Test
        @DisplayName("Route checks families and community syntax; the eBGP path starts with the sender")
        void routeValidation() {
            assertThrows(IllegalArgumentException.class, () -> Route.of("10.0.0.0/24", "2001:db8::1"));
            assertThrows(IllegalArgumentException.class, () -> Route.of("10.0.0.0", "192.0.2.1"));
            assertThrows(IllegalArgumentException.class, () -> route.withCommunities("65000"));
            assertThrows(IllegalArgumentException.class, () -> route.withLargeCommunities("1:2"));
            assertEquals(List.of(65021L, 64501L, 64502L, 64503L), route.pathAsSentBy(65021));
            assertEquals(0xFDE80002L, Route.communityValue("65000:2"));
            assertTrue(route6.isIpv6());
            assertEquals(48, route6.length());
        }

        @Test
        @DisplayName("no configuration names port 179 or a non-loopback address for the daemon")
        void configurationsStayOnLoopbackAndHighPorts() {
            for (String config : List.of(Bird.config(active, dir), Bird.config(passive, dir), Frr.config(active),
                    Frr.config(passive), GoBgp.config(active), GoBgp.config(passive),
                    OpenBgpd.config(active, dir, List.of(route)), OpenBgpd.config(passive, dir, List.of()),
                    ExaBgp.config(active, dir), ExaBgp.config(passive, dir))) {
                // "timers connect 1" (FRR) is a timer, not a port.
                Matcher port = Pattern.compile("(?<!timers )\\b(?:port|listen|connect)[ =]+(\\d+)").matcher(config);
                while (port.find()) {
                    assertTrue(Integer.parseInt(port.group(1)) >= 1024, config);
                }
                assertFalse(config.contains("/etc/") || config.contains("/run/") || config.contains("/var/"), config);
            }
        }

        @Test
        @DisplayName("bird: listener, active/passive, hold time, ADD-PATH, GR; static route carries the attributes")
        void bird() {
            String a = Bird.config(active, dir);
            assertTrue(a.contains("local 127.0.0.21 port 17921 as 65021;"), a);
            assertTrue(a.contains("neighbor 127.0.0.1 port 17900 as 64999;"), a);
            assertTrue(a.contains("hold time 3;") && a.contains("add paths tx;") && a.contains("graceful restart on;"), a);
            assertFalse(a.contains("passive on"), a);
            assertTrue(a.contains("include \"/tmp/ribbit-test-dir/routes4.conf\";"), a);
            String p = Bird.config(passive, dir);
            assertTrue(p.contains("passive on;") && p.contains("neighbor 127.0.0.1 as 64999;"), p);
            assertFalse(p.contains("add paths"), p);
            assertEquals(String.join("\n",
                    "route 10.21.0.0/24 unreachable {",
                    "  ribbit_next_hop = 192.0.2.21;",
                    "  bgp_path.prepend(64503);",
                    "  bgp_path.prepend(64502);",
                    "  bgp_path.prepend(64501);",
                    "  bgp_community.add((65000,1));",
                    "  bgp_community.add((65000,2));",
                    "  bgp_large_community.add((65000,1,2));",
                    "  ribbit_med = 55;",
                    "};", ""), Bird.staticRoute(route));
        }

        @Test
        @DisplayName("bird: show route all output parses into routes, one per path")
        void birdParsesRoutes() {
            String output = String.join("\n",
                    "BIRD 2.0.12 ready.",
                    "Table master4:",
                    "10.23.0.0/24         unreachable [ribbit_peer 02:48:57.835 from 127.0.0.23] * (100) [AS6?]",
                    "\tType: BGP univ",
                    "\tBGP.origin: Incomplete",
                    "\tBGP.as_path: 65023 1 2 3 4 5 6",
                    "\tBGP.next_hop: 192.0.2.23",
                    "\tBGP.med: 50",
                    "\tBGP.local_pref: 100",
                    "\tBGP.community: (65000,1) (65000,2)",
                    "\tBGP.large_community: (65000, 1, 2)",
                    "                     unreachable [ribbit_peer 02:48:58.000 from 127.0.0.23] (100) [AS9i]",
                    "\tType: BGP univ",
                    "\tBGP.as_path: 65023 9",
                    "\tBGP.next_hop: 192.0.2.99",
                    "",
                    "Table master6:",
                    "2001:db8:23::/48     unreachable [ribbit_peer 02:49:32.433 from 127.0.0.23] * (100) [AS2?]",
                    "\tType: BGP univ",
                    "\tBGP.as_path: 65023 1 2",
                    "\tBGP.next_hop: 2001:db8::23",
                    "");
            List<Route> routes = Bird.parseRoutes(output);
            assertEquals(3, routes.size(), routes.toString());
            assertEquals(new Route("10.23.0.0/24", "192.0.2.23", List.of(65023L, 1L, 2L, 3L, 4L, 5L, 6L),
                    List.of("65000:1", "65000:2"), List.of("65000:1:2"), OptionalLong.of(50)), routes.get(0));
            assertEquals(List.of(65023L, 9L), routes.get(1).asPath());
            assertEquals("10.23.0.0/24", routes.get(1).prefix());
            assertEquals(Route.of("2001:db8:23::/48", "2001:db8::23").withAsPath(65023, 1, 2), routes.get(2));
        }

        @Test
        @DisplayName("FRR: bgpd.conf and the per-route route-map")
        void frr() {
            String a = Frr.config(active);
            assertTrue(a.contains(" neighbor 127.0.0.1 remote-as 64999\n"), a);
            assertTrue(a.contains(" neighbor 127.0.0.1 port 17900\n"), a);
            assertTrue(a.contains(" neighbor 127.0.0.1 update-source 127.0.0.21\n"), a);
            assertTrue(a.contains(" neighbor 127.0.0.1 timers 1 3\n"), a);
            assertTrue(a.contains("addpath-tx-all-paths") && a.contains(" bgp graceful-restart\n"), a);
            assertTrue(a.contains("attribute-unchanged next-hop"), a);
            String p = Frr.config(passive);
            assertTrue(p.contains(" neighbor 127.0.0.1 passive\n") && !p.contains(" port "), p);
            List<String> command = new Frr(passive).command(dir);
            assertTrue(String.join(" ", command).contains("-P 0 -p 17924 -l 127.0.0.24 -Z -S"), command.toString());
            assertTrue(String.join(" ", command).contains("--vty_socket /tmp/ribbit-test-dir "), command.toString());
            assertEquals(List.of("set as-path prepend 64501 64502 64503", "set community 65000:1 65000:2",
                    "set large-community 65000:1:2", "set metric 55", "set ip next-hop 192.0.2.21"),
                    Frr.routeMapSets(route));
            assertEquals(List.of("set ipv6 next-hop global 2001:db8::21"), Frr.routeMapSets(route6));
        }

        @Test
        @DisplayName("GoBGP: gobgpd.toml and the global rib add arguments; adj-in JSON parses")
        void goBgp() {
            String a = GoBgp.config(active);
            assertTrue(a.contains("port = 17921") && a.contains("remote-port = 17900")
                    && a.contains("passive-mode = false") && a.contains("send-max = 8")
                    && a.contains("[neighbors.graceful-restart.config]"), a);
            String p = GoBgp.config(passive);
            assertTrue(p.contains("passive-mode = true") && !p.contains("remote-port") && !p.contains("send-max"), p);
            assertEquals(List.of("10.21.0.0/24", "origin", "igp", "nexthop", "192.0.2.21", "aspath",
                    "64501,64502,64503", "med", "55", "community", "65000:1,65000:2", "large-community",
                    "65000:1:2"), GoBgp.ribAddArguments(route));
            Route parsed = GoBgp.route("10.21.0.0/24", BgpDaemon.json("[{\"type\":1,\"value\":0},"
                    + "{\"type\":2,\"as_paths\":[{\"segment_type\":2,\"num\":3,\"asns\":[65021,5,6]}]},"
                    + "{\"type\":3,\"nexthop\":\"192.0.2.21\"},{\"type\":4,\"metric\":77},"
                    + "{\"type\":8,\"communities\":[4259840007]},"
                    + "{\"type\":32,\"value\":[{\"ASN\":65000,\"LocalData1\":1,\"LocalData2\":2}]}]"));
            assertEquals(new Route("10.21.0.0/24", "192.0.2.21", List.of(65021L, 5L, 6L), List.of("65000:7"),
                    List.of("65000:1:2"), OptionalLong.of(77)), parsed);
        }

        @Test
        @DisplayName("OpenBGPD: control socket and listener in the config, FIB untouched, next-hop rules before no-modify")
        void openBgpd() {
            String a = OpenBgpd.config(active, dir, List.of(route, route6));
            assertTrue(a.contains("socket \"/tmp/ribbit-test-dir/bgpd.sock\"\n"), a);
            assertTrue(a.contains("listen on 127.0.0.21 port 17921\n") && a.contains("fib-update no\n"), a);
            assertTrue(a.contains("  port 17900\n") && a.contains("  local-address 127.0.0.21\n"), a);
            assertTrue(a.contains("announce add-path send all") && a.contains("announce restart yes"), a);
            int rule = a.indexOf("match to 127.0.0.1 prefix 10.21.0.0/24 set { nexthop 192.0.2.21 med 55 }");
            int rule6 = a.indexOf("match to 127.0.0.1 prefix 2001:db8:21::/48 set { nexthop 2001:db8::21 }");
            int noModify = a.indexOf("match to 127.0.0.1 set nexthop no-modify");
            assertTrue(rule > 0 && rule6 > rule && noModify > rule6, a);
            String p = OpenBgpd.config(passive, dir, List.of());
            assertTrue(p.contains("  passive\n") && p.contains("announce restart no"), p);
        }

        @Test
        @DisplayName("OpenBGPD: the MRT TABLE_DUMP_V2 file matches bytes bgpctl show mrt decoded as intended")
        void mrtTableDump() {
            // Checked with "bgpctl show mrt detail file": 10.24.1.0/24 path 64501..64506 nexthop 192.0.2.24
            // metric 55 community 65000:1 large 65000:1:2; 2001:db8:24:1::/64 path 64501 64502 64503.
            String expected = "00000000000d0001000000157f00001800000001027f0000187f0000180000fe"
                    + "0000000000000d00020000005700000000180a1801000100000000000000454001010040021a02060000fbf5"
                    + "0000fbf60000fbf70000fbf80000fbf90000fbfa400304c000021880040400000037c00804fde80001c020"
                    + "0c0000fde8000000010000000200000000000d000400000040000000014020010db8002400010001000000"
                    + "00000000294001010040020e02030000fbf50000fbf60000fbf7800e111020010db8000000000000000000"
                    + "000024";
            byte[] mrt = MrtTableDump.write("127.0.0.24", 65024, List.of(
                    Route.of("10.24.1.0/24", "192.0.2.24").withAsPath(64501, 64502, 64503, 64504, 64505, 64506)
                            .withCommunities("65000:1").withLargeCommunities("65000:1:2").withMed(55),
                    Route.of("2001:db8:24:1::/64", "2001:db8::24").withAsPath(64501, 64502, 64503)));
            assertEquals(expected, HexFormat.of().formatHex(mrt));
        }

        @Test
        @DisplayName("ExaBGP: config, announce command with the local ASN first, raw attributes, shutdown decoding")
        void exaBgp() {
            String a = ExaBgp.config(active, dir);
            assertTrue(a.contains("    listen 17921;\n") && a.contains("    connect 17900;\n")
                    && a.contains("    passive false;\n") && a.contains("add-path send;")
                    && a.contains("graceful-restart 120;"), a);
            assertTrue(a.contains("run /usr/bin/python3 /tmp/ribbit-test-dir/api.py /tmp/ribbit-test-dir/commands "
                    + "/tmp/ribbit-test-dir/received.jsonl;"), a);
            String p = ExaBgp.config(passive, dir);
            assertTrue(p.contains("    passive true;\n") && !p.contains("connect"), p);
            assertEquals("neighbor 127.0.0.1 announce route 10.21.0.0/24 next-hop 192.0.2.21 origin igp"
                    + " as-path [ 65025 64501 64502 64503 ] community [ 65000:1 65000:2 ]"
                    + " large-community [ 65000:1:2 ] med 55 attribute [ 0x04 0x80 0x000001 ]",
                    ExaBgp.announceCommand("127.0.0.1", 65025, route, List.of(RawAttribute.medWithBadLength())));
            assertEquals(Optional.of("bird says bye to exa"),
                    ExaBgp.shutdownCommunication("0x0602146269726420736179732062796520746F20657861"));
            assertEquals(Optional.empty(), ExaBgp.shutdownCommunication("0x0602"));
            assertEquals(Optional.empty(), ExaBgp.shutdownCommunication("0x0401"));
            assertEquals("attribute [ 0x01 0xc0 0x00 ]", RawAttribute.originWithBadFlags().exabgpSyntax());
        }

        @Test
        @DisplayName("a daemon whose binary is missing is skipped, or failed when RIBBIT_REQUIRE_DAEMONS=1")
        void missingDaemon() {
            BgpDaemon missing = new Fake("missing", List.of("/nonexistent/ribbit-bgpd"), List.of(), passive);
            assertEquals(Optional.of("/nonexistent/ribbit-bgpd is not installed"), missing.unavailableReason());
            assertFalse(missing.isAvailable());
            Class<? extends Throwable> expected = "1".equals(System.getenv(BgpDaemon.REQUIRE_ENV))
                    ? AssertionFailedError.class : TestAbortedException.class;
            Throwable t = assertThrows(expected, missing::assumeAvailable);
            assertTrue(t.getMessage().contains("missing is not usable here"), t.getMessage());
            missing.stop(); // never started: a no-op
        }

        @Test
        @DisplayName("a daemon that exits while starting fails start() with its log, and leaves nothing behind")
        void failedStart() {
            BgpDaemon broken = new Fake("broken", List.of("/bin/sh"),
                    List.of("/bin/sh", "-c", "echo 'bad config line 7'; exit 3"), passive);
            IllegalStateException e = assertThrows(IllegalStateException.class, broken::start);
            assertTrue(e.getMessage().contains("exited with status 3") && e.getMessage().contains("bad config line 7"),
                    e.getMessage());
            assertFalse(broken.isRunning());
            if (!"1".equals(System.getenv(BgpDaemon.KEEP_ENV))) {
                assertFalse(Files.exists(broken.dir()), "temporary directory removed");
            }
            broken.close();
        }

        @Test
        @DisplayName("freePort finds a bindable port from 17900 up")
        void freePort() {
            int port = Peering.freePort("127.0.0.29");
            assertTrue(port >= 17900 && port < 18000, Integer.toString(port));
        }
    }

    /** A stand-in daemon: a binary list and a command line, nothing BGP. */
    private static final class Fake extends BgpDaemon {
        private final String name;
        private final List<String> binaries;
        private final List<String> command;

        Fake(String name, List<String> binaries, List<String> command, Peering peering) {
            super(peering);
            this.name = name;
            this.binaries = binaries;
            this.command = command;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        protected List<String> binaries() {
            return binaries;
        }

        @Override
        protected void writeConfig(Path dir) {
        }

        @Override
        protected List<String> command(Path dir) {
            return command;
        }

        @Override
        protected boolean ready() {
            return false;
        }

        @Override
        public void announce(List<Route> routes) {
        }

        @Override
        public void withdraw(List<Route> routes) {
        }

        @Override
        public boolean sessionEstablished() {
            return false;
        }

        @Override
        public Optional<String> receivedShutdownCommunication() {
            return Optional.empty();
        }

        @Override
        public List<Route> receivedRoutes() {
            return List.of();
        }

        @Override
        public void sendShutdown(String communication) {
        }
    }

    private static void startAndEstablish(Pair pair) {
        pair.passive().start();
        pair.active().start();
        Duration a = pair.active().awaitEstablished(ESTABLISH);
        Duration p = pair.passive().awaitEstablished(ESTABLISH);
        System.out.printf("%s started in %d ms, Established %d ms after start; %s started in %d ms,"
                        + " Established %d ms after start%n",
                pair.active().name(), pair.active().startDuration().toMillis(), a.toMillis(),
                pair.passive().name(), pair.passive().startDuration().toMillis(), p.toMillis());
    }
}
