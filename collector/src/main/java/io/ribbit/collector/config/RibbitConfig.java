package io.ribbit.collector.config;

import java.util.List;

/**
 * The whole configuration (one YAML file; docs/configuration.md), validated by
 * {@link ConfigLoader}. Immutable.
 *
 * @param name the collector name, the {@code host} field of events
 * @param routerId the BGP Identifier, as an int
 */
public record RibbitConfig(
        String name,
        int routerId,
        long localAs,
        List<HostPort> listen,
        HostPort http,
        List<NeighborConfig> neighbors,
        List<EventSinkConfig> events,
        String shutdownMessage) {
}
