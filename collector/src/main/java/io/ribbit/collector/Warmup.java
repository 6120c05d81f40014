package io.ribbit.collector;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.ribbit.codec.BgpFrameDecoder;
import io.ribbit.codec.BgpMessageDecoder;
import io.ribbit.codec.SessionOptions;
import io.ribbit.codec.attr.AddressAttribute;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.Communities;
import io.ribbit.codec.attr.LargeCommunities;
import io.ribbit.codec.attr.Origin;
import io.ribbit.codec.attr.PathAttribute;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.attr.Uint32Attribute;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.MessageCodec;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.collector.config.EventSinkConfig;
import io.ribbit.collector.event.Event;
import io.ribbit.collector.event.EventBus;
import io.ribbit.collector.event.EventSink;
import io.ribbit.rib.AdjRibIn;
import io.ribbit.rib.ImportChecks;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * JIT warm-up before the daemon listens ({@code warmup} in docs/configuration.md). A collector
 * that restarts gets every peer's full table at once; on a cold JVM the first hundreds of
 * thousands of UPDATEs run interpreted while the compiler threads compete with ingest for the
 * cores. This runs the ingest hot path (frame and message decoding in a Netty pipeline, import
 * checks, an Adj-RIB-In, event serialization) over a synthetic table for a bounded time, on
 * throwaway objects, so those methods are compiled before the first peer connects.
 */
final class Warmup {
    private static final Logger LOG = LogManager.getLogger(Warmup.class);

    private Warmup() {
    }

    /** Runs for about {@code seconds} (at most a few passes more); returns the UPDATEs processed. */
    static long run(double seconds, String host) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long t0 = System.nanoTime();
        ByteBuf stream = stream(20_000, 7);
        OutputStream discard = OutputStream.nullOutputStream();
        EventBus bus = new EventBus(host, List.of(EventSink.of(new EventSinkConfig(EventSinkConfig.Type.STDOUT,
                null, false, 0), discard)), 100_000);
        ImportChecks.Bound checks = ImportChecks.DEFAULT.bind(64512, 3356, null);
        long updates = 0;
        int passes = 0;
        try {
            do {
                AdjRibIn rib = new AdjRibIn();
                EmbeddedChannel ch = new EmbeddedChannel(new BgpFrameDecoder(SessionOptions.AS4),
                        new BgpMessageDecoder(SessionOptions.AS4));
                for (int idx = 0; idx < stream.writerIndex(); idx += 65536) {
                    ch.writeInbound(stream.retainedSlice(idx, Math.min(65536, stream.writerIndex() - idx)));
                    for (Object m; (m = ch.readInbound()) != null; ) {
                        if (m instanceof UpdateMessage u) {
                            rib.apply(u, checks.evaluate(u));
                            if (bus.pending() < 50_000) {
                                bus.publish(new Event(System.currentTimeMillis() * 1000, "warmup", 3356,
                                        bus.nextSeq(), "UPDATE", u, null, null, null), null);
                            }
                            updates++;
                        }
                        ReferenceCountUtil.release(m);
                    }
                }
                ch.finishAndReleaseAll();
                passes++;
            } while (System.nanoTime() < deadline && passes < 50);
        } finally {
            stream.release();
            bus.close();
        }
        LOG.info("JIT warm-up: {} UPDATEs in {} passes, {} ms", updates, passes, (System.nanoTime() - t0) / 1_000_000);
        return updates;
    }

    /** {@code n} UPDATEs of a varied synthetic table (IPv4, a few prefixes each), encoded back to back. */
    static ByteBuf stream(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        ByteBuf out = Unpooled.buffer(n * 96);
        int next = 0x01000000;
        for (int i = 0; i < n; i++) {
            int count = 1 + (r.nextInt(8) == 0 ? r.nextInt(16) : r.nextInt(3));
            long[] words = new long[count];
            for (int k = 0; k < count; k++) {
                int len = 16 + r.nextInt(9);
                next += 1 << (32 - len);
                words[k] = PrefixList.packIpv4(next & PrefixList.ipv4Mask(len), len);
            }
            long[] path = new long[2 + r.nextInt(5)];
            path[0] = 3356;
            for (int k = 1; k < path.length; k++) {
                path[k] = r.nextInt(4) == 0 ? 131072 + r.nextInt(270000) : 1 + r.nextInt(64000);
            }
            List<PathAttribute> a = new ArrayList<>();
            a.add(Origin.valueOf(r.nextInt(3)));
            a.add(AsPath.sequence(path));
            a.add(new AddressAttribute(AttributeCode.NEXT_HOP, 0xc6336401));
            if (r.nextBoolean()) {
                a.add(new Uint32Attribute(AttributeCode.MULTI_EXIT_DISC, r.nextInt(1000)));
            }
            int[] comms = new int[r.nextInt(5)];
            for (int k = 0; k < comms.length; k++) {
                comms[k] = 3356 << 16 | r.nextInt(1000);
            }
            if (comms.length > 0) {
                a.add(Communities.of(comms));
            }
            if (r.nextInt(3) == 0) {
                a.add(LargeCommunities.of(3356, r.nextInt(100), r.nextInt(100)));
            }
            BgpMessage m = UpdateMessage.of(PrefixList.empty(AfiSafi.IPV4_UNICAST), PathAttributes.of(a),
                    new PrefixList(AfiSafi.IPV4_UNICAST, count, words, null, null, null));
            MessageCodec.encode(m, out, SessionOptions.AS4);
        }
        return out;
    }
}
