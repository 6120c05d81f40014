package io.ribbit.codec.error;

/**
 * NOTIFICATION (code, subcode) pairs, with the text and the RFC section that defines each.
 * The wire values are explicit; lookup never uses {@code ordinal()}.
 *
 * <p>Codes: RFC 4271 §4.5 (1..6), RFC 7313 §5 (7). Subcodes: RFC 4271 §6.1–§6.7, RFC 4486 (Cease),
 * RFC 9234 §4.2 (Role Mismatch), RFC 7313 §5 (ROUTE-REFRESH).
 */
public enum BgpError {
    // 1: Message Header Error — RFC 4271 §6.1
    MESSAGE_HEADER_ERROR(1, 0, "Message Header Error"),
    CONNECTION_NOT_SYNCHRONIZED(1, 1, "Connection Not Synchronized"),
    BAD_MESSAGE_LENGTH(1, 2, "Bad Message Length"),
    BAD_MESSAGE_TYPE(1, 3, "Bad Message Type"),
    // 2: OPEN Message Error — RFC 4271 §6.2
    OPEN_MESSAGE_ERROR(2, 0, "OPEN Message Error"),
    UNSUPPORTED_VERSION_NUMBER(2, 1, "Unsupported Version Number"),
    BAD_PEER_AS(2, 2, "Bad Peer AS"),
    BAD_BGP_IDENTIFIER(2, 3, "Bad BGP Identifier"),
    UNSUPPORTED_OPTIONAL_PARAMETER(2, 4, "Unsupported Optional Parameter"),
    UNACCEPTABLE_HOLD_TIME(2, 6, "Unacceptable Hold Time"),
    UNSUPPORTED_CAPABILITY(2, 7, "Unsupported Capability"), // RFC 5492 §5
    ROLE_MISMATCH(2, 11, "Role Mismatch"), // RFC 9234 §4.2
    // 3: UPDATE Message Error — RFC 4271 §6.3
    UPDATE_MESSAGE_ERROR(3, 0, "UPDATE Message Error"),
    MALFORMED_ATTRIBUTE_LIST(3, 1, "Malformed Attribute List"),
    UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE(3, 2, "Unrecognized Well-known Attribute"),
    MISSING_WELL_KNOWN_ATTRIBUTE(3, 3, "Missing Well-known Attribute"),
    ATTRIBUTE_FLAGS_ERROR(3, 4, "Attribute Flags Error"),
    ATTRIBUTE_LENGTH_ERROR(3, 5, "Attribute Length Error"),
    INVALID_ORIGIN_ATTRIBUTE(3, 6, "Invalid ORIGIN Attribute"),
    INVALID_NEXT_HOP_ATTRIBUTE(3, 8, "Invalid NEXT_HOP Attribute"),
    OPTIONAL_ATTRIBUTE_ERROR(3, 9, "Optional Attribute Error"),
    INVALID_NETWORK_FIELD(3, 10, "Invalid Network Field"),
    MALFORMED_AS_PATH(3, 11, "Malformed AS_PATH"),
    // 4: Hold Timer Expired — RFC 4271 §6.5
    HOLD_TIMER_EXPIRED(4, 0, "Hold Timer Expired"),
    // 5: Finite State Machine Error — RFC 4271 §6.6, RFC 6608
    FSM_ERROR(5, 0, "Finite State Machine Error"),
    FSM_UNEXPECTED_MESSAGE_IN_OPEN_SENT(5, 1, "Receive Unexpected Message in OpenSent State"),
    FSM_UNEXPECTED_MESSAGE_IN_OPEN_CONFIRM(5, 2, "Receive Unexpected Message in OpenConfirm State"),
    FSM_UNEXPECTED_MESSAGE_IN_ESTABLISHED(5, 3, "Receive Unexpected Message in Established State"),
    // 6: Cease — RFC 4271 §6.7, RFC 4486 §4, RFC 8538
    CEASE(6, 0, "Cease"),
    MAXIMUM_NUMBER_OF_PREFIXES_REACHED(6, 1, "Maximum Number of Prefixes Reached"),
    ADMINISTRATIVE_SHUTDOWN(6, 2, "Administrative Shutdown"),
    PEER_DE_CONFIGURED(6, 3, "Peer De-configured"),
    ADMINISTRATIVE_RESET(6, 4, "Administrative Reset"),
    CONNECTION_REJECTED(6, 5, "Connection Rejected"),
    OTHER_CONFIGURATION_CHANGE(6, 6, "Other Configuration Change"),
    CONNECTION_COLLISION_RESOLUTION(6, 7, "Connection Collision Resolution"),
    OUT_OF_RESOURCES(6, 8, "Out of Resources"),
    HARD_RESET(6, 9, "Hard Reset"), // RFC 8538
    BFD_DOWN(6, 10, "BFD Down"), // RFC 9384
    // 7: ROUTE-REFRESH Message Error — RFC 7313 §5
    ROUTE_REFRESH_MESSAGE_ERROR(7, 0, "ROUTE-REFRESH Message Error"),
    INVALID_ROUTE_REFRESH_LENGTH(7, 1, "Invalid Message Length");

    private static final BgpError[] BY_CODE = new BgpError[8 * 256];

    static {
        for (BgpError e : values()) {
            int i = e.code * 256 + e.subcode;
            if (BY_CODE[i] != null) {
                throw new AssertionError("duplicate BgpError " + e.code + "/" + e.subcode);
            }
            BY_CODE[i] = e;
        }
    }

    private final int code;
    private final int subcode;
    private final String text;

    BgpError(int code, int subcode, String text) {
        this.code = code;
        this.subcode = subcode;
        this.text = text;
    }

    public int code() {
        return code;
    }

    public int subcode() {
        return subcode;
    }

    public String text() {
        return text;
    }

    /** The error for (code, subcode), or {@code null} if it is not one we name. */
    public static BgpError valueOf(int code, int subcode) {
        if (code < 0 || code > 7 || subcode < 0 || subcode > 255) {
            return null;
        }
        return BY_CODE[code * 256 + subcode];
    }

    /** Human text for any (code, subcode), named or not. */
    public static String describe(int code, int subcode) {
        BgpError e = valueOf(code, subcode);
        if (e != null) {
            return e.text;
        }
        BgpError major = valueOf(code, 0);
        return (major != null ? major.text : "Unknown error code " + code) + ", subcode " + subcode;
    }

    @Override
    public String toString() {
        return code + "/" + subcode + " " + text;
    }
}
