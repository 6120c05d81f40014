package io.ribbit.codec.message;

import io.ribbit.codec.error.BgpError;
import io.ribbit.codec.text.Hex;

/**
 * What a message decoder emits instead of a message when the session must be reset: the
 * NOTIFICATION to send (error and data, RFC 4271 §6) and a description. Decoders return it;
 * they never throw into the pipeline.
 *
 * @param messageType the type byte of the offending message, or -1 when the header itself was bad
 * @param error the NOTIFICATION code and subcode
 * @param data the NOTIFICATION data (a copy; may be empty)
 * @param detail a human description for logs and events
 */
public record MalformedMessage(int messageType, BgpError error, byte[] data, String detail) implements BgpMessage {
    public MalformedMessage {
        data = data == null ? new byte[0] : data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public MessageType type() {
        return MessageType.valueOf(messageType);
    }

    /** The NOTIFICATION this malformation calls for. */
    public NotificationMessage notification() {
        return new NotificationMessage(error.code(), error.subcode(), data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MalformedMessage m && m.messageType == messageType && m.error == error
                && java.util.Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return error.hashCode() * 31 + java.util.Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "MalformedMessage[" + error + ", data " + Hex.encode(data) + ": " + detail + "]";
    }
}
