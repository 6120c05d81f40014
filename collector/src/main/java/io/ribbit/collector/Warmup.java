package io.ribbit.collector;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.ribbit.collector.blast.Blast;
import io.ribbit.collector.blast.BlastOptions;
import io.ribbit.collector.blast.SessionParams;
import io.ribbit.collector.blast.SyntheticTable;
import io.ribbit.collector.blast.Workload;
import io.ribbit.collector.config.ConfigLoader;
import io.ribbit.collector.config.RibbitConfig;
import io.ribbit.collector.peer.Peer;
import java.io.File;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * JIT warm-up before the daemon listens ({@code warmup} in docs/configuration.md). A collector
 * that restarts gets every peer's full table at once; on a cold JVM the first hundreds of
 * thousands of UPDATEs run interpreted while the compiler threads compete with ingest for the
 * cores. This runs the real ingest path for a bounded time: a throwaway daemon, listening on
 * loopback only, gets a synthetic table from {@code ribbit blast} over a real BGP session (the
 * same transport, session, FSM, decoders, import checks, Adj-RIB-In, Loc-RIB if the
 * configuration keeps one, and event serialization to a discarding sink if it has sinks), then
 * waves of withdrawals and re-announcements until the time is up and the JIT's compilers have gone
 * quiet (bounded). Its routes are flushed when it
 * closes, so nothing of it stays in the shared attribute store; its metrics and events are its
 * own and are dropped.
 */
final class Warmup {
    private static final Logger LOG = LogManager.getLogger(Warmup.class);
    /** The table: IPv4 and IPv6 prefixes of the feeder's model. */
    static final int IPV4 = 200_000;
    static final int IPV6 = 20_000;
    /** How long past its time the warm-up may wait for the first whole table. */
    static final int FIRST_TABLE_GRACE_SECONDS = 60;

    private Warmup() {
    }

    /**
     * Runs for at least {@code seconds} and then until the compilers are quiet (at most
     * max(seconds, 10) s more), shaped by {@code real}; returns the prefixes the throwaway daemon took in.
     */
    static long run(double seconds, RibbitConfig real) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + (long) (seconds * 1e9);
        Daemon d;
        try {
            d = new Daemon(ConfigLoader.parse(config(real), "warm-up"));
        } catch (Exception e) {
            LOG.warn("JIT warm-up skipped: {}", e.toString());
            return 0;
        }
        Workload table = SyntheticTable.workload(7, IPV4, IPV6);
        long taken = 0;
        boolean quiet = false;
        try {
            d.start();
            InetSocketAddress target = d.peers().listenAddresses().get(0);
            Peer peer = d.peers().peer(InetAddress.getLoopbackAddress());
            BlastOptions o = BlastOptions.active(target,
                    List.of(SessionParams.feederStyle(0, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))))
                    .withChurn(50, 1_000, Duration.ofMillis(50));
            long whole = table.announcedPrefixes();
            long limit = deadline + TimeUnit.SECONDS.toNanos(FIRST_TABLE_GRACE_SECONDS);
            // Past the set time, until the compilers are quiet, for at most max(N, 10 s) more.
            long settleLimit = deadline + TimeUnit.SECONDS.toNanos(Math.max((long) Math.ceil(seconds), SETTLE_MIN_SECONDS));
            Settle settle = new Settle(Warmup::compilationMillis, SETTLE_WINDOW_NANOS, SETTLE_QUIET_MILLIS);
            try (Blast b = new Blast(o, table, line -> LOG.debug("warm-up blast: {}", line))) {
                b.start();
                // Until the time is up, and at least until the whole table is in once (bounded):
                // a warm-up that ends before the first table would have warmed half the path.
                // Then until the JIT has compiled what it is working on: on a slow or busy machine
                // the compile queue is still long after N seconds, and what is still queued when the
                // first real tables arrive is compiled while they wait (C2 took 1.3-2.0 CPU s of a
                // 1M-route table's ingest at `warmup: 5` on this project's 2-vCPU VMs).
                long now;
                while ((now = System.nanoTime()) < deadline
                        || peer.meters().prefixesAnnounced.count() < whole && now < limit
                        || now < settleLimit && !settle.settled(now)) {
                    Thread.sleep(20);
                }
                taken = (long) peer.meters().prefixesAnnounced.count();
                quiet = settle.settledAt() >= 0;
            }
        } catch (RuntimeException e) {
            LOG.warn("JIT warm-up stopped early: {}", e.toString());
        } finally {
            d.close();
        }
        LOG.info("JIT warm-up: {} prefixes over a loopback session in {} ms ({} ms of compilation; {})", taken,
                (System.nanoTime() - t0) / 1_000_000, compilationMillis(),
                quiet ? "the compilers were quiet at the end" : "the compilers were still busy at the bound");
        return taken;
    }

    /** Past the set time: one window of this length at a time, until one compiles at most SETTLE_QUIET_MILLIS. */
    static final long SETTLE_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Compilation time (summed over the compiler threads) in a window that counts as quiet: 4 % of a core. */
    static final long SETTLE_QUIET_MILLIS = 20;
    /** The settling's bound is max(N, this) seconds past the set time. */
    static final long SETTLE_MIN_SECONDS = 10;

    /** The JIT's accumulated compilation time in ms (all compiler threads), or -1 when the JVM does not report it. */
    static long compilationMillis() {
        CompilationMXBean c = ManagementFactory.getCompilationMXBean();
        return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : -1;
    }

    /**
     * Whether the JIT has settled: called repeatedly once the set time is over, it measures the
     * compilation time of consecutive windows and is settled from the first window that compiled
     * at most {@code quietMillis}. Without a compilation-time counter it is settled at once.
     */
    static final class Settle {
        private final LongSupplier compileMillis;
        private final long windowNanos;
        private final long quietMillis;
        private long windowStart = -1;
        private long compiledAtStart;
        private long settledAt = -1;

        Settle(LongSupplier compileMillis, long windowNanos, long quietMillis) {
            this.compileMillis = compileMillis;
            this.windowNanos = windowNanos;
            this.quietMillis = quietMillis;
        }

        boolean settled(long now) {
            if (settledAt >= 0) {
                return true;
            }
            long c = compileMillis.getAsLong();
            if (c < 0) {
                settledAt = now;
                return true;
            }
            if (windowStart < 0) {
                windowStart = now;
                compiledAtStart = c;
                return false;
            }
            if (now - windowStart < windowNanos) {
                return false;
            }
            if (c - compiledAtStart <= quietMillis) {
                settledAt = now;
                return true;
            }
            windowStart = now;
            compiledAtStart = c;
            return false;
        }

        /** When it settled ({@code now} of that call), or -1. */
        long settledAt() {
            return settledAt;
        }
    }

    /** The throwaway daemon's configuration: loopback only, one neighbor, the real one's Loc-RIB and sinks in kind. */
    static String config(RibbitConfig real) {
        StringBuilder y = new StringBuilder();
        // A YAML double-quoted scalar takes JSON's escapes: whatever the real name holds stays one string.
        y.append("name: \"").append(JsonStringEncoder.getInstance().quoteAsString(real.name() + "-warm-up"))
                .append("\"\n");
        y.append("router-id: 192.0.2.1\nlocal-as: 64512\n");
        y.append("listen: [\"127.0.0.1:0\"]\n");
        y.append("loc-rib:\n  enabled: ").append(real.locRib().enabled()).append('\n');
        y.append("neighbors:\n  - address: 127.0.0.1\n    remote-as: ").append(SyntheticTable.DEFAULT_SESSION_AS[0])
                .append("\n    families: [ipv4-unicast, ipv6-unicast]\n");
        if (!real.events().isEmpty() && new File("/dev/null").exists()) {
            y.append("events:\n  - type: file\n    path: /dev/null\n");
        }
        return y.toString();
    }
}
