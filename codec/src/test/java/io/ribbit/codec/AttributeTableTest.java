package io.ribbit.codec;

import static io.ribbit.codec.Wire.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.AttributeDescriptor;
import io.ribbit.codec.attr.AttributeTable;
import io.ribbit.codec.attr.PathAttribute;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.attr.PathAttributesCodec;
import io.ribbit.codec.attr.UnknownAttribute;
import io.ribbit.codec.attr.UpdateDecodeContext;
import io.ribbit.codec.error.BgpDecodeException;
import io.ribbit.codec.error.ErrorAction;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link AttributeTable} agrees with itself and with the RFCs: every row can decode and encode
 * a sample value, flags match the attribute's class, names are unique, rows come in code order,
 * and each row's RFC 7606 action is the one its RFC prescribes. The expectations are written
 * out here from the RFCs, not read back from the table.
 */
class AttributeTableTest {
    private static final int WM = AttributeCode.FLAG_TRANSITIVE; // well-known mandatory
    private static final int WD = AttributeCode.FLAG_TRANSITIVE; // well-known discretionary
    private static final int OT = AttributeCode.FLAG_OPTIONAL | AttributeCode.FLAG_TRANSITIVE;
    private static final int ON = AttributeCode.FLAG_OPTIONAL;

    private static final ErrorAction TAW = ErrorAction.TREAT_AS_WITHDRAW;
    private static final ErrorAction DISCARD = ErrorAction.ATTRIBUTE_DISCARD;
    private static final ErrorAction RESET = ErrorAction.SESSION_RESET;

    /** Code → class, RFC 7606 action, and a well-formed value (hex) on a 4-octet session. */
    private record Expect(int flags, ErrorAction action, String value) {
    }

    private static final Map<Integer, Expect> RFC = new LinkedHashMap<>();

    static {
        RFC.put(1, new Expect(WM, TAW, "02")); // ORIGIN, RFC 4271 §5.1.1; RFC 7606 §7.1
        RFC.put(2, new Expect(WM, TAW, "0202" + "0000fde9" + "fa56ea00")); // AS_PATH; §7.2
        RFC.put(3, new Expect(WM, TAW, "c0000201")); // NEXT_HOP; §7.3
        RFC.put(4, new Expect(ON, TAW, "00000064")); // MULTI_EXIT_DISC; §7.4
        RFC.put(5, new Expect(WD, TAW, "00000064")); // LOCAL_PREF; §7.5
        RFC.put(6, new Expect(WD, DISCARD, "")); // ATOMIC_AGGREGATE; §7.6
        RFC.put(7, new Expect(OT, DISCARD, "fa56ea00" + "c0000209")); // AGGREGATOR; §7.7
        RFC.put(8, new Expect(OT, TAW, "fde90064")); // COMMUNITIES, RFC 1997; §7.8
        RFC.put(9, new Expect(ON, TAW, "0a000001")); // ORIGINATOR_ID, RFC 4456; §7.9
        RFC.put(10, new Expect(ON, TAW, "0a000001" + "0a000002")); // CLUSTER_LIST; §7.10
        RFC.put(14, new Expect(ON, RESET, "0002" + "01" + "10" + "20010db8000000000000000000000001" + "00"
                + "20" + "20010db8")); // MP_REACH_NLRI, RFC 4760; §7.11
        RFC.put(15, new Expect(ON, RESET, "0002" + "01" + "20" + "20010db8")); // MP_UNREACH_NLRI; §7.11
        RFC.put(16, new Expect(OT, TAW, "0002fde900000064")); // EXTENDED_COMMUNITIES, RFC 4360; §7.14
        RFC.put(17, new Expect(OT, DISCARD, "0201" + "fa56ea00")); // AS4_PATH, RFC 6793 §6
        RFC.put(18, new Expect(OT, DISCARD, "fa56ea00" + "c0000209")); // AS4_AGGREGATOR, RFC 6793 §6
        RFC.put(25, new Expect(OT, TAW, "0002" + "20010db8000000000000000000000001" + "0064")); // RFC 5701
        RFC.put(26, new Expect(ON, DISCARD, "01000b00000000000003e8")); // AIGP, RFC 7311 §3.2
        RFC.put(32, new Expect(OT, TAW, "fa56ea00" + "00000001" + "00000002")); // LARGE_COMMUNITY, RFC 8092 §6
        RFC.put(35, new Expect(OT, TAW, "0000fde9")); // OTC, RFC 9234 §5
    }

    @Test
    void rowsAreTheAttributesTheRfcsDefineInCodeOrder() {
        List<AttributeDescriptor> rows = AttributeTable.rows();
        assertEquals(List.copyOf(RFC.keySet()), rows.stream().map(AttributeDescriptor::code).toList(),
                "rows() lists exactly the modelled codes, ascending");
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(rows.get(i - 1).code() < rows.get(i).code());
        }
    }

    @Test
    void getAgreesWithRows() {
        Set<Integer> codes = new HashSet<>();
        for (AttributeDescriptor d : AttributeTable.rows()) {
            assertSame(d, AttributeTable.get(d.code()));
            codes.add(d.code());
        }
        for (int code = 0; code < 256; code++) {
            if (!codes.contains(code)) {
                assertNull(AttributeTable.get(code), "code " + code + " has a row that rows() does not list");
            }
        }
    }

    @Test
    void everyRowHasDecoderEncoderErrorAndSource() {
        for (AttributeDescriptor d : AttributeTable.rows()) {
            assertNotNull(d.decoder(), d.name());
            assertNotNull(d.encoder(), d.name());
            assertNotNull(d.error(), d.name());
            assertNotNull(d.onMalformed(), d.name());
            assertTrue(d.rfc() != null && d.rfc().startsWith("RFC "), d.name() + ": " + d.rfc());
            assertTrue(d.name() != null && d.name().matches("[a-z0-9_]+"), "name " + d.name());
        }
    }

    @Test
    void namesAreUnique() {
        Set<String> names = new HashSet<>();
        for (AttributeDescriptor d : AttributeTable.rows()) {
            assertTrue(names.add(d.name()), "duplicate name " + d.name());
        }
    }

    @Test
    void flagsMatchTheAttributeClassOfItsRfc() {
        for (AttributeDescriptor d : AttributeTable.rows()) {
            Expect e = RFC.get(d.code());
            assertEquals(e.flags(), d.flags(), d.name() + " flags");
            assertEquals((e.flags() & AttributeCode.FLAG_OPTIONAL) != 0, d.optional(), d.name());
            assertEquals((e.flags() & AttributeCode.FLAG_TRANSITIVE) != 0, d.transitive(), d.name());
            assertEquals(0, d.flags() & (AttributeCode.FLAG_PARTIAL | AttributeCode.FLAG_EXTENDED_LENGTH),
                    d.name() + ": a row's flags hold only the class bits");
        }
    }

    @Test
    void malformedActionIsTheOneTheRfcPrescribes() {
        for (AttributeDescriptor d : AttributeTable.rows()) {
            assertEquals(RFC.get(d.code()).action(), d.onMalformed(), d.name() + " (" + d.rfc() + ")");
        }
    }

    /**
     * Each row decodes its sample into a value of its own code, and its encoder writes the same
     * octets back: a row whose decoder and encoder disagree fails here.
     */
    @Test
    void everyRowDecodesAndReEncodesItsSample() {
        SessionOptions session = Wire.session(true, Set.of());
        for (AttributeDescriptor d : AttributeTable.rows()) {
            byte[] value = bytes(RFC.get(d.code()).value());
            PathAttribute a = Wire.decodeAttribute(d.flags(), d.code(), value, session);
            assertFalse(a instanceof UnknownAttribute, d.name());
            assertEquals(d.code(), a.code(), d.name() + " decodes to a value of its own code");
            byte[] header = {(byte) d.flags(), (byte) d.code(), (byte) value.length};
            assertEquals(Wire.hex(header) + Wire.hex(value), Wire.hex(encodeOne(a, session)), d.name());
        }
    }

    /** With flags 0 ("the table's"), PathAttributes writes each row's own class flags. */
    @Test
    void defaultFlagsComeFromTheTable() {
        SessionOptions session = Wire.session(true, Set.of());
        for (AttributeDescriptor d : AttributeTable.rows()) {
            PathAttribute a = Wire.decodeAttribute(d.flags(), d.code(), bytes(RFC.get(d.code()).value()), session);
            assertEquals(d.flags(), PathAttributes.of(a).flags(0), d.name());
        }
    }

    @Test
    void wrongClassFlagsAreAFlagsErrorForEveryRow() {
        SessionOptions session = Wire.session(true, Set.of());
        for (AttributeDescriptor d : AttributeTable.rows()) {
            byte[] value = bytes(RFC.get(d.code()).value());
            int wrong = d.flags() ^ AttributeCode.FLAG_TRANSITIVE;
            ByteBuf in = ByteBufAllocator.DEFAULT.buffer();
            try {
                in.writeByte(wrong).writeByte(d.code()).writeByte(value.length).writeBytes(value);
                UpdateDecodeContext ctx = new UpdateDecodeContext();
                ctx.begin(session);
                if (d.onMalformed() == ErrorAction.SESSION_RESET) {
                    // RFC 7606 §5.3: MP_REACH_NLRI / MP_UNREACH_NLRI with wrong flags are incorrect,
                    // which §7.11 handles by session reset; §3(c) yields to that.
                    BgpDecodeException e = org.junit.jupiter.api.Assertions.assertThrows(BgpDecodeException.class,
                            () -> PathAttributesCodec.decode(in, in.writerIndex(), ctx), d.name());
                    assertEquals(d.error(), e.error(), d.name());
                    continue;
                }
                PathAttributesCodec.decode(in, in.writerIndex(), ctx);
                ctx.end();
                assertEquals(ErrorAction.TREAT_AS_WITHDRAW, ctx.strongest(), d.name() + " with flags 0x"
                        + Integer.toHexString(wrong) + " (RFC 7606 §3(c))");
            } finally {
                in.release();
            }
        }
    }

    private static byte[] encodeOne(PathAttribute a, SessionOptions session) {
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        try {
            PathAttributesCodec.encode(PathAttributes.of(a), out, session);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }
}
