package io.ribbit.codec.message;

import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.text.Hex;
import java.util.Arrays;

/**
 * ROUTE-REFRESH (RFC 2918 §3): AFI, subtype (RFC 7313 §3.2: 0 normal request, 1 BoRR, 2 EoRR;
 * "Reserved" in RFC 2918), SAFI, and any ORF entries (RFC 5291) kept raw.
 */
public final class RouteRefreshMessage implements BgpMessage {
    public static final int NORMAL = 0;
    public static final int BEGIN_OF_ROUTE_REFRESH = 1;
    public static final int END_OF_ROUTE_REFRESH = 2;

    private final AfiSafi family;
    private final int subtype;
    private final byte[] orf;

    public RouteRefreshMessage(AfiSafi family, int subtype, byte[] orf) {
        this.family = family;
        this.subtype = subtype;
        this.orf = orf == null ? new byte[0] : orf.clone();
    }

    public static RouteRefreshMessage request(AfiSafi family) {
        return new RouteRefreshMessage(family, NORMAL, null);
    }

    @Override
    public MessageType type() {
        return MessageType.ROUTE_REFRESH;
    }

    public AfiSafi family() {
        return family;
    }

    public int subtype() {
        return subtype;
    }

    public String subtypeName() {
        return switch (subtype) {
            case NORMAL -> "request";
            case BEGIN_OF_ROUTE_REFRESH -> "borr";
            case END_OF_ROUTE_REFRESH -> "eorr";
            default -> "subtype-" + subtype;
        };
    }

    /** ORF entries (RFC 5291 §4), raw; empty without ORF. */
    public byte[] orf() {
        return orf.clone();
    }

    byte[] orfNoCopy() {
        return orf;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouteRefreshMessage r && r.family.equals(family) && r.subtype == subtype
                && Arrays.equals(r.orf, orf);
    }

    @Override
    public int hashCode() {
        return family.hashCode() * 31 + subtype;
    }

    @Override
    public String toString() {
        return "ROUTE-REFRESH " + family + " " + subtypeName() + (orf.length > 0 ? " orf " + Hex.encode(orf) : "");
    }
}
