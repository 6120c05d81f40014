package io.ribbit.rib;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * jcstress tests of {@link AttributeStore}'s reference counts between two writer threads (two
 * peers' event loops), on a one-segment store so that the threads meet in the same slots and
 * rebuilds.
 */
public final class StoreStress {
    private StoreStress() {
    }

    static byte[] content(int n) {
        return new byte[] {(byte) n, 9, 8, 7, 6};
    }

    static AttributeSet intern(AttributeStore s, int n) {
        byte[] b = content(n);
        return s.intern(b, 0, b.length, AttributeBytes.hash(b, 0, b.length));
    }

    /**
     * One writer drops the last reference to a set while the other interns the same content: the
     * second gets the old set still alive, or a fresh one; never the dead set brought back, and
     * afterwards exactly that set is the store's for the content.
     */
    @JCStressTest
    @Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "took the old set before it died; it lives on")
    @Outcome(id = "2, 1", expect = Expect.ACCEPTABLE, desc = "the old set died first; a fresh one")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a dead set handed out, or two live sets for one content")
    @State
    public static class InternVersusLastRelease {
        final AttributeStore store = new AttributeStore(1, 4);
        final AttributeSet old = intern(store, 1);
        AttributeSet got;

        @Actor
        public void releaser() {
            store.release(old, 1);
        }

        @Actor
        public void interner() {
            got = intern(store, 1);
        }

        @Arbiter
        public void check(II_Result r) {
            r.r1 = got == old ? 1 : 2;
            AttributeSet again = intern(store, 1);
            r.r2 = got.refCount() == 2 && again == got && store.size() == 1 ? 1 : 0;
        }
    }

    /** Two writers intern the same new content: one set, two references. */
    @JCStressTest
    @Outcome(id = "1", expect = Expect.ACCEPTABLE, desc = "one set, counted twice")
    @Outcome(expect = Expect.FORBIDDEN, desc = "two sets for one content, or a wrong count")
    @State
    public static class InternSameContent {
        final AttributeStore store = new AttributeStore(1, 4);
        AttributeSet a;
        AttributeSet b;

        @Actor
        public void first() {
            a = intern(store, 3);
        }

        @Actor
        public void second() {
            b = intern(store, 3);
        }

        @Arbiter
        public void check(I_Result r) {
            r.r1 = a == b && a.refCount() == 2 && store.size() == 1 ? 1 : 0;
        }
    }

    /**
     * Inserts that meet a rebuild: the segment (4 slots, rebuilt at 3 used) has two sets; one
     * writer releases one of them and interns a new content, the other interns another: one of
     * the inserts triggers the rebuild, the other races with it. Afterwards both new sets are the
     * store's (found again), alive, and the dead set is gone.
     */
    @JCStressTest
    @Outcome(id = "1", expect = Expect.ACCEPTABLE, desc = "both inserts kept, unique, alive")
    @Outcome(expect = Expect.FORBIDDEN, desc = "an insert lost in the rebuild, a duplicate, or a dead set kept")
    @State
    public static class InternDuringRebuild {
        final AttributeStore store = new AttributeStore(1, 4);
        final AttributeSet p0 = intern(store, 10);
        final AttributeSet p1 = intern(store, 11);
        AttributeSet x;
        AttributeSet y;

        @Actor
        public void first() {
            x = intern(store, 20);
        }

        @Actor
        public void second() {
            store.release(p1, 1);
            y = intern(store, 21);
        }

        @Arbiter
        public void check(I_Result r) {
            boolean ok = intern(store, 20) == x && intern(store, 21) == y && intern(store, 10) == p0
                    && x.refCount() == 2 && y.refCount() == 2 && p1.refCount() == 0 && store.size() == 3;
            r.r1 = ok ? 1 : 0;
        }
    }

    /**
     * One writer's insert rebuilds the full segment (4 slots, 3 used) while the other drops the
     * last reference to one of its sets: whether the set died before, during or after the copy,
     * afterwards no slot of the store holds it (a dead set left in a slot would stay there for
     * good: the rebuild copies sets without reading their counts), and the insert is kept.
     */
    @JCStressTest
    @Outcome(id = "0, 1", expect = Expect.ACCEPTABLE, desc = "the dead set is gone, the insert kept")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a dead set kept in a slot, or the insert lost")
    @State
    public static class ReleaseDuringRebuild {
        final AttributeStore store = new AttributeStore(1, 4);
        final AttributeSet p0 = intern(store, 30);
        final AttributeSet p1 = intern(store, 31);
        final AttributeSet p2 = intern(store, 32);
        AttributeSet x;

        @Actor
        public void inserter() {
            x = intern(store, 40);
        }

        @Actor
        public void releaser() {
            store.release(p1, 1);
        }

        @Arbiter
        public void check(II_Result r) {
            r.r1 = store.holds(p1) ? 1 : 0;
            r.r2 = intern(store, 40) == x && x.refCount() == 2 && store.size() == 3 ? 1 : 0;
        }
    }

    /** Both writers release their reference to one set at once: it dies exactly once, and leaves the store. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "dead and gone")
    @Outcome(expect = Expect.FORBIDDEN, desc = "count wrong, or still in the store")
    @State
    public static class ConcurrentRelease {
        final AttributeStore store = new AttributeStore(1, 4);
        final AttributeSet s = intern(store, 5);

        public ConcurrentRelease() {
            s.retain(1);
        }

        @Actor
        public void first() {
            store.release(s, 1);
        }

        @Actor
        public void second() {
            store.release(s, 1);
        }

        @Arbiter
        public void check(II_Result r) {
            r.r1 = s.refCount();
            r.r2 = (int) store.size();
        }
    }
}
