package io.ribbit.collector.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.Communities;
import io.ribbit.codec.attr.LargeCommunities;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.collector.Daemon;
import io.ribbit.collector.config.ConfigLoader;
import io.ribbit.collector.metrics.RibbitMeters;
import io.ribbit.collector.peer.Peer;
import io.ribbit.collector.peer.SessionState;
import io.ribbit.rib.RouteKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Ribbit (the real {@link Daemon}, configured from YAML with {@link ConfigLoader#parse}) against
 * the five real BGP daemons of the harness, on loopback.
 *
 * <p>For each daemon:
 * <ul>
 *   <li>{@link #daemonConnectsToRibbit}: Ribbit listens (passive), the daemon connects; it
 *       announces an IPv4 and an IPv6 route, each with two communities, a large community, a MED
 *       and a path of six ASNs behind its own; Ribbit's Adj-RIB-In and its JSON event file must hold
 *       exactly those prefixes with those next hops, paths, communities and MEDs; after the
 *       withdrawal both must be empty again. With hold time 3 s the session stays up for three hold
 *       times with keepalives counted both ways. Stopping the daemon must produce a
 *       {@code RIS_PEER_STATE} "down" event and flush the Adj-RIB-In (Ribbit's graceful restart is
 *       off for this neighbor).</li>
 *   <li>{@link #ribbitConnectsToDaemon}: Ribbit connects (mode active) to the daemon's listener;
 *       then {@link Daemon#close()} must reach the daemon as Cease 6/2 with the configured
 *       shutdown message, as the daemon itself reports it (ExaBGP 4.2: decoded from the raw
 *       NOTIFICATION by the harness, since ExaBGP cannot decode it).</li>
 * </ul>
 * And once each: ADD-PATH receive (GoBGP sending two paths per prefix), the graceful restart
 * helper (GoBGP killed with SIGKILL, routes kept stale, swept/refreshed by the End-of-RIB of the
 * restarted GoBGP), and RFC 7606 treat-as-withdraw of an UPDATE with a malformed MED from ExaBGP
 * without a session reset.
 *
 * <p>Addresses as in the harness: bird 127.0.0.21 AS65021, FRR .22, GoBGP .23, OpenBGPD .24,
 * ExaBGP .25; Ribbit is AS64999 on 127.0.0.1 (a free port; no HTTP). A missing daemon skips its
 * tests, or fails them with {@code RIBBIT_REQUIRE_DAEMONS=1}. Tests run one after another: every
 * timing assertion (3 s hold time) assumes the machine is not shared with other daemons.
 */
class RibbitInteropTest {
    private static final String RIBBIT_ADDRESS = "127.0.0.1";
    private static final long RIBBIT_ASN = 64999;
    private static final String RIBBIT_ROUTER_ID = "198.51.100.1";
    /** Plain ASCII under ExaBGP's 128-octet limit (RFC 8203), quoted safely in YAML. */
    private static final String SHUTDOWN_MESSAGE = "ribbit interop: collector down for maintenance, back at 06:00";
    private static final int HOLD_TIME = 3;
    private static final Duration ESTABLISH = Duration.ofSeconds(30);
    private static final Duration PROPAGATE = Duration.ofSeconds(15);
    private static final List<AfiSafi> FAMILIES = List.of(AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST);

    /** The five daemons, where they live and how to build one. */
    enum Kind {
        BIRD("bird", "127.0.0.21", 65021, Bird::new),
        FRR("frr", "127.0.0.22", 65022, Frr::new),
        GOBGP("gobgp", "127.0.0.23", 65023, GoBgp::new),
        OPENBGPD("openbgpd", "127.0.0.24", 65024, OpenBgpd::new),
        EXABGP("exabgp", "127.0.0.25", 65025, ExaBgp::new);

        final String label;
        final String address;
        final long asn;
        private final Function<Peering, BgpDaemon> factory;

        Kind(String label, String address, long asn, Function<Peering, BgpDaemon> factory) {
            this.label = label;
            this.address = address;
            this.asn = asn;
            this.factory = factory;
        }

        BgpDaemon create(Peering peering) {
            return factory.apply(peering);
        }

        int octet() {
            return Integer.parseInt(address.substring(address.lastIndexOf('.') + 1));
        }

        InetAddress inet() {
            try {
                return InetAddress.getByName(address);
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
        }

        /** Skips (or with RIBBIT_REQUIRE_DAEMONS=1 fails) the test when this daemon cannot run here. */
        void assumeAvailable() {
            create(Peering.passive(address, 17999, asn, RIBBIT_ADDRESS, RIBBIT_ASN)).assumeAvailable();
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** Every test must leave no daemon (or daemon CLI) process behind. */
    @AfterEach
    void noProcessLeft() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<ProcessHandle> left = List.of();
        while (System.nanoTime() < deadline) {
            left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
            if (left.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        String what = String.join(", ", left.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                .toList());
        left.forEach(ProcessHandle::destroyForcibly);
        throw new AssertionError("processes left running after the test: " + what);
    }

    /** An IPv4 and an IPv6 route with communities, a large community, a MED and six ASNs behind the daemon. */
    static List<Route> routes(Kind k) {
        int n = k.octet();
        return List.of(
                Route.of("10." + n + ".1.0/24", "192.0.2." + n)
                        .withAsPath(64501, 64502, 64503, 64504, 64505, 64506)
                        .withCommunities("65000:" + n, "65000:100")
                        .withLargeCommunities("65000:" + n + ":7")
                        .withMed(n * 10L),
                Route.of("2001:db8:" + n + ":1::/64", "2001:db8::" + n)
                        .withAsPath(64511, 64512, 64513, 64514, 64515, 64516)
                        .withCommunities("65000:" + n, "65000:200")
                        .withLargeCommunities("65000:" + n + ":8")
                        .withMed(n * 10L + 1));
    }

    /** What Ribbit must hold for {@code sent}: the daemon's ASN in front of the path, all else as sent. */
    static Route asReceived(Kind k, Route sent) {
        return new Route(sent.prefix(), sent.nextHop(), sent.pathAsSentBy(k.asn), sent.communities(),
                sent.largeCommunities(), sent.med());
    }

    static Map<String, Route> expected(Kind k, List<Route> sent) {
        Map<String, Route> m = new TreeMap<>();
        sent.forEach(r -> m.put(r.prefix(), asReceived(k, r)));
        return m;
    }

    // ============================================================================================
    // (a) passive, (b) routes, (c) hold time, (d) daemon stop

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    @DisplayName("daemon connects to passive Ribbit; routes and withdrawals in the Adj-RIB-In and events; "
            + "hold 3 s kept for 3 hold times; daemon stop gives a down event and an empty Adj-RIB-In")
    void daemonConnectsToRibbit(Kind kind) throws Exception {
        kind.assumeAvailable();
        try (Ribbit ribbit = new Ribbit(kind, neighbor(kind, 0, false, false), true)) {
            Peering peering = Peering.active(kind.address, Peering.freePort(kind.address), kind.asn,
                    RIBBIT_ADDRESS, ribbit.port(), RIBBIT_ASN);
            assertEquals(HOLD_TIME, peering.holdTime());
            try (BgpDaemon daemon = kind.create(peering)) {
                long t0 = System.nanoTime();
                daemon.start();
                ribbit.awaitEstablished(daemon);
                long established = System.nanoTime();
                daemon.awaitEstablished(ESTABLISH);
                report(kind, "passive: Established %d ms after start (daemon started in %d ms)",
                        ms(established - t0), daemon.startDuration().toMillis());

                // (a) the daemon opened the connection, Ribbit accepted it
                assertEquals(1.0, ribbit.sessionsEstablished("inbound"), "one inbound session");
                assertEquals(0.0, ribbit.sessionsEstablished("outbound"), "no outbound session");
                // The event is written by the event writer thread, maybe a little after the state
                // changed (CI once read the file before it had the event: an empty list).
                ribbit.awaitTrue("the connected event written", () -> !ribbit.stateEvents().isEmpty(), daemon);
                JsonNode connected = ribbit.stateEvents().get(0);
                assertEquals("connected", connected.path("state").asText(), connected.toString());
                assertEquals(HOLD_TIME, connected.path("hold_time").asInt(), "negotiated hold time: " + connected);
                assertEquals(Set.of("ipv4-unicast", "ipv6-unicast"),
                        Set.of(connected.path("families").asText().split(",")), "families: " + connected);
                assertTrue(ribbit.port() >= 1024, "unprivileged port " + ribbit.port());
                JsonNode sentOpen = ribbit.events("OPEN").stream()
                        .filter(e -> "sent".equals(e.path("direction").asText())).findFirst().orElseThrow();
                assertFalse(sentOpen.path("capabilities").has("64"),
                        "graceful-restart: false, so no GR capability in Ribbit's OPEN: " + sentOpen);

                // (b) announce, check both views, withdraw, check both views
                List<Route> routes = routes(kind);
                Map<String, Route> want = expected(kind, routes);
                long t1 = System.nanoTime();
                daemon.announce(routes);
                ribbit.awaitRib(want, daemon);
                ribbit.awaitEventTable(want, daemon);
                report(kind, "routes in Adj-RIB-In and events %d ms after announce", ms(System.nanoTime() - t1));
                assertEquals(want.keySet(), ribbit.prefixesAnnouncedInEvents(), "every prefix the events announced");
                ribbit.assertPathsAreSequences();
                t1 = System.nanoTime();
                daemon.withdraw(routes);
                ribbit.awaitRib(Map.of(), daemon);
                ribbit.awaitEventTable(Map.of(), daemon);
                assertTrue(ribbit.prefixesWithdrawnInEvents().containsAll(want.keySet()),
                        "withdrawals in events: " + ribbit.prefixesWithdrawnInEvents());
                assertEquals(0, ribbit.peer().rib().size(), "Adj-RIB-In empty after the withdrawal");
                report(kind, "withdrawals in Adj-RIB-In and events %d ms after withdraw", ms(System.nanoTime() - t1));

                // one route back, so that stopping the daemon has something to flush
                Route kept = routes.get(0);
                daemon.announce(List.of(kept));
                ribbit.awaitRib(expected(kind, List.of(kept)), daemon);

                // (c) three hold times without a reset: keepalives work in both directions
                long holdEnd = established + TimeUnit.SECONDS.toNanos(3L * HOLD_TIME) + TimeUnit.MILLISECONDS.toNanos(500);
                while (System.nanoTime() < holdEnd) {
                    assertEquals(SessionState.ESTABLISHED, ribbit.state(), "Ribbit's session during 3 hold times");
                    Thread.sleep(200);
                }
                assertTrue(daemon.sessionEstablished(), kind + " still Established after three hold times");
                assertEquals(SessionState.ESTABLISHED, ribbit.state());
                assertEquals(List.of("connected"), ribbit.peerStates(), "no session reset in "
                        + ms(System.nanoTime() - established) + " ms");
                int keepalivesIn = ribbit.events("KEEPALIVE").size();
                double keepalivesOut = ribbit.messagesSent("keepalive");
                report(kind, "held %d ms with hold time %d s: %d KEEPALIVEs received, %.0f sent",
                        ms(System.nanoTime() - established), HOLD_TIME, keepalivesIn, keepalivesOut);
                assertTrue(keepalivesIn >= 3, "KEEPALIVEs from " + kind + ": " + keepalivesIn);
                assertTrue(keepalivesOut >= 3, "KEEPALIVEs to " + kind + ": " + keepalivesOut);

                // (d) the daemon goes away: down event, routes flushed (no graceful restart)
                long t2 = System.nanoTime();
                daemon.stop();
                ribbit.awaitPeerStates(List.of("connected", "down"), daemon);
                ribbit.awaitTrue("Adj-RIB-In flushed", () -> ribbit.peer().rib().size() == 0, daemon);
                assertNotEquals(SessionState.ESTABLISHED, ribbit.state());
                JsonNode down = ribbit.stateEvents().get(1);
                report(kind, "stopped: down event and empty Adj-RIB-In %d ms after stop(); %s", ms(System.nanoTime() - t2),
                        down.path("reason").asText() + " " + down.path("notification"));
                assertEquals(0, ribbit.peer().rib().staleCount());
            }
        }
    }

    // ============================================================================================
    // (a) active, (d) Ribbit's shutdown

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("Ribbit (mode active) connects to the daemon; Daemon.close() reaches it as Cease 6/2 with the shutdown message")
    void ribbitConnectsToDaemon(Kind kind) throws Exception {
        kind.assumeAvailable();
        Peering peering = Peering.passive(kind.address, Peering.freePort(kind.address), kind.asn, RIBBIT_ADDRESS,
                RIBBIT_ASN);
        try (BgpDaemon daemon = kind.create(peering)) {
            daemon.start();
            try (Ribbit ribbit = new Ribbit(kind, neighbor(kind, peering.localPort(), false, false), false)) {
                long t0 = System.nanoTime();
                ribbit.awaitEstablished(daemon);
                daemon.awaitEstablished(ESTABLISH);
                report(kind, "active: Established %d ms after Ribbit started", ms(System.nanoTime() - t0));
                assertEquals(1.0, ribbit.sessionsEstablished("outbound"), "one outbound session");
                assertEquals(0.0, ribbit.sessionsEstablished("inbound"), "no inbound session");
                assertTrue(ribbit.daemon.peers().listenAddresses().isEmpty(), "Ribbit does not listen here");

                Route route = routes(kind).get(1);
                daemon.announce(List.of(route));
                ribbit.awaitRib(expected(kind, List.of(route)), daemon);

                long t1 = System.nanoTime();
                ribbit.shutdown();
                daemon.await(PROPAGATE, kind + " to report Ribbit's shutdown communication",
                        () -> daemon.receivedShutdownCommunication().isPresent());
                assertEquals(Optional.of(SHUTDOWN_MESSAGE), daemon.receivedShutdownCommunication(),
                        "what " + kind + " reports having received");
                daemon.await(PROPAGATE, kind + " to see the session down", () -> !daemon.sessionEstablished());
                report(kind, "Ribbit shutdown: %s reports \"%s\" %d ms after Daemon.close()", kind,
                        daemon.receivedShutdownCommunication().orElse(""), ms(System.nanoTime() - t1));

                // Ribbit's own record of it (the sinks are flushed by close())
                List<JsonNode> cease = ribbit.events("NOTIFICATION").stream()
                        .filter(e -> e.path("notification").path("code").asInt() == 6).toList();
                assertEquals(1, cease.size(), "one Cease in the events: " + cease);
                assertEquals("sent", cease.get(0).path("direction").asText(), cease.get(0).toString());
                JsonNode n = cease.get(0).path("notification");
                assertEquals(2, n.path("subcode").asInt(), n.toString());
                assertEquals(SHUTDOWN_MESSAGE, n.path("shutdown_message").asText(), n.toString());
                List<JsonNode> states = ribbit.stateEvents();
                assertEquals(List.of("connected", "down"), states.stream().map(s -> s.path("state").asText()).toList());
                assertEquals("shutdown", states.get(1).path("reason").asText(), states.get(1).toString());
            }
        }
    }

    // ============================================================================================
    // ADD-PATH receive

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("ADD-PATH receive: GoBGP sends two paths per prefix, Ribbit keeps both under distinct path ids")
    void addPathReceive() throws Exception {
        Kind kind = Kind.GOBGP;
        kind.assumeAvailable();
        Peering peering = Peering.passive(kind.address, Peering.freePort(kind.address), kind.asn, RIBBIT_ADDRESS,
                RIBBIT_ASN).withAddPathSend(true);
        try (BgpDaemon gobgp = kind.create(peering)) {
            gobgp.start();
            try (Ribbit ribbit = new Ribbit(kind, neighbor(kind, peering.localPort(), false, true), false)) {
                ribbit.awaitEstablished(gobgp);
                JsonNode open = ribbit.events("OPEN").stream()
                        .filter(e -> "received".equals(e.path("direction").asText())).findFirst().orElseThrow();
                assertTrue(open.path("capabilities").has("69"), "GoBGP offers ADD-PATH: " + open);

                Route v4a = Route.of("10.23.9.0/24", "192.0.2.23").withAsPath(64601, 64602).withMed(10);
                Route v4b = Route.of("10.23.9.0/24", "192.0.2.123").withAsPath(64701, 64702, 64703).withMed(20);
                Route v6a = Route.of("2001:db8:23:9::/64", "2001:db8::23").withAsPath(64601).withMed(30);
                Route v6b = Route.of("2001:db8:23:9::/64", "2001:db8::123").withAsPath(64701, 64702).withMed(40);
                gobgpAdd(gobgp, v4a, 1);
                gobgpAdd(gobgp, v4b, 2);
                gobgpAdd(gobgp, v6a, 1);
                gobgpAdd(gobgp, v6b, 2);

                ribbit.awaitTrue("four paths in the Adj-RIB-In", () -> ribbit.ribByKey().size() == 4, gobgp);
                Map<String, Route> rib = ribbit.ribByKey();
                for (List<Route> pair : List.of(List.of(v4a, v4b), List.of(v6a, v6b))) {
                    String prefix = pair.get(0).prefix();
                    List<String> keys = rib.keySet().stream().filter(k -> k.startsWith(prefix + "#")).toList();
                    assertEquals(2, keys.size(), prefix + ": two entries with path ids: " + rib.keySet());
                    assertEquals(Set.of(asReceived(kind, pair.get(0)), asReceived(kind, pair.get(1))),
                            Set.of(rib.get(keys.get(0)), rib.get(keys.get(1))), prefix + ": both paths");
                    report(kind, "ADD-PATH: %s held as %s", prefix, keys);
                }
                ribbit.awaitEventTable(rib, gobgp);
                List<JsonNode> withIds = new ArrayList<>();
                for (JsonNode e : ribbit.events("UPDATE")) {
                    for (JsonNode a : e.path("announcements")) {
                        if (a.has("path_ids")) {
                            withIds.add(a);
                        }
                    }
                }
                assertFalse(withIds.isEmpty(), "announcements carry path_ids");

                // withdrawing one path removes exactly that path id
                String v4bKey = rib.entrySet().stream().filter(e -> e.getValue().equals(asReceived(kind, v4b)))
                        .map(Map.Entry::getKey).findFirst().orElseThrow();
                Cli.check(gobgp(gobgp, "global", "rib", "del", "-a", "ipv4", v4a.prefix(), "identifier", "1"));
                ribbit.awaitTrue("one IPv4 path withdrawn", () -> ribbit.ribByKey().size() == 3, gobgp);
                Map<String, Route> after = ribbit.ribByKey();
                assertEquals(asReceived(kind, v4b), after.get(v4bKey), "the other path, same path id: " + after);
                ribbit.awaitEventTable(after, gobgp);
                boolean withdrawnWithId = ribbit.events("UPDATE").stream()
                        .flatMap(e -> stream(e.path("withdrawn"))).anyMatch(w -> w.has("path_ids"));
                assertTrue(withdrawnWithId, "the withdrawal event names the path id");
            }
        }
    }

    // ============================================================================================
    // Graceful restart helper

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @DisplayName("graceful restart helper: GoBGP killed, routes kept stale, End-of-RIB after its return sweeps and refreshes them")
    void gracefulRestartHelper() throws Exception {
        Kind kind = Kind.GOBGP;
        kind.assumeAvailable();
        try (Ribbit ribbit = new Ribbit(kind, neighbor(kind, 0, true, false), true)) {
            Peering peering = Peering.active(kind.address, Peering.freePort(kind.address), kind.asn, RIBBIT_ADDRESS,
                    ribbit.port(), RIBBIT_ASN).withGracefulRestart(true);
            Route a = Route.of("10.23.1.0/24", "192.0.2.23").withAsPath(64501, 64502).withCommunities("65000:1")
                    .withMed(1);
            Route b = Route.of("10.23.2.0/24", "192.0.2.23").withAsPath(64501, 64503);
            Route c = Route.of("2001:db8:23:1::/64", "2001:db8::23").withAsPath(64501, 64504);
            try (BgpDaemon gobgp = kind.create(peering)) {
                gobgp.start();
                gobgp.announce(List.of(a, b, c)); // GoBGP connects 5-10 s after start: the routes go out at once
                ribbit.awaitEstablished(gobgp);
                ribbit.awaitRib(expected(kind, List.of(a, b, c)), gobgp);
                ribbit.awaitTrue("End-of-RIB for both families",
                        () -> ribbit.endOfRibs().containsAll(List.of("ipv4-unicast", "ipv6-unicast")), gobgp);
                JsonNode open = ribbit.events("OPEN").stream()
                        .filter(e -> "received".equals(e.path("direction").asText())).findFirst().orElseThrow();
                JsonNode gr = open.path("capabilities").path("64");
                assertTrue(gr.path("families").size() >= 2, "GoBGP's graceful restart capability: " + gr);
                report(kind, "GR: GoBGP's capability %s", gr);
                assertEquals(0, ribbit.peer().rib().staleCount());

                // SIGKILL: the TCP connection ends without a NOTIFICATION
                sigkill(gobgp);
                long killed = System.nanoTime();
                ribbit.awaitPeerStates(List.of("connected", "down"), gobgp);
                ribbit.awaitTrue("routes marked stale", () -> ribbit.peer().rib().staleCount() == 3, gobgp);
                JsonNode down = ribbit.stateEvents().get(1);
                assertTrue(down.path("notification").isMissingNode(), "no NOTIFICATION: " + down);
                assertEquals(3, ribbit.peer().rib().size(), "routes kept");
                ribbit.forEachRoute((key, route) -> assertTrue(route.stale(), key + " stale"));
                report(kind, "GR: killed; %d routes kept, %d stale (%s)", ribbit.peer().rib().size(),
                        ribbit.peer().rib().staleCount(), down.path("reason").asText());

                // Back: a re-announced with a new MED, c unchanged, b not at all. GoBGP's new OPEN has
                // the F bit clear for both families (as bird's and FRR's do), so RFC 4724 §4.2 would let
                // the helper drop the stale routes already at re-establishment; Ribbit keeps them until
                // End-of-RIB. Either way the end state is the one checked here.
                gobgp.stop(); // reaps the killed process, removes its directory
                Route a2 = a.withMed(2);
                gobgp.start();
                gobgp.announce(List.of(a2, c));
                int eorsBefore = ribbit.endOfRibs().size();
                ribbit.awaitPeerStates(List.of("connected", "down", "connected"), gobgp);
                ribbit.awaitRib(expected(kind, List.of(a2, c)), gobgp);
                ribbit.awaitTrue("no stale route left", () -> ribbit.peer().rib().staleCount() == 0, gobgp);
                ribbit.forEachRoute((key, route) -> assertFalse(route.stale(), key + " not stale"));
                assertTrue(ribbit.endOfRibs().size() >= eorsBefore + 2, "End-of-RIB again: " + ribbit.endOfRibs());
                report(kind, "GR: back after %d ms; %d routes, %d stale; %s swept, %s refreshed",
                        ms(System.nanoTime() - killed), ribbit.peer().rib().size(), ribbit.peer().rib().staleCount(),
                        b.prefix(), a2.prefix() + " " + c.prefix());
            }
        }
    }

    // ============================================================================================
    // RFC 7606 treat-as-withdraw

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("RFC 7606: ExaBGP sends a MED of bad length; Ribbit treats the UPDATE as withdraw and keeps the session")
    void malformedUpdateIsTreatAsWithdraw() throws Exception {
        Kind kind = Kind.EXABGP;
        kind.assumeAvailable();
        try (Ribbit ribbit = new Ribbit(kind, neighbor(kind, 0, false, false), true)) {
            Peering peering = Peering.active(kind.address, Peering.freePort(kind.address), kind.asn, RIBBIT_ADDRESS,
                    ribbit.port(), RIBBIT_ASN);
            try (ExaBgp exabgp = (ExaBgp) kind.create(peering)) {
                exabgp.start();
                ribbit.awaitEstablished(exabgp);
                Route good = Route.of("10.25.1.0/24", "192.0.2.25").withAsPath(64501).withMed(1);
                // No MED of its own: ExaBGP keeps a route's own "med" and drops the raw one instead of replacing it.
                Route bad = Route.of("10.25.2.0/24", "192.0.2.25").withAsPath(64502);
                exabgp.announce(List.of(good, bad));
                ribbit.awaitRib(expected(kind, List.of(good, bad)), exabgp);

                exabgp.announceWithRawAttributes(bad, List.of(RawAttribute.medWithBadLength()));
                ribbit.awaitRib(expected(kind, List.of(good)), exabgp);
                ribbit.awaitEventTable(expected(kind, List.of(good)), exabgp);
                List<JsonNode> taw = ribbit.events("UPDATE").stream()
                        .filter(e -> e.path("treat_as_withdraw").asBoolean(false)).toList();
                assertEquals(1, taw.size(), "one treat-as-withdraw UPDATE event: " + taw);
                JsonNode e = taw.get(0);
                assertEquals("treat-as-withdraw", e.path("error_action").asText(), e.toString());
                assertEquals(4, e.path("errors").path(0).path("attribute").asInt(), "MULTI_EXIT_DISC: " + e);
                assertTrue(stream(e.path("announcements")).flatMap(x -> stream(x.path("prefixes")))
                        .anyMatch(p -> p.asText().equals(bad.prefix())), "the event names the prefix: " + e);
                report(kind, "treat-as-withdraw: %s", e.path("errors").path(0).path("detail").asText());

                // no session reset, and the session still carries UPDATEs
                assertEquals(SessionState.ESTABLISHED, ribbit.state());
                assertTrue(exabgp.sessionEstablished());
                assertEquals(List.of("connected"), ribbit.peerStates(), "no session reset");
                assertTrue(ribbit.events("NOTIFICATION").isEmpty(), "no NOTIFICATION: " + ribbit.events("NOTIFICATION"));
                exabgp.announce(List.of(bad));
                ribbit.awaitRib(expected(kind, List.of(good, bad)), exabgp);
                assertEquals(List.of("connected"), ribbit.peerStates(), "no session reset");
            }
        }
    }

    // ============================================================================================
    // Ribbit under test

    /** A neighbor entry; {@code activePort} > 0 makes Ribbit connect to the daemon on that port. */
    static String neighbor(Kind k, int activePort, boolean gracefulRestart, boolean addPathReceive) {
        StringBuilder s = new StringBuilder();
        s.append("  - address: ").append(k.address).append('\n');
        s.append("    remote-as: ").append(k.asn).append('\n');
        if (activePort > 0) {
            s.append("    mode: active\n");
            s.append("    port: ").append(activePort).append('\n');
            s.append("    local-address: ").append(RIBBIT_ADDRESS).append('\n');
        } else {
            s.append("    mode: passive\n");
        }
        s.append("    hold-time: ").append(HOLD_TIME).append('\n');
        s.append("    connect-retry: 1\n");
        s.append("    idle-hold-time: 1\n");
        s.append("    graceful-restart: ").append(gracefulRestart).append('\n');
        s.append("    add-path-receive: ").append(addPathReceive).append('\n');
        s.append("    description: \"").append(k.label).append(" interop\"\n");
        return s.toString();
    }

    /** A Ribbit {@link Daemon} with one neighbor and a JSON-lines event file in a private directory. */
    private static final class Ribbit implements AutoCloseable {
        final Kind kind;
        final Path dir;
        final Path eventsFile;
        final Daemon daemon;

        Ribbit(Kind kind, String neighbor, boolean listen) throws Exception {
            this.kind = kind;
            this.dir = Files.createTempDirectory("ribbit-interop-" + kind.label + "-");
            this.eventsFile = dir.resolve("events.jsonl");
            List<String> yaml = new ArrayList<>(List.of(
                    "name: ribbit-interop",
                    "router-id: " + RIBBIT_ROUTER_ID,
                    "local-as: " + RIBBIT_ASN));
            if (listen) {
                yaml.add("listen: [\"" + RIBBIT_ADDRESS + ":0\"]");
            }
            yaml.add("shutdown-message: \"" + SHUTDOWN_MESSAGE + "\"");
            yaml.add("neighbors:");
            yaml.add(neighbor);
            yaml.add("events:");
            yaml.add("  - type: file");
            yaml.add("    path: \"" + eventsFile + "\"");
            Daemon d = null;
            try {
                d = new Daemon(ConfigLoader.parse(String.join("\n", yaml) + "\n", "interop-" + kind.label + ".yaml"));
                d.start();
            } catch (Exception | Error e) {
                if (d != null) {
                    d.close();
                }
                deleteTree(dir);
                throw e;
            }
            this.daemon = d;
        }

        int port() {
            return daemon.peers().listenAddresses().get(0).getPort();
        }

        Peer peer() {
            Peer p = daemon.peers().peer(kind.inet());
            assertNotNull(p, "Ribbit has no peer " + kind.address);
            return p;
        }

        /** The peer's state, read on its event loop (the field is confined to it). */
        SessionState state() {
            Peer p = peer();
            try {
                return p.loop().submit(p::state).get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            } catch (ExecutionException | TimeoutException e) {
                throw new AssertionError("cannot read the peer state", e);
            }
        }

        double sessionsEstablished(String direction) {
            Counter c = daemon.registry().find(RibbitMeters.SESSION_ESTABLISHED.meterName()).tag("peer", kind.address)
                    .tag("direction", direction).counter();
            return c == null ? 0 : c.count();
        }

        double messagesSent(String type) {
            Counter c = daemon.registry().find(RibbitMeters.MESSAGES_SENT.meterName()).tag("peer", kind.address)
                    .tag("type", type).counter();
            return c == null ? 0 : c.count();
        }

        void forEachRoute(java.util.function.BiConsumer<RouteKey, io.ribbit.rib.Route> visitor) {
            for (AfiSafi f : FAMILIES) {
                peer().rib().forEach(f, visitor);
            }
        }

        /** The Adj-RIB-In as harness routes, keyed by prefix, or {@code prefix#pathId} with ADD-PATH. */
        Map<String, Route> ribByKey() {
            Map<String, Route> out = new TreeMap<>();
            for (AfiSafi f : peer().rib().families()) {
                assertTrue(FAMILIES.contains(f), "unexpected family " + f);
            }
            forEachRoute((key, route) -> out.put(key(key.prefix(), Integer.toUnsignedLong(key.pathId())),
                    toRoute(key.prefix(), route)));
            return out;
        }

        void assertPathsAreSequences() {
            forEachRoute((key, route) -> {
                AsPath path = route.attributes().asPath();
                assertNotNull(path, key + " has an AS path");
                assertTrue(path.segments().stream().allMatch(s -> s.type() == AsPath.AS_SEQUENCE),
                        key + ": one AS_SEQUENCE: " + path);
            });
        }

        /** Every event about this peer (the {@code data} objects), in order; complete lines only. */
        List<JsonNode> events() {
            List<JsonNode> out = new ArrayList<>();
            if (!Files.exists(eventsFile)) {
                return out;
            }
            String text;
            try {
                text = Files.readString(eventsFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int end = text.lastIndexOf('\n');
            if (end < 0) {
                return out;
            }
            for (String line : text.substring(0, end).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode event = BgpDaemon.json(line);
                assertEquals("ris_message", event.path("type").asText(), line);
                JsonNode data = event.path("data");
                if (kind.address.equals(data.path("peer").asText())) {
                    out.add(data);
                }
            }
            return out;
        }

        List<JsonNode> events(String type) {
            return events().stream().filter(e -> type.equals(e.path("type").asText())).toList();
        }

        List<JsonNode> stateEvents() {
            return events("RIS_PEER_STATE");
        }

        List<String> peerStates() {
            return stateEvents().stream().map(e -> e.path("state").asText()).toList();
        }

        /** Families of the End-of-RIB markers received, in order. */
        List<String> endOfRibs() {
            return events("UPDATE").stream().filter(e -> e.has("end_of_rib")).map(e -> e.path("end_of_rib").asText())
                    .toList();
        }

        /**
         * The Adj-RIB-In as the UPDATE events describe it: replayed in order, withdrawals (with their
         * path ids) removing, announcements replacing, treat-as-withdraw announcements removing.
         */
        Map<String, Route> eventTable() {
            Map<String, Route> table = new TreeMap<>();
            for (JsonNode e : events("UPDATE")) {
                for (JsonNode w : e.path("withdrawn")) {
                    keys(w).forEach(table::remove);
                }
                boolean treatAsWithdraw = e.path("treat_as_withdraw").asBoolean(false);
                for (JsonNode a : e.path("announcements")) {
                    List<String> keys = keys(a);
                    JsonNode prefixes = a.path("prefixes");
                    for (int i = 0; i < keys.size(); i++) {
                        if (treatAsWithdraw) {
                            table.remove(keys.get(i));
                        } else {
                            table.put(keys.get(i), eventRoute(prefixes.get(i).asText(), a.path("next_hop").asText(), e));
                        }
                    }
                }
            }
            return table;
        }

        Set<String> prefixesAnnouncedInEvents() {
            Set<String> out = new TreeSet<>();
            for (JsonNode e : events("UPDATE")) {
                stream(e.path("announcements")).flatMap(a -> stream(a.path("prefixes"))).forEach(p -> out.add(p.asText()));
            }
            return out;
        }

        Set<String> prefixesWithdrawnInEvents() {
            Set<String> out = new TreeSet<>();
            for (JsonNode e : events("UPDATE")) {
                e.path("withdrawals").forEach(p -> out.add(p.asText()));
            }
            return out;
        }

        void awaitEstablished(BgpDaemon d) {
            awaitEquals("Ribbit's session with " + d + " Established", true, () -> state() == SessionState.ESTABLISHED, d,
                    ESTABLISH);
        }

        void awaitRib(Map<String, Route> want, BgpDaemon d) {
            awaitEquals("Ribbit's Adj-RIB-In", want, this::ribByKey, d, PROPAGATE);
        }

        void awaitEventTable(Map<String, Route> want, BgpDaemon d) {
            awaitEquals("the routes in Ribbit's UPDATE events", want, this::eventTable, d, PROPAGATE);
        }

        /** Session state changes can wait for a daemon's (re)connection: GoBGP's takes 5-10 s. */
        void awaitPeerStates(List<String> want, BgpDaemon d) {
            awaitEquals("RIS_PEER_STATE events", want, this::peerStates, d, ESTABLISH);
        }

        void awaitTrue(String what, BooleanSupplier condition, BgpDaemon d) {
            awaitEquals(what, true, condition::getAsBoolean, d, PROPAGATE);
        }

        /** Polls until {@code actual} equals {@code want}; fails with the last value and the daemon's log. */
        <T> void awaitEquals(String what, T want, Supplier<T> actual, BgpDaemon d, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            T last = actual.get();
            while (!want.equals(last) && System.nanoTime() < deadline) {
                BgpDaemon.sleep(50);
                last = actual.get();
            }
            assertEquals(want, last, () -> what + " (waited " + timeout.toSeconds() + " s); " + d + " log:\n"
                    + BgpDaemon.tail(d.log()));
        }

        /** {@link Daemon#close()}: Cease 6/2 with the shutdown message to the peer, events flushed. */
        void shutdown() {
            daemon.close();
        }

        @Override
        public void close() {
            daemon.close();
            if (!"1".equals(System.getenv(BgpDaemon.KEEP_ENV))) {
                deleteTree(dir);
            }
        }
    }

    // ============================================================================================
    // Helpers

    static String key(String prefix, long pathId) {
        return pathId == 0 ? prefix : prefix + "#" + pathId;
    }

    /** The keys of an {@code announcements}/{@code withdrawn} entry: its prefixes with their path ids. */
    static List<String> keys(JsonNode entry) {
        List<String> out = new ArrayList<>();
        JsonNode prefixes = entry.path("prefixes");
        JsonNode ids = entry.path("path_ids");
        for (int i = 0; i < prefixes.size(); i++) {
            out.add(key(prefixes.get(i).asText(), ids.isArray() ? ids.get(i).asLong() : 0));
        }
        return out;
    }

    /** A route as an UPDATE event shows it. */
    static Route eventRoute(String prefix, String nextHop, JsonNode e) {
        List<Long> path = new ArrayList<>();
        for (JsonNode asn : e.path("path")) {
            assertTrue(asn.isNumber(), "an AS_SET where a sequence was sent: " + e);
            path.add(asn.asLong());
        }
        List<String> communities = new ArrayList<>();
        e.path("community").forEach(c -> communities.add(c.get(0).asLong() + ":" + c.get(1).asLong()));
        List<String> large = new ArrayList<>();
        e.path("large_community").forEach(c -> large.add(c.get(0).asLong() + ":" + c.get(1).asLong() + ":"
                + c.get(2).asLong()));
        OptionalLong med = e.has("med") ? OptionalLong.of(e.path("med").asLong()) : OptionalLong.empty();
        return new Route(prefix, firstNextHop(nextHop), path, communities, large, med);
    }

    /** A route as Ribbit's Adj-RIB-In holds it. */
    static Route toRoute(String prefix, io.ribbit.rib.Route r) {
        PathAttributes a = r.attributes();
        List<Long> path = new ArrayList<>();
        if (a.asPath() != null) {
            for (long asn : a.asPath().asns()) {
                path.add(asn);
            }
        }
        List<String> communities = new ArrayList<>();
        Communities c = a.communities();
        if (c != null) {
            for (int v : c.values()) {
                communities.add((v >>> 16) + ":" + (v & 0xFFFF));
            }
        }
        List<String> large = new ArrayList<>();
        LargeCommunities lc = a.largeCommunities();
        if (lc != null) {
            for (int i = 0; i < lc.size(); i++) {
                large.add(lc.get(i, 0) + ":" + lc.get(i, 1) + ":" + lc.get(i, 2));
            }
        }
        long med = a.med();
        return new Route(prefix, firstNextHop(r.nextHopText()), path, communities, large,
                med < 0 ? OptionalLong.empty() : OptionalLong.of(med));
    }

    /** The global next hop (an IPv6 link-local one follows after a comma). */
    static String firstNextHop(String text) {
        int comma = text.indexOf(',');
        return comma < 0 ? text : text.substring(0, comma);
    }

    static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out.stream();
    }

    /** {@code gobgp global rib add} with a local path identifier, so one prefix can have several paths. */
    static void gobgpAdd(BgpDaemon gobgp, Route r, int identifier) {
        List<String> args = new ArrayList<>(List.of("global", "rib", "add", "-a", r.isIpv6() ? "ipv6" : "ipv4"));
        List<String> route = GoBgp.ribAddArguments(r);
        args.add(route.get(0));
        args.add("identifier");
        args.add(Integer.toString(identifier));
        args.addAll(route.subList(1, route.size()));
        Cli.check(gobgp(gobgp, args.toArray(String[]::new)));
    }

    static List<String> gobgp(BgpDaemon gobgp, String... args) {
        List<String> cmd = new ArrayList<>(List.of(GoBgp.GOBGP, "--target", "unix://" + gobgp.dir().resolve("gobgp.sock")));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** SIGKILL to the daemon's processes (found by their private directory on the command line). */
    static void sigkill(BgpDaemon d) throws Exception {
        String dir = d.dir().toString();
        List<ProcessHandle> procs = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(dir)).toList();
        assertFalse(procs.isEmpty(), "no process of " + d + " found");
        procs.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : procs) {
            p.onExit().get(10, TimeUnit.SECONDS);
        }
        assertFalse(d.isRunning(), d + " killed");
    }

    static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }

    static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    static void report(Kind kind, String format, Object... args) {
        System.out.printf("[%s] %s%n", kind, String.format(format, args));
    }
}
