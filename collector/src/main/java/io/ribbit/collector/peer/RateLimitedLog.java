package io.ribbit.collector.peer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.Logger;

/**
 * At most {@code burst} warnings per minute per key (BIRD's BGP_TRACE_RL); the rest are counted
 * and summarized in the next line that gets through. Counters carry the full volume.
 */
final class RateLimitedLog {
    private final Logger log;
    private final int burst;
    private final AtomicLong windowStart = new AtomicLong(System.nanoTime());
    private final AtomicLong inWindow = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Logger log, int burst) {
        this.log = log;
        this.burst = burst;
    }

    void warn(String format, Object... args) {
        long now = System.nanoTime();
        long start = windowStart.get();
        if (now - start > TimeUnit.MINUTES.toNanos(1) && windowStart.compareAndSet(start, now)) {
            inWindow.set(0);
        }
        if (inWindow.incrementAndGet() > burst) {
            suppressed.incrementAndGet();
            return;
        }
        long s = suppressed.getAndSet(0);
        if (s > 0) {
            log.warn("({} similar messages suppressed)", s);
        }
        log.warn(format, args);
    }
}
