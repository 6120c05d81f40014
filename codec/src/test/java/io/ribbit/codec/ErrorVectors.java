package io.ribbit.codec;

import static io.ribbit.codec.MessageBytes.AS_PATH_2;
import static io.ribbit.codec.MessageBytes.KEEPALIVE;
import static io.ribbit.codec.MessageBytes.MP_REACH_V6;
import static io.ribbit.codec.MessageBytes.MP_UNREACH_V6;
import static io.ribbit.codec.MessageBytes.MP_UNREACH_V6_EMPTY;
import static io.ribbit.codec.MessageBytes.NEXT_HOP;
import static io.ribbit.codec.MessageBytes.NLRI_10_8;
import static io.ribbit.codec.MessageBytes.NOTIFICATION;
import static io.ribbit.codec.MessageBytes.OPEN;
import static io.ribbit.codec.MessageBytes.ORIGIN_IGP;
import static io.ribbit.codec.MessageBytes.ROUTE_REFRESH;
import static io.ribbit.codec.MessageBytes.UPDATE;
import static io.ribbit.codec.MessageBytes.announce;
import static io.ribbit.codec.MessageBytes.announce4;
import static io.ribbit.codec.MessageBytes.attr;
import static io.ribbit.codec.MessageBytes.concat;
import static io.ribbit.codec.MessageBytes.header;
import static io.ribbit.codec.MessageBytes.hex;
import static io.ribbit.codec.MessageBytes.keepalive;
import static io.ribbit.codec.MessageBytes.notification;
import static io.ribbit.codec.MessageBytes.open;
import static io.ribbit.codec.MessageBytes.routeRefresh;
import static io.ribbit.codec.MessageBytes.update;
import static io.ribbit.codec.MessageBytes.zeros;
import static io.ribbit.codec.error.BgpError.ATTRIBUTE_FLAGS_ERROR;
import static io.ribbit.codec.error.BgpError.ATTRIBUTE_LENGTH_ERROR;
import static io.ribbit.codec.error.BgpError.BAD_BGP_IDENTIFIER;
import static io.ribbit.codec.error.BgpError.BAD_MESSAGE_LENGTH;
import static io.ribbit.codec.error.BgpError.BAD_MESSAGE_TYPE;
import static io.ribbit.codec.error.BgpError.CONNECTION_NOT_SYNCHRONIZED;
import static io.ribbit.codec.error.BgpError.INVALID_NETWORK_FIELD;
import static io.ribbit.codec.error.BgpError.INVALID_ORIGIN_ATTRIBUTE;
import static io.ribbit.codec.error.BgpError.INVALID_ROUTE_REFRESH_LENGTH;
import static io.ribbit.codec.error.BgpError.MALFORMED_AS_PATH;
import static io.ribbit.codec.error.BgpError.MALFORMED_ATTRIBUTE_LIST;
import static io.ribbit.codec.error.BgpError.MISSING_WELL_KNOWN_ATTRIBUTE;
import static io.ribbit.codec.error.BgpError.OPEN_MESSAGE_ERROR;
import static io.ribbit.codec.error.BgpError.OPTIONAL_ATTRIBUTE_ERROR;
import static io.ribbit.codec.error.BgpError.UNACCEPTABLE_HOLD_TIME;
import static io.ribbit.codec.error.BgpError.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE;
import static io.ribbit.codec.error.BgpError.UNSUPPORTED_OPTIONAL_PARAMETER;
import static io.ribbit.codec.error.BgpError.UNSUPPORTED_VERSION_NUMBER;

import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.Origin;
import io.ribbit.codec.attr.UnknownAttribute;
import io.ribbit.codec.error.BgpError;
import io.ribbit.codec.error.ErrorAction;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.MessageType;
import io.ribbit.codec.message.OpenMessage;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The RFC error table as data: one {@link Row} per case of RFC 4271 §6.1–§6.3, RFC 7606, RFC 8654
 * and RFC 7313 §5, each with the exact outcome the codec must produce. {@link ErrorTableTest}
 * checks each row against {@code MessageCodec.decode}; {@link FrameSplitTest} feeds the same bytes
 * through a Netty pipeline whole, split and byte by byte.
 */
final class ErrorVectors {
    static final SessionOptions TWO_OCTET = SessionOptions.DEFAULT;
    static final SessionOptions AS4 = SessionOptions.AS4;
    static final SessionOptions EXTENDED = SessionOptions.DEFAULT.withExtendedMessage(true);

    private static final int ORIGIN = AttributeCode.ORIGIN;
    private static final int AS_PATH = AttributeCode.AS_PATH;
    private static final int NEXT_HOP_CODE = AttributeCode.NEXT_HOP;
    private static final int MED = AttributeCode.MULTI_EXIT_DISC;
    private static final int LOCAL_PREF = AttributeCode.LOCAL_PREF;
    private static final int ATOMIC_AGGREGATE = AttributeCode.ATOMIC_AGGREGATE;
    private static final int AGGREGATOR = AttributeCode.AGGREGATOR;
    private static final int COMMUNITIES = AttributeCode.COMMUNITIES;
    private static final int ORIGINATOR_ID = AttributeCode.ORIGINATOR_ID;
    private static final int CLUSTER_LIST = AttributeCode.CLUSTER_LIST;
    private static final int EXT_COMMUNITIES = AttributeCode.EXTENDED_COMMUNITIES;
    private static final int AS4_PATH = AttributeCode.AS4_PATH;
    private static final int AS4_AGGREGATOR = AttributeCode.AS4_AGGREGATOR;
    private static final int IPV6_EXT_COMMUNITIES = AttributeCode.IPV6_EXTENDED_COMMUNITIES;
    private static final int AIGP = AttributeCode.AIGP;
    private static final int LARGE_COMMUNITY = AttributeCode.LARGE_COMMUNITY;
    private static final int OTC = AttributeCode.OTC;

    private ErrorVectors() {
    }

    /** One case: what is sent, on which session, and what must come out. */
    record Row(String rule, SessionOptions options, byte[] wire, Outcome outcome) {
        @Override
        public String toString() {
            return rule + " → " + outcome;
        }
    }

    /** One expected UPDATE problem: its cost, its NOTIFICATION error and the attribute it concerns (-1: none). */
    record Problem(ErrorAction action, BgpError error, int code) {
        @Override
        public String toString() {
            return action.tag() + " " + error.code() + "/" + error.subcode() + " attr " + code;
        }
    }

    /** A named extra assertion on the decoded message. */
    record Check(String what, Predicate<BgpMessage> test) {
        @Override
        public String toString() {
            return what;
        }
    }

    /**
     * The expected result. A session reset names the exact NOTIFICATION (error and data); anything
     * else names the message type, the RFC 7606 action and the exact problems, plus checks.
     */
    record Outcome(ErrorAction action, BgpError error, String data, MessageType type, List<Problem> problems,
            List<Check> checks) {
        boolean reset() {
            return action == ErrorAction.SESSION_RESET;
        }

        @Override
        public String toString() {
            if (reset()) {
                return "NOTIFICATION " + error.code() + "/" + error.subcode() + (data.isEmpty() ? "" : " data " + data);
            }
            return switch (action) {
                case NONE -> type + " accepted";
                case ATTRIBUTE_DISCARD -> "attribute discard";
                case TREAT_AS_WITHDRAW -> "treat-as-withdraw";
                default -> action.toString();
            };
        }
    }

    static Outcome reset(BgpError error, String data) {
        return new Outcome(ErrorAction.SESSION_RESET, error, hex(hex(data)), null, List.of(), List.of());
    }

    static Outcome accepted(MessageType type, Check... checks) {
        return new Outcome(ErrorAction.NONE, null, null, type, List.of(), List.of(checks));
    }

    /** A well-formed UPDATE: action NONE, no problems. */
    static Outcome clean(Check... checks) {
        return accepted(MessageType.UPDATE, checks);
    }

    static Outcome treatAsWithdraw(List<Problem> problems, Check... checks) {
        return new Outcome(ErrorAction.TREAT_AS_WITHDRAW, null, null, MessageType.UPDATE, problems, List.of(checks));
    }

    static Outcome discard(List<Problem> problems, Check... checks) {
        return new Outcome(ErrorAction.ATTRIBUTE_DISCARD, null, null, MessageType.UPDATE, problems, List.of(checks));
    }

    static Problem taw(BgpError error, int code) {
        return new Problem(ErrorAction.TREAT_AS_WITHDRAW, error, code);
    }

    static Problem dis(BgpError error, int code) {
        return new Problem(ErrorAction.ATTRIBUTE_DISCARD, error, code);
    }

    static Check check(String what, Predicate<BgpMessage> test) {
        return new Check(what, test);
    }

    static Check absent(int code) {
        return check("attribute " + code + " absent", m -> !((UpdateMessage) m).attributes().has(code));
    }

    static Check present(int code) {
        return check("attribute " + code + " present", m -> ((UpdateMessage) m).attributes().has(code));
    }

    static Check unknown(int flags, int code, String value) {
        return check("unknown attribute " + code + " kept with flags " + Integer.toHexString(flags) + " and value "
                + value, m -> ((UpdateMessage) m).attributes().find(code) instanceof UnknownAttribute u
                        && u.flags() == flags && hex(u.value()).equals(hex(hex(value))));
    }

    static Check nlriCount(int n) {
        return check(n + " IPv4 NLRI", m -> ((UpdateMessage) m).nlri().size() == n);
    }

    static Check origin(Origin o) {
        return check("ORIGIN " + o, m -> ((UpdateMessage) m).attributes().origin() == o);
    }

    static Check mpReachCount(int n) {
        return check(n + " MP_REACH_NLRI prefixes", m -> ((UpdateMessage) m).mpReach() != null
                && ((io.ribbit.codec.nlri.PrefixList) ((UpdateMessage) m).mpReach().nlri()).size() == n);
    }

    static Check endOfRib(AfiSafi family) {
        return check("End-of-RIB " + family, m -> family.equals(((UpdateMessage) m).endOfRib()));
    }

    static Check openCheck(String what, Predicate<OpenMessage> test) {
        return check(what, m -> test.test((OpenMessage) m));
    }

    private static final List<Row> ROWS = new ArrayList<>();

    private static void row(String rule, byte[] wire, Outcome outcome) {
        row(rule, TWO_OCTET, wire, outcome);
    }

    private static void row(String rule, SessionOptions options, byte[] wire, Outcome outcome) {
        ROWS.add(new Row(rule, options, wire, outcome));
    }

    static Stream<Row> rows() {
        return ROWS.stream();
    }

    static {
        headerRows();
        openRows();
        updateResetRows();
        routeRefreshRows();
        treatAsWithdrawRows();
        attributeDiscardRows();
        acceptedRows();
    }

    // ------------------------------------------------------------- RFC 4271 §6.1, RFC 8654

    private static void headerRows() {
        String ff15 = "ff".repeat(15);
        row("RFC 4271 §6.1: first marker octet not all ones", concat(hex("fe" + ff15), hex("0013 04")),
                reset(CONNECTION_NOT_SYNCHRONIZED, ""));
        row("RFC 4271 §6.1: last marker octet zero", concat(hex(ff15 + "00"), hex("0013 04")),
                reset(CONNECTION_NOT_SYNCHRONIZED, ""));
        row("RFC 4271 §6.1: all-zero marker", concat(hex(zeros(16)), hex("0013 04")),
                reset(CONNECTION_NOT_SYNCHRONIZED, ""));
        row("RFC 4271 §6.1: length 18 < 19", header(18, KEEPALIVE), reset(BAD_MESSAGE_LENGTH, "0012"));
        row("RFC 4271 §6.1: length 0", header(0, UPDATE), reset(BAD_MESSAGE_LENGTH, "0000"));
        row("RFC 4271 §6.1: UPDATE length 4097 > 4096", announce().padTo(4097).bytes(),
                reset(BAD_MESSAGE_LENGTH, "1001"));
        row("RFC 4271 §6.1: UPDATE length 65535 > 4096", announce().padTo(65535).bytes(),
                reset(BAD_MESSAGE_LENGTH, "ffff"));
        row("RFC 4271 §6.1: NOTIFICATION length 4097 > 4096", notification(6, 0, zeros(4076)),
                reset(BAD_MESSAGE_LENGTH, "1001"));
        row("RFC 4271 §6.1: ROUTE-REFRESH length 4097 > 4096", routeRefresh(1, 0, 1, zeros(4074)),
                reset(BAD_MESSAGE_LENGTH, "1001"));
        row("RFC 4271 §6.1: KEEPALIVE length 20 != 19", concat(header(20, KEEPALIVE), hex("00")),
                reset(BAD_MESSAGE_LENGTH, "0014"));
        row("RFC 4271 §6.1: OPEN length 28 < 29", concat(header(28, OPEN), hex("04 fde9 005a c0000201")),
                reset(BAD_MESSAGE_LENGTH, "001c"));
        row("RFC 4271 §6.1: UPDATE length 22 < 23", concat(header(22, UPDATE), hex("000000")),
                reset(BAD_MESSAGE_LENGTH, "0016"));
        row("RFC 4271 §6.1: NOTIFICATION length 20 < 21", concat(header(20, NOTIFICATION), hex("06")),
                reset(BAD_MESSAGE_LENGTH, "0014"));
        row("RFC 2918 §3 / RFC 4271 §6.1: ROUTE-REFRESH length 22 < 23", concat(header(22, ROUTE_REFRESH),
                hex("000100")), reset(BAD_MESSAGE_LENGTH, "0016"));
        row("RFC 4271 §6.1: type 0 unknown", header(19, 0), reset(BAD_MESSAGE_TYPE, "00"));
        row("RFC 4271 §6.1: type 6 unknown", header(19, 6), reset(BAD_MESSAGE_TYPE, "06"));
        row("RFC 4271 §6.1: type 255 unknown", header(19, 255), reset(BAD_MESSAGE_TYPE, "ff"));

        row("RFC 8654 §4: OPEN stays at 4096 with Extended Message", EXTENDED,
                concat(header(4097, OPEN), hex("04 fde9 005a c0000201 00"), hex(zeros(4097 - 29))),
                reset(BAD_MESSAGE_LENGTH, "1001"));
        row("RFC 8654 §4: KEEPALIVE stays at 4096 with Extended Message", EXTENDED,
                concat(header(4097, KEEPALIVE), hex(zeros(4097 - 19))),
                reset(BAD_MESSAGE_LENGTH, "1001"));
        row("RFC 8654 §4: UPDATE of 4097 with Extended Message", EXTENDED, announce().padTo(4097).bytes(),
                clean(nlriCount(1), present(250)));
        row("RFC 8654 §4: UPDATE of 65535 (the 2-octet maximum) with Extended Message", EXTENDED,
                announce().padTo(65535).bytes(), clean(nlriCount(1), present(250)));
        row("RFC 8654 §4: NOTIFICATION of 4097 with Extended Message", EXTENDED, notification(6, 0, zeros(4076)),
                accepted(MessageType.NOTIFICATION));
        row("RFC 8654 §4: ROUTE-REFRESH of 4097 with Extended Message", EXTENDED,
                routeRefresh(1, 0, 1, zeros(4074)), accepted(MessageType.ROUTE_REFRESH));

        row("RFC 4271 §4.4: KEEPALIVE of exactly 19", keepalive(), accepted(MessageType.KEEPALIVE));
        row("RFC 4271 §4.1: UPDATE of exactly 4096", announce().padTo(4096).bytes(), clean(nlriCount(1)));
        row("RFC 4271 §4.5: NOTIFICATION of exactly 21", notification(6, 2, ""), accepted(MessageType.NOTIFICATION));
        row("RFC 2918 §3: ROUTE-REFRESH of exactly 23", routeRefresh(1, 0, 1, ""),
                accepted(MessageType.ROUTE_REFRESH));
    }

    // ------------------------------------------------------------------ RFC 4271 §6.2

    private static void openRows() {
        row("RFC 4271 §4.2: OPEN with capabilities", open().capability(65, "0000fde9").capability(1, "0001 00 01")
                .bytes(), accepted(MessageType.OPEN, openCheck("AS 65001, 2 capabilities",
                        o -> o.asn() == 65001 && o.capabilities().size() == 2)));
        row("RFC 4271 §6.2: version 3 → data = largest supported version", open().version(3).bytes(),
                reset(UNSUPPORTED_VERSION_NUMBER, "0004"));
        row("RFC 4271 §6.2: version 5 → data = largest supported version", open().version(5).bytes(),
                reset(UNSUPPORTED_VERSION_NUMBER, "0004"));
        row("RFC 4271 §6.2: hold time 1", open().hold(1).bytes(), reset(UNACCEPTABLE_HOLD_TIME, ""));
        row("RFC 4271 §6.2: hold time 2", open().hold(2).bytes(), reset(UNACCEPTABLE_HOLD_TIME, ""));
        row("RFC 4271 §6.2: hold time 0 is allowed", open().hold(0).bytes(),
                accepted(MessageType.OPEN, openCheck("hold 0", o -> o.holdTime() == 0)));
        row("RFC 4271 §6.2: hold time 3 is allowed", open().hold(3).bytes(),
                accepted(MessageType.OPEN, openCheck("hold 3", o -> o.holdTime() == 3)));
        row("RFC 4271 §6.2, RFC 6286 §2.2: BGP Identifier 0", open().identifier("00000000").bytes(),
                reset(BAD_BGP_IDENTIFIER, ""));
        row("RFC 4271 §6.2: optional parameter 1 (Authentication) unsupported", open().param(1, "00").bytes(),
                reset(UNSUPPORTED_OPTIONAL_PARAMETER, ""));
        row("RFC 4271 §6.2: 4-octet AS capability of length 2 is malformed", open().capability(65, "fde9").bytes(),
                reset(OPEN_MESSAGE_ERROR, ""));
        row("RFC 4271 §6.2: Multiprotocol capability of length 3 is malformed",
                open().capability(1, "0001 01").bytes(), reset(OPEN_MESSAGE_ERROR, ""));
        row("RFC 4271 §6.2: capability overruns its optional parameter", open().param(2, "41 04 fde9").bytes(),
                reset(OPEN_MESSAGE_ERROR, ""));
        row("RFC 4271 §6.2 (subcode unspecified by the RFC): Opt Parm Len past the message",
                open().capability(65, "0000fde9").optLength(20).bytes(), reset(OPEN_MESSAGE_ERROR, ""));
        row("RFC 5492 §4: unknown capability is kept, not an error", open().capability(200, "abcd").bytes(),
                accepted(MessageType.OPEN, openCheck("capability 200 kept", o -> o.hasCapability(200))));
    }

    // ------------------------------------------- RFC 4271 §6.3 / RFC 7606 session resets

    private static void updateResetRows() {
        row("RFC 7606 §3(b): Withdrawn Routes Length overruns the message", update().withdrawnLength(100).bytes(),
                reset(MALFORMED_ATTRIBUTE_LIST, ""));
        row("RFC 7606 §3(b): Withdrawn Routes Length runs into Total Path Attribute Length",
                update().withdrawn("08 0a").withdrawnLength(3).bytes(), reset(MALFORMED_ATTRIBUTE_LIST, ""));
        row("RFC 7606 §3(b): Total Path Attribute Length overruns the message",
                announce().attributesLength(200).bytes(), reset(MALFORMED_ATTRIBUTE_LIST, ""));
        row("RFC 7606 §3(b): Total Path Attribute Length one past the message",
                announce().attributesLength(21).bytes(), reset(MALFORMED_ATTRIBUTE_LIST, ""));

        row("RFC 4271 §6.3, RFC 7606 §5.3: NLRI prefix length 33", announce().nlri("21 0a000000 00").bytes(),
                reset(INVALID_NETWORK_FIELD, ""));
        row("RFC 4271 §6.3, RFC 7606 §5.3: NLRI prefix overruns the field", announce().nlri("18 0a00").bytes(),
                reset(INVALID_NETWORK_FIELD, ""));
        row("RFC 4271 §6.3, RFC 7606 §5.3: NLRI ends in a lone length octet", announce().nlri("08 0a 18").bytes(),
                reset(INVALID_NETWORK_FIELD, ""));
        row("RFC 7606 §3(i), §5.3: withdrawn prefix length 33", update().withdrawn("21 0a00000000").bytes(),
                reset(INVALID_NETWORK_FIELD, ""));
        row("RFC 7606 §3(i), §5.3: withdrawn prefix overruns the field", update().withdrawn("10 0a").bytes(),
                reset(INVALID_NETWORK_FIELD, ""));

        row("RFC 7606 §3(g): MP_REACH_NLRI twice",
                update().attr(ORIGIN_IGP).attr(AS_PATH_2).attr(MP_REACH_V6).attr(MP_REACH_V6).bytes(),
                reset(MALFORMED_ATTRIBUTE_LIST, ""));
        row("RFC 7606 §3(g): MP_UNREACH_NLRI twice", update().attr(MP_UNREACH_V6).attr(MP_UNREACH_V6).bytes(),
                reset(MALFORMED_ATTRIBUTE_LIST, ""));

        row("RFC 4271 §6.3: unrecognized well-known attribute, data = the attribute",
                announce().attr(attr(0x40, 100, "abcd")).bytes(),
                reset(UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE, "40 64 02 abcd"));
        row("RFC 4271 §6.3: unrecognized well-known attribute with extended length, data = the attribute",
                announce().attr(attr(0x50, 100, "abcd")).bytes(),
                reset(UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE, "50 64 0002 abcd"));
        row("RFC 4271 §6.3: unrecognized well-known attribute of length 0",
                update().attr(attr(0x40, 200, "")).bytes(), reset(UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE, "40 c8 00"));

        String v6 = " 20010db8000000000000000000000001 ";
        mpReset("RFC 7606 §7.11: MP_REACH_NLRI IPv6 next-hop length 5", attr(0x80, 14,
                "0002 01 05 0102030405 00 20 20010db8"));
        mpReset("RFC 7606 §7.11: MP_REACH_NLRI IPv6 next-hop length 4", attr(0x80, 14,
                "0002 01 04 c0000201 00 20 20010db8"));
        mpReset("RFC 7606 §7.11: MP_REACH_NLRI IPv4 next-hop length 12 outside a VPN", attr(0x80, 14,
                "0001 01 0c " + zeros(12) + " 00 08 0a"));
        mpReset("RFC 7606 §7.11: MP_REACH_NLRI VPN-IPv6 next-hop length 12", attr(0x80, 14,
                "0002 80 0c " + zeros(12) + " 00"));
        mpReset("RFC 7606 §5.3: MP_REACH_NLRI length 4 < 5", attr(0x80, 14, "0002 0110"));
        mpReset("RFC 7606 §7.11: MP_REACH_NLRI next hop overruns the attribute", attr(0x80, 14,
                "0002 01 20 20010db8"));
        mpReset("RFC 7606 §5.3: MP_REACH_NLRI prefix length 129", attr(0x80, 14,
                "0002 01 10" + v6 + "00 81 " + zeros(17)));
        mpReset("RFC 7606 §5.3: MP_REACH_NLRI prefix overruns the attribute", attr(0x80, 14,
                "0002 01 10" + v6 + "00 40 20010db8"));
        mpReset("RFC 7606 §5.3: MP_UNREACH_NLRI length 2 < 3", attr(0x80, 15, "0002"));
        mpReset("RFC 7606 §5.3: MP_UNREACH_NLRI prefix length 129", attr(0x80, 15, "0002 01 81 " + zeros(17)));
        mpReset("RFC 7606 §5.3: MP_REACH_NLRI flagged transitive", attr(0xc0, 14,
                "0002 01 10" + v6 + "00 20 20010db8"));
        mpReset("RFC 7606 §5.3: MP_UNREACH_NLRI flagged well-known", attr(0x40, 15, "0002 01 20 20010db8"));

        row("RFC 7606 §5.2: malformed ORIGIN and no NLRI",
                update().attr("40 01 01 03").attr(AS_PATH_2).attr(NEXT_HOP).bytes(),
                reset(MALFORMED_ATTRIBUTE_LIST, ""));
        row("RFC 7606 §5.2: malformed ORIGIN with withdrawn routes but no reachable NLRI",
                update().withdrawn("08 0a").attr("40 01 01 03").attr(AS_PATH_2).attr(NEXT_HOP).bytes(),
                reset(MALFORMED_ATTRIBUTE_LIST, ""));
        row("RFC 7606 §5.2: malformed MED beside an MP_UNREACH_NLRI withdrawal",
                update().attr(MP_UNREACH_V6).attr("80 04 03 000001").bytes(), reset(MALFORMED_ATTRIBUTE_LIST, ""));
        row("RFC 7606 §5.2: attribute framing error and no NLRI", update().attr("40 01").bytes(),
                reset(MALFORMED_ATTRIBUTE_LIST, ""));
        row("RFC 7606 §5.2: flag conflict and no NLRI", update().attr("c0 01 01 00").bytes(),
                reset(MALFORMED_ATTRIBUTE_LIST, ""));
    }

    /** An MP attribute problem: session reset 3/9 with the attribute as data (RFC 4760 §7, RFC 4271 §6.3). */
    private static void mpReset(String rule, String attribute) {
        row(rule + ", data = the attribute", update().attr(ORIGIN_IGP).attr(AS_PATH_2).attr(attribute).bytes(),
                reset(OPTIONAL_ATTRIBUTE_ERROR, attribute));
    }

    // --------------------------------------------------------------- RFC 7313 §5

    private static void routeRefreshRows() {
        byte[] borr = routeRefresh(1, 1, 1, "00");
        row("RFC 7313 §5: BoRR with a 5-octet body, data = the message", borr,
                reset(INVALID_ROUTE_REFRESH_LENGTH, hex(borr)));
        byte[] eorr = routeRefresh(2, 2, 1, "00000000");
        row("RFC 7313 §5: EoRR with an 8-octet body, data = the message", eorr,
                reset(INVALID_ROUTE_REFRESH_LENGTH, hex(eorr)));
        row("RFC 7313 §3.2: BoRR of exactly 4 octets", routeRefresh(1, 1, 1, ""), accepted(MessageType.ROUTE_REFRESH));
        row("RFC 7313 §3.2: EoRR of exactly 4 octets", routeRefresh(2, 2, 1, ""), accepted(MessageType.ROUTE_REFRESH));
        row("RFC 5291 §4: normal request carrying ORF entries", routeRefresh(1, 0, 1, "01 40 0003 abcdef"),
                accepted(MessageType.ROUTE_REFRESH));
    }

    // ---------------------------------------------------------- treat-as-withdraw

    private static void taw1(String rule, SessionOptions options, byte[] wire, BgpError error, int code,
            Check... checks) {
        Check[] all = Arrays.copyOf(checks, checks.length + 1);
        all[checks.length] = nlriCount(1); // the NLRI survive, so the receiver can withdraw them
        row(rule, options, wire, treatAsWithdraw(List.of(taw(error, code)), all));
    }

    private static void taw1(String rule, byte[] wire, BgpError error, int code, Check... checks) {
        taw1(rule, TWO_OCTET, wire, error, code, checks);
    }

    /** A malformed value of {@code code} appended to a good announcement → treat-as-withdraw, attribute dropped. */
    private static void badValue(String rule, String attribute, BgpError error) {
        int code = hex(attribute)[1] & 0xff;
        taw1(rule, announce().attr(attribute).bytes(), error, code, absent(code));
    }

    private static void treatAsWithdrawRows() {
        taw1("RFC 7606 §7.1: ORIGIN length 0", announce().replace(ORIGIN, "40 01 00").bytes(),
                ATTRIBUTE_LENGTH_ERROR, ORIGIN, absent(ORIGIN));
        taw1("RFC 7606 §7.1: ORIGIN length 2", announce().replace(ORIGIN, "40 01 02 0000").bytes(),
                ATTRIBUTE_LENGTH_ERROR, ORIGIN, absent(ORIGIN));
        taw1("RFC 7606 §7.1: ORIGIN value 3", announce().replace(ORIGIN, "40 01 01 03").bytes(),
                INVALID_ORIGIN_ATTRIBUTE, ORIGIN, absent(ORIGIN));

        taw1("RFC 7606 §7.2: AS_PATH segment of length 0", announce().replace(AS_PATH, "40 02 02 02 00").bytes(),
                MALFORMED_AS_PATH, AS_PATH, absent(AS_PATH));
        taw1("RFC 7606 §7.2: AS_PATH segment type 0", announce().replace(AS_PATH, "40 02 04 00 01 fde9").bytes(),
                MALFORMED_AS_PATH, AS_PATH, absent(AS_PATH));
        taw1("RFC 7606 §7.2: AS_PATH segment type 5", announce().replace(AS_PATH, "40 02 04 05 01 fde9").bytes(),
                MALFORMED_AS_PATH, AS_PATH, absent(AS_PATH));
        taw1("RFC 7606 §7.2: AS_PATH segment overruns the attribute",
                announce().replace(AS_PATH, "40 02 04 02 02 fde9").bytes(), MALFORMED_AS_PATH, AS_PATH,
                absent(AS_PATH));
        taw1("RFC 7606 §7.2: AS_PATH ends in a lone octet",
                announce().replace(AS_PATH, "40 02 05 02 01 fde9 02").bytes(), MALFORMED_AS_PATH, AS_PATH,
                absent(AS_PATH));
        taw1("RFC 7606 §7.2, RFC 6793: 2-octet AS_PATH on a 4-octet session overruns", AS4, announce().bytes(),
                MALFORMED_AS_PATH, AS_PATH, absent(AS_PATH));

        taw1("RFC 7606 §7.3: NEXT_HOP length 3", announce().replace(NEXT_HOP_CODE, "40 03 03 c00002").bytes(),
                ATTRIBUTE_LENGTH_ERROR, NEXT_HOP_CODE, absent(NEXT_HOP_CODE));
        taw1("RFC 7606 §7.3: NEXT_HOP length 5", announce().replace(NEXT_HOP_CODE, "40 03 05 c000020100").bytes(),
                ATTRIBUTE_LENGTH_ERROR, NEXT_HOP_CODE, absent(NEXT_HOP_CODE));
        badValue("RFC 7606 §7.4: MULTI_EXIT_DISC length 3", "80 04 03 000001", ATTRIBUTE_LENGTH_ERROR);
        badValue("RFC 7606 §7.4: MULTI_EXIT_DISC length 0", "80 04 00", ATTRIBUTE_LENGTH_ERROR);
        badValue("RFC 7606 §7.5: LOCAL_PREF length 2", "40 05 02 0064", ATTRIBUTE_LENGTH_ERROR);
        badValue("RFC 7606 §7.5: LOCAL_PREF length 5", "40 05 05 0000006400", ATTRIBUTE_LENGTH_ERROR);
        badValue("RFC 7606 §7.8: COMMUNITIES length 0", "c0 08 00", OPTIONAL_ATTRIBUTE_ERROR);
        badValue("RFC 7606 §7.8: COMMUNITIES length 6", "c0 08 06 fde90001 0001", OPTIONAL_ATTRIBUTE_ERROR);
        badValue("RFC 7606 §7.9: ORIGINATOR_ID length 3", "80 09 03 0a0000", ATTRIBUTE_LENGTH_ERROR);
        badValue("RFC 7606 §7.9: ORIGINATOR_ID length 0", "80 09 00", ATTRIBUTE_LENGTH_ERROR);
        badValue("RFC 7606 §7.10: CLUSTER_LIST length 0", "80 0a 00", ATTRIBUTE_LENGTH_ERROR);
        badValue("RFC 7606 §7.10: CLUSTER_LIST length 5", "80 0a 05 0a00000101", ATTRIBUTE_LENGTH_ERROR);
        badValue("RFC 7606 §7.14: EXTENDED_COMMUNITIES length 0", "c0 10 00", OPTIONAL_ATTRIBUTE_ERROR);
        badValue("RFC 7606 §7.14: EXTENDED_COMMUNITIES length 7", "c0 10 07 0002fde9000000",
                OPTIONAL_ATTRIBUTE_ERROR);
        badValue("RFC 7606 §7.15: IPv6 extended communities length 0", "c0 19 00", OPTIONAL_ATTRIBUTE_ERROR);
        badValue("RFC 7606 §7.15: IPv6 extended communities length 19", "c0 19 13 " + zeros(19),
                OPTIONAL_ATTRIBUTE_ERROR);
        badValue("RFC 8092 §6: LARGE_COMMUNITY length 0", "c0 20 00", OPTIONAL_ATTRIBUTE_ERROR);
        badValue("RFC 8092 §6: LARGE_COMMUNITY length 11", "c0 20 0b " + zeros(11), OPTIONAL_ATTRIBUTE_ERROR);
        badValue("RFC 9234 §5: OTC length 2", "c0 23 02 fde9", ATTRIBUTE_LENGTH_ERROR);
        badValue("RFC 9234 §5: OTC length 0", "c0 23 00", ATTRIBUTE_LENGTH_ERROR);

        // §3(c): the value is still read (and kept); the flag conflict alone costs treat-as-withdraw.
        taw1("RFC 7606 §3(c): ORIGIN flagged optional", announce().replace(ORIGIN, "c0 01 01 00").bytes(),
                ATTRIBUTE_FLAGS_ERROR, ORIGIN, origin(Origin.IGP));
        taw1("RFC 7606 §3(c): ORIGIN flagged non-transitive", announce().replace(ORIGIN, "00 01 01 00").bytes(),
                ATTRIBUTE_FLAGS_ERROR, ORIGIN, origin(Origin.IGP));
        taw1("RFC 7606 §3(c): AS_PATH flagged optional non-transitive",
                announce().replace(AS_PATH, "80 02 04 02 01 fde9").bytes(), ATTRIBUTE_FLAGS_ERROR, AS_PATH);
        taw1("RFC 7606 §3(c): NEXT_HOP flagged optional transitive",
                announce().replace(NEXT_HOP_CODE, "c0 03 04 c0000201").bytes(), ATTRIBUTE_FLAGS_ERROR, NEXT_HOP_CODE);
        taw1("RFC 7606 §3(c): MULTI_EXIT_DISC flagged well-known", announce().attr("40 04 04 00000001").bytes(),
                ATTRIBUTE_FLAGS_ERROR, MED, present(MED));
        taw1("RFC 7606 §3(c): MULTI_EXIT_DISC flagged transitive", announce().attr("c0 04 04 00000001").bytes(),
                ATTRIBUTE_FLAGS_ERROR, MED);
        taw1("RFC 7606 §3(c): LOCAL_PREF flagged optional", announce().attr("c0 05 04 00000064").bytes(),
                ATTRIBUTE_FLAGS_ERROR, LOCAL_PREF);
        taw1("RFC 7606 §3(c): ATOMIC_AGGREGATE flagged optional", announce().attr("c0 06 00").bytes(),
                ATTRIBUTE_FLAGS_ERROR, ATOMIC_AGGREGATE);
        taw1("RFC 7606 §3(c): AGGREGATOR flagged non-transitive", announce().attr("80 07 06 fde9 c0000201").bytes(),
                ATTRIBUTE_FLAGS_ERROR, AGGREGATOR);
        taw1("RFC 7606 §3(c): COMMUNITIES flagged non-transitive", announce().attr("80 08 04 fde90001").bytes(),
                ATTRIBUTE_FLAGS_ERROR, COMMUNITIES);
        taw1("RFC 7606 §3(c): LARGE_COMMUNITY flagged well-known",
                announce().attr("40 20 0c 0000fde9 00000001 00000002").bytes(), ATTRIBUTE_FLAGS_ERROR,
                LARGE_COMMUNITY);

        // §4: the NLRI are found from Total Path Attribute Length, so they survive.
        taw1("RFC 7606 §4: last attribute's length overruns the attributes",
                announce().attr("c0 08 08 fde90001").bytes(), ATTRIBUTE_LENGTH_ERROR, COMMUNITIES,
                absent(COMMUNITIES));
        taw1("RFC 7606 §4: two octets left, fewer than an attribute header", announce().attr("c0 08").bytes(),
                MALFORMED_ATTRIBUTE_LIST, -1);
        taw1("RFC 7606 §4: one octet left", announce().attr("c0").bytes(), MALFORMED_ATTRIBUTE_LIST, -1);
        taw1("RFC 7606 §4: three octets left under the Extended Length bit", announce().attr("d0 08 00").bytes(),
                MALFORMED_ATTRIBUTE_LIST, COMMUNITIES);
        row("RFC 7606 §4, §3(d): NEXT_HOP overruns the attributes, so it is also missing",
                update().attr(ORIGIN_IGP).attr(AS_PATH_2).attr("40 03 08 c0000201").nlri(NLRI_10_8).bytes(),
                treatAsWithdraw(List.of(taw(ATTRIBUTE_LENGTH_ERROR, NEXT_HOP_CODE),
                        taw(MISSING_WELL_KNOWN_ATTRIBUTE, NEXT_HOP_CODE)), nlriCount(1)));

        taw1("RFC 7606 §3(d): ORIGIN missing", announce().without(ORIGIN).bytes(), MISSING_WELL_KNOWN_ATTRIBUTE,
                ORIGIN);
        taw1("RFC 7606 §3(d): AS_PATH missing", announce().without(AS_PATH).bytes(), MISSING_WELL_KNOWN_ATTRIBUTE,
                AS_PATH);
        taw1("RFC 7606 §3(d), RFC 4760 §3: NEXT_HOP missing with IPv4 NLRI",
                announce().without(NEXT_HOP_CODE).bytes(),
                MISSING_WELL_KNOWN_ATTRIBUTE, NEXT_HOP_CODE);
        row("RFC 7606 §3(d): every mandatory attribute missing", update().nlri(NLRI_10_8).bytes(),
                treatAsWithdraw(List.of(taw(MISSING_WELL_KNOWN_ATTRIBUTE, ORIGIN),
                        taw(MISSING_WELL_KNOWN_ATTRIBUTE, AS_PATH), taw(MISSING_WELL_KNOWN_ATTRIBUTE, NEXT_HOP_CODE)),
                        nlriCount(1)));
        row("RFC 7606 §3(d): ORIGIN missing with MP_REACH_NLRI", update().attr(AS_PATH_2).attr(MP_REACH_V6).bytes(),
                treatAsWithdraw(List.of(taw(MISSING_WELL_KNOWN_ATTRIBUTE, ORIGIN)), mpReachCount(1)));
        row("RFC 7606 §3(d): AS_PATH missing with MP_REACH_NLRI", update().attr(ORIGIN_IGP).attr(MP_REACH_V6).bytes(),
                treatAsWithdraw(List.of(taw(MISSING_WELL_KNOWN_ATTRIBUTE, AS_PATH)), mpReachCount(1)));

        row("RFC 7606 §3(g), §3(h): malformed first ORIGIN withdraws; the second is discarded",
                update().attr("40 01 01 03").attr(AS_PATH_2).attr(NEXT_HOP).attr(ORIGIN_IGP).nlri(NLRI_10_8).bytes(),
                treatAsWithdraw(List.of(taw(INVALID_ORIGIN_ATTRIBUTE, ORIGIN), dis(MALFORMED_ATTRIBUTE_LIST, ORIGIN)),
                        absent(ORIGIN), nlriCount(1)));
        row("RFC 7606 §3(h): attribute discard and treat-as-withdraw together → treat-as-withdraw",
                announce().attr("40 06 01 00").attr("80 04 03 000001").bytes(),
                treatAsWithdraw(List.of(dis(ATTRIBUTE_LENGTH_ERROR, ATOMIC_AGGREGATE),
                        taw(ATTRIBUTE_LENGTH_ERROR, MED)), absent(ATOMIC_AGGREGATE), absent(MED), nlriCount(1)));
    }

    // ---------------------------------------------------------- attribute discard

    private static void discard1(String rule, SessionOptions options, MessageBytes.Update u, String attribute,
            BgpError error) {
        int code = hex(attribute)[1] & 0xff;
        row(rule, options, u.attr(attribute).bytes(), discard(List.of(dis(error, code)), absent(code), nlriCount(1),
                present(ORIGIN), present(AS_PATH), present(NEXT_HOP_CODE)));
    }

    private static void discard1(String rule, String attribute, BgpError error) {
        discard1(rule, TWO_OCTET, announce(), attribute, error);
    }

    private static void attributeDiscardRows() {
        discard1("RFC 7606 §7.6: ATOMIC_AGGREGATE length 1", "40 06 01 00", ATTRIBUTE_LENGTH_ERROR);
        discard1("RFC 7606 §7.7: AGGREGATOR length 8 on a 2-octet session", "c0 07 08 0000fde9 c0000201",
                ATTRIBUTE_LENGTH_ERROR);
        discard1("RFC 7606 §7.7: AGGREGATOR length 6 on a 4-octet session", AS4, announce4(),
                "c0 07 06 fde9 c0000201", ATTRIBUTE_LENGTH_ERROR);
        discard1("RFC 7606 §7.7: AGGREGATOR length 0", "c0 07 00", ATTRIBUTE_LENGTH_ERROR);
        discard1("RFC 6793 §6: AS4_PATH segment of length 0", "c0 11 02 02 00", MALFORMED_AS_PATH);
        discard1("RFC 6793 §6: AS4_PATH segment type 7", "c0 11 06 07 01 0000fde9", MALFORMED_AS_PATH);
        discard1("RFC 6793 §6: AS4_PATH segment overruns the attribute", "c0 11 04 02 01 fde9", MALFORMED_AS_PATH);
        discard1("RFC 6793 §6: AS4_PATH with a confederation segment", "c0 11 06 03 01 0000fde9",
                MALFORMED_AS_PATH);
        discard1("RFC 6793 §6, RFC 7606 §4: AS4_PATH of length 0", "c0 11 00", MALFORMED_AS_PATH);
        discard1("RFC 6793 §6: AS4_AGGREGATOR length 6", "c0 12 06 fde9 c0000201", ATTRIBUTE_LENGTH_ERROR);
        discard1("RFC 7311 §3.2: AIGP TLV of length 10", "80 1a 0a 01 000a 00000000000064",
                OPTIONAL_ATTRIBUTE_ERROR);
        discard1("RFC 7311 §3.2: AIGP TLV overruns the attribute", "80 1a 0b 01 000c 0000000000000064",
                OPTIONAL_ATTRIBUTE_ERROR);
        discard1("RFC 7311 §3.2: AIGP TLV twice", "80 1a 16 01 000b 0000000000000064 01 000b 0000000000000064",
                OPTIONAL_ATTRIBUTE_ERROR);

        row("RFC 7606 §3(g): ORIGIN twice, the first kept", announce().attr("40 01 01 02").bytes(),
                discard(List.of(dis(MALFORMED_ATTRIBUTE_LIST, ORIGIN)), origin(Origin.IGP), nlriCount(1)));
        row("RFC 7606 §3(g): COMMUNITIES twice, the first kept",
                announce().attr("c0 08 04 fde90001").attr("c0 08 04 fde90002").bytes(),
                discard(List.of(dis(MALFORMED_ATTRIBUTE_LIST, COMMUNITIES)),
                        check("COMMUNITIES 65001:1", m -> ((UpdateMessage) m).attributes().communities().values()[0]
                                == 0xfde90001), nlriCount(1)));
        row("RFC 7606 §3(g): unrecognized optional attribute twice, the first kept",
                announce().attr("c0 fa 01 01").attr("c0 fa 01 02").bytes(),
                discard(List.of(dis(MALFORMED_ATTRIBUTE_LIST, 250)), unknown(0xc0, 250, "01"), nlriCount(1)));
        row("RFC 7606 §5.2: attribute discard alone does not escalate without NLRI",
                update().attr(ORIGIN_IGP).attr(AS_PATH_2).attr("40 06 01 00").bytes(),
                discard(List.of(dis(ATTRIBUTE_LENGTH_ERROR, ATOMIC_AGGREGATE)), absent(ATOMIC_AGGREGATE)));
    }

    // ------------------------------------------------------------- well-formed

    private static void acceptedRows() {
        row("RFC 4271 §4.3: plain IPv4 announcement", announce().bytes(), clean(nlriCount(1), origin(Origin.IGP)));
        row("RFC 6793 §4.1: plain IPv4 announcement on a 4-octet session", AS4, announce4().bytes(),
                clean(nlriCount(1), present(AS_PATH)));
        row("RFC 4271 §5.1.2: empty AS_PATH is allowed", announce().replace(AS_PATH, "40 02 00").bytes(),
                clean(check("empty AS_PATH", m -> ((UpdateMessage) m).attributes().asPath().isEmpty())));
        row("RFC 5065 §3: AS_SET and AS_CONFED_SEQUENCE segments",
                announce().replace(AS_PATH, "40 02 0a 01 02 fde9 fdea 03 01 fdeb").bytes(), clean(present(AS_PATH)));
        row("RFC 7606 §3(c): Partial bit on a well-known attribute is not a conflict",
                announce().replace(ORIGIN, "60 01 01 00").bytes(), clean(origin(Origin.IGP)));
        row("RFC 4271 §4.3: Extended Length bit on a short attribute", announce().replace(ORIGIN, "50 01 0001 02")
                .bytes(), clean(origin(Origin.INCOMPLETE)));
        row("RFC 4271 §4.3: every attribute the table knows, well-formed",
                announce().attr("80 04 04 00000064").attr("40 05 04 00000064").attr("40 06 00")
                        .attr("c0 07 06 fde9 c0000201").attr("c0 08 04 fde90001").attr("80 09 04 0a000001")
                        .attr("80 0a 04 0a000002").attr("c0 10 08 0002fde900000064").attr("c0 11 06 02 01 0000fde9")
                        .attr("c0 12 08 0000fde9 c0000201").attr("c0 19 14 " + zeros(20))
                        .attr("c0 20 0c 0000fde9 00000001 00000002").attr("c0 23 04 0000fde9")
                        .attr("80 1a 0b 01 000b 0000000000000064").bytes(),
                clean(nlriCount(1), present(MED), present(LOCAL_PREF), present(ATOMIC_AGGREGATE), present(AGGREGATOR),
                        present(COMMUNITIES), present(ORIGINATOR_ID), present(CLUSTER_LIST), present(EXT_COMMUNITIES),
                        present(AS4_PATH), present(AS4_AGGREGATOR), present(IPV6_EXT_COMMUNITIES),
                        present(LARGE_COMMUNITY), present(OTC), present(AIGP),
                        check("AIGP 100", m -> ((UpdateMessage) m).attributes().aigp().metric() == 100)));
        row("RFC 4760 §3: MP_REACH_NLRI without NEXT_HOP", update().attr(ORIGIN_IGP).attr(AS_PATH_2)
                .attr(MP_REACH_V6).bytes(), clean(mpReachCount(1)));
        row("RFC 4760 §3: MP_REACH_NLRI with the Extended Length bit", update().attr(ORIGIN_IGP).attr(AS_PATH_2)
                .attr("90 0e 001a 0002 01 10 20010db8000000000000000000000001 00 20 20010db8").bytes(),
                clean(mpReachCount(1)));
        row("RFC 8950 §3: IPv4 NLRI with a 16-octet IPv6 next hop", update().attr(ORIGIN_IGP).attr(AS_PATH_2)
                .attr(attr(0x80, 14, "0001 01 10 20010db8000000000000000000000001 00 08 0a")).bytes(),
                clean(mpReachCount(1)));
        row("RFC 4724 §2: empty UPDATE is the IPv4 End-of-RIB", update().bytes(),
                clean(endOfRib(AfiSafi.IPV4_UNICAST)));
        row("RFC 4724 §2: empty MP_UNREACH_NLRI is the IPv6 End-of-RIB", update().attr(MP_UNREACH_V6_EMPTY).bytes(),
                clean(endOfRib(AfiSafi.IPV6_UNICAST)));
        row("RFC 4271 §4.3: withdrawal only", update().withdrawn("08 0a 18 c00002").bytes(),
                clean(check("2 withdrawn", m -> ((UpdateMessage) m).withdrawn().size() == 2)));
        row("RFC 4760 §4: MP_UNREACH_NLRI withdrawal only", update().attr(MP_UNREACH_V6).bytes(), clean());

        row("RFC 4271 §5: unrecognized optional transitive attribute kept", announce().attr("c0 fa 02 0102").bytes(),
                clean(unknown(0xc0, 250, "0102"), nlriCount(1)));
        row("RFC 4271 §5: unrecognized attribute kept with its Partial bit", announce().attr("e0 fb 01 ff").bytes(),
                clean(unknown(0xe0, 251, "ff")));
        row("RFC 4271 §5: unrecognized optional non-transitive attribute of length 0 kept",
                announce().attr("80 fc 00").bytes(), clean(unknown(0x80, 252, "")));
        row("RFC 4271 §5: unrecognized attribute with the Extended Length bit kept",
                announce().attr("90 fd 0003 010203").bytes(), clean(unknown(0x90, 253, "010203")));
    }
}
