package io.ribbit.collector.interop;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A path attribute sent exactly as given: flags, type code and value bytes; the length field is the
 * value's length (extended-length when the value is longer than 255 bytes or {@code flags} has
 * 0x10). ExaBGP sends it through its generic {@code attribute [ 0xCODE 0xFLAGS 0xVALUE ]}, which
 * replaces ExaBGP's own attribute of the same code, so it can carry wrong flags or a wrong-length
 * value for a known attribute: the RFC 7606 "treat-as-withdraw" inputs.
 *
 * @param flags attribute flags octet (0x80 optional, 0x40 transitive, 0x20 partial, 0x10 extended length)
 * @param code  attribute type code
 * @param value attribute value
 */
public record RawAttribute(int flags, int code, byte[] value) {
    public RawAttribute {
        if (flags < 0 || flags > 0xFF || code < 0 || code > 0xFF) {
            throw new IllegalArgumentException("flags and code are octets");
        }
        if (value.length == 0) {
            throw new IllegalArgumentException("ExaBGP cannot send an empty generic attribute value");
        }
        value = value.clone();
    }

    /** MULTI_EXIT_DISC with a 3-octet value: RFC 7606 §7.4, treat-as-withdraw. */
    public static RawAttribute medWithBadLength() {
        return new RawAttribute(0x80, 4, new byte[] {0, 0, 1});
    }

    /** ORIGIN flagged optional: an attribute flags error, RFC 7606 §3(c), treat-as-withdraw. */
    public static RawAttribute originWithBadFlags() {
        return new RawAttribute(0xC0, 1, new byte[] {0});
    }

    /** ORIGIN with the undefined value 7: RFC 7606 §7.1, treat-as-withdraw. */
    public static RawAttribute originWithBadValue() {
        return new RawAttribute(0x40, 1, new byte[] {7});
    }

    /** LARGE_COMMUNITY whose length is not a multiple of 12: RFC 8092 §6, treat-as-withdraw. */
    public static RawAttribute largeCommunityWithBadLength() {
        return new RawAttribute(0xC0, 32, new byte[] {0, 0, (byte) 0xFD, (byte) 0xE8, 0, 0, 0, 1});
    }

    /** ExaBGP's {@code attribute [ 0xCC 0xFF 0xVALUE ]}. */
    String exabgpSyntax() {
        return String.format("attribute [ 0x%02x 0x%02x 0x%s ]", code, flags, HexFormat.of().formatHex(value));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawAttribute a && a.flags == flags && a.code == code
                && Arrays.equals(a.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * flags + code) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "RawAttribute[flags=0x" + Integer.toHexString(flags) + ", code=" + code + ", value="
                + HexFormat.of().formatHex(value) + "]";
    }

    /** The accessor hands out a copy; the record stays immutable. */
    @Override
    public byte[] value() {
        return value.clone();
    }
}
