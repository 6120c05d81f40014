package io.ribbit.collector.config;

/**
 * The {@code loc-rib:} block (docs/configuration.md#loc-rib).
 *
 * @param enabled whether the Loc-RIB is kept (default: only when an event sink asks for its
 *     {@code LOC_RIB} events; the query API otherwise selects the best path at query time)
 * @param alwaysCompareMed compare MED across neighbor ASes too (default false: RFC 4271
 *     §9.1.2.2 c compares it only among paths from one neighbor AS)
 * @param maxPendingKeys prefixes queued for the Loc-RIB thread before peers are resynced instead
 */
public record LocRibConfig(boolean enabled, boolean alwaysCompareMed, long maxPendingKeys) {
    public static final LocRibConfig DISABLED = new LocRibConfig(false, false, 1_000_000);
    public static final LocRibConfig ENABLED = new LocRibConfig(true, false, 1_000_000);

    /** The default for these sinks: kept when one of them asks for {@code LOC_RIB} events. */
    public static LocRibConfig defaultFor(java.util.List<EventSinkConfig> sinks) {
        for (EventSinkConfig s : sinks) {
            if (s.locRib() != EventSinkConfig.LocRibEvents.NO) {
                return ENABLED;
            }
        }
        return DISABLED;
    }
}
