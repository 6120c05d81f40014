package io.ribbit.rib;

import static io.ribbit.rib.Routes.announce;
import static io.ribbit.rib.Routes.mpAnnounce;
import static io.ribbit.rib.Routes.mpWithdraw;
import static io.ribbit.rib.Routes.path;
import static io.ribbit.rib.Routes.v4;
import static io.ribbit.rib.Routes.v6;
import static io.ribbit.rib.Routes.withdraw;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ribbit.codec.SessionOptions;
import io.ribbit.codec.attr.AddressAttribute;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.Origin;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.attr.UpdateDecodeContext;
import io.ribbit.codec.message.MessageCodec;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdjRibInTest {
    private final AttributeStore store = new AttributeStore(16, 16);
    private final AdjRibIn rib = new AdjRibIn(store);

    private static RouteKey key(String prefix) {
        return RouteKey.of(v4(prefix), 0);
    }

    @Test
    void announceReplaceWithdraw() {
        assertEquals(new AdjRibIn.Change(2, 0, 0),
                rib.apply(announce(v4("10.0.0.0/24", "10.0.1.0/24"), path("192.0.2.1", 10, 64500, 64501))));
        assertEquals(2, rib.size());
        assertEquals(2, rib.size(AfiSafi.IPV4_UNICAST));
        assertEquals(List.of(AfiSafi.IPV4_UNICAST), List.copyOf(rib.families()));
        Route r = rib.get(key("10.0.0.0/24"));
        assertEquals(10, r.attributes().med());
        assertArrayEquals(new long[] {64500, 64501}, r.attributes().asPath().asns());
        assertEquals("192.0.2.1", r.nextHopText());
        assertNull(r.labels());
        assertFalse(r.stale());
        assertEquals(1, store.size(), "one set for both routes");

        // Replace one route: the new set is interned, the old one still has a route.
        assertEquals(new AdjRibIn.Change(1, 0, 0), rib.apply(announce(v4("10.0.0.0/24"), path("192.0.2.1", 20, 64500))));
        assertEquals(2, rib.size());
        assertEquals(20, rib.get(key("10.0.0.0/24")).attributes().med());
        assertEquals(10, rib.get(key("10.0.1.0/24")).attributes().med());
        assertEquals(2, store.size());

        // Withdraw: counts of prefixes withdrawn and routes actually removed.
        assertEquals(new AdjRibIn.Change(0, 2, 1), rib.apply(withdraw(v4("10.0.1.0/24", "10.9.9.0/24"))));
        assertNull(rib.get(key("10.0.1.0/24")));
        assertEquals(1, rib.size());
        assertEquals(1, store.size(), "the MED 10 set lost its last route and left the store");
    }

    @Test
    void withdrawalsComeBeforeAnnouncementsInOneUpdate() {
        rib.apply(announce(v4("10.0.0.0/24"), path("192.0.2.1", 1, 64500)));
        // RFC 4271 §9: withdrawn and announced in one UPDATE → announced.
        UpdateMessage both = UpdateMessage.of(v4("10.0.0.0/24"), PathAttributes.of(path("192.0.2.1", 2, 64500)),
                v4("10.0.0.0/24"));
        assertEquals(new AdjRibIn.Change(1, 1, 1), rib.apply(both));
        assertEquals(2, rib.get(key("10.0.0.0/24")).attributes().med());
        assertEquals(1, rib.size());
    }

    @Test
    void treatAsWithdrawWithdrawsWhatItAnnounces() {
        rib.apply(announce(v4("10.0.0.0/24", "10.0.1.0/24"), path("192.0.2.1", 1, 64500)));
        rib.apply(mpAnnounce(v6(AfiSafi.IPV6_UNICAST, null, "2001:db8::/32"), Routes.address("2001:db8::1"), 1, 64500));
        UpdateMessage bad = Routes.treatAsWithdraw(announce(v4("10.0.0.0/24", "10.0.2.0/24"), path("192.0.2.1", 5, 64500)));
        assertEquals(new AdjRibIn.Change(0, 2, 1), rib.apply(bad));
        assertNull(rib.get(key("10.0.0.0/24")));
        assertNotNull(rib.get(key("10.0.1.0/24")));
        UpdateMessage badMp = Routes.treatAsWithdraw(
                mpAnnounce(v6(AfiSafi.IPV6_UNICAST, null, "2001:db8::/32"), Routes.address("2001:db8::1"), 9, 64500));
        assertEquals(new AdjRibIn.Change(0, 1, 1), rib.apply(badMp));
        assertEquals(0, rib.size(AfiSafi.IPV6_UNICAST));
    }

    @Test
    void ipv6WithMpNextHop() {
        PrefixList p = v6(AfiSafi.IPV6_UNICAST, null, "2001:db8::/32", "2001:db8:1::/48", "2001:db8::1/128");
        byte[] nh = new byte[32];
        System.arraycopy(Routes.address("2001:db8::1"), 0, nh, 0, 16);
        System.arraycopy(Routes.address("fe80::1"), 0, nh, 16, 16);
        assertEquals(new AdjRibIn.Change(3, 0, 0), rib.apply(mpAnnounce(p, nh, 7, 64500)));
        for (int i = 0; i < 3; i++) {
            Route r = rib.get(RouteKey.of(p, i));
            assertNotNull(r, p.prefix(i));
            assertArrayEquals(nh, r.nextHop());
            assertEquals("2001:db8::1,fe80::1", r.nextHopText());
            assertEquals(7, r.attributes().med());
            assertNull(r.attributes().mpReach(), "stored without MP_REACH_NLRI");
        }
        // /48 and /32 differ only in length; the same address with another length is another key.
        assertNull(rib.get(RouteKey.of(v6(AfiSafi.IPV6_UNICAST, null, "2001:db8::/33"), 0)));
        assertEquals(new AdjRibIn.Change(0, 1, 1), rib.apply(mpWithdraw(v6(AfiSafi.IPV6_UNICAST, null, "2001:db8::/32"))));
        assertNotNull(rib.get(RouteKey.of(p, 1)));
        assertEquals(2, rib.size());
    }

    @Test
    void addPathKeepsOneRoutePerPathId() {
        PrefixList two = v4(AfiSafi.IPV4_UNICAST, new int[] {1, 2}, null, null, "10.0.0.0/24", "10.0.0.0/24");
        rib.apply(announce(two, path("192.0.2.1", 1, 64500)));
        assertEquals(2, rib.size());
        rib.apply(announce(v4(AfiSafi.IPV4_UNICAST, new int[] {2}, null, null, "10.0.0.0/24"), path("192.0.2.2", 2, 64501)));
        assertEquals(1, rib.get(RouteKey.of(two, 0)).attributes().med());
        assertEquals(2, rib.get(RouteKey.of(two, 1)).attributes().med());
        assertNull(rib.get(key("10.0.0.0/24")), "no path id 0");
        assertEquals(new AdjRibIn.Change(0, 1, 1),
                rib.apply(withdraw(v4(AfiSafi.IPV4_UNICAST, new int[] {1}, null, null, "10.0.0.0/24"))));
        assertNull(rib.get(RouteKey.of(two, 0)));
        assertNotNull(rib.get(RouteKey.of(two, 1)));
        assertTrue(rib.table(AfiSafi.IPV4_UNICAST).hasPathIds());
    }

    @Test
    void addPathIdsArriveAfterPlainRoutes() {
        rib.apply(announce(v4("10.0.0.0/24"), path("192.0.2.1", 1, 64500)));
        assertFalse(rib.table(AfiSafi.IPV4_UNICAST).hasPathIds());
        PrefixList withId = v4(AfiSafi.IPV4_UNICAST, new int[] {7}, null, null, "10.0.0.0/24");
        rib.apply(announce(withId, path("192.0.2.1", 2, 64500)));
        assertTrue(rib.table(AfiSafi.IPV4_UNICAST).hasPathIds());
        assertEquals(1, rib.get(key("10.0.0.0/24")).attributes().med());
        assertEquals(2, rib.get(RouteKey.of(withId, 0)).attributes().med());
    }

    @Test
    void vpnRoutesAreKeyedByRouteDistinguisherAndCarryLabels() {
        long rd1 = 65000L << 32 | 1;
        long rd2 = 65000L << 32 | 2;
        PrefixList p = v4(AfiSafi.IPV4_MPLS_VPN, null, new long[] {rd1, rd2}, new int[][] {{100}, {200, 300}},
                "10.0.0.0/24", "10.0.0.0/24");
        byte[] nh = new byte[12];
        System.arraycopy(Routes.address("192.0.2.9"), 0, nh, 8, 4);
        assertEquals(new AdjRibIn.Change(2, 0, 0), rib.apply(mpAnnounce(p, nh, 5, 64500)));
        Route a = rib.get(RouteKey.of(p, 0));
        Route b = rib.get(RouteKey.of(p, 1));
        assertArrayEquals(new int[] {100}, a.labels());
        assertArrayEquals(new int[] {200, 300}, b.labels());
        assertArrayEquals(nh, a.nextHop());
        // Relabel without changing attributes: same set, new labels.
        PrefixList relabeled = v4(AfiSafi.IPV4_MPLS_VPN, null, new long[] {rd1}, new int[][] {{101, 102}}, "10.0.0.0/24");
        rib.apply(mpAnnounce(relabeled, nh, 5, 64500));
        assertArrayEquals(new int[] {101, 102}, rib.get(RouteKey.of(p, 0)).labels());
        relabeled = v4(AfiSafi.IPV4_MPLS_VPN, null, new long[] {rd1}, new int[][] {{103}}, "10.0.0.0/24");
        rib.apply(mpAnnounce(relabeled, nh, 5, 64500));
        assertArrayEquals(new int[] {103}, rib.get(RouteKey.of(p, 0)).labels());
        assertEquals(1, store.size());
        assertEquals(new AdjRibIn.Change(0, 1, 1), rib.apply(mpWithdraw(
                v4(AfiSafi.IPV4_MPLS_VPN, null, new long[] {rd2}, new int[][] {{0}}, "10.0.0.0/24"))));
        assertNull(rib.get(RouteKey.of(p, 1)));
        assertArrayEquals(new int[] {103}, rib.get(RouteKey.of(p, 0)).labels());
    }

    @Test
    void labeledUnicast() {
        PrefixList p = v4(AfiSafi.IPV4_LABELED_UNICAST, null, null, new int[][] {{16}, {17}, {}}, "10.0.0.0/24",
                "10.0.1.0/24", "10.0.2.0/24");
        rib.apply(mpAnnounce(p, Routes.address("192.0.2.1"), 1, 64500));
        assertArrayEquals(new int[] {16}, rib.get(RouteKey.of(p, 0)).labels());
        assertArrayEquals(new int[] {17}, rib.get(RouteKey.of(p, 1)).labels());
        assertArrayEquals(new int[0], rib.get(RouteKey.of(p, 2)).labels());
        Map<String, int[]> seen = new HashMap<>();
        rib.forEach(AfiSafi.IPV4_LABELED_UNICAST, (k, r) -> seen.put(k.prefix(), r.labels()));
        assertEquals(3, seen.size());
        assertArrayEquals(new int[] {17}, seen.get("10.0.1.0/24"));
    }

    @Test
    void staleMarkRefreshAndSweep() {
        rib.apply(announce(v4("10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"), path("192.0.2.1", 1, 64500)));
        assertEquals(3, rib.markStale(AfiSafi.IPV4_UNICAST, false));
        assertEquals(3, rib.staleCount());
        assertTrue(rib.get(key("10.0.0.0/24")).stale());
        assertFalse(rib.get(key("10.0.0.0/24")).llgrStale());
        assertEquals(3, rib.markStale(AfiSafi.IPV4_UNICAST, false), "marking again changes nothing");
        assertEquals(3, rib.staleCount());
        // Re-announced (same attributes): fresh again.
        rib.apply(announce(v4("10.0.1.0/24"), path("192.0.2.1", 1, 64500)));
        assertEquals(2, rib.staleCount());
        assertFalse(rib.get(key("10.0.1.0/24")).stale());
        // A stale route withdrawn leaves the count too.
        rib.apply(withdraw(v4("10.0.2.0/24")));
        assertEquals(1, rib.staleCount());
        // Long-lived (RFC 9494).
        rib.markStale(AfiSafi.IPV4_UNICAST, true);
        assertEquals(2, rib.staleCount());
        assertTrue(rib.get(key("10.0.0.0/24")).llgrStale());
        rib.apply(announce(v4("10.0.1.0/24"), path("192.0.2.1", 2, 64500)));
        assertEquals(1, rib.staleCount());
        assertEquals(1, rib.sweepStale(AfiSafi.IPV4_UNICAST));
        assertEquals(0, rib.staleCount());
        assertEquals(1, rib.size());
        assertNotNull(rib.get(key("10.0.1.0/24")));
        assertEquals(0, rib.sweepStale(AfiSafi.IPV4_UNICAST));
        assertEquals(0, rib.markStale(AfiSafi.IPV6_UNICAST, false));
        assertEquals(1, store.size());
    }

    @Test
    void sweepOfAManyRouteTable() {
        String[] prefixes = new String[5000];
        for (int i = 0; i < prefixes.length; i++) {
            prefixes[i] = "10." + (i >> 8) + "." + (i & 255) + ".0/24";
        }
        rib.apply(announce(v4(prefixes), path("192.0.2.1", 1, 64500)));
        rib.markStale(AfiSafi.IPV4_UNICAST, false);
        String[] keep = new String[1000];
        System.arraycopy(prefixes, 2000, keep, 0, 1000);
        rib.apply(announce(v4(keep), path("192.0.2.1", 2, 64500)));
        assertEquals(4000, rib.staleCount());
        assertEquals(4000, rib.sweepStale(AfiSafi.IPV4_UNICAST));
        assertEquals(1000, rib.size());
        for (String k : keep) {
            assertEquals(2, rib.get(key(k)).attributes().med(), k);
        }
        assertNull(rib.get(key(prefixes[0])));
        assertEquals(1, store.size());
    }

    @Test
    void clearReleasesEverySet() {
        rib.apply(announce(v4("10.0.0.0/24"), path("192.0.2.1", 1, 64500)));
        rib.apply(announce(v4("10.0.1.0/24"), path("192.0.2.1", 2, 64500)));
        rib.apply(mpAnnounce(v6(AfiSafi.IPV6_UNICAST, null, "2001:db8::/32"), Routes.address("2001:db8::1"), 3, 64500));
        assertEquals(3, store.size());
        rib.markStale(AfiSafi.IPV6_UNICAST, false);
        assertEquals(1, rib.clear(AfiSafi.IPV6_UNICAST));
        assertEquals(0, rib.staleCount());
        assertEquals(List.of(AfiSafi.IPV4_UNICAST), List.copyOf(rib.families()));
        assertEquals(3, store.size(), "the IPv6 set is still the writer's cached one");
        assertEquals(2, rib.clear());
        assertEquals(0, rib.size());
        assertTrue(rib.families().isEmpty());
        assertEquals(0, store.size());
        assertEquals(0, rib.clear());
    }

    /**
     * The writer remembers the table it used last; a clear drops the tables, so routes announced
     * (and withdrawn) afterwards must go to the new table readers see, not the dropped one.
     */
    @Test
    void routesAfterAClearGoToTheLiveTable() {
        rib.apply(announce(v4("10.0.0.0/24"), path("192.0.2.1", 1, 64500)));
        assertEquals(1, rib.clear(AfiSafi.IPV4_UNICAST));
        rib.apply(announce(v4("10.0.1.0/24"), path("192.0.2.1", 1, 64500)));
        assertEquals(1, rib.size());
        assertNotNull(rib.get(key("10.0.1.0/24")));
        assertEquals(1, rib.clear());
        rib.apply(announce(v4("10.0.2.0/24", "10.0.3.0/24"), path("192.0.2.1", 1, 64500)));
        rib.apply(withdraw(v4("10.0.2.0/24")));
        assertEquals(1, rib.size());
        assertNull(rib.get(key("10.0.2.0/24")));
        assertNotNull(rib.get(key("10.0.3.0/24")));
        assertEquals(1, rib.table(AfiSafi.IPV4_UNICAST).size());
    }

    /**
     * A set's count is its routes plus the writer's cache, whatever the puts did: references are
     * taken for every announced route before the puts, and those not kept (the route already had
     * the set, a prefix twice in one UPDATE, a rejected route) are given back.
     */
    @Test
    void countsStayExactWhenAnnouncementsKeepNoReference() throws Exception {
        List<io.ribbit.codec.attr.PathAttribute> p = path("192.0.2.1", 7, 64500);
        rib.apply(announce(v4("10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"), p));
        AttributeSet a = rib.table(AfiSafi.IPV4_UNICAST).get(PrefixList.packIpv4(Routes.ipv4("10.0.0.0"), 24), 0, 24, 0, 0);
        assertEquals(4, a.refCount(), "three routes and the cache");
        rib.apply(announce(v4("10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"), p)); // same routes, cached set
        assertEquals(4, a.refCount());
        rib.apply(announce(v4("10.0.3.0/24", "10.0.3.0/24", "10.0.0.0/24"), p)); // one new, twice, one kept
        assertEquals(5, a.refCount());
        assertEquals(4, rib.size());
        // Another writer's set for the same content: found in the store, not the cache.
        AdjRibIn other = new AdjRibIn(store);
        other.apply(announce(v4("10.0.0.0/24", "10.0.0.0/24"), p));
        assertEquals(7, a.refCount(), "one more route and the other cache");
        // A rejected route keeps no reference and removes the prefix's route.
        ImportChecks reject = new ImportChecks(Map.of(ImportCheck.NEXT_HOP, ImportChecks.Action.REJECT), 24, 48, 100);
        ImportChecks.Bound bound = reject.bind(64501, 64500, java.net.InetAddress.getByName("192.0.2.1"));
        UpdateMessage third = announce(v4("10.0.1.0/24", "10.0.9.0/24"), path("192.0.2.99", 7, 64500));
        ImportChecks.Tags tags = bound.evaluate(third);
        assertTrue(tags.rejected(third.nlri(), 0));
        AdjRibIn.Change c = rib.apply(third, tags);
        assertEquals(1, c.removed());
        assertEquals(5, a.refCount(), "10.0.1.0/24 left it, and the cache moved to the rejected UPDATE's set");
        assertEquals(3, rib.size());
        other.clear();
        rib.clear();
        assertEquals(0, a.refCount());
        assertEquals(0, store.size(), "nothing left behind: the rejected UPDATE's set died with the cache");
    }

    @Test
    void setsAreSharedAcrossPeersAndFreedAtZero() {
        AdjRibIn other = new AdjRibIn(store);
        rib.apply(announce(v4("10.0.0.0/24", "10.0.1.0/24"), path("192.0.2.1", 1, 64500)));
        other.apply(announce(v4("10.0.0.0/24"), path("192.0.2.1", 1, 64500)));
        AttributeSet a = rib.table(AfiSafi.IPV4_UNICAST).get(PrefixList.packIpv4(Routes.ipv4("10.0.0.0"), 24), 0, 24, 0, 0);
        AttributeSet b = other.table(AfiSafi.IPV4_UNICAST).get(PrefixList.packIpv4(Routes.ipv4("10.0.0.0"), 24), 0, 24, 0, 0);
        assertSame(a, b);
        assertEquals(5, a.refCount(), "three routes and two writers' caches");
        rib.apply(withdraw(v4("10.0.0.0/24", "10.0.1.0/24")));
        other.apply(withdraw(v4("10.0.0.0/24")));
        assertEquals(2, a.refCount());
        // Both writers move on to other paths: the last references go, and the set dies.
        rib.apply(announce(v4("10.1.0.0/24"), path("192.0.2.1", 2, 64500)));
        other.apply(announce(v4("10.1.0.0/24"), path("192.0.2.1", 3, 64500)));
        assertEquals(0, a.refCount());
        assertEquals(2, store.size());
        // The same content again is a fresh set, never the dead one.
        rib.apply(announce(v4("10.0.0.0/24"), path("192.0.2.1", 1, 64500)));
        AttributeSet c = rib.table(AfiSafi.IPV4_UNICAST).get(PrefixList.packIpv4(Routes.ipv4("10.0.0.0"), 24), 0, 24, 0, 0);
        assertNotSame(a, c);
        assertEquals(2, c.refCount());
        assertEquals(1, rib.get(key("10.0.0.0/24")).attributes().med());
        other.clear();
        rib.clear();
        assertEquals(0, store.size());
    }

    @Test
    void forEachMaterializesKeysAndRoutes() {
        PrefixList p = v4("10.0.0.0/24", "10.0.1.0/23", "192.0.2.0/25");
        rib.apply(announce(p, path("192.0.2.1", 4, 64500)));
        Map<RouteKey, Route> seen = new HashMap<>();
        rib.forEach(AfiSafi.IPV4_UNICAST, seen::put);
        assertEquals(3, seen.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(rib.get(RouteKey.of(p, i)), seen.get(RouteKey.of(p, i)), p.prefix(i));
        }
        rib.forEach(AfiSafi.IPV6_UNICAST, (k, r) -> {
            throw new AssertionError(k);
        });
    }

    /** RFC 6793 §4.2.3: a 2-octet session's AS_PATH + AS4_PATH comes back merged from the store. */
    @Test
    void twoOctetSessionPathSurvivesTheStore() {
        AsPath as2 = AsPath.sequence(64500, AsPath.AS_TRANS);
        AsPath as4 = AsPath.of(AttributeCode.AS4_PATH, List.of(new AsPath.Segment(AsPath.AS_SEQUENCE,
                new long[] {64500, 4200000000L})));
        UpdateMessage sent = UpdateMessage.of(PrefixList.empty(AfiSafi.IPV4_UNICAST), PathAttributes.of(Origin.IGP, as2,
                new AddressAttribute(AttributeCode.NEXT_HOP, Routes.ipv4("192.0.2.1")), as4), v4("10.0.0.0/24"));
        ByteBuf buf = Unpooled.buffer();
        try {
            MessageCodec.encode(sent, buf, SessionOptions.DEFAULT);
            UpdateMessage got = (UpdateMessage) MessageCodec.decode(buf, SessionOptions.DEFAULT, new UpdateDecodeContext());
            assertArrayEquals(new long[] {64500, 4200000000L}, got.attributes().asPath().asns());
            rib.apply(got);
        } finally {
            buf.release();
        }
        Route r = rib.get(key("10.0.0.0/24"));
        assertArrayEquals(new long[] {64500, 4200000000L}, r.attributes().asPath().asns());
        assertArrayEquals(new long[] {64500, AsPath.AS_TRANS}, r.attributes().rawAsPath().asns());
    }
}
