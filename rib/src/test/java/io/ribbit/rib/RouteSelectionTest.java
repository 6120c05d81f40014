package io.ribbit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.ribbit.codec.attr.AddressAttribute;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.ClusterList;
import io.ribbit.codec.attr.Origin;
import io.ribbit.codec.attr.PathAttribute;
import io.ribbit.codec.attr.Uint32Attribute;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 4271 §9.1.2.2 step by step: each test has two paths that differ at one step and where every
 * later step prefers the other path, so the earlier step must decide.
 */
class RouteSelectionTest {
    private static final AttributeStore STORE = new AttributeStore();
    private static final RouteSelection.PeerFacts EBGP_1 = peer("10.0.0.1", true, "1.1.1.1");
    private static final RouteSelection.PeerFacts EBGP_2 = peer("10.0.0.2", true, "2.2.2.2");
    private static final RouteSelection.PeerFacts IBGP_1 = peer("10.0.0.1", false, "1.1.1.1");
    private static final RouteSelection.PeerFacts IBGP_2 = peer("10.0.0.2", false, "2.2.2.2");

    static RouteSelection.PeerFacts peer(String address, boolean ebgp, String id) {
        return new RouteSelection.PeerFacts(Routes.address(address), ebgp, Integer.toUnsignedLong(Routes.ipv4(id)));
    }

    /** A path's attributes: builder over the usual ORIGIN IGP, AS_PATH, NEXT_HOP. */
    static final class P {
        Origin origin = Origin.IGP;
        AsPath path = AsPath.sequence(64500, 1);
        long med = -1;
        long localPref = -1;
        String originator;
        int[] clusters;
        byte stale = PrefixTable.FRESH;
        int pathId;

        P path(long... asns) {
            path = AsPath.sequence(asns);
            return this;
        }

        P segments(AsPath.Segment... s) {
            path = AsPath.of(AttributeCode.AS_PATH, List.of(s));
            return this;
        }

        P origin(Origin o) {
            origin = o;
            return this;
        }

        P med(long m) {
            med = m;
            return this;
        }

        P lp(long l) {
            localPref = l;
            return this;
        }

        P originator(String o) {
            originator = o;
            return this;
        }

        P clusters(int... c) {
            clusters = c;
            return this;
        }

        P llgr() {
            stale = PrefixTable.LLGR_STALE;
            return this;
        }

        P pathId(int id) {
            pathId = id;
            return this;
        }

        AttributeSet set() {
            List<PathAttribute> a = new ArrayList<>();
            a.add(origin);
            a.add(path);
            a.add(new AddressAttribute(AttributeCode.NEXT_HOP, Routes.ipv4("192.0.2.1")));
            if (med >= 0) {
                a.add(new Uint32Attribute(AttributeCode.MULTI_EXIT_DISC, med));
            }
            if (localPref >= 0) {
                a.add(new Uint32Attribute(AttributeCode.LOCAL_PREF, localPref));
            }
            if (originator != null) {
                a.add(new AddressAttribute(AttributeCode.ORIGINATOR_ID, Routes.ipv4(originator)));
            }
            if (clusters != null) {
                a.add(new ClusterList(clusters));
            }
            AdjRibIn rib = new AdjRibIn(STORE);
            rib.apply(Routes.announce(Routes.v4("10.0.0.0/24"), a));
            return rib.table(AfiSafi.IPV4_UNICAST).get(PrefixList.packIpv4(Routes.ipv4("10.0.0.0"), 24), 0, 0, 0, 0);
        }

        RouteSelection.Path of(RouteSelection.PeerFacts peer) {
            return new RouteSelection.Path().of(peer, set(), stale, pathId);
        }
    }

    static P p() {
        return new P();
    }

    /** Asserts {@code winner} is selected over {@code loser} in both orders (and by compare). */
    static void assertBest(RouteSelection s, RouteSelection.Path winner, RouteSelection.Path loser) {
        assertSame(winner, select(s, winner, loser), "winner first: " + winner + " vs " + loser);
        assertSame(winner, select(s, loser, winner), "winner second: " + winner + " vs " + loser);
        if (s.alwaysCompareMed() || winner.neighborAs() == loser.neighborAs()) {
            assertEquals(-1, Integer.signum(s.compare(winner, loser)));
            assertEquals(1, Integer.signum(s.compare(loser, winner)));
        }
    }

    static RouteSelection.Path select(RouteSelection s, RouteSelection.Path... paths) {
        int b = s.select(paths, paths.length);
        return paths[b];
    }

    private final RouteSelection rfc = new RouteSelection(false);
    private final RouteSelection always = new RouteSelection(true);

    @Test
    void parsesTheComparedValues() {
        RouteSelection.Path x = p().lp(300).med(7).origin(Origin.EGP).originator("9.9.9.9").clusters(1, 2, 3)
                .segments(new AsPath.Segment(AsPath.AS_CONFED_SEQUENCE, new long[] {65001, 65002}),
                        new AsPath.Segment(AsPath.AS_SEQUENCE, new long[] {4200000000L, 2}),
                        new AsPath.Segment(AsPath.AS_SET, new long[] {3, 4, 5}))
                .of(IBGP_1);
        assertEquals(300, x.localPref());
        assertEquals(7, x.med());
        assertEquals(1, x.origin());
        assertEquals(3, x.asPathLength());
        assertEquals(4200000000L, x.neighborAs());
        assertEquals(Integer.toUnsignedLong(Routes.ipv4("9.9.9.9")), x.bgpId());
        assertEquals(3, x.clusterListLength());
        RouteSelection.Path d = new RouteSelection.Path().of(EBGP_1, emptySet(), PrefixTable.FRESH, 0);
        assertEquals(RouteSelection.DEFAULT_LOCAL_PREF, d.localPref());
        assertEquals(0, d.med());
        assertEquals(RouteSelection.LOCAL_AS, d.neighborAs());
    }

    private static AttributeSet emptySet() {
        P e = p();
        e.path = AsPath.EMPTY;
        return e.set();
    }

    @Test
    void step0LongLivedStaleLast() {
        // RFC 9494 §4.3: even with a higher LOCAL_PREF.
        assertBest(rfc, p().of(EBGP_2), p().lp(500).llgr().of(EBGP_1));
    }

    @Test
    void step1HighestLocalPref() {
        assertBest(rfc, p().lp(200).path(64500, 1, 2, 3).origin(Origin.INCOMPLETE).of(IBGP_2), p().lp(150).of(EBGP_1));
        // Absent counts as 100.
        assertBest(rfc, p().lp(101).path(64500, 1, 2).of(EBGP_2), p().of(EBGP_1));
        assertBest(rfc, p().path(64500, 1, 2).of(EBGP_2), p().lp(99).of(EBGP_1));
    }

    @Test
    void step2ShortestAsPath() {
        assertBest(rfc, p().path(64500, 1).origin(Origin.INCOMPLETE).med(50).of(IBGP_2), p().path(64500, 1, 2).of(EBGP_1));
    }

    @Test
    void step2AsSetCountsOnce() {
        RouteSelection.Path set = p().segments(new AsPath.Segment(AsPath.AS_SEQUENCE, new long[] {64500}),
                new AsPath.Segment(AsPath.AS_SET, new long[] {2, 3, 4, 5})).of(EBGP_2);
        assertEquals(2, set.asPathLength());
        assertBest(rfc, set, p().path(64500, 2, 3).of(EBGP_1));
    }

    @Test
    void step2ConfederationSegmentsNotCounted() {
        RouteSelection.Path confed = p().segments(new AsPath.Segment(AsPath.AS_CONFED_SEQUENCE, new long[] {65001, 65002, 65003}),
                new AsPath.Segment(AsPath.AS_CONFED_SET, new long[] {65004, 65005}),
                new AsPath.Segment(AsPath.AS_SEQUENCE, new long[] {64500, 2})).of(EBGP_2);
        assertEquals(2, confed.asPathLength());
        assertEquals(64500, confed.neighborAs());
        assertBest(rfc, confed, p().path(64500, 2, 3).of(EBGP_1));
    }

    @Test
    void step3LowestOrigin() {
        assertBest(rfc, p().origin(Origin.IGP).med(100).of(IBGP_2), p().origin(Origin.EGP).med(0).of(EBGP_1));
        assertBest(rfc, p().origin(Origin.EGP).med(100).of(IBGP_2), p().origin(Origin.INCOMPLETE).of(EBGP_1));
    }

    @Test
    void step4LowestMedFromTheSameNeighborAs() {
        assertBest(rfc, p().path(64500, 1).med(10).of(IBGP_2), p().path(64500, 2).med(20).of(EBGP_1));
        // Absent MED counts as 0.
        assertBest(rfc, p().path(64500, 1).of(IBGP_2), p().path(64500, 2).med(1).of(EBGP_1));
    }

    @Test
    void step4MedNotComparedAcrossNeighborAsesUnlessAlwaysCompare() {
        RouteSelection.Path low = p().path(64501, 1).med(10).of(IBGP_1);
        RouteSelection.Path high = p().path(64500, 1).med(20).of(EBGP_2);
        assertBest(rfc, high, low); // MED skipped: eBGP decides
        assertBest(always, low, high);
    }

    @Test
    void step4MedIsAnEliminationNotAPairwiseOrder() {
        // The classic three paths: A (AS 1, MED 10, iBGP, id 3), B (AS 1, MED 20, eBGP, id 1),
        // C (AS 2, MED 5, iBGP, id 2). §9.1.2.2 c removes B (A has a lower MED from AS 1); of A
        // and C, C has the lower id. Pairwise comparison would depend on the order.
        RouteSelection.Path a = p().path(1, 9).med(10).of(peer("10.0.0.3", false, "3.3.3.3"));
        RouteSelection.Path b = p().path(1, 8).med(20).of(peer("10.0.0.1", true, "1.1.1.1"));
        RouteSelection.Path c = p().path(2, 7).med(5).of(peer("10.0.0.2", false, "2.2.2.2"));
        RouteSelection.Path[][] orders = {{a, b, c}, {a, c, b}, {b, a, c}, {b, c, a}, {c, a, b}, {c, b, a}};
        for (RouteSelection.Path[] o : orders) {
            assertSame(c, select(rfc, o));
            assertSame(c, select(always, o)); // C has the lowest MED of all
        }
    }

    @Test
    void step5EbgpOverIbgp() {
        assertBest(rfc, p().of(peer("10.0.0.2", true, "9.9.9.9")), p().of(peer("10.0.0.1", false, "1.1.1.1")));
    }

    @Test
    void step6LowestBgpIdentifier() {
        assertBest(rfc, p().clusters(1, 2).of(IBGP_1), p().of(peer("10.0.0.0", false, "2.2.2.2")));
    }

    @Test
    void step6OriginatorIdInPlaceOfTheBgpIdentifier() {
        // RFC 4456 §9: peer 1 has the lower Identifier, but its path's ORIGINATOR_ID is higher.
        assertBest(rfc, p().of(IBGP_2), p().originator("9.9.9.9").of(IBGP_1));
        assertBest(rfc, p().originator("0.0.0.1").of(IBGP_2), p().of(IBGP_1));
    }

    @Test
    void step6UnknownIdentifierLast() {
        RouteSelection.PeerFacts unknown = new RouteSelection.PeerFacts(Routes.address("10.0.0.0"), false,
                RouteSelection.UNKNOWN_ID);
        assertBest(rfc, p().of(peer("10.0.0.9", false, "255.255.255.255")), p().of(unknown));
    }

    @Test
    void step7ShortestClusterList() {
        assertBest(rfc, p().originator("5.5.5.5").clusters(1).of(IBGP_2), p().originator("5.5.5.5").clusters(1, 2).of(IBGP_1));
    }

    @Test
    void step8LowestPeerAddressThenPathId() {
        RouteSelection.PeerFacts v4 = peer("10.0.0.2", true, "1.1.1.1");
        RouteSelection.PeerFacts v4low = peer("10.0.0.1", true, "1.1.1.1");
        RouteSelection.PeerFacts v6 = new RouteSelection.PeerFacts(Routes.address("::1"), true, Integer.toUnsignedLong(Routes.ipv4("1.1.1.1")));
        assertBest(rfc, p().pathId(9).of(v4low), p().pathId(1).of(v4));
        assertBest(rfc, p().pathId(9).of(v4), p().of(v6)); // IPv4 before IPv6
        assertBest(rfc, p().pathId(1).of(v4), p().pathId(2).of(v4));
    }
}
