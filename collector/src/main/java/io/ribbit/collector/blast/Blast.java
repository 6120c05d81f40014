package io.ribbit.collector.blast;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.collector.peer.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A BGP load generator run: encodes the workload once per session (its AS and next hop differ),
 * brings the sessions up (all before sending, unless not {@code sync}), sends the table and
 * End-of-RIB on every session at once, then the churn waves, and keeps the sessions up
 * (KEEPALIVEs) until {@link #close()}, which ends them with a Cease.
 *
 * <p>Thread safety: {@link #start()} runs the work on its own driver thread; the futures and
 * {@link #report()} may be used from any thread.
 */
public final class Blast implements AutoCloseable {
    private static final String SHUTDOWN_TEXT = "ribbit blast: done";

    private final BlastOptions options;
    private final Workload workload;
    private final Consumer<String> log;
    private final Transport transport = Transport.best();
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final List<BlastSession> sessions = new ArrayList<>();
    private final List<EncodedStream> tables = new ArrayList<>();
    private final PhaseResult[] tableResults;
    private final PhaseResult[] churnResults;
    private final CompletableFuture<BlastReport> tableSent = new CompletableFuture<>();
    private final CompletableFuture<BlastReport> done = new CompletableFuture<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private EventLoopGroup group;
    private Thread driver;
    private volatile int wavesSent;
    private volatile long tableCpuNanos = -1;
    private boolean closed;

    /** @param log progress lines (stderr in the CLI) */
    public Blast(BlastOptions options, Workload workload, Consumer<String> log) {
        this.options = options;
        this.workload = workload;
        this.log = log;
        this.tableResults = new PhaseResult[options.sessions().size()];
        this.churnResults = new PhaseResult[options.sessions().size()];
        Arrays.fill(tableResults, PhaseResult.NONE);
        Arrays.fill(churnResults, PhaseResult.NONE);
        if (options.churnPercent() > 0 && workload.timed()) {
            throw new IllegalArgumentException("churn waves need a table, not an MRT BGP4MP replay");
        }
    }

    /** Encodes the table for every session, starts the sessions and the driver; returns at once. */
    public synchronized Blast start() throws InterruptedException {
        if (group != null) {
            throw new IllegalStateException("already started");
        }
        long t0 = System.nanoTime();
        for (SessionParams p : options.sessions()) {
            tables.add(new StreamEncoder(p).encode(workload.changes(), workload.timed(), alloc));
        }
        EncodedStream first = tables.get(0);
        log.accept(String.format("encoded %,d UPDATEs (%,d octets, %,d prefixes announced, %,d withdrawn) per session"
                + " for %d session(s) in %.2f s", first.messages(), first.bytes(), first.announced(), first.withdrawn(),
                tables.size(), (System.nanoTime() - t0) / 1e9));
        int threads = Math.min(options.sessions().size(), Math.max(1, Runtime.getRuntime().availableProcessors()));
        group = transport.newGroup(threads, "ribbit-blast");
        long deadline = System.nanoTime() + options.connectTimeout().toNanos();
        for (SessionParams p : options.sessions()) {
            BlastSession s = new BlastSession(p, options.holdTime(), workload.hasIpv6(), group, transport);
            sessions.add(s);
            if (options.passive()) {
                s.listen(deadline);
                log.accept("session " + (p.index() + 1) + ": listening on " + s.listenAddress());
            } else {
                s.connect(options.target(), deadline);
            }
        }
        driver = new Thread(this::drive, "ribbit-blast-driver");
        driver.setDaemon(true);
        driver.start();
        return this;
    }

    /** The sessions, in order (after {@link #start()}). */
    public List<BlastSession> sessions() {
        return List.copyOf(sessions);
    }

    /**
     * Completes once every session wrote its table and End-of-RIB (sessions that failed are in the
     * report's errors).
     */
    public CompletableFuture<BlastReport> tableSent() {
        return tableSent;
    }

    /** Completes once the table and every churn wave are written. */
    public CompletableFuture<BlastReport> done() {
        return done;
    }

    public int wavesSent() {
        return wavesSent;
    }

    public BlastReport report() {
        List<BlastReport.Row> rows = new ArrayList<>();
        for (int i = 0; i < options.sessions().size(); i++) {
            SessionParams p = options.sessions().get(i);
            BlastSession s = i < sessions.size() ? sessions.get(i) : null;
            String local = p.local().getHostString();
            rows.add(new BlastReport.Row(i + 1, local, s != null && s.remote() != null ? s.remote().toString() : null,
                    p.asn(), tableResults[i], churnResults[i], wavesSent, s != null ? s.error() : null));
        }
        long epochOffset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        return new BlastReport(workload.description(), tablePace().toString(), rows, epochOffset, tableCpuNanos);
    }

    private Pace tablePace() {
        return workload.timed() && options.replaySpeed() > 0 ? new Pace(Pace.Kind.REPLAY, options.replaySpeed())
                : options.pace();
    }

    private void drive() {
        try {
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            if (options.sync()) {
                awaitQuietly(CompletableFuture.allOf(sessions.stream().map(BlastSession::established)
                        .toArray(CompletableFuture[]::new)));
                long up = sessions.stream().filter(s -> s.error() == null).count();
                log.accept(up + " of " + sessions.size() + " session(s) established" + (up == 0 ? ""
                        : "; sending the table (" + tablePace() + ")"));
            }
            long cpu = processCpuNanos();
            for (int i = 0; i < sessions.size(); i++) {
                int idx = i;
                BlastSession s = sessions.get(i);
                sent.add(s.established()
                        .thenCompose(v -> s.send(tables.get(idx), tablePace()))
                        .thenCompose(r -> {
                            tableResults[idx] = r;
                            return options.endOfRib() ? s.sendEndOfRib() : CompletableFuture.completedFuture(null);
                        }));
            }
            awaitQuietly(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)));
            if (cpu >= 0 && options.sync()) {
                tableCpuNanos = processCpuNanos() - cpu;
            }
            tableSent.complete(report());
            tables.forEach(EncodedStream::release);
            if (options.churnPercent() > 0) {
                churn();
            }
            done.complete(report());
        } catch (InterruptedException e) {
            tableSent.complete(report());
            done.complete(report());
        } catch (RuntimeException e) {
            tableSent.completeExceptionally(e);
            done.completeExceptionally(e);
        }
    }

    /** Churn: per wave, withdraw a share of the table's groups then re-announce them, on every session. */
    private void churn() throws InterruptedException {
        List<RouteGroup> groups = workload.groups();
        for (int wave = 1; wave <= options.waves(); wave++) {
            if (stopping.await(options.interval().toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            List<RouteGroup> picked = pick(groups, options.churnPercent(), wave);
            List<Change> changes = new ArrayList<>();
            for (AfiSafi f : List.of(AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST)) {
                PrefixList all = concat(f, picked);
                if (all.size() > 0) {
                    changes.add(Change.withdraw(all));
                }
            }
            picked.forEach(g -> changes.add(Change.announce(g)));
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            List<EncodedStream> streams = new ArrayList<>();
            try {
                for (int i = 0; i < sessions.size(); i++) {
                    int idx = i;
                    BlastSession s = sessions.get(i);
                    if (s.error() != null) {
                        continue;
                    }
                    EncodedStream stream = new StreamEncoder(s.params()).encode(changes, false, alloc);
                    streams.add(stream);
                    sent.add(s.send(stream, options.pace())
                            .thenAccept(r -> churnResults[idx] = churnResults[idx].plus(r)));
                }
                awaitQuietly(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)));
            } finally {
                // Also when closed mid-wave (awaitQuietly throws): the slices in flight hold their own references.
                streams.forEach(EncodedStream::release);
            }
            wavesSent = wave;
            long n = picked.stream().mapToLong(RouteGroup::size).sum();
            log.accept(String.format("churn wave %d of %d: %,d prefixes withdrawn and re-announced per session", wave,
                    options.waves(), n));
        }
    }

    /** The groups of wave {@code wave}: about {@code percent} % of them, a different pseudo-random share each wave. */
    static List<RouteGroup> pick(List<RouteGroup> groups, int percent, int wave) {
        List<RouteGroup> out = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            long h = (i + 1) * 0x9E3779B97F4A7C15L + wave * 0xC2B2AE3D27D4EB4FL;
            h ^= h >>> 31;
            h *= 0xBF58476D1CE4E5B9L;
            h ^= h >>> 29;
            if (Math.floorMod(h, 100) < percent) {
                out.add(groups.get(i));
            }
        }
        return out;
    }

    private static PrefixList concat(AfiSafi family, List<RouteGroup> groups) {
        int n = 0;
        for (RouteGroup g : groups) {
            n += g.family().equals(family) ? g.size() : 0;
        }
        int stride = family.isIpv6() ? 3 : 1;
        long[] words = new long[n * stride];
        int k = 0;
        for (RouteGroup g : groups) {
            if (!g.family().equals(family)) {
                continue;
            }
            PrefixList p = g.prefixes();
            for (int i = 0; i < p.size(); i++) {
                if (stride == 3) {
                    words[k++] = p.ipv6High(i);
                    words[k++] = p.ipv6Low(i);
                    words[k++] = p.length(i);
                } else {
                    words[k++] = p.ipv4(i);
                }
            }
        }
        return new PrefixList(family, n, words, null, null, null);
    }

    /** CPU time of this process so far, or -1 where the JVM cannot tell. */
    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** Waits for {@code f} (whose failures are the sessions' and are in the report), unless stopping. */
    private void awaitQuietly(CompletableFuture<?> f) throws InterruptedException {
        while (true) {
            try {
                f.get(100, TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                return;
            } catch (TimeoutException e) {
                if (stopping.getCount() == 0) {
                    throw new InterruptedException("stopping");
                }
            }
        }
    }

    /** Ends every session with a Cease (6/2), waits up to {@code timeout} for them to close, frees everything. */
    public void close(Duration timeout) {
        stopping.countDown();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            List<CompletableFuture<Void>> closing = new ArrayList<>();
            for (BlastSession s : sessions) {
                closing.add(s.stop(SHUTDOWN_TEXT));
            }
            try {
                CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // closed as far as it would; the event loops are shut down below
            }
            if (driver != null) {
                try {
                    driver.join(timeout.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (group != null) {
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            }
            tables.forEach(EncodedStream::release);
            tableSent.complete(report());
            done.complete(report());
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
