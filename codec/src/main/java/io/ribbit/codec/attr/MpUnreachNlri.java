package io.ribbit.codec.attr;

import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.Nlri;
import io.ribbit.codec.text.FieldWriter;

/** MP_UNREACH_NLRI (RFC 4760 §4, code 15): family and withdrawn NLRI. Empty NLRI is End-of-RIB (RFC 4724 §2). */
public record MpUnreachNlri(AfiSafi afiSafi, Nlri nlri) implements PathAttribute {
    @Override
    public int code() {
        return AttributeCode.MP_UNREACH_NLRI;
    }

    @Override
    public void format(FieldWriter w) {
        w.startObject().name("afi_safi").value(afiSafi.name()).endObject();
    }
}
