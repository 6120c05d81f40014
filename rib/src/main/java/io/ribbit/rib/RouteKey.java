package io.ribbit.rib;

import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;

/**
 * A route's identity in an Adj-RIB-In: family, prefix (IPv4 packed in {@code high} as
 * {@link PrefixList#packIpv4}; IPv6 as two longs), length, ADD-PATH path id (RFC 7911: the id
 * is part of the key) and route distinguisher (VPN families).
 */
public record RouteKey(AfiSafi family, long high, long low, int length, int pathId, long rd) {
    /** The key of prefix {@code i} of {@code p}. */
    public static RouteKey of(PrefixList p, int i) {
        AfiSafi f = p.afiSafi();
        if (f.isIpv6()) {
            return new RouteKey(f, p.ipv6High(i), p.ipv6Low(i), p.length(i), p.pathId(i), p.routeDistinguisher(i));
        }
        return new RouteKey(f, p.ipv4(i), 0, p.length(i), p.pathId(i), p.routeDistinguisher(i));
    }

    /** The prefix as text. */
    public String prefix() {
        StringBuilder sb = new StringBuilder(24);
        if (family.isIpv6()) {
            byte[] b = new byte[16];
            for (int k = 0; k < 8; k++) {
                b[k] = (byte) (high >>> (56 - 8 * k));
                b[8 + k] = (byte) (low >>> (56 - 8 * k));
            }
            sb.append(io.netty.util.NetUtil.bytesToIpAddress(b));
        } else {
            PrefixList.appendIpv4(PrefixList.ipv4Address(high), sb);
        }
        return sb.append('/').append(length).toString();
    }

    @Override
    public String toString() {
        return family + " " + (rd != 0 ? PrefixList.formatRouteDistinguisher(rd) + ":" : "") + prefix()
                + (pathId != 0 ? " id " + Integer.toUnsignedString(pathId) : "");
    }
}
