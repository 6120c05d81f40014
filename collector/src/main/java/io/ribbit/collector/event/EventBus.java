package io.ribbit.collector.event;

import io.ribbit.collector.config.EventSinkConfig;
import java.io.IOException;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Carries events from every peer's event loop to the sinks. Producers (event loops) never block
 * and take no lock: they append to a lock-free queue. One writer thread serializes each event
 * once per raw/no-raw variant with Jackson's streaming generator and writes it to every sink.
 *
 * <p>No event is dropped. When the queue grows past {@code highWatermark} (a sink cannot keep up),
 * the producing peer is asked to stop reading from its socket (TCP back-pressure; it keeps
 * sending KEEPALIVEs); when the writer has drained below {@code lowWatermark} every paused peer
 * resumes. A failing sink is retried, never skipped; the stall shows in metrics.
 */
public final class EventBus implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(EventBus.class);

    /** Something that can stop and resume reading (a peer). Called on the writer thread for resume. */
    public interface Throttled {
        void pauseReading();

        void resumeReading();
    }

    private final Queue<Event> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong pending = new AtomicLong();
    private final Set<Throttled> paused = ConcurrentHashMap.newKeySet();
    /** An array: the writer loops over it per event (no iterator). */
    private final EventSink[] sinks;
    private final String host;
    private final long highWatermark;
    private final long lowWatermark;
    private final Thread writer;
    /** RUNNING, or parked: BATCH (briefly, while events flow) or IDLE (long; the next event wakes it). */
    private final java.util.concurrent.atomic.AtomicInteger writerState = new java.util.concurrent.atomic.AtomicInteger();
    private static final int RUNNING = 0;
    private static final int BATCH = 1;
    private static final int IDLE = 2;
    private volatile boolean closing;
    private final AtomicLong backPressureNanos = new AtomicLong();
    private final AtomicLong sinkErrors = new AtomicLong();
    private final AtomicLong pausedSince = new AtomicLong();
    private final boolean anyRaw;
    /** Whether some sink takes the message and state events, and the Loc-RIB's events. */
    private final boolean anyMessages;
    private final boolean anyLocRib;

    public EventBus(String host, List<EventSink> sinks, long highWatermark) {
        this.host = host;
        this.sinks = sinks.toArray(new EventSink[0]);
        this.highWatermark = highWatermark;
        this.lowWatermark = highWatermark / 2;
        boolean raw = false;
        for (EventSink s : sinks) {
            raw |= s.includeRaw();
        }
        this.anyRaw = raw;
        boolean messages = false;
        boolean locRib = false;
        for (EventSink s : sinks) {
            messages |= s.config().locRib() != EventSinkConfig.LocRibEvents.ONLY;
            locRib |= s.config().locRib() != EventSinkConfig.LocRibEvents.NO;
        }
        this.anyMessages = messages;
        this.anyLocRib = locRib;
        this.writer = new Thread(this::run, "ribbit-event-writer");
        this.writer.setDaemon(false);
        this.writer.start();
    }

    /** Whether any sink wants raw message bytes (so peers know to keep them). */
    public boolean wantsRaw() {
        return anyRaw;
    }

    /**
     * Whether some sink takes message and state events (everything but {@link Event#LOC_RIB}):
     * when none does, a peer builds no event at all (no clock read, no object).
     */
    public boolean wantsMessages() {
        return anyMessages;
    }

    /** Whether some sink takes the Loc-RIB's best-path events ({@link Event#LOC_RIB}). */
    public boolean wantsLocRib() {
        return anyLocRib;
    }

    /** Whether the queue is past the high watermark (a producer that may block waits while it is). */
    public boolean behind() {
        return pending.get() > highWatermark;
    }

    /** Events queued and not yet written. */
    public long pending() {
        return pending.get();
    }

    public List<EventSink> sinks() {
        return List.of(sinks);
    }

    /** Total time some peer was paused because the sinks were behind. */
    public long backPressureNanos() {
        long since = pausedSince.get();
        return backPressureNanos.get() + (since != 0 ? System.nanoTime() - since : 0);
    }

    public long sinkErrors() {
        return sinkErrors.get();
    }

    public int pausedPeers() {
        return paused.size();
    }

    /** Queues an event (any thread, never blocks); pauses {@code source} if the sinks are behind. */
    public void publish(Event e, Throttled source) {
        if (Event.LOC_RIB.equals(e.type()) ? !anyLocRib : !anyMessages) {
            return; // nowhere to write: not even queued
        }
        queue.offer(e);
        long n = pending.incrementAndGet();
        if (n > highWatermark && source != null && paused.add(source)) {
            source.pauseReading();
            pausedSince.compareAndSet(0, System.nanoTime());
        }
        // The writer wakes by itself every WRITER_PARK_NANOS; a producer wakes it early only once a
        // batch is waiting, so a full-table burst costs a wake-up per batch, not per UPDATE.
        int w = writerState.get();
        if ((w == IDLE || w == BATCH && n >= WAKE_BATCH) && writerState.compareAndSet(w, RUNNING)) {
            LockSupport.unpark(writer);
        }
    }

    /** Events queued before a producer wakes the writer early. */
    private static final int WAKE_BATCH = 256;
    /** The writer's longest sleep with events possibly queued: the latency bound of a lone event. */
    private static final long WRITER_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private void run() {
        EventJson line = new EventJson(host, false);
        EventJson rawLine = anyRaw ? new EventJson(host, true) : null;
        boolean wrote = false;
        // The id's sequence number: taken here, not by the producers (no shared counter on the peers'
        // loops), so ids increase in the order the lines are written.
        long seq = 0;
        while (true) {
            Event e = queue.poll();
            if (e == null) {
                flushAll();
                if (!paused.isEmpty() && pending.get() <= lowWatermark) {
                    // A producer crossed the high watermark but added itself to `paused` only after this
                    // thread had drained the queue: nothing left to write would ever resume it.
                    resumeAll();
                }
                if (closing && queue.isEmpty()) {
                    return;
                }
                // Events flowing: sleep briefly and let a batch build up; idle: sleep until woken.
                writerState.set(wrote ? BATCH : IDLE);
                if (queue.isEmpty() && !closing) {
                    LockSupport.parkNanos(this, wrote ? WRITER_PARK_NANOS : TimeUnit.MILLISECONDS.toNanos(100));
                }
                writerState.set(RUNNING);
                wrote = false;
                continue;
            }
            try {
                if (sinks.length == 0) {
                    pending.decrementAndGet();
                    continue;
                }
                wrote = true;
                seq++;
                line.write(e, seq);
                EventJson withRaw = null;
                if (rawLine != null && e.raw() != null) {
                    rawLine.write(e, seq);
                    withRaw = rawLine;
                }
                boolean locRib = Event.LOC_RIB.equals(e.type());
                for (EventSink s : sinks) {
                    EventSinkConfig.LocRibEvents want = s.config().locRib();
                    if (locRib ? want == EventSinkConfig.LocRibEvents.NO : want == EventSinkConfig.LocRibEvents.ONLY) {
                        continue;
                    }
                    writeRetrying(s, s.includeRaw() && withRaw != null ? withRaw : line);
                }
            } catch (IOException | RuntimeException ex) {
                LOG.error("cannot serialize event {}: {}", e.type(), ex.toString());
            }
            long left = pending.decrementAndGet();
            if (left <= lowWatermark && !paused.isEmpty()) {
                resumeAll();
            }
        }
    }

    private void writeRetrying(EventSink s, EventJson line) {
        long delayMs = 100;
        while (true) {
            try {
                s.write(line.array(), line.size());
                return;
            } catch (IOException ex) {
                sinkErrors.incrementAndGet();
                LOG.error("event sink {} failed ({}); retrying in {} ms, peers are paused meanwhile", s.name(),
                        ex.toString(), delayMs);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(delayMs));
                delayMs = Math.min(delayMs * 2, 5000);
            }
        }
    }

    private void resumeAll() {
        for (Throttled t : paused) {
            paused.remove(t);
            t.resumeReading();
        }
        long since = pausedSince.getAndSet(0);
        if (since != 0) {
            backPressureNanos.addAndGet(System.nanoTime() - since);
        }
    }

    private void flushAll() {
        for (EventSink s : sinks) {
            try {
                s.flush();
            } catch (IOException ex) {
                sinkErrors.incrementAndGet();
                LOG.error("event sink {} flush failed: {}", s.name(), ex.toString());
            }
        }
    }

    /** Writes everything queued, then stops the writer and closes the sinks. */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (EventSink s : sinks) {
            try {
                s.close();
            } catch (IOException ex) {
                LOG.error("closing event sink {}: {}", s.name(), ex.toString());
            }
        }
    }
}
