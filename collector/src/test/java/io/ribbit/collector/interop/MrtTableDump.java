package io.ribbit.collector.interop;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Writes routes as an MRT TABLE_DUMP_V2 file (RFC 6396 §4.3): one PEER_INDEX_TABLE, then one
 * RIB_IPV4_UNICAST or RIB_IPV6_UNICAST record per route, each with a single RIB entry whose
 * attributes are ORIGIN IGP, AS_PATH (4-octet ASNs), NEXT_HOP or the RFC 6396 §4.3.4 short
 * MP_REACH_NLRI, MED, COMMUNITIES and LARGE_COMMUNITY.
 *
 * <p>{@link OpenBgpd} feeds it to {@code bgpctl network mrt file}, the only bgpctl path that lets a
 * network carry an arbitrary AS path.
 */
final class MrtTableDump {
    private static final int TABLE_DUMP_V2 = 13;
    private static final int PEER_INDEX_TABLE = 1;
    private static final int RIB_IPV4_UNICAST = 2;
    private static final int RIB_IPV6_UNICAST = 4;

    private MrtTableDump() {
    }

    /** The file for {@code routes}, as if a peer at {@code peerAddress} AS {@code peerAsn} sent them. */
    static byte[] write(String peerAddress, long peerAsn, List<Route> routes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] peerIp = address(peerAddress);
        Buffer index = new Buffer();
        index.bytes(peerIp.length == 4 ? peerIp : new byte[4]); // collector BGP ID
        index.u16(0);                                          // view name length
        index.u16(1);                                          // peer count
        index.u8(peerIp.length == 16 ? 0x03 : 0x02);           // AS4, IPv6 address if so
        index.bytes(peerIp.length == 4 ? peerIp : new byte[4]);
        index.bytes(peerIp);
        index.u32(peerAsn);
        record(out, PEER_INDEX_TABLE, index.toByteArray());
        int sequence = 0;
        for (Route r : routes) {
            Buffer rib = new Buffer();
            rib.u32(sequence++);
            rib.u8(r.length());
            byte[] prefix = address(r.address());
            rib.bytes(Arrays.copyOf(prefix, (r.length() + 7) / 8));
            rib.u16(1);      // entry count
            rib.u16(0);      // peer index
            rib.u32(0);      // originated time
            byte[] attributes = attributes(r);
            rib.u16(attributes.length);
            rib.bytes(attributes);
            record(out, r.isIpv6() ? RIB_IPV6_UNICAST : RIB_IPV4_UNICAST, rib.toByteArray());
        }
        return out.toByteArray();
    }

    private static byte[] attributes(Route r) {
        Buffer a = new Buffer();
        attribute(a, 0x40, 1, new byte[] {0});
        Buffer path = new Buffer();
        if (!r.asPath().isEmpty()) {
            path.u8(2); // AS_SEQUENCE
            path.u8(r.asPath().size());
            r.asPath().forEach(path::u32);
        }
        attribute(a, 0x40, 2, path.toByteArray());
        byte[] nextHop = address(r.nextHop());
        if (r.isIpv6()) {
            Buffer mp = new Buffer();
            mp.u8(nextHop.length);
            mp.bytes(nextHop);
            attribute(a, 0x80, 14, mp.toByteArray());
        } else {
            attribute(a, 0x40, 3, nextHop);
        }
        if (r.med().isPresent()) {
            Buffer med = new Buffer();
            med.u32(r.med().getAsLong());
            attribute(a, 0x80, 4, med.toByteArray());
        }
        if (!r.communities().isEmpty()) {
            Buffer c = new Buffer();
            r.communities().forEach(s -> c.u32(Route.communityValue(s)));
            attribute(a, 0xC0, 8, c.toByteArray());
        }
        if (!r.largeCommunities().isEmpty()) {
            Buffer c = new Buffer();
            for (String s : r.largeCommunities()) {
                for (long part : Route.largeCommunityParts(s)) {
                    c.u32(part);
                }
            }
            attribute(a, 0xC0, 32, c.toByteArray());
        }
        return a.toByteArray();
    }

    private static void attribute(Buffer out, int flags, int code, byte[] value) {
        if (value.length > 255) {
            out.u8(flags | 0x10);
            out.u8(code);
            out.u16(value.length);
        } else {
            out.u8(flags);
            out.u8(code);
            out.u8(value.length);
        }
        out.bytes(value);
    }

    private static void record(ByteArrayOutputStream out, int subtype, byte[] body) {
        Buffer header = new Buffer();
        header.u32(0);
        header.u16(TABLE_DUMP_V2);
        header.u16(subtype);
        header.u32(body.length);
        out.writeBytes(header.toByteArray());
        out.writeBytes(body);
    }

    private static byte[] address(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + literal, e);
        }
    }

    /** Big-endian byte sink. */
    private static final class Buffer extends ByteArrayOutputStream {
        void u8(int v) {
            write(v);
        }

        void u16(int v) {
            write(v >>> 8);
            write(v);
        }

        void u32(long v) {
            write((int) (v >>> 24));
            write((int) (v >>> 16));
            write((int) (v >>> 8));
            write((int) v);
        }

        void bytes(byte[] b) {
            writeBytes(b);
        }
    }
}
