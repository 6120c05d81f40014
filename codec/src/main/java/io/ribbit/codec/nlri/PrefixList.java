package io.ribbit.codec.nlri;

import io.netty.util.NetUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The prefixes of one address family in one UPDATE, in packed primitive form: no object per
 * prefix. Immutable once built.
 *
 * <p>Packing (documented once, here; the RIB uses the same keys):
 * <ul>
 *   <li>IPv4: one {@code long} per prefix, {@code (address & 0xffffffffL) << 8 | length}; see
 *       {@link #packIpv4(int, int)}. The address has its host bits cleared.</li>
 *   <li>IPv6: three {@code long}s per prefix: the high 64 bits, the low 64 bits, the length.</li>
 * </ul>
 * ADD-PATH path identifiers (RFC 7911 §3) sit in a parallel {@code int[]}, or are absent when the
 * family was not negotiated for ADD-PATH in this direction. Labeled families (RFC 8277) carry a
 * label stack per prefix and VPN families (RFC 4364 §4.3.4) a route distinguisher.
 *
 * <p>Why primitive: a full table is a million prefixes per peer; an object per prefix (or boxing
 * into a {@code Long}) would cost more than the data itself and load the GC on the hot path.
 */
public final class PrefixList implements Nlri {
    private final AfiSafi afiSafi;
    private final int size;
    private final long[] words;
    private final int[] pathIds;
    private final long[] routeDistinguishers;
    private final int[][] labels;

    /**
     * Wraps arrays without copying; the caller hands them over and must not change them after.
     *
     * @param words IPv4: one packed long per prefix; IPv6: three longs per prefix
     * @param pathIds path ids, or null without ADD-PATH
     * @param routeDistinguishers RDs (VPN families), or null
     * @param labels label stacks (labeled and VPN families), or null
     */
    public PrefixList(AfiSafi afiSafi, int size, long[] words, int[] pathIds, long[] routeDistinguishers,
            int[][] labels) {
        this.afiSafi = afiSafi;
        this.size = size;
        this.words = words;
        this.pathIds = pathIds;
        this.routeDistinguishers = routeDistinguishers;
        this.labels = labels;
    }

    private static final long[] NO_WORDS = new long[0];
    private static final PrefixList EMPTY_IPV4_UNICAST = new PrefixList(AfiSafi.IPV4_UNICAST, 0, NO_WORDS, null, null, null);

    /** An empty list of the family (End-of-RIB, or no routes); shared for IPv4 unicast. */
    public static PrefixList empty(AfiSafi afiSafi) {
        return afiSafi == AfiSafi.IPV4_UNICAST ? EMPTY_IPV4_UNICAST : new PrefixList(afiSafi, 0, NO_WORDS, null, null, null);
    }

    /** Packs an IPv4 prefix: {@code (address & 0xffffffffL) << 8 | length}. */
    public static long packIpv4(int address, int length) {
        return (address & 0xffffffffL) << 8 | length;
    }

    /** The IPv4 address of a packed prefix. */
    public static int ipv4Address(long packed) {
        return (int) (packed >>> 8);
    }

    /** The length of a packed IPv4 prefix. */
    public static int ipv4Length(long packed) {
        return (int) (packed & 0xff);
    }

    /** Network mask with {@code length} leading one bits (RFC 4632). */
    public static int ipv4Mask(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    @Override
    public AfiSafi afiSafi() {
        return afiSafi;
    }

    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    public boolean hasPathIds() {
        return pathIds != null;
    }

    /** The ADD-PATH path id of prefix {@code i}, 0 when ADD-PATH is not in use. */
    public int pathId(int i) {
        return pathIds == null ? 0 : pathIds[i];
    }

    /** The packed IPv4 prefix {@code i} (IPv4 families only). */
    public long ipv4(int i) {
        return words[i];
    }

    /** The prefix length of prefix {@code i}. */
    public int length(int i) {
        return afiSafi.isIpv6() ? (int) words[3 * i + 2] : (int) (words[i] & 0xff);
    }

    /** High 64 bits of IPv6 prefix {@code i}. */
    public long ipv6High(int i) {
        return words[3 * i];
    }

    /** Low 64 bits of IPv6 prefix {@code i}. */
    public long ipv6Low(int i) {
        return words[3 * i + 1];
    }

    /** Route distinguisher (RFC 4364 §2) of prefix {@code i}, 0 for non-VPN families. */
    public long routeDistinguisher(int i) {
        return routeDistinguishers == null ? 0 : routeDistinguishers[i];
    }

    /** MPLS label stack of prefix {@code i} (20-bit label values), empty for unlabeled families. */
    public int[] labels(int i) {
        if (labels == null) {
            return new int[0];
        }
        int[] fields = labels[i];
        int[] values = new int[fields.length];
        for (int k = 0; k < fields.length; k++) {
            values[k] = fields[k] >>> 4;
        }
        return values;
    }

    /** Raw 3-byte label fields (label, TC, S bit) of prefix {@code i}, for re-encoding. */
    public int[] labelFields(int i) {
        return labels == null ? null : labels[i];
    }

    /** The address bytes of prefix {@code i}, 4 or 16 of them. */
    public byte[] addressBytes(int i) {
        if (afiSafi.isIpv6()) {
            byte[] b = new byte[16];
            long hi = words[3 * i];
            long lo = words[3 * i + 1];
            for (int k = 0; k < 8; k++) {
                b[k] = (byte) (hi >>> (56 - 8 * k));
                b[8 + k] = (byte) (lo >>> (56 - 8 * k));
            }
            return b;
        }
        int a = (int) (words[i] >>> 8);
        return new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
    }

    /** Appends prefix {@code i} as text ({@code 192.0.2.0/24}, {@code 2001:db8::/32}). */
    public StringBuilder appendPrefix(int i, StringBuilder sb) {
        if (afiSafi.isIpv6()) {
            sb.append(NetUtil.bytesToIpAddress(addressBytes(i)));
        } else {
            appendIpv4((int) (words[i] >>> 8), sb);
        }
        return sb.append('/').append(length(i));
    }

    /** Prefix {@code i} as text. */
    public String prefix(int i) {
        return appendPrefix(i, new StringBuilder(20)).toString();
    }

    /** All prefixes as text, in order (allocates; for tests, tools and formatting). */
    public List<String> prefixes() {
        List<String> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(prefix(i));
        }
        return out;
    }

    /** Appends a dotted-quad IPv4 address without allocating. */
    public static StringBuilder appendIpv4(int a, StringBuilder sb) {
        return sb.append((a >>> 24) & 0xff).append('.').append((a >>> 16) & 0xff).append('.')
                .append((a >>> 8) & 0xff).append('.').append(a & 0xff);
    }

    /** Formats a route distinguisher per RFC 4364 §4.2: {@code 65000:100}, {@code 192.0.2.1:7}. */
    public static String formatRouteDistinguisher(long rd) {
        int type = (int) (rd >>> 48);
        switch (type) {
            case 0:
                return ((rd >>> 32) & 0xffff) + ":" + (rd & 0xffffffffL);
            case 1: {
                StringBuilder sb = new StringBuilder();
                appendIpv4((int) (rd >>> 16), sb);
                return sb.append(':').append(rd & 0xffff).toString();
            }
            case 2:
                return ((rd >>> 16) & 0xffffffffL) + ":" + (rd & 0xffff);
            default:
                return String.format("%d:%012x", type, rd & 0xffffffffffffL);
        }
    }

    int wordsPerPrefix() {
        return afiSafi.isIpv6() ? 3 : 1;
    }

    long word(int index) {
        return words[index];
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PrefixList p) || !p.afiSafi.equals(afiSafi) || p.size != size) {
            return false;
        }
        int n = size * wordsPerPrefix();
        if (!Arrays.equals(words, 0, n, p.words, 0, n)) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (pathId(i) != p.pathId(i) || routeDistinguisher(i) != p.routeDistinguisher(i)
                    || !Arrays.equals(labelFields(i), p.labelFields(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return afiSafi.hashCode() * 31 + Arrays.hashCode(Arrays.copyOf(words, size * wordsPerPrefix()));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("PrefixList[").append(afiSafi).append(' ');
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            if (pathIds != null) {
                sb.append("id ").append(pathIds[i]).append(' ');
            }
            if (routeDistinguishers != null) {
                sb.append("rd ").append(formatRouteDistinguisher(routeDistinguishers[i])).append(' ');
            }
            appendPrefix(i, sb);
            if (labels != null) {
                sb.append(" labels ").append(Arrays.toString(labels(i)));
            }
        }
        return sb.append(']').toString();
    }
}
