package io.ribbit.codec.message;

import io.netty.buffer.ByteBuf;
import io.ribbit.codec.SessionOptions;
import io.ribbit.codec.error.BgpError;

/**
 * The 19-octet message header (RFC 4271 §4.1) and its checks (RFC 4271 §6.1), decided from the
 * header alone so a frame decoder can reject a message before buffering its body.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                           Marker (16)                         +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Length               |      Type     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class MessageHeader {
    public static final int MARKER_LENGTH = 16; // RFC 4271 §4.1
    public static final int HEADER_LENGTH = 19; // RFC 4271 §4.1
    public static final int MAX_MESSAGE_LENGTH = 4096; // RFC 4271 §4.1
    public static final int MAX_EXTENDED_MESSAGE_LENGTH = 65535; // RFC 8654 §4
    public static final int LENGTH_OFFSET = 16;
    public static final int TYPE_OFFSET = 18;

    private MessageHeader() {
    }

    /**
     * Checks the header at absolute index {@code idx} (at least {@link #HEADER_LENGTH} readable).
     * Order: marker (1/1), length bounds for the type (1/2, the length field as data), type (1/3,
     * the type octet as data), per-type minimum and exact lengths (1/2).
     *
     * @return null when the header is acceptable, else the malformation
     */
    public static MalformedMessage check(ByteBuf in, int idx, SessionOptions options) {
        return check(in.getLong(idx) == -1L && in.getLong(idx + 8) == -1L, in.getUnsignedShort(idx + LENGTH_OFFSET),
                in.getUnsignedByte(idx + TYPE_OFFSET), options);
    }

    /** {@link #check(ByteBuf, int, SessionOptions)} for a header at {@code idx} of an array. */
    public static MalformedMessage check(byte[] b, int idx, SessionOptions options) {
        boolean marker = true;
        for (int i = idx; i < idx + MARKER_LENGTH; i++) {
            marker &= b[i] == (byte) 0xff;
        }
        return check(marker, (b[idx + LENGTH_OFFSET] & 0xff) << 8 | b[idx + LENGTH_OFFSET + 1] & 0xff,
                b[idx + TYPE_OFFSET] & 0xff, options);
    }

    private static MalformedMessage check(boolean marker, int length, int type, SessionOptions options) {
        if (!marker) {
            return new MalformedMessage(-1, BgpError.CONNECTION_NOT_SYNCHRONIZED, null,
                    "marker is not all ones (RFC 4271 §6.1)");
        }
        MessageType t = MessageType.valueOf(type);
        if (length < HEADER_LENGTH || length > options.maxLength(type)) {
            return badLength(type, length, "length " + length + " outside 19.." + options.maxLength(type));
        }
        if (t == null) {
            return new MalformedMessage(type, BgpError.BAD_MESSAGE_TYPE, new byte[] {(byte) type},
                    "unknown message type " + type + " (RFC 4271 §6.1)");
        }
        if (length < t.minLength() || (t == MessageType.KEEPALIVE && length != HEADER_LENGTH)) {
            return badLength(type, length, t + " length " + length
                    + (t == MessageType.KEEPALIVE ? ", must be 19" : ", below " + t.minLength()));
        }
        return null;
    }

    private static MalformedMessage badLength(int type, int length, String detail) {
        return new MalformedMessage(type, BgpError.BAD_MESSAGE_LENGTH, new byte[] {(byte) (length >>> 8), (byte) length},
                detail + " (RFC 4271 §6.1)");
    }

    /** Writes a header with a zero length; {@link #finish} fills it in. Returns the start index. */
    public static int start(ByteBuf out, MessageType type) {
        int start = out.writerIndex();
        out.writeLong(-1L).writeLong(-1L).writeShort(0).writeByte(type.code());
        return start;
    }

    /** Sets the length field of the message that began at {@code start}. */
    public static void finish(ByteBuf out, int start) {
        out.setShort(start + LENGTH_OFFSET, out.writerIndex() - start);
    }
}
