package io.ribbit.collector.blast;

import java.util.List;

/**
 * What a blast sends, the same for every session: the changes in order. A table (synthetic, MRT
 * TABLE_DUMP_V2, route list) is announcements only and untimed; an MRT BGP4MP replay has
 * withdrawals too and the original time of every change ({@link #timed()}).
 *
 * @param description one line for the report ("synthetic table, seed 1, 1,000,000 IPv4 ...")
 */
public record Workload(String description, List<Change> changes, boolean timed) {
    public Workload {
        changes = List.copyOf(changes);
    }

    /** An untimed table of announcements. */
    public static Workload table(String description, List<RouteGroup> groups) {
        return new Workload(description, groups.stream().map(Change::announce).toList(), false);
    }

    /** The announced groups, in order (for churn waves). */
    public List<RouteGroup> groups() {
        return changes.stream().filter(c -> c.announce() != null).map(Change::announce).toList();
    }

    public long announcedPrefixes() {
        long n = 0;
        for (Change c : changes) {
            n += c.announce() != null ? c.announce().size() : 0;
        }
        return n;
    }

    public long withdrawnPrefixes() {
        long n = 0;
        for (Change c : changes) {
            n += c.withdraw() != null ? c.withdraw().size() : 0;
        }
        return n;
    }

    public boolean hasIpv6() {
        for (Change c : changes) {
            var f = c.announce() != null ? c.announce().family() : c.withdraw().afiSafi();
            if (f.isIpv6()) {
                return true;
            }
        }
        return false;
    }
}
