package io.ribbit.collector.blast;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.ribbit.codec.SessionOptions;
import io.ribbit.codec.message.MessageCodec;
import io.ribbit.codec.message.UpdateMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * UPDATEs encoded once, ready to be written as large slices: a list of direct buffers
 * ({@link #SEGMENT} octets each, never splitting a message), with every message's end offset,
 * the running count of prefixes, and (for a timed replay) when each message is due. Written as
 * retained slices, so any number of writes may be in flight; {@link #release()} frees the buffers
 * once the stream is no longer needed (the slices keep them alive until written).
 *
 * <p>Thread safety: built by one thread, then read-only; safe to share once published.
 */
public final class EncodedStream {
    /** Segment size: a write is at most one segment. */
    static final int SEGMENT = 1 << 20;
    private static final int MAX_MESSAGE = 4096;

    /** One buffer of whole messages: message {@code first + i} ends at {@code ends[i]}. */
    record Segment(ByteBuf buf, int first, int[] ends, int count) {
        int start(int message) {
            return message == first ? 0 : ends[message - first - 1];
        }

        int end(int message) {
            return ends[message - first];
        }

        int last() {
            return first + count;
        }
    }

    private final List<Segment> segments;
    private final int messages;
    private final long bytes;
    /** Prefixes (announced + withdrawn) in messages [0, i): size messages + 1. */
    private final long[] prefixesBefore;
    private final long announced;
    private final long withdrawn;
    /** Microseconds since the first change, per message; null when untimed. */
    private final long[] dueMicros;

    private EncodedStream(List<Segment> segments, int messages, long bytes, long[] prefixesBefore, long announced,
            long withdrawn, long[] dueMicros) {
        this.segments = segments;
        this.messages = messages;
        this.bytes = bytes;
        this.prefixesBefore = prefixesBefore;
        this.announced = announced;
        this.withdrawn = withdrawn;
        this.dueMicros = dueMicros;
    }

    public int messages() {
        return messages;
    }

    public long bytes() {
        return bytes;
    }

    public long announced() {
        return announced;
    }

    public long withdrawn() {
        return withdrawn;
    }

    List<Segment> segments() {
        return segments;
    }

    /** Prefixes in messages [0, message). */
    long prefixesBefore(int message) {
        return prefixesBefore[message];
    }

    /** Microseconds after the stream's start that {@code message} is due (0 when untimed). */
    long dueMicros(int message) {
        return dueMicros == null ? 0 : dueMicros[message];
    }

    boolean timed() {
        return dueMicros != null;
    }

    /** Number of messages whose prefix count before them is at most {@code prefixes}. */
    int messagesWithinPrefixes(long prefixes) {
        int i = Arrays.binarySearch(prefixesBefore, 0, messages, prefixes);
        if (i < 0) {
            return -i - 1;
        }
        while (i + 1 < messages && prefixesBefore[i + 1] == prefixes) {
            i++;
        }
        return i + 1;
    }

    /** Number of messages due at or before {@code micros}. */
    int messagesDueBy(long micros) {
        if (dueMicros == null) {
            return messages;
        }
        int i = Arrays.binarySearch(dueMicros, 0, messages, micros);
        if (i < 0) {
            return -i - 1;
        }
        while (i + 1 < messages && dueMicros[i + 1] == micros) {
            i++;
        }
        return i + 1;
    }

    /** Every message in order, as a slice of its segment (not retained: valid until {@link #release()}). */
    public void forEachMessage(java.util.function.Consumer<ByteBuf> action) {
        for (Segment s : segments) {
            for (int m = s.first(); m < s.last(); m++) {
                int start = s.start(m);
                action.accept(s.buf().slice(start, s.end(m) - start));
            }
        }
    }

    /** Frees the buffers (writes already started keep their slices alive). Idempotent. */
    public synchronized void release() {
        for (Segment s : segments) {
            if (s.buf().refCnt() > 0) {
                s.buf().release();
            }
        }
        segments.clear();
    }

    /** Builds a stream message by message; not thread-safe. */
    static final class Builder {
        private final ByteBufAllocator alloc;
        private final SessionOptions options;
        private final List<Segment> segments = new ArrayList<>();
        /**
         * Messages are encoded into this heap buffer (plain array accesses, and no leak-tracking
         * records per access when the leak detector is PARANOID), then copied into a direct
         * segment in one go.
         */
        private final ByteBuf current = Unpooled.wrappedBuffer(new byte[SEGMENT]).clear();
        private int currentFirst;
        private int[] ends = new int[1024];
        private int count;
        private int messages;
        private long bytes;
        private long[] prefixesBefore = new long[1024];
        private long[] due;
        private long announced;
        private long withdrawn;
        private long firstMicros = -1;
        private long lastDue;
        private boolean success;

        Builder(ByteBufAllocator alloc, SessionOptions options, boolean timed) {
            this.alloc = alloc;
            this.options = options;
            this.due = timed ? new long[1024] : null;
        }

        /** Appends one message; {@code micros} is the change's time (timed streams only). */
        void add(UpdateMessage m, int announcedPrefixes, int withdrawnPrefixes, long micros) {
            if (current.writableBytes() < MAX_MESSAGE) {
                finishSegment();
            }
            int start = current.writerIndex();
            MessageCodec.encode(m, current, options);
            int len = current.writerIndex() - start;
            if (len > MAX_MESSAGE) {
                throw new IllegalStateException("UPDATE of " + len + " octets exceeds " + MAX_MESSAGE);
            }
            if (count == ends.length) {
                ends = Arrays.copyOf(ends, count * 2);
            }
            ends[count++] = current.writerIndex();
            if (messages + 1 >= prefixesBefore.length) {
                prefixesBefore = Arrays.copyOf(prefixesBefore, prefixesBefore.length * 2);
            }
            prefixesBefore[messages + 1] = prefixesBefore[messages] + announcedPrefixes + withdrawnPrefixes;
            if (due != null) {
                if (messages == due.length) {
                    due = Arrays.copyOf(due, messages * 2);
                }
                if (firstMicros < 0) {
                    firstMicros = micros;
                }
                // MRT timestamps may step back a little (several peers): never go backwards.
                lastDue = Math.max(lastDue, micros - firstMicros);
                due[messages] = lastDue;
            }
            messages++;
            bytes += len;
            announced += announcedPrefixes;
            withdrawn += withdrawnPrefixes;
        }

        private void finishSegment() {
            if (count > 0) {
                ByteBuf segment = alloc.directBuffer(current.readableBytes(), current.readableBytes());
                segment.writeBytes(current);
                segments.add(new Segment(segment, currentFirst, Arrays.copyOf(ends, count), count));
                current.clear();
                currentFirst = messages;
                count = 0;
            }
        }

        EncodedStream build() {
            finishSegment();
            success = true;
            return new EncodedStream(segments, messages, bytes, Arrays.copyOf(prefixesBefore, messages + 1), announced,
                    withdrawn, due == null ? null : Arrays.copyOf(due, messages));
        }

        /** Frees what was built if {@link #build()} was not reached (the "success flag" pattern). */
        void releaseIfFailed() {
            if (!success) {
                segments.forEach(s -> s.buf().release());
            }
        }
    }
}
