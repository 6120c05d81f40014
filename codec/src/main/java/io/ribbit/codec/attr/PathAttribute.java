package io.ribbit.codec.attr;

import io.ribbit.codec.text.FieldWriter;

/**
 * One decoded path attribute (RFC 4271 §4.3, §5). Values are immutable. Everything about an
 * attribute code (name, flags, RFC 7606 action, codec) lives in its {@link AttributeTable} row.
 */
public interface PathAttribute {
    /** The attribute type code (IANA "BGP Path Attributes"). */
    int code();

    /** Writes the value (not the name) for events and tools. */
    void format(FieldWriter w);
}
