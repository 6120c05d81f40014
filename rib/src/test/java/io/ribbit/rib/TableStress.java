package io.ribbit.rib;

import io.ribbit.codec.nlri.AfiSafi;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * jcstress tests of {@link PrefixTable}'s reader contract: one writer actor, one reader actor, on
 * tiny tables (16 slots, stripes of 4) whose keys all collide, so every write moves or reuses the
 * slots the reader walks. Run by {@code StressRunner} in {@code verify}; see rib/README.md.
 */
public final class TableStress {
    private TableStress() {
    }

    static final int CAPACITY = 16;
    static final int STRIPE_SHIFT = 2;
    static final AttributeStore STORE = new AttributeStore(1, 16);
    static final AttributeSet[] SETS = new AttributeSet[8];
    /** IPv4 keys whose home is slot 14: a run that crosses stripes and wraps past the end. */
    static final long[] V4 = new long[6];
    /** IPv6 keys A = (HI[0], LO[0]), B = (HI[1], LO[1]) such that A, B and the torn mixes (HI[0], LO[1]), (HI[1], LO[0]) share a home. */
    static final long[] HI = new long[2];
    static final long[] LO = new long[2];

    static {
        for (int i = 0; i < SETS.length; i++) {
            byte[] b = {(byte) i, 1, 2, 3};
            SETS[i] = STORE.intern(b, 0, 4, AttributeBytes.hash(b, 0, 4)); // held forever
        }
        List<Long> keys = PrefixTableTest.collidingIpv4(CAPACITY, 14, V4.length);
        for (int i = 0; i < V4.length; i++) {
            V4[i] = keys.get(i);
        }
        long a = 0x2001_0db8_0000_0000L;
        int home = PrefixTable.homeOf(PrefixTable.hash(a, 0, 64, 0, 0), CAPACITY);
        long c = a + 1;
        while (PrefixTable.homeOf(PrefixTable.hash(c, 0, 64, 0, 0), CAPACITY) != home) {
            c++;
        }
        long d = 1;
        while (PrefixTable.homeOf(PrefixTable.hash(a, d, 64, 0, 0), CAPACITY) != home
                || PrefixTable.homeOf(PrefixTable.hash(c, d, 64, 0, 0), CAPACITY) != home) {
            d++;
        }
        HI[0] = a;
        LO[0] = 0;
        HI[1] = c;
        LO[1] = d;
    }

    static PrefixTable v4Table(int keys) {
        PrefixTable t = new PrefixTable(AfiSafi.IPV4_UNICAST, false, CAPACITY, STRIPE_SHIFT);
        for (int i = 0; i < keys; i++) {
            t.put(V4[i], 0, 24, 0, 0, null, SETS[i]);
        }
        return t;
    }

    static int is(AttributeSet got, int want) {
        return got == null ? 0 : got == SETS[want] ? 1 : 2;
    }

    /**
     * Removal: the writer removes the first of four colliding keys, shifting the other three back
     * (across two stripe boundaries and the end of the table). A reader looking for keys present
     * throughout must find them, with their own values.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 1", expect = Expect.ACCEPTABLE, desc = "every key present throughout is found")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a key present throughout was missed or had another key's value")
    @State
    public static class RemovalShift {
        final PrefixTable t = v4Table(4);

        @Actor
        public void writer() {
            t.remove(V4[0], 0, 24, 0, 0);
        }

        @Actor
        public void reader(III_Result r) {
            r.r1 = is(t.get(V4[3], 0, 24, 0, 0), 3);
            r.r2 = is(t.get(V4[1], 0, 24, 0, 0), 1);
            r.r3 = is(t.get(V4[2], 0, 24, 0, 0), 2);
        }
    }

    /** Removal seen by a walk: the keys present throughout are each visited exactly once. */
    @JCStressTest
    @Outcome(id = "3, 0, 0", expect = Expect.ACCEPTABLE, desc = "walk after the removal")
    @Outcome(id = "3, 1, 0", expect = Expect.ACCEPTABLE, desc = "walk before the removal")
    @Outcome(expect = Expect.FORBIDDEN, desc = "missed or repeated a key")
    @State
    public static class RemovalShiftWalk {
        final PrefixTable t = v4Table(4);

        @Actor
        public void writer() {
            t.remove(V4[0], 0, 24, 0, 0);
            t.remove(V4[5], 0, 24, 0, 0); // absent: no-op
        }

        @Actor
        public void reader(III_Result r) {
            int[] seen = new int[V4.length];
            t.forEach((hi, lo, len, id, rd, set, stale, labels) -> {
                for (int i = 0; i < V4.length; i++) {
                    if (V4[i] == hi && set == SETS[i]) {
                        seen[i]++;
                    }
                }
            });
            r.r1 = seen[1] + seen[2] + seen[3] == 3 && seen[1] == 1 && seen[2] == 1 ? 3 : -1;
            r.r2 = seen[0];
            r.r3 = seen[4] + seen[5];
        }
    }

    /**
     * Publication into a run: the writer adds a colliding key, then removes another. A reader
     * never sees a value for a key that was never added, sees the new key with its own value or
     * not at all, and always finds a key present throughout.
     */
    @JCStressTest
    @Outcome(id = "0, 0, 1", expect = Expect.ACCEPTABLE, desc = "new key not seen yet")
    @Outcome(id = "0, 1, 1", expect = Expect.ACCEPTABLE, desc = "new key seen")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a phantom key, a wrong value, or a missed key")
    @State
    public static class Publication {
        final PrefixTable t = v4Table(3);

        @Actor
        public void writer() {
            t.put(V4[3], 0, 24, 0, 0, null, SETS[3]);
            t.remove(V4[1], 0, 24, 0, 0);
        }

        @Actor
        public void reader(III_Result r) {
            r.r1 = is(t.get(V4[4], 0, 24, 0, 0), 4);
            r.r2 = is(t.get(V4[3], 0, 24, 0, 0), 3);
            r.r3 = is(t.get(V4[2], 0, 24, 0, 0), 2);
        }
    }

    /**
     * Slot reuse with IPv6 keys: the writer removes A and adds B, which lands in A's slot. A reader
     * never matches a torn key (A's high word with B's low word, or the reverse), and never sees
     * B with A's value.
     */
    @JCStressTest
    @Outcome(id = "0, 0, 0, 1", expect = Expect.ACCEPTABLE, desc = "before: A only")
    @Outcome(id = "0, 0, 0, 0", expect = Expect.ACCEPTABLE, desc = "between: neither")
    @Outcome(id = "0, 0, 1, 0", expect = Expect.ACCEPTABLE, desc = "after: B only")
    @Outcome(id = "0, 0, 1, 1", expect = Expect.ACCEPTABLE, desc = "B read after it was added, A before it was removed")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a torn key matched, or a value paired with another key")
    @State
    public static class TornIpv6 {
        final PrefixTable t = new PrefixTable(AfiSafi.IPV6_UNICAST, false, CAPACITY, STRIPE_SHIFT);

        public TornIpv6() {
            t.put(HI[0], LO[0], 64, 0, 0, null, SETS[0]);
        }

        @Actor
        public void writer() {
            t.remove(HI[0], LO[0], 64, 0, 0);
            t.put(HI[1], LO[1], 64, 0, 0, null, SETS[1]);
        }

        @Actor
        public void reader(IIII_Result r) {
            r.r4 = is(t.get(HI[0], LO[0], 64, 0, 0), 0);
            r.r1 = t.get(HI[0], LO[1], 64, 0, 0) == null ? 0 : 1;
            r.r2 = t.get(HI[1], LO[0], 64, 0, 0) == null ? 0 : 1;
            r.r3 = is(t.get(HI[1], LO[1], 64, 0, 0), 1);
        }
    }

    /** Replacement: a reader sees the old value or the new one, never none. */
    @JCStressTest
    @Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "old value")
    @Outcome(id = "2, 1", expect = Expect.ACCEPTABLE, desc = "new value")
    @Outcome(expect = Expect.FORBIDDEN, desc = "missed, or another key's value")
    @State
    public static class Replacement {
        final PrefixTable t = v4Table(4);

        @Actor
        public void writer() {
            t.put(V4[2], 0, 24, 0, 0, null, SETS[6]);
        }

        @Actor
        public void reader(II_Result r) {
            AttributeSet v = t.get(V4[2], 0, 24, 0, 0);
            r.r1 = v == SETS[2] ? 1 : v == SETS[6] ? 2 : 0;
            r.r2 = is(t.get(V4[3], 0, 24, 0, 0), 3);
        }
    }

    /**
     * Replacement of a stale, labeled route: the value, the label and the stale mark change
     * together; a reader sees them all old or all new.
     */
    @JCStressTest
    @Outcome(id = "1, 100, 1", expect = Expect.ACCEPTABLE, desc = "old: set 1, label 100, stale")
    @Outcome(id = "2, 200, 0", expect = Expect.ACCEPTABLE, desc = "new: set 2, label 200, fresh")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a mix of the old and the new entry")
    @State
    public static class LabeledStaleReplacement {
        final PrefixTable t = new PrefixTable(AfiSafi.IPV4_LABELED_UNICAST, false, CAPACITY, STRIPE_SHIFT);

        public LabeledStaleReplacement() {
            t.put(V4[0], 0, 24, 0, 0, new int[] {100}, SETS[1]);
            t.put(V4[1], 0, 24, 0, 0, new int[] {101}, SETS[1]);
            t.markStale(false);
        }

        @Actor
        public void writer() {
            t.put(V4[0], 0, 24, 0, 0, new int[] {200}, SETS[2]);
        }

        @Actor
        public void reader(III_Result r) {
            PrefixTable.Cursor c = new PrefixTable.Cursor();
            if (t.read(V4[0], 0, 24, 0, 0, c)) {
                r.r1 = c.set() == SETS[1] ? 1 : c.set() == SETS[2] ? 2 : 9;
                r.r2 = c.labels().length == 1 ? c.labels()[0] : -1;
                r.r3 = c.stale();
            } else {
                r.r1 = -1;
            }
        }
    }

    /** Growth: the writer's insert doubles the table; a reader still finds every other key. */
    @JCStressTest
    @Outcome(id = "1, 1, 1", expect = Expect.ACCEPTABLE, desc = "found in the old or the new arrays")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a key present throughout was missed")
    @State
    public static class Growth {
        final PrefixTable t = new PrefixTable(AfiSafi.IPV4_UNICAST, false, 4, 1);

        public Growth() {
            t.put(V4[0], 0, 24, 0, 0, null, SETS[0]);
            t.put(V4[1], 0, 24, 0, 0, null, SETS[1]);
            t.put(V4[2], 0, 24, 0, 0, null, SETS[2]);
        }

        @Actor
        public void writer() {
            t.put(V4[3], 0, 24, 0, 0, null, SETS[3]); // 4 > 3/4 of 4 slots: grows
            t.remove(V4[0], 0, 24, 0, 0);
        }

        @Actor
        public void reader(III_Result r) {
            r.r1 = is(t.get(V4[1], 0, 24, 0, 0), 1);
            r.r2 = is(t.get(V4[2], 0, 24, 0, 0), 2);
            AttributeSet v = t.get(V4[3], 0, 24, 0, 0);
            r.r3 = v == null || v == SETS[3] ? 1 : 0;
        }
    }

}
