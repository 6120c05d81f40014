package io.ribbit.collector.blast;

import io.ribbit.codec.attr.Aggregator;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AtomicAggregate;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.Communities;
import io.ribbit.codec.attr.LargeCommunities;
import io.ribbit.codec.attr.Origin;
import io.ribbit.codec.attr.PathAttribute;
import io.ribbit.codec.attr.Uint32Attribute;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The benchmark's synthetic full table: the model of {@code shared/bench/feeder.py} (its
 * {@code build_table}) in Java. A pure function of (seed, IPv4 count, IPv6 count); not byte-identical
 * to feeder.py (another random generator) but the same statistics: DFZ-like prefix lengths, AS
 * paths of 1..10 4-octet ASNs (mean 4.5, the first being the session's own, added when encoded),
 * Zipf-weighted transit ASes, ~6 % origin prepending, ORIGIN, MED (35 %), COMMUNITIES (50 %),
 * LARGE_COMMUNITIES (12 %), AGGREGATOR (8 %), ATOMIC_AGGREGATE (3 %), and attribute groups of 1 to
 * 256 prefixes (mean ~2.8, so ~360k UPDATEs per million prefixes), shuffled.
 */
public final class SyntheticTable {
    /** IPv4 prefix-length mix, roughly a 2024 DFZ table (weights, normalised). */
    private static final int[] V4_LENGTHS = {24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8};
    private static final double[] V4_WEIGHTS = {60.0, 9.5, 11.0, 4.5, 4.5, 2.5, 1.3, 0.8, 1.4, 0.2, 0.15, 0.1, 0.05,
            0.02, 0.01, 0.005, 0.002};
    private static final int[] V6_LENGTHS = {48, 44, 40, 36, 32, 29, 46, 47, 45, 42, 33, 34, 35, 28, 30, 31, 37, 38,
            39, 41, 43, 64};
    private static final double[] V6_WEIGHTS = {52.0, 6.0, 5.0, 3.0, 12.0, 5.0, 2.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0,
            1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
    /** AS path length 1..10 (including the session's own AS). */
    private static final double[] PATH_LENGTH_WEIGHTS = {0.02, 0.08, 0.20, 0.25, 0.20, 0.12, 0.07, 0.03, 0.02, 0.01};
    private static final int[] GROUP_SIZES = {1, 2, 3, 4, 5, 6, 8, 10, 16, 24, 32, 64, 128, 256};
    private static final double[] GROUP_WEIGHTS = {0.62, 0.14, 0.07, 0.045, 0.03, 0.022, 0.018, 0.013, 0.01, 0.006,
            0.004, 0.0025, 0.0012, 0.0005};
    private static final int[] COMMUNITY_COUNTS = {1, 2, 3, 4, 6, 8, 12};
    private static final double[] COMMUNITY_COUNT_WEIGHTS = {30, 25, 15, 12, 8, 6, 4};
    /** The ASes feeder.py gives its sessions; excluded from the ASN pool so no path loops back. */
    public static final long[] DEFAULT_SESSION_AS = {3356, 1299, 174, 6939, 2914, 3257, 6453, 6762,
            4200000009L, 4200000010L, 4200000011L, 4200000012L, 4200000013L, 4200000014L, 4200000015L,
            4200000016L};
    private static final long[][] FOUR_OCTET_RANGES = {{131072, 141625}, {196608, 216475}, {262144, 274000},
            {327680, 329727}, {393216, 402000}};

    private final SplittableRandom rng;

    private SyntheticTable(long seed) {
        this.rng = new SplittableRandom(seed);
    }

    /** The table's groups (IPv4 first in generation, then shuffled together), a pure function of the arguments. */
    public static List<RouteGroup> generate(long seed, int ipv4, int ipv6) {
        if (ipv4 < 0 || ipv6 < 0) {
            throw new IllegalArgumentException("prefix counts must not be negative");
        }
        return new SyntheticTable(seed).build(ipv4, ipv6);
    }

    /** The workload of {@link #generate}, described for the report. */
    public static Workload workload(long seed, int ipv4, int ipv6) {
        return Workload.table(String.format("synthetic table (seed %d): %,d IPv4 + %,d IPv6 prefixes", seed, ipv4,
                ipv6), generate(seed, ipv4, ipv6));
    }

    private List<RouteGroup> build(int n4, int n6) {
        long[] pool;
        long[] transit;
        {
            Set<Long> excluded = new HashSet<>();
            for (long a : DEFAULT_SESSION_AS) {
                excluded.add(a);
            }
            excluded.add(0L);
            excluded.add((long) AsPath.AS_TRANS);
            long[] two = Arrays.stream(sample(1, 64496, 42000)).filter(a -> !excluded.contains(a)).toArray();
            List<Long> four = new ArrayList<>();
            for (long[] r : FOUR_OCTET_RANGES) {
                int k = (int) ((r[1] - r[0]) * 28000 / 52000);
                for (long a : sample(r[0], r[1], k)) {
                    four.add(a);
                }
            }
            long[] fourArr = four.stream().mapToLong(Long::longValue).toArray();
            pool = new long[two.length + fourArr.length];
            System.arraycopy(two, 0, pool, 0, two.length);
            System.arraycopy(fourArr, 0, pool, two.length, fourArr.length);
            shuffle(pool);
            transit = new long[1000];
            long[] t2 = pick(two, 900);
            long[] t4 = pick(fourArr, 100);
            System.arraycopy(t2, 0, transit, 0, 900);
            System.arraycopy(t4, 0, transit, 900, 100);
        }
        double[] transitWeights = new double[transit.length];
        for (int i = 0; i < transit.length; i++) {
            transitWeights[i] = 1.0 / Math.pow(i + 1, 0.9);
        }
        double[] transitCum = cumulative(transitWeights);
        double[] groupCum = cumulative(GROUP_WEIGHTS);
        double[] pathCum = cumulative(PATH_LENGTH_WEIGHTS);
        double[] commCountCum = cumulative(COMMUNITY_COUNT_WEIGHTS);

        List<RouteGroup> groups = new ArrayList<>();
        for (AfiSafi family : List.of(AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST)) {
            boolean v6 = family.isIpv6();
            long[] words = v6 ? ipv6Prefixes(n6) : ipv4Prefixes(n4);
            int stride = v6 ? 3 : 1;
            int count = words.length / stride;
            int i = 0;
            while (i < count) {
                int size = Math.min(GROUP_SIZES[weighted(groupCum)], count - i);
                PrefixList prefixes = new PrefixList(family, size,
                        Arrays.copyOfRange(words, i * stride, (i + size) * stride), null, null, null);
                i += size;
                int pathLength = 1 + weighted(pathCum);
                long originAs = pool[rng.nextInt(pool.length)];
                long[] tail;
                if (pathLength >= 2) {
                    tail = new long[pathLength - 1];
                    for (int k = 0; k < pathLength - 2; k++) {
                        tail[k] = transit[weighted(transitCum)];
                    }
                    tail[pathLength - 2] = originAs;
                } else {
                    tail = new long[0];
                }
                if (pathLength >= 4 && rng.nextDouble() < 0.06) { // origin prepending
                    int k = 1 + rng.nextInt(2);
                    if (tail.length > k) {
                        Arrays.fill(tail, tail.length - k - 1, tail.length, originAs);
                    }
                }
                List<PathAttribute> attrs = new ArrayList<>(6);
                double o = rng.nextDouble();
                attrs.add(o < 0.88 ? Origin.IGP : o < 0.995 ? Origin.INCOMPLETE : Origin.EGP);
                if (rng.nextDouble() < 0.35) {
                    attrs.add(new Uint32Attribute(AttributeCode.MULTI_EXIT_DISC, rng.nextInt(5001)));
                }
                if (rng.nextDouble() < 0.03) {
                    attrs.add(AtomicAggregate.INSTANCE);
                }
                if (rng.nextDouble() < 0.5) {
                    int n = COMMUNITY_COUNTS[weighted(commCountCum)];
                    TreeSet<Integer> cs = new TreeSet<>(Integer::compareUnsigned);
                    for (int k = 0; k < n; k++) {
                        long ca = Math.min(transit[rng.nextInt(300)], 65535);
                        cs.add((int) (ca << 16 | (1 + rng.nextInt(9999))));
                    }
                    attrs.add(Communities.of(cs.stream().mapToInt(Integer::intValue).toArray()));
                }
                if (rng.nextDouble() < 0.12) {
                    int n = 1 + rng.nextInt(3);
                    long[] parts = new long[3 * n];
                    for (int k = 0; k < n; k++) {
                        parts[3 * k] = transit[rng.nextInt(transit.length)];
                        parts[3 * k + 1] = 1 + rng.nextInt(999);
                        parts[3 * k + 2] = rng.nextInt(100000);
                    }
                    attrs.add(LargeCommunities.of(parts));
                }
                if (rng.nextDouble() < 0.08) {
                    attrs.add(new Aggregator(AttributeCode.AGGREGATOR, originAs, rng.nextInt()));
                }
                attrs.sort((a, b) -> Integer.compare(a.code(), b.code()));
                groups.add(new RouteGroup(prefixes, AsPath.sequence(tail), attrs));
            }
        }
        for (int i = groups.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            RouteGroup t = groups.get(i);
            groups.set(i, groups.get(j));
            groups.set(j, t);
        }
        return groups;
    }

    /** {@code n} distinct IPv4 prefixes in the DFZ mix, sorted, packed as {@link PrefixList#packIpv4}. */
    private long[] ipv4Prefixes(int n) {
        int[] first = java.util.stream.IntStream.range(1, 224)
                .filter(o -> o != 10 && o != 127 && o != 100 && o != 169 && o != 172 && o != 192 && o != 198).toArray();
        int[] counts = counts(n, V4_WEIGHTS);
        LongSet seen = new LongSet(n);
        long[] out = new long[n];
        int got = 0;
        Integer[] order = sortedIndexes(V4_LENGTHS);
        for (int li : order) {
            int len = V4_LENGTHS[li];
            long c = Math.min(counts[li], (long) first.length << Math.max(0, len - 8));
            int mask = PrefixList.ipv4Mask(len);
            long tries = 0;
            int have = 0;
            while (have < c && tries < c * 20) {
                tries++;
                int a = (first[rng.nextInt(first.length)] << 24 | rng.nextInt(1 << 24)) & mask;
                long key = PrefixList.packIpv4(a, len);
                if (seen.add(key)) {
                    out[got++] = key;
                    have++;
                }
            }
        }
        out = Arrays.copyOf(out, got);
        Arrays.sort(out);
        return out;
    }

    private record V6(long hi, long lo, int len) implements Comparable<V6> {
        @Override
        public int compareTo(V6 o) {
            int c = Long.compareUnsigned(hi, o.hi);
            if (c == 0) {
                c = Long.compareUnsigned(lo, o.lo);
            }
            return c != 0 ? c : Integer.compare(len, o.len);
        }
    }

    /** {@code n} distinct IPv6 prefixes from 2001::/16 and 2400..2c00::/12 space, sorted, three words each. */
    private long[] ipv6Prefixes(int n) {
        if (n == 0) {
            return new long[0];
        }
        int[] tops = {0x2001, 0x2400, 0x2600, 0x2800, 0x2a00, 0x2c00};
        int[] counts = counts(n, V6_WEIGHTS);
        Set<V6> seen = new HashSet<>(n * 2);
        List<V6> out = new ArrayList<>(n);
        for (int li : sortedIndexes(V6_LENGTHS)) {
            int len = V6_LENGTHS[li];
            int have = 0;
            while (have < counts[li]) {
                long top = tops[rng.nextInt(tops.length)];
                long hi = top << 48;
                if (top == 0x2001) {
                    hi |= (long) rng.nextInt(1 << 16) << 32;
                } else {
                    hi |= (long) rng.nextInt(1 << 20) << 28;
                }
                long r = rng.nextLong();
                hi |= r >>> 36;
                long lo = r << 28;
                if (len <= 64) {
                    hi &= len == 0 ? 0 : -1L << (64 - len);
                    lo = 0;
                } else {
                    lo &= -1L << (128 - len);
                }
                V6 p = new V6(hi, lo, len);
                if (seen.add(p)) {
                    out.add(p);
                    have++;
                }
            }
        }
        out.sort(null);
        long[] words = new long[3 * out.size()];
        for (int i = 0; i < out.size(); i++) {
            V6 p = out.get(i);
            words[3 * i] = p.hi;
            words[3 * i + 1] = p.lo;
            words[3 * i + 2] = p.len;
        }
        return words;
    }

    /** feeder.py's {@code _counts}: floor of each share, the remainder to the heaviest length. */
    private static int[] counts(int n, double[] weights) {
        double total = 0;
        int big = 0;
        for (int i = 0; i < weights.length; i++) {
            total += weights[i];
            if (weights[i] > weights[big]) {
                big = i;
            }
        }
        int[] out = new int[weights.length];
        int sum = 0;
        for (int i = 0; i < weights.length; i++) {
            out[i] = (int) (n * weights[i] / total);
            sum += out[i];
        }
        out[big] += n - sum;
        return out;
    }

    private static Integer[] sortedIndexes(int[] lengths) {
        Integer[] idx = new Integer[lengths.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Integer.compare(lengths[a], lengths[b]));
        return idx;
    }

    private static double[] cumulative(double[] weights) {
        double[] c = new double[weights.length];
        double s = 0;
        for (int i = 0; i < weights.length; i++) {
            s += weights[i];
            c[i] = s;
        }
        return c;
    }

    /** An index drawn with the weights whose running sums are {@code cum}. */
    private int weighted(double[] cum) {
        double x = rng.nextDouble() * cum[cum.length - 1];
        int i = Arrays.binarySearch(cum, x);
        i = i >= 0 ? i + 1 : -i - 1;
        return Math.min(i, cum.length - 1);
    }

    /** {@code k} distinct values of [lo, hi) in random order (partial Fisher-Yates). */
    private long[] sample(long lo, long hi, int k) {
        int n = (int) (hi - lo);
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        long[] out = new long[k];
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(n - i);
            int t = v[i];
            v[i] = v[j];
            v[j] = t;
            out[i] = lo + v[i];
        }
        return out;
    }

    /** {@code k} distinct elements of {@code from}. */
    private long[] pick(long[] from, int k) {
        long[] out = new long[k];
        long[] idx = sample(0, from.length, k);
        for (int i = 0; i < k; i++) {
            out[i] = from[(int) idx[i]];
        }
        return out;
    }

    private void shuffle(long[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            long t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Open-addressing set of non-zero longs (a million IPv4 keys without boxing). */
    private static final class LongSet {
        private final long[] table;
        private final int mask;

        LongSet(int expected) {
            int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
            table = new long[cap];
            mask = cap - 1;
        }

        boolean add(long key) {
            int i = (int) (mix(key) & mask);
            while (table[i] != 0) {
                if (table[i] == key) {
                    return false;
                }
                i = (i + 1) & mask;
            }
            table[i] = key;
            return true;
        }

        private static long mix(long k) {
            k *= 0x9E3779B97F4A7C15L;
            return k ^ (k >>> 29);
        }
    }
}
