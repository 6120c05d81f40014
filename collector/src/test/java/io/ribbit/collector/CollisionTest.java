package io.ribbit.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ribbit.codec.message.NotificationMessage;
import io.ribbit.collector.config.ConfigLoader;
import io.ribbit.collector.peer.Peer;
import io.ribbit.collector.peer.SessionState;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** RFC 4271 §6.8 connection collision: one session survives, the other is closed with Cease 6/7. */
class CollisionTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    @DisplayName("RFC 4271 §6.8: mode both, the peer connects while Ribbit connects to it: the connection the peer "
            + "initiated gets Cease 6/7 (Ribbit's identifier 192.0.2.1 is higher), Ribbit's stays Established")
    void collision() throws Exception {
        TestTable t = TestTable.generate(20, 10, 64700);
        try (TestSpeaker listening = TestSpeaker.listen(t, dir, 64561, "127.0.0.61")) {
            String yaml = "name: collision\nrouter-id: 192.0.2.1\nlocal-as: 64512\nlisten: [\"127.0.0.1:0\"]\n"
                    + "neighbors:\n  - address: 127.0.0.61\n    remote-as: 64561\n    mode: both\n    port: "
                    + listening.listenAddress().getPort() + "\n    families: [ipv4-unicast]\n";
            try (Daemon d = new Daemon(ConfigLoader.parse(yaml, "c.yaml"))) {
                d.start();
                try (TestSpeaker connecting = TestSpeaker.connect(t, dir, 64561, "127.0.0.61",
                        d.peers().listenAddresses().get(0))) {
                    Peer p = d.peers().peer(InetAddress.getByName("127.0.0.61"));
                    Await.until("Cease 6/7 on the connection the peer initiated", WAIT,
                            () -> connecting.received().stream().anyMatch(
                                    m -> m instanceof NotificationMessage n && n.code() == 6 && n.subcode() == 7),
                            connecting::summary);
                    Await.until("Ribbit's own connection Established with the full table", WAIT,
                            () -> p.state() == SessionState.ESTABLISHED && p.rib().size() == 20, p::toString);
                    assertTrue(listening.received().stream().noneMatch(m -> m instanceof NotificationMessage),
                            listening.summary());
                    Await.holds("still one Established session", Duration.ofSeconds(2),
                            () -> p.state() == SessionState.ESTABLISHED, p::toString);
                    assertEquals(20, p.rib().size());
                }
            }
        }
    }
}
