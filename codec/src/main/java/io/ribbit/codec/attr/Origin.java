package io.ribbit.codec.attr;

import io.ribbit.codec.text.FieldWriter;

/** ORIGIN (RFC 4271 §5.1.1), type code 1. Shared constants, no allocation. */
public enum Origin implements PathAttribute {
    IGP, EGP, INCOMPLETE;

    private static final Origin[] VALUES = values();

    /** The origin for a wire value 0..2, or null. */
    public static Origin valueOf(int wire) {
        return wire >= 0 && wire < VALUES.length ? VALUES[wire] : null;
    }

    /** Wire value (RFC 4271 §4.3: 0 IGP, 1 EGP, 2 INCOMPLETE). */
    public int wire() {
        return ordinal();
    }

    @Override
    public int code() {
        return AttributeCode.ORIGIN;
    }

    @Override
    public void format(FieldWriter w) {
        w.value(name());
    }
}
