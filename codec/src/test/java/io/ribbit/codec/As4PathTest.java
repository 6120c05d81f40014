package io.ribbit.codec;

import static io.ribbit.codec.Wire.ipv4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ribbit.codec.attr.AddressAttribute;
import io.ribbit.codec.attr.Aggregator;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AsPath.Segment;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.Origin;
import io.ribbit.codec.attr.PathAttribute;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RFC 6793 §4.2.2 (sending to a 2-octet speaker) and §4.2.3 (rebuilding the path it received). */
class As4PathTest {
    static final SessionOptions AS2 = Wire.session(false, Set.of());
    static final SessionOptions AS4 = Wire.session(true, Set.of());
    static final long T = AsPath.AS_TRANS;

    static Segment seq(long... asns) {
        return new Segment(AsPath.AS_SEQUENCE, asns);
    }

    static Segment set(long... asns) {
        return new Segment(AsPath.AS_SET, asns);
    }

    static Segment confedSeq(long... asns) {
        return new Segment(AsPath.AS_CONFED_SEQUENCE, asns);
    }

    static AsPath asPath(Segment... s) {
        return AsPath.of(AttributeCode.AS_PATH, List.of(s));
    }

    static AsPath as4Path(Segment... s) {
        return AsPath.of(AttributeCode.AS4_PATH, List.of(s));
    }

    static List<Integer> types(AsPath p) {
        List<Integer> out = new ArrayList<>();
        p.segments().forEach(s -> out.add(s.type()));
        return out;
    }

    // ------------------------------------------------------------ AsPath.reconstruct

    @Test
    void leadingAsnsOfAsPathThenAs4Path() {
        AsPath merged = AsPath.reconstruct(asPath(seq(65001, T, T, 65004)), as4Path(seq(4200000001L, 4200000002L, 65004)));
        assertArrayEquals(new long[] {65001, 4200000001L, 4200000002L, 65004}, merged.asns());
        assertEquals(4, merged.length(), "as many ASNs as AS_PATH had");
        assertEquals(AttributeCode.AS_PATH, merged.code());
        assertEquals(65001, merged.firstAs());
        assertEquals(65004, merged.originAs());
    }

    @Test
    void equalCountsTakeAs4PathWhole() {
        AsPath merged = AsPath.reconstruct(asPath(seq(T, 65002)), as4Path(seq(4200000001L, 65002)));
        assertArrayEquals(new long[] {4200000001L, 65002}, merged.asns());
    }

    @Test
    void as4PathLongerThanAsPathIsIgnored() {
        AsPath raw = asPath(seq(65001));
        assertSame(raw, AsPath.reconstruct(raw, as4Path(seq(4200000001L, 65002))));
    }

    @Test
    void noAs4PathKeepsAsPath() {
        AsPath raw = asPath(seq(65001, T));
        assertSame(raw, AsPath.reconstruct(raw, null));
    }

    @Test
    void anAsSetCountsOne() {
        // AS_PATH counts 2 + 1 = 3, AS4_PATH counts 1 + 1 = 2: keep one leading ASN.
        AsPath merged = AsPath.reconstruct(asPath(seq(65001, T), set(T, 65005)),
                as4Path(seq(4200000001L), set(4200000002L, 65005)));
        assertArrayEquals(new long[] {65001, 4200000001L, 4200000002L, 65005}, merged.asns());
        assertEquals(3, merged.length());
        assertEquals(List.of(AsPath.AS_SEQUENCE, AsPath.AS_SEQUENCE, AsPath.AS_SET), types(merged));
        // and AS_PATH with a set shorter than AS4_PATH counted this way is ignored
        AsPath raw = asPath(set(T, 65005, 65006));
        assertSame(raw, AsPath.reconstruct(raw, as4Path(seq(4200000001L, 65005))));
    }

    @Test
    void confederationSegmentsCountZeroAndArePrepended() {
        AsPath merged = AsPath.reconstruct(asPath(confedSeq(64512), seq(65001, T)), as4Path(seq(4200000001L)));
        assertEquals(List.of(AsPath.AS_CONFED_SEQUENCE, AsPath.AS_SEQUENCE, AsPath.AS_SEQUENCE), types(merged));
        assertArrayEquals(new long[] {64512, 65001, 4200000001L}, merged.asns());
        assertEquals(2, merged.length());
    }

    @Test
    void leadingConfederationSegmentIsKeptWhenCountsAreEqual() {
        // RFC 6793 §4.2.3: a confederation segment "SHALL be prepended if it is either the leading
        // path segment or is adjacent to a path segment that is prepended" — AS4_PATH never has one.
        AsPath merged = AsPath.reconstruct(asPath(confedSeq(64512), seq(T, 65002)), as4Path(seq(4200000001L, 65002)));
        assertEquals(List.of(AsPath.AS_CONFED_SEQUENCE, AsPath.AS_SEQUENCE), types(merged));
        assertArrayEquals(new long[] {64512, 4200000001L, 65002}, merged.asns());
        assertTrue(merged.hasConfederationSegments());
    }

    // ------------------------------------------------------------ through a 2-octet session UPDATE

    /** An UPDATE with {@code attrs} (plus ORIGIN and NEXT_HOP), sent and received on {@code session}. */
    static PathAttributes received(SessionOptions session, PathAttribute... attrs) {
        List<PathAttribute> list = new ArrayList<>(Arrays.asList(attrs));
        list.add(Origin.IGP);
        list.add(new AddressAttribute(AttributeCode.NEXT_HOP, ipv4("192.0.2.254")));
        UpdateMessage u = UpdateMessage.of(PrefixList.empty(AfiSafi.IPV4_UNICAST), PathAttributes.of(list),
                Wire.prefixes(AfiSafi.IPV4_UNICAST, "198.51.100.0/24"));
        return ((UpdateMessage) Wire.roundTrip(u, session)).attributes();
    }

    static Aggregator aggregator(long asn) {
        return new Aggregator(AttributeCode.AGGREGATOR, asn, ipv4("192.0.2.9"));
    }

    static Aggregator as4Aggregator(long asn) {
        return new Aggregator(AttributeCode.AS4_AGGREGATOR, asn, ipv4("192.0.2.10"));
    }

    @Test
    void twoOctetSessionRebuildsThePathFromAs4Path() {
        AsPath raw = asPath(seq(65001, T, 65003));
        PathAttributes a = received(AS2, raw, as4Path(seq(4200000000L, 65003)));
        assertArrayEquals(new long[] {65001, 4200000000L, 65003}, a.asPath().asns());
        assertEquals(raw, a.rawAsPath(), "AS_PATH itself is kept as received");
        assertEquals(4200000000L, a.asPath().segments().get(a.asPath().segments().size() - 1).asns()[0]);
    }

    @Test
    void twoOctetSessionIgnoresAs4PathLongerThanAsPath() {
        AsPath raw = asPath(seq(T));
        PathAttributes a = received(AS2, raw, as4Path(seq(4200000000L, 65003)));
        assertEquals(raw, a.asPath());
    }

    @Test
    void aggregatorNotAsTransWithAs4AggregatorIgnoresBothAs4Attributes() {
        AsPath raw = asPath(seq(65001, T, 65003));
        PathAttributes a = received(AS2, raw, as4Path(seq(4200000000L, 65003)), aggregator(65010),
                as4Aggregator(4200000009L));
        assertEquals(raw, a.asPath(), "AS_PATH is the path (RFC 6793 §4.2.3)");
        assertEquals(aggregator(65010), a.aggregator(), "AGGREGATOR is the aggregating node");
    }

    @Test
    void aggregatorAsTransWithAs4AggregatorUsesBothAs4Attributes() {
        PathAttributes a = received(AS2, asPath(seq(65001, T, 65003)), as4Path(seq(4200000000L, 65003)),
                aggregator(T), as4Aggregator(4200000009L));
        assertArrayEquals(new long[] {65001, 4200000000L, 65003}, a.asPath().asns());
        assertEquals(as4Aggregator(4200000009L), a.aggregator());
    }

    @Test
    void aggregatorWithoutAs4AggregatorDoesNotStopTheRebuild() {
        // The "ignore AS4_PATH" rule applies "when both of the attributes are received" (RFC 6793
        // §4.2.3). An old speaker that aggregated puts only AGGREGATOR (its own 2-octet AS).
        PathAttributes a = received(AS2, asPath(seq(65001, T, 65003)), as4Path(seq(4200000000L, 65003)),
                aggregator(65010));
        assertArrayEquals(new long[] {65001, 4200000000L, 65003}, a.asPath().asns());
        assertEquals(aggregator(65010), a.aggregator());
    }

    @Test
    void fourOctetSessionIgnoresAs4Path() {
        AsPath raw = asPath(seq(65001, 4200000000L, 65003));
        PathAttributes a = received(AS4, raw, as4Path(seq(1, 2)));
        assertEquals(raw, a.asPath(), "between 4-octet speakers AS_PATH is the path (RFC 6793 §4.1)");
    }

    @Test
    void sendingToATwoOctetSpeakerWritesAsTrans() {
        // RFC 6793 §4.2.2: ASNs that do not fit 2 octets become AS_TRANS in AS_PATH and AGGREGATOR.
        UpdateMessage u = UpdateMessage.of(PrefixList.empty(AfiSafi.IPV4_UNICAST), PathAttributes.of(
                AsPath.sequence(65001, 4200000000L, 65003), aggregator(4200000009L)),
                PrefixList.empty(AfiSafi.IPV4_UNICAST));
        byte[] wire = Wire.encode(u, AS2);
        assertEquals("400208" + "0203" + "fde9" + "5ba0" + "fdeb" + "c00706" + "5ba0" + "c0000209",
                Wire.hex(Arrays.copyOfRange(wire, 23, wire.length)));
        PathAttributes back = ((UpdateMessage) Wire.decode(wire, AS2)).attributes();
        assertArrayEquals(new long[] {65001, T, 65003}, back.asPath().asns());
        assertEquals(T, back.aggregator().asn());
        // the same on a 4-octet session keeps the ASNs
        assertEquals(u, Wire.roundTrip(u, AS4));
    }
}
