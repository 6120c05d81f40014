package io.ribbit.rib;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.ribbit.codec.attr.MpReachNlri;
import io.ribbit.codec.attr.MpUnreachNlri;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * One peer's Adj-RIB-In (RFC 4271 §3.2): the routes it announced, per family, keyed by prefix
 * (and path id with ADD-PATH, route distinguisher in VPN families). UPDATEs are applied in order:
 * withdrawals, then announcements (RFC 4271 §9: a prefix withdrawn and announced in one UPDATE
 * ends up announced); a treat-as-withdraw UPDATE (RFC 7606 §2) withdraws everything it announces.
 *
 * <p>Storage: one {@link PrefixTable} per family (primitive keys, no object per route), whose
 * values are {@link AttributeSet}s interned in an {@link AttributeStore} shared with every other
 * peer. {@link Route} and {@link RouteKey} are made on read.
 *
 * <p>Thread safety: one writer, the peer's event loop ({@link #apply}, {@link #clear},
 * {@link #markStale}, {@link #sweepStale}); any number of concurrent readers ({@link #get},
 * {@link #forEach}, the counts, {@link #families}), which take no lock and never block the
 * writer. What a reader may see is {@link PrefixTable}'s contract, per family: a route present
 * throughout a read is seen, with one of its values; a route changed during the read is seen
 * before or after the change, never half-changed; a reader may see an UPDATE half applied (it is
 * applied route by route). Counts are sums of per-family counts, each exact after some recent
 * write.
 *
 * <p>Every route holds a reference to its set in the store; {@link #clear()} releases them. A
 * peer's Adj-RIB-In must be cleared before it is dropped, or its sets stay in the store.
 */
public final class AdjRibIn {
    private final AttributeStore store;
    /** Immutable, replaced when a family is added or dropped (rare). */
    private volatile Map<AfiSafi, PrefixTable> tables = Collections.emptyMap();

    // Writer-only state.
    /** Where the canonical bytes of an UPDATE's path are written (not leak-tracked: never released, only collected). */
    private final ByteBuf scratch = new UnpooledHeapByteBuf(UnpooledByteBufAllocator.DEFAULT, 256, Integer.MAX_VALUE);
    /** The last set used, with one reference of its own: consecutive UPDATEs with the same path skip the store. */
    private AttributeSet cached;
    private final PrefixTable.Releaser releaser;
    /** Told of every change when a Loc-RIB is kept (set once, before the first change), else null. */
    private LocRib.Feed feed;

    /** What one UPDATE changed. */
    public record Change(int announced, int withdrawn, int removed) {
    }

    /** An Adj-RIB-In whose sets live in the process-wide store. */
    public AdjRibIn() {
        this(AttributeStore.shared());
    }

    public AdjRibIn(AttributeStore store) {
        this.store = store;
        this.releaser = new PrefixTable.Releaser(store);
    }

    public AttributeStore store() {
        return store;
    }

    /** Hands every later change to the Loc-RIB ({@link LocRib#register} calls it). */
    void feed(LocRib.Feed f) {
        this.feed = f;
    }

    /** The Loc-RIB feed, or null when no Loc-RIB is kept. */
    public LocRib.Feed feed() {
        return feed;
    }

    private void dropped(AfiSafi family) {
        if (feed != null) {
            feed.dropped(family);
        }
    }

    /** Applies an UPDATE; returns the counts. */
    public Change apply(UpdateMessage u) {
        return apply(u, null);
    }

    /**
     * Applies an UPDATE whose announced routes were put through import checks: a route
     * {@code tags} rejects is not stored, and replaces (removes) the prefix's previous route.
     * {@code tags} null: nothing rejected.
     */
    public Change apply(UpdateMessage u, ImportChecks.Tags tags) {
        Change c = applyToTables(u, tags);
        if (feed != null) {
            feed.updated(u);
        }
        return c;
    }

    private Change applyToTables(UpdateMessage u, ImportChecks.Tags tags) {
        int withdrawn = 0;
        int removed = 0;
        int announced = 0;
        removed += withdraw(u.withdrawn());
        withdrawn += u.withdrawn().size();
        MpUnreachNlri unreach = u.mpUnreach();
        if (unreach != null && unreach.nlri() instanceof PrefixList p) {
            removed += withdraw(p);
            withdrawn += p.size();
        }
        MpReachNlri reach = u.mpReach();
        if (u.treatAsWithdraw()) {
            removed += withdraw(u.nlri());
            withdrawn += u.nlri().size();
            if (reach != null && reach.nlri() instanceof PrefixList p) {
                removed += withdraw(p);
                withdrawn += p.size();
            }
            return new Change(0, withdrawn, removed);
        }
        if (!u.nlri().isEmpty()) {
            announced += announce(u.nlri(), attributeSet(u, false, u.nlri()), tags);
        }
        if (reach != null && reach.nlri() instanceof PrefixList p && !p.isEmpty()) {
            announced += announce(p, attributeSet(u, true, p), tags);
        }
        removed += rejectedRemoved;
        rejectedRemoved = 0;
        return new Change(announced, withdrawn, removed);
    }

    /**
     * The set for the routes {@code u} announces ({@code mp}: its MP_REACH_NLRI prefixes,
     * {@code routes}), held by {@link #cached}, with one reference per route of {@code routes}
     * already taken: in the same atomic step as the lookup (or the cache's), before the puts, so
     * that no atomic update comes after the puts' stores and waits for them. The caller gives back
     * the references its puts did not keep.
     */
    private AttributeSet attributeSet(UpdateMessage u, boolean mp, PrefixList routes) {
        ByteBuf b = scratch;
        b.clear();
        AttributeBytes.write(u, mp, b);
        byte[] a = b.array();
        int off = b.arrayOffset() + b.readerIndex();
        int len = b.readableBytes();
        int h = AttributeBytes.hash(a, off, len);
        AttributeSet c = cached;
        boolean same = c != null && c.hash == h && c.contentEquals(a, off, len);
        // Read ahead the routes' table slots (and the store's slot, unless the cached set is the
        // one): their cache misses, independent of each other, then overlap instead of coming one
        // after the other in the intern and the puts.
        touched += (same ? 0 : store.touch(h)) + tableFor(routes).touch(routes);
        if (same) {
            c.retain(routes.size());
            return c;
        }
        AttributeSet s = store.intern(a, off, len, h, 1 + routes.size());
        cached = s;
        if (c != null) {
            store.release(c, 1);
        }
        return s;
    }

    private void dropCache() {
        if (cached != null) {
            store.release(cached, 1);
            cached = null;
        }
    }

    /** The table of {@code f}, or null (writer only). */
    private PrefixTable existing(AfiSafi f) {
        PrefixTable t = lastTable;
        if (t != null && t.family().equals(f)) {
            return t; // most UPDATEs are of the family before them: no map lookup
        }
        t = tables.get(f);
        if (t != null) {
            lastTable = t;
        }
        return t;
    }

    /** The table of {@code p}'s family, made if there is none (writer only). */
    private PrefixTable tableFor(PrefixList p) {
        PrefixTable t = existing(p.afiSafi());
        if (t == null) {
            t = new PrefixTable(p.afiSafi(), p.hasPathIds());
            Map<AfiSafi, PrefixTable> m = new TreeMap<>(tables);
            m.put(p.afiSafi(), t);
            tables = Collections.unmodifiableMap(m);
            lastTable = t;
        }
        return t;
    }

    /** What {@link PrefixTable#touch} read, kept so its reads are not dropped (writer only; never used). */
    @SuppressWarnings("unused")
    private int touched;

    /** The table {@link #existing} or {@link #tableFor} returned last (writer only; dropped with its family). */
    private PrefixTable lastTable;

    /** Routes removed by rejected announcements during the current {@link #apply} (writer only). */
    private int rejectedRemoved;

    private int announce(PrefixList p, AttributeSet set, ImportChecks.Tags tags) {
        PrefixTable t = tableFor(p);
        boolean ipv6 = p.afiSafi().isIpv6();
        boolean labeled = p.afiSafi().isLabeled();
        int gained = 0;
        for (int i = 0; i < p.size(); i++) {
            if (tags != null && tags.rejected(p, i)) {
                AttributeSet prev = ipv6
                        ? t.remove(p.ipv6High(i), p.ipv6Low(i), p.length(i), p.pathId(i), p.routeDistinguisher(i))
                        : t.remove(p.ipv4(i), 0, p.length(i), p.pathId(i), p.routeDistinguisher(i));
                if (prev != null) {
                    rejectedRemoved++;
                    releaser.release(prev);
                }
                continue;
            }
            int[] labels = labeled ? p.labels(i) : null;
            AttributeSet prev = ipv6
                    ? t.put(p.ipv6High(i), p.ipv6Low(i), p.length(i), p.pathId(i), p.routeDistinguisher(i), labels, set)
                    : t.put(p.ipv4(i), 0, p.length(i), p.pathId(i), p.routeDistinguisher(i), labels, set);
            if (prev != set) {
                gained++;
                if (prev != null) {
                    releaser.release(prev);
                }
            }
        }
        releaser.flush();
        if (gained < p.size()) {
            store.release(set, p.size() - gained); // never the last: the cache holds one
        }
        return p.size();
    }

    private int withdraw(PrefixList p) {
        if (p.isEmpty()) {
            return 0;
        }
        PrefixTable t = existing(p.afiSafi());
        if (t == null) {
            return 0;
        }
        boolean ipv6 = p.afiSafi().isIpv6();
        int removed = 0;
        for (int i = 0; i < p.size(); i++) {
            AttributeSet prev = ipv6
                    ? t.remove(p.ipv6High(i), p.ipv6Low(i), p.length(i), p.pathId(i), p.routeDistinguisher(i))
                    : t.remove(p.ipv4(i), 0, p.length(i), p.pathId(i), p.routeDistinguisher(i));
            if (prev != null) {
                removed++;
                releaser.release(prev);
            }
        }
        releaser.flush();
        return removed;
    }

    /** The route with {@code key}, or null (decodes its attributes). */
    public Route get(RouteKey key) {
        PrefixTable t = tables.get(key.family());
        if (t == null) {
            return null;
        }
        PrefixTable.Cursor c = new PrefixTable.Cursor();
        if (!t.read(key.high(), key.low(), key.length(), key.pathId(), key.rd(), c)) {
            return null;
        }
        return route(c.set(), c.stale(), c.labels());
    }

    /**
     * The route an entry of a table stands for (decodes its attributes): for readers that walk
     * {@link #table} themselves and decode only the entries they keep.
     */
    public static Route route(AttributeSet set, byte stale, int[] labels) {
        PathAttributes a = set.attributes();
        return new Route(a, set.nextHop(a), labels, stale != PrefixTable.FRESH, stale == PrefixTable.LLGR_STALE);
    }

    /** The table of a family, or null (primitive access for tools and benchmarks). */
    public PrefixTable table(AfiSafi family) {
        return tables.get(family);
    }

    /** Routes in all families. */
    public long size() {
        long n = 0;
        for (PrefixTable t : tables.values()) {
            n += t.size();
        }
        return n;
    }

    public int size(AfiSafi family) {
        PrefixTable t = tables.get(family);
        return t == null ? 0 : t.size();
    }

    /** The families that have (or had, since the last clear) routes; a snapshot. */
    public Set<AfiSafi> families() {
        return tables.keySet();
    }

    /**
     * Visits every route of a family (weakly consistent with concurrent changes: see
     * {@link PrefixTable#forEach}). Decodes each distinct set once per small run.
     */
    public void forEach(AfiSafi family, BiConsumer<RouteKey, Route> visitor) {
        PrefixTable t = tables.get(family);
        if (t == null) {
            return;
        }
        AttributeSet[] seen = new AttributeSet[64];
        PathAttributes[] decoded = new PathAttributes[64];
        byte[][] nextHops = new byte[64][];
        t.forEach((high, low, length, pathId, rd, set, stale, labels) -> {
            int k = set.hash & 63;
            if (seen[k] != set) {
                seen[k] = set;
                decoded[k] = set.attributes();
                nextHops[k] = set.nextHop(decoded[k]);
            }
            byte[] nh = nextHops[k];
            visitor.accept(new RouteKey(family, high, low, length, pathId, rd),
                    new Route(decoded[k], nh == null ? null : nh.clone(), labels, stale != PrefixTable.FRESH,
                            stale == PrefixTable.LLGR_STALE));
        });
    }

    /** Drops every route (session down without graceful restart); returns how many there were. */
    public long clear() {
        Map<AfiSafi, PrefixTable> old = tables;
        tables = Collections.emptyMap();
        lastTable = null;
        long n = 0;
        for (PrefixTable t : old.values()) {
            n += t.size();
            t.releaseAll(store);
        }
        dropCache();
        dropped(null);
        return n;
    }

    /** Drops every route of one family; returns how many there were. */
    public int clear(AfiSafi family) {
        PrefixTable t = tables.get(family);
        if (t == null) {
            return 0;
        }
        Map<AfiSafi, PrefixTable> m = new TreeMap<>(tables);
        m.remove(family);
        tables = m.isEmpty() ? Collections.emptyMap() : Collections.unmodifiableMap(m);
        lastTable = null;
        t.releaseAll(store);
        if (m.isEmpty()) {
            dropCache();
        }
        dropped(family);
        return t.size();
    }

    /**
     * RFC 4724 §4.2: marks every route of {@code family} stale (RFC 9494: long-lived stale);
     * returns the number of routes of the family.
     */
    public int markStale(AfiSafi family, boolean longLived) {
        PrefixTable t = tables.get(family);
        if (t == null) {
            return 0;
        }
        boolean hadStale = t.staleCount() > 0;
        int n = t.markStale(longLived);
        if (feed != null) {
            if (longLived) {
                feed.dropped(family); // RFC 9494 §4.3: long-lived stale paths rank last
            } else if (hadStale) {
                feed.resync(); // long-lived stale paths may have become merely stale, i.e. better
            }
        }
        return n;
    }

    /** Removes the routes of {@code family} still stale (End-of-RIB received or restart timer expired). */
    public int sweepStale(AfiSafi family) {
        PrefixTable t = tables.get(family);
        if (t == null) {
            return 0;
        }
        int n = t.sweepStale(store);
        if (n > 0) {
            dropped(family);
        }
        return n;
    }

    /** Stale routes (kept by the writer as it goes; O(families)). */
    /**
     * Removes the routes of {@code family} whose COMMUNITIES attribute carries {@code community}
     * (RFC 9494 §4.2: NO_LLGR routes are dropped rather than kept long-lived stale); returns how
     * many. Writer only; decodes each distinct attribute set once.
     */
    public int removeWithCommunity(AfiSafi family, int community) {
        PrefixTable t = tables.get(family);
        if (t == null) {
            return 0;
        }
        java.util.List<long[]> doomed = new java.util.ArrayList<>();
        java.util.Map<AttributeSet, Boolean> carries = new java.util.IdentityHashMap<>();
        t.forEach((high, low, length, pathId, rd, set, stale, labels) -> {
            boolean has = carries.computeIfAbsent(set, s -> {
                io.ribbit.codec.attr.Communities c = s.attributes().communities();
                return c != null && c.contains(community);
            });
            if (has) {
                doomed.add(new long[] {high, low, length, pathId, rd});
            }
        });
        int removed = 0;
        for (long[] k : doomed) {
            AttributeSet prev = t.remove(k[0], k[1], (int) k[2], (int) k[3], k[4]);
            if (prev != null) {
                removed++;
                releaser.release(prev);
            }
        }
        releaser.flush();
        if (removed > 0) {
            dropped(family);
        }
        return removed;
    }

    public long staleCount() {
        long n = 0;
        for (PrefixTable t : tables.values()) {
            n += t.staleCount();
        }
        return n;
    }
}
