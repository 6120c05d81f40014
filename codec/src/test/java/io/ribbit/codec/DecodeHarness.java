package io.ribbit.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.MalformedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * Feeds a byte stream through {@link BgpFrameDecoder} + {@link BgpMessageDecoder} in an
 * {@link EmbeddedChannel}, in the fragment sizes given, and checks the pipeline contract:
 * <ul>
 *   <li>no exception escapes the pipeline (EmbeddedChannel rethrows it from writeInbound);</li>
 *   <li>every inbound object is a {@link BgpMessage} (a MalformedMessage included);</li>
 *   <li>a message-header error (NOTIFICATION code 1) is the last thing emitted: after it the
 *       frame decoder discards everything;</li>
 *   <li>after {@code finish()} nothing is pending and every buffer the channel or the feeder
 *       allocated has been released ({@link TrackingAllocator}, checked at once, no GC needed).</li>
 * </ul>
 * Violations throw AssertionError (a finding for Jazzer, a failure for JUnit).
 */
final class DecodeHarness {
    private DecodeHarness() {
    }

    /** The production pipeline for {@code options}. */
    static ChannelHandler[] pipeline(SessionOptions options) {
        return new ChannelHandler[] {new BgpFrameDecoder(options), new BgpMessageDecoder(options)};
    }

    /** Decodes {@code stream} through the production pipeline. */
    static List<BgpMessage> decode(SessionOptions options, byte[] stream, IntSupplier fragmentSizes) {
        return decode(o -> pipeline(o), options, stream, fragmentSizes);
    }

    /**
     * Decodes {@code stream} through {@code pipeline.apply(options)}, writing fragments of
     * {@code fragmentSizes.getAsInt()} octets (clamped to 1..remaining).
     */
    static List<BgpMessage> decode(Function<SessionOptions, ChannelHandler[]> pipeline, SessionOptions options,
            byte[] stream, IntSupplier fragmentSizes) {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(pipeline.apply(options));
        List<BgpMessage> out = new ArrayList<>();
        List<String> foreign = new ArrayList<>();
        boolean finished = false;
        try {
            int off = 0;
            while (off < stream.length) {
                int n = Math.max(1, Math.min(fragmentSizes.getAsInt(), stream.length - off));
                ByteBuf frag = alloc.buffer(n).writeBytes(stream, off, n);
                off += n;
                ch.writeInbound(frag); // ownership passes to the pipeline; rethrows a pipeline exception
                drain(ch, out, foreign);
            }
            ch.finish(); // channelInactive: the frame decoder's decodeLast and cumulation release
            finished = true;
            drain(ch, out, foreign);
        } finally {
            if (!finished) {
                ch.finishAndReleaseAll();
            }
        }
        if (!foreign.isEmpty()) {
            throw new AssertionError("pipeline emitted non-BgpMessage objects: " + foreign);
        }
        if (!ch.outboundMessages().isEmpty()) {
            throw new AssertionError("decoders wrote outbound: " + ch.outboundMessages());
        }
        for (int i = 0; i < out.size() - 1; i++) {
            if (out.get(i) instanceof MalformedMessage m && m.error().code() == 1) {
                throw new AssertionError("message-header error " + m + " followed by " + out.subList(i + 1, out.size()));
            }
        }
        alloc.assertAllReleased();
        return out;
    }

    private static void drain(EmbeddedChannel ch, List<BgpMessage> out, List<String> foreign) {
        for (Object o; (o = ch.readInbound()) != null; ) {
            if (o instanceof BgpMessage m) {
                out.add(m);
            } else {
                foreign.add(o.getClass().getName() + ": " + o);
                ReferenceCountUtil.release(o);
            }
        }
    }
}
