package io.ribbit.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ribbit.codec.message.NotificationMessage;
import io.ribbit.collector.config.ConfigLoader;
import io.ribbit.collector.config.RibbitConfig;
import io.ribbit.collector.peer.Peer;
import io.ribbit.collector.peer.SessionState;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Configuration reload (SIGHUP): neighbors removed get Cease 6/3 and lose their series; others are untouched. */
class ReloadTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static String config(String neighbors) {
        return "name: reload\nrouter-id: 192.0.2.1\nlocal-as: 64512\nlisten: [\"127.0.0.1:0\"]\n"
                + "neighbors:\n" + neighbors;
    }

    private static String neighbor(String ip, long as) {
        return "  - address: " + ip + "\n    remote-as: " + as + "\n    families: [ipv4-unicast]\n"
                + "    graceful-restart: false\n";
    }

    @Test
    @Timeout(60)
    @DisplayName("reload: a removed neighbor gets Cease 6/3 (RFC 4486), its routes and metric series go; "
            + "an unchanged one keeps its session; a new one starts")
    void removeKeepAdd() throws Exception {
        RibbitConfig first = ConfigLoader.parse(config(neighbor("127.0.0.51", 64551) + neighbor("127.0.0.52", 64552)),
                "a.yaml");
        try (Daemon d = new Daemon(first)) {
            d.start();
            TestTable t = TestTable.generate(50, 10, 64600);
            try (TestSpeaker keep = TestSpeaker.connect(t, dir, 64551, "127.0.0.51", d.peers().listenAddresses().get(0));
                    TestSpeaker gone = TestSpeaker.connect(t, dir, 64552, "127.0.0.52",
                            d.peers().listenAddresses().get(0))) {
                Peer a = d.peers().peer(InetAddress.getByName("127.0.0.51"));
                Peer b = d.peers().peer(InetAddress.getByName("127.0.0.52"));
                Await.until("both established with full tables", WAIT,
                        () -> a.rib().size() == 50 && b.rib().size() == 50);
                assertNotNull(d.registry().find("ribbit.peer.messages.received").tag("peer", "127.0.0.52").counter());

                // Line numbers move (a comment is added); 127.0.0.51 is the same, 127.0.0.52 goes, 127.0.0.53 comes.
                d.reload(ConfigLoader.parse("# reloaded\n" + config(neighbor("127.0.0.51", 64551)
                        + neighbor("127.0.0.53", 64553)), "b.yaml"));

                Await.until("Cease 6/3 at the removed neighbor", WAIT, () -> gone.received().stream()
                        .anyMatch(m -> m instanceof NotificationMessage n && n.code() == 6 && n.subcode() == 3),
                        gone::summary);
                Await.until("removed peer forgotten", WAIT,
                        () -> d.peers().peer(loopback("127.0.0.52")) == null);
                Await.until("its series gone", WAIT, () -> d.registry().find("ribbit.peer.messages.received")
                        .tag("peer", "127.0.0.52").counter() == null);
                assertNull(d.registry().find("ribbit.rib.routes").tag("peer", "127.0.0.52").gauge());

                assertSame(a, d.peers().peer(loopback("127.0.0.51")), "unchanged neighbor kept");
                assertEquals(SessionState.ESTABLISHED, a.state());
                assertEquals(50, a.rib().size());
                assertTrue(keep.received().stream().noneMatch(m -> m instanceof NotificationMessage));

                Peer c = d.peers().peer(loopback("127.0.0.53"));
                assertNotNull(c, "new neighbor configured");
                Await.until("new neighbor waiting (Active)", WAIT, () -> c.state() == SessionState.ACTIVE);
            }
        }
    }

    private static InetAddress loopback(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
