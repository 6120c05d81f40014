package io.ribbit.rib.bench;

import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.rib.AdjRibIn;
import io.ribbit.rib.AttributeStore;
import io.ribbit.rib.PrefixTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Adj-RIB-In on one core with the feeder's full table (1M IPv4 prefixes, 359,889 UPDATEs,
 * about 360k distinct attribute sets): {@link AdjRibIn#apply} of the whole stream as
 * announcements into an empty table, as replacements (every route gets a new set), and as
 * withdrawals. Scores are per prefix ({@code @OperationsPerInvocation} = 1M; the setup checks the
 * stream has exactly that many). The lookup benchmarks are in {@link LookupBenchmark}.
 *
 * <p>Each invocation includes the per-UPDATE work of the RIB: encoding the attributes to their
 * canonical bytes, hashing, the per-writer cache and the store. Run with
 * {@code rib/src/bench/jmh.sh AdjRibInBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+UseParallelGC"})
public class AdjRibInBenchmark {
    static final int PREFIXES = 1_000_000;

    List<UpdateMessage> announce;
    List<UpdateMessage> replaceA;
    List<UpdateMessage> replaceB;
    List<UpdateMessage> withdraw;
    AdjRibIn rib;
    boolean flip;

    @Setup(Level.Trial)
    public void load() throws IOException {
        announce = FeederStream.load();
        long n = FeederStream.prefixes(announce);
        if (n != PREFIXES) {
            throw new IllegalStateException("expected the 1M-prefix stream, got " + n + " prefixes");
        }
        replaceA = new ArrayList<>(announce.size());
        replaceB = new ArrayList<>(announce.size());
        withdraw = new ArrayList<>(announce.size());
        for (UpdateMessage u : announce) {
            replaceA.add(FeederStream.withMed(u, 100_001));
            replaceB.add(FeederStream.withMed(u, 100_002));
            withdraw.add(FeederStream.withdrawal(u));
        }
    }

    /** announce: an empty RIB (with its own store) per invocation. */
    @State(Scope.Thread)
    public static class Empty {
        AdjRibIn rib;

        @Setup(Level.Invocation)
        public void fresh() {
            rib = new AdjRibIn(new AttributeStore());
        }
    }

    /** replace / withdraw: a RIB holding the full table at the start of every invocation. */
    @State(Scope.Thread)
    public static class Full {
        AdjRibIn rib;
        boolean flip;

        @Setup(Level.Trial)
        public void make() {
            rib = new AdjRibIn(new AttributeStore());
        }

        void fill(List<UpdateMessage> stream) {
            if (rib.size() != PREFIXES) {
                for (UpdateMessage u : stream) {
                    rib.apply(u);
                }
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(PREFIXES)
    public long announce(Empty s) {
        long n = 0;
        for (UpdateMessage u : announce) {
            n += s.rib.apply(u).announced();
        }
        return n;
    }

    /** Every route gets a new attribute set (MED flips between two values each invocation). */
    @Benchmark
    @OperationsPerInvocation(PREFIXES)
    public long replace(Full s) {
        s.fill(announce);
        List<UpdateMessage> stream = s.flip ? replaceA : replaceB;
        s.flip = !s.flip;
        long n = 0;
        for (UpdateMessage u : stream) {
            n += s.rib.apply(u).announced();
        }
        return n;
    }

    @State(Scope.Thread)
    public static class ToWithdraw extends Full {
        @Setup(Level.Invocation)
        public void refill(AdjRibInBenchmark b) {
            fill(b.announce);
        }
    }

    @Benchmark
    @OperationsPerInvocation(PREFIXES)
    public long withdraw(ToWithdraw s) {
        long n = 0;
        for (UpdateMessage u : withdraw) {
            n += s.rib.apply(u).removed();
        }
        return n;
    }

    /** Prefix keys of the stream in random order, for lookups. */
    static long[] shuffledKeys(List<UpdateMessage> stream) {
        long[] keys = new long[PREFIXES];
        int k = 0;
        for (UpdateMessage u : stream) {
            for (int i = 0; i < u.nlri().size(); i++) {
                keys[k++] = u.nlri().ipv4(i);
            }
        }
        SplittableRandom r = new SplittableRandom(7);
        for (int i = keys.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            long t = keys[i];
            keys[i] = keys[j];
            keys[j] = t;
        }
        return keys;
    }

    static PrefixTable v4(AdjRibIn rib) {
        return rib.table(AfiSafi.IPV4_UNICAST);
    }
}
