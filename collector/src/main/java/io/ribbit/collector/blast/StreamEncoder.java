package io.ribbit.collector.blast;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.ribbit.codec.SessionOptions;
import io.ribbit.codec.attr.AddressAttribute;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.MpReachNlri;
import io.ribbit.codec.attr.MpUnreachNlri;
import io.ribbit.codec.attr.PathAttribute;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.attr.PathAttributesCodec;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes a workload's changes into one session's {@link EncodedStream} with the codec
 * ({@code UpdateMessage.of}, {@code PathAttributes.of}, {@code MessageCodec.encode}, 4-octet AS):
 * every path gets the session's AS in front (unless it already starts with it: a table captured
 * from that AS is replayed as is), IPv4 routes the session's NEXT_HOP, IPv6 routes an
 * MP_REACH_NLRI with its IPv6 next hop. Prefixes sharing attributes are packed into as few
 * UPDATEs of at most 4096 octets as they fit, as {@code feeder.py} does; withdrawals likewise
 * (IPv6 in MP_UNREACH_NLRI).
 *
 * <p>Not thread-safe; one instance per encoding thread.
 */
public final class StreamEncoder {
    static final int MAX_MESSAGE = 4096;
    private static final int UPDATE_OVERHEAD = 19 + 2 + 2;
    /** MP_REACH_NLRI with extended length: flags, type, 2-octet length, AFI, SAFI, next hop length, 16, reserved. */
    private static final int MP_REACH_OVERHEAD = 4 + 2 + 1 + 1 + 16 + 1;
    /** MP_UNREACH_NLRI with extended length: flags, type, 2-octet length, AFI, SAFI. */
    private static final int MP_UNREACH_OVERHEAD = 4 + 3;
    private static final SessionOptions OPTIONS = SessionOptions.AS4;

    private final SessionParams session;
    /** Attributes are sized here; a plain array (not from an allocator, so nothing to release). */
    private final ByteBuf scratch = Unpooled.wrappedBuffer(new byte[MAX_MESSAGE]);

    public StreamEncoder(SessionParams session) {
        this.session = session;
    }

    /** Encodes {@code changes} into direct buffers from {@code alloc}; the caller releases the stream. */
    public EncodedStream encode(List<Change> changes, boolean timed, ByteBufAllocator alloc) {
        EncodedStream.Builder b = new EncodedStream.Builder(alloc, OPTIONS, timed);
        try {
            for (Change c : changes) {
                if (c.announce() != null) {
                    announce(c.announce(), c.micros(), b);
                } else {
                    withdraw(c.withdraw(), c.micros(), b);
                }
            }
            return b.build();
        } finally {
            b.releaseIfFailed();
        }
    }

    /** The path the session sends for a source path: its own AS in front, once (eBGP). */
    AsPath sessionPath(AsPath path) {
        List<AsPath.Segment> segs = path.segments();
        if (!segs.isEmpty() && segs.get(0).type() == AsPath.AS_SEQUENCE && segs.get(0).asns().length > 0
                && segs.get(0).asns()[0] == session.asn()) {
            return path;
        }
        List<AsPath.Segment> out = new ArrayList<>(segs.size() + 1);
        if (!segs.isEmpty() && segs.get(0).type() == AsPath.AS_SEQUENCE && segs.get(0).asns().length < 255) {
            long[] first = segs.get(0).asns();
            long[] asns = new long[first.length + 1];
            asns[0] = session.asn();
            System.arraycopy(first, 0, asns, 1, first.length);
            out.add(new AsPath.Segment(AsPath.AS_SEQUENCE, asns));
            out.addAll(segs.subList(1, segs.size()));
        } else {
            out.add(new AsPath.Segment(AsPath.AS_SEQUENCE, new long[] {session.asn()}));
            out.addAll(segs);
        }
        return AsPath.of(AttributeCode.AS_PATH, out);
    }

    private void announce(RouteGroup g, long micros, EncodedStream.Builder b) {
        boolean v6 = g.family().isIpv6();
        List<PathAttribute> attrs = new ArrayList<>(g.others().size() + 3);
        attrs.addAll(g.others());
        attrs.add(sessionPath(g.path()));
        if (!v6) {
            attrs.add(new AddressAttribute(AttributeCode.NEXT_HOP, session.nextHop4()));
        }
        attrs.sort((x, y) -> Integer.compare(x.code(), y.code()));
        PathAttributes base = PathAttributes.of(attrs);
        scratch.clear();
        PathAttributesCodec.encode(base, scratch, OPTIONS);
        int room = MAX_MESSAGE - UPDATE_OVERHEAD - scratch.readableBytes() - (v6 ? MP_REACH_OVERHEAD : 0);
        if (room < 17) {
            throw new IllegalArgumentException("path attributes of " + scratch.readableBytes()
                    + " octets leave no room for a prefix in a 4096-octet UPDATE");
        }
        PrefixList p = g.prefixes();
        PrefixList none = PrefixList.empty(AfiSafi.IPV4_UNICAST);
        int from = 0;
        while (from < p.size()) {
            int to = fit(p, from, room);
            PrefixList chunk = slice(p, from, to);
            UpdateMessage m;
            if (v6) {
                List<PathAttribute> withMp = new ArrayList<>(attrs.size() + 1);
                withMp.addAll(attrs);
                withMp.add(new MpReachNlri(AfiSafi.IPV6_UNICAST, session.nextHop6(), chunk));
                withMp.sort((x, y) -> Integer.compare(x.code(), y.code()));
                m = UpdateMessage.of(none, PathAttributes.of(withMp), none);
            } else {
                m = UpdateMessage.of(none, base, chunk);
            }
            b.add(m, to - from, 0, micros);
            from = to;
        }
    }

    private static void withdraw(PrefixList p, long micros, EncodedStream.Builder b) {
        boolean v6 = p.afiSafi().isIpv6();
        int room = MAX_MESSAGE - UPDATE_OVERHEAD - (v6 ? MP_UNREACH_OVERHEAD : 0);
        PrefixList none = PrefixList.empty(AfiSafi.IPV4_UNICAST);
        int from = 0;
        while (from < p.size()) {
            int to = fit(p, from, room);
            PrefixList chunk = slice(p, from, to);
            UpdateMessage m = v6
                    ? UpdateMessage.of(none, PathAttributes.of(new MpUnreachNlri(AfiSafi.IPV6_UNICAST, chunk)), none)
                    : UpdateMessage.of(chunk, PathAttributes.EMPTY, none);
            b.add(m, 0, to - from, micros);
            from = to;
        }
    }

    /** The end of the longest run of prefixes from {@code from} whose NLRI encoding fits {@code room} octets. */
    private static int fit(PrefixList p, int from, int room) {
        int used = 0;
        int i = from;
        while (i < p.size()) {
            int n = 1 + (p.length(i) + 7) / 8;
            if (used + n > room) {
                break;
            }
            used += n;
            i++;
        }
        return i;
    }

    /** Prefixes [from, to) of {@code p} (unicast, no path ids) as their own list. */
    static PrefixList slice(PrefixList p, int from, int to) {
        if (from == 0 && to == p.size() && !p.hasPathIds()) {
            return p;
        }
        boolean v6 = p.afiSafi().isIpv6();
        int n = to - from;
        long[] words = new long[v6 ? 3 * n : n];
        for (int i = 0; i < n; i++) {
            if (v6) {
                words[3 * i] = p.ipv6High(from + i);
                words[3 * i + 1] = p.ipv6Low(from + i);
                words[3 * i + 2] = p.length(from + i);
            } else {
                words[i] = p.ipv4(from + i);
            }
        }
        return new PrefixList(p.afiSafi(), n, words, null, null, null);
    }
}
