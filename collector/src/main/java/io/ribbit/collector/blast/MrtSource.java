package io.ribbit.collector.blast;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ribbit.codec.SessionOptions;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.MpReachNlri;
import io.ribbit.codec.attr.MpUnreachNlri;
import io.ribbit.codec.attr.PathAttribute;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.attr.PathAttributesCodec;
import io.ribbit.codec.attr.UpdateDecodeContext;
import io.ribbit.codec.error.ErrorAction;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.MessageCodec;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.mrt.Mrt;
import io.ribbit.codec.mrt.MrtReader;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.Nlri;
import io.ribbit.codec.nlri.PrefixList;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An MRT file (RFC 6396, read with {@link MrtReader}) as a workload:
 * <ul>
 *   <li>TABLE_DUMP_V2 RIB_IPV4_UNICAST / RIB_IPV6_UNICAST (and their ADD-PATH variants): one route
 *       per prefix, from the entry the peer selector picks ({@code first}: the first entry of
 *       each prefix; a peer index or address: that peer's entry), packed into groups of equal
 *       attributes;</li>
 *   <li>BGP4MP / BGP4MP_ET MESSAGE(_AS4)(_ADDPATH) UPDATEs received by the collector (not the
 *       _LOCAL ones): replayed in order with their timestamps, withdrawals included ({@code all}
 *       peers by default, or one peer by address).</li>
 * </ul>
 * Only IPv4 and IPv6 unicast are taken. Kept attributes: ORIGIN, AS_PATH (the session's AS goes
 * in front when sent), MED, ATOMIC_AGGREGATE, AGGREGATOR, COMMUNITIES, EXTENDED_COMMUNITIES,
 * LARGE_COMMUNITY; next hops become the session's; the rest (LOCAL_PREF, ORIGINATOR_ID, unknown
 * attributes, ...) is not sent on an eBGP session.
 */
public final class MrtSource {
    private static final Set<Integer> KEPT = Set.of(AttributeCode.ORIGIN, AttributeCode.MULTI_EXIT_DISC,
            AttributeCode.ATOMIC_AGGREGATE, AttributeCode.AGGREGATOR, AttributeCode.COMMUNITIES,
            AttributeCode.EXTENDED_COMMUNITIES, AttributeCode.LARGE_COMMUNITY);

    private MrtSource() {
    }

    /**
     * Reads {@code file} (gzip/bzip2 by name).
     *
     * @param peer {@code first}, {@code all}, a PEER_INDEX_TABLE index or a peer IP address; null
     *             for the default ({@code first} for RIB dumps, {@code all} for BGP4MP)
     */
    public static Workload load(Path file, String peer) throws IOException {
        List<Mrt.Rib> ribs = new ArrayList<>();
        List<Mrt.Bgp4mpMessage> updates = new ArrayList<>();
        String stop;
        try (MrtReader r = MrtReader.open(file)) {
            for (Mrt.Record x = r.next(); x != null; x = r.next()) {
                if (x instanceof Mrt.Rib rib && (rib.afi() == 1 || rib.afi() == 2) && rib.safi() == 1) {
                    ribs.add(rib);
                } else if (x instanceof Mrt.Bgp4mpMessage m && m.messageType() == 2 && !m.local()) {
                    updates.add(m);
                }
            }
            stop = r.stopReason();
        }
        String name = file.getFileName().toString();
        if (!ribs.isEmpty() && !updates.isEmpty()) {
            throw new IllegalArgumentException(name + " holds both RIB records and BGP4MP UPDATEs; blast takes one"
                    + " kind");
        }
        if (ribs.isEmpty() && updates.isEmpty()) {
            throw new IllegalArgumentException(name + ": no TABLE_DUMP_V2 IPv4/IPv6 unicast RIB records and no BGP4MP"
                    + " UPDATEs" + (stop != null ? " (reading stopped: " + stop + ")" : ""));
        }
        String truncated = stop != null ? "; reading stopped early: " + stop : "";
        return ribs.isEmpty() ? updates(name, updates, peer == null ? "all" : peer, truncated)
                : rib(name, ribs, peer == null ? "first" : peer, truncated);
    }

    private static Workload rib(String name, List<Mrt.Rib> ribs, String peer, String truncated) {
        if (peer.equals("all")) {
            throw new IllegalArgumentException("--mrt-peer all is for BGP4MP updates; a RIB dump sends one route per"
                    + " prefix: first, a peer index or a peer address");
        }
        Integer index = peer.matches("\\d+") ? Integer.valueOf(peer) : null;
        Map<Key, Builder> groups = new LinkedHashMap<>();
        UpdateDecodeContext ctx = new UpdateDecodeContext();
        long skipped = 0;
        for (Mrt.Rib rib : ribs) {
            Mrt.RibEntry chosen = null;
            for (Mrt.RibEntry e : rib.entries()) {
                boolean match = peer.equals("first") || (index != null ? e.peerIndex() == index
                        : e.peer() != null && e.peer().ip().equals(peer));
                if (match) {
                    chosen = e;
                    break;
                }
            }
            if (chosen == null) {
                continue;
            }
            AfiSafi family = rib.afi() == 2 ? AfiSafi.IPV6_UNICAST : AfiSafi.IPV4_UNICAST;
            ByteBuf buf = Unpooled.wrappedBuffer(chosen.attributes());
            PathAttributes attrs = PathAttributesCodec.decodeMrtRibEntry(buf, buf.writerIndex(), family,
                    SessionOptions.AS4, ctx);
            if (attrs == null || ctx.strongest().compareTo(ErrorAction.TREAT_AS_WITHDRAW) >= 0
                    || attrs.asPath() == null) {
                skipped++;
                continue;
            }
            long[] w;
            try {
                w = nlriWords(family, rib.nlri());
            } catch (IllegalArgumentException e) {
                skipped++;
                continue;
            }
            groups.computeIfAbsent(template(family, attrs), k -> new Builder()).add(w);
        }
        List<RouteGroup> out = new ArrayList<>();
        long prefixes = 0;
        for (Map.Entry<Key, Builder> e : groups.entrySet()) {
            RouteGroup g = e.getValue().group(e.getKey());
            prefixes += g.size();
            out.add(g);
        }
        return Workload.table(String.format("MRT RIB %s (peer %s): %,d prefixes in %,d attribute groups%s%s", name,
                peer, prefixes, out.size(), skipped > 0 ? ", " + skipped + " malformed entries skipped" : "",
                truncated), out);
    }

    private static Workload updates(String name, List<Mrt.Bgp4mpMessage> records, String peer, String truncated) {
        UpdateDecodeContext ctx = new UpdateDecodeContext();
        List<Change> changes = new ArrayList<>();
        long skipped = 0;
        for (Mrt.Bgp4mpMessage m : records) {
            if (!peer.equals("all") && !peer.equals(m.peerIp())) {
                continue;
            }
            SessionOptions options = m.as4() ? SessionOptions.AS4 : SessionOptions.DEFAULT;
            if (m.addPath()) {
                options = options.withAddPathReceive(Set.of(AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST));
            }
            ByteBuf buf = Unpooled.wrappedBuffer(m.message());
            BgpMessage decoded = MessageCodec.decode(buf, options, ctx);
            if (!(decoded instanceof UpdateMessage u)) {
                skipped++;
                continue;
            }
            long micros = m.header().timestamp() * 1_000_000L + m.header().microseconds();
            if (u.withdrawn().size() > 0) {
                changes.add(new Change(micros, null, StreamEncoder.slice(u.withdrawn(), 0, u.withdrawn().size())));
            }
            MpUnreachNlri unreach = u.mpUnreach();
            if (unreach != null && unreach.afiSafi().equals(AfiSafi.IPV6_UNICAST)
                    && unreach.nlri() instanceof PrefixList p && p.size() > 0) {
                changes.add(new Change(micros, null, StreamEncoder.slice(p, 0, p.size())));
            }
            boolean withdrawInstead = u.treatAsWithdraw() || u.attributes().asPath() == null;
            announce(changes, micros, AfiSafi.IPV4_UNICAST, u.nlri(), u.attributes(), withdrawInstead);
            MpReachNlri reach = u.mpReach();
            if (reach != null && reach.afiSafi().equals(AfiSafi.IPV6_UNICAST)) {
                announce(changes, micros, AfiSafi.IPV6_UNICAST, reach.nlri(), u.attributes(), withdrawInstead);
            }
        }
        Workload w = new Workload("", changes, true);
        return new Workload(String.format("MRT updates %s (peer %s): %,d UPDATE records, %,d prefixes announced,"
                + " %,d withdrawn%s%s", name, peer, records.size() - skipped, w.announcedPrefixes(),
                w.withdrawnPrefixes(), skipped > 0 ? ", " + skipped + " malformed skipped" : "", truncated), changes,
                true);
    }

    private static void announce(List<Change> changes, long micros, AfiSafi family, Nlri nlri, PathAttributes attrs,
            boolean withdrawInstead) {
        if (!(nlri instanceof PrefixList p) || p.size() == 0) {
            return;
        }
        PrefixList plain = StreamEncoder.slice(p, 0, p.size());
        if (withdrawInstead) {
            changes.add(new Change(micros, null, plain)); // RFC 7606 treat-as-withdraw, as the receiver would
            return;
        }
        Key k = template(family, attrs);
        changes.add(new Change(micros, new RouteGroup(plain, k.path, k.others), null));
    }

    /** The attributes blast sends for a route with {@code attrs}, with a key comparing them by value. */
    private static Key template(AfiSafi family, PathAttributes attrs) {
        List<PathAttribute> others = new ArrayList<>();
        for (int i = 0; i < attrs.size(); i++) {
            if (KEPT.contains(attrs.code(i))) {
                others.add(attrs.get(i));
            }
        }
        others.sort((x, y) -> Integer.compare(x.code(), y.code()));
        AsPath path = attrs.asPath();
        List<PathAttribute> all = new ArrayList<>(others);
        all.add(path);
        ByteBuf b = Unpooled.buffer(256);
        try {
            PathAttributesCodec.encode(PathAttributes.of(all), b, SessionOptions.AS4);
            byte[] bytes = new byte[b.readableBytes() + 1];
            b.readBytes(bytes, 1, bytes.length - 1);
            bytes[0] = (byte) (family.isIpv6() ? 6 : 4);
            return new Key(ByteBuffer.wrap(bytes), family, path, others);
        } finally {
            b.release();
        }
    }

    /** Group identity: the encoded attributes (equals/hashCode on the bytes only). */
    private record Key(ByteBuffer bytes, AfiSafi family, AsPath path, List<PathAttribute> others) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && bytes.equals(k.bytes);
        }

        @Override
        public int hashCode() {
            return bytes.hashCode();
        }
    }

    private static final class Builder {
        private long[] words = new long[16];
        private int n;

        void add(long[] w) {
            if (n + w.length > words.length) {
                words = Arrays.copyOf(words, words.length * 2);
            }
            System.arraycopy(w, 0, words, n, w.length);
            n += w.length;
        }

        RouteGroup group(Key k) {
            int stride = k.family.isIpv6() ? 3 : 1;
            PrefixList p = new PrefixList(k.family, n / stride, Arrays.copyOf(words, n), null, null, null);
            return new RouteGroup(p, k.path, k.others);
        }
    }

    /** A RIB record's prefix (length octet + address octets) as packed words, host bits cleared. */
    private static long[] nlriWords(AfiSafi family, byte[] nlri) {
        int len = nlri[0] & 0xff;
        byte[] a = new byte[family.isIpv6() ? 16 : 4];
        if (len > a.length * 8) {
            throw new IllegalArgumentException("prefix length " + len);
        }
        System.arraycopy(nlri, 1, a, 0, Math.min(nlri.length - 1, a.length));
        return RouteList.prefix(a, len);
    }
}
