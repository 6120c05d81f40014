package io.ribbit.codec.message;

import io.ribbit.codec.error.BgpError;
import io.ribbit.codec.text.Hex;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * NOTIFICATION (RFC 4271 §4.5): error code, subcode, data. For Cease / Administrative Shutdown
 * (6/2) and Administrative Reset (6/4) the data may be an RFC 9003 Shutdown Communication: a
 * length octet and up to 255 octets of UTF-8.
 */
public final class NotificationMessage implements BgpMessage {
    /** RFC 9003 §2: the message is at most 255 octets. */
    public static final int MAX_SHUTDOWN_MESSAGE = 255;

    private final int code;
    private final int subcode;
    private final byte[] data;

    public NotificationMessage(int code, int subcode, byte[] data) {
        this.code = code;
        this.subcode = subcode;
        this.data = data == null ? new byte[0] : data.clone();
    }

    public NotificationMessage(BgpError error, byte[] data) {
        this(error.code(), error.subcode(), data);
    }

    /**
     * A Cease with an RFC 9003 Shutdown Communication; the text is cut to 255 UTF-8 octets at a
     * character boundary.
     */
    public static NotificationMessage shutdown(BgpError cease, String message) {
        byte[] utf8 = truncateUtf8(message == null ? "" : message, MAX_SHUTDOWN_MESSAGE);
        byte[] data = new byte[1 + utf8.length];
        data[0] = (byte) utf8.length;
        System.arraycopy(utf8, 0, data, 1, utf8.length);
        return new NotificationMessage(cease, data);
    }

    private static byte[] truncateUtf8(String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= max) {
            return b;
        }
        int end = max;
        while (end > 0 && (b[end] & 0xc0) == 0x80) {
            end--; // back off to the start of the character that does not fit
        }
        return Arrays.copyOf(b, end);
    }

    @Override
    public MessageType type() {
        return MessageType.NOTIFICATION;
    }

    public int code() {
        return code;
    }

    public int subcode() {
        return subcode;
    }

    /** The named error, or null for codes we do not name. */
    public BgpError error() {
        return BgpError.valueOf(code, subcode);
    }

    public byte[] data() {
        return data.clone();
    }

    int dataLength() {
        return data.length;
    }

    byte[] dataNoCopy() {
        return data;
    }

    /**
     * The RFC 9003 Shutdown Communication of a 6/2 or 6/4, or null when there is none or it is
     * malformed (length past the data, or invalid UTF-8; RFC 9003 §4 says to ignore it then).
     */
    public String shutdownMessage() {
        if (code != 6 || (subcode != 2 && subcode != 4) || data.length == 0) {
            return null;
        }
        int len = data[0] & 0xff;
        if (len == 0 || len > data.length - 1) {
            return len == 0 ? "" : null;
        }
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer cb = dec.decode(ByteBuffer.wrap(data, 1, len));
            return cb.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    public String describe() {
        String text = BgpError.describe(code, subcode);
        String msg = shutdownMessage();
        return code + "/" + subcode + " " + text + (msg != null && !msg.isEmpty() ? ": \"" + msg + "\"" : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NotificationMessage n && n.code == code && n.subcode == subcode
                && Arrays.equals(n.data, data);
    }

    @Override
    public int hashCode() {
        return (code * 256 + subcode) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NOTIFICATION " + describe() + (data.length > 0 ? " data " + Hex.encode(data) : "");
    }
}
