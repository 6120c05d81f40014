package io.ribbit.collector.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ribbit.collector.blast.Blast;
import io.ribbit.collector.blast.BlastOptions;
import io.ribbit.collector.blast.BlastReport;
import io.ribbit.collector.blast.SessionParams;
import io.ribbit.collector.blast.SyntheticTable;
import io.ribbit.collector.blast.Workload;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ribbit blast} into real BGP implementations (BIRD 2, GoBGP) over loopback: the receiver's
 * own route count (birdc, gobgp CLI) must equal what blast reports having sent. Skipped when the
 * daemon is not installed, unless {@value BgpDaemon#REQUIRE_ENV}=1.
 */
@Timeout(240)
class BlastReceiversTest {
    private static final Duration WAIT = Duration.ofSeconds(120);

    private static List<SessionParams> sessions(int n) {
        List<SessionParams> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(SessionParams.feederStyle(i, new InetSocketAddress("127.0.0." + (11 + i), 0)));
        }
        return out;
    }

    private static Blast blast(String address, int port, int sessions, Workload w) throws Exception {
        BlastOptions o = BlastOptions.active(new InetSocketAddress(address, port), sessions(sessions));
        return new Blast(o, w, line -> System.out.println("[blast] " + line)).start();
    }

    @Test
    @DisplayName("blast -> BIRD: 2 sessions x 100,000 synthetic prefixes (90k IPv4 + 10k IPv6); BIRD imports exactly"
            + " what each session reports")
    void intoBird() throws Exception {
        String address = "127.0.0.22";
        int port = Peering.freePort(address);
        List<Peering> more = new ArrayList<>();
        for (int i = 1; i < 2; i++) {
            more.add(Peering.passive(address, port, 64512, "127.0.0." + (11 + i), SyntheticTable.DEFAULT_SESSION_AS[i])
                    .withHoldTime(30));
        }
        try (Bird bird = new Bird(Peering.passive(address, port, 64512, "127.0.0.11",
                SyntheticTable.DEFAULT_SESSION_AS[0]).withHoldTime(30), more)) {
            bird.assumeAvailable();
            bird.start();
            try (Blast b = blast(address, port, 2, SyntheticTable.workload(11, 90_000, 10_000))) {
                BlastReport r = b.tableSent().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                System.out.print(r.text());
                assertTrue(r.ok(), r.text());
                for (int i = 0; i < 2; i++) {
                    int s = i;
                    long sent = r.sessions().get(i).table().announced();
                    assertEquals(100_000, sent);
                    bird.await(WAIT, sent + " routes imported by BIRD from session " + (i + 1),
                            () -> bird.importedRoutes(s) == sent);
                }
            }
        }
    }

    @Test
    @DisplayName("blast -> GoBGP: 1 session x 50,000 synthetic prefixes (45k IPv4 + 5k IPv6); GoBGP accepts exactly"
            + " what blast reports")
    void intoGoBgp() throws Exception {
        String address = "127.0.0.23";
        int port = Peering.freePort(address);
        try (GoBgp gobgp = new GoBgp(Peering.passive(address, port, 64512, "127.0.0.11",
                SyntheticTable.DEFAULT_SESSION_AS[0]).withHoldTime(30))) {
            gobgp.assumeAvailable();
            gobgp.start();
            try (Blast b = blast(address, port, 1, SyntheticTable.workload(12, 45_000, 5_000))) {
                BlastReport r = b.tableSent().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                System.out.print(r.text());
                assertTrue(r.ok(), r.text());
                long sent = r.prefixesSent();
                assertEquals(50_000, sent);
                gobgp.await(WAIT, sent + " routes accepted by GoBGP", () -> gobgp.acceptedRoutes() == sent);
            }
        }
    }
}
