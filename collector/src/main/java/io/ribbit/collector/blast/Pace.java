package io.ribbit.collector.blast;

/**
 * How fast a session writes a stream: as fast as the receiver reads ({@link #MAX}), a set number
 * of UPDATEs or prefixes per second, or a BGP4MP replay's original timing scaled by a factor.
 * Given the time since the stream started, it says how many of the stream's messages may have
 * been written by now and when the next one is due.
 */
public record Pace(Kind kind, double value) {
    public enum Kind {
        /** No pacing: as fast as TCP takes it. */
        MAX,
        /** {@code value} UPDATEs per second. */
        UPDATES_PER_SECOND,
        /** {@code value} prefixes (announced + withdrawn) per second. */
        PREFIXES_PER_SECOND,
        /** A timed stream's original timing, {@code value} times faster (1 = real time). */
        REPLAY
    }

    public static final Pace MAX = new Pace(Kind.MAX, 0);

    public Pace {
        if (kind != Kind.MAX && !(value > 0)) {
            throw new IllegalArgumentException(kind + " needs a positive value");
        }
    }

    /** How many messages of {@code s} may be written {@code elapsedNanos} after it started. */
    int allowed(EncodedStream s, long elapsedNanos) {
        return switch (kind) {
            case MAX -> s.messages();
            case UPDATES_PER_SECOND -> (int) Math.min(s.messages(), (long) (elapsedNanos * value / 1e9) + 1);
            case PREFIXES_PER_SECOND -> s.messagesWithinPrefixes((long) (elapsedNanos * value / 1e9));
            case REPLAY -> s.messagesDueBy((long) (elapsedNanos / 1e3 * value));
        };
    }

    /** Nanoseconds after the start at which message {@code m} of {@code s} is due. */
    long dueNanos(EncodedStream s, int m) {
        return switch (kind) {
            case MAX -> 0;
            case UPDATES_PER_SECOND -> (long) (m * 1e9 / value);
            case PREFIXES_PER_SECOND -> (long) Math.ceil(s.prefixesBefore(m) * 1e9 / value);
            case REPLAY -> (long) Math.ceil(s.dueMicros(m) * 1e3 / value);
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case MAX -> "as fast as possible";
            case UPDATES_PER_SECOND -> String.format("%,.0f UPDATEs/s per session", value);
            case PREFIXES_PER_SECOND -> String.format("%,.0f prefixes/s per session", value);
            case REPLAY -> value == 1 ? "original timing" : "original timing x" + value;
        };
    }
}
