package io.ribbit.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ribbit.codec.attr.Communities;
import io.ribbit.codec.capability.Capability;
import io.ribbit.codec.error.BgpError;
import io.ribbit.codec.message.KeepaliveMessage;
import io.ribbit.codec.message.NotificationMessage;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.collector.config.ConfigLoader;
import io.ribbit.collector.demo.TableSpeaker;
import io.ribbit.collector.peer.Peer;
import io.ribbit.collector.peer.SessionState;
import io.ribbit.rib.Route;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ribbit as a graceful-restart helper (RFC 4724 §4.2, RFC 8538, RFC 9494) over real BGP sessions
 * on loopback: a {@link TestSpeaker} advertising the Graceful Restart capability (and Long-Lived
 * GR) drops its connection, sends NOTIFICATIONs, comes back with or without the F bit.
 */
@Timeout(90)
class GracefulRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int F_BIT = 0x80;
    private static final long ASN = 64520;
    private static final String IP = "127.0.0.2";

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

    private Daemon daemon() throws Exception {
        String y = """
                name: gr
                router-id: 192.0.2.1
                local-as: 64512
                listen: ["127.0.0.1:0"]
                http: "127.0.0.1:0"
                neighbors:
                  - address: %s
                    remote-as: %d
                    families: [ipv4-unicast]
                events:
                  - type: file
                    path: "%s"
                """.formatted(IP, ASN, events());
        Daemon d = new Daemon(ConfigLoader.parse(y, "gr.yaml"));
        open.push(d);
        d.start();
        return d;
    }

    /** GR capability (RFC 4724 §3) for IPv4 unicast, with the F bit when {@code forwarding}. */
    private static Capability gr(int flags, int restartTime, boolean forwarding) {
        return new Capability.GracefulRestart(flags, restartTime,
                List.of(new Capability.GracefulRestart.Family(AfiSafi.IPV4_UNICAST, forwarding ? F_BIT : 0)));
    }

    /** LLGR capability (RFC 9494 §2) for IPv4 unicast, F bit set. */
    private static Capability llgr(int staleTime) {
        return new Capability.LongLivedGracefulRestart(
                List.of(new Capability.LongLivedGracefulRestart.Family(AfiSafi.IPV4_UNICAST, F_BIT, staleTime)));
    }

    private TestSpeaker speaker(Daemon d, TestTable t, Consumer<TableSpeaker> setup) throws Exception {
        TestSpeaker s = TestSpeaker.connect(t, dir, ASN, IP, d.peers().listenAddresses().get(0), setup);
        open.push(s);
        return s;
    }

    private static Peer peer(Daemon d) throws Exception {
        Peer p = d.peers().peer(InetAddress.getByName(IP));
        assertNotNull(p);
        return p;
    }

    private static Map<String, Route> rib(Peer p) {
        Map<String, Route> m = new HashMap<>();
        p.rib().forEach(AfiSafi.IPV4_UNICAST, (k, r) -> m.put(k.prefix(), r));
        return m;
    }

    private static long count(Peer p, java.util.function.Predicate<Route> what) {
        return rib(p).values().stream().filter(what).count();
    }

    private static String state(Peer p) {
        return p + ": " + p.rib().size() + " routes, " + p.rib().staleCount() + " stale, "
                + count(p, Route::llgrStale) + " long-lived stale";
    }

    /** Established, the full table in, nothing stale. */
    private static void awaitTable(Peer p, TestTable t, TestSpeaker s) {
        Await.until("Established", WAIT, () -> p.state() == SessionState.ESTABLISHED, () -> p + " " + s.summary());
        Await.until(t.size() + " routes", WAIT, () -> p.rib().size() == t.size() && count(p, Route::stale) == 0,
                () -> state(p));
        assertEquals(0, p.rib().staleCount());
    }

    private List<JsonNode> downEvents() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode n : EventLines.of(events(), "RIS_PEER_STATE")) {
            if ("down".equals(n.path("state").asText())) {
                out.add(n);
            }
        }
        return out;
    }

    private JsonNode awaitDown(int n) {
        Await.until(n + " down event(s)", WAIT, () -> downEvents().size() >= n);
        return downEvents().get(n - 1);
    }

    private List<JsonNode> staleRemovedEvents() {
        return EventLines.of(events(), "PEER_ALERT").stream()
                .filter(n -> "stale-routes-removed".equals(n.path("alert").asText())).toList();
    }

    /**
     * Waits for exactly {@code expected} stale-routes-removed events (docs/events.md) and checks the
     * last: IPv4 unicast, {@code routes} and {@code reason}.
     */
    private void assertStaleRemovedEvent(int expected, int routes, String reason) {
        Await.until(expected + " stale-routes-removed event(s)", WAIT, () -> staleRemovedEvents().size() >= expected,
                () -> staleRemovedEvents().toString());
        Await.holds("no other stale-routes-removed event", Duration.ofMillis(200),
                () -> staleRemovedEvents().size() == expected, () -> staleRemovedEvents().toString());
        JsonNode e = staleRemovedEvents().get(expected - 1);
        assertEquals("ipv4-unicast", e.path("afi_safi").asText(), e.toString());
        assertEquals(routes, e.path("routes").asInt(), e.toString());
        assertEquals(reason, e.path("reason").asText(), e.toString());
    }

    /** Every route kept and stale (not long-lived stale): RFC 4724 §4.2. */
    private static void assertAllStale(Peer p, TestTable t) {
        Await.until("all routes stale", WAIT, () -> p.rib().staleCount() == t.size(), () -> state(p));
        Map<String, Route> rib = rib(p);
        assertEquals(t.rows().keySet(), rib.keySet());
        assertTrue(rib.values().stream().allMatch(Route::stale), state(p));
        assertFalse(rib.values().stream().anyMatch(Route::llgrStale), state(p));
    }

    @Test
    @DisplayName("RFC 4724 §4.2: connection lost without NOTIFICATION keeps the routes stale; the speaker returns"
            + " within the restart time, re-announces a subset and End-of-RIB: exactly the subset remains")
    void retainedAcrossRestart() throws Exception {
        TestTable table = TestTable.generate(300, 7, ASN);
        TestTable subset = TestTable.generate(120, 7, ASN);
        Daemon d = daemon();
        TestSpeaker s = speaker(d, table, sp -> sp.capabilities(List.of(gr(0, 5, true))));
        Peer p = peer(d);
        awaitTable(p, table, s);

        s.speaker().abort();
        JsonNode down = awaitDown(1);
        assertTrue(down.path("notification").isMissingNode(), down.toString());
        assertAllStale(p, table);
        assertEquals(table.size(), p.rib().staleCount());

        // Back within the restart time (5 s); End-of-RIB withheld at first.
        TestSpeaker again = speaker(d, subset, sp -> sp.capabilities(List.of(gr(FLAG_RESTART, 5, true)))
                .endOfRib(false));
        Await.until("Established again", WAIT, () -> p.state() == SessionState.ESTABLISHED, () -> state(p));
        Await.until("subset re-announced", WAIT, () -> count(p, r -> !r.stale()) == subset.size(), () -> state(p));
        assertEquals(table.size(), p.rib().size(), "stale routes wait for End-of-RIB");
        // Past the restart time: the timer was stopped by the re-establishment, nothing is removed.
        Await.holds("stale routes kept until End-of-RIB", Duration.ofSeconds(6),
                () -> p.rib().size() == table.size() && p.rib().staleCount() == table.size() - subset.size(),
                () -> state(p));

        again.speaker().sendEndOfRib();
        Await.until("stale routes swept by End-of-RIB", WAIT,
                () -> p.rib().size() == subset.size() && p.rib().staleCount() == 0, () -> state(p));
        Map<String, Route> rib = rib(p);
        assertEquals(subset.rows().keySet(), rib.keySet());
        assertFalse(rib.values().stream().anyMatch(r -> r.stale() || r.llgrStale()), state(p));
        assertStaleRemovedEvent(1, table.size() - subset.size(), "end-of-rib");
    }

    private static final int FLAG_RESTART = Capability.GracefulRestart.FLAG_RESTART;
    private static final int FLAG_N = Capability.GracefulRestart.FLAG_NOTIFICATION;

    @Test
    @DisplayName("RFC 4724 §4.2: the speaker does not return: stale routes removed when the restart time (2 s) ends")
    void removedAfterRestartTime() throws Exception {
        TestTable table = TestTable.generate(200, 9, ASN);
        Daemon d = daemon();
        TestSpeaker s = speaker(d, table, sp -> sp.capabilities(List.of(gr(0, 2, true))));
        Peer p = peer(d);
        awaitTable(p, table, s);

        long t0 = System.nanoTime();
        s.speaker().abort();
        awaitDown(1);
        assertAllStale(p, table);
        Await.until("stale routes removed", WAIT, () -> p.rib().size() == 0, () -> state(p));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 1900, "removed after " + ms + " ms, before the restart time");
        assertEquals(0, p.rib().staleCount());
        assertStaleRemovedEvent(1, table.size(), "restart-time-expired");
    }

    @Test
    @DisplayName("RFC 9494: with LLGR stale time 3 s the routes become long-lived stale after the restart time (2 s),"
            + " then are removed after the stale time")
    void longLivedStale() throws Exception {
        TestTable table = TestTable.generate(200, 9, ASN);
        Daemon d = daemon();
        TestSpeaker s = speaker(d, table, sp -> sp.capabilities(List.of(gr(0, 2, true), llgr(3))));
        Peer p = peer(d);
        awaitTable(p, table, s);

        long t0 = System.nanoTime();
        s.speaker().abort();
        awaitDown(1);
        assertAllStale(p, table);
        Await.until("long-lived stale", WAIT, () -> count(p, Route::llgrStale) == table.size(), () -> state(p));
        long llMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(llMs >= 1900, "long-lived stale after " + llMs + " ms, before the restart time");
        assertEquals(table.size(), p.rib().size());
        assertEquals(table.size(), p.rib().staleCount());
        assertTrue(rib(p).values().stream().allMatch(Route::stale));

        Await.until("long-lived stale routes removed", WAIT, () -> p.rib().size() == 0, () -> state(p));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 4900, "removed after " + ms + " ms, before restart time + LLGR stale time");
        assertEquals(0, p.rib().staleCount());
        assertStaleRemovedEvent(1, table.size(), "long-lived-stale-time-expired");
    }

    @Test
    @DisplayName("RFC 9494 §4.2: routes with NO_LLGR (65535:7) are kept stale during the restart time (2 s), then"
            + " removed when long-lived graceful restart begins; the others become long-lived stale")
    void noLlgrRemovedWhenLongLivedBegins() throws Exception {
        Daemon d = daemon();
        ScriptedSpeaker sp = open.push(new ScriptedSpeaker(IP));
        ScriptedSpeaker.Conn c = sp.connect(d.peers().listenAddresses().get(0));
        c.awaitOpen(WAIT);
        // 6 plain routes (10.0.0-5.0/24) and 4 with NO_LLGR next to another community (10.1.0-3.0/24).
        c.send(ScriptedSpeaker.open(ASN, IP, gr(0, 2, true), llgr(30)), KeepaliveMessage.INSTANCE,
                sp.update(ASN, 0, 6), sp.update(ASN, 1, 4, Communities.NO_LLGR, 0xFDE80064),
                UpdateMessage.endOfRib(AfiSafi.IPV4_UNICAST));
        Peer p = peer(d);
        Await.until("Established with 10 routes", WAIT,
                () -> p.state() == SessionState.ESTABLISHED && p.rib().size() == 10, () -> state(p));

        long t0 = System.nanoTime();
        c.abort();
        awaitDown(1);
        Await.until("all 10 routes stale, NO_LLGR ones too", WAIT, () -> p.rib().staleCount() == 10, () -> state(p));
        assertEquals(0, count(p, Route::llgrStale));
        Await.until("long-lived stale", WAIT, () -> count(p, Route::llgrStale) == 6, () -> state(p));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 1900, "long-lived after " + ms + " ms, before the restart time");
        Map<String, Route> rib = rib(p);
        assertEquals(6, rib.size(), state(p));
        assertTrue(rib.keySet().stream().allMatch(k -> k.startsWith("10.0.")), rib.keySet().toString());
        assertTrue(rib.values().stream().allMatch(r -> r.stale() && r.llgrStale()), state(p));
        assertEquals(6, p.rib().staleCount());
        assertStaleRemovedEvent(1, 4, "no-llgr");
    }

    @Test
    @DisplayName("RFC 9494 §4.2: Restart Time 0 with LLGR stale time 3 s: long-lived stale at once, removed after 3 s")
    void longLivedStaleWithZeroRestartTime() throws Exception {
        TestTable table = TestTable.generate(200, 9, ASN);
        Daemon d = daemon();
        TestSpeaker s = speaker(d, table, sp -> sp.capabilities(List.of(gr(0, 0, true), llgr(3))));
        Peer p = peer(d);
        awaitTable(p, table, s);

        long t0 = System.nanoTime();
        s.speaker().abort();
        awaitDown(1);
        Await.until("long-lived stale", Duration.ofSeconds(2), () -> count(p, Route::llgrStale) == table.size(),
                () -> state(p));
        assertEquals(table.size(), p.rib().staleCount());
        Await.until("long-lived stale routes removed", WAIT, () -> p.rib().size() == 0, () -> state(p));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 2900, "removed after " + ms + " ms, before the LLGR stale time");
        assertEquals(0, p.rib().staleCount());
    }

    @Test
    @DisplayName("RFC 9494: the speaker returns while the routes are long-lived stale: End-of-RIB leaves exactly"
            + " what it re-announced")
    void returnDuringLongLivedStale() throws Exception {
        TestTable table = TestTable.generate(200, 9, ASN);
        TestTable subset = TestTable.generate(50, 9, ASN);
        Daemon d = daemon();
        TestSpeaker s = speaker(d, table, sp -> sp.capabilities(List.of(gr(0, 1, true), llgr(30))));
        Peer p = peer(d);
        awaitTable(p, table, s);

        s.speaker().abort();
        awaitDown(1);
        Await.until("long-lived stale", WAIT, () -> count(p, Route::llgrStale) == table.size(), () -> state(p));
        speaker(d, subset, sp -> sp.capabilities(List.of(gr(FLAG_RESTART, 1, true), llgr(30))));
        Await.until("subset only, fresh", WAIT, () -> p.rib().size() == subset.size() && p.rib().staleCount() == 0,
                () -> state(p));
        assertEquals(subset.rows().keySet(), rib(p).keySet());
        assertFalse(rib(p).values().stream().anyMatch(r -> r.stale() || r.llgrStale()));
    }

    @Test
    @DisplayName("RFC 4724 §4.2: the connection drops again before End-of-RIB: everything kept stale again; the"
            + " next End-of-RIB leaves exactly what was re-announced")
    void dropAgainBeforeEndOfRib() throws Exception {
        TestTable table = TestTable.generate(300, 7, ASN);
        TestTable subset = TestTable.generate(120, 7, ASN);
        TestTable smaller = TestTable.generate(40, 7, ASN);
        Daemon d = daemon();
        TestSpeaker s = speaker(d, table, sp -> sp.capabilities(List.of(gr(0, 5, true))));
        Peer p = peer(d);
        awaitTable(p, table, s);

        s.speaker().abort();
        awaitDown(1);
        assertAllStale(p, table);
        TestSpeaker again = speaker(d, subset, sp -> sp.capabilities(List.of(gr(FLAG_RESTART, 5, true)))
                .endOfRib(false));
        Await.until("subset re-announced", WAIT, () -> count(p, r -> !r.stale()) == subset.size(), () -> state(p));
        again.speaker().abort();
        awaitDown(2);
        assertAllStale(p, table);

        speaker(d, smaller, sp -> sp.capabilities(List.of(gr(FLAG_RESTART, 5, true))));
        Await.until("smaller table only", WAIT, () -> p.rib().size() == smaller.size() && p.rib().staleCount() == 0,
                () -> state(p));
        assertEquals(smaller.rows().keySet(), rib(p).keySet());
    }

    /** Establishes with {@code flags} in the GR capability (restart time 30 s), then the speaker sends {@code n}. */
    private Peer notificationFromSpeaker(int flags, NotificationMessage n, TestTable table) throws Exception {
        Daemon d = daemon();
        TestSpeaker s = speaker(d, table, sp -> sp.capabilities(List.of(gr(flags, 30, true))));
        Peer p = peer(d);
        awaitTable(p, table, s);
        s.speaker().notifyAndClose(n);
        JsonNode down = awaitDown(1);
        assertEquals("notification-received", down.path("reason").asText(), down.toString());
        assertEquals(n.code(), down.at("/notification/code").asInt());
        assertEquals(n.subcode(), down.at("/notification/subcode").asInt());
        return p;
    }

    @Test
    @DisplayName("RFC 4724: a NOTIFICATION (Cease 6/2) without the N bit flushes the routes at once")
    void notificationWithoutNBitFlushes() throws Exception {
        TestTable table = TestTable.generate(150, 9, ASN);
        Peer p = notificationFromSpeaker(0, new NotificationMessage(BgpError.ADMINISTRATIVE_SHUTDOWN, null), table);
        Await.until("routes flushed", Duration.ofSeconds(3), () -> p.rib().size() == 0, () -> state(p));
        assertEquals(0, p.rib().staleCount());
    }

    @Test
    @DisplayName("RFC 8538 §5: with the N bit exchanged, Cease 6/2 keeps the routes stale")
    void notificationWithNBitRetains() throws Exception {
        TestTable table = TestTable.generate(150, 9, ASN);
        Peer p = notificationFromSpeaker(FLAG_N, new NotificationMessage(BgpError.ADMINISTRATIVE_SHUTDOWN, null),
                table);
        assertAllStale(p, table);
        Await.holds("routes kept stale", Duration.ofSeconds(2),
                () -> p.rib().size() == table.size() && p.rib().staleCount() == table.size(), () -> state(p));
    }

    @Test
    @DisplayName("RFC 8538 §5: with the N bit exchanged, Cease 6/9 Hard Reset flushes the routes at once")
    void hardResetFlushes() throws Exception {
        TestTable table = TestTable.generate(150, 9, ASN);
        Peer p = notificationFromSpeaker(FLAG_N, new NotificationMessage(BgpError.HARD_RESET, null), table);
        Await.until("routes flushed", Duration.ofSeconds(3), () -> p.rib().size() == 0, () -> state(p));
        assertEquals(0, p.rib().staleCount());
    }

    @Test
    @DisplayName("RFC 4724 §4.2: the speaker returns with the F bit clear: stale routes removed at once on"
            + " re-establishment, without waiting for End-of-RIB")
    void forwardingNotPreserved() throws Exception {
        TestTable table = TestTable.generate(300, 7, ASN);
        TestTable subset = TestTable.generate(100, 7, ASN);
        Daemon d = daemon();
        TestSpeaker s = speaker(d, table, sp -> sp.capabilities(List.of(gr(0, 30, true))));
        Peer p = peer(d);
        awaitTable(p, table, s);

        s.speaker().abort();
        awaitDown(1);
        assertAllStale(p, table);

        // End-of-RIB never sent: only the F bit can explain the stale routes going.
        speaker(d, subset, sp -> sp.capabilities(List.of(gr(FLAG_RESTART, 30, false))).endOfRib(false));
        Await.until("Established again", WAIT, () -> p.state() == SessionState.ESTABLISHED, () -> state(p));
        Await.until("stale routes removed, subset in", WAIT,
                () -> p.rib().size() == subset.size() && p.rib().staleCount() == 0, () -> state(p));
        assertEquals(subset.rows().keySet(), rib(p).keySet());
        assertFalse(rib(p).values().stream().anyMatch(Route::stale));
        assertStaleRemovedEvent(1, table.size(), "forwarding-not-preserved");
    }
}
