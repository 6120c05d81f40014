package io.ribbit.rib;

import io.ribbit.codec.attr.AddressAttribute;
import io.ribbit.codec.attr.Communities;
import io.ribbit.codec.attr.MpReachNlri;
import io.ribbit.codec.attr.MpUnreachNlri;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * One peer's Adj-RIB-In (RFC 4271 §3.2): the routes it announced, per family, keyed by prefix
 * (and path id with ADD-PATH). UPDATEs are applied in order: withdrawals, then announcements
 * (RFC 4271 §9: a prefix withdrawn and announced in one UPDATE ends up announced); a
 * treat-as-withdraw UPDATE (RFC 7606 §2) withdraws everything it announces.
 *
 * <p>Thread safety: one writer, the peer's event loop; any number of concurrent readers, which
 * never block the writer but may see a table in the middle of an UPDATE. This is the
 * straightforward table (ConcurrentHashMap per family); the compact lock-free one replaces it.
 */
public final class AdjRibIn {
    private final Map<AfiSafi, ConcurrentHashMap<RouteKey, Route>> tables = new ConcurrentHashMap<>();
    /** Stale routes, kept by the writer as it goes so readers (metrics) never scan the table. */
    private final java.util.concurrent.atomic.AtomicLong stale = new java.util.concurrent.atomic.AtomicLong();

    /** What one UPDATE changed. */
    public record Change(int announced, int withdrawn, int removed) {
    }

    private ConcurrentHashMap<RouteKey, Route> table(AfiSafi f) {
        return tables.computeIfAbsent(f, k -> new ConcurrentHashMap<>());
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
        rejectedRemoved = 0;
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
        boolean taw = u.treatAsWithdraw();
        if (taw) {
            removed += withdraw(u.nlri());
            withdrawn += u.nlri().size();
            if (reach != null && reach.nlri() instanceof PrefixList p) {
                removed += withdraw(p);
                withdrawn += p.size();
            }
            return new Change(0, withdrawn, removed);
        }
        PathAttributes shared = null;
        if (!u.nlri().isEmpty()) {
            shared = u.attributes().withoutNlri();
            AddressAttribute nh = u.attributes().nextHop();
            byte[] nextHop = nh == null ? null : new byte[] {(byte) (nh.address() >>> 24),
                (byte) (nh.address() >>> 16), (byte) (nh.address() >>> 8), (byte) nh.address()};
            announced += announce(u.nlri(), shared, nextHop, tags);
        }
        if (reach != null && reach.nlri() instanceof PrefixList p && !p.isEmpty()) {
            if (shared == null) {
                shared = u.attributes().withoutNlri();
            }
            announced += announce(p, shared, reach.nextHopBytes(), tags);
        }
        return new Change(announced, withdrawn, removed + rejectedRemoved);
    }

    /** Routes removed by rejected announcements during the current {@link #apply} (writer only). */
    private int rejectedRemoved;

    private int announce(PrefixList p, PathAttributes attrs, byte[] nextHop, ImportChecks.Tags tags) {
        ConcurrentHashMap<RouteKey, Route> t = table(p.afiSafi());
        boolean labeled = p.afiSafi().isLabeled();
        Route shared = labeled ? null : new Route(attrs, nextHop, null, false, false);
        long freshened = 0;
        for (int i = 0; i < p.size(); i++) {
            boolean rejected = tags != null && tags.rejected(p, i);
            Route old = rejected ? t.remove(RouteKey.of(p, i))
                    : t.put(RouteKey.of(p, i), labeled ? new Route(attrs, nextHop, p.labels(i), false, false) : shared);
            if (rejected && old != null) {
                rejectedRemoved++;
            }
            if (old != null && old.stale()) {
                freshened++;
            }
        }
        if (freshened > 0) {
            stale.addAndGet(-freshened);
        }
        return p.size();
    }

    private int withdraw(PrefixList p) {
        if (p.isEmpty()) {
            return 0;
        }
        ConcurrentHashMap<RouteKey, Route> t = tables.get(p.afiSafi());
        if (t == null) {
            return 0;
        }
        int removed = 0;
        long staleRemoved = 0;
        for (int i = 0; i < p.size(); i++) {
            Route old = t.remove(RouteKey.of(p, i));
            if (old != null) {
                removed++;
                if (old.stale()) {
                    staleRemoved++;
                }
            }
        }
        if (staleRemoved > 0) {
            stale.addAndGet(-staleRemoved);
        }
        return removed;
    }

    public Route get(RouteKey key) {
        Map<RouteKey, Route> t = tables.get(key.family());
        return t == null ? null : t.get(key);
    }

    /** Routes in all families. */
    public long size() {
        long n = 0;
        for (Map<RouteKey, Route> t : tables.values()) {
            n += t.size();
        }
        return n;
    }

    public int size(AfiSafi family) {
        Map<RouteKey, Route> t = tables.get(family);
        return t == null ? 0 : t.size();
    }

    public Set<AfiSafi> families() {
        return tables.keySet();
    }

    /** Visits every route of a family (weakly consistent with concurrent changes). */
    public void forEach(AfiSafi family, BiConsumer<RouteKey, Route> visitor) {
        Map<RouteKey, Route> t = tables.get(family);
        if (t != null) {
            t.forEach(visitor);
        }
    }

    /** Drops every route (session down without graceful restart). */
    public long clear() {
        long n = size();
        tables.clear();
        stale.set(0);
        return n;
    }

    /** Drops every route of one family. */
    public int clear(AfiSafi family) {
        Map<RouteKey, Route> t = tables.remove(family);
        if (t == null) {
            return 0;
        }
        long s = t.values().stream().filter(Route::stale).count();
        stale.addAndGet(-s);
        return t.size();
    }

    /** RFC 4724 §4.2: marks every route of {@code family} stale (RFC 9494: long-lived stale). */
    public int markStale(AfiSafi family, boolean longLived) {
        Map<RouteKey, Route> t = tables.get(family);
        if (t == null) {
            return 0;
        }
        long[] newly = new long[1];
        t.replaceAll((k, r) -> {
            if (!r.stale()) {
                newly[0]++;
            }
            return r.asStale(longLived);
        });
        stale.addAndGet(newly[0]);
        return t.size();
    }

    /** Removes the routes of {@code family} still stale (End-of-RIB received or restart timer expired). */
    public int sweepStale(AfiSafi family) {
        Map<RouteKey, Route> t = tables.get(family);
        if (t == null) {
            return 0;
        }
        int before = t.size();
        t.values().removeIf(Route::stale);
        int removed = before - t.size();
        stale.addAndGet(-removed);
        return removed;
    }

    /**
     * Removes the routes of {@code family} whose COMMUNITIES attribute carries {@code community}
     * (RFC 9494 §4.2: NO_LLGR routes are dropped rather than kept long-lived stale); returns how
     * many.
     */
    public int removeWithCommunity(AfiSafi family, int community) {
        Map<RouteKey, Route> t = tables.get(family);
        if (t == null) {
            return 0;
        }
        int[] removed = new int[1];
        long[] staleRemoved = new long[1];
        t.values().removeIf(r -> {
            Communities c = r.attributes().communities();
            if (c == null || !c.contains(community)) {
                return false;
            }
            removed[0]++;
            if (r.stale()) {
                staleRemoved[0]++;
            }
            return true;
        });
        if (staleRemoved[0] > 0) {
            stale.addAndGet(-staleRemoved[0]);
        }
        return removed[0];
    }

    /** Stale routes (maintained incrementally; O(1)). */
    public long staleCount() {
        return stale.get();
    }
}
