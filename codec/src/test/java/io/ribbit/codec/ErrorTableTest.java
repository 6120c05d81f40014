package io.ribbit.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.ribbit.codec.ErrorVectors.Check;
import io.ribbit.codec.ErrorVectors.Outcome;
import io.ribbit.codec.ErrorVectors.Problem;
import io.ribbit.codec.ErrorVectors.Row;
import io.ribbit.codec.attr.AttributeDescriptor;
import io.ribbit.codec.attr.AttributeTable;
import io.ribbit.codec.attr.UpdateDecodeContext;
import io.ribbit.codec.error.BgpError;
import io.ribbit.codec.error.ErrorAction;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.MalformedMessage;
import io.ribbit.codec.message.MessageCodec;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.PrefixList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The RFC error table ({@link ErrorVectors}): every row decoded with {@link MessageCodec#decode},
 * asserting the exact outcome — the RFC 7606 action, the exact problems, and for a session reset
 * the exact NOTIFICATION (code, subcode, data) as it would be written to the wire.
 */
class ErrorTableTest {
    static Stream<Row> rows() {
        return ErrorVectors.rows();
    }

    /** Decodes one whole message the way {@link BgpMessageDecoder} does, releasing the buffer. */
    static BgpMessage decode(byte[] wire, SessionOptions options) {
        ByteBuf buf = Unpooled.wrappedBuffer(wire);
        try {
            BgpMessage m = MessageCodec.decode(buf, options, new UpdateDecodeContext());
            assertEquals(0, buf.readerIndex(), "decode must leave the reader index alone");
            return m;
        } finally {
            assertTrue(buf.release());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void outcome(Row row) {
        BgpMessage m = decode(row.wire(), row.options());
        Outcome want = row.outcome();
        if (want.reset()) {
            MalformedMessage bad = assertInstanceOf(MalformedMessage.class, m,
                    () -> "expected a session reset, got " + m);
            assertEquals(want.error(), bad.error(), bad::toString);
            assertEquals(want.data(), MessageBytes.hex(bad.data()), "NOTIFICATION data");
            assertEquals(MessageBytes.hex(MessageBytes.notification(want.error().code(), want.error().subcode(),
                    want.data())), MessageBytes.hex(encode(bad, row.options())), "NOTIFICATION on the wire");
            return;
        }
        assertFalse(m instanceof MalformedMessage, () -> "expected " + want + ", got " + m);
        assertEquals(want.type(), m.type());
        if (m instanceof UpdateMessage u) {
            assertEquals(want.action(), u.action(), () -> "action of " + u);
            assertEquals(want.problems(), problems(u), "problems");
            if (u.action() == ErrorAction.TREAT_AS_WITHDRAW) {
                // RFC 7606 §5.2: a treat-as-withdraw that withdraws nothing must have become a reset.
                assertTrue(announces(u), "treat-as-withdraw of an UPDATE that announces nothing");
            }
        } else {
            assertEquals(ErrorAction.NONE, want.action(), "only UPDATEs carry an RFC 7606 action");
        }
        for (Check c : want.checks()) {
            assertTrue(c.test().test(m), () -> c.what() + " in " + m);
        }
    }

    static List<Problem> problems(UpdateMessage u) {
        return u.problems().stream().map(p -> new Problem(p.action(), p.error(), p.attributeCode())).toList();
    }

    static boolean announces(UpdateMessage u) {
        return !u.nlri().isEmpty() || u.mpReach() != null && !u.mpReach().nlri().isEmpty();
    }

    static byte[] encode(BgpMessage m, SessionOptions options) {
        ByteBuf out = Unpooled.buffer();
        try {
            MessageCodec.encode(m, out, options);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    /** The errors a problem can carry that are about the attribute list, not one attribute's value. */
    private static final Set<BgpError> NOT_ABOUT_THE_VALUE = Set.of(BgpError.ATTRIBUTE_FLAGS_ERROR,
            BgpError.MISSING_WELL_KNOWN_ATTRIBUTE, BgpError.MALFORMED_ATTRIBUTE_LIST);

    @Test
    @DisplayName("RFC 7606 §7: every AttributeTable row has a vector for its own malformation action")
    void everyAttributeRowIsCovered() {
        List<Row> all = rows().toList();
        for (AttributeDescriptor d : AttributeTable.rows()) {
            boolean covered;
            if (d.onMalformed() == ErrorAction.SESSION_RESET) {
                covered = all.stream().map(Row::outcome).anyMatch(o -> o.reset() && o.error() == d.error()
                        && MessageBytes.hex(o.data()).length > 1 && (MessageBytes.hex(o.data())[1] & 0xff) == d.code());
            } else {
                covered = all.stream().flatMap(r -> r.outcome().problems().stream())
                        .anyMatch(p -> p.code() == d.code() && p.action() == d.onMalformed()
                                && !NOT_ABOUT_THE_VALUE.contains(p.error()));
            }
            assertTrue(covered, () -> d.name() + " (" + d.code() + ", " + d.rfc() + "): no row shows its "
                    + d.onMalformed() + " malformation");
        }
    }

    @Test
    @DisplayName("RFC 7606 §7: value malformations in the table cost what the AttributeTable row says")
    void valueProblemsMatchTheTable() {
        for (Row r : rows().toList()) {
            for (Problem p : r.outcome().problems()) {
                AttributeDescriptor d = p.code() < 0 ? null : AttributeTable.get(p.code());
                if (d != null && !NOT_ABOUT_THE_VALUE.contains(p.error()) && !r.rule().contains("§4")) {
                    assertEquals(d.onMalformed(), p.action(), () -> r + ": " + p);
                }
            }
        }
    }

    @Test
    @DisplayName("The table is not trivially small and its rule names cite an RFC section")
    void tableShape() {
        List<Row> all = rows().toList();
        assertTrue(all.size() >= 100, "rows: " + all.size());
        String uncited = all.stream().map(Row::rule).filter(n -> !n.startsWith("RFC ") || !n.contains("§"))
                .collect(Collectors.joining("\n"));
        assertEquals("", uncited);
        long resets = all.stream().filter(r -> r.outcome().reset()).count();
        long withdraws = all.stream().filter(r -> r.outcome().action() == ErrorAction.TREAT_AS_WITHDRAW).count();
        long discards = all.stream().filter(r -> r.outcome().action() == ErrorAction.ATTRIBUTE_DISCARD).count();
        long fine = all.stream().filter(r -> r.outcome().action() == ErrorAction.NONE).count();
        assertTrue(resets > 0 && withdraws > 0 && discards > 0 && fine > 0, resets + "/" + withdraws + "/" + discards
                + "/" + fine);
    }

    @Test
    @DisplayName("RFC 7606 §2: treat-as-withdraw keeps the announced prefixes for the receiver to withdraw")
    void treatAsWithdrawKeepsThePrefixes() {
        BgpMessage m = decode(MessageBytes.announce().replace(1, "40 01 01 03").nlri("08 0a 18 c00002").bytes(),
                ErrorVectors.TWO_OCTET);
        UpdateMessage u = assertInstanceOf(UpdateMessage.class, m);
        assertTrue(u.treatAsWithdraw());
        assertEquals(List.of("10.0.0.0/8", "192.0.2.0/24"), prefixes(u.nlri()));
    }

    private static List<String> prefixes(PrefixList p) {
        return java.util.stream.IntStream.range(0, p.size()).mapToObj(i -> {
            long w = p.ipv4(i);
            return PrefixList.appendIpv4(PrefixList.ipv4Address(w), new StringBuilder()).append('/')
                    .append(PrefixList.ipv4Length(w)).toString();
        }).toList();
    }
}
