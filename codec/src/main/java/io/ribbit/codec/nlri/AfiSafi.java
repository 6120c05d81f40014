package io.ribbit.codec.nlri;

import java.util.Locale;

/**
 * An address family: AFI (RFC 4760 §3, IANA "Address Family Numbers") and SAFI (IANA "SAFI
 * Values"). An open set: unknown values are legal and carried through. Instances for the
 * families we name are shared, so the hot path never allocates one.
 */
public final class AfiSafi implements Comparable<AfiSafi> {
    public static final int AFI_IPV4 = 1;
    public static final int AFI_IPV6 = 2;
    public static final int AFI_L2VPN = 25;
    public static final int AFI_BGP_LS = 16388;

    public static final int SAFI_UNICAST = 1;
    public static final int SAFI_MULTICAST = 2;
    public static final int SAFI_LABELED_UNICAST = 4; // RFC 8277
    public static final int SAFI_MCAST_VPN = 5; // RFC 6514
    public static final int SAFI_VPLS = 65; // RFC 4761
    public static final int SAFI_EVPN = 70; // RFC 7432
    public static final int SAFI_BGP_LS = 71; // RFC 7752
    public static final int SAFI_BGP_LS_VPN = 72;
    public static final int SAFI_SR_POLICY = 73; // RFC 9830
    public static final int SAFI_MUP = 85;
    public static final int SAFI_MPLS_VPN = 128; // RFC 4364
    public static final int SAFI_MCAST_MPLS_VPN = 129; // RFC 6514
    public static final int SAFI_RT_CONSTRAINT = 132; // RFC 4684
    public static final int SAFI_FLOWSPEC = 133; // RFC 8955
    public static final int SAFI_FLOWSPEC_VPN = 134;

    public static final AfiSafi IPV4_UNICAST = new AfiSafi(AFI_IPV4, SAFI_UNICAST);
    public static final AfiSafi IPV4_MULTICAST = new AfiSafi(AFI_IPV4, SAFI_MULTICAST);
    public static final AfiSafi IPV4_LABELED_UNICAST = new AfiSafi(AFI_IPV4, SAFI_LABELED_UNICAST);
    public static final AfiSafi IPV4_MPLS_VPN = new AfiSafi(AFI_IPV4, SAFI_MPLS_VPN);
    public static final AfiSafi IPV6_UNICAST = new AfiSafi(AFI_IPV6, SAFI_UNICAST);
    public static final AfiSafi IPV6_MULTICAST = new AfiSafi(AFI_IPV6, SAFI_MULTICAST);
    public static final AfiSafi IPV6_LABELED_UNICAST = new AfiSafi(AFI_IPV6, SAFI_LABELED_UNICAST);
    public static final AfiSafi IPV6_MPLS_VPN = new AfiSafi(AFI_IPV6, SAFI_MPLS_VPN);

    private static final AfiSafi[] IPV4 = new AfiSafi[256];
    private static final AfiSafi[] IPV6 = new AfiSafi[256];

    static {
        for (int s = 0; s < 256; s++) {
            IPV4[s] = new AfiSafi(AFI_IPV4, s);
            IPV6[s] = new AfiSafi(AFI_IPV6, s);
        }
        IPV4[SAFI_UNICAST] = IPV4_UNICAST;
        IPV4[SAFI_MULTICAST] = IPV4_MULTICAST;
        IPV4[SAFI_LABELED_UNICAST] = IPV4_LABELED_UNICAST;
        IPV4[SAFI_MPLS_VPN] = IPV4_MPLS_VPN;
        IPV6[SAFI_UNICAST] = IPV6_UNICAST;
        IPV6[SAFI_MULTICAST] = IPV6_MULTICAST;
        IPV6[SAFI_LABELED_UNICAST] = IPV6_LABELED_UNICAST;
        IPV6[SAFI_MPLS_VPN] = IPV6_MPLS_VPN;
    }

    private final int afi;
    private final int safi;

    private AfiSafi(int afi, int safi) {
        this.afi = afi;
        this.safi = safi;
    }

    /** The family for (afi, safi); shared instance for IPv4/IPv6, a new one otherwise. */
    public static AfiSafi of(int afi, int safi) {
        if (safi >= 0 && safi < 256) {
            if (afi == AFI_IPV4) {
                return IPV4[safi];
            }
            if (afi == AFI_IPV6) {
                return IPV6[safi];
            }
        }
        return new AfiSafi(afi, safi);
    }

    /**
     * Parses a configuration name such as {@code ipv4-unicast}, {@code ipv6-mpls-vpn}, or the
     * RIS style {@code ipv4/unicast}. Returns null if not recognised.
     */
    public static AfiSafi parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('/', '-').replace('_', '-');
        int dash = n.indexOf('-');
        if (dash < 0) {
            return null;
        }
        int afi = switch (n.substring(0, dash)) {
            case "ipv4" -> AFI_IPV4;
            case "ipv6" -> AFI_IPV6;
            case "l2vpn" -> AFI_L2VPN;
            case "bgp-ls", "bgpls" -> AFI_BGP_LS;
            default -> -1;
        };
        if (afi < 0) {
            return null;
        }
        String s = n.substring(dash + 1);
        for (int safi = 0; safi < 256; safi++) {
            if (safiName(safi).equals(s)) {
                return of(afi, safi);
            }
        }
        return null;
    }

    public int afi() {
        return afi;
    }

    public int safi() {
        return safi;
    }

    public boolean isIpv4() {
        return afi == AFI_IPV4;
    }

    public boolean isIpv6() {
        return afi == AFI_IPV6;
    }

    /**
     * True for the families whose NLRI this codec decodes into prefixes (RFC 4271, RFC 4760,
     * RFC 8277, RFC 4364/4659): IPv4/IPv6 unicast, multicast, labeled unicast, MPLS VPN.
     */
    public boolean hasPrefixNlri() {
        return (afi == AFI_IPV4 || afi == AFI_IPV6)
                && (safi == SAFI_UNICAST || safi == SAFI_MULTICAST || safi == SAFI_LABELED_UNICAST
                        || safi == SAFI_MPLS_VPN);
    }

    /** Labeled families carry one or more MPLS labels per prefix (RFC 8277, RFC 4364). */
    public boolean isLabeled() {
        return safi == SAFI_LABELED_UNICAST || safi == SAFI_MPLS_VPN;
    }

    /** VPN families carry an 8-byte route distinguisher per prefix (RFC 4364 §4.3.4). */
    public boolean isVpn() {
        return safi == SAFI_MPLS_VPN;
    }

    public String afiName() {
        return switch (afi) {
            case AFI_IPV4 -> "ipv4";
            case AFI_IPV6 -> "ipv6";
            case AFI_L2VPN -> "l2vpn";
            case AFI_BGP_LS -> "bgp-ls";
            default -> "afi" + afi;
        };
    }

    public static String safiName(int safi) {
        return switch (safi) {
            case SAFI_UNICAST -> "unicast";
            case SAFI_MULTICAST -> "multicast";
            case SAFI_LABELED_UNICAST -> "labeled-unicast";
            case SAFI_MCAST_VPN -> "mcast-vpn";
            case SAFI_VPLS -> "vpls";
            case SAFI_EVPN -> "evpn";
            case SAFI_BGP_LS -> "bgp-ls";
            case SAFI_BGP_LS_VPN -> "bgp-ls-vpn";
            case SAFI_SR_POLICY -> "sr-policy";
            case SAFI_MUP -> "mup";
            case SAFI_MPLS_VPN -> "mpls-vpn";
            case SAFI_MCAST_MPLS_VPN -> "mcast-mpls-vpn";
            case SAFI_RT_CONSTRAINT -> "rtc";
            case SAFI_FLOWSPEC -> "flowspec";
            case SAFI_FLOWSPEC_VPN -> "flowspec-vpn";
            default -> "safi" + safi;
        };
    }

    public String safiName() {
        return safiName(safi);
    }

    /** The name used in configuration, events and metric tags, e.g. {@code ipv4-unicast}. */
    public String name() {
        return afiName() + "-" + safiName();
    }

    @Override
    public int compareTo(AfiSafi o) {
        return afi != o.afi ? Integer.compare(afi, o.afi) : Integer.compare(safi, o.safi);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AfiSafi a && a.afi == afi && a.safi == safi;
    }

    @Override
    public int hashCode() {
        return afi * 257 + safi;
    }

    @Override
    public String toString() {
        return name();
    }
}
