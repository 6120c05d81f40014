package io.ribbit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.MpReachNlri;
import io.ribbit.codec.attr.Origin;
import io.ribbit.codec.attr.PathAttribute;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.attr.Uint32Attribute;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Loc-RIB against a from-scratch selection over the Adj-RIBs-In. */
class LocRibTest {
    private static final int PREFIXES = 24;

    /** One test peer: its Adj-RIB-In and feed. */
    record Peer(AdjRibIn rib, LocRib.Feed feed, RouteSelection.PeerFacts facts) {
    }

    private static String v4Prefix(int i) {
        return "10." + (i % 4) + "." + i + ".0/24";
    }

    private static String v6Prefix(int i) {
        return "2001:db8:" + Integer.toHexString(i) + "::/48";
    }

    /** A random path from a small pool, so that steps tie often. */
    private static List<PathAttribute> randomPath(Random r, int peerAs) {
        List<PathAttribute> a = new ArrayList<>();
        a.add(Origin.valueOf(r.nextInt(3) == 0 ? 1 : 0));
        int len = 1 + r.nextInt(3);
        long[] asns = new long[len];
        asns[0] = r.nextBoolean() ? peerAs : 64999;
        for (int i = 1; i < len; i++) {
            asns[i] = 100 + r.nextInt(3);
        }
        a.add(AsPath.sequence(asns));
        a.add(new io.ribbit.codec.attr.AddressAttribute(AttributeCode.NEXT_HOP, Routes.ipv4("192.0.2." + (1 + r.nextInt(3)))));
        if (r.nextBoolean()) {
            a.add(new Uint32Attribute(AttributeCode.MULTI_EXIT_DISC, r.nextInt(3) * 10));
        }
        if (r.nextInt(3) == 0) {
            a.add(new Uint32Attribute(AttributeCode.LOCAL_PREF, 100 + r.nextInt(2) * 50));
        }
        return a;
    }

    private static UpdateMessage randomUpdate(Random r, int peerAs, boolean addPath) {
        int n = 1 + r.nextInt(3);
        boolean v6 = r.nextInt(4) == 0;
        String[] prefixes = new String[n];
        int[] ids = addPath ? new int[n] : null;
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(PREFIXES);
            prefixes[i] = v6 ? v6Prefix(k) : v4Prefix(k);
            if (ids != null) {
                ids[i] = r.nextInt(3);
            }
        }
        PrefixList p = v6 ? Routes.v6(AfiSafi.IPV6_UNICAST, ids, prefixes)
                : Routes.v4(AfiSafi.IPV4_UNICAST, ids, null, null, prefixes);
        if (r.nextInt(3) == 0) {
            return v6 ? Routes.mpWithdraw(p) : Routes.withdraw(p);
        }
        List<PathAttribute> a = randomPath(r, peerAs);
        if (v6) {
            a.removeIf(x -> x.code() == AttributeCode.NEXT_HOP);
            a.add(new MpReachNlri(AfiSafi.IPV6_UNICAST, Routes.address("2001:db8::" + (1 + r.nextInt(2))), p));
            return UpdateMessage.of(PrefixList.empty(AfiSafi.IPV4_UNICAST), PathAttributes.of(a),
                    PrefixList.empty(AfiSafi.IPV4_UNICAST));
        }
        return Routes.announce(p, a);
    }

    /** Asserts that every prefix's Loc-RIB entry is the from-scratch best over {@code peers}. */
    static void assertConverged(LocRib loc, List<Peer> peers, RouteSelection sel) {
        int checked = 0;
        for (AfiSafi family : List.of(AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST)) {
            Map<List<Long>, List<Object[]>> all = new HashMap<>();
            for (Peer p : peers) {
                PrefixTable t = p.rib().table(family);
                if (t == null) {
                    continue;
                }
                t.forEach((high, low, length, pathId, rd, set, stale, labels) -> all
                        .computeIfAbsent(List.of(high, low, (long) length, rd), k -> new ArrayList<>())
                        .add(new Object[] {p, new RouteSelection.Path().of(p.feed().facts(), set, stale, pathId)}));
            }
            int expectedSize = 0;
            for (Map.Entry<List<Long>, List<Object[]>> e : all.entrySet()) {
                List<Object[]> c = e.getValue();
                RouteSelection.Path[] paths = new RouteSelection.Path[c.size()];
                for (int i = 0; i < paths.length; i++) {
                    paths[i] = (RouteSelection.Path) c.get(i)[1];
                }
                int b = sel.select(paths, paths.length);
                List<Long> k = e.getKey();
                LocRib.Best best = loc.best(family, k.get(0), k.get(1), k.get(2).intValue(), k.get(3));
                assertNotNull(best, "no best for " + k);
                Peer winner = (Peer) c.get(b)[0];
                assertEquals(winner.feed(), best.feed(), "owner of " + family + " " + k);
                assertEquals(paths[b].pathId(), best.pathId(), "path id of " + k);
                assertTrue(paths[b].set() == best.set(), "set of " + k);
                expectedSize++;
                checked++;
            }
            assertEquals(expectedSize, loc.size(family), "Loc-RIB size of " + family);
        }
        assertTrue(checked > 0 || peers.stream().allMatch(p -> p.rib().size() == 0));
    }

    private static List<Peer> peers(LocRib loc, AttributeStore store, int n) {
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            AdjRibIn rib = new AdjRibIn(store);
            RouteSelection.PeerFacts f = new RouteSelection.PeerFacts(Routes.address("10.9.0." + (1 + i)), i % 3 != 0,
                    Integer.toUnsignedLong(Routes.ipv4("1.0.0." + (n - i))));
            peers.add(new Peer(rib, loc.register(rib, f, "peer" + i), f));
        }
        return peers;
    }

    @ParameterizedTest(name = "always-compare-med {0}, max pending {1}, seed {2}")
    @CsvSource({"true, 1000000, 1", "false, 1000000, 2", "true, 3, 3", "false, 3, 4", "false, 1000000, 5", "true, 1000000, 6"})
    void randomChangesConvergeToTheFromScratchBest(boolean alwaysCompareMed, long maxPending, long seed) throws Exception {
        RouteSelection sel = new RouteSelection(alwaysCompareMed);
        AtomicLong events = new AtomicLong();
        AttributeStore store = new AttributeStore();
        try (LocRib loc = new LocRib(sel, (f, h, l, len, rd, prev, best, id, set) -> events.incrementAndGet(), maxPending)) {
            List<Peer> peers = peers(loc, store, 5);
            Random r = new Random(seed);
            for (int round = 0; round < 40; round++) {
                for (int step = 0; step < 60; step++) {
                    int k = r.nextInt(peers.size());
                    Peer p = peers.get(k);
                    int op = r.nextInt(100);
                    if (op < 85) {
                        p.rib().apply(randomUpdate(r, 64500 + k % 2, k == 4));
                    } else if (op < 88) {
                        p.rib().clear();
                    } else if (op < 91) {
                        p.rib().clear(AfiSafi.IPV6_UNICAST);
                    } else if (op < 95) {
                        p.rib().markStale(AfiSafi.IPV4_UNICAST, r.nextBoolean());
                    } else if (op < 98) {
                        p.rib().sweepStale(AfiSafi.IPV4_UNICAST);
                    } else {
                        RouteSelection.PeerFacts f = new RouteSelection.PeerFacts(p.facts().address(), p.facts().ebgp(),
                                r.nextInt(4));
                        p.feed().facts(f);
                    }
                }
                assertTrue(loc.sync(10, TimeUnit.SECONDS));
                assertConverged(loc, peers, sel);
            }
            assertTrue(events.get() > 0);
            if (maxPending < 10) {
                assertTrue(loc.resyncs() > 0, "the small queue bound made peers resync");
            }
            for (Peer p : peers) {
                p.rib().clear();
                p.feed().close();
            }
            assertTrue(loc.sync(10, TimeUnit.SECONDS));
            assertEquals(0, loc.size(AfiSafi.IPV4_UNICAST));
            assertEquals(0, loc.size(AfiSafi.IPV6_UNICAST));
        }
    }

    @Test
    void bestMovesWhenTheBestIsWithdrawnAndEventsSaySo() throws Exception {
        RouteSelection sel = new RouteSelection(false);
        List<String> events = new ArrayList<>();
        try (LocRib loc = new LocRib(sel, (f, h, l, len, rd, prev, best, id, set) -> events
                .add(PrefixList.ipv4Address(h) + "/" + len + " " + (prev == null ? "-" : prev.tag()) + ">"
                        + (best == null ? "-" : best.tag())), 1000)) {
            List<Peer> peers = peers(loc, new AttributeStore(), 2);
            PrefixList p = Routes.v4("10.0.0.0/24");
            List<PathAttribute> longer = Routes.path("192.0.2.1", 0, 64500, 1, 2);
            List<PathAttribute> shorter = Routes.path("192.0.2.2", 0, 64501, 2);
            peers.get(0).rib().apply(Routes.announce(p, longer));
            peers.get(1).rib().apply(Routes.announce(p, shorter));
            assertTrue(loc.sync(5, TimeUnit.SECONDS));
            long key = PrefixList.packIpv4(Routes.ipv4("10.0.0.0"), 24);
            assertEquals(peers.get(1).feed(), loc.best(AfiSafi.IPV4_UNICAST, key, 0, 24, 0).feed());
            peers.get(1).rib().apply(Routes.withdraw(p));
            assertTrue(loc.sync(5, TimeUnit.SECONDS));
            assertEquals(peers.get(0).feed(), loc.best(AfiSafi.IPV4_UNICAST, key, 0, 24, 0).feed());
            peers.get(0).rib().clear();
            assertTrue(loc.sync(5, TimeUnit.SECONDS));
            assertNull(loc.best(AfiSafi.IPV4_UNICAST, key, 0, 24, 0));
            int ten = Routes.ipv4("10.0.0.0");
            assertEquals(List.of(ten + "/24 ->peer0", ten + "/24 peer0>peer1", ten + "/24 peer1>peer0", ten + "/24 peer0>-"),
                    events);
            assertEquals(4, loc.changes());
        }
    }

    /**
     * The real threads: each peer applies UPDATEs on its own thread while the Loc-RIB thread
     * follows and readers look up bests; once the writers stop, the Loc-RIB converges.
     */
    @Test
    void concurrentPeersConverge() throws Exception {
        RouteSelection sel = new RouteSelection(true);
        AttributeStore store = new AttributeStore();
        int writers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try (LocRib loc = new LocRib(sel, null, 500)) {
            List<Peer> peers = peers(loc, store, writers);
            AtomicBoolean stop = new AtomicBoolean();
            Future<?> reader = pool.submit(() -> {
                long n = 0;
                while (!stop.get()) {
                    for (int i = 0; i < PREFIXES; i++) {
                        LocRib.Best b = loc.best(AfiSafi.IPV4_UNICAST,
                                PrefixList.packIpv4(Routes.ipv4(v4Prefix(i).split("/")[0]), 24), 0, 24, 0);
                        if (b != null && b.set() == null) {
                            throw new AssertionError("best without a set");
                        }
                        n++;
                    }
                }
                return n;
            });
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                Peer p = peers.get(w);
                int k = w;
                fs.add(pool.submit(() -> {
                    Random r = new Random(100 + k);
                    for (int i = 0; i < 20_000; i++) {
                        if (i % 5000 == 4999) {
                            p.rib().clear();
                        } else {
                            p.rib().apply(randomUpdate(r, 64500 + k, false));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
            stop.set(true);
            reader.get(10, TimeUnit.SECONDS);
            assertTrue(loc.sync(30, TimeUnit.SECONDS));
            assertConverged(loc, peers, sel);
            assertEquals(0, loc.pending());
            assertEquals(0, loc.lagNanos());
        } finally {
            pool.shutdownNow();
        }
    }
}
