package io.ribbit.collector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.NotificationMessage;
import io.ribbit.codec.message.OpenMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.collector.config.ConfigLoader;
import io.ribbit.collector.peer.Peer;
import io.ribbit.collector.peer.SessionState;
import io.ribbit.rib.Route;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon end to end over loopback: a real {@link Daemon} (listeners, event loops, event file,
 * metrics) and real BGP speakers ({@link TestSpeaker}) on 127.0.0.x addresses.
 */
@Timeout(120)
class DaemonEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SHUTDOWN_MESSAGE = "maintenance: Ribbit upgrade — back in 5 minutes";

    @TempDir
    Path dir;

    private final Closer open = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        open.close();
    }

    private Path events() {
        return dir.resolve("events.jsonl");
    }

    /** Starts a daemon with these neighbors (YAML list items) and listen addresses. */
    private Daemon daemon(String listen, String neighbors) throws Exception {
        StringBuilder y = new StringBuilder();
        y.append("name: e2e\n");
        y.append("router-id: 192.0.2.1\n");
        y.append("local-as: 64512\n");
        y.append("listen: ").append(listen).append('\n');
        y.append("http: \"127.0.0.1:0\"\n");
        y.append("shutdown-message: \"").append(SHUTDOWN_MESSAGE).append("\"\n");
        y.append("neighbors:\n");
        y.append(neighbors);
        y.append("events:\n  - type: file\n    path: \"").append(events()).append("\"\n");
        Daemon d = new Daemon(ConfigLoader.parse(y.toString(), "e2e.yaml"));
        open.push(d);
        d.start();
        return d;
    }

    /** Starts a daemon with these neighbors listening on 127.0.0.1, a free port. */
    private Daemon daemon(String neighbors) throws Exception {
        return daemon("[\"127.0.0.1:0\"]", neighbors);
    }

    private static InetSocketAddress bgp(Daemon d) {
        return d.peers().listenAddresses().get(0);
    }

    private TestSpeaker speaker(TestTable t, long asn, String ip, Daemon d) throws IOException {
        TestSpeaker s = TestSpeaker.connect(t, dir, asn, ip, bgp(d));
        open.push(s);
        return s;
    }

    private static Peer peer(Daemon d, String ip) throws IOException {
        Peer p = d.peers().peer(InetAddress.getByName(ip));
        assertNotNull(p, "peer " + ip + " configured");
        return p;
    }

    private static Map<String, Route> rib(Peer p, AfiSafi f) {
        Map<String, Route> m = new HashMap<>();
        p.rib().forEach(f, (k, r) -> m.put(k.prefix(), r));
        return m;
    }

    private static void awaitFullTable(Peer p, TestTable t, TestSpeaker s) {
        Await.until("Established with " + p.name(), WAIT, () -> p.state() == SessionState.ESTABLISHED,
                () -> p + " " + s.summary());
        Await.until(t.size() + " routes from " + p.name(), WAIT, () -> p.rib().size() == t.size(),
                () -> p.rib().size() + " routes, " + p);
    }

    @Test
    @DisplayName("a table over a real session: exact Adj-RIB-In, events for every prefix and End-of-RIB both ways;"
            + " the speaker closing gives a down event and an empty Adj-RIB-In")
    void tableInAndOut() throws Exception {
        TestTable table = TestTable.generate(600, 7, 64500);
        Daemon d = daemon("""
                  - address: 127.0.0.2
                    remote-as: 64500
                    description: "feeder a"
                """);
        TestSpeaker s = speaker(table, 64500, "127.0.0.2", d);
        Peer p = peer(d, "127.0.0.2");
        awaitFullTable(p, table, s);
        assertEquals(table.updates(), s.awaitSent(WAIT), "UPDATEs the speaker sent");

        // Ingest runs below the HTTP loop's priority (in effect with -XX:ThreadPriorityPolicy=1).
        Map<String, Integer> priorities = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("ribbit-peer") || t.getName().startsWith("ribbit-accept")) {
                priorities.merge(t.getName().startsWith("ribbit-peer") ? "peer" : "accept", t.getPriority(), Math::max);
            }
        }
        assertEquals(Map.of("peer", Thread.MIN_PRIORITY, "accept", Thread.NORM_PRIORITY), priorities);

        // The Adj-RIB-In holds exactly the routes sent, with their attributes.
        Map<String, Route> rib = rib(p, AfiSafi.IPV4_UNICAST);
        assertEquals(table.rows().keySet(), rib.keySet());
        for (TestTable.Row row : table.rows().values()) {
            Route r = rib.get(row.prefix());
            assertArrayEquals(row.path(), r.attributes().asPath().asns(), row.prefix() + " AS path");
            assertEquals("127.0.0.2", r.nextHopText(), row.prefix() + " next hop");
            assertEquals(row.med(), r.attributes().med(), row.prefix() + " MED");
            assertEquals(row.origin(), r.attributes().origin().toString(), row.prefix() + " origin");
        }
        assertEquals(List.of(AfiSafi.IPV4_UNICAST), List.copyOf(p.rib().families()));
        assertEquals(Set.of(AfiSafi.IPV4_UNICAST), p.negotiatedFamilies(), "IPv6 configured, not negotiated");

        // Ribbit sent its OPEN and End-of-RIB for the one negotiated family (RFC 4724 §2).
        Await.until("End-of-RIB at the speaker", WAIT, () -> !s.endOfRibs().isEmpty(), s::summary);
        assertEquals(List.of(AfiSafi.IPV4_UNICAST), s.endOfRibs());
        assertEquals(1, s.opensReceived());
        OpenMessage ours = (OpenMessage) s.received().get(0);
        assertEquals(64512, ours.asn());

        // Events: connected, UPDATEs covering the table, the peer's End-of-RIB.
        Path ev = events();
        Await.until("End-of-RIB event", WAIT, () -> EventLines.any(ev, n -> "ipv4-unicast".equals(
                n.path("end_of_rib").asText())));
        List<JsonNode> states = EventLines.of(ev, "RIS_PEER_STATE");
        assertEquals(1, states.size(), states.toString());
        JsonNode up = states.get(0);
        assertEquals("connected", up.get("state").asText());
        assertEquals("127.0.0.2", up.get("peer").asText());
        assertEquals("64500", up.get("peer_asn").asText());
        assertEquals("e2e", up.get("host").asText());
        assertEquals("ipv4-unicast", up.get("families").asText());
        Set<String> announced = new HashSet<>();
        int updates = 0;
        for (JsonNode u : EventLines.of(ev, "UPDATE")) {
            updates++;
            for (JsonNode a : u.path("announcements")) {
                assertEquals("127.0.0.2", a.get("next_hop").asText());
                for (JsonNode pfx : a.get("prefixes")) {
                    assertTrue(announced.add(pfx.asText()), "announced once: " + pfx);
                }
            }
        }
        assertEquals(table.rows().keySet(), announced);
        assertEquals(table.updates() + 1, updates, "one event per UPDATE, End-of-RIB included");
        JsonNode first = EventLines.of(ev, "UPDATE").get(0);
        TestTable.Row r0 = table.row(first.at("/announcements/0/prefixes/0").asText());
        assertEquals(r0.path()[1], first.at("/path/1").asLong());
        assertEquals(r0.origin(), first.get("origin").asText());

        // The speaker goes away (TCP close, no NOTIFICATION): down event with the reason; routes flushed.
        s.close();
        Await.until("down event", WAIT, () -> EventLines.of(ev, "RIS_PEER_STATE").size() == 2);
        JsonNode down = EventLines.of(ev, "RIS_PEER_STATE").get(1);
        assertEquals("down", down.get("state").asText());
        assertEquals("tcp-closed", down.get("reason").asText());
        assertEquals("connection closed by peer", down.get("detail").asText());
        Await.until("Adj-RIB-In flushed", WAIT, () -> p.rib().size() == 0, () -> p.rib().size() + " routes");
        Await.until("passive neighbor back to Active", WAIT, () -> p.state() == SessionState.ACTIVE, p::toString);
    }

    @Test
    @DisplayName("Daemon.close() sends Cease 6/2 with the configured RFC 9003 shutdown message")
    void closeSendsAdministrativeShutdown() throws Exception {
        TestTable table = TestTable.generate(50, 10, 64501);
        Daemon d = daemon("""
                  - address: 127.0.0.3
                    remote-as: 64501
                    families: [ipv4-unicast]
                """);
        TestSpeaker s = speaker(table, 64501, "127.0.0.3", d);
        Peer p = peer(d, "127.0.0.3");
        awaitFullTable(p, table, s);
        Await.until("End-of-RIB at the speaker", WAIT, () -> !s.endOfRibs().isEmpty(), s::summary);

        d.close();
        NotificationMessage n = s.awaitNotification(WAIT);
        assertEquals(6, n.code());
        assertEquals(2, n.subcode());
        assertEquals(SHUTDOWN_MESSAGE, n.shutdownMessage());
        List<BgpMessage> got = s.received();
        assertEquals(n, got.get(got.size() - 1), "the NOTIFICATION is the last message");
        s.speaker().closeFuture().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

        // The event file is complete once close() returns: the NOTIFICATION sent and the down event.
        List<JsonNode> notes = EventLines.of(events(), "NOTIFICATION");
        assertEquals(1, notes.size(), notes.toString());
        assertEquals("sent", notes.get(0).get("direction").asText());
        assertEquals(SHUTDOWN_MESSAGE, notes.get(0).at("/notification/shutdown_message").asText());
        JsonNode down = EventLines.of(events(), "RIS_PEER_STATE").get(1);
        assertEquals("down", down.get("state").asText());
        assertEquals("shutdown", down.get("reason").asText());
        assertEquals(SHUTDOWN_MESSAGE, down.at("/notification/shutdown_message").asText());
    }

    @Test
    @DisplayName("a connection from an unconfigured address is closed before any BGP and counted")
    void unknownSourceRejected() throws Exception {
        Daemon d = daemon("""
                  - address: 127.0.0.2
                    remote-as: 64500
                """);
        Counter rejected = d.registry().find("ribbit.connections.rejected").counter();
        assertNotNull(rejected);
        assertEquals(0, rejected.count());
        try (Socket sock = new Socket()) {
            sock.bind(new InetSocketAddress("127.0.0.99", 0));
            sock.connect(bgp(d), 5000);
            sock.setSoTimeout(30_000);
            int b;
            try (InputStream in = sock.getInputStream()) {
                b = in.read();
            } catch (SocketException reset) {
                b = -1; // closed with a reset: still no BGP
            }
            assertEquals(-1, b, "the collector must close without sending anything (no OPEN)");
        }
        Await.until("rejected counter", WAIT, () -> rejected.count() == 1, () -> "count " + rejected.count());
        String scrape = Http.get(d.httpAddress(), "/metrics").body();
        assertEquals(1.0, MetricsText.parse(scrape).value("ribbit_connections_rejected_total"));
        assertNull(d.peers().peer(InetAddress.getByName("127.0.0.99")));
        assertFalse(EventLines.any(events(), n -> "127.0.0.99".equals(n.path("peer").asText())));
    }

    @Test
    @DisplayName("max-prefixes 100: warning event at 90%, then Cease 6/1 with AFI 1, SAFI 1, limit 100 (RFC 4486)"
            + " and reconnects refused for max-prefixes-restart")
    void maxPrefixes() throws Exception {
        TestTable table = TestTable.generate(400, 7, 64504);
        Daemon d = daemon("""
                  - address: 127.0.0.4
                    remote-as: 64504
                    families: [ipv4-unicast]
                    max-prefixes: 100
                    max-prefixes-restart: 600
                """);
        TestSpeaker s = speaker(table, 64504, "127.0.0.4", d);
        Peer p = peer(d, "127.0.0.4");
        NotificationMessage n = s.awaitNotification(WAIT);
        assertEquals(6, n.code());
        assertEquals(1, n.subcode());
        assertArrayEquals(new byte[] {0, 1, 1, 0, 0, 0, 100}, n.data(), "AFI 1, SAFI 1, upper bound 100");
        s.speaker().closeFuture().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

        Path ev = events();
        Await.until("down event", WAIT, () -> EventLines.any(ev, e -> "down".equals(e.path("state").asText())));
        List<JsonNode> alerts = EventLines.of(ev, "PEER_ALERT");
        assertEquals(1, alerts.size(), alerts.toString());
        JsonNode alert = alerts.get(0);
        assertEquals("max-prefixes-warning", alert.get("alert").asText());
        assertEquals(100, alert.get("limit").asLong());
        long at = alert.get("routes").asLong();
        assertTrue(at >= 90 && at <= 100, "warned at " + at + " routes");
        JsonNode down = EventLines.of(ev, "RIS_PEER_STATE").get(1);
        assertEquals("max-prefixes", down.get("reason").asText());
        // 7 routes per UPDATE: the 15th UPDATE crosses the limit, and nothing after it is applied.
        assertEquals("105 routes exceed max-prefixes 100", down.get("detail").asText());
        long applied = EventLines.of(ev, "UPDATE").stream()
                .mapToLong(u -> u.path("announcements").path(0).path("prefixes").size()).sum();
        assertEquals(105, applied, "UPDATE events after the Cease");
        assertEquals(1, down.at("/notification/subcode").asInt());
        Await.until("routes flushed", WAIT, () -> p.rib().size() == 0, () -> p.rib().size() + " routes");
        assertEquals(1.0, d.registry().get("ribbit.peer.max.prefixes.warnings").tag("peer", "127.0.0.4").counter()
                .count());
        assertEquals(1.0, d.registry().get("ribbit.peer.notifications.sent").tag("peer", "127.0.0.4")
                .tag("code", "6").tag("subcode", "1").counter().count());

        // Within max-prefixes-restart a new connection is refused with Cease 6/5.
        TestSpeaker again = speaker(table, 64504, "127.0.0.4", d);
        NotificationMessage refused = again.awaitNotification(WAIT);
        assertEquals(6, refused.code());
        assertEquals(5, refused.subcode());
        assertEquals(0, p.rib().size());
    }

    @Test
    @DisplayName("active mode: Ribbit connects to a listening speaker and receives its table")
    void activeMode() throws Exception {
        TestTable table = TestTable.generate(120, 9, 64505);
        TestSpeaker s = TestSpeaker.listen(table, dir, 64505, "127.0.0.5");
        open.push(s);
        Daemon d = daemon("[]", """
                  - address: 127.0.0.5
                    remote-as: 64505
                    mode: active
                    port: %d
                    local-address: 127.0.0.1
                    connect-retry: 1
                    families: [ipv4-unicast]
                """.formatted(s.listenAddress().getPort()));
        assertTrue(d.peers().listenAddresses().isEmpty());
        Peer p = peer(d, "127.0.0.5");
        awaitFullTable(p, table, s);
        assertEquals(table.rows().keySet(), rib(p, AfiSafi.IPV4_UNICAST).keySet());
        Await.until("End-of-RIB at the speaker", WAIT, () -> !s.endOfRibs().isEmpty(), s::summary);
        assertEquals(1.0, d.registry().get("ribbit.peer.session.established").tag("peer", "127.0.0.5")
                .tag("direction", "outbound").counter().count());
    }
}
