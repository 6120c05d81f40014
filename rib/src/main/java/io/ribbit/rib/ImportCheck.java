package io.ribbit.rib;

/**
 * The route hygiene checks a neighbor's routes can be put through on import (docs/configuration.md
 * {@code import-checks}). A failed check tags the route (events, API, metrics) or, when configured,
 * rejects it: a rejected route is not stored in the Adj-RIB-In. Each constant is one bit of a tag
 * mask.
 */
public enum ImportCheck {
    /**
     * The prefix lies in special-purpose or unroutable space (RFC 6890 registries, multicast, class
     * E; for IPv6 anything outside 2000::/3 and the documentation, benchmarking, ORCHID, 6to4 and
     * 6bone ranges inside it), or is a default route.
     */
    BOGON_PREFIX("bogon-prefix"),
    /** Longer than the configured maximum (default /24 for IPv4, /48 for IPv6). */
    LONG_PREFIX("long-prefix"),
    /**
     * AS_PATH holds a private (RFC 6996), reserved (RFC 7607: 0; RFC 7300: 65535, 4294967295;
     * IANA: 65552-131071), documentation (RFC 5398) ASN or AS_TRANS (RFC 6793); confederation
     * segments are not looked at (RFC 5065: they hold member ASNs, often private).
     */
    BOGON_ASN("bogon-asn"),
    /** An ASN appears twice with another in between (prepending is not a loop), or the path holds our own AS. */
    AS_PATH_LOOP("as-path-loop"),
    /** AS path length (RFC 4271 §9.1.2.2 a: an AS_SET counts one) above the configured maximum. */
    AS_PATH_LENGTH("as-path-length"),
    /**
     * eBGP only: the next hop is not the peer's address (a route server or a third-party next hop
     * is legitimate, hence a tag by default). Compared when the next hop and the peer are of the
     * same address family.
     */
    NEXT_HOP("next-hop");

    private final String key;

    ImportCheck(String key) {
        this.key = key;
    }

    /** The configuration key, metric label and event tag. */
    public String key() {
        return key;
    }

    public int bit() {
        return 1 << ordinal();
    }

    /** The check with configuration key {@code key}, or null. */
    public static ImportCheck byKey(String key) {
        for (ImportCheck c : values()) {
            if (c.key.equals(key)) {
                return c;
            }
        }
        return null;
    }

    /** The keys of the checks in {@code mask}, in declaration order. */
    public static java.util.List<String> keys(int mask) {
        java.util.List<String> out = new java.util.ArrayList<>(Integer.bitCount(mask));
        for (ImportCheck c : values()) {
            if ((mask & c.bit()) != 0) {
                out.add(c.key);
            }
        }
        return out;
    }
}
