package io.ribbit.codec;

import static io.ribbit.codec.Wire.bytes;
import static io.ribbit.codec.Wire.decode;
import static io.ribbit.codec.Wire.encode;
import static io.ribbit.codec.Wire.hex;
import static io.ribbit.codec.Wire.ipv4;
import static io.ribbit.codec.Wire.ipv6;
import static io.ribbit.codec.Wire.prefixes;
import static io.ribbit.codec.Wire.roundTrip;
import static io.ribbit.codec.nlri.NlriCodec.WITHDRAWN_LABEL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ribbit.codec.attr.AddressAttribute;
import io.ribbit.codec.attr.Aggregator;
import io.ribbit.codec.attr.Aigp;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AtomicAggregate;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.ClusterList;
import io.ribbit.codec.attr.Communities;
import io.ribbit.codec.attr.ExtendedCommunities;
import io.ribbit.codec.attr.LargeCommunities;
import io.ribbit.codec.attr.MpReachNlri;
import io.ribbit.codec.attr.MpUnreachNlri;
import io.ribbit.codec.attr.Origin;
import io.ribbit.codec.attr.PathAttribute;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.attr.Uint32Attribute;
import io.ribbit.codec.attr.UnknownAttribute;
import io.ribbit.codec.capability.Capability;
import io.ribbit.codec.capability.Capability.AddPath;
import io.ribbit.codec.capability.Capability.ExtendedNextHop;
import io.ribbit.codec.capability.Capability.GracefulRestart;
import io.ribbit.codec.capability.Capability.LongLivedGracefulRestart;
import io.ribbit.codec.error.BgpError;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.KeepaliveMessage;
import io.ribbit.codec.message.MessageType;
import io.ribbit.codec.message.NotificationMessage;
import io.ribbit.codec.message.OpenMessage;
import io.ribbit.codec.message.RouteRefreshMessage;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.Nlri;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.codec.nlri.RawNlri;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Encode → decode → encode for every message type, capability, path attribute and NLRI kind the
 * codec models. Each case checks value equality, byte identity of the re-encoding (the encodings
 * here are canonical), and the wire form itself where a symmetric encode/decode mistake would
 * otherwise go unnoticed.
 */
class RoundTripTest {
    static final SessionOptions AS4 = Wire.session(true, Set.of());
    static final SessionOptions AS2 = Wire.session(false, Set.of());
    static final int BGP_ID = 0xC0000201; // 192.0.2.1
    static final String MARKER = "ffffffffffffffffffffffffffffffff";

    static final AfiSafi FLOWSPEC_V4 = AfiSafi.of(AfiSafi.AFI_IPV4, AfiSafi.SAFI_FLOWSPEC);
    static final AfiSafi FLOWSPEC_V6 = AfiSafi.of(AfiSafi.AFI_IPV6, AfiSafi.SAFI_FLOWSPEC);
    static final AfiSafi EVPN = AfiSafi.of(AfiSafi.AFI_L2VPN, AfiSafi.SAFI_EVPN);

    // ------------------------------------------------------------ KEEPALIVE, NOTIFICATION, ROUTE-REFRESH

    @Test
    void keepalive() {
        byte[] wire = encode(KeepaliveMessage.INSTANCE, AS4);
        assertEquals(MARKER + "001304", hex(wire));
        assertSame(KeepaliveMessage.INSTANCE, roundTrip(KeepaliveMessage.INSTANCE, AS4));
    }

    @Test
    void notificationWithData() {
        NotificationMessage n = new NotificationMessage(BgpError.MALFORMED_ATTRIBUTE_LIST, bytes("0102"));
        assertEquals(MARKER + "0017" + "03" + "0301" + "0102", hex(encode(n, AS4)));
        NotificationMessage back = (NotificationMessage) roundTrip(n, AS4);
        assertEquals(BgpError.MALFORMED_ATTRIBUTE_LIST, back.error());
        assertArrayEquals(bytes("0102"), back.data());
    }

    @Test
    void notificationWithoutDataAndUnnamedCodes() {
        NotificationMessage hold = new NotificationMessage(BgpError.HOLD_TIMER_EXPIRED, null);
        assertEquals(MARKER + "0015" + "03" + "0400", hex(encode(hold, AS4)));
        roundTrip(hold, AS4);
        NotificationMessage odd = new NotificationMessage(42, 200, bytes("deadbeef"));
        NotificationMessage back = (NotificationMessage) roundTrip(odd, AS4);
        assertNull(back.error());
        assertEquals(42, back.code());
        assertEquals(200, back.subcode());
    }

    @Test
    void notificationShutdownCommunication() {
        NotificationMessage n = NotificationMessage.shutdown(BgpError.ADMINISTRATIVE_SHUTDOWN, "maintenance, back at 14:00");
        NotificationMessage back = (NotificationMessage) roundTrip(n, AS4);
        assertEquals("maintenance, back at 14:00", back.shutdownMessage());
    }

    static Stream<Arguments> routeRefreshes() {
        return Stream.of(
                Arguments.of("request ipv4-unicast", RouteRefreshMessage.request(AfiSafi.IPV4_UNICAST), "0001" + "00" + "01"),
                Arguments.of("request ipv6-mpls-vpn", RouteRefreshMessage.request(AfiSafi.IPV6_MPLS_VPN), "0002" + "00" + "80"),
                Arguments.of("BoRR (RFC 7313)", new RouteRefreshMessage(AfiSafi.IPV6_UNICAST,
                        RouteRefreshMessage.BEGIN_OF_ROUTE_REFRESH, null), "0002" + "01" + "01"),
                Arguments.of("EoRR (RFC 7313)", new RouteRefreshMessage(AfiSafi.IPV4_UNICAST,
                        RouteRefreshMessage.END_OF_ROUTE_REFRESH, null), "0001" + "02" + "01"),
                Arguments.of("request with ORF entries (RFC 5291)", new RouteRefreshMessage(AfiSafi.IPV4_UNICAST,
                        RouteRefreshMessage.NORMAL, bytes("01 40 0007 00 00000001 18")), "0001" + "00" + "01"
                        + "01400007000000000118"),
                Arguments.of("unknown family and subtype", new RouteRefreshMessage(AfiSafi.of(16388, 71), 9,
                        bytes("aa")), "4004" + "09" + "47" + "aa"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routeRefreshes")
    void routeRefresh(String name, RouteRefreshMessage m, String body) {
        byte[] wire = encode(m, AS4);
        assertEquals(MessageType.ROUTE_REFRESH.code(), wire[18]);
        assertEquals(body, hex(Arrays.copyOfRange(wire, 19, wire.length)));
        RouteRefreshMessage back = (RouteRefreshMessage) roundTrip(m, AS4);
        assertEquals(m.family(), back.family());
        assertEquals(m.subtype(), back.subtype());
    }

    // ------------------------------------------------------------------ OPEN

    @Test
    void openBasic() {
        OpenMessage o = OpenMessage.of(65001, 180, BGP_ID, List.of(new Capability.Multiprotocol(AfiSafi.IPV4_UNICAST),
                new Capability.RouteRefresh(Capability.ROUTE_REFRESH), new Capability.FourOctetAs(65001)));
        byte[] wire = encode(o, AS4);
        // version 4, My AS 65001, hold 180, id 192.0.2.1, 3 parameters of 8 + 4 + 8 octets
        assertEquals("04" + "fde9" + "00b4" + "c0000201" + "14", hex(Arrays.copyOfRange(wire, 19, 29)));
        OpenMessage back = (OpenMessage) roundTrip(o, AS4);
        assertFalse(back.extendedParameters());
        assertEquals(65001, back.asn());
        assertEquals("192.0.2.1", back.bgpIdentifierText());
    }

    @Test
    void openWithFourOctetAsnUsesAsTrans() {
        OpenMessage o = OpenMessage.of(4200000000L, 90, BGP_ID, List.of(new Capability.FourOctetAs(4200000000L)));
        byte[] wire = encode(o, AS4);
        assertEquals("5ba0", hex(Arrays.copyOfRange(wire, 20, 22)), "My AS is AS_TRANS (RFC 6793 §4.1)");
        OpenMessage back = (OpenMessage) roundTrip(o, AS4);
        assertEquals(AsPath.AS_TRANS, back.myAs());
        assertEquals(4200000000L, back.asn());
    }

    static Stream<Arguments> capabilities() {
        return Stream.of(
                Arguments.of("multiprotocol ipv4-unicast", new Capability.Multiprotocol(AfiSafi.IPV4_UNICAST),
                        "0104" + "0001" + "00" + "01"),
                Arguments.of("multiprotocol ipv6-mpls-vpn", new Capability.Multiprotocol(AfiSafi.IPV6_MPLS_VPN),
                        "0104" + "0002" + "00" + "80"),
                Arguments.of("multiprotocol l2vpn-evpn", new Capability.Multiprotocol(EVPN), "0104" + "0019" + "00" + "46"),
                Arguments.of("route refresh (RFC 2918)", new Capability.RouteRefresh(Capability.ROUTE_REFRESH), "0200"),
                Arguments.of("route refresh (Cisco 128)", new Capability.RouteRefresh(Capability.ROUTE_REFRESH_CISCO),
                        "8000"),
                Arguments.of("extended next hop (RFC 8950)", new ExtendedNextHop(List.of(
                        new ExtendedNextHop.Entry(AfiSafi.IPV4_UNICAST, AfiSafi.AFI_IPV6),
                        new ExtendedNextHop.Entry(AfiSafi.IPV4_MPLS_VPN, AfiSafi.AFI_IPV6))),
                        "050c" + "0001" + "0001" + "0002" + "0001" + "0080" + "0002"),
                Arguments.of("extended message (RFC 8654)", new Capability.ExtendedMessage(), "0600"),
                Arguments.of("role customer (RFC 9234)", new Capability.BgpRole(Capability.BgpRole.CUSTOMER), "090103"),
                Arguments.of("role rs-client", new Capability.BgpRole(Capability.BgpRole.ROUTE_SERVER_CLIENT), "090102"),
                Arguments.of("graceful restart R+N, 120 s, two families (RFC 4724, RFC 8538)", new GracefulRestart(
                        GracefulRestart.FLAG_RESTART | GracefulRestart.FLAG_NOTIFICATION, 120, List.of(
                                new GracefulRestart.Family(AfiSafi.IPV4_UNICAST, 0x80),
                                new GracefulRestart.Family(AfiSafi.IPV6_UNICAST, 0))),
                        "400a" + "c078" + "0001" + "01" + "80" + "0002" + "01" + "00"),
                Arguments.of("graceful restart helper only, 4095 s, no families", new GracefulRestart(0, 4095, List.of()),
                        "4002" + "0fff"),
                Arguments.of("4-octet AS (RFC 6793)", new Capability.FourOctetAs(4200000000L), "4104" + "fa56ea00"),
                Arguments.of("ADD-PATH (RFC 7911)", new AddPath(List.of(
                        new AddPath.Family(AfiSafi.IPV4_UNICAST, AddPath.BOTH),
                        new AddPath.Family(AfiSafi.IPV6_UNICAST, AddPath.RECEIVE),
                        new AddPath.Family(AfiSafi.IPV4_MPLS_VPN, AddPath.SEND))),
                        "450c" + "0001" + "01" + "03" + "0002" + "01" + "01" + "0001" + "80" + "02"),
                Arguments.of("enhanced route refresh (RFC 7313)", new Capability.EnhancedRouteRefresh(), "4600"),
                Arguments.of("long-lived graceful restart (RFC 9494)", new LongLivedGracefulRestart(List.of(
                        new LongLivedGracefulRestart.Family(AfiSafi.IPV4_UNICAST, 0x80, 0xffffff),
                        new LongLivedGracefulRestart.Family(AfiSafi.IPV6_UNICAST, 0, 3600))),
                        "470e" + "0001" + "01" + "80" + "ffffff" + "0002" + "01" + "00" + "000e10"),
                Arguments.of("FQDN", new Capability.Fqdn("rr1", "example.net"),
                        "4910" + "03" + "727231" + "0b" + "6578616d706c652e6e6574"),
                Arguments.of("FQDN, UTF-8 host and empty domain", new Capability.Fqdn("routeur-é", ""),
                        "490c" + "0a" + "726f75746575722dc3a9" + "00"),
                Arguments.of("software version", new Capability.SoftwareVersion("FRRouting/10.1"),
                        "4b0f" + "0e" + "4652526f7574696e672f31302e31"),
                Arguments.of("unknown (ORF, code 3)", new Capability.Unknown(3, bytes("010203")), "0303" + "010203"),
                Arguments.of("unknown, empty value", new Capability.Unknown(200, new byte[0]), "c800"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("capabilities")
    void capability(String name, Capability c, String capabilityHex) {
        OpenMessage o = OpenMessage.of(65001, 90, BGP_ID, List.of(c));
        byte[] wire = encode(o, AS4);
        // one Capabilities parameter (type 2) right after the 29-octet fixed part
        int capLen = capabilityHex.length() / 2;
        assertEquals(2 + capLen, wire[28] & 0xff, "optional parameters length");
        assertEquals("02" + String.format("%02x", capLen) + capabilityHex, hex(Arrays.copyOfRange(wire, 29, wire.length)));
        OpenMessage back = (OpenMessage) roundTrip(o, AS4);
        assertEquals(List.of(c), back.capabilities());
        assertEquals(c.getClass(), back.capabilities().get(0).getClass());
    }

    @Test
    void openWithEveryCapabilityAtOnce() {
        List<Capability> all = new ArrayList<>();
        capabilities().forEach(a -> all.add((Capability) a.get()[1]));
        OpenMessage o = OpenMessage.of(4200000000L, 240, BGP_ID, all);
        OpenMessage back = (OpenMessage) roundTrip(o, AS4);
        assertEquals(all, back.capabilities());
    }

    // ------------------------------------------------------------------ RFC 9072

    @Test
    void extendedOptionalParametersWhenCapabilitiesExceed255Octets() {
        List<Capability> caps = new ArrayList<>();
        for (int safi = 1; safi <= 40; safi++) {
            caps.add(new Capability.Multiprotocol(AfiSafi.of(AfiSafi.AFI_IPV6, safi)));
        }
        OpenMessage o = OpenMessage.of(65001, 90, BGP_ID, caps);
        byte[] wire = encode(o, AS4);
        // RFC 9072 §2: Non-Ext OP Len 255, Non-Ext OP Type 255, 2-octet Extended Opt. Parm. Length,
        // then parameters with 2-octet lengths: 40 × (type 1 + length 2 + capability 6).
        assertEquals(0xff, wire[28] & 0xff);
        assertEquals(0xff, wire[29] & 0xff);
        assertEquals(40 * 9, (wire[30] & 0xff) << 8 | (wire[31] & 0xff));
        assertEquals("02" + "0006" + "0104" + "0002" + "00" + "01", hex(Arrays.copyOfRange(wire, 32, 41)));
        assertEquals(32 + 40 * 9, wire.length);
        OpenMessage back = (OpenMessage) roundTrip(o, AS4);
        assertTrue(back.extendedParameters());
        assertEquals(caps, back.capabilities());
    }

    @Test
    void extendedOptionalParametersForOneCapabilityOf255Octets() {
        byte[] value = new byte[255];
        Arrays.fill(value, (byte) 0x5a);
        OpenMessage o = OpenMessage.of(65001, 90, BGP_ID, List.of(new Capability.Unknown(250, value)));
        byte[] wire = encode(o, AS4);
        // the parameter holds 2 + 255 octets, more than a 1-octet parameter length can say
        assertEquals("ffff" + "0104" + "02" + "0101" + "faff", hex(Arrays.copyOfRange(wire, 28, 37)));
        OpenMessage back = (OpenMessage) roundTrip(o, AS4);
        assertTrue(back.extendedParameters());
    }

    @Test
    void parametersOfExactly255OctetsStayNonExtended() {
        OpenMessage fits = OpenMessage.of(65001, 90, BGP_ID, List.of(new Capability.Unknown(250, new byte[251])));
        byte[] wire = encode(fits, AS4);
        assertEquals(0xff, wire[28] & 0xff, "Non-Ext OP Len is 255");
        assertEquals(2, wire[29], "and the first parameter is a Capabilities one, not the RFC 9072 marker");
        assertFalse(((OpenMessage) roundTrip(fits, AS4)).extendedParameters());

        OpenMessage over = OpenMessage.of(65001, 90, BGP_ID, List.of(new Capability.Unknown(250, new byte[252])));
        assertTrue(((OpenMessage) roundTrip(over, AS4)).extendedParameters());
    }

    @Test
    void extendedOptionalParametersOnRequest() {
        OpenMessage o = new OpenMessage(OpenMessage.VERSION, 65001, 90, BGP_ID,
                List.of(new Capability.ExtendedMessage()), List.of(), true);
        byte[] wire = encode(o, AS4);
        assertEquals("ff" + "ff" + "0005" + "02" + "0002" + "0600", hex(Arrays.copyOfRange(wire, 28, wire.length)));
        assertTrue(((OpenMessage) roundTrip(o, AS4)).extendedParameters());

        OpenMessage none = new OpenMessage(OpenMessage.VERSION, 65001, 90, BGP_ID, List.of(), List.of(), true);
        assertEquals("ffff0000", hex(Arrays.copyOfRange(encode(none, AS4), 28, 32)));
        assertTrue(((OpenMessage) roundTrip(none, AS4)).extendedParameters());
    }

    @Test
    void severalCapabilitiesInOneParameterDecodeToTheSameValue() {
        // Non-canonical (RFC 5492 §4 allows either form): one parameter holding two capabilities.
        byte[] packed = bytes(MARKER + "0027" + "01" + "04" + "fde9" + "005a" + "c0000201" + "0a"
                + "0208" + "0104" + "00010001" + "0200");
        OpenMessage o = (OpenMessage) decode(packed, AS4);
        assertEquals(List.of(new Capability.Multiprotocol(AfiSafi.IPV4_UNICAST),
                new Capability.RouteRefresh(Capability.ROUTE_REFRESH)), o.capabilities());
        byte[] canonical = encode(o, AS4);
        assertFalse(Arrays.equals(packed, canonical), "re-encoded one capability per parameter");
        assertEquals(o, roundTrip(o, AS4));
    }

    // ---------------------------------------------------------------- UPDATE attributes

    /** ORIGIN, AS_PATH and NEXT_HOP, minus {@code except}, after {@code first}. */
    static PathAttributes withMandatory(PathAttribute first, int... except) {
        List<PathAttribute> list = new ArrayList<>();
        list.add(first);
        Set<Integer> skip = new java.util.HashSet<>();
        skip.add(first.code());
        for (int e : except) {
            skip.add(e);
        }
        if (!skip.contains(AttributeCode.ORIGIN)) {
            list.add(Origin.IGP);
        }
        if (!skip.contains(AttributeCode.AS_PATH)) {
            list.add(AsPath.sequence(65001, AsPath.AS_TRANS, 65003));
        }
        if (!skip.contains(AttributeCode.NEXT_HOP)) {
            list.add(new AddressAttribute(AttributeCode.NEXT_HOP, ipv4("192.0.2.254")));
        }
        return PathAttributes.of(list);
    }

    static UpdateMessage announce(PathAttributes attrs) {
        return UpdateMessage.of(PrefixList.empty(AfiSafi.IPV4_UNICAST), attrs,
                prefixes(AfiSafi.IPV4_UNICAST, "198.51.100.0/24"));
    }

    static AsPath allSegmentTypes(long bigAsn) {
        return AsPath.of(AttributeCode.AS_PATH, List.of(
                new AsPath.Segment(AsPath.AS_CONFED_SEQUENCE, new long[] {64512}),
                new AsPath.Segment(AsPath.AS_CONFED_SET, new long[] {64513, 64514}),
                new AsPath.Segment(AsPath.AS_SEQUENCE, new long[] {bigAsn, 65003}),
                new AsPath.Segment(AsPath.AS_SET, new long[] {65001, 65002})));
    }

    static PathAttribute ipv6ExtendedCommunities() {
        // route target 2001:db8::1:100 (transitive) and a non-transitive route origin 2001:db8::2:7
        byte[] v = bytes("0002" + "20010db8000000000000000000000001" + "0064"
                + "4003" + "20010db8000000000000000000000002" + "0007");
        return Wire.decodeAttribute(0xc0, AttributeCode.IPV6_EXTENDED_COMMUNITIES, v, AS4);
    }

    static Stream<Arguments> attributes() {
        long linkBandwidth = 0x4004L << 48 | 0xfde9L << 32 | Float.floatToIntBits(1.25e9f) & 0xffffffffL;
        ExtendedCommunities ext = ExtendedCommunities.of(
                0x0002_fde9_0000_0064L, // route target 65001:100 (2-octet AS specific)
                0x0102_c000_0201_0007L, // route target 192.0.2.1:7 (IPv4 address specific)
                0x0202_fa56_ea00_0007L, // route target 4200000000:7 (4-octet AS specific)
                0x030b_0000_0000_0064L, // color 100 (opaque, RFC 9012)
                linkBandwidth, // link bandwidth, non-transitive
                0x8006_0000_0000_0000L, // flow-spec traffic-rate 0 (RFC 8955)
                0x0600_0000_0000_0001L); // EVPN MAC mobility
        byte[] longValue = new byte[300];
        for (int i = 0; i < longValue.length; i++) {
            longValue[i] = (byte) i;
        }
        return Stream.of(
                Arguments.of("ORIGIN IGP", AS4, Origin.IGP, "400101" + "00"),
                Arguments.of("ORIGIN EGP", AS4, Origin.EGP, "400101" + "01"),
                Arguments.of("ORIGIN INCOMPLETE", AS4, Origin.INCOMPLETE, "400101" + "02"),
                Arguments.of("AS_PATH, all 4 segment types, 4-octet session", AS4, allSegmentTypes(4200000000L),
                        "400224" + "0301" + "0000fc00" + "0402" + "0000fc01" + "0000fc02" + "0202" + "fa56ea00"
                                + "0000fdeb" + "0102" + "0000fde9" + "0000fdea"),
                Arguments.of("AS_PATH, all 4 segment types, 2-octet session", AS2, allSegmentTypes(AsPath.AS_TRANS),
                        "400216" + "0301" + "fc00" + "0402" + "fc01" + "fc02" + "0202" + "5ba0" + "fdeb" + "0102"
                                + "fde9" + "fdea"),
                Arguments.of("AS_PATH empty (iBGP)", AS4, AsPath.of(AttributeCode.AS_PATH, List.of()), "400200"),
                Arguments.of("NEXT_HOP", AS4, new AddressAttribute(AttributeCode.NEXT_HOP, ipv4("192.0.2.1")),
                        "400304" + "c0000201"),
                Arguments.of("MULTI_EXIT_DISC max", AS4, new Uint32Attribute(AttributeCode.MULTI_EXIT_DISC, 0xffffffffL),
                        "800404" + "ffffffff"),
                Arguments.of("LOCAL_PREF", AS4, new Uint32Attribute(AttributeCode.LOCAL_PREF, 100), "400504" + "00000064"),
                Arguments.of("ATOMIC_AGGREGATE", AS4, AtomicAggregate.INSTANCE, "400600"),
                Arguments.of("AGGREGATOR 4-octet", AS4, new Aggregator(AttributeCode.AGGREGATOR, 4200000000L,
                        ipv4("192.0.2.9")), "c00708" + "fa56ea00" + "c0000209"),
                Arguments.of("AGGREGATOR 2-octet", AS2, new Aggregator(AttributeCode.AGGREGATOR, 65001,
                        ipv4("192.0.2.9")), "c00706" + "fde9" + "c0000209"),
                Arguments.of("COMMUNITIES", AS4, Communities.of(0xfde90064, Communities.NO_EXPORT),
                        "c00808" + "fde90064" + "ffffff01"),
                Arguments.of("ORIGINATOR_ID", AS4, new AddressAttribute(AttributeCode.ORIGINATOR_ID, ipv4("10.0.0.1")),
                        "800904" + "0a000001"),
                Arguments.of("CLUSTER_LIST", AS4, new ClusterList(new int[] {ipv4("10.0.0.1"), ipv4("10.0.0.2")}),
                        "800a08" + "0a000001" + "0a000002"),
                Arguments.of("EXTENDED_COMMUNITIES, 7 types", AS4, ext,
                        "c01038" + "0002fde900000064" + "0102c00002010007" + "0202fa56ea000007" + "030b000000000064"
                                + String.format("%016x", linkBandwidth) + "8006000000000000" + "0600000000000001"),
                Arguments.of("AS4_PATH on a 2-octet session", AS2, AsPath.of(AttributeCode.AS4_PATH, List.of(
                        new AsPath.Segment(AsPath.AS_SEQUENCE, new long[] {4200000000L, 65003}))),
                        "c0110a" + "0202" + "fa56ea00" + "0000fdeb"),
                Arguments.of("AS4_AGGREGATOR on a 2-octet session", AS2, new Aggregator(AttributeCode.AS4_AGGREGATOR,
                        4200000000L, ipv4("192.0.2.9")), "c01208" + "fa56ea00" + "c0000209"),
                Arguments.of("IPV6_EXTENDED_COMMUNITIES", AS4, ipv6ExtendedCommunities(),
                        "c01928" + "0002" + "20010db8000000000000000000000001" + "0064" + "4003"
                                + "20010db8000000000000000000000002" + "0007"),
                Arguments.of("AIGP", AS4, Aigp.of(1000), "801a0b" + "01" + "000b" + "00000000000003e8"),
                Arguments.of("AIGP, largest metric", AS4, Aigp.of(-1L), "801a0b" + "01" + "000b" + "ffffffffffffffff"),
                Arguments.of("AIGP with an unknown TLV kept", AS4, Wire.decodeAttribute(0x80, AttributeCode.AIGP,
                        bytes("01000b0000000000000007" + "7f0005abcd"), AS4),
                        "801a10" + "01000b0000000000000007" + "7f0005abcd"),
                Arguments.of("LARGE_COMMUNITY", AS4, LargeCommunities.of(4200000000L, 1, 2, 65001, 0xffffffffL, 0),
                        "c02018" + "fa56ea00" + "00000001" + "00000002" + "0000fde9" + "ffffffff" + "00000000"),
                Arguments.of("OTC (RFC 9234)", AS4, new Uint32Attribute(AttributeCode.OTC, 65001), "c02304" + "0000fde9"),
                Arguments.of("unknown optional transitive", AS4, new UnknownAttribute(0xc0, 99, bytes("010203")),
                        "c06303" + "010203"),
                Arguments.of("unknown optional transitive, partial", AS4, new UnknownAttribute(0xe0, 99,
                        bytes("010203")), "e06303" + "010203"),
                Arguments.of("unknown optional non-transitive", AS4, new UnknownAttribute(0x80, 200, bytes("abcd")),
                        "80c802" + "abcd"),
                Arguments.of("unknown optional transitive, 300 octets → extended length", AS4,
                        new UnknownAttribute(0xc0, 99, longValue), "d063012c" + hex(longValue)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attributes")
    void attribute(String name, SessionOptions session, PathAttribute a, String attributeHex) {
        UpdateMessage u = announce(withMandatory(a));
        byte[] wire = encode(u, session);
        // header (19), withdrawn length 0 (2), attributes length (2), then the attribute under test
        byte[] expected = bytes(attributeHex);
        assertEquals(attributeHex, hex(Arrays.copyOfRange(wire, 23, 23 + expected.length)));
        UpdateMessage back = (UpdateMessage) roundTrip(u, session);
        assertEquals(a, back.attributes().get(0));
        assertEquals(a, back.attributes().find(a.code()));
    }

    @Test
    void attributeLongerThan255OctetsSetsExtendedLength() {
        int[] many = new int[70]; // 280 octets
        for (int i = 0; i < many.length; i++) {
            many[i] = 0xfde90000 | i;
        }
        Communities c = Communities.of(many);
        UpdateMessage u = announce(withMandatory(c));
        byte[] wire = encode(u, AS4);
        assertEquals("d0" + "08" + "0118" + "fde90000", hex(Arrays.copyOfRange(wire, 23, 31)),
                "flags 0xc0 | Extended Length, 2-octet length 280 (RFC 4271 §4.3)");
        UpdateMessage back = (UpdateMessage) roundTrip(u, AS4);
        assertEquals(0xd0, back.attributes().flags(0), "the received flags are kept for re-encoding");
        assertEquals(c, back.attributes().communities());
    }

    @Test
    void extendedLengthOnAShortAttributeIsKeptAsReceived() {
        // ORIGIN with the Extended Length bit and a 2-octet length of 1 is legal; it must re-encode as received.
        byte[] attrs = bytes("5001" + "0001" + "00" + "400200" + "400304" + "c0000201");
        byte[] body = bytes("0000" + String.format("%04x", attrs.length) + hex(attrs) + "18" + "c63364");
        byte[] msg = bytes(MARKER + String.format("%04x", 19 + body.length) + "02" + hex(body));
        UpdateMessage u = (UpdateMessage) decode(msg, AS4);
        assertEquals(Origin.IGP, u.attributes().origin());
        assertEquals(0x50, u.attributes().flags(0));
        assertArrayEquals(msg, encode(u, AS4));
    }

    @Test
    void everyAttributeInOneUpdate() {
        List<PathAttribute> all = new ArrayList<>();
        Set<Integer> codes = new java.util.HashSet<>();
        attributes().forEach(a -> {
            SessionOptions s = (SessionOptions) a.get()[1];
            PathAttribute p = (PathAttribute) a.get()[2];
            if (s == AS4 && codes.add(p.code())) {
                all.add(p);
            }
        });
        all.add(new MpReachNlri(AfiSafi.IPV6_UNICAST, ipv6("2001:db8::1"), prefixes(AfiSafi.IPV6_UNICAST, "2001:db8:1::/48")));
        all.add(new MpUnreachNlri(AfiSafi.IPV6_UNICAST, prefixes(AfiSafi.IPV6_UNICAST, "2001:db8:2::/48")));
        UpdateMessage u = UpdateMessage.of(prefixes(AfiSafi.IPV4_UNICAST, "203.0.113.0/24"), PathAttributes.of(all),
                prefixes(AfiSafi.IPV4_UNICAST, "198.51.100.0/24"));
        UpdateMessage back = (UpdateMessage) roundTrip(u, AS4);
        assertEquals(all.size(), back.attributes().size());
        assertEquals(List.of("2001:db8:1::/48"), ((PrefixList) back.mpReach().nlri()).prefixes());
    }

    // ------------------------------------------------------------------ NLRI

    static final int[] IDS3 = {1, 2, 0xffffffff};
    static final int L16001 = 16001 << 4 | 1; // label 16001, TC 0, bottom of stack
    static final int L300 = 300 << 4 | 1;
    static final int L24005_TC5_NOT_BOTTOM = 24005 << 4 | 5 << 1;

    static MpReachNlri reach(AfiSafi f, byte[] nextHop, Nlri nlri) {
        return new MpReachNlri(f, nextHop, nlri);
    }

    static UpdateMessage mpAnnounce(MpReachNlri r) {
        return UpdateMessage.of(PrefixList.empty(AfiSafi.IPV4_UNICAST), PathAttributes.of(r, Origin.IGP,
                AsPath.sequence(65001)), PrefixList.empty(AfiSafi.IPV4_UNICAST));
    }

    static UpdateMessage mpWithdraw(AfiSafi f, Nlri nlri) {
        return UpdateMessage.of(PrefixList.empty(AfiSafi.IPV4_UNICAST), PathAttributes.of(new MpUnreachNlri(f, nlri)),
                PrefixList.empty(AfiSafi.IPV4_UNICAST));
    }

    static long rd0(int asn, long assigned) {
        return (long) asn << 32 | assigned;
    }

    static long rd1(String ip, int assigned) {
        return 1L << 48 | (ipv4(ip) & 0xffffffffL) << 16 | assigned;
    }

    static long rd2(long asn, int assigned) {
        return 2L << 48 | asn << 16 | assigned;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    static Stream<Arguments> nlriCases() {
        AfiSafi v4u = AfiSafi.IPV4_UNICAST;
        AfiSafi v4m = AfiSafi.IPV4_MULTICAST;
        AfiSafi v6u = AfiSafi.IPV6_UNICAST;
        AfiSafi v6m = AfiSafi.IPV6_MULTICAST;
        AfiSafi v4l = AfiSafi.IPV4_LABELED_UNICAST;
        AfiSafi v6l = AfiSafi.IPV6_LABELED_UNICAST;
        AfiSafi vpn4 = AfiSafi.IPV4_MPLS_VPN;
        AfiSafi vpn6 = AfiSafi.IPV6_MPLS_VPN;
        String[] v4 = {"192.0.2.0/24", "198.51.100.128/25", "0.0.0.0/0"};
        String[] v6 = {"2001:db8::/32", "2001:db8:8000::/33", "::/0"};
        byte[] nh4 = bytes("c0000201");
        byte[] nh16 = ipv6("2001:db8::1");
        byte[] nh32 = concat(ipv6("2001:db8::1"), ipv6("fe80::1"));
        byte[] nhVpn4 = bytes("0000000000000000" + "c0000201");
        byte[] nhVpn6 = concat(new byte[8], ipv6("2001:db8::1"));
        byte[] flowspec = bytes("08" + "0118c00002" + "038106"); // dst 192.0.2.0/24, proto = 6 (RFC 8955)
        byte[] evpn = bytes("0311" + "0001fde900000064" + "00000000" + "20" + "c0000201"); // type 3 route (RFC 7432)
        long[] rds = {rd0(65001, 100), rd1("192.0.2.1", 7), rd2(4200000000L, 9)};
        int[][] oneLabel = {{L16001}, {L16001}, {L16001}};
        int[][] twoLabels = {{L24005_TC5_NOT_BOTTOM, L16001}, {L24005_TC5_NOT_BOTTOM, L16001},
            {L24005_TC5_NOT_BOTTOM, L16001}};
        int[][] withdrawn = {{WITHDRAWN_LABEL}, {WITHDRAWN_LABEL}, {WITHDRAWN_LABEL}};
        Set<AfiSafi> none = Set.of();
        return Stream.of(
                Arguments.of("ipv4 unicast NLRI and withdrawn", none, UpdateMessage.of(prefixes(v4u, "10.0.0.0/8"),
                        withMandatory(Origin.IGP), prefixes(v4u, v4))),
                Arguments.of("ipv4 unicast NLRI and withdrawn, ADD-PATH", Set.of(v4u), UpdateMessage.of(
                        prefixes(v4u, new int[] {7}, null, null, "10.0.0.0/8"), withMandatory(Origin.IGP),
                        prefixes(v4u, IDS3, null, null, v4))),
                Arguments.of("ipv4 unicast in MP_REACH", none, mpAnnounce(reach(v4u, nh4, prefixes(v4u, v4)))),
                Arguments.of("ipv4 unicast with IPv6 next hop (RFC 8950)", none, mpAnnounce(reach(v4u, nh16,
                        prefixes(v4u, v4)))),
                Arguments.of("ipv4 multicast", none, mpAnnounce(reach(v4m, nh4, prefixes(v4m, v4)))),
                Arguments.of("ipv4 multicast, ADD-PATH", Set.of(v4m), mpAnnounce(reach(v4m, nh4,
                        prefixes(v4m, IDS3, null, null, v4)))),
                Arguments.of("ipv6 unicast, global next hop", none, mpAnnounce(reach(v6u, nh16, prefixes(v6u, v6)))),
                Arguments.of("ipv6 unicast, global + link-local next hop", none, mpAnnounce(reach(v6u, nh32,
                        prefixes(v6u, v6)))),
                Arguments.of("ipv6 unicast, ADD-PATH", Set.of(v6u), mpAnnounce(reach(v6u, nh16,
                        prefixes(v6u, IDS3, null, null, v6)))),
                Arguments.of("ipv6 multicast", none, mpAnnounce(reach(v6m, nh16, prefixes(v6m, v6)))),
                Arguments.of("ipv6 multicast, ADD-PATH", Set.of(v6m), mpAnnounce(reach(v6m, nh16,
                        prefixes(v6m, IDS3, null, null, v6)))),
                Arguments.of("ipv6 unicast withdrawn", none, mpWithdraw(v6u, prefixes(v6u, v6))),
                Arguments.of("ipv6 unicast withdrawn, ADD-PATH", Set.of(v6u), mpWithdraw(v6u,
                        prefixes(v6u, IDS3, null, null, v6))),
                Arguments.of("ipv4 multicast withdrawn, ADD-PATH", Set.of(v4m), mpWithdraw(v4m,
                        prefixes(v4m, IDS3, null, null, v4))),
                Arguments.of("ipv4 labeled unicast, 1 label", none, mpAnnounce(reach(v4l, nh4,
                        prefixes(v4l, null, null, oneLabel, v4)))),
                Arguments.of("ipv4 labeled unicast, 2 labels", none, mpAnnounce(reach(v4l, nh4,
                        prefixes(v4l, null, null, twoLabels, v4)))),
                Arguments.of("ipv4 labeled unicast, 2 labels, ADD-PATH", Set.of(v4l), mpAnnounce(reach(v4l, nh4,
                        prefixes(v4l, IDS3, null, twoLabels, v4)))),
                Arguments.of("ipv6 labeled unicast, 1 label", none, mpAnnounce(reach(v6l, nh16,
                        prefixes(v6l, null, null, oneLabel, v6)))),
                Arguments.of("ipv6 labeled unicast, 2 labels, ADD-PATH", Set.of(v6l), mpAnnounce(reach(v6l, nh32,
                        prefixes(v6l, IDS3, null, twoLabels, v6)))),
                Arguments.of("ipv4 labeled unicast withdrawn (RFC 8277 §2.4)", none, mpWithdraw(v4l,
                        prefixes(v4l, null, null, withdrawn, v4))),
                Arguments.of("ipv6 labeled unicast withdrawn, ADD-PATH", Set.of(v6l), mpWithdraw(v6l,
                        prefixes(v6l, IDS3, null, withdrawn, v6))),
                Arguments.of("vpnv4, RD types 0/1/2", none, mpAnnounce(reach(vpn4, nhVpn4,
                        prefixes(vpn4, null, rds, oneLabel, v4)))),
                Arguments.of("vpnv4, RD types 0/1/2, 2 labels, ADD-PATH", Set.of(vpn4), mpAnnounce(reach(vpn4, nhVpn4,
                        prefixes(vpn4, IDS3, rds, twoLabels, v4)))),
                Arguments.of("vpnv6, RD types 0/1/2", none, mpAnnounce(reach(vpn6, nhVpn6,
                        prefixes(vpn6, null, rds, oneLabel, v6)))),
                Arguments.of("vpnv6 /128, 2 labels, ADD-PATH", Set.of(vpn6), mpAnnounce(reach(vpn6,
                        concat(nhVpn6, new byte[8], ipv6("fe80::1")), prefixes(vpn6, new int[] {5}, new long[] {rds[0]},
                                new int[][] {{L24005_TC5_NOT_BOTTOM, L16001}}, "2001:db8::1/128")))),
                Arguments.of("vpnv4 withdrawn", none, mpWithdraw(vpn4, prefixes(vpn4, null, rds, withdrawn, v4))),
                Arguments.of("vpnv6 withdrawn, ADD-PATH", Set.of(vpn6), mpWithdraw(vpn6,
                        prefixes(vpn6, IDS3, rds, withdrawn, v6))),
                Arguments.of("flowspec ipv4, raw", none, mpAnnounce(reach(FLOWSPEC_V4, new byte[0],
                        new RawNlri(FLOWSPEC_V4, flowspec)))),
                Arguments.of("flowspec ipv6 withdrawn, raw", none, mpWithdraw(FLOWSPEC_V6, new RawNlri(FLOWSPEC_V6,
                        bytes("0a" + "0120" + "20010db8" + "038111")))),
                Arguments.of("evpn, raw", none, mpAnnounce(reach(EVPN, nh4, new RawNlri(EVPN, evpn)))),
                Arguments.of("evpn, raw, ADD-PATH negotiated for it (bytes kept as they are)", Set.of(EVPN),
                        mpAnnounce(reach(EVPN, nh4, new RawNlri(EVPN, evpn)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nlriCases")
    void nlri(String name, Set<AfiSafi> addPath, UpdateMessage u) {
        SessionOptions session = Wire.session(true, addPath);
        UpdateMessage back = (UpdateMessage) roundTrip(u, session);
        for (Nlri[] pair : nlriPairs(u, back)) {
            if (pair[0] instanceof PrefixList want) {
                PrefixList got = assertInstanceOf(PrefixList.class, pair[1]);
                assertEquals(want.hasPathIds(), got.hasPathIds(), "path ids present");
                assertEquals(want.prefixes(), got.prefixes());
                for (int i = 0; i < want.size(); i++) {
                    assertEquals(want.pathId(i), got.pathId(i));
                    assertEquals(want.routeDistinguisher(i), got.routeDistinguisher(i));
                    assertArrayEquals(want.labels(i), got.labels(i));
                }
            } else {
                assertEquals(pair[0], pair[1]);
            }
        }
    }

    private static List<Nlri[]> nlriPairs(UpdateMessage a, UpdateMessage b) {
        List<Nlri[]> out = new ArrayList<>();
        out.add(new Nlri[] {a.withdrawn(), b.withdrawn()});
        out.add(new Nlri[] {a.nlri(), b.nlri()});
        if (a.mpReach() != null) {
            out.add(new Nlri[] {a.mpReach().nlri(), b.mpReach().nlri()});
        }
        if (a.mpUnreach() != null) {
            out.add(new Nlri[] {a.mpUnreach().nlri(), b.mpUnreach().nlri()});
        }
        return out;
    }

    @Test
    void nlriWireForms() {
        AfiSafi v4u = AfiSafi.IPV4_UNICAST;
        UpdateMessage plain = UpdateMessage.of(PrefixList.empty(v4u), withMandatory(Origin.IGP),
                prefixes(v4u, "192.0.2.0/24", "198.51.100.128/25", "0.0.0.0/0", "203.0.113.7/32"));
        byte[] wire = encode(plain, AS4);
        assertTrue(hex(wire).endsWith("18c00002" + "19c6336480" + "00" + "20cb007107"), hex(wire));

        SessionOptions addPath = Wire.session(true, Set.of(v4u));
        UpdateMessage ids = UpdateMessage.of(PrefixList.empty(v4u), withMandatory(Origin.IGP),
                prefixes(v4u, new int[] {0xfffffffe}, null, null, "192.0.2.0/24"));
        assertTrue(hex(encode(ids, addPath)).endsWith("fffffffe" + "18c00002"));

        // labeled /24 with label 16001 (S=1): 24 + 24 bits
        PrefixList lu = prefixes(AfiSafi.IPV4_LABELED_UNICAST, null, null, new int[][] {{L16001}}, "192.0.2.0/24");
        assertTrue(hex(encode(mpAnnounce(reach(AfiSafi.IPV4_LABELED_UNICAST, bytes("c0000201"), lu)), AS4))
                .contains("0001" + "04" + "04" + "c0000201" + "00" + "30" + "03e811" + "c00002"));

        // VPNv4: 24 + 24 + 64 bits, label 300, RD 65001:100
        PrefixList vpn = prefixes(AfiSafi.IPV4_MPLS_VPN, null, new long[] {rd0(65001, 100)}, new int[][] {{L300}},
                "192.0.2.0/24");
        UpdateMessage v = mpAnnounce(reach(AfiSafi.IPV4_MPLS_VPN, bytes("0000000000000000c0000201"), vpn));
        assertTrue(hex(encode(v, AS4)).contains("0001" + "80" + "0c" + "0000000000000000c0000201" + "00" + "70"
                + "0012c1" + "0000fde900000064" + "c00002"));
        UpdateMessage back = (UpdateMessage) roundTrip(v, AS4);
        PrefixList got = (PrefixList) back.mpReach().nlri();
        assertEquals("65001:100", PrefixList.formatRouteDistinguisher(got.routeDistinguisher(0)));
        assertArrayEquals(new int[] {300}, got.labels(0));
    }

    @Test
    void labelsAndRouteDistinguishersDecodeToTheirFields() {
        AfiSafi vpn6 = AfiSafi.IPV6_MPLS_VPN;
        long[] rds = {rd0(65001, 100), rd1("192.0.2.1", 7), rd2(4200000000L, 9)};
        int[][] labels = {{L24005_TC5_NOT_BOTTOM, L16001}, {L16001}, {L300}};
        UpdateMessage u = mpAnnounce(reach(vpn6, concat(new byte[8], ipv6("2001:db8::1")),
                prefixes(vpn6, null, rds, labels, "2001:db8::/32", "2001:db8:1::/48", "::/0")));
        PrefixList got = (PrefixList) ((UpdateMessage) roundTrip(u, AS4)).mpReach().nlri();
        assertEquals(List.of("65001:100", "192.0.2.1:7", "4200000000:9"), List.of(
                PrefixList.formatRouteDistinguisher(got.routeDistinguisher(0)),
                PrefixList.formatRouteDistinguisher(got.routeDistinguisher(1)),
                PrefixList.formatRouteDistinguisher(got.routeDistinguisher(2))));
        assertArrayEquals(new int[] {24005, 16001}, got.labels(0));
        assertArrayEquals(new int[] {300}, got.labels(2));
        assertArrayEquals(new int[] {L24005_TC5_NOT_BOTTOM, L16001}, got.labelFields(0), "TC and S bits kept");
        assertEquals(List.of("2001:db8::/32", "2001:db8:1::/48", "::/0"), got.prefixes());
    }

    // ------------------------------------------------------------------ End-of-RIB

    @Test
    void endOfRibIpv4Unicast() {
        UpdateMessage eor = UpdateMessage.endOfRib(AfiSafi.IPV4_UNICAST);
        assertEquals(MARKER + "0017" + "02" + "0000" + "0000", hex(encode(eor, AS4)), "RFC 4724 §2: an empty UPDATE");
        UpdateMessage back = (UpdateMessage) roundTrip(eor, AS4);
        assertEquals(AfiSafi.IPV4_UNICAST, back.endOfRib());
        assertEquals(AfiSafi.IPV4_UNICAST,
                ((UpdateMessage) roundTrip(eor, Wire.session(true, Set.of(AfiSafi.IPV4_UNICAST)))).endOfRib());
    }

    static Stream<AfiSafi> endOfRibFamilies() {
        return Stream.of(AfiSafi.IPV6_UNICAST, AfiSafi.IPV4_MULTICAST, AfiSafi.IPV6_MULTICAST,
                AfiSafi.IPV4_LABELED_UNICAST, AfiSafi.IPV6_LABELED_UNICAST, AfiSafi.IPV4_MPLS_VPN,
                AfiSafi.IPV6_MPLS_VPN, FLOWSPEC_V4, FLOWSPEC_V6, EVPN, AfiSafi.of(AfiSafi.AFI_BGP_LS, AfiSafi.SAFI_BGP_LS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endOfRibFamilies")
    void endOfRibMultiprotocol(AfiSafi family) {
        UpdateMessage eor = UpdateMessage.endOfRib(family);
        assertEquals(family, eor.endOfRib());
        String expected = MARKER + "001d" + "02" + "0000" + "0006" + "800f03" + String.format("%04x%02x",
                family.afi(), family.safi());
        assertEquals(expected, hex(encode(eor, AS4)), "RFC 4724 §2: only an empty MP_UNREACH_NLRI");
        UpdateMessage back = (UpdateMessage) roundTrip(eor, Wire.session(true, Set.of(family)));
        assertEquals(family, back.endOfRib());
    }

    @Test
    void emptyMpUnreachWithOtherAttributesIsNotEndOfRib() {
        UpdateMessage u = UpdateMessage.of(PrefixList.empty(AfiSafi.IPV4_UNICAST), PathAttributes.of(
                new MpUnreachNlri(AfiSafi.IPV6_UNICAST, PrefixList.empty(AfiSafi.IPV6_UNICAST)),
                Communities.of(Communities.NO_EXPORT)), PrefixList.empty(AfiSafi.IPV4_UNICAST));
        assertNull(((UpdateMessage) roundTrip(u, AS4)).endOfRib());
    }

    /** Every message type appears above; this guards the list against a type added later. */
    @Test
    void everyMessageTypeIsCovered() {
        Set<MessageType> seen = java.util.EnumSet.noneOf(MessageType.class);
        for (BgpMessage m : List.of(KeepaliveMessage.INSTANCE, RouteRefreshMessage.request(AfiSafi.IPV4_UNICAST),
                new NotificationMessage(BgpError.CEASE, null), UpdateMessage.endOfRib(AfiSafi.IPV4_UNICAST),
                OpenMessage.of(65001, 90, BGP_ID, List.of()))) {
            seen.add(roundTrip(m, AS4).type());
        }
        assertEquals(java.util.EnumSet.allOf(MessageType.class), seen);
    }
}
