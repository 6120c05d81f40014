package io.ribbit.rib.bench;

import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.rib.AdjRibIn;
import io.ribbit.rib.AttributeSet;
import io.ribbit.rib.AttributeStore;
import io.ribbit.rib.PrefixTable;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
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
 * What {@link AdjRibInBenchmark#announce} is made of, part by part, and the floor under its
 * largest part: the feeder's 1M prefixes put into an empty {@link PrefixTable} (one set for all),
 * the 359,889 UPDATEs' attribute bytes interned into an empty {@link AttributeStore}, and, for
 * the same 1M keys, a reference open-addressing table with none of the table's obligations
 * (no concurrent readers, no paging, doubling) and {@link HashMap}. Scores are per prefix.
 * docs/performance.md (session 8) has the numbers and what they say about the S1 target. Run
 * with {@code rib/src/bench/jmh.sh RibPartsBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+UseParallelGC"})
public class RibPartsBenchmark {
    static final int PREFIXES = AdjRibInBenchmark.PREFIXES;

    /** Per UPDATE, its NLRI packed ({@link PrefixList#packIpv4}). */
    long[][] keys;
    /** Per UPDATE, its Path Attributes field as received. */
    byte[][] attributes;
    AttributeSet set;

    @Setup(Level.Trial)
    public void load() throws IOException {
        List<UpdateMessage> stream = FeederStream.load();
        keys = new long[stream.size()][];
        attributes = new byte[stream.size()][];
        long n = 0;
        for (int i = 0; i < keys.length; i++) {
            UpdateMessage u = stream.get(i);
            PrefixList p = u.nlri();
            keys[i] = new long[p.size()];
            for (int k = 0; k < p.size(); k++) {
                keys[i][k] = p.ipv4(k);
            }
            n += p.size();
            attributes[i] = u.attributes().rawNoCopy();
        }
        if (n != PREFIXES) {
            throw new IllegalStateException("expected the 1M-prefix stream, got " + n + " prefixes");
        }
        AdjRibIn rib = new AdjRibIn(new AttributeStore());
        rib.apply(stream.get(0));
        PrefixList first = stream.get(0).nlri();
        set = rib.table(AfiSafi.IPV4_UNICAST).get(first.ipv4(0), 0, first.length(0), 0, 0);
    }

    @Benchmark
    @OperationsPerInvocation(PREFIXES)
    public int prefixTable() {
        PrefixTable t = new PrefixTable(AfiSafi.IPV4_UNICAST, false);
        for (long[] ks : keys) {
            for (long k : ks) {
                t.put(k, 0, 0, 0, 0, null, set);
            }
        }
        return t.size();
    }

    /** One intern per UPDATE (the bytes as received; the hash mixed from {@link Arrays#hashCode}). */
    @Benchmark
    @OperationsPerInvocation(PREFIXES)
    public long attributeStore() {
        AttributeStore s = new AttributeStore();
        long n = 0;
        for (byte[] a : attributes) {
            int h = Arrays.hashCode(a) * 0x9E3779B9;
            n += s.intern(a, 0, a.length, h ^ h >>> 16).length();
        }
        return n;
    }

    @Benchmark
    @OperationsPerInvocation(PREFIXES)
    public int referenceTable() {
        ReferenceTable t = new ReferenceTable();
        for (long[] ks : keys) {
            for (long k : ks) {
                t.put(k, set);
            }
        }
        return t.size;
    }

    @Benchmark
    @OperationsPerInvocation(PREFIXES)
    public int hashMap() {
        HashMap<Long, AttributeSet> m = new HashMap<>();
        for (long[] ks : keys) {
            for (long k : ks) {
                m.put(k, set);
            }
        }
        return m.size();
    }

    /** Linear probing over a {@code long[]} of keys and an {@code Object[]} of values, doubling at 3/4. */
    static final class ReferenceTable {
        long[] keys = new long[16];
        Object[] values = new Object[16];
        int size;

        static int home(long k, int mask) {
            long x = k * 0x9E3779B97F4A7C15L;
            return (int) (x ^ x >>> 32) & mask;
        }

        void put(long k, Object v) {
            if (size + 1 > keys.length - (keys.length >>> 2)) {
                grow();
            }
            int mask = keys.length - 1;
            int p = home(k, mask);
            while (values[p] != null) {
                if (keys[p] == k) {
                    values[p] = v;
                    return;
                }
                p = (p + 1) & mask;
            }
            keys[p] = k;
            values[p] = v;
            size++;
        }

        void grow() {
            long[] oldKeys = keys;
            Object[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new Object[oldKeys.length * 2];
            int mask = keys.length - 1;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldValues[i] != null) {
                    int p = home(oldKeys[i], mask);
                    while (values[p] != null) {
                        p = (p + 1) & mask;
                    }
                    keys[p] = oldKeys[i];
                    values[p] = oldValues[i];
                }
            }
        }
    }
}
