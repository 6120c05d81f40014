package io.ribbit.rib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ribbit.codec.SessionOptions;
import io.ribbit.codec.attr.UpdateDecodeContext;
import io.ribbit.codec.message.MessageCodec;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.nlri.AfiSafi;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Routes of a decoded UPDATE are interned from the received attribute bytes (no value built);
 * routes of the same UPDATE built in code are interned by re-encoding. Both must give the same
 * canonical bytes, hence the same set, or a table would hold two copies of one path.
 */
class ReceivedBytesTest {
    @Test
    void receivedAndBuiltAttributesInternToOneSet() {
        AttributeStore store = new AttributeStore(16, 16);
        UpdateMessage built = Routes.announce(Routes.v4("1.0.0.0/24", "1.0.1.0/24"),
                Routes.path("192.0.2.1", 7, 3356, 1299, 13335));
        ByteBuf wire = Unpooled.buffer();
        MessageCodec.encode(built, wire, SessionOptions.AS4);
        UpdateMessage received = (UpdateMessage) MessageCodec.decode(wire, SessionOptions.AS4, new UpdateDecodeContext());
        wire.release();
        assertNotNull(received.attributes().rawNoCopy(), "decoded attributes keep their bytes");

        AdjRibIn a = new AdjRibIn(store);
        AdjRibIn b = new AdjRibIn(store);
        a.apply(received);
        b.apply(built);
        assertEquals(1, store.size(), "one set for both");
        RouteKey k = RouteKey.of(received.nlri(), 0);
        assertEquals(a.get(k), b.get(k));
        assertEquals(13335, a.get(k).attributes().asPath().originAs());
        assertEquals(2, a.size(AfiSafi.IPV4_UNICAST));
    }

    static final String ORIGIN = "40010100";
    static final String AS_PATH = "40020a02020000 0d1c00000513".replace(" ", "");
    static final String NEXT_HOP = "400304c0000201";
    static final String MED = "80040400000007";
    /** IPv6 unicast, next hop 2001:db8::1, NLRI 2001:db8::/32. */
    static final String MP_REACH = "800e1a000201102001" + "0db8" + "0".repeat(22) + "01" + "00" + "2020010db8";
    /** IPv6 unicast, 2001:db8:1::/48 withdrawn. */
    static final String MP_UNREACH = "800f0a000201302001" + "0db80001";
    /** 25 large communities (300 octets): an extended-length attribute. */
    static final String LARGE = "d020012c" + "0000000d0000000100000002".repeat(25);
    /** ATOMIC_AGGREGATE with a length of 1: discarded (RFC 7606 §7.6). */
    static final String BAD_ATOMIC = "40060100";

    /** An UPDATE with these attributes (hex) and IPv4 NLRI (hex), decoded on a 4-octet session. */
    static UpdateMessage received(List<String> attributes, String nlri) {
        HexFormat hex = HexFormat.of();
        byte[] attrs = hex.parseHex(String.join("", attributes));
        byte[] n = hex.parseHex(nlri);
        ByteBuf wire = Unpooled.buffer();
        wire.writeBytes(hex.parseHex("ff".repeat(16))) // RFC 4271 §4.1: marker, length, type
                .writeShort(19 + 4 + attrs.length + n.length).writeByte(2)
                .writeShort(0).writeShort(attrs.length).writeBytes(attrs).writeBytes(n); // §4.3
        try {
            return (UpdateMessage) MessageCodec.decode(wire, SessionOptions.AS4, new UpdateDecodeContext());
        } finally {
            wire.release();
        }
    }

    static byte[] copy(PathAttributes a) {
        ByteBuf out = Unpooled.buffer();
        try {
            AttributeBytes.copyWithoutMp(a.rawNoCopy(), a, out);
            byte[] b = new byte[out.readableBytes()];
            out.readBytes(b);
            return b;
        } finally {
            out.release();
        }
    }

    /**
     * What is interned is every received attribute but MP_REACH_NLRI and MP_UNREACH_NLRI, wherever
     * they are: a whole field without them in one copy, else attribute by attribute (a whole
     * field's headers walked once; a field with a discarded attribute by the kept ones' starts).
     */
    @Test
    void everyAttributeButMpReachAndMpUnreachIsCopied() {
        HexFormat hex = HexFormat.of();
        record Case(List<String> attributes, String nlri, boolean whole, String want) {
        }
        List<Case> cases = List.of(
                new Case(List.of(ORIGIN, AS_PATH, NEXT_HOP, MED), "18010000", true, ORIGIN + AS_PATH + NEXT_HOP + MED),
                new Case(List.of(MP_REACH, ORIGIN, AS_PATH, MED, LARGE), "", true, ORIGIN + AS_PATH + MED + LARGE),
                new Case(List.of(ORIGIN, MP_REACH, AS_PATH, NEXT_HOP, MED, MP_UNREACH), "18010000", true,
                        ORIGIN + AS_PATH + NEXT_HOP + MED),
                new Case(List.of(MP_UNREACH, ORIGIN, AS_PATH, LARGE, MP_REACH), "", true, ORIGIN + AS_PATH + LARGE),
                new Case(List.of(ORIGIN, AS_PATH, MP_UNREACH, MP_REACH, MED), "", true, ORIGIN + AS_PATH + MED),
                new Case(List.of(ORIGIN, AS_PATH, BAD_ATOMIC, NEXT_HOP, MED), "18010000", false,
                        ORIGIN + AS_PATH + NEXT_HOP + MED),
                new Case(List.of(ORIGIN, MP_REACH, AS_PATH, BAD_ATOMIC, LARGE, MP_UNREACH), "", false,
                        ORIGIN + AS_PATH + LARGE));
        for (Case c : cases) {
            UpdateMessage u = received(c.attributes(), c.nlri());
            assertEquals(c.whole(), u.problems().isEmpty(), () -> c + ": " + u.problems());
            PathAttributes a = u.attributes();
            assertEquals(c.whole(), a.receivedWhole(), c::toString);
            assertArrayEquals(hex.parseHex(c.want()), copy(a), c::toString);
        }
    }

    /** A discarded attribute leaves a field that is not whole: the copy skips it. */
    @Test
    void aDiscardedAttributeIsNotInterned() {
        UpdateMessage u = received(List.of(ORIGIN, AS_PATH, BAD_ATOMIC, NEXT_HOP, MED), "18010000");
        assertFalse(u.problems().isEmpty(), "the malformed ATOMIC_AGGREGATE is reported");
        assertFalse(u.attributes().receivedWhole());
        AdjRibIn rib = new AdjRibIn(new AttributeStore(16, 16));
        rib.apply(u);
        Route r = rib.get(RouteKey.of(u.nlri(), 0));
        assertFalse(r.attributes().atomicAggregate(), "discarded (RFC 7606 §7.6)");
        assertEquals(7, r.attributes().med());
        UpdateMessage clean = received(List.of(ORIGIN, AS_PATH, NEXT_HOP, MED), "18010000");
        AdjRibIn other = new AdjRibIn(rib.store());
        other.apply(clean);
        assertEquals(1, rib.store().size(), "the same set as the UPDATE without the discarded attribute");
    }
}
