package io.ribbit.codec.attr;

import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.codec.text.FieldWriter;

/**
 * AGGREGATOR (RFC 4271 §5.1.7, code 7; 2 or 4-octet AS per RFC 6793 §3) or AS4_AGGREGATOR
 * (RFC 6793, code 18). Formatted RIS-style as {@code "64500:192.0.2.1"}.
 */
public record Aggregator(int code, long asn, int address) implements PathAttribute {
    public String text() {
        return PrefixList.appendIpv4(address, new StringBuilder(24).append(asn).append(':')).toString();
    }

    @Override
    public void format(FieldWriter w) {
        w.value(text());
    }
}
