package io.ribbit.rib.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ribbit.codec.SessionOptions;
import io.ribbit.codec.attr.AddressAttribute;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.PathAttribute;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.attr.UpdateDecodeContext;
import io.ribbit.codec.attr.Uint32Attribute;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.MessageCodec;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The feeder's full table ({@code ../shared/bench/feeder.py gen --v4 1000000 --peers 1}: 1M IPv4
 * prefixes in 359,889 UPDATEs) as decoded UPDATEs, and the rewrites that make other peers' streams
 * or replacement streams from it. The file comes from {@code -Dribbit.bench.stream=FILE}, else the
 * feeder cache in {@code $TMPDIR}.
 */
final class FeederStream {
    /** The feeder's peer ASes, in order (its DEFAULT_PEER_AS). */
    static final long[] PEER_AS = {3356, 1299, 174, 6939, 2914, 3257, 6453, 6762};

    private FeederStream() {
    }

    static Path file() {
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

    /** Decodes every UPDATE of the stream, one at a time, into {@code sink}. */
    static void forEach(byte[] bytes, Consumer<UpdateMessage> sink) {
        ByteBuf s = Unpooled.wrappedBuffer(bytes);
        UpdateDecodeContext ctx = new UpdateDecodeContext();
        int idx = 0;
        while (idx < bytes.length) {
            int len = s.getUnsignedShort(idx + 16);
            BgpMessage m = MessageCodec.decode(s.slice(idx, len), SessionOptions.AS4, ctx);
            if (m instanceof UpdateMessage u) {
                sink.accept(u);
            }
            idx += len;
        }
    }

    static List<UpdateMessage> load() throws IOException {
        List<UpdateMessage> out = new ArrayList<>(360_000);
        forEach(Files.readAllBytes(file()), out::add);
        return out;
    }

    /** Peer {@code k}'s version of an UPDATE: first AS {@code PEER_AS[k]}, NEXT_HOP 198.51.100.(k+1). */
    static UpdateMessage asPeer(UpdateMessage u, int k) {
        List<PathAttribute> a = new ArrayList<>(u.attributes().list());
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) instanceof AsPath p && p.code() == AttributeCode.AS_PATH) {
                long[] asns = p.asns();
                asns[0] = PEER_AS[k];
                a.set(i, AsPath.sequence(asns));
            } else if (a.get(i) instanceof AddressAttribute nh && nh.code() == AttributeCode.NEXT_HOP) {
                a.set(i, new AddressAttribute(AttributeCode.NEXT_HOP, 0xC6336400 + k + 1)); // 198.51.100.(k+1)
            }
        }
        return UpdateMessage.of(u.withdrawn(), PathAttributes.of(a), u.nlri());
    }

    /** The same prefixes with another MED (a different attribute set for every route). */
    static UpdateMessage withMed(UpdateMessage u, long med) {
        List<PathAttribute> a = new ArrayList<>();
        for (PathAttribute x : u.attributes().list()) {
            if (x.code() != AttributeCode.MULTI_EXIT_DISC) {
                a.add(x);
            }
        }
        a.add(new Uint32Attribute(AttributeCode.MULTI_EXIT_DISC, med));
        return UpdateMessage.of(u.withdrawn(), PathAttributes.of(a), u.nlri());
    }

    /** An UPDATE withdrawing what {@code u} announces. */
    static UpdateMessage withdrawal(UpdateMessage u) {
        return UpdateMessage.of(u.nlri(), PathAttributes.EMPTY, PrefixList.empty(AfiSafi.IPV4_UNICAST));
    }

    static long prefixes(List<UpdateMessage> stream) {
        long n = 0;
        for (UpdateMessage u : stream) {
            n += u.nlri().size();
        }
        return n;
    }
}
