package io.ribbit.codec.attr;

import io.netty.util.NetUtil;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.Nlri;
import io.ribbit.codec.text.FieldWriter;
import io.ribbit.codec.text.Hex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * MP_REACH_NLRI (RFC 4760 §3, code 14): family, next hop, NLRI. The next hop is kept as its
 * exact bytes; {@link #nextHops()} reads it by length: 4 (IPv4), 16 (IPv6 global), 32 (IPv6
 * global + link-local, RFC 2545 §3), 12 / 24 / 48 (the same preceded by an all-zero route
 * distinguisher, RFC 4364 §4.3.2 / RFC 4659 §3.2.1). An IPv6 next hop for IPv4 NLRI is RFC 8950.
 */
public final class MpReachNlri implements PathAttribute {
    private final AfiSafi afiSafi;
    private final byte[] nextHop;
    private final Nlri nlri;

    public MpReachNlri(AfiSafi afiSafi, byte[] nextHop, Nlri nlri) {
        this.afiSafi = afiSafi;
        this.nextHop = nextHop.clone();
        this.nlri = nlri;
    }

    @Override
    public int code() {
        return AttributeCode.MP_REACH_NLRI;
    }

    public AfiSafi afiSafi() {
        return afiSafi;
    }

    public byte[] nextHopBytes() {
        return nextHop.clone();
    }

    int nextHopLength() {
        return nextHop.length;
    }

    byte[] nextHopNoCopy() {
        return nextHop;
    }

    public Nlri nlri() {
        return nlri;
    }

    /** True when the next-hop length is one {@link #nextHops()} can read. */
    public static boolean isReadableNextHopLength(int length) {
        return length == 4 || length == 12 || length == 16 || length == 24 || length == 32 || length == 48;
    }

    /** The next-hop addresses as text (the link-local one second), route distinguishers dropped. */
    public List<String> nextHops() {
        List<String> out = new ArrayList<>(2);
        switch (nextHop.length) {
            case 4, 16 -> out.add(NetUtil.bytesToIpAddress(nextHop));
            case 12 -> out.add(NetUtil.bytesToIpAddress(Arrays.copyOfRange(nextHop, 8, 12)));
            case 24 -> out.add(NetUtil.bytesToIpAddress(Arrays.copyOfRange(nextHop, 8, 24)));
            case 32 -> {
                out.add(NetUtil.bytesToIpAddress(Arrays.copyOfRange(nextHop, 0, 16)));
                out.add(NetUtil.bytesToIpAddress(Arrays.copyOfRange(nextHop, 16, 32)));
            }
            case 48 -> {
                out.add(NetUtil.bytesToIpAddress(Arrays.copyOfRange(nextHop, 8, 24)));
                out.add(NetUtil.bytesToIpAddress(Arrays.copyOfRange(nextHop, 32, 48)));
            }
            default -> {
                if (nextHop.length > 0) {
                    out.add(Hex.encode(nextHop));
                }
            }
        }
        return out;
    }

    /** Formatted as part of {@code announcements} by the UPDATE writer; here the next hop alone. */
    @Override
    public void format(FieldWriter w) {
        w.startObject().name("afi_safi").value(afiSafi.name()).name("next_hop").startArray();
        for (String nh : nextHops()) {
            w.value(nh);
        }
        w.endArray().endObject();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MpReachNlri m && m.afiSafi.equals(afiSafi) && Arrays.equals(m.nextHop, nextHop)
                && m.nlri.equals(nlri);
    }

    @Override
    public int hashCode() {
        return afiSafi.hashCode() * 31 + Arrays.hashCode(nextHop);
    }

    @Override
    public String toString() {
        return "MpReachNlri[" + afiSafi + " nh " + nextHops() + " " + nlri + "]";
    }
}
