package io.ribbit.codec.attr;

import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.codec.text.FieldWriter;

/**
 * A path attribute whose value is one IPv4 address / identifier: NEXT_HOP (RFC 4271 §5.1.3),
 * ORIGINATOR_ID (RFC 4456 §8).
 */
public record AddressAttribute(int code, int address) implements PathAttribute {
    public String text() {
        return PrefixList.appendIpv4(address, new StringBuilder(15)).toString();
    }

    @Override
    public void format(FieldWriter w) {
        w.value(text());
    }
}
