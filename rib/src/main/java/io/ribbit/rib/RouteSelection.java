package io.ribbit.rib;

import io.ribbit.codec.attr.AddressAttribute;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.ClusterList;
import io.ribbit.codec.attr.Origin;
import io.ribbit.codec.attr.PathAttributes;
import java.util.Arrays;

/**
 * Which of a prefix's paths (one or more per peer) is best: the Decision Process of RFC 4271
 * §9.1.2 for a collector, which has no policy (so no degree of preference but LOCAL_PREF) and no
 * IGP (so no §9.1.2.2 e). The one implementation: the Loc-RIB ({@link LocRib}) and the query-time
 * choice of the API both call {@link #select}. The steps, in order; each keeps only the paths
 * that are best by it:
 * <ol>
 *   <li>not long-lived stale over long-lived stale (RFC 9494 §4.3);</li>
 *   <li>highest LOCAL_PREF (absent: 100, the conventional default of RFC 4271 §5.1.5);</li>
 *   <li>shortest AS_PATH (§9.1.2.2 a; an AS_SET counts 1, confederation segments 0, RFC 5065 §5.3);</li>
 *   <li>lowest ORIGIN (§9.1.2.2 b: IGP, EGP, INCOMPLETE; absent counts as INCOMPLETE);</li>
 *   <li>lowest MULTI_EXIT_DISC (§9.1.2.2 c; absent: 0), compared only among paths from the same
 *       neighbor AS (the first AS of the AS_PATH; the local AS for an empty path or one that
 *       begins with an AS_SET), or among all paths with {@code always-compare-med};</li>
 *   <li>eBGP over iBGP (§9.1.2.2 d);</li>
 *   <li>lowest BGP Identifier (§9.1.2.2 f), the ORIGINATOR_ID in its place when present (RFC 4456
 *       §9); a peer whose Identifier is not known sorts last;</li>
 *   <li>shortest CLUSTER_LIST (RFC 4456 §9);</li>
 *   <li>lowest peer address (§9.1.2.2 g; IPv4 before IPv6), then lowest ADD-PATH path id (RFC
 *       7911), so that exactly one path wins.</li>
 * </ol>
 * The MED step is an elimination over the set left by the steps before it (§9.1.2.2 c), not a
 * comparison of two paths: without {@code always-compare-med}, "better than" is not transitive,
 * and {@link #select} gives the same answer in any order of the paths. With it, every step
 * compares two paths, and {@link #compare} is a total order that {@link #select} agrees with.
 *
 * <p>Immutable; {@link Path} holders are mutable and belong to one thread.
 */
public final class RouteSelection {
    /** RFC 4271 §5.1.5: the conventional LOCAL_PREF of a path that has none (eBGP-learned). */
    public static final long DEFAULT_LOCAL_PREF = 100;
    /** The BGP Identifier of a peer whose OPEN was never seen: after every real one. */
    public static final long UNKNOWN_ID = 1L << 32;
    /** The neighbor AS of a path with an empty AS_PATH or one that begins with an AS_SET: ours. */
    public static final long LOCAL_AS = -1;

    /**
     * What the decision needs about the peer a path came from. Immutable.
     *
     * @param address the peer's address, 4 or 16 bytes
     * @param ebgp whether the peer is in another AS than ours
     * @param bgpId the BGP Identifier of the peer's OPEN (unsigned), or {@link #UNKNOWN_ID}
     */
    public record PeerFacts(byte[] address, boolean ebgp, long bgpId) {
    }

    /**
     * One path and the values the decision compares, parsed once from its {@link AttributeSet}
     * ({@link #of}); reused by its owner thread.
     */
    public static final class Path {
        PeerFacts peer;
        AttributeSet set;
        int pathId;
        boolean llgrStale;
        long localPref;
        int asPathLength;
        int origin;
        long med;
        long neighborAs;
        /** ORIGINATOR_ID (unsigned), else the peer's BGP Identifier. */
        long bgpId;
        int clusterListLength;
        /** Scratch of {@link #select}. */
        boolean out;

        public PeerFacts peer() {
            return peer;
        }

        public AttributeSet set() {
            return set;
        }

        public int pathId() {
            return pathId;
        }

        public boolean llgrStale() {
            return llgrStale;
        }

        public long localPref() {
            return localPref;
        }

        public int asPathLength() {
            return asPathLength;
        }

        public int origin() {
            return origin;
        }

        public long med() {
            return med;
        }

        public long neighborAs() {
            return neighborAs;
        }

        public long bgpId() {
            return bgpId;
        }

        public int clusterListLength() {
            return clusterListLength;
        }

        /** Fills this holder for {@code set} with stale mark {@code stale} ({@link PrefixTable#LLGR_STALE}…). */
        public Path of(PeerFacts peer, AttributeSet set, byte stale, int pathId) {
            this.peer = peer;
            this.set = set;
            this.pathId = pathId;
            this.llgrStale = stale == PrefixTable.LLGR_STALE;
            parse(set.bytes);
            return this;
        }

        /**
         * Reads the compared values straight from the canonical bytes ({@link AttributeBytes}):
         * a walk over the attribute headers, no decode and no allocation. A set stored with
         * 2-octet AS numbers (AS_PATH to be merged with AS4_PATH, RFC 6793 §4.2.3; rare) is decoded.
         */
        private void parse(byte[] b) {
            localPref = DEFAULT_LOCAL_PREF;
            asPathLength = 0;
            origin = Origin.INCOMPLETE.wire();
            med = 0;
            neighborAs = LOCAL_AS;
            bgpId = peer.bgpId();
            clusterListLength = 0;
            if ((b[0] & AttributeBytes.AS4) == 0) {
                parseDecoded(AttributeBytes.attributes(b));
                return;
            }
            int i = AttributeBytes.attributesOffset(b);
            while (i + 3 <= b.length) {
                int code = b[i + 1] & 0xff;
                int len = PathAttributes.valueLength(b, i);
                int v = PathAttributes.valueStart(b, i);
                switch (code) {
                    case AttributeCode.ORIGIN -> origin = b[v] & 0xff;
                    case AttributeCode.AS_PATH -> asPath(b, v, v + len);
                    case AttributeCode.MULTI_EXIT_DISC -> med = u32(b, v);
                    case AttributeCode.LOCAL_PREF -> localPref = u32(b, v);
                    case AttributeCode.ORIGINATOR_ID -> bgpId = u32(b, v);
                    case AttributeCode.CLUSTER_LIST -> clusterListLength = len / 4;
                    default -> { }
                }
                i = v + len;
            }
        }

        /** AS_PATH with 4-octet AS numbers: length per §9.1.2.2 a, and the neighbor AS. */
        private void asPath(byte[] b, int from, int to) {
            asPathLength += AsPath.length(b, from, to - from, 4);
            // The neighbor AS: the first ASN of the first segment that is not a confederation
            // segment, when that is an AS_SEQUENCE.
            for (int i = from; i + 2 <= to; i += 2 + 4 * (b[i + 1] & 0xff)) {
                int type = b[i] & 0xff;
                if (type == AsPath.AS_SEQUENCE || type == AsPath.AS_SET) {
                    if (type == AsPath.AS_SEQUENCE && (b[i + 1] & 0xff) > 0) {
                        neighborAs = u32(b, i + 2);
                    }
                    return;
                }
            }
        }

        private void parseDecoded(PathAttributes a) {
            if (a.localPref() >= 0) {
                localPref = a.localPref();
            }
            AsPath p = a.asPath();
            if (p != null) {
                asPathLength = p.length();
                long n = p.firstAs();
                neighborAs = n < 0 ? LOCAL_AS : n;
            }
            if (a.origin() != null) {
                origin = a.origin().wire();
            }
            if (a.med() >= 0) {
                med = a.med();
            }
            AddressAttribute originator = a.originatorId();
            if (originator != null) {
                bgpId = Integer.toUnsignedLong(originator.address());
            }
            ClusterList c = a.clusterList();
            if (c != null) {
                clusterListLength = c.size();
            }
        }

        private static long u32(byte[] b, int i) {
            return (long) (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | b[i + 3] & 0xff;
        }

        @Override
        public String toString() {
            return "Path[lp " + localPref + ", len " + asPathLength + ", origin " + origin + ", med " + med
                    + ", nas " + neighborAs + ", ebgp " + peer.ebgp() + ", id " + Long.toHexString(bgpId) + ", cl "
                    + clusterListLength + ", llgr " + llgrStale + ", pathId " + pathId + "]";
        }
    }

    private final boolean alwaysCompareMed;

    public RouteSelection(boolean alwaysCompareMed) {
        this.alwaysCompareMed = alwaysCompareMed;
    }

    public boolean alwaysCompareMed() {
        return alwaysCompareMed;
    }

    /** The steps before MED (stale, LOCAL_PREF, AS_PATH length, ORIGIN); negative: {@code a} better. */
    public static int compareBeforeMed(Path a, Path b) {
        if (a.llgrStale != b.llgrStale) {
            return a.llgrStale ? 1 : -1;
        }
        if (a.localPref != b.localPref) {
            return a.localPref > b.localPref ? -1 : 1;
        }
        if (a.asPathLength != b.asPathLength) {
            return Integer.compare(a.asPathLength, b.asPathLength);
        }
        return Integer.compare(a.origin, b.origin);
    }

    /** The steps after MED (eBGP, BGP Identifier, CLUSTER_LIST, peer address, path id): a total order. */
    public static int compareAfterMed(Path a, Path b) {
        if (a.peer.ebgp() != b.peer.ebgp()) {
            return a.peer.ebgp() ? -1 : 1;
        }
        if (a.bgpId != b.bgpId) {
            return Long.compare(a.bgpId, b.bgpId);
        }
        if (a.clusterListLength != b.clusterListLength) {
            return Integer.compare(a.clusterListLength, b.clusterListLength);
        }
        int c = compareAddresses(a.peer.address(), b.peer.address());
        return c != 0 ? c : Integer.compareUnsigned(a.pathId, b.pathId);
    }

    /**
     * Every step on two paths, MED compared when {@code always-compare-med} or the neighbor ASes
     * are the same. A total order only with {@code always-compare-med}; otherwise use {@link #select}.
     */
    public int compare(Path a, Path b) {
        int c = compareBeforeMed(a, b);
        if (c != 0) {
            return c;
        }
        if ((alwaysCompareMed || a.neighborAs == b.neighborAs) && a.med != b.med) {
            return Long.compare(a.med, b.med);
        }
        return compareAfterMed(a, b);
    }

    /** The index of the best of {@code paths[0..n)}, or -1 when {@code n} is 0. */
    public int select(Path[] paths, int n) {
        if (n <= 1) {
            return n - 1;
        }
        if (alwaysCompareMed) {
            int best = 0;
            for (int i = 1; i < n; i++) {
                if (compare(paths[i], paths[best]) < 0) {
                    best = i;
                }
            }
            return best;
        }
        // The steps before MED: keep the paths as good as the best by them.
        int first = 0;
        for (int i = 1; i < n; i++) {
            if (compareBeforeMed(paths[i], paths[first]) < 0) {
                first = i;
            }
        }
        for (int i = 0; i < n; i++) {
            paths[i].out = compareBeforeMed(paths[i], paths[first]) != 0;
        }
        // §9.1.2.2 c: drop a path if another left from the same neighbor AS has a lower MED.
        for (int i = 0; i < n; i++) {
            Path p = paths[i];
            if (p.out) {
                continue;
            }
            for (int k = 0; k < n; k++) {
                Path q = paths[k];
                if (k != i && compareBeforeMed(q, paths[first]) == 0 && q.neighborAs == p.neighborAs && q.med < p.med) {
                    p.out = true;
                    break;
                }
            }
        }
        int best = -1;
        for (int i = 0; i < n; i++) {
            if (!paths[i].out && (best < 0 || compareAfterMed(paths[i], paths[best]) < 0)) {
                best = i;
            }
        }
        return best;
    }

    /** Address order: IPv4 (4 bytes) before IPv6 (16), then unsigned byte by byte. */
    public static int compareAddresses(byte[] a, byte[] b) {
        return a.length != b.length ? Integer.compare(a.length, b.length) : Arrays.compareUnsigned(a, b);
    }
}
