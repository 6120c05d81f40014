package io.ribbit.collector.blast;

/**
 * What one session wrote for one stream (the table, or churn waves' withdrawals plus
 * re-announcements), counted when the last write completed, i.e. when the bytes were handed to
 * the kernel, not when the receiver processed them.
 *
 * @param startNanos {@link System#nanoTime()} of the first write
 * @param endNanos   {@link System#nanoTime()} when the last write completed
 * @param busyNanos  time spent sending: {@code endNanos - startNanos} for one stream, the sum of
 *                   the streams' times for several (churn waves, without the pauses between them)
 */
public record PhaseResult(long updates, long announced, long withdrawn, long bytes, long startNanos, long endNanos,
        long busyNanos) {
    public static final PhaseResult NONE = new PhaseResult(0, 0, 0, 0, 0, 0, 0);

    static PhaseResult of(EncodedStream s, long startNanos, long endNanos) {
        return new PhaseResult(s.messages(), s.announced(), s.withdrawn(), s.bytes(), startNanos, endNanos,
                endNanos - startNanos);
    }

    public boolean isEmpty() {
        return this.equals(NONE);
    }

    public double seconds() {
        return busyNanos / 1e9;
    }

    /** Both results' counts and busy times; start and end span both. */
    public PhaseResult plus(PhaseResult o) {
        if (isEmpty()) {
            return o;
        }
        if (o.isEmpty()) {
            return this;
        }
        return new PhaseResult(updates + o.updates, announced + o.announced, withdrawn + o.withdrawn, bytes + o.bytes,
                Math.min(startNanos, o.startNanos), Math.max(endNanos, o.endNanos), busyNanos + o.busyNanos);
    }
}
