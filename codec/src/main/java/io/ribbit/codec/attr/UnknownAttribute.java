package io.ribbit.codec.attr;

import io.ribbit.codec.text.FieldWriter;
import io.ribbit.codec.text.Hex;
import java.util.Arrays;

/**
 * An attribute this codec does not decode (RFC 4271 §5: unrecognized optional attributes are
 * kept; transitive ones are passed on with the Partial bit). Kept with its flags and exact value
 * bytes: nothing a router sends is lost. Formatted as {@code {"type", "flags", "hex"}}.
 */
public final class UnknownAttribute implements PathAttribute {
    private final int flags;
    private final int code;
    private final byte[] value;

    public UnknownAttribute(int flags, int code, byte[] value) {
        this.flags = flags & 0xf0;
        this.code = code;
        this.value = value.clone();
    }

    @Override
    public int code() {
        return code;
    }

    public int flags() {
        return flags;
    }

    public byte[] value() {
        return value.clone();
    }

    int length() {
        return value.length;
    }

    byte[] valueNoCopy() {
        return value;
    }

    @Override
    public void format(FieldWriter w) {
        w.startObject().name("type").value(code).name("flags").value(flags).name("hex").value(Hex.encode(value))
                .endObject();
    }

    @Override
    public boolean equals(Object o) {
        // The Extended Length bit says how the length was written (the encoder sets it for values
        // over 255 octets), not what the attribute is; PathAttributes keeps it for re-encoding.
        return o instanceof UnknownAttribute u && u.code == code
                && ((u.flags ^ flags) & ~AttributeCode.FLAG_EXTENDED_LENGTH) == 0 && Arrays.equals(u.value, value);
    }

    @Override
    public int hashCode() {
        return code * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "UnknownAttribute[" + code + ", flags 0x" + Integer.toHexString(flags) + ", " + Hex.encode(value) + "]";
    }
}
