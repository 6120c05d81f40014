package io.ribbit.codec.attr;

import io.ribbit.codec.text.FieldWriter;

/** ATOMIC_AGGREGATE (RFC 4271 §5.1.6), type code 6: presence only. */
public enum AtomicAggregate implements PathAttribute {
    INSTANCE;

    @Override
    public int code() {
        return AttributeCode.ATOMIC_AGGREGATE;
    }

    @Override
    public void format(FieldWriter w) {
        w.value(true);
    }
}
