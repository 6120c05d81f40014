package io.ribbit.codec.error;

/**
 * Thrown by the codec's inner decode helpers to abandon a message that needs a session reset
 * (the Java form of BIRD's {@code bgp_parse_error} longjmp). It is caught at the decoder
 * boundary and turned into a {@link io.ribbit.codec.message.MalformedMessage}; it never leaves
 * the {@code codec} module. No stack trace is filled in: it is control flow, not a bug.
 */
public final class BgpDecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final byte[] NO_DATA = new byte[0];

    private final BgpError error;
    private final byte[] data;

    public BgpDecodeException(BgpError error, byte[] data, String detail) {
        super(detail, null, false, false);
        this.error = error;
        this.data = data == null ? NO_DATA : data;
    }

    public BgpError error() {
        return error;
    }

    /** NOTIFICATION data (RFC 4271 §6); never null. */
    public byte[] data() {
        return data;
    }
}
