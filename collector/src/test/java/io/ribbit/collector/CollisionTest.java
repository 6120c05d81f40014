package io.ribbit.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.ribbit.codec.message.KeepaliveMessage;
import io.ribbit.codec.message.NotificationMessage;
import io.ribbit.codec.message.OpenMessage;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.collector.config.ConfigLoader;
import io.ribbit.collector.peer.Peer;
import io.ribbit.collector.peer.SessionState;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 4271 §6.8 connection collision over real sockets: neighbor mode {@code both}, so Ribbit
 * connects to the speaker while the speaker connects to Ribbit. A {@link ScriptedSpeaker} sends
 * each OPEN and KEEPALIVE only when the test says, after Ribbit has answered the previous step,
 * so the order Ribbit sees them in is fixed and the RFC fixes the loser:
 *
 * <ul>
 *   <li>both connections have exchanged OPENs (OpenConfirm) before either is confirmed: the
 *       connection initiated by the side with the higher BGP Identifier (unsigned) survives,
 *       whichever OPEN came first;
 *   <li>one connection is Established when the other's OPEN arrives: the new one is closed,
 *       whatever the identifiers say.
 * </ul>
 *
 * <p>In every case exactly one session is Established, the loser got Cease 6/7 (no KEEPALIVE
 * after its OPEN unless it had been confirmed before the other OPEN arrived), the events show one
 * {@code connected} state and no {@code down}, nothing goes Idle, and Ribbit does not reconnect.
 * {@code -Dribbit.test.repeat=N} runs every ordering N times.
 */
@Timeout(300)
class CollisionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PEER_IP = "127.0.0.61";
    private static final long PEER_AS = 64561;
    private static final int ROUTES = 20;
    private static final int REPEAT = Integer.getInteger("ribbit.test.repeat", 1);

    /**
     * Which side has the higher BGP Identifier. In both pairs one identifier is negative as a Java
     * int, so a signed comparison would pick the wrong side.
     */
    enum Ids {
        RIBBIT_HIGHER("192.0.2.1", "127.0.0.61"),
        PEER_HIGHER("10.0.0.1", "192.0.2.61");

        final String ribbit;
        final String peer;

        Ids(String ribbit, String peer) {
            this.ribbit = ribbit;
            this.peer = peer;
        }
    }

    /** Which connection's OPEN Ribbit receives (and confirms) first. */
    enum Order {
        PEER_INITIATED_FIRST, RIBBIT_INITIATED_FIRST
    }

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

    private Daemon daemon(String routerId, int speakerPort) throws Exception {
        String y = """
                name: collision
                router-id: %s
                local-as: 64512
                listen: ["127.0.0.1:0"]
                neighbors:
                  - address: %s
                    remote-as: %d
                    mode: both
                    port: %d
                    families: [ipv4-unicast]
                events:
                  - type: file
                    path: "%s"
                """.formatted(routerId, PEER_IP, PEER_AS, speakerPort, events());
        Daemon d = new Daemon(ConfigLoader.parse(y, "collision.yaml"));
        open.push(d);
        d.start();
        return d;
    }

    /** The scripted peer, Ribbit, and both connections with Ribbit's OPEN received on each (OpenSent). */
    private record Setup(ScriptedSpeaker speaker, Daemon daemon, Peer peer, ScriptedSpeaker.Conn ribbitInitiated,
            ScriptedSpeaker.Conn peerInitiated) {
    }

    private Setup ribbitInitiatedOnly(Ids ids) throws Exception {
        ScriptedSpeaker speaker = open.push(new ScriptedSpeaker(PEER_IP));
        InetSocketAddress listening = speaker.listen();
        Daemon d = daemon(ids.ribbit, listening.getPort());
        ScriptedSpeaker.Conn out = speaker.awaitAccepted(WAIT);
        assertEquals(ids.ribbit, out.awaitOpen(WAIT).bgpIdentifierText());
        Peer p = d.peers().peer(InetAddress.getByName(PEER_IP));
        assertNotNull(p);
        return new Setup(speaker, d, p, out, null);
    }

    private static ScriptedSpeaker.Conn connectToRibbit(Setup s) throws Exception {
        ScriptedSpeaker.Conn in = s.speaker.connect(s.daemon.peers().listenAddresses().get(0));
        in.awaitOpen(WAIT);
        return in;
    }

    private static OpenMessage peerOpen(Ids ids) {
        return ScriptedSpeaker.open(PEER_AS, ids.peer);
    }

    static Stream<Arguments> orderings() {
        List<Arguments> out = new ArrayList<>();
        for (int round = 1; round <= REPEAT; round++) {
            for (Ids ids : Ids.values()) {
                for (Order order : Order.values()) {
                    out.add(Arguments.of(ids, order, round));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, {1} (round {2})")
    @MethodSource("orderings")
    @DisplayName("RFC 4271 §6.8: both connections in OpenConfirm: the connection initiated by the side with the"
            + " higher BGP Identifier survives, whichever OPEN arrived first; the other gets Cease 6/7")
    void identifierDecides(Ids ids, Order order, int round) throws Exception {
        Setup s0 = ribbitInitiatedOnly(ids);
        Setup s = new Setup(s0.speaker, s0.daemon, s0.peer, s0.ribbitInitiated, connectToRibbit(s0));
        ScriptedSpeaker.Conn first = order == Order.PEER_INITIATED_FIRST ? s.peerInitiated : s.ribbitInitiated;
        ScriptedSpeaker.Conn second = first == s.peerInitiated ? s.ribbitInitiated : s.peerInitiated;

        first.send(peerOpen(ids));
        first.awaitKeepalive(WAIT); // Ribbit accepted the OPEN and confirmed it: OpenConfirm
        assertEquals(List.of("OPEN", "KEEPALIVE"), first.types());
        second.send(peerOpen(ids));

        ScriptedSpeaker.Conn loser = ids == Ids.RIBBIT_HIGHER ? s.peerInitiated : s.ribbitInitiated;
        ScriptedSpeaker.Conn winner = loser == s.peerInitiated ? s.ribbitInitiated : s.peerInitiated;
        awaitClosedWithCease(loser);
        // The connection whose OPEN lost was never confirmed; the one already in OpenConfirm had been.
        assertEquals(loser == second ? List.of("OPEN", "NOTIFICATION 6/7") : List.of("OPEN", "KEEPALIVE",
                "NOTIFICATION 6/7"), loser.types(), loser.toString());
        winner.awaitKeepalive(WAIT);
        establishWith(s, winner);
        assertOneSession(s, winner == s.ribbitInitiated, "bgp-identifier");
    }

    @Test
    @DisplayName("RFC 4271 §6.8: Ribbit's connection Established, then the peer connects: the new connection is"
            + " tracked until its OPEN, then closed with Cease 6/7 although the peer's identifier is higher")
    void establishedOutboundWins() throws Exception {
        Ids ids = Ids.PEER_HIGHER; // the identifier rule alone would keep the peer's connection
        Setup s0 = ribbitInitiatedOnly(ids);
        s0.ribbitInitiated.send(peerOpen(ids));
        s0.ribbitInitiated.awaitKeepalive(WAIT);
        establishWith(s0, s0.ribbitInitiated);

        ScriptedSpeaker.Conn in = connectToRibbit(s0);
        Await.holds("the new connection gets OPEN and waits for ours (no early NOTIFICATION)",
                Duration.ofMillis(300), () -> in.types().equals(List.of("OPEN")), in::toString);
        in.send(peerOpen(ids));
        awaitClosedWithCease(in);
        assertEquals(List.of("OPEN", "NOTIFICATION 6/7"), in.types());
        assertOneSession(new Setup(s0.speaker, s0.daemon, s0.peer, s0.ribbitInitiated, in), true, "established");
    }

    @Test
    @DisplayName("RFC 4271 §6.8: the peer's connection Established while Ribbit's waits for an OPEN: Ribbit's is"
            + " closed with Cease 6/7 when the OPEN comes, although Ribbit's identifier is higher")
    void establishedInboundWins() throws Exception {
        Ids ids = Ids.RIBBIT_HIGHER; // the identifier rule alone would keep Ribbit's connection
        Setup s0 = ribbitInitiatedOnly(ids);
        ScriptedSpeaker.Conn in = connectToRibbit(s0);
        Setup s = new Setup(s0.speaker, s0.daemon, s0.peer, s0.ribbitInitiated, in);
        in.send(peerOpen(ids));
        in.awaitKeepalive(WAIT);
        establishWith(s, in);

        s.ribbitInitiated.send(peerOpen(ids));
        awaitClosedWithCease(s.ribbitInitiated);
        assertEquals(List.of("OPEN", "NOTIFICATION 6/7"), s.ribbitInitiated.types());
        assertOneSession(s, false, "established");
    }

    /**
     * The setup of the test this class replaces: two real {@link TestSpeaker}s (one listening, one
     * connecting) that answer every OPEN with a KEEPALIVE at once, so which connection is
     * confirmed first is a race. Either loser is right only where the RFC allows it: a collision
     * decided by the identifiers must close the connection the lower identifier initiated; one
     * decided because a connection was already Established closes the newer one, whichever it is.
     */
    @ParameterizedTest(name = "{0} (round {1})")
    @MethodSource("freeRunning")
    @DisplayName("RFC 4271 §6.8 with speakers that answer at once: one session survives with the full table, the"
            + " other connection gets Cease 6/7, and the loser is the one the rule that applied names")
    void freeRunningSpeakers(Ids ids, int round) throws Exception {
        TestTable t = TestTable.generate(ROUTES, 10, 64700);
        String ribbitId = ids == Ids.RIBBIT_HIGHER ? "192.0.2.1" : "10.0.0.1"; // the speakers' id is 127.0.0.61
        TestSpeaker listening = open.push(TestSpeaker.listen(t, dir, PEER_AS, PEER_IP));
        Daemon d = daemon(ribbitId, listening.listenAddress().getPort());
        TestSpeaker connecting = open.push(TestSpeaker.connect(t, dir, PEER_AS, PEER_IP,
                d.peers().listenAddresses().get(0)));
        Peer p = d.peers().peer(InetAddress.getByName(PEER_IP));
        Await.until("one collision resolved", WAIT, () -> total(d, "ribbit.peer.session.collisions") == 1.0,
                () -> p + " " + listening.summary() + " " + connecting.summary());
        Counter c = d.registry().find("ribbit.peer.session.collisions").tag("peer", PEER_IP).counters().stream()
                .filter(x -> x.count() > 0).findFirst().orElseThrow();
        String rule = c.getId().getTag("rule");
        boolean outboundClosed = "outbound".equals(c.getId().getTag("closed"));
        switch (rule) {
            case "bgp-identifier" -> assertEquals(ids == Ids.PEER_HIGHER, outboundClosed,
                    "the identifiers decided: the connection the lower identifier initiated must be closed");
            case "established" -> { } // the newer connection, whichever it is
            default -> fail("unexpected collision rule " + rule);
        }
        TestSpeaker loser = outboundClosed ? listening : connecting;
        TestSpeaker winner = outboundClosed ? connecting : listening;
        Await.until("Cease 6/7 at the loser", WAIT, () -> loser.received().stream()
                .anyMatch(m -> m instanceof NotificationMessage n && n.code() == 6 && n.subcode() == 7),
                loser::summary);
        Await.until("Established with the full table", WAIT,
                () -> p.state() == SessionState.ESTABLISHED && p.rib().size() == ROUTES, p::toString);
        assertTrue(winner.received().stream().noneMatch(m -> m instanceof NotificationMessage), winner.summary());
        assertEquals(1, loser.received().stream().filter(m -> m instanceof NotificationMessage).count(),
                loser.summary());
        assertSessionCounters(d, !outboundClosed, rule, outboundClosed);
        assertEvents();
        Await.holds("still one Established session with the table", Duration.ofMillis(500),
                () -> p.state() == SessionState.ESTABLISHED && p.rib().size() == ROUTES, p::toString);
    }

    static Stream<Arguments> freeRunning() {
        List<Arguments> out = new ArrayList<>();
        for (int round = 1; round <= REPEAT; round++) {
            for (Ids ids : Ids.values()) {
                out.add(Arguments.of(ids, round));
            }
        }
        return out.stream();
    }

    // ------------------------------------------------------------ helpers

    private static void awaitClosedWithCease(ScriptedSpeaker.Conn loser) {
        NotificationMessage n = loser.awaitNotification(WAIT);
        assertEquals(6, n.code(), n.toString());
        assertEquals(7, n.subcode(), n.toString());
        Await.until("Ribbit closes the losing connection", WAIT, () -> loser.closed().isDone(), loser::toString);
    }

    /** Confirms {@code winner}'s OPEN (KEEPALIVE) and sends a table and End-of-RIB; Established, routes in. */
    private static void establishWith(Setup s, ScriptedSpeaker.Conn winner) {
        winner.send(KeepaliveMessage.INSTANCE, s.speaker.update(PEER_AS, 0, ROUTES),
                UpdateMessage.endOfRib(AfiSafi.IPV4_UNICAST));
        Await.until("Established with " + ROUTES + " routes", WAIT,
                () -> s.peer.state() == SessionState.ESTABLISHED && s.peer.rib().size() == ROUTES,
                () -> s.peer + " " + s.peer.rib().size() + " routes");
        winner.await("End-of-RIB from Ribbit", m -> m instanceof UpdateMessage u && u.endOfRib() != null, WAIT);
    }

    private void assertOneSession(Setup s, boolean outboundWins, String rule) {
        ScriptedSpeaker.Conn winner = outboundWins ? s.ribbitInitiated : s.peerInitiated;
        assertTrue(winner.received().stream().noneMatch(m -> m instanceof NotificationMessage), winner.toString());
        assertSessionCounters(s.daemon, outboundWins, rule, !outboundWins);
        assertEvents();
        Await.holds("one Established session, the winner's connection open", Duration.ofMillis(300),
                () -> s.peer.state() == SessionState.ESTABLISHED && s.peer.rib().size() == ROUTES
                        && !winner.closed().isDone(), () -> s.peer + " " + winner);
        assertEquals(1, s.speaker.acceptedCount(), "Ribbit connected once and did not reconnect");
    }

    private static double total(Daemon d, String meter) {
        return d.registry().find(meter).tag("peer", PEER_IP).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static double count(Daemon d, String meter, String... tags) {
        return d.registry().find(meter).tag("peer", PEER_IP).tags(tags).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    /** One Established (in the winner's direction), one collision closed with 6/7, nothing went Idle. */
    private static void assertSessionCounters(Daemon d, boolean outboundWins, String rule, boolean outboundClosed) {
        assertEquals(1.0, total(d, "ribbit.peer.session.established"));
        assertEquals(1.0, count(d, "ribbit.peer.session.established", "direction",
                outboundWins ? "outbound" : "inbound"));
        assertEquals(1.0, total(d, "ribbit.peer.session.collisions"));
        assertEquals(1.0, count(d, "ribbit.peer.session.collisions", "rule", rule, "closed",
                outboundClosed ? "outbound" : "inbound"));
        assertEquals(1.0, total(d, "ribbit.peer.notifications.sent"));
        assertEquals(1.0, count(d, "ribbit.peer.notifications.sent", "code", "6", "subcode", "7"));
        assertEquals(0.0, count(d, "ribbit.peer.session.transitions", "to", "idle"), "no session went down");
        assertEquals(0.0, total(d, "ribbit.peer.notifications.received"));
    }

    /** Two OPENs each way, one NOTIFICATION (6/7, sent), one RIS_PEER_STATE: connected, no down. */
    private void assertEvents() {
        Await.until("OPEN, NOTIFICATION and state events written", WAIT,
                () -> EventLines.of(events(), "OPEN").size() == 4 && EventLines.of(events(), "NOTIFICATION").size() == 1
                        && EventLines.of(events(), "RIS_PEER_STATE").size() == 1,
                () -> EventLines.read(events()).stream().map(n -> n.path("type").asText()).toList().toString());
        List<JsonNode> opens = EventLines.of(events(), "OPEN");
        assertEquals(2, opens.stream().filter(n -> "sent".equals(n.path("direction").asText())).count());
        assertEquals(2, opens.stream().filter(n -> "received".equals(n.path("direction").asText())).count());
        JsonNode n = EventLines.of(events(), "NOTIFICATION").get(0);
        assertEquals("sent", n.path("direction").asText(), n.toString());
        assertEquals(6, n.at("/notification/code").asInt(), n.toString());
        assertEquals(7, n.at("/notification/subcode").asInt(), n.toString());
        JsonNode state = EventLines.of(events(), "RIS_PEER_STATE").get(0);
        assertEquals("connected", state.path("state").asText(), state.toString());
        assertNotEquals("down", state.path("state").asText());
    }
}
