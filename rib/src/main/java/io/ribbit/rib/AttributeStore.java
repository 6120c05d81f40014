package io.ribbit.rib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The process-wide store of {@link AttributeSet}s: one set per distinct content across all peers,
 * counted by the routes that refer to it and dropped when the count reaches zero.
 *
 * <p>Thread safety: any number of threads (one per peer event loop) intern and release at once;
 * the store is lock-free (no thread ever waits for another; a thread that finds a segment being
 * rebuilt helps rebuild it). Guarantees:
 * <ul>
 *   <li>At most one live set per content: two threads interning equal bytes at once get the same
 *       set (or one gets it after the other made it).</li>
 *   <li>A set whose count reached zero is never handed out again: {@link #intern} only takes a
 *       set by raising a count that is still above zero (CAS), otherwise it inserts a fresh set.
 *       So an intern racing with the last release gets either the old set, still alive, or a new
 *       one; never a dead set brought back.</li>
 * </ul>
 *
 * <p>Layout: {@code segments.length} segments chosen by the hash's high bits, each an
 * open-addressing array ({@code Object[]}, linear probing by the hash's low bits) holding sets.
 * A slot only moves forward through null → set → {@code FREED} (the set died), or null →
 * {@code FROZEN} (the segment is being rebuilt). New sets go only into the first null slot of
 * their probe run, after every earlier slot was checked, which is what makes content unique.
 * Freed slots are not reused in place (that would break uniqueness); when a segment's used slots
 * pass 3/4 it is rebuilt: every null slot is frozen (so no insert can land in it any more), the
 * live sets are copied into a new array sized for them, and the new segment replaces the old by
 * CAS. Several threads may build a copy; one CAS wins, and all copies are equally valid.
 *
 * <p>Memory per set: the set object (24 bytes), its byte array (16 + content), and a 4-byte
 * slot and a 4-byte hash at a load between 3/8 and 3/4.
 */
public final class AttributeStore {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle SEGMENT = MethodHandles.arrayElementVarHandle(Segment[].class);
    private static final VarHandle USED;

    static {
        try {
            USED = MethodHandles.lookup().findVarHandle(Segment.class, "used", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A slot of a segment being rebuilt that was empty: nothing may be inserted there any more. */
    private static final Object FROZEN = new Object() {
        @Override
        public String toString() {
            return "FROZEN";
        }
    };
    /** A slot whose set died; skipped by lookups, dropped by the next rebuild. */
    private static final Object FREED = new Object() {
        @Override
        public String toString() {
            return "FREED";
        }
    };

    private static final class Segment {
        final Object[] slots;
        /**
         * The hash of the set in each slot, written once after the set is in (0: not written yet,
         * or the hash is 0). A probe skips a slot whose hash is known and different without
         * touching the set: most slots of a probe run are other sets, and reading them would be a
         * cache miss each.
         */
        final int[] hashes;
        /** Rebuild once this many slots are used (3/4 of them). */
        final int limit;
        /** Slots used (sets, live or dead, and FREED); through {@link #USED}. */
        @SuppressWarnings("unused")
        private volatile int used;

        Segment(Object[] slots, int[] hashes, int used) {
            this.slots = slots;
            this.hashes = hashes;
            this.limit = slots.length - (slots.length >>> 2);
            USED.set(this, used);
        }
    }

    /** After the VarHandles: class initialization runs in order. */
    private static final AttributeStore SHARED = new AttributeStore();

    private final Segment[] segments;
    private final int segmentShift;
    private final int minCapacity;

    /** A store with 1024 segments of at least 16 slots. */
    public AttributeStore() {
        this(1024, 16);
    }

    /** For tests: {@code segments} and {@code minCapacity} are powers of two. */
    AttributeStore(int segments, int minCapacity) {
        if (Integer.bitCount(segments) != 1 || Integer.bitCount(minCapacity) != 1 || minCapacity < 4) {
            throw new IllegalArgumentException("powers of two expected: " + segments + ", " + minCapacity);
        }
        this.segments = new Segment[segments];
        this.segmentShift = segments == 1 ? 32 : Integer.numberOfLeadingZeros(segments - 1);
        this.minCapacity = minCapacity;
        for (int i = 0; i < segments; i++) {
            this.segments[i] = new Segment(new Object[minCapacity], new int[minCapacity], 0);
        }
    }

    /** The store shared by every Adj-RIB-In of the process. */
    public static AttributeStore shared() {
        return SHARED;
    }

    private int segmentIndex(int hash) {
        return segmentShift == 32 ? 0 : hash >>> segmentShift;
    }

    /**
     * The live set with content {@code b[off, off+len)} (hash from {@link AttributeBytes#hash}),
     * with one more reference that the caller now holds; a new set if there is none.
     */
    public AttributeSet intern(byte[] b, int off, int len, int hash) {
        return intern(b, off, len, hash, 1);
    }

    /**
     * {@link #intern} taking {@code refs} (at least 1) references at once: a new set is made with
     * that count before it is published, and an existing one is raised by it in one atomic step.
     * A writer that knows how many routes will refer to the set takes their references here
     * rather than with a second atomic update after its puts.
     */
    public AttributeSet intern(byte[] b, int off, int len, int hash, int refs) {
        if (refs < 1) {
            throw new IllegalArgumentException("refs " + refs);
        }
        int si = segmentIndex(hash);
        AttributeSet fresh = null;
        for (;;) {
            Segment seg = (Segment) SEGMENT.getAcquire(segments, si);
            Object[] slots = seg.slots;
            int[] hashes = seg.hashes;
            int mask = slots.length - 1;
            int i = hash & mask;
            for (int n = 0; n <= mask; n++, i = (i + 1) & mask) {
                int h = hashes[i];
                if (h != 0 && h != hash) {
                    continue; // another set's slot (live or freed): never null, never FROZEN
                }
                Object o = SLOT.getAcquire(slots, i);
                if (o == null) {
                    if ((int) USED.getOpaque(seg) >= seg.limit) {
                        break; // rebuild first
                    }
                    if (fresh == null) {
                        fresh = new AttributeSet(Arrays.copyOfRange(b, off, off + len), hash, refs);
                    }
                    if (SLOT.compareAndSet(slots, i, null, fresh)) {
                        hashes[i] = hash; // only the winner of the slot writes it
                        USED.getAndAdd(seg, 1);
                        return fresh;
                    }
                    o = SLOT.getAcquire(slots, i); // lost the slot: look at what won it
                }
                if (o == FROZEN) {
                    break;
                }
                if (o instanceof AttributeSet a && a.hash == hash && a.contentEquals(b, off, len) && a.tryRetain(refs)) {
                    return a;
                }
            }
            rebuild(si, seg); // frozen, over its limit, or (never below the limit) full
        }
    }

    /**
     * Reads the first slot {@link #intern} will look at for {@code hash}, and nothing else (see
     * {@link PrefixTable#touch}: a read ahead so the cache misses overlap). Returns a number made
     * from what was read. Any thread; it changes nothing.
     */
    public int touch(int hash) {
        Segment seg = (Segment) SEGMENT.getAcquire(segments, segmentIndex(hash));
        int i = hash & (seg.slots.length - 1);
        return seg.hashes[i] + (seg.slots[i] == null ? 0 : 1);
    }

    /** Drops {@code n} references to {@code s}; the last one removes it from the store. */
    public void release(AttributeSet s, int n) {
        if (n > 0 && s.releaseRefs(n)) {
            unlink(s);
        }
    }

    private void unlink(AttributeSet s) {
        int si = segmentIndex(s.hash);
        for (;;) {
            Segment seg = (Segment) SEGMENT.getAcquire(segments, si);
            Object[] slots = seg.slots;
            int[] hashes = seg.hashes;
            int mask = slots.length - 1;
            int i = s.hash & mask;
            boolean frozen = false;
            for (int n = 0; n <= mask; n++, i = (i + 1) & mask) {
                int h = hashes[i];
                if (h != 0 && h != s.hash) {
                    continue;
                }
                Object o = SLOT.getAcquire(slots, i);
                if (o == s) {
                    SLOT.compareAndSet(slots, i, s, FREED);
                    break;
                }
                if (o == null) {
                    break;
                }
                if (o == FROZEN) {
                    frozen = true;
                    break;
                }
            }
            if (frozen) {
                rebuild(si, seg);
            } else if (SEGMENT.getAcquire(segments, si) == seg) {
                return;
            }
            // The segment was replaced meanwhile: its copy may hold s, taken while s was alive.
        }
    }

    /**
     * Freezes {@code old}, copies its sets into a new segment and installs it (if still current).
     *
     * <p>The copy reads no set (each read of one would be a cache miss): it places sets by the
     * segment's hashes and does not look at their counts. A set that died before the copy was
     * already {@code FREED} in {@code old} (its {@link #unlink} marks it before it returns) and
     * is not copied. A set that dies during the copy is marked {@code FREED} in {@code old}; its
     * unlink may see {@code old} still installed and return, so after installing, the copied
     * slots that are {@code FREED} in {@code old} by then are marked {@code FREED} in the copy too.
     * An unlink that sees the new segment installed looks for its set there itself.
     */
    private void rebuild(int si, Segment old) {
        Object[] slots = old.slots;
        int[] hashes = old.hashes;
        for (int i = 0; i < slots.length; i++) {
            if (SLOT.getAcquire(slots, i) == null) {
                SLOT.compareAndSet(slots, i, null, FROZEN);
            }
        }
        // Every slot is now non-null: no insert can land in old any more.
        if (SEGMENT.getAcquire(segments, si) != old) {
            return;
        }
        int sets = 0;
        for (int i = 0; i < slots.length; i++) {
            Object o = SLOT.getAcquire(slots, i);
            if (o != FROZEN && o != FREED) {
                sets++;
            }
        }
        int cap = minCapacity;
        while (cap * 3 / 8 < sets) {
            cap <<= 1;
        }
        Object[] copy = new Object[cap];
        int[] copyHashes = new int[cap];
        int[] from = new int[sets]; // old slot of each copied set
        int[] to = new int[sets]; // and its slot in the copy
        int mask = cap - 1;
        int placed = 0;
        for (int i = 0; i < slots.length && placed < sets; i++) {
            Object o = SLOT.getAcquire(slots, i);
            if (o == FROZEN || o == FREED) {
                continue;
            }
            int h = hashes[i];
            if (h == 0) {
                h = ((AttributeSet) o).hash; // its inserter has not written the hash yet (or it is 0)
            }
            int k = h & mask;
            while (copy[k] != null) {
                k = (k + 1) & mask;
            }
            copy[k] = o;
            copyHashes[k] = h;
            from[placed] = i;
            to[placed] = k;
            placed++;
        }
        if (!SEGMENT.compareAndSet(segments, si, old, new Segment(copy, copyHashes, placed))) {
            return;
        }
        for (int n = 0; n < placed; n++) {
            if (SLOT.getAcquire(slots, from[n]) == FREED) {
                Object dead = SLOT.getAcquire(copy, to[n]);
                if (dead != FREED) {
                    SLOT.compareAndSet(copy, to[n], dead, FREED);
                }
            }
        }
    }

    /** Whether some slot holds {@code s}, alive or dead (a scan; for tests). */
    boolean holds(AttributeSet s) {
        Object[] slots = ((Segment) SEGMENT.getAcquire(segments, segmentIndex(s.hash))).slots;
        for (int i = 0; i < slots.length; i++) {
            if (SLOT.getAcquire(slots, i) == s) {
                return true;
            }
        }
        return false;
    }

    /** Live sets (a scan; for tests and measurements). */
    public long size() {
        long n = 0;
        for (int si = 0; si < segments.length; si++) {
            Object[] slots = ((Segment) SEGMENT.getAcquire(segments, si)).slots;
            for (int i = 0; i < slots.length; i++) {
                if (SLOT.getAcquire(slots, i) instanceof AttributeSet a && a.refCount() > 0) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Memory use estimate: {sets, content bytes, slots} (a scan; for measurements). */
    public long[] footprint() {
        long sets = 0;
        long bytes = 0;
        long slotCount = 0;
        for (int si = 0; si < segments.length; si++) {
            Object[] slots = ((Segment) SEGMENT.getAcquire(segments, si)).slots;
            slotCount += slots.length;
            for (int i = 0; i < slots.length; i++) {
                if (SLOT.getAcquire(slots, i) instanceof AttributeSet a && a.refCount() > 0) {
                    sets++;
                    bytes += a.bytes.length;
                }
            }
        }
        return new long[] {sets, bytes, slotCount};
    }
}
