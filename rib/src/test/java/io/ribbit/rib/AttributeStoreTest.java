package io.ribbit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AttributeStoreTest {
    private static byte[] content(int n) {
        return ByteBuffer.allocate(12).putInt(n).putInt(~n).putInt(7).array();
    }

    private static AttributeSet intern(AttributeStore s, byte[] b) {
        return s.intern(b, 0, b.length, AttributeBytes.hash(b, 0, b.length));
    }

    @Test
    void sameContentSameSetUntilItDies() {
        AttributeStore s = new AttributeStore(4, 16);
        AttributeSet a = intern(s, content(1));
        AttributeSet b = intern(s, content(1));
        assertSame(a, b);
        assertEquals(2, a.refCount());
        AttributeSet other = intern(s, content(2));
        assertNotSame(a, other);
        assertEquals(2, s.size());
        s.release(a, 2);
        assertEquals(0, a.refCount());
        assertEquals(1, s.size());
        AttributeSet c = intern(s, content(1));
        assertNotSame(a, c, "a dead set is never handed out again");
        assertEquals(1, c.refCount());
        assertSame(c, intern(s, content(1)));
    }

    @Test
    void contentInsideABiggerArray() {
        AttributeStore s = new AttributeStore(4, 16);
        byte[] big = new byte[40];
        System.arraycopy(content(3), 0, big, 10, 12);
        AttributeSet a = s.intern(big, 10, 12, AttributeBytes.hash(big, 10, 12));
        assertSame(a, intern(s, content(3)));
        assertEquals(12, a.length());
    }

    @Test
    void rebuildsKeepEveryLiveSet() {
        AttributeStore s = new AttributeStore(2, 4);
        List<AttributeSet> sets = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            sets.add(intern(s, content(i)));
        }
        assertEquals(50_000, s.size());
        for (int i = 0; i < 50_000; i += 2) {
            s.release(sets.get(i), 1);
        }
        assertEquals(25_000, s.size());
        for (int i = 0; i < 50_000; i++) {
            AttributeSet again = intern(s, content(i));
            if (i % 2 == 1) {
                assertSame(sets.get(i), again);
            } else {
                assertNotSame(sets.get(i), again);
            }
        }
        long[] f = s.footprint();
        assertEquals(50_000, f[0]);
        assertEquals(50_000L * 12, f[1]);
        assertTrue(f[2] < 50_000 * 4, "slots " + f[2]);
    }

    /** Many threads intern and release overlapping contents; the counts come out exact. */
    @Test
    void concurrentInternAndRelease() throws Exception {
        AttributeStore s = new AttributeStore(2, 4);
        int threads = 4;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            Thread th = new Thread(() -> {
                try {
                    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
                    List<AttributeSet> held = new ArrayList<>();
                    for (int i = 0; i < 200_000; i++) {
                        if (held.size() < 64 && r.nextBoolean()) {
                            int n = r.nextInt(100);
                            AttributeSet a = intern(s, content(n));
                            if (a.refCount() <= 0 || !a.contentEquals(content(n), 0, 12)) {
                                throw new AssertionError("dead or wrong set for " + n);
                            }
                            held.add(a);
                        } else if (!held.isEmpty()) {
                            s.release(held.remove(r.nextInt(held.size())), 1);
                        }
                    }
                    for (AttributeSet a : held) {
                        s.release(a, 1);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(0, s.size());
    }
}
