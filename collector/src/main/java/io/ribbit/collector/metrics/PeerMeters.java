package io.ribbit.collector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.ribbit.codec.message.MessageType;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one configured peer, resolved once so the hot path never builds a meter. Tags
 * are bounded: the configured peer address, its AS and description, and enum values. Created
 * when the peer is configured (or a dynamic neighbor connects); {@link #close()} removes every
 * meter it created, so the peer's series disappear from {@code /metrics}.
 */
public final class PeerMeters implements AutoCloseable {
    private final MeterRegistry registry;
    private final Tags tags;
    private final java.util.Queue<Meter> meters = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Map<MessageType, Counter> received = new EnumMap<>(MessageType.class);
    private final Map<MessageType, Counter> sent = new EnumMap<>(MessageType.class);
    private final Map<String, Counter> lazy = new ConcurrentHashMap<>();
    /** Counted on the peer's event loop only (see {@link LoopCounter}). */
    public final LoopCounter updates;
    public final LoopCounter prefixesAnnounced;
    public final LoopCounter prefixesWithdrawn;
    public final Counter maxPrefixWarnings;
    public final Counter malformedMessages;

    public PeerMeters(MeterRegistry registry, String peer, long peerAs, String description) {
        this.registry = registry;
        this.tags = Tags.of("peer", peer, "peer_as", peerAs < 0 ? "any" : Long.toString(peerAs), "description",
                description == null ? "" : description);
        for (MessageType t : MessageType.values()) {
            received.put(t, counter(RibbitMeters.MESSAGES_RECEIVED, "type", t.name().toLowerCase()));
            sent.put(t, counter(RibbitMeters.MESSAGES_SENT, "type", t.name().toLowerCase()));
        }
        updates = loopCounter(RibbitMeters.UPDATES_RECEIVED);
        prefixesAnnounced = loopCounter(RibbitMeters.PREFIXES_ANNOUNCED);
        prefixesWithdrawn = loopCounter(RibbitMeters.PREFIXES_WITHDRAWN);
        maxPrefixWarnings = counter(RibbitMeters.MAX_PREFIX_WARNINGS);
        malformedMessages = counter(RibbitMeters.MESSAGES_MALFORMED);
    }

    private Counter counter(RibbitMeters m, String... extra) {
        Counter c = Counter.builder(m.meterName()).description(m.description()).tags(tags).tags(extra)
                .register(registry);
        meters.add(c);
        return c;
    }

    private LoopCounter loopCounter(RibbitMeters m) {
        LoopCounter c = new LoopCounter();
        meters.add(FunctionCounter.builder(m.meterName(), c, LoopCounter::count).description(m.description())
                .tags(tags).register(registry));
        return c;
    }

    /** A gauge read from {@code obj} (held strongly until close). */
    public <T> void gauge(RibbitMeters m, T obj, ToDoubleFunction<T> f, String... extra) {
        Gauge g = Gauge.builder(m.meterName(), obj, f).description(m.description()).tags(tags).tags(extra)
                .strongReference(true).register(registry);
        meters.add(g);
    }

    public void gauge(RibbitMeters m, Supplier<Number> f, String... extra) {
        Gauge g = Gauge.builder(m.meterName(), f).description(m.description()).tags(tags).tags(extra)
                .strongReference(true).register(registry);
        meters.add(g);
    }

    public Counter received(MessageType t) {
        return received.get(t);
    }

    public Counter sent(MessageType t) {
        return sent.get(t);
    }

    /** A counter with extra bounded tags, created on first use (rare paths: NOTIFICATIONs, transitions, errors). */
    public Counter counter(RibbitMeters m, String k1, String v1, String k2, String v2) {
        String key = m.name() + '|' + v1 + '|' + v2;
        return lazy.computeIfAbsent(key, x -> {
            Counter c = Counter.builder(m.meterName()).description(m.description()).tags(tags).tags(k1, v1, k2, v2)
                    .register(registry);
            meters.add(c);
            return c;
        });
    }

    public Counter counter(RibbitMeters m, String k1, String v1) {
        String key = m.name() + '|' + v1;
        return lazy.computeIfAbsent(key, x -> {
            Counter c = Counter.builder(m.meterName()).description(m.description()).tags(tags).tags(k1, v1)
                    .register(registry);
            meters.add(c);
            return c;
        });
    }

    @Override
    public void close() {
        for (Meter m; (m = meters.poll()) != null; ) {
            registry.remove(m);
        }
        lazy.clear();
    }
}
