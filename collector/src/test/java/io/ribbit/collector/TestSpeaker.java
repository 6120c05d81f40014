package io.ribbit.collector;

import io.netty.channel.EventLoopGroup;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.NotificationMessage;
import io.ribbit.codec.message.OpenMessage;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.collector.demo.TableSpeaker;
import io.ribbit.collector.peer.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TableSpeaker} on its own event loop that records every message the collector sends
 * it. {@link #close()} closes the session (plain TCP close) and stops the loop.
 */
public final class TestSpeaker implements AutoCloseable {
    private final EventLoopGroup group;
    private final TableSpeaker speaker;
    private final List<BgpMessage> received = new CopyOnWriteArrayList<>();
    private final String localIp;
    private InetSocketAddress listening;

    private TestSpeaker(TestTable table, Path dir, long asn, String localIp) throws IOException {
        Transport transport = Transport.best();
        this.localIp = localIp;
        this.group = transport.newGroup(1, "test-speaker-" + localIp);
        int ip = ipv4(localIp);
        try (InputStream in = table.open(dir)) {
            this.speaker = new TableSpeaker(asn, ip, ip, in).onMessage(received::add);
        } catch (IOException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Connects from {@code localIp} (any 127.0.0.x) to the collector at {@code collector}. */
    public static TestSpeaker connect(TestTable table, Path dir, long asn, String localIp, InetSocketAddress collector)
            throws IOException {
        return connect(table, dir, asn, localIp, collector, t -> { });
    }

    /** As {@link #connect(TestTable, Path, long, String, InetSocketAddress)}, configuring the speaker first (capabilities, End-of-RIB). */
    public static TestSpeaker connect(TestTable table, Path dir, long asn, String localIp, InetSocketAddress collector,
            java.util.function.Consumer<TableSpeaker> setup) throws IOException {
        TestSpeaker s = new TestSpeaker(table, dir, asn, localIp);
        try {
            setup.accept(s.speaker);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        s.speaker.start(s.group, Transport.best(), new InetSocketAddress(localIp, 0), collector);
        return s;
    }

    /** Listens on {@code localIp}, a free port, for the collector to connect (its active mode). */
    public static TestSpeaker listen(TestTable table, Path dir, long asn, String localIp)
            throws IOException, InterruptedException {
        TestSpeaker s = new TestSpeaker(table, dir, asn, localIp);
        s.listening = s.speaker.listen(s.group, Transport.best(), new InetSocketAddress(localIp, 0));
        return s;
    }

    public InetSocketAddress listenAddress() {
        return listening;
    }

    public TableSpeaker speaker() {
        return speaker;
    }

    public List<BgpMessage> received() {
        return received;
    }

    /** The first NOTIFICATION received, waiting up to {@code timeout}. */
    public NotificationMessage awaitNotification(Duration timeout) {
        Await.until("a NOTIFICATION at the speaker " + localIp, timeout,
                () -> received.stream().anyMatch(m -> m instanceof NotificationMessage), () -> summary());
        return (NotificationMessage) received.stream().filter(m -> m instanceof NotificationMessage).findFirst()
                .orElseThrow();
    }

    /** End-of-RIB markers received, in order. */
    public List<AfiSafi> endOfRibs() {
        return received.stream().filter(m -> m instanceof UpdateMessage u && u.endOfRib() != null)
                .map(m -> ((UpdateMessage) m).endOfRib()).toList();
    }

    public long opensReceived() {
        return received.stream().filter(m -> m instanceof OpenMessage).count();
    }

    public String summary() {
        return "(speaker " + localIp + " received " + received.stream()
                .map(m -> m instanceof NotificationMessage n ? n.toString() : m.type().name()).toList() + ", sent "
                + speaker.sent() + ")";
    }

    /** Waits for the table and End-of-RIB to be written to the socket; returns the UPDATE count. */
    public long awaitSent(Duration timeout) throws Exception {
        return speaker.sent().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public static int ipv4(String dotted) {
        String[] o = dotted.split("\\.");
        return Integer.parseInt(o[0]) << 24 | Integer.parseInt(o[1]) << 16 | Integer.parseInt(o[2]) << 8
                | Integer.parseInt(o[3]);
    }

    @Override
    public void close() {
        speaker.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
