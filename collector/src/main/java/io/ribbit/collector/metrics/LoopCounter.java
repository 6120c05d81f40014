package io.ribbit.collector.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A counter with one writer thread (a peer's event loop) and any number of readers (the
 * Prometheus scrape, the API): a plain {@code long} the writer adds to with an opaque store, so
 * counting costs an add and a store instead of a Micrometer {@code Counter}'s striped atomic
 * adder. {@link PeerMeters} registers it as a {@code FunctionCounter}, so {@code /metrics} shows
 * an ordinary counter. Only for counts that one thread ever changes.
 */
public final class LoopCounter {
    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(LoopCounter.class, "count", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through COUNT
    private long count;

    /** Adds {@code n} (the writer thread only). */
    public void increment(long n) {
        COUNT.setOpaque(this, (long) COUNT.get(this) + n);
    }

    public void increment() {
        increment(1);
    }

    /** The count (any thread): every increment the writer made before some recent instant. */
    public double count() {
        return (long) COUNT.getOpaque(this);
    }
}
