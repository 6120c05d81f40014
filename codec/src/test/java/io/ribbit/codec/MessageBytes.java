package io.ribbit.codec;

import io.ribbit.codec.text.Hex;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds BGP message bytes from readable hex parts so that test rows stay short: every length
 * field is computed unless a test overrides it on purpose. Hex may contain spaces.
 *
 * <pre>
 * announce().replace(ORIGIN, attr(0x40, ORIGIN, "03")).bytes()   // ORIGIN value 3
 * update().withdrawnLength(100).bytes()                          // withdrawn length overrun
 * open().hold(1).bytes()                                         // hold time 1
 * </pre>
 */
final class MessageBytes {
    static final int OPEN = 1;
    static final int UPDATE = 2;
    static final int NOTIFICATION = 3;
    static final int KEEPALIVE = 4;
    static final int ROUTE_REFRESH = 5;

    static final String MARKER = "ffffffff ffffffff ffffffff ffffffff";

    /** ORIGIN IGP. */
    static final String ORIGIN_IGP = "40 01 01 00";
    /** AS_PATH of one AS_SEQUENCE [65001], 2-octet ASNs. */
    static final String AS_PATH_2 = "40 02 04 02 01 fde9";
    /** AS_PATH of one AS_SEQUENCE [65001], 4-octet ASNs. */
    static final String AS_PATH_4 = "40 02 06 02 01 0000fde9";
    /** NEXT_HOP 192.0.2.1. */
    static final String NEXT_HOP = "40 03 04 c0000201";
    /** IPv4 NLRI 10.0.0.0/8. */
    static final String NLRI_10_8 = "08 0a";
    /** MP_REACH_NLRI, IPv6 unicast, next hop 2001:db8::1, NLRI 2001:db8::/32. */
    static final String MP_REACH_V6 = attr(0x80, 14, "0002 01 10 20010db8000000000000000000000001 00 20 20010db8");
    /** MP_UNREACH_NLRI, IPv6 unicast, no NLRI (the IPv6 End-of-RIB marker). */
    static final String MP_UNREACH_V6_EMPTY = attr(0x80, 15, "0002 01");
    /** MP_UNREACH_NLRI, IPv6 unicast, withdrawing 2001:db8::/32. */
    static final String MP_UNREACH_V6 = attr(0x80, 15, "0002 01 20 20010db8");

    private MessageBytes() {
    }

    static byte[] hex(String hex) {
        return Hex.decode(hex);
    }

    static String hex(byte[] bytes) {
        return Hex.encode(bytes);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** {@code n} zero octets as hex. */
    static String zeros(int n) {
        return "00".repeat(n);
    }

    /** A whole message: marker, computed length, type, body. */
    static byte[] message(int type, String body) {
        byte[] b = hex(body);
        return concat(header(19 + b.length, type), b);
    }

    /** Marker, the given length field and type, nothing else: a header that may lie about its length. */
    static byte[] header(int length, int type) {
        return concat(hex(MARKER), new byte[] {(byte) (length >>> 8), (byte) length, (byte) type});
    }

    static byte[] keepalive() {
        return message(KEEPALIVE, "");
    }

    static byte[] notification(int code, int subcode, String data) {
        return message(NOTIFICATION, String.format("%02x%02x", code, subcode) + data);
    }

    /** ROUTE-REFRESH: AFI, subtype (RFC 7313 §3.2), SAFI, then anything else given. */
    static byte[] routeRefresh(int afi, int subtype, int safi, String rest) {
        return message(ROUTE_REFRESH, String.format("%04x%02x%02x", afi, subtype, safi) + rest);
    }

    /**
     * One path attribute as hex: flags, type code, length (two octets when the Extended Length
     * bit 0x10 is set), value.
     */
    static String attr(int flags, int code, String value) {
        int len = hex(value).length;
        String length = (flags & 0x10) != 0 ? String.format("%04x", len) : String.format("%02x", len);
        return String.format("%02x %02x %s %s", flags, code, length, value);
    }

    /** An empty UPDATE (the IPv4 End-of-RIB marker) to add parts to. */
    static Update update() {
        return new Update();
    }

    /**
     * A well-formed IPv4 announcement on a 2-octet-AS session: ORIGIN IGP, AS_PATH [65001],
     * NEXT_HOP 192.0.2.1, NLRI 10.0.0.0/8.
     */
    static Update announce() {
        return update().attr(ORIGIN_IGP).attr(AS_PATH_2).attr(NEXT_HOP).nlri(NLRI_10_8);
    }

    /** The same announcement with a 4-octet AS_PATH, for sessions with RFC 6793 negotiated. */
    static Update announce4() {
        return announce().replace(2, AS_PATH_4);
    }

    /** OPEN version 4, AS 65001, hold time 90, identifier 192.0.2.1, no optional parameters. */
    static Open open() {
        return new Open();
    }

    /** UPDATE parts; lengths are computed unless overridden. */
    static final class Update {
        private String withdrawn = "";
        private Integer withdrawnLength;
        private final List<String> attrs = new ArrayList<>();
        private Integer attributesLength;
        private String nlri = "";

        private Update() {
        }

        /** Withdrawn Routes field (IPv4 prefixes, RFC 4271 §4.3 encoding). */
        Update withdrawn(String hex) {
            this.withdrawn = hex;
            return this;
        }

        /** Overrides the Withdrawn Routes Length field. */
        Update withdrawnLength(int length) {
            this.withdrawnLength = length;
            return this;
        }

        /** Appends raw attribute bytes (normally one {@link MessageBytes#attr} result). */
        Update attr(String attributeHex) {
            attrs.add(attributeHex);
            return this;
        }

        Update attr(int flags, int code, String value) {
            return attr(MessageBytes.attr(flags, code, value));
        }

        /** Replaces the first attribute with type code {@code code}, keeping its position. */
        Update replace(int code, String attributeHex) {
            for (int i = 0; i < attrs.size(); i++) {
                byte[] a = hex(attrs.get(i));
                if (a.length > 1 && (a[1] & 0xff) == code) {
                    attrs.set(i, attributeHex);
                    return this;
                }
            }
            throw new IllegalArgumentException("no attribute " + code);
        }

        /** Removes every attribute with type code {@code code}. */
        Update without(int code) {
            attrs.removeIf(a -> {
                byte[] b = hex(a);
                return b.length > 1 && (b[1] & 0xff) == code;
            });
            return this;
        }

        /** Overrides the Total Path Attribute Length field. */
        Update attributesLength(int length) {
            this.attributesLength = length;
            return this;
        }

        /** The NLRI field (IPv4 prefixes). */
        Update nlri(String hex) {
            this.nlri = hex;
            return this;
        }

        /**
         * Appends an unrecognized optional transitive attribute (code 250, extended length) sized so
         * the whole message is exactly {@code total} octets.
         */
        Update padTo(int total) {
            int valueLength = total - bytes().length - 4;
            if (valueLength < 0 || valueLength > 0xffff) {
                throw new IllegalArgumentException("cannot pad to " + total);
            }
            return attr(0xd0, 250, zeros(valueLength));
        }

        byte[] bytes() {
            byte[] w = hex(withdrawn);
            byte[] a = hex(String.join(" ", attrs));
            byte[] n = hex(nlri);
            int wl = withdrawnLength != null ? withdrawnLength : w.length;
            int al = attributesLength != null ? attributesLength : a.length;
            byte[] body = concat(new byte[] {(byte) (wl >>> 8), (byte) wl}, w,
                    new byte[] {(byte) (al >>> 8), (byte) al}, a, n);
            return concat(header(19 + body.length, UPDATE), body);
        }
    }

    /** OPEN parts (RFC 4271 §4.2); Opt Parm Len is computed unless overridden. */
    static final class Open {
        private int version = 4;
        private int myAs = 65001;
        private int hold = 90;
        private String identifier = "c0000201";
        private final StringBuilder params = new StringBuilder();
        private Integer optLength;

        private Open() {
        }

        Open version(int v) {
            this.version = v;
            return this;
        }

        Open myAs(int asn) {
            this.myAs = asn;
            return this;
        }

        Open hold(int seconds) {
            this.hold = seconds;
            return this;
        }

        /** The BGP Identifier as 8 hex digits. */
        Open identifier(String hex8) {
            this.identifier = hex8;
            return this;
        }

        /** One optional parameter: type, one-octet length, value. */
        Open param(int type, String value) {
            params.append(String.format("%02x%02x", type, hex(value).length)).append(value.replace(" ", ""));
            return this;
        }

        /** One capability in its own Capabilities parameter (RFC 5492 §4). */
        Open capability(int code, String value) {
            return param(2, String.format("%02x%02x", code, hex(value).length) + value.replace(" ", ""));
        }

        /** Overrides the Opt Parm Len field. */
        Open optLength(int length) {
            this.optLength = length;
            return this;
        }

        byte[] bytes() {
            byte[] p = hex(params.toString());
            int ol = optLength != null ? optLength : p.length;
            return message(OPEN, String.format("%02x%04x%04x%s%02x", version, myAs, hold, identifier, ol) + hex(p));
        }
    }
}
