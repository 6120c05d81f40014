package io.ribbit.collector.blast;

import java.net.InetSocketAddress;

/**
 * What makes one blast session different from the others.
 *
 * @param index      0-based session number
 * @param local      source address (active) or listen address (passive); port 0 = any
 * @param asn        the session's own AS: OPEN's My AS and the first AS of every path it sends
 * @param routerId   its BGP identifier
 * @param nextHop4   NEXT_HOP of its IPv4 routes
 * @param nextHop6   the 16-octet MP_REACH_NLRI next hop of its IPv6 routes
 */
public record SessionParams(int index, InetSocketAddress local, long asn, int routerId, int nextHop4,
        byte[] nextHop6) {
    /**
     * Session {@code index} as feeder.py sets it up: from {@code local}, AS
     * {@link SyntheticTable#DEFAULT_SESSION_AS}[index % 16], router id 203.0.113.(index + 1), next
     * hop 198.51.100.(index + 1) (an attribute value only: 127/8 is a martian to several daemons)
     * and 2001:db8::(index + 1) for IPv6 (not feeder.py's {@code ::ffff:198.51.100.x}, which BIRD
     * rejects as an IPv4 next hop for IPv6 routes).
     */
    public static SessionParams feederStyle(int index, InetSocketAddress local) {
        int nh = 0xC6336400 | (index + 1) & 0xff;
        long asn = SyntheticTable.DEFAULT_SESSION_AS[index % SyntheticTable.DEFAULT_SESSION_AS.length];
        return new SessionParams(index, local, asn, 0xCB007100 | (index + 1) & 0xff, nh, documentationIpv6(index + 1));
    }

    /** 2001:db8::{@code n} (RFC 3849 documentation space), the default IPv6 next hop of session n. */
    public static byte[] documentationIpv6(int n) {
        byte[] b = new byte[16];
        b[0] = 0x20;
        b[1] = 0x01;
        b[2] = 0x0d;
        b[3] = (byte) 0xb8;
        b[14] = (byte) (n >>> 8);
        b[15] = (byte) n;
        return b;
    }

    /** Dotted text of an IPv4 address held in an int. */
    public static String ipv4Text(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 0xff) + "." + (a >>> 8 & 0xff) + "." + (a & 0xff);
    }
}
