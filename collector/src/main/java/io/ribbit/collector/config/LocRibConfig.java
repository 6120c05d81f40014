package io.ribbit.collector.config;

/**
 * The {@code loc-rib:} block (docs/configuration.md#loc-rib).
 *
 * @param enabled whether the Loc-RIB is kept (default true)
 * @param alwaysCompareMed compare MED across neighbor ASes too (default false: RFC 4271
 *     §9.1.2.2 c compares it only among paths from one neighbor AS)
 * @param maxPendingKeys prefixes queued for the Loc-RIB thread before peers are resynced instead
 */
public record LocRibConfig(boolean enabled, boolean alwaysCompareMed, long maxPendingKeys) {
    public static final LocRibConfig DEFAULT = new LocRibConfig(true, false, 1_000_000);
    public static final LocRibConfig DISABLED = new LocRibConfig(false, false, 1_000_000);
}
