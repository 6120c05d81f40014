package io.ribbit.rib;

import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The routes of one peer in one address family: prefix (with ADD-PATH path id and route
 * distinguisher where the family has them) to {@link AttributeSet}, plus the labels of labeled
 * families and a stale mark per route (RFC 4724 §4.2 graceful restart, RFC 9494 long-lived).
 *
 * <p><b>Thread safety.</b> One writer, the peer's event loop: {@link #put}, {@link #remove},
 * {@link #markStale}, {@link #sweepStale}, {@link #releaseAll}. Any number of concurrent readers:
 * {@link #get}, {@link #read}, {@link #forEach}, {@link #size}, {@link #staleCount}. Readers take
 * no lock and never make the writer wait; the writer never looks at them. A reader may observe:
 * <ul>
 *   <li>{@link #get}/{@link #read}: for a key present (with one value) throughout the call, that
 *       value; for a key whose value is replaced during the call, the old or the new value; for a
 *       key added or removed during the call, either outcome; for a key never added, null. The
 *       value, stale mark and labels it returns were the entry's at one instant (never the new
 *       value with the old labels, nor a key assembled from two entries: an IPv6 key is never
 *       torn).</li>
 *   <li>{@link #forEach}: weakly consistent, like {@code ConcurrentHashMap}'s iterators: every
 *       entry present throughout is visited exactly once, with one of the values it had during
 *       the walk; entries added or removed meanwhile may or may not be visited, none twice.</li>
 *   <li>{@link #size}, {@link #staleCount}: the count after some recent write; an UPDATE applied
 *       halfway shows as such (counts are per route, not per message).</li>
 * </ul>
 * A reader spins ({@link Thread#onSpinWait}) only while the writer is moving entries in the part
 * of the table it looks at, a few slots for a few nanoseconds per removal.
 *
 * <p><b>Layout.</b> Open addressing with linear probing and backward-shift deletion (Knuth, TAOCP
 * vol. 3, 6.4 Algorithm R): no tombstones, so probe runs stay as short as the load allows (at
 * most 3/4; past that the table doubles while smaller than a page and grows by half beyond, so a
 * large table's load stays between 1/2 and 3/4; it shrinks below 1/8). The capacity need not be
 * a power of two: a hash's home slot is its high bits, after a multiplier kept while the table
 * grows and changed when it shrinks, scaled to the capacity ({@link #homeOf}). Keys are primitive, in parallel
 * arrays: IPv4 is the packed prefix in one {@code long} ({@link PrefixList#packIpv4}: address and
 * length, so a new route writes two arrays, the keys and the values, and a probe reads the same
 * two); IPv6 two {@code long}s plus a length {@code byte}; the ADD-PATH path id an {@code int[]} only in ADD-PATH tables (RFC 7911 §3: the id
 * is part of the key); the route distinguisher a {@code long[]} only for VPN families (RFC 4364
 * §4.3.4); labels an {@code int[]} only for labeled families (RFC 8277). Values are references in
 * an {@code AttributeSet[]}. Stale marks are a {@code byte[]} allocated while routes are stale.
 * An IPv4 unicast route costs 12 bytes per slot, no object of its own. (An {@code int} address
 * and a {@code byte} length cost 9 but put every new route in three arrays, three cache misses
 * instead of two: 13 % more peer-loop CPU at S2, docs/performance.md, session 8.) Each array is paged
 * ({@link #PAGE} slots per page) so none is a G1 humongous object.
 *
 * <p><b>Publication.</b> The writer writes a new entry's key (and labels) with plain stores,
 * then its value with a release store; a reader reads the value with acquire, then the key. An
 * insert only fills an empty slot and never moves anything, so it needs nothing more. Anything
 * that rewrites an occupied slot (a removal and the backward shift after it, a replacement that
 * changes labels or clears a stale mark) runs inside a seqlock window: the writer makes the
 * version of every stripe it writes (a stripe = 2^{@code stripeShift} slots) odd before writing
 * and even (release) after, plus a table-wide version around the whole operation. A reader reads
 * the versions of the two stripes its probe starts in (and the table-wide one) before probing and
 * checks them again after; a probe run longer than two stripes is checked against the table-wide
 * version. If anything changed, the reader retries. This is what keeps a reader from missing a key
 * that the shift is moving past it, or from pairing a reused slot's new key with its old value.
 * Growing or shrinking builds new arrays and publishes them with one volatile store; the old
 * arrays are never written again, so a reader still in them sees a consistent (older) table.
 */
public final class PrefixTable {
    /** Not stale. */
    public static final byte FRESH = 0;
    /** Stale during a graceful restart (RFC 4724 §4.2) or a route refresh (RFC 7313 §4). */
    public static final byte STALE = 1;
    /** Long-lived stale (RFC 9494 §4.3). */
    public static final byte LLGR_STALE = 2;

    static final int DEFAULT_STRIPE_SHIFT = 7;
    /**
     * Slots per page: 256 KB of {@code long}s, 128 KB of references. The arrays are paged so that
     * none is a G1 humongous object, whose region rounding would waste up to a region per array.
     */
    static final int PAGE_SHIFT = 15;
    static final int PAGE = 1 << PAGE_SHIFT;
    static final int PAGE_MASK = PAGE - 1;
    static final int MIN_CAPACITY = 16;
    /** {@code labels[p]} when the stack is not exactly one label: the stack is in {@code stacks[p]}. */
    private static final int IN_STACKS = -1;

    private static final VarHandle VALUE = MethodHandles.arrayElementVarHandle(AttributeSet[].class);
    private static final VarHandle VERSION = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle STACK = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle SLOTS;
    private static final VarHandle SIZE;
    private static final VarHandle STALE_COUNT;
    private static final VarHandle GLOBAL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SLOTS = l.findVarHandle(PrefixTable.class, "slots", Slots.class);
            SIZE = l.findVarHandle(PrefixTable.class, "size", int.class);
            STALE_COUNT = l.findVarHandle(PrefixTable.class, "staleCount", int.class);
            GLOBAL = l.findVarHandle(Slots.class, "global", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One generation of the arrays; replaced whole when the table grows or shrinks. */
    static final class Slots {
        /** Slots: a power of two up to {@link #PAGE}, a multiple of {@link #PAGE} above. */
        final int capacity;
        /**
         * The odd multiplier of the home function ({@link #home(int, int, int)}): kept when the
         * table grows, so growing is a sequential pass; a new one after a shrink (see {@link #resize}).
         */
        final int multiplier;
        final int stripeShift;
        final int stripes;
        final int pageSize;
        /** IPv6: the high 64 bits; IPv4: the packed prefix ({@link PrefixList#packIpv4}). */
        final long[][] keys;
        /** IPv6: the low 64 bits, else null. */
        final long[][] lows;
        /** IPv6: prefix lengths, else null (an IPv4 key holds its length). */
        final byte[][] lengths;
        /** ADD-PATH path ids, else null (every id 0). */
        final int[][] pathIds;
        /** Route distinguishers (VPN families), else null. */
        final long[][] rds;
        /** Labeled families: the one label's value, or {@link #IN_STACKS}. */
        final int[][] labels;
        /** Label stacks of other sizes (labeled families, allocated on first need). */
        volatile Object[][] stacks;
        /** Stale marks, allocated while some route is stale. */
        volatile byte[][] stale;
        final AttributeSet[][] values;
        /** Owner tags (Loc-RIB tables: which peer's path the value is), else null. */
        final long[][] owners;
        /** Seqlock version per stripe. */
        final int[] versions;
        /** Table-wide seqlock version; through {@link #GLOBAL}. */
        @SuppressWarnings("unused")
        volatile int global;

        Slots(int capacity, int multiplier, int stripeShift, boolean ipv6, boolean addPath, boolean vpn,
                boolean labeled, boolean owned) {
            this.capacity = capacity;
            this.multiplier = multiplier;
            this.stripeShift = stripeShift;
            int stripes = Math.max(1, capacity >>> stripeShift);
            this.stripes = stripes;
            this.pageSize = Math.min(capacity, PAGE);
            int pages = capacity / pageSize;
            this.keys = new long[pages][pageSize];
            this.lows = ipv6 ? new long[pages][pageSize] : null;
            this.lengths = ipv6 ? new byte[pages][pageSize] : null;
            this.pathIds = addPath ? new int[pages][pageSize] : null;
            this.rds = vpn ? new long[pages][pageSize] : null;
            this.labels = labeled ? new int[pages][pageSize] : null;
            this.values = new AttributeSet[pages][pageSize];
            this.owners = owned ? new long[pages][pageSize] : null;
            this.versions = new int[stripes];
        }

        int capacity() {
            return capacity;
        }

        /**
         * The home slot of a hash: its high bits scaled to the capacity (Lemire's multiply-shift
         * range reduction), so the capacity need not be a power of two.
         */
        int home(int hash) {
            return PrefixTable.home(hash, multiplier, capacity);
        }

        /** The slot after {@code p}, cyclically. */
        int next(int p) {
            return p + 1 == capacity ? 0 : p + 1;
        }

        /** How many steps forward from slot {@code from} to slot {@code to}, cyclically. */
        int distance(int from, int to) {
            int d = to - from;
            return d < 0 ? d + capacity : d;
        }

        /** The stripe after {@code k}, cyclically. */
        int nextStripe(int k) {
            return k + 1 == stripes ? 0 : k + 1;
        }

        byte[][] newStale() {
            return new byte[values.length][pageSize];
        }

        Object[][] newStacks() {
            return new Object[values.length][pageSize];
        }

        // Slot p is element (p & PAGE_MASK) of page (p >>> PAGE_SHIFT); a table smaller than a
        // page has one page of its size, and p < capacity keeps both right.

        AttributeSet value(int p) {
            return values[p >>> PAGE_SHIFT][p & PAGE_MASK];
        }

        AttributeSet valueAcquire(int p) {
            return (AttributeSet) VALUE.getAcquire(values[p >>> PAGE_SHIFT], p & PAGE_MASK);
        }

        void value(int p, AttributeSet v) {
            values[p >>> PAGE_SHIFT][p & PAGE_MASK] = v;
        }

        void valueRelease(int p, AttributeSet v) {
            VALUE.setRelease(values[p >>> PAGE_SHIFT], p & PAGE_MASK, v);
        }

        /** IPv6: the high 64 bits; IPv4: the packed prefix ({@link PrefixList#packIpv4}). */
        long key(int p) {
            return keys[p >>> PAGE_SHIFT][p & PAGE_MASK];
        }

        long low(int p) {
            return lows[p >>> PAGE_SHIFT][p & PAGE_MASK];
        }

        int length(int p) {
            return lengths != null ? lengths[p >>> PAGE_SHIFT][p & PAGE_MASK] & 0xff
                    : PrefixList.ipv4Length(keys[p >>> PAGE_SHIFT][p & PAGE_MASK]);
        }

        int pathId(int p) {
            return pathIds == null ? 0 : pathIds[p >>> PAGE_SHIFT][p & PAGE_MASK];
        }

        long rd(int p) {
            return rds == null ? 0 : rds[p >>> PAGE_SHIFT][p & PAGE_MASK];
        }

        long owner(int p) {
            return owners == null ? 0 : owners[p >>> PAGE_SHIFT][p & PAGE_MASK];
        }

        int label(int p) {
            return labels[p >>> PAGE_SHIFT][p & PAGE_MASK];
        }

        byte staleAt(int p) {
            byte[][] st = stale;
            return st == null ? FRESH : st[p >>> PAGE_SHIFT][p & PAGE_MASK];
        }

        int[] stackAcquire(int p) {
            Object[][] st = stacks;
            return st == null ? null : (int[]) STACK.getAcquire(st[p >>> PAGE_SHIFT], p & PAGE_MASK);
        }

        /** Writes slot p's key fields. */
        void key(int p, long high, long low, int length, int pathId, long rd) {
            int g = p >>> PAGE_SHIFT;
            int o = p & PAGE_MASK;
            keys[g][o] = high;
            if (lows != null) {
                lows[g][o] = low;
                lengths[g][o] = (byte) length;
            }
            if (pathIds != null) {
                pathIds[g][o] = pathId;
            }
            if (rds != null) {
                rds[g][o] = rd;
            }
        }
    }

    /** What {@link #read} found: the value, the stale mark and the labels at one instant. */
    public static final class Cursor {
        AttributeSet set;
        byte stale;
        int[] labels;
        long owner;

        public AttributeSet set() {
            return set;
        }

        /** The owner tag (tables made with {@link #owned}), else 0. */
        public long owner() {
            return owner;
        }

        /** {@link #FRESH}, {@link #STALE} or {@link #LLGR_STALE}. */
        public byte stale() {
            return stale;
        }

        /** Label values (labeled families; a copy), else null. */
        public int[] labels() {
            return labels;
        }
    }

    /** Receives entries from {@link #forEach}. {@code labels} is a copy (labeled families) or null. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(long high, long low, int length, int pathId, long rd, AttributeSet set, byte stale, int[] labels);
    }

    private final AfiSafi family;
    private final boolean ipv6;
    private final boolean vpn;
    private final boolean labeled;
    private final int stripeShift;
    private final boolean owned;
    @SuppressWarnings("unused")
    private volatile Slots slots;
    @SuppressWarnings("unused")
    private volatile int size;
    @SuppressWarnings("unused")
    private volatile int staleCount;

    // Writer-only state.
    private int[] marked = new int[8];
    private int markedCount;

    /** An empty table for {@code family}; {@code addPath} allocates path ids from the start. */
    public PrefixTable(AfiSafi family, boolean addPath) {
        this(family, addPath, MIN_CAPACITY, DEFAULT_STRIPE_SHIFT);
    }

    /** For tests: a power-of-two initial capacity (at most a page) and stripe size (at most a page). */
    PrefixTable(AfiSafi family, boolean addPath, int capacity, int stripeShift) {
        this(family, addPath, capacity, stripeShift, false);
    }

    /**
     * A table whose entries also carry a {@code long} owner tag, written with the value
     * ({@link #put(long, long, int, long, int[], AttributeSet, long)}) and read with it: the
     * Loc-RIB's, where the tag says which peer's path is the best. Path ids are not stored.
     */
    public static PrefixTable owned(AfiSafi family) {
        return new PrefixTable(family, false, MIN_CAPACITY, DEFAULT_STRIPE_SHIFT, true);
    }

    private PrefixTable(AfiSafi family, boolean addPath, int capacity, int stripeShift, boolean owned) {
        if (Integer.bitCount(capacity) != 1 || capacity < 4 || capacity > PAGE || stripeShift > PAGE_SHIFT) {
            throw new IllegalArgumentException("capacity " + capacity + ", stripe shift " + stripeShift);
        }
        this.family = family;
        this.ipv6 = family.isIpv6();
        this.vpn = family.isVpn();
        this.labeled = !owned && family.isLabeled();
        this.stripeShift = stripeShift;
        this.owned = owned;
        SLOTS.setRelease(this, new Slots(capacity, multiplier(capacity), stripeShift, ipv6, addPath, vpn, labeled, owned));
    }

    public AfiSafi family() {
        return family;
    }

    /** Routes in the table. */
    public int size() {
        return (int) SIZE.getAcquire(this);
    }

    /** Routes marked stale. */
    public int staleCount() {
        return (int) STALE_COUNT.getAcquire(this);
    }

    /** Slots allocated (for memory accounting). */
    public int capacity() {
        return ((Slots) SLOTS.getAcquire(this)).capacity();
    }

    /** Whether path ids are stored (the table has seen ADD-PATH routes). */
    public boolean hasPathIds() {
        return ((Slots) SLOTS.getAcquire(this)).pathIds != null;
    }

    // ------------------------------------------------------------------ hashing

    /**
     * The key's hash; all bits mixed (the home slot comes from its high bits). IPv4 ignores low and length. The
     * ADD-PATH path id is left out on purpose: every path of a prefix has the same home slot, so
     * they all lie in one probe run and {@link #readPaths} finds them without a scan (the Loc-RIB
     * reads every path of a prefix; RFC 7911 peers send a few paths per prefix).
     */
    static int hash(long high, long low, int length, int pathId, long rd) {
        long h = high * 0x9E3779B97F4A7C15L + low;
        h = (h ^ (h >>> 29)) * 0xBF58476D1CE4E5B9L + length;
        h ^= rd * 0x94D049BB133111EBL;
        h ^= h >>> 32;
        h *= 0xD6E8FEB86659FD93L;
        h ^= h >>> 32;
        return (int) h;
    }

    /**
     * The home slot of {@code hash} in a new table of {@code capacity} slots: the hash times an
     * odd multiplier, then its high bits scaled to the capacity (Lemire's multiply-shift range
     * reduction, so the capacity need not be a power of two). A new table takes the multiplier of
     * its capacity ({@link #multiplier(int)}) and keeps it while it grows; see {@link #resize}.
     *
     * <p>The multiplier changes when the table shrinks, and that is what keeps a shrink from
     * clustering. With one multiplier for good, a key's home would be monotone in the same product
     * at every capacity, so the keys left after removing in slot order (a walk that removes as it
     * goes, like the Loc-RIB's when a peer goes down) would be one contiguous range, packed into
     * one run of the smaller table; every later removal would then shift that whole run
     * (quadratic). With a new multiplier, that range is spread over the new table.
     */
    static int homeOf(int hash, int capacity) {
        return home(hash, multiplier(capacity), capacity);
    }

    /** The home multiplier of the table as it is now (for tests). */
    int multiplierNow() {
        return ((Slots) SLOTS.getAcquire(this)).multiplier;
    }

    /** The home slot of {@code hash} in this table as it is now (for tests). */
    int homeNow(int hash) {
        return ((Slots) SLOTS.getAcquire(this)).home(hash);
    }

    private static int home(int hash, int multiplier, int capacity) {
        return (int) ((((hash * multiplier) & 0xFFFFFFFFL) * capacity) >>> 32);
    }

    /** An odd multiplier for tables of {@code capacity} slots (MurmurHash3's finalizer of it). */
    static int multiplier(int capacity) {
        int h = capacity * 0x9E3779B9;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h | 1;
    }

    private int hashOf(long high, long low, int length, int pathId, long rd) {
        return ipv6 ? hash(high, low, length, pathId, rd) : hash(high, 0, 0, pathId, rd);
    }

    /** Hash of the key in slot {@code p}. */
    private int hashAt(Slots s, int p) {
        return ipv6 ? hash(s.key(p), s.low(p), s.length(p), s.pathId(p), s.rd(p)) : hash(s.key(p), 0, 0, s.pathId(p), s.rd(p));
    }

    private boolean matches(Slots s, int p, long high, long low, int length, int pathId, long rd) {
        return sameKey(s, p, high, low, length) && s.pathId(p) == pathId && s.rd(p) == rd;
    }

    /** Whether slot {@code p} holds the prefix (path id and RD aside). */
    private boolean sameKey(Slots s, int p, long high, long low, int length) {
        if (ipv6) {
            return s.key(p) == high && s.low(p) == low && s.length(p) == length;
        }
        return s.key(p) == high;
    }

    // ------------------------------------------------------------------ readers

    /**
     * The value of a key, or null. IPv4: {@code high} is the packed prefix, {@code low} and
     * {@code length} are ignored. {@code rd} is 0 outside VPN families, {@code pathId} 0 without
     * ADD-PATH.
     */
    public AttributeSet get(long high, long low, int length, int pathId, long rd) {
        return find(high, low, length, pathId, rd, null);
    }

    /** Like {@link #get}, and fills {@code out} with the entry's value, stale mark and labels. */
    public boolean read(long high, long low, int length, int pathId, long rd, Cursor out) {
        return find(high, low, length, pathId, rd, out) != null;
    }

    private AttributeSet find(long high, long low, int length, int pathId, long rd, Cursor out) {
        int h = hashOf(high, low, length, pathId, rd);
        for (;;) {
            Slots s = (Slots) SLOTS.getAcquire(this);
            int cap = s.capacity;
            int i = s.home(h);
            int st0 = i >>> s.stripeShift;
            int st1 = s.nextStripe(st0);
            int v0 = (int) VERSION.getAcquire(s.versions, st0);
            int v1 = (int) VERSION.getAcquire(s.versions, st1);
            int g = (int) GLOBAL.getAcquire(s);
            if (((v0 | v1 | g) & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            AttributeSet found = null;
            int n = 0;
            for (int p = i; n < cap; p = s.next(p), n++) {
                AttributeSet v = s.valueAcquire(p);
                if (v == null) {
                    break;
                }
                if (matches(s, p, high, low, length, pathId, rd)) {
                    found = v;
                    if (out != null) {
                        capture(s, p, v, out);
                    }
                    break;
                }
            }
            if (unchanged(s, i, n, st0, st1, v0, v1, g)) {
                return found;
            }
        }
    }

    /**
     * Whether a probe of {@code n} slots from slot {@code i} read a consistent table: the versions
     * of its two stripes ({@code v0}, {@code v1}) are unchanged if the probe stayed within them,
     * else the table-wide version {@code g}.
     */
    private static boolean unchanged(Slots s, int i, int n, int st0, int st1, int v0, int v1, int g) {
        VarHandle.acquireFence();
        int covered = ((st0 + 2) << s.stripeShift) - i;
        return n < covered
                ? (int) VERSION.getOpaque(s.versions, st0) == v0 && (int) VERSION.getOpaque(s.versions, st1) == v1
                : (int) GLOBAL.getOpaque(s) == g;
    }

    private void capture(Slots s, int p, AttributeSet v, Cursor out) {
        out.set = v;
        out.stale = s.staleAt(p);
        out.labels = labeled ? labelsAt(s, p) : null;
        out.owner = s.owner(p);
    }

    /** A copy of slot {@code p}'s label stack (labeled tables). */
    private static int[] labelsAt(Slots s, int p) {
        int l = s.label(p);
        if (l != IN_STACKS) {
            return new int[] {l};
        }
        int[] stack = s.stackAcquire(p);
        return stack == null ? new int[0] : stack.clone();
    }

    /** The longest run of occupied slots (a scan; for tests and measurements). Writer or quiescent table. */
    int longestRun() {
        Slots s = (Slots) SLOTS.getAcquire(this);
        int longest = 0;
        int run = 0;
        for (int p = 0; p < 2 * s.capacity; p++) { // twice round: a run may wrap past the end
            run = s.value(p % s.capacity) == null ? 0 : run + 1;
            longest = Math.max(longest, Math.min(run, s.capacity));
        }
        return longest;
    }

    /** Receives entries from {@link #forEachOwned}. */
    @FunctionalInterface
    public interface OwnedVisitor {
        void visit(long high, long low, int length, long rd, AttributeSet set, long owner);
    }

    /** Every path of one prefix, as {@link #readPaths} found them (reused by its caller). */
    public static final class Paths {
        int n;
        int[] pathIds = new int[4];
        AttributeSet[] sets = new AttributeSet[4];
        byte[] stale = new byte[4];

        public int size() {
            return n;
        }

        public int pathId(int i) {
            return pathIds[i];
        }

        public AttributeSet set(int i) {
            return sets[i];
        }

        public byte stale(int i) {
            return stale[i];
        }

        void add(int pathId, AttributeSet set, byte mark) {
            if (n == sets.length) {
                pathIds = Arrays.copyOf(pathIds, n * 2);
                sets = Arrays.copyOf(sets, n * 2);
                stale = Arrays.copyOf(stale, n * 2);
            }
            pathIds[n] = pathId;
            sets[n] = set;
            stale[n] = mark;
            n++;
        }

        /** Forgets the sets (so a reused holder keeps none alive). */
        public void clear() {
            Arrays.fill(sets, 0, n, null);
            n = 0;
        }
    }

    /**
     * Every path of a prefix (each ADD-PATH path id; one without ADD-PATH) into {@code out}, with
     * {@link #get}'s guarantees per path, all read in one probe of the prefix's run (path ids are
     * not hashed); returns how many.
     */
    public int readPaths(long high, long low, int length, long rd, Paths out) {
        int h = hashOf(high, low, length, 0, rd);
        for (;;) {
            Slots s = (Slots) SLOTS.getAcquire(this);
            int cap = s.capacity;
            int i = s.home(h);
            int st0 = i >>> s.stripeShift;
            int st1 = s.nextStripe(st0);
            int v0 = (int) VERSION.getAcquire(s.versions, st0);
            int v1 = (int) VERSION.getAcquire(s.versions, st1);
            int g = (int) GLOBAL.getAcquire(s);
            if (((v0 | v1 | g) & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            out.clear();
            int n = 0;
            for (int p = i; n < cap; p = s.next(p), n++) {
                AttributeSet v = s.valueAcquire(p);
                if (v == null) {
                    break;
                }
                if (sameKey(s, p, high, low, length) && s.rd(p) == rd) {
                    out.add(s.pathId(p), v, s.staleAt(p));
                }
            }
            if (unchanged(s, i, n, st0, st1, v0, v1, g)) {
                return out.n;
            }
        }
    }

    /** Visits every entry; see the class comment for what a concurrent walk sees. */
    public void forEach(EntryVisitor visitor) {
        walk(c -> {
            for (int e = 0; e < c.n; e++) {
                visitor.visit(c.high[e], c.low[e], c.length[e], c.pathId[e], c.rd[e], c.set[e], c.stale[e], c.labels[e]);
            }
        });
    }

    /** {@link #forEach} with the owner tags (tables made with {@link #owned}). */
    public void forEachOwned(OwnedVisitor visitor) {
        walk(c -> {
            for (int e = 0; e < c.n; e++) {
                visitor.visit(c.high[e], c.low[e], c.length[e], c.rd[e], c.set[e], c.owner[e]);
            }
        });
    }

    private void walk(java.util.function.Consumer<Chunk> visitor) {
        Slots s = (Slots) SLOTS.getAcquire(this);
        int cap = s.capacity;
        int chunk = Math.min(cap, 1 << s.stripeShift);
        Chunk c = new Chunk(chunk);
        // Chunk by chunk (a chunk is one stripe), each read inside the seqlock of the stripes it
        // covers: the entries whose home slot is in the chunk, which sit between the chunk's start
        // and the first empty slot after its end. Every entry has one home, so none is seen twice,
        // and one present throughout is in its home chunk's run whenever that run is read whole.
        for (int a = 0; a < cap; a += chunk) {
            for (;;) {
                int st0 = a >>> s.stripeShift;
                int st1 = s.nextStripe(st0);
                int v0 = (int) VERSION.getAcquire(s.versions, st0);
                int v1 = (int) VERSION.getAcquire(s.versions, st1);
                int g = (int) GLOBAL.getAcquire(s);
                if (((v0 | v1 | g) & 1) != 0) {
                    Thread.onSpinWait();
                    continue;
                }
                c.n = 0;
                int k = 0;
                // Past the end too: in a one-chunk table, an entry whose run wrapped around lies
                // before its home and is found on the second lap (each entry added once: by home).
                for (int p = a; k < cap + chunk; k++, p = s.next(p)) {
                    AttributeSet e = s.valueAcquire(p);
                    if (e == null) {
                        if (k >= chunk) {
                            break;
                        }
                        continue;
                    }
                    int home = k - s.distance(s.home(hashAt(s, p)), p);
                    if (home >= 0 && home < chunk) {
                        c.add(s, p, e, ipv6, labeled);
                    }
                }
                VarHandle.acquireFence();
                boolean valid = k < 2 * chunk
                        ? (int) VERSION.getOpaque(s.versions, st0) == v0 && (int) VERSION.getOpaque(s.versions, st1) == v1
                        : (int) GLOBAL.getOpaque(s) == g;
                if (valid) {
                    break;
                }
            }
            visitor.accept(c);
        }
    }

    /** One chunk's entries, copied out under the seqlock before they are handed to the visitor. */
    private static final class Chunk {
        int n;
        long[] high;
        long[] low;
        int[] length;
        int[] pathId;
        long[] rd;
        AttributeSet[] set;
        byte[] stale;
        int[][] labels;
        long[] owner;

        Chunk(int size) {
            high = new long[size];
            low = new long[size];
            length = new int[size];
            pathId = new int[size];
            rd = new long[size];
            set = new AttributeSet[size];
            stale = new byte[size];
            labels = new int[size][];
            owner = new long[size];
        }

        void add(Slots s, int p, AttributeSet e, boolean ipv6, boolean labeled) {
            if (n == high.length) {
                int m = n * 2;
                high = Arrays.copyOf(high, m);
                low = Arrays.copyOf(low, m);
                length = Arrays.copyOf(length, m);
                pathId = Arrays.copyOf(pathId, m);
                rd = Arrays.copyOf(rd, m);
                set = Arrays.copyOf(set, m);
                stale = Arrays.copyOf(stale, m);
                labels = Arrays.copyOf(labels, m);
                owner = Arrays.copyOf(owner, m);
            }
            high[n] = s.key(p);
            if (ipv6) {
                low[n] = s.low(p);
                length[n] = s.length(p);
            } else {
                low[n] = 0;
                length[n] = (int) (high[n] & 0xff);
            }
            pathId[n] = s.pathId(p);
            rd[n] = s.rd(p);
            set[n] = e;
            stale[n] = s.staleAt(p);
            labels[n] = labeled ? labelsAt(s, p) : null;
            owner[n] = s.owner(p);
            n++;
        }
    }

    // ------------------------------------------------------------------ writer

    /**
     * Reads the home slot of each of {@code p}'s prefixes (value and key), and nothing else: a
     * pass before the writes that follow, so that their cache misses, which do not depend on each
     * other, overlap instead of coming one after the other (the writes then find the lines in the
     * cache). Returns a number made from what was read, for the caller to keep (so the reads are
     * not dropped as unused). Any thread; it changes nothing.
     */
    public int touch(PrefixList p) {
        Slots s = (Slots) SLOTS.getAcquire(this);
        int sum = 0;
        for (int i = 0; i < p.size(); i++) {
            int h = s.home(ipv6 ? hashOf(p.ipv6High(i), p.ipv6Low(i), p.length(i), p.pathId(i), p.routeDistinguisher(i))
                    : hashOf(p.ipv4(i), 0, 0, p.pathId(i), p.routeDistinguisher(i)));
            int g = h >>> PAGE_SHIFT;
            int o = h & PAGE_MASK;
            sum += (int) s.keys[g][o] + (s.values[g][o] == null ? 0 : 1);
        }
        return sum;
    }

    /**
     * Sets a key's value (and labels, in labeled families; {@code labels} is then the stack of
     * label values, kept by reference); clears its stale mark. Returns the previous value, or
     * null. Writer only.
     */
    public AttributeSet put(long high, long low, int length, int pathId, long rd, int[] labels, AttributeSet value) {
        return put(high, low, length, pathId, rd, labels, value, 0);
    }

    /**
     * {@link #put} in a table made with {@link #owned}: the value and its owner tag change
     * together (a reader sees both old or both new). Writer only.
     */
    public AttributeSet put(long high, long low, int length, long rd, int[] labels, AttributeSet value, long owner) {
        return put(high, low, length, 0, rd, labels, value, owner);
    }

    private AttributeSet put(long high, long low, int length, int pathId, long rd, int[] labels, AttributeSet value,
            long owner) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        Slots s = (Slots) SLOTS.get(this);
        if (pathId != 0 && s.pathIds == null) {
            s = resize(s.capacity(), s.multiplier, true); // first ADD-PATH route: path ids from now on
        }
        int h = hashOf(high, low, length, pathId, rd);
        int p = s.home(h);
        AttributeSet cur;
        while ((cur = s.value(p)) != null) {
            if (matches(s, p, high, low, length, pathId, rd)) {
                return replace(s, p, cur, labels, value, owner);
            }
            p = s.next(p);
        }
        int n = (int) SIZE.get(this);
        if (n + 1 > s.capacity - (s.capacity >>> 2)) {
            s = resize(grown(s.capacity), s.multiplier, s.pathIds != null);
            p = s.home(h);
            while (s.value(p) != null) {
                p = s.next(p);
            }
        }
        // An empty slot has stale mark 0 and no label stack; write the key, then publish.
        s.key(p, high, low, length, pathId, rd);
        if (labeled) {
            writeLabels(s, p, labels);
        }
        if (s.owners != null) {
            s.owners[p >>> PAGE_SHIFT][p & PAGE_MASK] = owner;
        }
        s.valueRelease(p, value);
        SIZE.setRelease(this, n + 1);
        return null;
    }

    private AttributeSet replace(Slots s, int p, AttributeSet cur, int[] labels, AttributeSet value, long owner) {
        byte mark = s.staleAt(p);
        boolean relabel = labeled && !sameLabels(s, p, labels);
        boolean reown = s.owners != null && s.owner(p) != owner;
        if (mark == FRESH && !relabel && !reown) {
            if (cur != value) {
                s.valueRelease(p, value);
            }
            return cur;
        }
        // More than one field of a live entry changes: inside the seqlock.
        beginWrite(s);
        mark(s, p >>> s.stripeShift);
        if (relabel) {
            writeLabels(s, p, labels);
        }
        if (reown) {
            s.owners[p >>> PAGE_SHIFT][p & PAGE_MASK] = owner;
        }
        if (mark != FRESH) {
            s.stale[p >>> PAGE_SHIFT][p & PAGE_MASK] = FRESH;
        }
        s.value(p, value);
        endWrite(s);
        if (mark != FRESH) {
            staleChanged(s, -1);
        }
        return cur;
    }

    private static boolean sameLabels(Slots s, int p, int[] labels) {
        int l = s.label(p);
        if (l != IN_STACKS) {
            return labels != null && labels.length == 1 && labels[0] == l;
        }
        return Arrays.equals(s.stackAcquire(p), labels == null ? new int[0] : labels);
    }

    private static void writeLabels(Slots s, int p, int[] labels) {
        int g = p >>> PAGE_SHIFT;
        int o = p & PAGE_MASK;
        Object[][] st = s.stacks;
        if (labels != null && labels.length == 1 && labels[0] >= 0) {
            s.labels[g][o] = labels[0];
            if (st != null) {
                st[g][o] = null;
            }
            return;
        }
        if (st == null) {
            st = s.newStacks();
            s.stacks = st;
        }
        st[g][o] = labels == null ? new int[0] : labels;
        s.labels[g][o] = IN_STACKS;
    }

    /** Removes a key; returns its value, or null if absent. Writer only. */
    public AttributeSet remove(long high, long low, int length, int pathId, long rd) {
        Slots s = (Slots) SLOTS.get(this);
        if (pathId != 0 && s.pathIds == null) {
            return null;
        }
        int p = s.home(hashOf(high, low, length, pathId, rd));
        AttributeSet cur;
        while ((cur = s.value(p)) != null) {
            if (matches(s, p, high, low, length, pathId, rd)) {
                byte mark = s.staleAt(p);
                deleteAt(s, p);
                SIZE.setRelease(this, (int) SIZE.get(this) - 1);
                if (mark != FRESH) {
                    staleChanged(s, -1);
                }
                maybeShrink();
                return cur;
            }
            p = s.next(p);
        }
        return null;
    }

    /** Removes slot {@code p} and shifts the rest of its run back (Algorithm R), in a seqlock window. */
    private void deleteAt(Slots s, int p) {
        int shift = s.stripeShift;
        beginWrite(s);
        mark(s, p >>> shift);
        int hole = p;
        int j = p;
        for (;;) {
            j = s.next(j);
            if (s.value(j) == null) {
                break;
            }
            int home = s.home(hashAt(s, j));
            // j may fill the hole unless its home lies cyclically in (hole, j].
            if (s.distance(home, j) >= s.distance(hole, j)) {
                mark(s, j >>> shift);
                move(s, j, hole);
                hole = j;
            }
        }
        int g = hole >>> PAGE_SHIFT;
        int o = hole & PAGE_MASK;
        s.values[g][o] = null;
        byte[][] st = s.stale;
        if (st != null) {
            st[g][o] = FRESH;
        }
        Object[][] stacks = s.stacks;
        if (stacks != null) {
            stacks[g][o] = null;
        }
        endWrite(s);
    }

    /** Copies slot {@code from} to slot {@code to} (writer, inside a seqlock window). */
    private static void move(Slots s, int from, int to) {
        copy(s, from, s, to);
    }

    /** Copies every field of slot {@code q} of {@code a} to slot {@code p} of {@code b}. */
    private static void copy(Slots a, int q, Slots b, int p) {
        int ag = q >>> PAGE_SHIFT;
        int ao = q & PAGE_MASK;
        int bg = p >>> PAGE_SHIFT;
        int bo = p & PAGE_MASK;
        b.keys[bg][bo] = a.keys[ag][ao];
        if (b.lows != null) {
            b.lows[bg][bo] = a.lows[ag][ao];
            b.lengths[bg][bo] = a.lengths[ag][ao];
        }
        if (b.pathIds != null) {
            b.pathIds[bg][bo] = a.pathIds == null ? 0 : a.pathIds[ag][ao];
        }
        if (b.rds != null) {
            b.rds[bg][bo] = a.rds[ag][ao];
        }
        if (b.labels != null) {
            b.labels[bg][bo] = a.labels[ag][ao];
        }
        Object[][] from = a.stacks;
        Object[][] to = b.stacks;
        if (from != null && to != null) {
            to[bg][bo] = from[ag][ao];
        }
        byte[][] sf = a.stale;
        byte[][] st = b.stale;
        if (sf != null && st != null) {
            st[bg][bo] = sf[ag][ao];
        }
        if (b.owners != null) {
            b.owners[bg][bo] = a.owners[ag][ao];
        }
        b.values[bg][bo] = a.values[ag][ao];
    }

    /** Opens the table-wide seqlock window. */
    private static void beginWrite(Slots s) {
        GLOBAL.setOpaque(s, (int) GLOBAL.get(s) + 1);
        VarHandle.releaseFence(); // the odd version is visible before any write of the window
    }

    /** Makes stripe {@code k} odd (once per window) before any slot in it is written. */
    private void mark(Slots s, int k) {
        int v = s.versions[k];
        if ((v & 1) == 0) {
            VERSION.setOpaque(s.versions, k, v + 1);
            VarHandle.releaseFence(); // the odd version is visible before any write of the window
            if (markedCount == marked.length) {
                marked = Arrays.copyOf(marked, markedCount * 2);
            }
            marked[markedCount++] = k;
        }
    }

    /** Closes the window: every marked stripe, then the table, even again (release). */
    private void endWrite(Slots s) {
        for (int i = 0; i < markedCount; i++) {
            int k = marked[i];
            VERSION.setRelease(s.versions, k, s.versions[k] + 1);
        }
        markedCount = 0;
        GLOBAL.setRelease(s, (int) GLOBAL.get(s) + 1);
    }

    private void staleChanged(Slots s, int delta) {
        int n = (int) STALE_COUNT.get(this) + delta;
        STALE_COUNT.setRelease(this, n);
        if (n == 0) {
            s.stale = null; // every mark is 0 again
        }
    }

    /**
     * Marks every route stale (RFC 4724 §4.2), or long-lived stale (RFC 9494 §4.3); returns the
     * number of routes. Writer only.
     */
    public int markStale(boolean longLived) {
        Slots s = (Slots) SLOTS.get(this);
        int n = (int) SIZE.get(this);
        if (n == 0) {
            return 0;
        }
        byte m = longLived ? LLGR_STALE : STALE;
        byte[][] st = s.stale;
        if (st == null) {
            st = s.newStale();
            s.stale = st;
        }
        int newly = 0;
        for (int g = 0; g < st.length; g++) {
            byte[] marks = st[g];
            AttributeSet[] values = s.values[g];
            for (int o = 0; o < marks.length; o++) {
                if (values[o] != null && marks[o] != m) {
                    if (marks[o] == FRESH) {
                        newly++;
                    }
                    marks[o] = m; // one byte: a reader sees the old mark or the new one
                }
            }
        }
        STALE_COUNT.setRelease(this, (int) STALE_COUNT.get(this) + newly);
        return n;
    }

    /** Removes every stale route, releasing its set in {@code store}; returns how many. Writer only. */
    public int sweepStale(AttributeStore store) {
        Slots s = (Slots) SLOTS.get(this);
        if (s.stale == null || (int) STALE_COUNT.get(this) == 0) {
            return 0;
        }
        // Walk from just after an empty slot: a shift only moves entries back into the slot just
        // examined (re-examined) or later ones, never into the part already walked.
        int z = 0;
        while (s.value(z) != null) {
            z++;
        }
        Releaser r = new Releaser(store);
        int removed = 0;
        for (int k = 1, p = s.next(z); k <= s.capacity; k++, p = s.next(p)) {
            AttributeSet e;
            while ((e = s.value(p)) != null && s.staleAt(p) != FRESH) {
                deleteAt(s, p);
                removed++;
                r.release(e);
            }
        }
        r.flush();
        SIZE.setRelease(this, (int) SIZE.get(this) - removed);
        STALE_COUNT.setRelease(this, 0);
        s.stale = null;
        maybeShrink();
        return removed;
    }

    /**
     * Releases the reference of every route to its set (the table is being dropped; it is not
     * changed, so readers still holding it see it as it was). Writer only.
     */
    public void releaseAll(AttributeStore store) {
        Slots s = (Slots) SLOTS.get(this);
        Releaser r = new Releaser(store);
        for (AttributeSet[] page : s.values) {
            for (AttributeSet e : page) {
                if (e != null) {
                    r.release(e);
                }
            }
        }
        r.flush();
    }

    private void maybeShrink() {
        Slots s = (Slots) SLOTS.get(this);
        int n = (int) SIZE.get(this);
        int cap = s.capacity();
        if (cap > MIN_CAPACITY && n <= cap >>> 3) {
            int c = MIN_CAPACITY;
            while (c - (c >>> 1) < n) { // load at most 1/2 after
                c = grown(c);
            }
            resize(c, shrinkMultiplier(s.multiplier, c), s.pathIds != null);
        }
    }

    /**
     * The capacity after {@code capacity} when the table grows past 3/4: double up to a page, then
     * half as much again, rounded up to whole pages. Growing by half rather than doubling keeps
     * the load between 1/2 and 3/4 instead of 3/8 and 3/4: a 1M-route IPv4 table takes 41 pages
     * (load 0.74) instead of 64 (0.48), 9 MB less, for probe runs a slot or two longer.
     */
    static int grown(int capacity) {
        if (capacity < PAGE) {
            return capacity << 1;
        }
        long c = ((long) capacity * 3 / 2 + PAGE - 1) & ~(long) PAGE_MASK;
        if (c > 1 << 30) {
            throw new IllegalStateException("table full: " + capacity + " slots");
        }
        return (int) c;
    }

    /**
     * A multiplier for a table shrinking to {@code capacity}, never the one it had. With the old
     * one, the keys left after removals in slot order (one contiguous range of the home order)
     * would land in one contiguous part of the smaller table, one long probe run.
     */
    static int shrinkMultiplier(int old, int capacity) {
        int m = multiplier(capacity);
        return m != old ? m : multiplier(capacity ^ old);
    }

    /**
     * Builds new arrays of {@code capacity} slots with home multiplier {@code multiplier} holding
     * every entry, and publishes them.
     *
     * <p>With the same multiplier (growth), a key's home is monotone in the same product at both
     * capacities, so the old slots, read in order, land in the new arrays in order too: both
     * passes are sequential (the hardware prefetches them) instead of one random write per entry.
     * Only the keys of a run that wraps past the old table's end come out of order.
     */
    private Slots resize(int capacity, int multiplier, boolean addPath) {
        Slots old = (Slots) SLOTS.get(this);
        Slots s = new Slots(capacity, multiplier, stripeShift, ipv6, addPath, vpn, labeled, owned);
        if (old.stale != null) {
            s.stale = s.newStale();
        }
        if (old.stacks != null) {
            s.stacks = s.newStacks();
        }
        for (int q = 0; q < old.capacity; q++) {
            if (old.value(q) == null) {
                continue;
            }
            int p = s.home(hashAt(old, q));
            while (s.value(p) != null) {
                p = s.next(p);
            }
            copy(old, q, s, p);
        }
        SLOTS.setRelease(this, s);
        return s;
    }

    /** Releases references in runs: consecutive routes often share a set. */
    static final class Releaser {
        private final AttributeStore store;
        private AttributeSet pending;
        private int count;

        Releaser(AttributeStore store) {
            this.store = store;
        }

        void release(AttributeSet s) {
            if (s != pending) {
                flush();
                pending = s;
            }
            count++;
        }

        void flush() {
            if (pending != null) {
                store.release(pending, count);
                pending = null;
            }
            count = 0;
        }
    }
}
