package io.ribbit.collector.config;

import java.util.List;

/**
 * The whole configuration (one YAML file; docs/configuration.md), validated by
 * {@link ConfigLoader}. Immutable.
 *
 * @param name the collector name, the {@code host} field of events
 * @param routerId the BGP Identifier, as an int
 * @param warmup seconds of JIT warm-up before listening (0: none)
 * @param locRib the {@code loc-rib:} block
 */
public record RibbitConfig(
        String name,
        int routerId,
        long localAs,
        List<HostPort> listen,
        HostPort http,
        List<NeighborConfig> neighbors,
        List<EventSinkConfig> events,
        String shutdownMessage,
        double warmup,
        LocRibConfig locRib) {
    /** Without warm-up, with the default Loc-RIB (embedding, tests). */
    public RibbitConfig(String name, int routerId, long localAs, List<HostPort> listen, HostPort http,
            List<NeighborConfig> neighbors, List<EventSinkConfig> events, String shutdownMessage) {
        this(name, routerId, localAs, listen, http, neighbors, events, shutdownMessage, 0,
                LocRibConfig.defaultFor(events));
    }
}
