package io.ribbit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PrefixTableTest {
    private final AttributeStore store = new AttributeStore(4, 16);

    /** A key as the table sees it. */
    record Key(long high, long low, int length, int pathId, long rd) {
    }

    private AttributeSet set(int n) {
        byte[] b = {(byte) n, (byte) (n >>> 8), (byte) (n >>> 16), 42};
        return store.intern(b, 0, b.length, AttributeBytes.hash(b, 0, b.length));
    }

    private static Key randomKey(SplittableRandom r, AfiSafi f, boolean addPath) {
        int id = addPath ? r.nextInt(3) : 0;
        long rd = f.isVpn() ? r.nextInt(4) : 0;
        if (f.isIpv6()) {
            int len = 1 + r.nextInt(128);
            long hi = r.nextLong() & 0xffff_ff00_0000_0000L;
            long lo = len > 64 ? r.nextInt(16) : 0;
            return new Key(hi, lo, len, id, rd);
        }
        int len = 8 + r.nextInt(25);
        int a = r.nextInt() & PrefixList.ipv4Mask(len) & 0x00ff_ff00 | 0x0a00_0000;
        return new Key(PrefixList.packIpv4(a, len), 0, len, id, rd);
    }

    /** Random puts and removes against a HashMap, through grows and shrinks, for each key shape. */
    @Test
    void agreesWithAHashMap() {
        for (AfiSafi f : List.of(AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST, AfiSafi.IPV4_MPLS_VPN, AfiSafi.IPV6_LABELED_UNICAST)) {
            for (boolean addPath : new boolean[] {false, true}) {
                check(f, addPath);
            }
        }
    }

    private void check(AfiSafi f, boolean addPath) {
        SplittableRandom r = new SplittableRandom(f.hashCode() * 31L + (addPath ? 1 : 0));
        PrefixTable t = new PrefixTable(f, addPath, 16, 3);
        Map<Key, AttributeSet> model = new HashMap<>();
        Map<Key, int[]> labels = new HashMap<>();
        AttributeSet[] sets = {set(1), set(2), set(3)};
        for (AttributeSet x : sets) {
            x.retain(10_000_000); // the table does not count references itself; the sweep releases them
        }
        List<Key> keys = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            // Grow to 60k keys (three pages of slots: not a power of two), then remove most of
            // them (shrinks).
            while (model.size() < 60_000) {
                Key k = randomKey(r, f, addPath);
                keys.add(k);
                AttributeSet v = sets[r.nextInt(3)];
                int[] l = f.isLabeled() ? (r.nextBoolean() ? new int[] {r.nextInt(1 << 20)} : new int[] {1, 2, 3}) : null;
                AttributeSet prev = t.put(k.high, k.low, k.length, k.pathId, k.rd, l, v);
                assertSame(model.put(k, v), prev);
                labels.put(k, l);
            }
            assertEquals(model.size(), t.size());
            assertEquals(3 * PrefixTable.PAGE, t.capacity(), "three pages");
            if (round == 1) {
                // Graceful restart across pages: all stale, a third refreshed, the rest swept.
                assertEquals(model.size(), t.markStale(false));
                assertEquals(model.size(), t.staleCount());
                List<Key> refreshed = new ArrayList<>();
                for (Key k : model.keySet()) {
                    if (r.nextInt(3) == 0) {
                        refreshed.add(k);
                    }
                }
                for (Key k : refreshed) {
                    t.put(k.high, k.low, k.length, k.pathId, k.rd, labels.get(k), model.get(k));
                }
                assertEquals(model.size() - refreshed.size(), t.staleCount());
                assertEquals(model.size() - refreshed.size(), t.sweepStale(store));
                model.keySet().retainAll(new java.util.HashSet<>(refreshed));
                assertEquals(model.size(), t.size());
                assertEquals(0, t.staleCount());
                verify(t, model, labels, f);
            }
            for (int i = 0; i < keys.size(); i++) {
                if (r.nextInt(10) < 9) {
                    Key k = keys.get(i);
                    assertSame(model.remove(k), t.remove(k.high, k.low, k.length, k.pathId, k.rd));
                }
            }
            assertEquals(model.size(), t.size());
            assertTrue(t.capacity() <= 16 || t.capacity() < 8 * Math.max(1, model.size()), "shrinks: " + t.capacity());
            verify(t, model, labels, f);
        }
    }

    private static void verify(PrefixTable t, Map<Key, AttributeSet> model, Map<Key, int[]> labels, AfiSafi f) {
        PrefixTable.Cursor c = new PrefixTable.Cursor();
        for (Map.Entry<Key, AttributeSet> e : model.entrySet()) {
            Key k = e.getKey();
            assertSame(e.getValue(), t.get(k.high, k.low, k.length, k.pathId, k.rd), k.toString());
            assertTrue(t.read(k.high, k.low, k.length, k.pathId, k.rd, c));
            if (f.isLabeled()) {
                assertEquals(List.of(labels.get(k)).toString().length() > 0, true);
                assertEquals(java.util.Arrays.toString(labels.get(k)), java.util.Arrays.toString(c.labels()));
            }
        }
        Map<Key, AttributeSet> seen = new HashMap<>();
        t.forEach((hi, lo, len, id, rd, set, stale, l) -> {
            AttributeSet prev = seen.put(new Key(hi, lo, len, id, rd), set);
            assertNull(prev, "visited twice");
        });
        assertEquals(model, seen);
    }

    /** Keys whose home slot is the same in a table of {@code capacity} slots. */
    static List<Long> collidingIpv4(int capacity, int home, int count) {
        List<Long> out = new ArrayList<>();
        for (int a = 0; out.size() < count; a += 256) {
            long k = PrefixList.packIpv4(0x0a00_0000 + a, 24);
            if (PrefixTable.homeOf(PrefixTable.hash(k, 0, 0, 0, 0), capacity) == home) {
                out.add(k);
            }
        }
        return out;
    }

    /**
     * IPv4 keys are an address plus a length in separate arrays: 0.0.0.0/0 to 0.0.0.0/32 share
     * the address and must stay 33 keys (and the all-ones /32 its own), through a resize.
     */
    @Test
    void prefixesSharingAnAddressAreDistinctKeys() {
        PrefixTable t = new PrefixTable(AfiSafi.IPV4_UNICAST, false, 16, 7);
        AttributeSet[] sets = new AttributeSet[34];
        for (int len = 0; len <= 32; len++) {
            sets[len] = set(100 + len);
            assertNull(t.put(PrefixList.packIpv4(0, len), 0, len, 0, 0, null, sets[len]));
        }
        long allOnes = PrefixList.packIpv4(-1, 32);
        sets[33] = set(200);
        assertNull(t.put(allOnes, 0, 32, 0, 0, null, sets[33]));
        assertTrue(t.capacity() > 16, "grew past its first capacity");
        for (int len = 0; len <= 32; len++) {
            assertSame(sets[len], t.get(PrefixList.packIpv4(0, len), 0, len, 0, 0), "/" + len);
        }
        for (int len = 0; len <= 32; len += 2) {
            assertSame(sets[len], t.remove(PrefixList.packIpv4(0, len), 0, len, 0, 0));
        }
        List<Long> left = new ArrayList<>();
        t.forEach((hi, lo, len, id, rd, set, stale, l) -> {
            assertEquals(PrefixList.ipv4Length(hi), len);
            left.add(hi);
        });
        assertEquals(17, left.size());
        assertTrue(left.contains(allOnes));
        for (int len = 0; len <= 32; len++) {
            assertEquals(len % 2 == 0 ? null : sets[len], t.get(PrefixList.packIpv4(0, len), 0, len, 0, 0), "/" + len);
        }
        assertSame(sets[33], t.get(allOnes, 0, 32, 0, 0));
    }

    @Test
    void collidingKeysSurviveEveryRemovalOrder() {
        List<Long> keys = collidingIpv4(16, 14, 8); // one run that wraps past the end of the table
        AttributeSet v = set(9);
        for (int victim = 0; victim < keys.size(); victim++) {
            PrefixTable t = new PrefixTable(AfiSafi.IPV4_UNICAST, false, 16, 2);
            for (long k : keys) {
                t.put(k, 0, 24, 0, 0, null, v);
            }
            assertEquals(16, t.capacity());
            assertSame(v, t.remove(keys.get(victim), 0, 24, 0, 0));
            for (int i = 0; i < keys.size(); i++) {
                assertEquals(i == victim ? null : v, t.get(keys.get(i), 0, 24, 0, 0), "victim " + victim + " key " + i);
            }
            int[] n = {0};
            t.forEach((hi, lo, len, id, rd, set, stale, l) -> n[0]++);
            assertEquals(keys.size() - 1, n[0]);
        }
    }

    /**
     * A table of one chunk (16 slots, 128-slot stripes) whose run wraps past the end: the walk
     * still visits the entries that lie before their home (missed before the fix: forEach gave
     * fewer entries than size).
     */
    @Test
    void walkOfAOneChunkTableFindsWrappedEntries() {
        List<Long> keys = collidingIpv4(16, 14, 6);
        PrefixTable t = new PrefixTable(AfiSafi.IPV4_UNICAST, false, 16, 7);
        AttributeSet v = set(3);
        for (long k : keys) {
            t.put(k, 0, 24, 0, 0, null, v);
        }
        assertEquals(16, t.capacity());
        List<Long> seen = new ArrayList<>();
        t.forEach((hi, lo, len, id, rd, set, stale, l) -> seen.add(hi));
        assertEquals(keys.size(), seen.size());
        assertTrue(seen.containsAll(keys));
    }

    /** Keys with the same full 32-bit hash are told apart by their key words. */
    @Test
    void fullHashCollisions() {
        Map<Integer, Long> byHash = new HashMap<>();
        long[] pair = null;
        for (long a = 0; pair == null; a++) {
            long k = PrefixList.packIpv4((int) (a << 8), 24);
            Long other = byHash.put(PrefixTable.hash(k, 0, 0, 0, 0), k);
            if (other != null) {
                pair = new long[] {other, k};
            }
        }
        PrefixTable t = new PrefixTable(AfiSafi.IPV4_UNICAST, false);
        AttributeSet a = set(1);
        AttributeSet b = set(2);
        t.put(pair[0], 0, 24, 0, 0, null, a);
        t.put(pair[1], 0, 24, 0, 0, null, b);
        assertSame(a, t.get(pair[0], 0, 24, 0, 0));
        assertSame(b, t.get(pair[1], 0, 24, 0, 0));
        t.remove(pair[0], 0, 24, 0, 0);
        assertNull(t.get(pair[0], 0, 24, 0, 0));
        assertSame(b, t.get(pair[1], 0, 24, 0, 0));
    }

    /** Capacities: powers of two up to a page, then whole pages, each half again as many. */
    @Test
    void growsByHalfPastAPage() {
        int c = PrefixTable.MIN_CAPACITY;
        List<Integer> seen = new ArrayList<>();
        while (c < 5_000_000) {
            int next = PrefixTable.grown(c);
            if (c < PrefixTable.PAGE) {
                assertEquals(2 * c, next);
            } else {
                assertEquals(0, next % PrefixTable.PAGE, "whole pages: " + next);
                assertTrue(next >= c * 3 / 2 && next < c * 3 / 2 + PrefixTable.PAGE, c + " -> " + next);
            }
            seen.add(next / PrefixTable.PAGE);
            c = next;
        }
        assertEquals(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 5, 8, 12, 18, 27, 41, 62, 93, 140, 210),
                seen);
    }

    /** A run that wraps past the end of a table of three pages (not a power of two) survives removals. */
    @Test
    void wrapsAroundATableOfThreePages() {
        PrefixTable t = new PrefixTable(AfiSafi.IPV4_UNICAST, false);
        AttributeSet v = set(6);
        AttributeSet w = set(7);
        v.retain(1 << 20);
        int n = 0;
        for (int a = 0x0b00_0000; n < 60_000; a += 256, n++) {
            t.put(PrefixList.packIpv4(a, 24), 0, 24, 0, 0, null, v);
        }
        int cap = t.capacity();
        assertEquals(3 * PrefixTable.PAGE, cap);
        List<Long> last = new ArrayList<>();
        for (int a = 0x0c00_0000; last.size() < 12; a += 256) {
            long k = PrefixList.packIpv4(a, 24);
            if (t.homeNow(PrefixTable.hash(k, 0, 0, 0, 0)) >= cap - 2) {
                last.add(k);
            }
        }
        for (long k : last) {
            assertNull(t.put(k, 0, 24, 0, 0, null, w));
        }
        assertEquals(cap, t.capacity(), "no resize in between");
        for (int i = 0; i < last.size(); i += 2) {
            assertSame(w, t.remove(last.get(i), 0, 24, 0, 0));
        }
        for (int i = 0; i < last.size(); i++) {
            assertEquals(i % 2 == 0 ? null : w, t.get(last.get(i), 0, 24, 0, 0), "key " + i);
        }
        int[] visited = new int[2];
        t.forEach((hi, lo, len, id, rd, set, stale, l) -> visited[set == w ? 1 : 0]++);
        assertEquals(60_000, visited[0]);
        assertEquals(last.size() / 2, visited[1]);
    }

    @Test
    void resizeWithAMillionKeys() {
        PrefixTable t = new PrefixTable(AfiSafi.IPV4_UNICAST, false);
        AttributeSet v = set(5);
        int n = 1 << 20;
        for (int i = 0; i < n; i++) {
            t.put(PrefixList.packIpv4(i << 8, 24), 0, 24, 0, 0, null, v);
        }
        assertEquals(n, t.size());
        assertEquals(0, t.capacity() % PrefixTable.PAGE, "whole pages: " + t.capacity());
        assertTrue(n > t.capacity() / 2 && n <= t.capacity() / 4 * 3, "load between 1/2 and 3/4: " + t.capacity());
        for (int i = 0; i < n; i += 7) {
            assertSame(v, t.get(PrefixList.packIpv4(i << 8, 24), 0, 24, 0, 0));
        }
        assertNull(t.get(PrefixList.packIpv4(n << 8, 24), 0, 24, 0, 0));
        for (int i = 0; i < n; i++) {
            t.remove(PrefixList.packIpv4(i << 8, 24), 0, 24, 0, 0);
        }
        assertEquals(0, t.size());
        assertEquals(PrefixTable.MIN_CAPACITY, t.capacity());
    }

    /**
     * Growth keeps the home multiplier (so a resize reads and writes the slots in order), a shrink
     * takes another one (see the next test for why).
     */
    @Test
    void growingKeepsTheHomeMultiplierAndShrinkingChangesIt() {
        PrefixTable t = new PrefixTable(AfiSafi.IPV4_UNICAST, false);
        AttributeSet v = set(9);
        v.retain(1 << 20);
        int m = t.multiplierNow();
        int a = 0x0d00_0000;
        for (int i = 0; i < 200_000; i++, a += 256) {
            t.put(PrefixList.packIpv4(a, 24), 0, 24, 0, 0, null, v);
        }
        assertTrue(t.capacity() > 4 * PrefixTable.PAGE, "grew: " + t.capacity());
        assertEquals(m, t.multiplierNow(), "growth kept the multiplier");
        int grown = t.capacity();
        for (int i = 0; i < 190_000; i++) {
            a -= 256;
            assertSame(v, t.remove(PrefixList.packIpv4(a, 24), 0, 24, 0, 0));
        }
        assertTrue(t.capacity() < grown, "shrank: " + t.capacity());
        assertNotEquals(m, t.multiplierNow(), "a shrink takes a new multiplier");
        for (int i = 0; i < 10_000; i++) {
            assertSame(v, t.get(PrefixList.packIpv4(0x0d00_0000 + 256 * i, 24), 0, 24, 0, 0));
        }
        // Shrinking to the capacity whose multiplier the table already has still changes it.
        assertNotEquals(PrefixTable.multiplier(16), PrefixTable.shrinkMultiplier(PrefixTable.multiplier(16), 16));
    }

    /**
     * Removing entries in slot order during a walk (the Loc-RIB does when a peer goes down) and
     * shrinking meanwhile: the keys left are one contiguous range of the old table's order, and the
     * smaller table must spread them, not pack them into one run that every later removal shifts.
     */
    @Test
    void shrinkingDuringAWalkThatRemovesDoesNotCluster() {
        PrefixTable t = PrefixTable.owned(AfiSafi.IPV4_UNICAST);
        AttributeSet v = set(8);
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 300_000; i++) {
            int len = 16 + r.nextInt(9);
            t.put(PrefixList.packIpv4(r.nextInt() & PrefixList.ipv4Mask(len), len), 0, len, 0, null, v, 1);
        }
        int before = t.capacity();
        int[] shrinks = {0};
        int[] longest = {0};
        int[] last = {before};
        t.forEachOwned((hi, lo, len, rd, set, owner) -> {
            if (shrinks[0] < 3) {
                t.remove(hi, lo, len, 0, rd);
                if (t.capacity() != last[0]) {
                    last[0] = t.capacity();
                    shrinks[0]++;
                    longest[0] = Math.max(longest[0], t.longestRun());
                }
            }
        });
        assertTrue(shrinks[0] >= 2, "shrank " + shrinks[0] + " times from " + before);
        assertTrue(longest[0] < 200, "longest run after a shrink: " + longest[0]);
    }

    /**
     * Readers across growth and shrinking through capacities that are not powers of two (1, 2, 3,
     * 5 pages and back): keys present throughout are always found, by lookup and by walk, while
     * the writer adds and removes 100k others around them (the table stays at 5 pages for most of
     * the removals, so the readers spend most of the test in a table that is not a power of two).
     */
    @Test
    void readersFollowResizesToAnyCapacity() throws Exception {
        PrefixTable t = new PrefixTable(AfiSafi.IPV4_UNICAST, false);
        AttributeSet stay = set(1);
        AttributeSet churn = set(2);
        int fixed = 2_000;
        for (int i = 0; i < fixed; i++) {
            t.put(PrefixList.packIpv4(0x0a00_0000 + (i << 8), 24), 0, 24, 0, 0, null, stay);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        java.util.Set<Integer> capacities = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Runnable read = () -> {
            SplittableRandom r = new SplittableRandom(Thread.currentThread().getId());
            while (!stop.get() && failure.get() == null) {
                capacities.add(t.capacity());
                for (int j = 0; j < 1_000; j++) {
                    int i = r.nextInt(fixed);
                    if (t.get(PrefixList.packIpv4(0x0a00_0000 + (i << 8), 24), 0, 24, 0, 0) != stay) {
                        failure.set("missed key " + i + " at capacity " + t.capacity());
                    }
                }
                int[] n = {0};
                t.forEach((hi, lo, len, id, rd, v, stale, l) -> {
                    if (v == stay) {
                        n[0]++;
                    }
                });
                if (n[0] != fixed) {
                    failure.set("forEach saw " + n[0] + " of " + fixed);
                }
            }
        };
        Thread[] readers = {new Thread(read), new Thread(read)};
        for (Thread r : readers) {
            r.start();
        }
        try {
            for (int round = 0; round < 2 && failure.get() == null; round++) {
                for (int i = 0; i < 100_000 && failure.get() == null; i++) {
                    t.put(PrefixList.packIpv4(0x2000_0000 + (i << 8), 24), 0, 24, 0, 0, null, churn);
                }
                for (int i = 0; i < 100_000 && failure.get() == null; i++) {
                    assertSame(churn, t.remove(PrefixList.packIpv4(0x2000_0000 + (i << 8), 24), 0, 24, 0, 0));
                }
            }
        } finally {
            stop.set(true);
            for (Thread r : readers) {
                r.join();
            }
        }
        assertNull(failure.get());
        assertEquals(fixed, t.size());
        assertTrue(capacities.stream().anyMatch(c -> c > PrefixTable.PAGE && Integer.bitCount(c) != 1),
                "readers saw a capacity that is not a power of two: " + capacities);
    }

    /**
     * A smoke test of the reader contract (the jcstress tests are the proof): a reader looking up
     * keys present throughout, while the writer churns colliding keys around them, never misses.
     */
    @Test
    void readerNeverMissesAKeyPresentThroughout() throws Exception {
        List<Long> keys = collidingIpv4(64, 3, 40);
        PrefixTable t = new PrefixTable(AfiSafi.IPV4_UNICAST, false, 64, 2);
        AttributeSet stay = set(1);
        AttributeSet churn = set(2);
        List<Long> fixed = keys.subList(0, 10);
        List<Long> moving = keys.subList(10, 40);
        for (int i = 0; i < 40; i++) {
            t.put(keys.get(i), 0, 24, 0, 0, null, i % 4 == 0 && i < 10 ? stay : (i < 10 ? stay : churn));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                for (long k : fixed) {
                    if (t.get(k, 0, 24, 0, 0) != stay) {
                        failure.set("missed " + Long.toHexString(k));
                    }
                }
                int[] n = {0};
                t.forEach((hi, lo, len, id, rd, set, stale, l) -> {
                    if (set == stay) {
                        n[0]++;
                    }
                });
                if (n[0] != fixed.size()) {
                    failure.set("forEach saw " + n[0] + " of " + fixed.size());
                }
            }
        });
        reader.start();
        long end = System.nanoTime() + 300_000_000L;
        SplittableRandom r = new SplittableRandom(1);
        while (System.nanoTime() < end && failure.get() == null) {
            long k = moving.get(r.nextInt(moving.size()));
            if (t.remove(k, 0, 24, 0, 0) == null) {
                t.put(k, 0, 24, 0, 0, null, churn);
            }
        }
        stop.set(true);
        reader.join();
        assertNull(failure.get());
    }
}
