package io.ribbit.collector.api;

import io.ribbit.codec.attr.AddressAttribute;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.Origin;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.rib.Route;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Which of a prefix's paths (from every peer) is best: RFC 4271 §9.1.2, simplified for a
 * collector, which has no IGP metric and no policy. The Loc-RIB will replace {@link #best(List)};
 * everything else (the API, the looking glass) only asks it. Earlier steps win:
 * <ol>
 *   <li>not LLGR-stale over LLGR-stale (RFC 9494 §4.3: long-lived stale paths are least preferred);</li>
 *   <li>highest LOCAL_PREF (absent: 100, the usual default, RFC 4271 §5.1.5);</li>
 *   <li>shortest AS_PATH ({@link AsPath#length()}: an AS_SET counts one, confederation segments none);</li>
 *   <li>lowest ORIGIN (IGP &lt; EGP &lt; INCOMPLETE);</li>
 *   <li>lowest MULTI_EXIT_DISC (absent: 0, §9.1.2.2 c), compared across neighbor ASes too
 *       ("always-compare-med"; the RFC compares it only within one neighbor AS);</li>
 *   <li>eBGP over iBGP;</li>
 *   <li>lowest BGP Identifier (the ORIGINATOR_ID when present, RFC 4456 §9); unknown (the
 *       session is down and the path kept stale) sorts last;</li>
 *   <li>lowest peer address (IPv4 before IPv6), then lowest ADD-PATH path id, so the order is total.</li>
 * </ol>
 */
public final class BestPath {
    /** RFC 4271 §5.1.5: the conventional LOCAL_PREF of a path that has none (eBGP-learned). */
    public static final long DEFAULT_LOCAL_PREF = 100;

    /**
     * One path of a prefix and what the decision needs about the peer it came from.
     *
     * @param ebgp true when the peer's AS differs from ours
     * @param routerId the peer's BGP Identifier (unsigned), or {@code -1} (0xffffffff, sorts last) when unknown
     * @param peerAddress the peer's address, 4 or 16 bytes
     */
    public record Candidate(Route route, boolean ebgp, int routerId, byte[] peerAddress, int pathId) {
    }

    /** Best first. */
    public static final Comparator<Candidate> ORDER = Comparator
            .comparing((Candidate c) -> c.route().llgrStale())
            .thenComparing(Comparator.comparingLong((Candidate c) -> localPref(c.route().attributes())).reversed())
            .thenComparingInt(c -> asPathLength(c.route().attributes()))
            .thenComparingInt(c -> origin(c.route().attributes()))
            .thenComparingLong(c -> med(c.route().attributes()))
            .thenComparing(c -> !c.ebgp())
            .thenComparing((a, b) -> Integer.compareUnsigned(routerId(a), routerId(b)))
            .thenComparing((a, b) -> compareAddresses(a.peerAddress(), b.peerAddress()))
            .thenComparing((a, b) -> Integer.compareUnsigned(a.pathId(), b.pathId()));

    private BestPath() {
    }

    /** The index of the best path in {@code paths}, or -1 when there is none. */
    public static int best(List<Candidate> paths) {
        int best = -1;
        for (int i = 0; i < paths.size(); i++) {
            if (best < 0 || ORDER.compare(paths.get(i), paths.get(best)) < 0) {
                best = i;
            }
        }
        return best;
    }

    /** Address order: IPv4 (4 bytes) before IPv6 (16), then unsigned byte by byte. */
    public static int compareAddresses(byte[] a, byte[] b) {
        return a.length != b.length ? Integer.compare(a.length, b.length) : Arrays.compareUnsigned(a, b);
    }

    static long localPref(PathAttributes a) {
        long lp = a.localPref();
        return lp < 0 ? DEFAULT_LOCAL_PREF : lp;
    }

    static int asPathLength(PathAttributes a) {
        AsPath p = a.asPath();
        return p == null ? 0 : p.length();
    }

    static int origin(PathAttributes a) {
        Origin o = a.origin();
        return o == null ? Origin.INCOMPLETE.wire() : o.wire();
    }

    static long med(PathAttributes a) {
        long med = a.med();
        return med < 0 ? 0 : med;
    }

    static int routerId(Candidate c) {
        AddressAttribute originator = c.route().attributes().originatorId();
        return originator != null ? originator.address() : c.routerId();
    }
}
