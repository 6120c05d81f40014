package io.ribbit.collector.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.ribbit.collector.Await;
import io.ribbit.collector.EventLines;
import io.ribbit.collector.TestSpeaker;
import io.ribbit.collector.TestTable;
import io.ribbit.collector.config.ConfigLoader;
import io.ribbit.collector.config.EventSinkConfig;
import io.ribbit.collector.config.RibbitConfig;
import io.ribbit.collector.event.EventBus;
import io.ribbit.collector.event.EventSink;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event back-pressure with the daemon's real parts (PeerRegistry, EventBus, a file sink, a BGP
 * session over loopback): a sink that cannot keep up pauses the peer's socket reads, and no event
 * is lost.
 */
@Timeout(180)
class BackPressureTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    /** A sink stream that blocks every write until opened, then passes writes through. */
    private static final class GatedStream extends FilterOutputStream {
        final CountDownLatch gate = new CountDownLatch(1);
        final AtomicLong blocked = new AtomicLong();

        GatedStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (gate.getCount() > 0) {
                blocked.incrementAndGet();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException();
                }
            }
            out.write(b, off, len);
        }
    }

    @Test
    @DisplayName("a slow sink past a tiny high watermark pauses the peer (autoRead off); every event is written")
    void slowSinkPausesPeerAndLosesNothing() throws Exception {
        TestTable table = TestTable.generate(20_000, 1, 64500);
        Path file = dir.resolve("events.jsonl");
        RibbitConfig config = ConfigLoader.parse(String.join("\n",
                "name: bp",
                "router-id: 192.0.2.1",
                "local-as: 64512",
                "listen: [\"127.0.0.1:0\"]",
                "neighbors:",
                "  - address: 127.0.0.2",
                "    remote-as: 64500",
                "    families: [ipv4-unicast]",
                ""), "bp.yaml");
        GatedStream slow = new GatedStream(new BufferedOutputStream(new FileOutputStream(file.toFile()), 1 << 16));
        EventSink sink = EventSink.of(new EventSinkConfig(EventSinkConfig.Type.FILE, file, false, 1), slow);
        EventBus bus = new EventBus("bp", List.of(sink), 8);
        Transport transport = Transport.best();
        EventLoopGroup boss = transport.newGroup(1, "bp-accept");
        EventLoopGroup workers = transport.newGroup(2, "bp-peer");
        PeerRegistry peers = new PeerRegistry(config, new SimpleMeterRegistry(), bus, transport, boss, workers);
        TestSpeaker speaker = null;
        try {
            peers.start();
            speaker = TestSpeaker.connect(table, dir, 64500, "127.0.0.2", peers.listenAddresses().get(0));
            Peer p = peers.peer(InetAddress.getByName("127.0.0.2"));

            // The writer is stuck on its first write: the queue passes 8 and the peer stops reading.
            Await.until("peer paused", WAIT, () -> bus.pausedPeers() == 1 && p.readingPaused()
                    && Boolean.FALSE.equals(p.establishedAutoRead()), () -> p + " pending " + bus.pending());
            // Messages read before the pause (queued on the peer loop) still land; then the table stops growing.
            long[] last = {-1};
            long[] since = {System.nanoTime()};
            Await.until("Adj-RIB-In to settle", WAIT, () -> {
                long n = p.rib().size();
                if (n != last[0]) {
                    last[0] = n;
                    since[0] = System.nanoTime();
                }
                return System.nanoTime() - since[0] > TimeUnit.MILLISECONDS.toNanos(300);
            });
            long held = p.rib().size();
            Await.holds("Adj-RIB-In frozen while paused", Duration.ofSeconds(1), () -> p.rib().size() == held,
                    () -> held + " -> " + p.rib().size());
            assertTrue(held < table.size(), "paused before the table was read: " + held);
            assertTrue(slow.blocked.get() >= 1);
            assertTrue(bus.pending() > 8, "pending " + bus.pending());

            // The sink catches up: reading resumes (pausing again as often as needed) and the table completes.
            slow.gate.countDown();
            Await.until("full table", WAIT, () -> p.rib().size() == table.size(), () -> p.rib().size() + " routes");
            Await.until("events drained and reading resumed", WAIT, () -> bus.pending() == 0
                    && bus.pausedPeers() == 0 && !p.readingPaused() && Boolean.TRUE.equals(p.establishedAutoRead()),
                    () -> "pending " + bus.pending() + ", paused " + bus.pausedPeers());
            assertTrue(bus.backPressureNanos() > 0);
            assertEquals(table.updates(), speaker.awaitSent(WAIT));
        } finally {
            if (speaker != null) {
                speaker.close();
            }
            peers.shutdown("test over", 3000);
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            slow.gate.countDown();
            bus.close();
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            peers.close();
        }

        // Every event written is in the file once, in order: the writer numbers them 1..N as it writes.
        List<JsonNode> lines = EventLines.read(file);
        assertEquals(sink.written(), lines.size(), "lines == events written");
        for (int i = 0; i < lines.size(); i++) {
            String id = lines.get(i).get("id").asText();
            assertEquals(Long.toHexString(i + 1), id.substring(id.lastIndexOf('-') + 1), "line " + (i + 1));
        }
        assertEquals(table.updates() + 1, lines.stream().filter(n -> "UPDATE".equals(n.get("type").asText())).count(),
                "one event per UPDATE, End-of-RIB included");
        long prefixes = lines.stream().filter(n -> "UPDATE".equals(n.get("type").asText()))
                .mapToLong(n -> n.path("announcements").path(0).path("prefixes").size()).sum();
        assertEquals(table.size(), prefixes);
    }
}
