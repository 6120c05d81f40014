package io.ribbit.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ribbit.codec.message.KeepaliveMessage;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.collector.config.ConfigLoader;
import io.ribbit.collector.peer.Peer;
import io.ribbit.collector.peer.SessionState;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IdleHoldTime back-off (RFC 4271 §8.1.1, DampPeerOscillations) over real sockets: Ribbit in
 * active mode connects to a {@link ScriptedSpeaker} that brings every session up and drops it.
 * The time from each drop to Ribbit's next connection is measured, and the {@code idle_hold} of
 * each {@code down} event is checked.
 */
class IdleHoldBackoffTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String IP = "127.0.0.71";
    private static final long ASN = 64571;
    /** Netty may run a timer a little early; nothing else can make Ribbit connect sooner. */
    private static final long EARLY_MS = 50;
    /**
     * Slack for a loaded machine on the upper bound. The lower bounds show the doubling; the upper
     * bound shows the reset (1 s + slack stays below the 3 s the wait would be without it).
     */
    private static final long LATE_MS = 1900;

    @TempDir
    Path dir;

    private final Closer open = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        open.close();
    }

    @Test
    @Timeout(90)
    @DisplayName("RFC 4271 §8.1.1: sessions dropped at once make Ribbit wait 1, 2, then 3 s (the maximum) before"
            + " connecting again; a session that stayed up idle-hold-stable-time (2 s) resets the wait to 1 s")
    void backoffDoublesAndResets() throws Exception {
        ScriptedSpeaker speaker = open.push(new ScriptedSpeaker(IP));
        int port = speaker.listen().getPort();
        Path events = dir.resolve("events.jsonl");
        String y = """
                name: backoff
                router-id: 192.0.2.1
                local-as: 64512
                neighbors:
                  - address: %s
                    remote-as: %d
                    mode: active
                    port: %d
                    families: [ipv4-unicast]
                    idle-hold-time: 1
                    idle-hold-time-max: 3
                    idle-hold-stable-time: 2
                events:
                  - type: file
                    path: "%s"
                """.formatted(IP, ASN, port, events);
        Daemon d = open.push(new Daemon(ConfigLoader.parse(y, "backoff.yaml")));
        d.start();
        Peer p = d.peers().peer(InetAddress.getByName(IP));

        // How long each session stays up, and the wait Ribbit must then take (idle-hold-time 1,
        // doubled per flap, at most 3; reset by the 2.5 s session).
        long[] upMs = {0, 0, 0, 2500, 0};
        long[] expectedIdle = {1, 2, 3, 1, 1};
        List<Long> gapsMs = new ArrayList<>();
        long droppedAt = 0;
        for (int i = 0; i < upMs.length; i++) {
            ScriptedSpeaker.Conn c = speaker.awaitAccepted(WAIT);
            if (i > 0) {
                gapsMs.add((c.openedAt() - droppedAt) / 1_000_000);
            }
            c.awaitOpen(WAIT);
            c.send(ScriptedSpeaker.open(ASN, IP), KeepaliveMessage.INSTANCE, speaker.update(ASN, 0, 5));
            int n = i;
            Await.until("session " + (i + 1) + " Established", WAIT,
                    () -> p.state() == SessionState.ESTABLISHED && p.rib().size() == 5, () -> n + ": " + p);
            c.await("End-of-RIB from Ribbit", m -> m instanceof UpdateMessage u && u.endOfRib() != null, WAIT);
            if (upMs[i] > 0) {
                Await.holds("session " + (i + 1) + " stays up", Duration.ofMillis(upMs[i]),
                        () -> p.state() == SessionState.ESTABLISHED, p::toString);
            }
            droppedAt = System.nanoTime();
            c.close();
            Await.until("session " + (i + 1) + " down", WAIT, () -> p.state() != SessionState.ESTABLISHED,
                    p::toString);
        }
        // The wait after the last drop, to see it was reset as well.
        ScriptedSpeaker.Conn last = speaker.awaitAccepted(WAIT);
        gapsMs.add((last.openedAt() - droppedAt) / 1_000_000);

        List<JsonNode> downs = new ArrayList<>();
        Await.until("5 down events", WAIT, () -> {
            downs.clear();
            EventLines.of(events, "RIS_PEER_STATE").stream().filter(e -> "down".equals(e.path("state").asText()))
                    .forEach(downs::add);
            return downs.size() == 5;
        }, downs::toString);
        for (int i = 0; i < 5; i++) {
            JsonNode e = downs.get(i);
            assertEquals("tcp-closed", e.path("reason").asText(), e.toString());
            assertEquals(expectedIdle[i], e.path("idle_hold").asLong(), "idle_hold of down event " + (i + 1) + ": "
                    + e);
        }
        for (int i = 0; i < gapsMs.size(); i++) {
            long want = expectedIdle[i] * 1000;
            long got = gapsMs.get(i);
            assertTrue(got >= want - EARLY_MS && got < want + LATE_MS, "drop " + (i + 1) + ": Ribbit connected again"
                    + " after " + got + " ms, expected " + want + " ms (all gaps " + gapsMs + ")");
        }
        assertEquals(6, speaker.acceptedCount(), "one connection per session, no extra attempts");
    }
}
