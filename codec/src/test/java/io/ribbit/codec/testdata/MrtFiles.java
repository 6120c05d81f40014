package io.ribbit.codec.testdata;

import io.ribbit.codec.mrt.Mrt;
import io.ribbit.codec.mrt.Mrt.Bgp4mpMessage;
import java.util.List;
import java.util.Map;

/**
 * What the test data's MRT files need beyond {@link io.ribbit.codec.mrt.MrtReader}: the files whose
 * plain subtypes carry ADD-PATH NLRI, and address text in the forms other tools print (RFC 5952,
 * as tshark and ExaBGP do) for comparing outputs.
 */
public final class MrtFiles {

    private MrtFiles() {}

    /**
     * Files whose <em>plain</em> BGP4MP_MESSAGE_AS4 UPDATEs carry ADD-PATH encoded NLRI (4-byte path id
     * before each prefix), negotiated in the OPENs of the same file (SOURCES.md caveat 2): BIRD dumps
     * from before the _ADDPATH subtypes existed. Value: the AFI/SAFIs concerned. Beware: a received
     * OPEN advertising capability 69 is <em>not</em> enough to decide: {@code quagga_bgp.mrt}
     * (peer advertises 69 send/receive for IPv4+IPv6 unicast) and {@code openbgpd_bgp.mrt}
     * (69 for 1/1 and 1/128) carry plain NLRI, because the collector side did not negotiate it and
     * MRT files only hold the received OPEN.
     */
    public static final Map<String, String> ADD_PATH_IN_PLAIN_SUBTYPES = Map.of(
            "bird_bgp.mrt", "IPv4 unicast (body NLRI) and IPv6 unicast (MP_REACH/MP_UNREACH)",
            "bird6_bgp.mrt", "IPv6 unicast (MP_REACH/MP_UNREACH)");

    /** Whether NLRI in this message record must be decoded with ADD-PATH path ids. */
    public static boolean addPathNlri(String mrtFileName, Bgp4mpMessage m) {
        return m.addPath() || ADD_PATH_IN_PLAIN_SUBTYPES.containsKey(mrtFileName);
    }

    /** RFC 5952 / {@code inet_ntop} form (what tshark prints): a single zero group is not compressed. */
    public static String formatAddressRfc5952(byte[] a) {
        return Mrt.formatAddressRfc5952(a);
    }

    /**
     * Canonical RFC 5952 text for an IPv4/IPv6 address or {@code addr/len} prefix given in any valid
     * textual form (no DNS), e.g. {@code "2001:7f8:30::2:1:0:8447"} and
     * {@code "2001:7f8:30:0:2:1:0:8447"} both give the latter. Use it to compare bgpdump, tshark,
     * ExaBGP and our own output.
     */
    public static String canonicalAddress(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        String suffix = slash < 0 ? "" : t.substring(slash);
        String addr = slash < 0 ? t : t.substring(0, slash);
        return formatAddressRfc5952(parseAddress(addr)) + suffix;
    }

    /** Parses a textual IPv4 or IPv6 address (incl. {@code ::} and embedded dotted quads) into 4/16 bytes. */
    public static byte[] parseAddress(String s) {
        if (!s.contains(":")) {
            String[] p = s.split("\\.");
            if (p.length != 4) {
                throw new IllegalArgumentException("bad IPv4 address: " + s);
            }
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(p[i]);
                if (v < 0 || v > 255) {
                    throw new IllegalArgumentException("bad IPv4 address: " + s);
                }
                b[i] = (byte) v;
            }
            return b;
        }
        int dc = s.indexOf("::");
        List<String> head = hexGroups(dc < 0 ? s : s.substring(0, dc));
        List<String> tail = dc < 0 ? List.of() : hexGroups(s.substring(dc + 2));
        byte[] out = new byte[16];
        java.io.ByteArrayOutputStream h = new java.io.ByteArrayOutputStream(), t = new java.io.ByteArrayOutputStream();
        for (String g : head) {
            writeGroup(h, g);
        }
        for (String g : tail) {
            writeGroup(t, g);
        }
        if (h.size() + t.size() > 16 || (dc < 0 && h.size() != 16)) {
            throw new IllegalArgumentException("bad IPv6 address: " + s);
        }
        System.arraycopy(h.toByteArray(), 0, out, 0, h.size());
        System.arraycopy(t.toByteArray(), 0, out, 16 - t.size(), t.size());
        return out;
    }

    private static List<String> hexGroups(String s) {
        return s.isEmpty() ? List.of() : List.of(s.split(":", -1));
    }

    private static void writeGroup(java.io.ByteArrayOutputStream o, String g) {
        if (g.contains(".")) {
            o.writeBytes(parseAddress(g));
            return;
        }
        int v = Integer.parseInt(g, 16);
        if (g.isEmpty() || g.length() > 4) {
            throw new IllegalArgumentException("bad IPv6 group: " + g);
        }
        o.write(v >> 8);
        o.write(v);
    }
}
