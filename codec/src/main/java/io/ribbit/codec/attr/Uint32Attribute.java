package io.ribbit.codec.attr;

import io.ribbit.codec.text.FieldWriter;

/**
 * A path attribute whose value is one 4-octet unsigned number: MULTI_EXIT_DISC (RFC 4271
 * §5.1.4), LOCAL_PREF (§5.1.5), OTC (RFC 9234 §5, an ASN).
 */
public record Uint32Attribute(int code, long value) implements PathAttribute {
    @Override
    public void format(FieldWriter w) {
        w.value(value);
    }
}
