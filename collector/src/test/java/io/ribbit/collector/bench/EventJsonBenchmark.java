package io.ribbit.collector.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.ribbit.codec.SessionOptions;
import io.ribbit.codec.attr.UpdateDecodeContext;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.MessageCodec;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.collector.blast.EncodedStream;
import io.ribbit.collector.blast.SessionParams;
import io.ribbit.collector.blast.StreamEncoder;
import io.ribbit.collector.blast.SyntheticTable;
import io.ribbit.collector.blast.Workload;
import io.ribbit.collector.event.Event;
import io.ribbit.collector.event.EventJson;
import io.ribbit.collector.peer.TagsJson;
import io.ribbit.rib.ImportChecks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The event writer's serialization on one core: every UPDATE of a full table (feeder model,
 * {@code ribbit blast}'s synthetic table, seed 1, 1M IPv4 prefixes, as the first feeder-style
 * session sends it) as one JSON line, with the {@code tags} the default import checks give (the
 * feeder's next hops are in documentation space, so every UPDATE has a tag, as in the end-to-end
 * bench). Scores are events per second ({@code @OperationsPerInvocation} = the table's UPDATEs,
 * checked in the setup). Run with {@code collector/src/bench/jmh.sh EventJsonBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+UseParallelGC"})
public class EventJsonBenchmark {
    static final int PREFIXES = 1_000_000;
    /** UPDATEs of the table (checked in {@link #load}). */
    static final int UPDATES = 361_708;

    /** The table's messages as the session sends them. */
    List<byte[]> messages;
    SessionParams session;
    InetAddress peer;
    ImportChecks.Bound checks;
    EventJson json;

    @Setup(Level.Trial)
    public void load() throws IOException {
        Workload table = SyntheticTable.workload(1, PREFIXES, 0);
        peer = InetAddress.getByName("127.0.0.11");
        session = SessionParams.feederStyle(0, new InetSocketAddress(peer, 0));
        EncodedStream stream = new StreamEncoder(session).encode(table.changes(), false, UnpooledByteBufAllocator.DEFAULT);
        List<byte[]> out = new ArrayList<>(UPDATES);
        try {
            stream.forEachMessage(m -> out.add(ByteBufUtil.getBytes(m)));
        } finally {
            stream.release();
        }
        messages = out;
        checks = ImportChecks.DEFAULT.bind(64512, session.asn(), peer);
        json = new EventJson("bench", false);
        if (decode().size() != UPDATES) {
            throw new IllegalStateException("expected " + UPDATES + " UPDATEs, the table gave " + decode().size());
        }
    }

    /**
     * The events as a peer publishes them: decoded afresh for every invocation, since attribute
     * values built when an event is written are cached in its message.
     */
    @State(Scope.Thread)
    public static class Fresh {
        List<Event> events;

        @Setup(Level.Invocation)
        public void decode(EventJsonBenchmark b) {
            events = null;
            events = b.decode();
        }
    }

    List<Event> decode() {
        UpdateDecodeContext ctx = new UpdateDecodeContext();
        List<Event> out = new ArrayList<>(UPDATES);
        long time = 1_795_000_000_000_000L;
        for (byte[] m : messages) {
            ByteBuf buf = Unpooled.wrappedBuffer(m);
            BgpMessage msg;
            try {
                msg = MessageCodec.decode(buf, SessionOptions.AS4, ctx); // the message keeps no reference to buf
            } finally {
                buf.release();
            }
            if (msg instanceof UpdateMessage u) {
                ImportChecks.Tags tags = checks.evaluate(u);
                out.add(new Event(time++, "127.0.0.11", session.asn(), "UPDATE", u, null, null, null,
                        tags == null ? null : new TagsJson(tags)));
            }
        }
        return out;
    }

    /** Every UPDATE serialized; returns the bytes written (so nothing is optimized away). */
    @Benchmark
    @OperationsPerInvocation(UPDATES)
    public long serialize(Fresh f) throws IOException {
        long bytes = 0;
        long seq = 0;
        for (Event e : f.events) {
            json.write(e, ++seq);
            bytes += json.size();
        }
        return bytes;
    }
}
