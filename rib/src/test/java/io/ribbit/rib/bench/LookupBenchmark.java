package io.ribbit.rib.bench;

import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.rib.AdjRibIn;
import io.ribbit.rib.AttributeSet;
import io.ribbit.rib.AttributeStore;
import io.ribbit.rib.PrefixTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lookups ({@link PrefixTable#get}: the key's value, no decoding) in the full 1M-prefix table, in
 * random order: alone, and with a concurrent writer (one thread each; the machine has two cores)
 * that keeps replacing every route's attribute set, UPDATE by UPDATE ({@code replaceWriter}), or
 * withdrawing and re-announcing the table ({@code churnWriter}: every withdrawal is a
 * backward-shift move in the seqlock window the readers validate). Scores are lookups (or, for
 * the writer threads, UPDATEs) per second.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+UseParallelGC"})
public class LookupBenchmark {
    List<UpdateMessage> announce;
    List<UpdateMessage> replaceA;
    List<UpdateMessage> replaceB;
    List<UpdateMessage> withdraw;
    AdjRibIn rib;
    PrefixTable table;
    long[] keys;

    @Setup(Level.Trial)
    public void load() throws IOException {
        announce = FeederStream.load();
        replaceA = new ArrayList<>(announce.size());
        replaceB = new ArrayList<>(announce.size());
        withdraw = new ArrayList<>(announce.size());
        for (UpdateMessage u : announce) {
            replaceA.add(FeederStream.withMed(u, 100_001));
            replaceB.add(FeederStream.withMed(u, 100_002));
            withdraw.add(FeederStream.withdrawal(u));
        }
        rib = new AdjRibIn(new AttributeStore());
        for (UpdateMessage u : announce) {
            rib.apply(u);
        }
        table = AdjRibInBenchmark.v4(rib);
        keys = AdjRibInBenchmark.shuffledKeys(announce);
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next;
        int update;
        boolean flip;
    }

    private AttributeSet lookup(Cursor c) {
        int i = c.next;
        c.next = i + 1 == keys.length ? 0 : i + 1;
        return table.get(keys[i], 0, 0, 0, 0);
    }

    @Benchmark
    @Group("alone")
    @GroupThreads(1)
    public AttributeSet lookupAlone(Cursor c) {
        return lookup(c);
    }

    @Benchmark
    @Group("withReplaceWriter")
    @GroupThreads(1)
    public AttributeSet lookupDuringReplace(Cursor c) {
        return lookup(c);
    }

    @Benchmark
    @Group("withReplaceWriter")
    @GroupThreads(1)
    public int replaceWriter(Cursor c) {
        List<UpdateMessage> s = c.flip ? replaceA : replaceB;
        int n = rib.apply(s.get(c.update)).announced();
        if (++c.update == s.size()) {
            c.update = 0;
            c.flip = !c.flip;
        }
        return n;
    }

    @Benchmark
    @Group("withChurnWriter")
    @GroupThreads(1)
    public AttributeSet lookupDuringChurn(Cursor c) {
        return lookup(c);
    }

    /** Withdraws the table UPDATE by UPDATE, then announces it again, and so on. */
    @Benchmark
    @Group("withChurnWriter")
    @GroupThreads(1)
    public int churnWriter(Cursor c) {
        List<UpdateMessage> s = c.flip ? announce : withdraw;
        int n = rib.apply(s.get(c.update)).removed();
        if (++c.update == s.size()) {
            c.update = 0;
            c.flip = !c.flip;
        }
        return n;
    }
}
