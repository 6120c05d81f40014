package io.ribbit.rib;

import io.netty.util.internal.PlatformDependent;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.codec.attr.MpReachNlri;
import io.ribbit.codec.attr.MpUnreachNlri;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The Loc-RIB (RFC 4271 §3.2): for every prefix any peer has, the best of all peers' paths by
 * {@link RouteSelection}, kept incrementally as the Adj-RIBs-In change.
 *
 * <p><b>Thread safety and the contract.</b> Producers: every peer's event loop. After an
 * {@link AdjRibIn} applies an UPDATE (or drops, sweeps or marks routes long-lived stale) it hands
 * what changed to its {@link Feed}: the UPDATE's prefix lists themselves (immutable, no copy), or
 * "re-check what this peer owns". A feed call never blocks and takes no lock: one offer to a
 * lock-free multi-producer queue (Netty's MPSC queue) and one atomic add to the pending-key count.
 * One consumer, the Loc-RIB thread ({@code ribbit-loc-rib}), the only writer of the Loc-RIB's
 * tables: for each changed prefix it reads the peers' Adj-RIBs-In (lock-free reads) and stores
 * the winner, the path's {@link AttributeSet} and an owner tag (peer index, path id), in a
 * {@link PrefixTable#owned} table per family. Readers ({@link #best}, {@link #size}) take no lock
 * and see {@link PrefixTable}'s guarantees: an entry's set and owner from one instant.
 *
 * <p>What the Loc-RIB holds: for each prefix, the best over the paths as the Loc-RIB thread last
 * read them. Every change to an Adj-RIB-In is followed by a hand-off that makes the Loc-RIB thread
 * read that prefix again, so once the peers stop changing and the queue is drained
 * ({@link #sync}), every entry equals the from-scratch selection over the Adj-RIBs-In. Meanwhile it
 * lags by the queue ({@link #pending}, {@link #lagNanos}).
 *
 * <p>Work per changed prefix: a peer that is not the current best owner reads its own paths and
 * compares them with the stored best (one probe), which is exact because the stored best is the
 * best over what was last read. When the best's owner changes its path, or (without
 * {@code always-compare-med}) when the MED step could depend on the paths that tied before it, the
 * prefix is selected again from every peer's paths (one probe per peer).
 *
 * <p><b>Bounded memory.</b> While more than {@code maxPendingKeys} prefixes wait, a peer's changes
 * are not queued; the peer is marked for a resync instead (one queued marker per peer): the
 * Loc-RIB thread then re-checks every prefix the peer owns and every prefix the peer has. Nothing
 * is lost: the resync starts after the flag is cleared (an atomic exchange each side), so it reads
 * every change made before the peer saw the flag set.
 */
public final class LocRib implements AutoCloseable {
    /** Receives best-path changes, on the Loc-RIB thread, in the order they happen. */
    @FunctionalInterface
    public interface Listener {
        /**
         * The best path of a prefix changed. {@code best} null: no peer has the prefix any more
         * (withdrawn); {@code previous} null: the prefix is new. For IPv4, {@code high} is the
         * packed prefix ({@link PrefixList#packIpv4}) and {@code low} 0.
         */
        void changed(AfiSafi family, long high, long low, int length, long rd, Feed previous, Feed best, int pathId,
                AttributeSet set);
    }

    /** The best path of a prefix, for readers. */
    public record Best(Feed feed, int pathId, AttributeSet set) {
    }

    // Owner tag: peer index, path id, and two bits the decision needs about the stored best.
    private static final long LLGR = 1L << 62;
    private static final long ALONE = 1L << 63;
    private static final long INDEX_MASK = (1L << 30) - 1;

    static long owner(int index, int pathId, boolean llgr, boolean alone) {
        return (long) index << 32 | Integer.toUnsignedLong(pathId) | (llgr ? LLGR : 0) | (alone ? ALONE : 0);
    }

    static int ownerIndex(long owner) {
        return (int) (owner >>> 32 & INDEX_MASK);
    }

    private static final int KEYS = 0;
    private static final int OWNED = 1;
    private static final int RESYNC = 2;
    private static final int FACTS = 3;
    private static final int REGISTER = 4;
    private static final int UNREGISTER = 5;
    private static final int BARRIER = 6;

    /** One queued hand-off. Immutable once queued. */
    private static final class Op {
        final int kind;
        final Feed feed;
        final PrefixList[] lists;
        final AfiSafi family;
        final RouteSelection.PeerFacts facts;
        final CountDownLatch done;

        Op(int kind, Feed feed, PrefixList[] lists, AfiSafi family, RouteSelection.PeerFacts facts, CountDownLatch done) {
            this.kind = kind;
            this.feed = feed;
            this.lists = lists;
            this.family = family;
            this.facts = facts;
            this.done = done;
        }
    }

    /**
     * One peer's side of the Loc-RIB: its {@link AdjRibIn} calls it after every change (on the
     * peer's event loop); its facts (eBGP or not, BGP Identifier) are given with {@link #facts}.
     */
    public static final class Feed {
        private final LocRib loc;
        private final AdjRibIn rib;
        private final Object tag;
        private final AtomicBoolean resync = new AtomicBoolean();
        /** Peer index, written by the Loc-RIB thread; -1 before registration and after close. */
        private volatile int index = -1;
        /** The facts the Loc-RIB thread decides with (Loc-RIB thread only). */
        private RouteSelection.PeerFacts facts;
        private volatile boolean closed;

        Feed(LocRib loc, AdjRibIn rib, Object tag) {
            this.loc = loc;
            this.rib = rib;
            this.tag = tag;
        }

        /** What the Feed was registered with (the collector's peer). */
        public Object tag() {
            return tag;
        }

        public AdjRibIn rib() {
            return rib;
        }

        /** The facts the Loc-RIB last decided with (a snapshot, for readers). */
        public RouteSelection.PeerFacts facts() {
            return lastFacts;
        }

        private volatile RouteSelection.PeerFacts lastFacts;

        /** The peer's facts changed (a new session: BGP Identifier, AS): every prefix it has or owns is re-checked. */
        public void facts(RouteSelection.PeerFacts f) {
            lastFacts = f;
            loc.enqueue(new Op(FACTS, this, null, null, f, null), 1);
        }

        /** The peer is gone (its routes dropped first): its index is freed. Any thread. */
        public void close() {
            if (!closed) {
                closed = true;
                loc.enqueue(new Op(UNREGISTER, this, null, null, null, null), 1);
            }
        }

        /** An UPDATE was applied (peer loop). */
        void updated(UpdateMessage u) {
            PrefixList a = u.withdrawn();
            MpUnreachNlri unreach = u.mpUnreach();
            PrefixList b = unreach != null && unreach.nlri() instanceof PrefixList p ? p : null;
            PrefixList c = u.nlri();
            MpReachNlri reach = u.mpReach();
            PrefixList d = reach != null && reach.nlri() instanceof PrefixList p ? p : null;
            int n = size(a) + size(b) + size(c) + size(d);
            if (n == 0) {
                return;
            }
            if (resyncPending()) {
                return;
            }
            if (loc.pending.get() + n > loc.maxPendingKeys) {
                requestResync();
                return;
            }
            PrefixList[] lists = new PrefixList[(size(a) > 0 ? 1 : 0) + (size(b) > 0 ? 1 : 0) + (size(c) > 0 ? 1 : 0)
                    + (size(d) > 0 ? 1 : 0)];
            int k = 0;
            for (PrefixList p : new PrefixList[] {a, b, c, d}) {
                if (size(p) > 0) {
                    lists[k++] = p;
                }
            }
            loc.enqueue(new Op(KEYS, this, lists, null, null, null), n);
        }

        /** Routes of {@code family} (null: every family) were dropped or made worse (peer loop). */
        void dropped(AfiSafi family) {
            if (resyncPending()) {
                return;
            }
            loc.enqueue(new Op(OWNED, this, null, family, null, null), 1);
        }

        /** Any of the peer's paths may have changed (peer loop): every prefix it has or owns is checked again. */
        void resync() {
            requestResync();
        }

        private static int size(PrefixList p) {
            return p == null ? 0 : p.size();
        }

        /** Whether a resync is queued and not started (then it covers this change). */
        private boolean resyncPending() {
            if (!resync.get()) {
                return false;
            }
            if (!resync.getAndSet(true)) {
                // The Loc-RIB thread took the last request meanwhile: this change needs a new one.
                loc.resyncs.incrementAndGet();
                loc.enqueue(new Op(RESYNC, this, null, null, null, null), 1);
            }
            return true;
        }

        private void requestResync() {
            if (!resync.getAndSet(true)) {
                loc.resyncs.incrementAndGet();
                loc.enqueue(new Op(RESYNC, this, null, null, null, null), 1);
            }
        }

        @Override
        public String toString() {
            return "Feed[" + tag + "]";
        }
    }

    private final RouteSelection selection;
    private final long maxPendingKeys;
    private final Listener listener;
    private final Queue<Op> queue = PlatformDependent.newMpscQueue();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong resyncs = new AtomicLong();
    private final Thread thread;
    private volatile boolean parked;
    private volatile boolean closing;
    /** When the queue was last seen empty (System.nanoTime). */
    private volatile long idleSince = System.nanoTime();
    private volatile long changes;
    private volatile long recomputes;
    /** Per family, replaced when a family is added (rare). */
    private volatile Map<AfiSafi, PrefixTable> tables = Collections.emptyMap();
    /** Feeds by index, for readers; replaced on (un)registration. */
    private volatile Feed[] byIndex = new Feed[0];

    // Loc-RIB thread only.
    private final List<Feed> feeds = new ArrayList<>();
    private final ArrayDeque<Integer> freeIndexes = new ArrayDeque<>();
    private RouteSelection.Path[] paths = newPaths(16);
    private Feed[] pathFeeds = new Feed[16];
    private final PrefixTable.Paths read = new PrefixTable.Paths();
    private final PrefixTable.Cursor cursor = new PrefixTable.Cursor();
    private final RouteSelection.Path stored = new RouteSelection.Path();

    /**
     * Starts the Loc-RIB thread.
     *
     * @param listener told of every best-path change (null: nobody)
     * @param maxPendingKeys prefixes queued before peers are resynced instead of queued
     */
    public LocRib(RouteSelection selection, Listener listener, long maxPendingKeys) {
        this.selection = selection;
        this.listener = listener;
        this.maxPendingKeys = maxPendingKeys;
        this.thread = new Thread(this::run, "ribbit-loc-rib");
        this.thread.setPriority(Thread.MIN_PRIORITY); // ingest work, like the peers' loops
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public RouteSelection selection() {
        return selection;
    }

    /**
     * Adds a peer: from now on {@code rib}'s changes reach the Loc-RIB. Call before the first
     * change is applied to {@code rib}.
     */
    public Feed register(AdjRibIn rib, RouteSelection.PeerFacts facts, Object tag) {
        Feed f = new Feed(this, rib, tag);
        f.lastFacts = facts;
        enqueue(new Op(REGISTER, f, null, null, facts, null), 1);
        rib.feed(f);
        return f;
    }

    private void enqueue(Op op, int keys) {
        queue.offer(op);
        pending.getAndAdd(keys);
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    // ------------------------------------------------------------------ readers

    /** The best path of a prefix, or null. IPv4: {@code high} packed, {@code low} 0. Any thread. */
    public Best best(AfiSafi family, long high, long low, int length, long rd) {
        PrefixTable t = tables.get(family);
        if (t == null) {
            return null;
        }
        PrefixTable.Cursor c = new PrefixTable.Cursor();
        if (!t.read(high, low, length, 0, rd, c)) {
            return null;
        }
        Feed[] f = byIndex;
        int i = ownerIndex(c.owner());
        return new Best(i < f.length ? f[i] : null, (int) c.owner(), c.set());
    }

    /** Prefixes with a best path in {@code family}. */
    public int size(AfiSafi family) {
        PrefixTable t = tables.get(family);
        return t == null ? 0 : t.size();
    }

    /** The families the Loc-RIB has (or had) prefixes of. */
    public java.util.Set<AfiSafi> families() {
        return tables.keySet();
    }

    /** The table of a family (primitive access), or null. */
    public PrefixTable table(AfiSafi family) {
        return tables.get(family);
    }

    /** Prefixes (and other hand-offs) queued and not yet processed. */
    public long pending() {
        return pending.get();
    }

    /** How long the Loc-RIB has had work queued (0 when it is caught up). */
    public long lagNanos() {
        return pending.get() == 0 ? 0 : System.nanoTime() - idleSince;
    }

    /** Best-path changes so far (new, replaced or withdrawn bests). */
    public long changes() {
        return changes;
    }

    /** Prefixes selected again from every peer's paths. */
    public long recomputes() {
        return recomputes;
    }

    /** Times a peer was resynced because the queue was full. */
    public long resyncs() {
        return resyncs.get();
    }

    /** Waits until everything handed off before this call has been processed (tests, shutdown). */
    public boolean sync(long timeout, TimeUnit unit) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        enqueue(new Op(BARRIER, null, null, null, null, done), 1);
        return done.await(timeout, unit);
    }

    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ the Loc-RIB thread

    private void run() {
        while (!closing) {
            Op op = queue.poll();
            if (op == null) {
                idleSince = System.nanoTime();
                parked = true;
                if (pending.get() == 0 && !closing) {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
                }
                parked = false;
                continue;
            }
            int keys = 1;
            try {
                keys = process(op);
            } catch (RuntimeException | Error e) {
                // A bug; the thread must not die (the Loc-RIB would silently stop).
                System.getLogger(LocRib.class.getName()).log(System.Logger.Level.ERROR, "Loc-RIB: " + e, e);
            }
            pending.getAndAdd(-keys);
        }
    }

    /** Processes one hand-off; returns how much it counted in {@link #pending}. */
    private int process(Op op) {
        Feed f = op.feed;
        switch (op.kind) {
            case BARRIER -> {
                // Uncounted before the waiter wakes: after sync() returns, pending() counts only
                // what was queued later.
                pending.getAndAdd(-1);
                op.done.countDown();
                return 0;
            }
            case REGISTER -> {
                int i = freeIndexes.isEmpty() ? feeds.size() : freeIndexes.poll();
                f.facts = op.facts;
                f.index = i;
                while (feeds.size() <= i) {
                    feeds.add(null);
                }
                feeds.set(i, f);
                byIndex = feeds.toArray(new Feed[0]);
            }
            case UNREGISTER -> {
                int i = f.index;
                if (i >= 0) {
                    feeds.set(i, null);
                    recheckOwned(f, null);
                    f.index = -1;
                    byIndex = feeds.toArray(new Feed[0]);
                    freeIndexes.add(i);
                }
            }
            case FACTS -> {
                if (f.index >= 0) {
                    f.facts = op.facts;
                    resync(f);
                }
            }
            case RESYNC -> {
                f.resync.getAndSet(false); // before reading: a change after this is queued again
                if (f.index >= 0) {
                    resync(f);
                }
            }
            case OWNED -> {
                if (f.index >= 0) {
                    recheckOwned(f, op.family);
                }
            }
            case KEYS -> {
                int n = 0;
                for (PrefixList p : op.lists) {
                    n += p.size();
                    if (f.index >= 0) {
                        changed(f, p);
                    }
                }
                return n;
            }
            default -> throw new IllegalStateException("op " + op.kind);
        }
        return 1;
    }

    private void changed(Feed f, PrefixList p) {
        AfiSafi family = p.afiSafi();
        boolean ipv6 = family.isIpv6();
        for (int i = 0; i < p.size(); i++) {
            if (ipv6) {
                changed(f, family, p.ipv6High(i), p.ipv6Low(i), p.length(i), p.routeDistinguisher(i));
            } else {
                changed(f, family, p.ipv4(i), 0, p.length(i), p.routeDistinguisher(i));
            }
        }
    }

    /** Every prefix {@code f} owns (in {@code family}, or all), then every prefix it has, checked again. */
    private void resync(Feed f) {
        recheckOwned(f, null);
        for (AfiSafi family : f.rib.families()) {
            PrefixTable t = f.rib.table(family);
            if (t != null) {
                t.forEach((high, low, length, pathId, rd, set, stale, labels) -> changed(f, family, high, low, length, rd));
            }
        }
    }

    /** Selects again every prefix whose best is {@code f}'s (in {@code family}, or all). */
    private void recheckOwned(Feed f, AfiSafi family) {
        int index = f.index;
        for (Map.Entry<AfiSafi, PrefixTable> e : tables.entrySet()) {
            if (family != null && e.getKey() != family) {
                continue;
            }
            AfiSafi fam = e.getKey();
            e.getValue().forEachOwned((high, low, length, rd, set, owner) -> {
                if (ownerIndex(owner) == index) {
                    recompute(fam, high, low, length, rd);
                }
            });
        }
    }

    /** {@code f}'s paths for a prefix may have changed. */
    private void changed(Feed f, AfiSafi family, long high, long low, int length, long rd) {
        PrefixTable loc = tables.get(family);
        boolean has = loc != null && loc.read(high, low, length, 0, rd, cursor);
        if (!has) {
            // Nobody had the prefix when last read: the best is among f's paths alone.
            int n = readPaths(f, family, high, low, length, rd, 0);
            store(family, high, low, length, rd, n, null, 0);
            return;
        }
        long owner = cursor.owner();
        AttributeSet bestSet = cursor.set();
        int ownerIndex = ownerIndex(owner);
        if (ownerIndex == f.index) {
            recompute(family, high, low, length, rd);
            return;
        }
        Feed ownerFeed = ownerIndex < feeds.size() ? feeds.get(ownerIndex) : null;
        if (ownerFeed == null) {
            recompute(family, high, low, length, rd);
            return;
        }
        int n = readPaths(f, family, high, low, length, rd, 0);
        stored.of(ownerFeed.facts, bestSet, (owner & LLGR) != 0 ? PrefixTable.LLGR_STALE : PrefixTable.FRESH, (int) owner);
        if (selection.alwaysCompareMed()) {
            // A total order: the best over what was last read is the better of the stored best and f's best.
            int b = selection.select(paths, n);
            if (b >= 0 && selection.compare(paths[b], stored) < 0) {
                store(family, high, low, length, rd, n, ownerFeed, owner);
            }
            return;
        }
        // MED by neighbor AS: exact only if no other path tied with the best before MED (then f's
        // old path did not take part) and f's paths do not tie either.
        boolean worse = (owner & ALONE) != 0;
        for (int i = 0; worse && i < n; i++) {
            worse = RouteSelection.compareBeforeMed(paths[i], stored) > 0;
        }
        if (!worse) {
            recompute(family, high, low, length, rd);
        }
    }

    /** Reads {@code f}'s paths for a prefix into {@link #paths} from {@code at}; returns the new count. */
    private int readPaths(Feed f, AfiSafi family, long high, long low, int length, long rd, int at) {
        PrefixTable t = f.rib.table(family);
        if (t == null) {
            return at;
        }
        int k = t.readPaths(high, low, length, rd, read);
        if (at + k > paths.length) {
            RouteSelection.Path[] p = newPaths(Math.max(paths.length * 2, at + k));
            System.arraycopy(paths, 0, p, 0, paths.length);
            paths = p;
            pathFeeds = java.util.Arrays.copyOf(pathFeeds, p.length);
        }
        for (int i = 0; i < k; i++) {
            paths[at + i].of(f.facts, read.set(i), read.stale(i), read.pathId(i));
            pathFeeds[at + i] = f;
        }
        read.clear();
        return at + k;
    }

    /** Selects a prefix again from every peer's paths. */
    private void recompute(AfiSafi family, long high, long low, int length, long rd) {
        recomputes++;
        int n = 0;
        for (Feed f : feeds) {
            if (f != null) {
                n = readPaths(f, family, high, low, length, rd, n);
            }
        }
        PrefixTable loc = tables.get(family);
        Feed previous = null;
        long owner = 0;
        if (loc != null && loc.read(high, low, length, 0, rd, cursor)) {
            int i = ownerIndex(cursor.owner());
            previous = i < feeds.size() ? feeds.get(i) : null;
            owner = cursor.owner();
        }
        store(family, high, low, length, rd, n, previous, owner);
    }

    /**
     * Stores the best of {@link #paths}{@code [0..n)} (none: removes the prefix) and tells the
     * listener if it changed. {@code previous}/{@code previousOwner}: the entry now, if any.
     */
    private void store(AfiSafi family, long high, long low, int length, long rd, int n, Feed previous, long previousOwner) {
        PrefixTable loc = tables.get(family);
        int b = selection.select(paths, n);
        if (b < 0) {
            AttributeSet old = loc == null ? null : loc.remove(high, low, length, 0, rd);
            if (old != null) {
                changed(family, high, low, length, rd, previous, null, 0, null);
            }
            return;
        }
        RouteSelection.Path best = paths[b];
        boolean alone = true;
        for (int i = 0; i < n && alone; i++) {
            alone = i == b || RouteSelection.compareBeforeMed(paths[i], best) != 0;
        }
        Feed f = pathFeeds[b];
        long owner = owner(f.index, best.pathId(), best.llgrStale(), alone);
        if (loc == null) {
            loc = PrefixTable.owned(family);
            Map<AfiSafi, PrefixTable> m = new TreeMap<>(tables);
            m.put(family, loc);
            tables = Collections.unmodifiableMap(m);
        }
        AttributeSet old = loc.put(high, low, length, rd, null, best.set(), owner);
        boolean same = old == best.set() && previous == f && (int) previousOwner == best.pathId();
        if (!same) {
            changed(family, high, low, length, rd, previous, f, best.pathId(), best.set());
        }
        for (int i = 0; i < n; i++) {
            paths[i].set = null; // keep no dead set alive
        }
    }

    private void changed(AfiSafi family, long high, long low, int length, long rd, Feed previous, Feed best, int pathId,
            AttributeSet set) {
        changes++;
        if (listener != null) {
            int len = family.isIpv6() ? length : PrefixList.ipv4Length(high);
            listener.changed(family, high, low, len, rd, previous, best, pathId, set);
        }
    }

    private static RouteSelection.Path[] newPaths(int n) {
        RouteSelection.Path[] p = new RouteSelection.Path[n];
        for (int i = 0; i < n; i++) {
            p[i] = new RouteSelection.Path();
        }
        return p;
    }
}
