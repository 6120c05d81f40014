package io.ribbit.codec.attr;

import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.codec.text.FieldWriter;
import java.util.Arrays;

/**
 * EXTENDED_COMMUNITIES (RFC 4360, code 16): 8-octet values. Types and sub-types are decoded per
 * RFC 4360 §3–§5 and RFC 7153 (IANA registries): two-octet-AS, IPv4-address and four-octet-AS
 * specific route target / route origin / link bandwidth / …, opaque (color, encapsulation),
 * EVPN and flow-spec actions (RFC 8955 §7). Anything else is written as hex; nothing is lost.
 */
public final class ExtendedCommunities implements PathAttribute {
    private final long[] values;

    /** Takes ownership of {@code values}. */
    ExtendedCommunities(long[] values) {
        this.values = values;
    }

    public static ExtendedCommunities of(long... values) {
        return new ExtendedCommunities(values.clone());
    }

    @Override
    public int code() {
        return AttributeCode.EXTENDED_COMMUNITIES;
    }

    public int size() {
        return values.length;
    }

    public long get(int i) {
        return values[i];
    }

    /** RFC 4360 §2: bit 0x40 of the type octet set means non-transitive. */
    public static boolean isTransitive(long v) {
        return ((v >>> 56) & 0x40) == 0;
    }

    /** The sub-type name, e.g. {@code route-target}, or null when not one we name. */
    public static String typeName(long v) {
        int type = (int) (v >>> 56) & 0xff;
        int sub = (int) (v >>> 48) & 0xff;
        int base = type & 0xbf; // drop the transitive bit
        switch (base) {
            case 0x00:
            case 0x01:
            case 0x02:
                return switch (sub) {
                    case 0x02 -> "route-target";
                    case 0x03 -> "route-origin";
                    case 0x04 -> "link-bandwidth";
                    case 0x05 -> "ospf-domain-id";
                    case 0x08 -> "bgp-data-collection";
                    case 0x09 -> "source-as";
                    case 0x0a -> "l2vpn-id";
                    case 0x0b -> "vrf-route-import";
                    case 0x10 -> "cisco-vpn-distinguisher";
                    default -> null;
                };
            case 0x03:
                return switch (sub) {
                    case 0x06 -> "ospf-route-type";
                    case 0x0b -> "color";
                    case 0x0c -> "encapsulation";
                    case 0x0d -> "default-gateway";
                    default -> null;
                };
            case 0x06:
                return switch (sub) {
                    case 0x00 -> "mac-mobility";
                    case 0x01 -> "esi-label";
                    case 0x02 -> "es-import-route-target";
                    case 0x03 -> "router-mac";
                    default -> null;
                };
            case 0x80:
            case 0x81:
            case 0x82:
                return switch (sub) {
                    case 0x06 -> "traffic-rate";
                    case 0x07 -> "traffic-action";
                    case 0x08 -> "redirect";
                    case 0x09 -> "traffic-marking";
                    default -> null;
                };
            default:
                return null;
        }
    }

    /** The value text for named types (e.g. {@code 65000:100}, {@code 192.0.2.1:7}), or hex. */
    public static String valueText(long v) {
        int type = (int) (v >>> 56) & 0xff;
        int base = type & 0xbf;
        int sub = (int) (v >>> 48) & 0xff;
        switch (base) {
            case 0x00:
                if (sub == 0x04) { // link bandwidth: 2-octet AS + IEEE float bytes/s
                    return ((v >>> 32) & 0xffff) + ":" + Float.intBitsToFloat((int) v);
                }
                return ((v >>> 32) & 0xffff) + ":" + (v & 0xffffffffL);
            case 0x01:
                return PrefixList.appendIpv4((int) (v >>> 16), new StringBuilder()).append(':').append(v & 0xffff)
                        .toString();
            case 0x02:
                return ((v >>> 16) & 0xffffffffL) + ":" + (v & 0xffff);
            case 0x03:
                if (sub == 0x0b) { // RFC 9012 §4.3 color: 2 flag octets + 4-octet color
                    return Long.toString(v & 0xffffffffL);
                }
                if (sub == 0x0c) { // RFC 9012 §4.1 encapsulation: tunnel type in the last 2 octets
                    return Long.toString(v & 0xffff);
                }
                return String.format("%012x", v & 0xffffffffffffL);
            case 0x80:
                if (sub == 0x06) { // RFC 8955 §7.3 traffic-rate-bytes: 2-octet id + float
                    return Float.toString(Float.intBitsToFloat((int) v));
                }
                if (sub == 0x08) {
                    return ((v >>> 32) & 0xffff) + ":" + (v & 0xffffffffL);
                }
                return String.format("%012x", v & 0xffffffffffffL);
            default:
                return String.format("%012x", v & 0xffffffffffffL);
        }
    }

    /** Writes {@code [{"type": "route-target", "transitive": true, "value": "65000:100", "hex": …}]}. */
    @Override
    public void format(FieldWriter w) {
        w.startArray();
        for (long v : values) {
            w.startObject();
            String name = typeName(v);
            w.name("type").value(name != null ? name
                    : String.format("0x%02x:0x%02x", (v >>> 56) & 0xff, (v >>> 48) & 0xff));
            w.name("transitive").value(isTransitive(v));
            if (name != null) {
                w.name("value").value(valueText(v));
            }
            w.name("hex").value(String.format("%016x", v));
            w.endObject();
        }
        w.endArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtendedCommunities c && Arrays.equals(c.values, values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (long v : values) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            String n = typeName(v);
            sb.append(n != null ? n + ":" + valueText(v) : String.format("%016x", v));
        }
        return sb.toString();
    }
}
