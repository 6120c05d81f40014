package io.ribbit.codec.attr;

import io.netty.buffer.ByteBuf;
import io.ribbit.codec.SessionOptions;
import io.ribbit.codec.error.BgpError;
import io.ribbit.codec.error.ErrorAction;

/**
 * One row of the {@link AttributeTable}: everything about one attribute code (BIRD's
 * {@code bgp_attr_desc}).
 *
 * @param code the type code
 * @param name the field name in events and {@code ribbit decode} output
 * @param flags the Optional and Transitive bits the RFC prescribes (checked per RFC 7606 §3(c))
 * @param onMalformed what a malformed instance costs (RFC 7606 §7 for each attribute)
 * @param error the NOTIFICATION when the cost is a session reset (RFC 4271 §6.3)
 * @param rfc the section that defines the attribute's error handling, for docs and test names
 * @param decoder reads the value
 * @param encoder writes the value
 */
public record AttributeDescriptor(int code, String name, int flags, ErrorAction onMalformed, BgpError error,
        String rfc, Decoder decoder, Encoder encoder) {

    /**
     * Reads an attribute value of {@code length} octets at {@code offset} in {@code block}, a
     * copy of the UPDATE's Path Attributes field (kept by {@link PathAttributes}).
     */
    @FunctionalInterface
    public interface Decoder {
        /**
         * @return the value, or null when it was malformed and {@link UpdateDecodeContext#malformed}
         *     recorded what that costs
         */
        PathAttribute decode(byte[] block, int offset, int length, UpdateDecodeContext ctx);
    }

    /** Writes an attribute value (not its header). */
    @FunctionalInterface
    public interface Encoder {
        void encode(PathAttribute value, ByteBuf out, SessionOptions options);
    }

    public boolean optional() {
        return (flags & AttributeCode.FLAG_OPTIONAL) != 0;
    }

    public boolean transitive() {
        return (flags & AttributeCode.FLAG_TRANSITIVE) != 0;
    }
}
