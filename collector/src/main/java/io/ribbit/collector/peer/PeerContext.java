package io.ribbit.collector.peer;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.ribbit.codec.message.OpenMessage;
import io.ribbit.collector.config.NeighborConfig;
import io.ribbit.collector.event.EventBus;

/** What a {@link Peer} needs from the daemon around it. */
interface PeerContext {
    MeterRegistry registry();

    Transport transport();

    EventBus events();

    int routerId();

    long localAs();

    /** Seconds to wait for End-of-RIB before dropping routes still stale after a restart. */
    int staleRoutesTime();

    /** The OPEN Ribbit sends to this neighbor. */
    OpenMessage openFor(NeighborConfig neighbor);

    /** Adds the codec handlers to a new connection's pipeline. */
    void initPipeline(Channel ch);

    /** The Loc-RIB, or null when it is not kept ({@code loc-rib: enabled: false}). */
    io.ribbit.rib.LocRib locRib();

    /** A dynamic peer with no session and no routes left is forgotten (its metrics go too). */
    void removeIfIdle(Peer peer);
}
