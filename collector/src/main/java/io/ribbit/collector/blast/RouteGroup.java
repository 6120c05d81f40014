package io.ribbit.collector.blast;

import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.PathAttribute;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import java.util.List;

/**
 * Prefixes of one family (IPv4 or IPv6 unicast) that share their path attributes: what one
 * UPDATE (or a few, when they do not fit 4096 octets) announces. Session-independent: the
 * session's own AS goes in front of {@code path} and its own next hop is added when the group is
 * encoded for a session ({@link StreamEncoder}).
 *
 * @param prefixes the prefixes, without ADD-PATH ids
 * @param path     the AS path as the source gave it (synthetic tables: without the first AS)
 * @param others   every other attribute to send (ORIGIN, MED, communities, ...), never AS_PATH,
 *                 NEXT_HOP or MP_REACH_NLRI/MP_UNREACH_NLRI
 */
public record RouteGroup(PrefixList prefixes, AsPath path, List<PathAttribute> others) {
    public RouteGroup {
        AfiSafi f = prefixes.afiSafi();
        if (!f.equals(AfiSafi.IPV4_UNICAST) && !f.equals(AfiSafi.IPV6_UNICAST)) {
            throw new IllegalArgumentException("only IPv4 and IPv6 unicast: " + f);
        }
        others = List.copyOf(others);
    }

    public AfiSafi family() {
        return prefixes.afiSafi();
    }

    public int size() {
        return prefixes.size();
    }
}
