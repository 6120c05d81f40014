package io.ribbit.collector.api;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Where the query API's passes over whole tables run, off the HTTP event loop: the pages and
 * dumps of {@code /api/peers/{peer}/routes} and the lookups that scan ({@code match=more-specific},
 * peers with ADD-PATH receive). Each is a {@code forEach} of a peer's table, 0.15–1 s at 1M
 * routes, which on the HTTP loop held up every other request (docs/performance.md). Here the
 * loop only parses, probes, writes, and hands passes to these threads.
 *
 * <p>Bounded twice: a small fixed pool runs the passes (a queue of at most {@code maxRequests}
 * tasks, since each request has at most one pass waiting), and at most {@code maxRequests}
 * requests that need passes are in progress at a time; the API answers more with 503. A dump
 * holds its place from the request to its last chunk (or the connection's end).
 *
 * <p>Thread safety: any thread.
 */
public final class TablePasses implements AutoCloseable {
    /** Requests needing passes in progress at once unless the daemon says otherwise. */
    public static final int MAX_REQUESTS = 4;

    private final ExecutorService pool;
    private final int maxRequests;
    private final AtomicInteger inProgress = new AtomicInteger();
    private volatile Runnable beforePass = () -> { };
    private volatile int dumpBatch = QueryApi.MAX_LIMIT;

    /** {@code threads} run passes; at most {@code maxRequests} requests hold a place at a time. */
    public TablePasses(int threads, int maxRequests) {
        // Whole-table passes are background work: below the HTTP loop, which answers lookups.
        this.pool = Executors.newFixedThreadPool(threads,
                new DefaultThreadFactory("ribbit-query", true, Thread.MIN_PRIORITY));
        this.maxRequests = maxRequests;
    }

    /** As many pass threads as half the cores (1 to 4): ingest keeps the rest. */
    public static TablePasses forThisMachine() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new TablePasses(Math.max(1, Math.min(4, cores / 2)), MAX_REQUESTS);
    }

    /** Takes a place for a request that needs passes; false when all are taken (the API answers 503). */
    boolean tryAcquire() {
        for (int n; (n = inProgress.get()) < maxRequests; ) {
            if (inProgress.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Gives back a place taken by {@link #tryAcquire}, exactly once. */
    void release() {
        inProgress.decrementAndGet();
    }

    /** Requests that hold a place now. */
    public int inProgress() {
        return inProgress.get();
    }

    public int maxRequests() {
        return maxRequests;
    }

    /** Runs {@code pass} on a pass thread; the future completes there. */
    <T> CompletableFuture<T> submit(Supplier<T> pass) {
        return CompletableFuture.supplyAsync(() -> {
            beforePass.run();
            return pass.get();
        }, pool);
    }

    /**
     * For tests: runs {@code hook} on the pass thread before every pass (one that blocks holds the
     * pass, so a test can look at the API while a pass is in progress, without timing).
     */
    public void beforeEachPass(Runnable hook) {
        beforePass = hook;
    }

    /**
     * Routes per pass of an {@code all=true} dump: the largest page ({@link QueryApi#MAX_LIMIT}),
     * so a table of N routes takes N / 100,000 passes and memory stays that of one full page.
     */
    public int dumpBatch() {
        return dumpBatch;
    }

    /** For tests: a smaller {@link #dumpBatch()}, so that a small table takes several passes. */
    public void dumpBatch(int routes) {
        dumpBatch = routes;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
