package io.ribbit.collector.api;

import io.ribbit.codec.message.OpenMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.collector.peer.Peer;
import io.ribbit.rib.AdjRibIn;
import io.ribbit.rib.LocRib;
import io.ribbit.rib.PrefixTable;
import io.ribbit.rib.RouteSelection;
import io.ribbit.rib.Route;
import io.ribbit.rib.RouteKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prefix lookups across peers on the Adj-RIBs-In's public read methods, which offer exact-key
 * {@code get} and an unordered {@code forEach}, no ordered or prefix-tree access:
 * <ul>
 *   <li>exact: one {@code get} per peer;</li>
 *   <li>less-specific and longest match: one {@code get} per peer and prefix length (at most 33
 *       for IPv4, 129 for IPv6; the longest match stops at the first length any peer has);</li>
 *   <li>more-specific: a scan of every peer's table of the family (O(routes)), keeping the
 *       {@code limit} smallest prefixes;</li>
 *   <li>peers configured for ADD-PATH receive: their keys carry path ids a lookup cannot guess,
 *       so every lookup scans their table once (O(routes)).</li>
 * </ul>
 * Each found prefix lists every peer's path, the best first: the Loc-RIB's best when a Loc-RIB is
 * kept (none is marked if the Loc-RIB has none of the paths found, e.g. while it catches up), else
 * the one {@link RouteSelection#select} chooses at query time (the same decision process).
 */
final class Lookup {
    enum Match { EXACT, MORE_SPECIFIC, LESS_SPECIFIC }

    /** One peer's path for a prefix. */
    record Hit(Peer peer, RouteKey key, Route route) {
    }

    /** A prefix and its paths, the best first ({@code bestFirst}), the others by peer address and path id. */
    record Found(Prefix prefix, List<Hit> paths, boolean bestFirst) {
    }

    record Result(AfiSafi family, List<Found> found, boolean truncated) {
    }

    private static final Comparator<Prefix> PREFIX_ORDER = (a, b) -> RouteCursor.ORDER.compare(a.key(0), b.key(0));
    private static final Comparator<Hit> PEER_ORDER = Comparator
            .comparing((Hit h) -> h.peer().address().getAddress(), RouteSelection::compareAddresses)
            .thenComparing((a, b) -> Integer.compareUnsigned(a.key().pathId(), b.key().pathId()));

    private final List<Peer> peers;
    private final long localAs;
    private final LocRib locRib;
    private final RouteSelection selection;

    /**
     * Over {@code peers}; {@code localAs} tells eBGP from iBGP peers. The best is {@code locRib}'s,
     * or (null) chosen by {@code selection}.
     */
    Lookup(List<Peer> peers, long localAs, LocRib locRib, RouteSelection selection) {
        this.peers = peers;
        this.localAs = localAs;
        this.locRib = locRib;
        this.selection = selection;
    }

    /** Whether a peer's keys may carry ADD-PATH ids (then lookups scan its table). */
    private static boolean scans(Peer p) {
        return p.config().addPathReceive();
    }

    Result exact(Prefix p) {
        List<Hit> hits = new ArrayList<>();
        for (Peer peer : peers) {
            AdjRibIn rib = peer.rib();
            if (rib.size(p.family()) == 0) {
                continue;
            }
            if (scans(peer)) {
                rib.forEach(p.family(), (k, r) -> {
                    if (p.matches(k)) {
                        hits.add(new Hit(peer, k, r));
                    }
                });
            } else {
                Route r = rib.get(p.key(0));
                if (r != null) {
                    hits.add(new Hit(peer, p.key(0), r));
                }
            }
        }
        return new Result(p.family(), hits.isEmpty() ? List.of() : List.of(found(p, hits)), false);
    }

    /** {@code p} and every prefix that covers it, shortest first. */
    Result lessSpecific(Prefix p) {
        List<Hit>[] byLength = covering(p, false);
        List<Found> out = new ArrayList<>();
        for (int len = 0; len <= p.length(); len++) {
            if (byLength[len] != null) {
                out.add(found(p.truncate(len), byLength[len]));
            }
        }
        return new Result(p.family(), out, false);
    }

    /** The longest prefix any peer has that covers {@code host} (RFC 1812 §5.2.4.3), with every peer's path for it. */
    Result longestMatch(Prefix host) {
        List<Hit>[] byLength = covering(host, true);
        for (int len = host.length(); len >= 0; len--) {
            if (byLength[len] != null) {
                return new Result(host.family(), List.of(found(host.truncate(len), byLength[len])), false);
            }
        }
        return new Result(host.family(), List.of(), false);
    }

    /**
     * The paths of every prefix covering {@code p} (itself included), by length. With
     * {@code longestOnly}, probing stops at the longest length found.
     */
    @SuppressWarnings("unchecked")
    private List<Hit>[] covering(Prefix p, boolean longestOnly) {
        List<Hit>[] byLength = new List[p.length() + 1];
        List<Peer> probed = new ArrayList<>();
        for (Peer peer : peers) {
            AdjRibIn rib = peer.rib();
            if (rib.size(p.family()) == 0) {
                continue;
            }
            if (scans(peer)) {
                rib.forEach(p.family(), (k, r) -> {
                    if (p.within(k)) {
                        add(byLength, k.length(), new Hit(peer, k, r));
                    }
                });
            } else {
                probed.add(peer);
            }
        }
        for (int len = p.length(); len >= 0; len--) {
            RouteKey k = p.truncate(len).key(0);
            for (Peer peer : probed) {
                Route r = peer.rib().get(k);
                if (r != null) {
                    add(byLength, len, new Hit(peer, k, r));
                }
            }
            if (longestOnly && byLength[len] != null) {
                break; // the longest match: nothing shorter is wanted
            }
        }
        return byLength;
    }

    private static void add(List<Hit>[] byLength, int len, Hit h) {
        if (byLength[len] == null) {
            byLength[len] = new ArrayList<>(2);
        }
        byLength[len].add(h);
    }

    /** {@code p} and every prefix inside it, in key order; the first {@code limit} prefixes, {@code truncated} if more. */
    Result moreSpecific(Prefix p, int limit) {
        TreeMap<Prefix, List<Hit>> smallest = new TreeMap<>(PREFIX_ORDER);
        for (Peer peer : peers) {
            peer.rib().forEach(p.family(), (k, r) -> {
                if (!p.covers(k)) {
                    return;
                }
                Prefix q = Prefix.of(k);
                List<Hit> hits = smallest.get(q);
                if (hits == null) {
                    // Keep the limit + 1 smallest: the largest goes when full (once gone, never back).
                    if (smallest.size() > limit && PREFIX_ORDER.compare(q, smallest.lastKey()) > 0) {
                        return;
                    }
                    hits = new ArrayList<>(2);
                    smallest.put(q, hits);
                    if (smallest.size() > limit + 1) {
                        smallest.pollLastEntry();
                    }
                }
                hits.add(new Hit(peer, k, r));
            });
        }
        boolean truncated = smallest.size() > limit;
        if (truncated) {
            smallest.pollLastEntry();
        }
        List<Found> out = new ArrayList<>(smallest.size());
        for (Map.Entry<Prefix, List<Hit>> e : smallest.entrySet()) {
            out.add(found(e.getKey(), e.getValue()));
        }
        return new Result(p.family(), out, truncated);
    }

    /** The paths in output order: the best first, then by peer address and path id. */
    private Found found(Prefix p, List<Hit> hits) {
        int best = locRib != null ? locRibBest(p, hits) : selectNow(p, hits);
        List<Hit> ordered = new ArrayList<>(hits.size());
        List<Hit> rest = new ArrayList<>(hits);
        if (best >= 0) {
            ordered.add(hits.get(best));
            rest.remove(best);
        }
        rest.sort(PEER_ORDER);
        ordered.addAll(rest);
        return new Found(p, ordered, best >= 0);
    }

    /** The hit that is the Loc-RIB's best, or -1. */
    private int locRibBest(Prefix p, List<Hit> hits) {
        RouteKey k = p.key(0);
        LocRib.Best b = locRib.best(p.family(), k.high(), k.low(), k.length(), k.rd());
        if (b == null) {
            return -1;
        }
        for (int i = 0; i < hits.size(); i++) {
            Hit h = hits.get(i);
            if (h.peer().locRibFeed() == b.feed() && h.key().pathId() == b.pathId()) {
                return i;
            }
        }
        return -1;
    }

    /** The best hit by the decision process, now (no Loc-RIB kept), or -1. */
    private int selectNow(Prefix p, List<Hit> hits) {
        RouteSelection.Path[] paths = new RouteSelection.Path[hits.size()];
        int[] hit = new int[hits.size()];
        int n = 0;
        PrefixTable.Cursor c = new PrefixTable.Cursor();
        for (int i = 0; i < hits.size(); i++) {
            Hit h = hits.get(i);
            RouteKey k = h.key();
            PrefixTable t = h.peer().rib().table(p.family());
            if (t == null || !t.read(k.high(), k.low(), k.length(), k.pathId(), k.rd(), c)) {
                continue; // withdrawn since it was found
            }
            Peer peer = h.peer();
            OpenMessage open = peer.receivedOpen();
            RouteSelection.PeerFacts facts = new RouteSelection.PeerFacts(peer.address().getAddress(),
                    peer.remoteAs() != localAs,
                    open == null ? RouteSelection.UNKNOWN_ID : Integer.toUnsignedLong(open.bgpIdentifier()));
            paths[n] = new RouteSelection.Path().of(facts, c.set(), c.stale(), k.pathId());
            hit[n++] = i;
        }
        int b = selection.select(paths, n);
        return b < 0 ? -1 : hit[b];
    }
}
