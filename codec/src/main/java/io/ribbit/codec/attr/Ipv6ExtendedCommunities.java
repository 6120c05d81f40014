package io.ribbit.codec.attr;

import io.netty.util.NetUtil;
import io.ribbit.codec.text.FieldWriter;
import java.util.Arrays;

/**
 * IPv6 Address Specific Extended Community (RFC 5701, code 25): 20-octet values, type (0x00
 * transitive / 0x40 non-transitive), sub-type (0x02 route target, 0x03 route origin, …), a
 * 16-octet IPv6 global administrator and a 2-octet local administrator.
 */
public final class Ipv6ExtendedCommunities implements PathAttribute {
    private final byte[] bytes;

    /** Takes ownership of {@code bytes} (a multiple of 20). */
    Ipv6ExtendedCommunities(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public int code() {
        return AttributeCode.IPV6_EXTENDED_COMMUNITIES;
    }

    public int size() {
        return bytes.length / 20;
    }

    byte[] bytes() {
        return bytes;
    }

    @Override
    public void format(FieldWriter w) {
        w.startArray();
        for (int off = 0; off < bytes.length; off += 20) {
            int type = bytes[off] & 0xff;
            int sub = bytes[off + 1] & 0xff;
            String name = switch (sub) {
                case 0x02 -> "route-target";
                case 0x03 -> "route-origin";
                case 0x0b -> "vrf-route-import";
                default -> String.format("0x%02x:0x%02x", type, sub);
            };
            String addr = NetUtil.bytesToIpAddress(Arrays.copyOfRange(bytes, off + 2, off + 18));
            int local = (bytes[off + 18] & 0xff) << 8 | (bytes[off + 19] & 0xff);
            w.startObject().name("type").value(name).name("transitive").value((type & 0x40) == 0)
                    .name("value").value(addr + ":" + local).endObject();
        }
        w.endArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv6ExtendedCommunities c && Arrays.equals(c.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
