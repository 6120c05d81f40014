package io.ribbit.codec.attr;

import io.ribbit.codec.text.FieldWriter;
import java.util.Arrays;

/**
 * COMMUNITIES (RFC 1997, code 8): 4-octet values, high 16 bits an ASN. Formatted RIS-style as
 * {@code [[asn, value], ...]}; well-known values (IANA "BGP Well-known Communities") have names.
 */
public final class Communities implements PathAttribute {
    public static final int GRACEFUL_SHUTDOWN = 0xFFFF0000; // RFC 8326
    public static final int ACCEPT_OWN = 0xFFFF0001; // RFC 7611
    public static final int LLGR_STALE = 0xFFFF0006; // RFC 9494
    public static final int NO_LLGR = 0xFFFF0007; // RFC 9494
    public static final int BLACKHOLE = 0xFFFF029A; // RFC 7999
    public static final int NO_EXPORT = 0xFFFFFF01; // RFC 1997
    public static final int NO_ADVERTISE = 0xFFFFFF02; // RFC 1997
    public static final int NO_EXPORT_SUBCONFED = 0xFFFFFF03; // RFC 1997
    public static final int NOPEER = 0xFFFFFF04; // RFC 3765

    private final int[] values;

    /** Takes ownership of {@code values}. */
    Communities(int[] values) {
        this.values = values;
    }

    public static Communities of(int... values) {
        return new Communities(values.clone());
    }

    @Override
    public int code() {
        return AttributeCode.COMMUNITIES;
    }

    public int size() {
        return values.length;
    }

    public int get(int i) {
        return values[i];
    }

    public int[] values() {
        return values.clone();
    }

    public boolean contains(int community) {
        for (int v : values) {
            if (v == community) {
                return true;
            }
        }
        return false;
    }

    /** The well-known name of a community value, or null. */
    public static String wellKnownName(int community) {
        return switch (community) {
            case GRACEFUL_SHUTDOWN -> "GRACEFUL_SHUTDOWN";
            case ACCEPT_OWN -> "ACCEPT_OWN";
            case LLGR_STALE -> "LLGR_STALE";
            case NO_LLGR -> "NO_LLGR";
            case BLACKHOLE -> "BLACKHOLE";
            case NO_EXPORT -> "NO_EXPORT";
            case NO_ADVERTISE -> "NO_ADVERTISE";
            case NO_EXPORT_SUBCONFED -> "NO_EXPORT_SUBCONFED";
            case NOPEER -> "NOPEER";
            default -> null;
        };
    }

    /** {@code asn:value} text of one community. */
    public static String text(int community) {
        return (community >>> 16) + ":" + (community & 0xffff);
    }

    @Override
    public void format(FieldWriter w) {
        w.startArray();
        for (int v : values) {
            w.startArray().value(v >>> 16).value(v & 0xffff).endArray();
        }
        w.endArray();
    }

    /** Writes the names of the well-known communities present (for {@code community_names}). */
    public void formatNames(FieldWriter w) {
        w.startArray();
        for (int v : values) {
            String name = wellKnownName(v);
            if (name != null) {
                w.value(name);
            }
        }
        w.endArray();
    }

    public boolean hasWellKnown() {
        for (int v : values) {
            if (wellKnownName(v) != null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Communities c && Arrays.equals(c.values, values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int v : values) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(text(v));
        }
        return sb.toString();
    }
}
