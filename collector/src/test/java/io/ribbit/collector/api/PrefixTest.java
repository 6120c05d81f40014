package io.ribbit.collector.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.rib.RouteKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Prefix parsing and containment in the Adj-RIB-In's key packing, and the paging cursor. */
class PrefixTest {
    @Test
    @DisplayName("parses IPv4 and IPv6 prefixes into the keys the Adj-RIB-In uses")
    void parse() {
        Prefix p = Prefix.parse("192.0.2.0/24", null);
        assertEquals(AfiSafi.IPV4_UNICAST, p.family());
        assertEquals(new RouteKey(AfiSafi.IPV4_UNICAST, PrefixList.packIpv4(0xc0000200, 24), 0, 24, 0, 0), p.key(0));
        assertEquals("192.0.2.0/24", p.text());
        assertEquals("0.0.0.0/0", Prefix.parse("0.0.0.0/0", null).text());
        Prefix v6 = Prefix.parse("2001:db8:ff00::/40", null);
        assertEquals(AfiSafi.IPV6_UNICAST, v6.family());
        assertEquals(0x20010db8ff000000L, v6.high());
        assertEquals(0, v6.low());
        assertEquals("2001:db8:ff00::/40", v6.text());
        Prefix v6long = Prefix.parse("2001:db8::8000:0:0:0/65", null);
        assertEquals(0x8000000000000000L, v6long.low());
        assertEquals(AfiSafi.IPV4_MULTICAST, Prefix.parse("232.0.0.0/8", AfiSafi.IPV4_MULTICAST).family());
        assertEquals(Prefix.parse("10.0.0.1/32", null), Prefix.host("10.0.0.1", null));
        assertEquals(128, Prefix.host("::1", null).length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1/24", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0", "10.0.0/8",
        "10.0.0.0/08x", "a.b.c.d/8", "2001:db8::1/64", "2001:db8::/129", "/8", "", "10.0.0.0/1000000000000"})
    @DisplayName("refuses malformed prefixes, host bits and lengths out of range")
    void refuses(String text) {
        BadRequest e = assertThrows(BadRequest.class, () -> Prefix.parse(text, null));
        assertTrue(e.getMessage().startsWith("bad prefix"), e.getMessage());
    }

    @Test
    @DisplayName("host bits: the message names the prefix meant")
    void hostBitsHint() {
        assertEquals("bad prefix \"10.0.0.1/24\": host bits set (did you mean 10.0.0.0/24?)",
                assertThrows(BadRequest.class, () -> Prefix.parse("10.0.0.1/24", null)).getMessage());
    }

    @Test
    @DisplayName("a family that does not match the address is refused")
    void familyMismatch() {
        assertThrows(BadRequest.class, () -> Prefix.parse("10.0.0.0/8", AfiSafi.IPV6_UNICAST));
        assertThrows(BadRequest.class, () -> Prefix.host("2001:db8::1", AfiSafi.IPV4_UNICAST));
        assertThrows(BadRequest.class, () -> Prefix.host("example.net", null));
    }

    @Test
    @DisplayName("truncate, covers, within and matches agree on IPv4 and IPv6, across the 64-bit boundary")
    void containment() {
        Prefix p25 = Prefix.parse("10.0.0.128/25", null);
        assertEquals(Prefix.parse("10.0.0.0/24", null), p25.truncate(24));
        assertEquals(Prefix.parse("0.0.0.0/0", null), p25.truncate(0));
        Prefix p16 = Prefix.parse("10.0.0.0/16", null);
        assertTrue(p16.covers(p25.key(7)));
        assertTrue(p25.within(p16.key(0)));
        assertFalse(p25.covers(p16.key(0)));
        assertFalse(p16.within(p25.key(0)));
        assertTrue(p16.covers(p16.key(0)));
        assertFalse(p16.covers(Prefix.parse("10.1.0.0/24", null).key(0)));
        assertTrue(p25.matches(p25.key(99)));
        assertFalse(p25.matches(p25.truncate(24).key(0)));
        RouteKey vpn = new RouteKey(AfiSafi.IPV4_UNICAST, p25.high(), 0, 25, 0, 1);
        assertFalse(p16.covers(vpn), "a key with a route distinguisher is never a plain prefix");

        Prefix v6 = Prefix.parse("2001:db8::8000:0:0:0/65", null);
        assertEquals(Prefix.parse("2001:db8::/64", null), v6.truncate(64));
        assertEquals(Prefix.parse("2001:d00::/24", null), v6.truncate(24));
        assertTrue(v6.truncate(64).covers(v6.key(0)));
        assertTrue(v6.within(v6.truncate(3).key(0)));
        assertFalse(Prefix.parse("2001:db8::/65", null).covers(v6.key(0)));
        assertFalse(v6.covers(p25.key(0)), "another family");
    }

    @Test
    @DisplayName("cursors round-trip, name their family, and order keys by RD, address, length, path id (unsigned)")
    void cursor() {
        RouteKey k = new RouteKey(AfiSafi.IPV6_UNICAST, 0xfe80000000000000L, 5, 64, -2, 0);
        assertEquals(k, RouteCursor.decode(RouteCursor.encode(k), AfiSafi.IPV6_UNICAST));
        assertThrows(BadRequest.class, () -> RouteCursor.decode(RouteCursor.encode(k), AfiSafi.IPV4_UNICAST));
        assertThrows(BadRequest.class, () -> RouteCursor.decode("AAAA", AfiSafi.IPV6_UNICAST));
        assertThrows(BadRequest.class, () -> RouteCursor.decode("!!", AfiSafi.IPV6_UNICAST));
        List<RouteKey> sorted = new ArrayList<>(List.of(
                Prefix.parse("192.0.2.0/24", null).key(0),
                Prefix.parse("10.0.0.0/8", null).key(0),
                Prefix.parse("10.0.0.0/8", null).key(-1),
                Prefix.parse("10.0.0.0/16", null).key(0),
                Prefix.parse("10.0.0.0/8", null).key(3),
                new RouteKey(AfiSafi.IPV4_UNICAST, 0, 0, 0, 0, 1)));
        sorted.sort(RouteCursor.ORDER);
        assertEquals(List.of("10.0.0.0/8", "10.0.0.0/8", "10.0.0.0/8", "10.0.0.0/16", "192.0.2.0/24", "0.0.0.0/0"),
                sorted.stream().map(RouteKey::prefix).toList());
        assertEquals(List.of(0, 3, -1), sorted.subList(0, 3).stream().map(RouteKey::pathId).toList());
    }
}
