package io.ribbit.rib;

import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.nlri.PrefixList;
import java.util.Arrays;

/**
 * One route's path: the attributes its UPDATE carried (without the NLRI, shared by every prefix
 * of that UPDATE), the next hop (IPv4 NEXT_HOP, or the MP_REACH_NLRI next-hop bytes), labels for
 * labeled families, and whether it is stale (RFC 4724 §4.2 / RFC 9494 during a peer's restart).
 * Immutable.
 */
public record Route(PathAttributes attributes, byte[] nextHop, int[] labels, boolean stale, boolean llgrStale) {
    public Route asStale(boolean longLived) {
        return new Route(attributes, nextHop, labels, true, longLived);
    }

    /** The next hop as text (the first address; link-local after a comma). */
    public String nextHopText() {
        if (nextHop == null || nextHop.length == 0) {
            return "";
        }
        if (nextHop.length == 4) {
            int a = (nextHop[0] & 0xff) << 24 | (nextHop[1] & 0xff) << 16 | (nextHop[2] & 0xff) << 8 | (nextHop[3] & 0xff);
            return PrefixList.appendIpv4(a, new StringBuilder(15)).toString();
        }
        return String.join(",", new io.ribbit.codec.attr.MpReachNlri(io.ribbit.codec.nlri.AfiSafi.IPV6_UNICAST,
                nextHop, PrefixList.empty(io.ribbit.codec.nlri.AfiSafi.IPV6_UNICAST)).nextHops());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Route r && r.attributes.equals(attributes) && Arrays.equals(r.nextHop, nextHop)
                && Arrays.equals(r.labels, labels) && r.stale == stale && r.llgrStale == llgrStale;
    }

    @Override
    public int hashCode() {
        return attributes.hashCode() * 31 + Arrays.hashCode(nextHop);
    }

    @Override
    public String toString() {
        return "Route[nh " + nextHopText() + (stale ? " stale" : "") + " " + attributes + "]";
    }
}
