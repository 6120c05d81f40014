package io.ribbit.codec.message;

/** BGP message types (RFC 4271 §4.1; ROUTE-REFRESH RFC 2918 §3). Wire values explicit. */
public enum MessageType {
    OPEN(1, 29),
    UPDATE(2, 23),
    NOTIFICATION(3, 21),
    KEEPALIVE(4, 19),
    ROUTE_REFRESH(5, 23);

    private static final MessageType[] BY_CODE = new MessageType[6];

    static {
        for (MessageType t : values()) {
            if (BY_CODE[t.code] != null) {
                throw new AssertionError("duplicate message type " + t.code);
            }
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final int minLength;

    MessageType(int code, int minLength) {
        this.code = code;
        this.minLength = minLength;
    }

    public int code() {
        return code;
    }

    /** The type for a wire value, or null if it is not a BGP message type. */
    public static MessageType valueOf(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /**
     * Smallest valid total length (header included) per type, RFC 4271 §6.1 and RFC 2918 §3:
     * OPEN 29, UPDATE 23, NOTIFICATION 21, KEEPALIVE 19, ROUTE-REFRESH 23.
     */
    public int minLength() {
        return minLength;
    }

    /** The RIS Live / event name: {@code OPEN}, {@code UPDATE}, …, {@code ROUTE_REFRESH}. */
    public String eventName() {
        return name();
    }
}
