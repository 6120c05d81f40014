package io.ribbit.codec.attr;

import io.ribbit.codec.text.FieldWriter;
import java.util.Arrays;

/**
 * AIGP (RFC 7311 §3, code 26): TLVs; type 1 carries the 8-octet accumulated IGP metric. The
 * TLV bytes are kept as sent so unknown TLVs survive re-encoding.
 */
public final class Aigp implements PathAttribute {
    private final long metric;
    private final byte[] tlvs;

    /** Takes ownership of {@code tlvs}, which hold exactly one AIGP TLV with {@code metric}. */
    Aigp(long metric, byte[] tlvs) {
        this.metric = metric;
        this.tlvs = tlvs;
    }

    public static Aigp of(long metric) {
        byte[] t = new byte[11];
        t[0] = 1;
        t[2] = 11;
        for (int k = 0; k < 8; k++) {
            t[3 + k] = (byte) (metric >>> (56 - 8 * k));
        }
        return new Aigp(metric, t);
    }

    @Override
    public int code() {
        return AttributeCode.AIGP;
    }

    /** The accumulated IGP metric, unsigned 64-bit (so -1 is 2^64 - 1, the saturated value). */
    public long metric() {
        return metric;
    }

    byte[] tlvs() {
        return tlvs;
    }

    @Override
    public void format(FieldWriter w) {
        if (metric >= 0) {
            w.value(metric);
        } else {
            w.value(Long.toUnsignedString(metric));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Aigp a && Arrays.equals(a.tlvs, tlvs);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tlvs);
    }

    @Override
    public String toString() {
        return "Aigp[" + Long.toUnsignedString(metric) + "]";
    }
}
