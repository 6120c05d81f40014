package io.ribbit.collector.blast;

import io.ribbit.codec.nlri.PrefixList;

/**
 * One step of a workload: announce a {@link RouteGroup} or withdraw prefixes, optionally at a
 * point in time (MRT BGP4MP replay). Exactly one of {@code announce} and {@code withdraw} is set.
 *
 * @param micros   when it happened (microseconds since the epoch), or {@link #UNTIMED}
 */
public record Change(long micros, RouteGroup announce, PrefixList withdraw) {
    public static final long UNTIMED = -1;

    public Change {
        if ((announce == null) == (withdraw == null)) {
            throw new IllegalArgumentException("a change announces or withdraws");
        }
    }

    public static Change announce(RouteGroup g) {
        return new Change(UNTIMED, g, null);
    }

    public static Change withdraw(PrefixList p) {
        return new Change(UNTIMED, null, p);
    }
}
