package io.ribbit.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.KeepaliveMessage;
import io.ribbit.codec.message.NotificationMessage;
import io.ribbit.collector.config.ConfigLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RFC 4271 §6: the NOTIFICATION must reach the peer before the connection closes, also when the
 * peer is still sending. Closing a socket with unread input makes the kernel answer with a reset,
 * which loses the NOTIFICATION (this is how a collision loser that had already started sending
 * missed its Cease 6/7): Ribbit half-closes after the NOTIFICATION and drains instead.
 */
class NotificationDeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    @Timeout(60)
    @DisplayName("RFC 4271 §6/§8.2.2: an UPDATE in OpenConfirm followed by 20000 KEEPALIVEs: the peer reads"
            + " NOTIFICATION 5/2 (no reset), then the connection closes")
    void notificationReachesBusyPeer() throws Exception {
        String y = """
                name: notify
                router-id: 192.0.2.1
                local-as: 64512
                listen: ["127.0.0.1:0"]
                neighbors:
                  - address: 127.0.0.91
                    remote-as: 64591
                    families: [ipv4-unicast]
                """;
        try (Daemon d = new Daemon(ConfigLoader.parse(y, "notify.yaml"))) {
            d.start();
            for (int round = 0; round < 3; round++) {
                try (ScriptedSpeaker s = new ScriptedSpeaker("127.0.0.91")) {
                    ScriptedSpeaker.Conn c = s.connect(d.peers().listenAddresses().get(0));
                    c.awaitOpen(WAIT);
                    c.send(ScriptedSpeaker.open(64591, "127.0.0.91"));
                    c.awaitKeepalive(WAIT); // Ribbit is in OpenConfirm
                    // An UPDATE before our KEEPALIVE is an FSM error (5/2); what follows it is still
                    // unread in Ribbit's socket when the NOTIFICATION goes out.
                    List<BgpMessage> burst = new ArrayList<>();
                    burst.add(s.update(64591, 0, 10));
                    for (int k = 0; k < 20_000; k++) {
                        burst.add(KeepaliveMessage.INSTANCE);
                    }
                    c.send(burst.toArray(new BgpMessage[0]));
                    NotificationMessage n = c.awaitNotification(WAIT);
                    assertEquals(5, n.code(), n.toString());
                    assertEquals(2, n.subcode(), n.toString());
                    Await.until("connection closed", WAIT, () -> c.closed().isDone(), c::toString);
                    assertEquals(List.of("OPEN", "KEEPALIVE", "NOTIFICATION 5/2"), c.types());
                }
            }
        }
    }
}
