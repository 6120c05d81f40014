package io.ribbit.codec.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.ribbit.codec.BgpFrameDecoder;
import io.ribbit.codec.BgpMessageDecoder;
import io.ribbit.codec.SessionOptions;
import io.ribbit.codec.attr.UpdateDecodeContext;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.MessageCodec;
import io.ribbit.codec.message.UpdateMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding a realistic full-table UPDATE stream: the feeder's synthetic table
 * ({@code ../shared/bench/feeder.py gen --v4 1000000 --peers 1}: 1M IPv4 prefixes in 359,889
 * UPDATEs, 29.7 MB, DFZ-like prefix lengths, 4-octet AS paths, communities, large communities).
 * Each invocation decodes the whole stream; the score is in prefixes per second
 * ({@code @OperationsPerInvocation} is set from the file's prefix count at setup, so read the
 * "prefixes/s" line this prints, or divide).
 *
 * <p>Run with {@code codec/src/bench/jmh.sh} (see docs/performance.md). The stream file comes
 * from {@code -Dribbit.bench.stream=FILE}, else the feeder cache in {@code $TMPDIR}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseParallelGC"})
public class UpdateDecodeBenchmark {
    private ByteBuf stream;
    private final UpdateDecodeContext context = new UpdateDecodeContext();
    private final SessionOptions options = SessionOptions.AS4;
    private long prefixes;
    private long messages;

    @Setup(Level.Trial)
    public void load() throws IOException {
        Path file = streamFile();
        byte[] bytes = Files.readAllBytes(file);
        stream = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        // Count once so the printed rate is in prefixes.
        int idx = 0;
        while (idx < stream.writerIndex()) {
            int len = stream.getUnsignedShort(idx + 16);
            BgpMessage m = MessageCodec.decode(stream.slice(idx, len), options, context);
            if (m instanceof UpdateMessage u) {
                prefixes += u.nlri().size();
            }
            messages++;
            idx += len;
        }
        System.out.printf("%nstream %s: %d messages, %d prefixes, %d bytes%n", file, messages, prefixes, bytes.length);
    }

    static Path streamFile() {
        String p = System.getProperty("ribbit.bench.stream");
        if (p != null) {
            return Path.of(p);
        }
        Path cache = Path.of(System.getenv().getOrDefault("TMPDIR", "/tmp"), "ribbit-feeder-cache",
                "v3-seed1-v4_1000000-v6_0-as3356-nh198.51.100.1.bgp");
        if (!Files.exists(cache)) {
            throw new IllegalStateException("no stream: run python3 ../shared/bench/feeder.py gen --v4 1000000 "
                    + "--peers 1, or pass -Dribbit.bench.stream=FILE");
        }
        return cache;
    }

    @TearDown(Level.Trial)
    public void release() {
        stream.release();
    }

    /** MessageCodec alone: header check, UPDATE body, every attribute, every prefix. */
    @Benchmark
    public long decodeStream(Blackhole bh) {
        ByteBuf s = stream;
        int end = s.writerIndex();
        int idx = 0;
        long n = 0;
        ByteBuf view = s; // the message is the readable region of the stream buffer itself
        while (idx < end) {
            int len = s.getUnsignedShort(idx + 16);
            view.setIndex(idx, idx + len);
            BgpMessage m = MessageCodec.decode(view, options, context);
            bh.consume(m);
            n += ((UpdateMessage) m).nlri().size();
            idx += len;
        }
        s.setIndex(0, end);
        return n;
    }

    /** The real pipeline handlers (frame decoder + message decoder) in an EmbeddedChannel, fed 64 KiB reads. */
    @Benchmark
    public long decodeThroughPipeline(Blackhole bh) {
        EmbeddedChannel ch = new EmbeddedChannel(new BgpFrameDecoder(options), new BgpMessageDecoder(options),
                new io.netty.channel.ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                        bh.consume(msg);
                        ReferenceCountUtil.release(msg);
                    }
                });
        int end = stream.writerIndex();
        for (int idx = 0; idx < end; idx += 65536) {
            int n = Math.min(65536, end - idx);
            ch.writeInbound(stream.retainedSlice(idx, n));
        }
        ch.finishAndReleaseAll();
        return end;
    }
}
