package io.ribbit.codec.mrt;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Record model of {@link MrtReader} (MRT, RFC 6396; ADD-PATH subtypes RFC 8050) and the address
 * formatting its records use. Byte arrays are exposed as-is (records compare them by identity);
 * treat them as read-only.
 *
 * <p>MRT types: 12 TABLE_DUMP, 13 TABLE_DUMP_V2, 16 BGP4MP, 17 BGP4MP_ET (header followed by a 4-byte
 * microsecond field that is counted in the length), deprecated 5 BGP. BGP4MP subtypes: 0
 * STATE_CHANGE, 1 MESSAGE, 2 ENTRY (deprecated), 3 SNAPSHOT (deprecated), 4 MESSAGE_AS4, 5
 * STATE_CHANGE_AS4, 6 MESSAGE_LOCAL, 7 MESSAGE_AS4_LOCAL, 8-11 the _ADDPATH variants of 1, 4, 6, 7.
 * TABLE_DUMP_V2 subtypes: 1 PEER_INDEX_TABLE, 2/3 RIB_IPV4_UNICAST/MULTICAST, 4/5 RIB_IPV6_*, 6
 * RIB_GENERIC, 7 GEO_PEER_TABLE, 8-12 the _ADDPATH variants of 2-6.
 */
public final class Mrt {

    private Mrt() {}

    /**
     * MRT common header. {@code offset}: file offset (decompressed) of the record; {@code length}: as
     * written (for _ET types it includes the 4-byte microsecond field); {@code microseconds} is 0
     * unless the type is an _ET type (17, 33, 49).
     */
    public record Header(long offset, long timestamp, int microseconds, int type, int subtype, long length) {
        public boolean extendedTimestamp() {
            return type == 17 || type == 33 || type == 49;
        }

        /** As bgpdump -m prints it: {@code "1445565678"} or, for _ET types, {@code "1445565678.509481"}. */
        public String timestampString() {
            return extendedTimestamp() ? timestamp + "." + String.format("%06d", microseconds) : Long.toString(timestamp);
        }
    }

    /** Any record. */
    public sealed interface Record permits Bgp4mpMessage, StateChange, PeerIndexTable, Rib, TableDump, Unparsed {
        Header header();
    }

    /**
     * BGP4MP(_ET) message or a legacy type-5 message. {@code message} is the full BGP message as
     * written (marker included); {@code as4}: 4-octet AS subtypes (AS_PATH in the message is 4-octet
     * by convention); {@code addPath}: _ADDPATH subtypes (NLRI carry path ids; a plain subtype may
     * still carry ADD-PATH NLRI if the session negotiated it, see BIRD caveat); {@code local}: _LOCAL
     * subtypes (message sent by the collector). IPs are null when the record does not carry them.
     */
    public record Bgp4mpMessage(Header header, long peerAs, long localAs, int ifIndex, int afi, String peerIp,
            String localIp, boolean as4, boolean addPath, boolean local, boolean headerSynthesized, String quirk,
            byte[] message) implements Record {
        /** BGP message type (byte 18), or -1. */
        public int messageType() {
            return message.length > 18 ? message[18] & 0xff : -1;
        }
    }

    /** BGP4MP STATE_CHANGE(_AS4) or legacy BGP STATE_CHANGE (FSM states 1 Idle .. 6 Established). */
    public record StateChange(Header header, long peerAs, long localAs, String peerIp, String localIp, int oldState,
            int newState, String quirk) implements Record {}

    /** TABLE_DUMP_V2 PEER_INDEX_TABLE entry; {@code index} is its position. */
    public record Peer(int index, String bgpId, String ip, long as, boolean ipv6, boolean as4) {}

    public record PeerIndexTable(Header header, String collectorBgpId, String viewName, List<Peer> peers)
            implements Record {}

    /** Form of MP_REACH_NLRI inside a TD2 attribute block (RFC 6396 §4.3.4 wants ABBREVIATED). */
    public enum MpReach { NONE, ABBREVIATED, FULL, UNKNOWN }

    /**
     * A TD2 RIB entry. Attributes in TD2 always use 4-octet AS numbers. RFC 6396 §4.3.4 abbreviates
     * MP_REACH_NLRI to next-hop length + next hop ({@code ABBREVIATED}), but RIS and Quagga write a
     * {@code FULL} one (AFI, SAFI, next hop, SNPA, even NLRI): see {@link #mpReach()}.
     * {@code peer} is resolved from the latest PEER_INDEX_TABLE (null if missing/out of range).
     */
    public record RibEntry(int peerIndex, Peer peer, long originatedTime, Long pathId, byte[] attributes,
            MpReach mpReach) {
        public boolean attributesAs4() {
            return true;
        }
    }

    /**
     * RIB_* record. {@code prefix} is {@code "addr/len"} for AFI 1/2 with SAFI 1/2 (host bits as
     * written, not masked), else null; {@code nlri} is the raw NLRI incl. its length byte.
     */
    public record Rib(Header header, long sequence, int afi, int safi, String prefix, byte[] nlri, boolean addPath,
            List<RibEntry> entries) implements Record {}

    /** One TABLE_DUMP (v1) entry; attributes use 2-octet AS numbers. */
    public record TableDumpEntry(String prefix, int status, long originatedTime, String peerIp, long peerAs,
            byte[] attributes) {}

    /**
     * TABLE_DUMP v1 record. Conforming records hold exactly one entry; the early RIS batches (view
     * and sequence once, then many entries) are split into {@code entries} when recovery is on.
     */
    public record TableDump(Header header, int view, int sequence, int afi, boolean as4, List<TableDumpEntry> entries,
            String quirk) implements Record {
        public TableDumpEntry entry() {
            return entries.get(0);
        }
    }

    /** A record this reader does not decode (deprecated or unknown type) or could not decode. */
    public record Unparsed(Header header, byte[] body, String reason) implements Record {}

    /** Classifies the MP_REACH_NLRI attribute (type 14) in a path-attribute block. */
    public static MpReach mpReachForm(byte[] attrs) {
        try {
            ByteBuffer b = ByteBuffer.wrap(attrs);
            while (b.hasRemaining()) {
                int flags = b.get() & 0xff, type = b.get() & 0xff;
                int len = (flags & 0x10) != 0 ? (b.getShort() & 0xffff) : b.get() & 0xff;
                if (type == 14) {
                    int first = b.get(b.position()) & 0xff;
                    return len >= 1 && first == len - 1 ? MpReach.ABBREVIATED : MpReach.FULL;
                }
                b.position(b.position() + len);
            }
            return MpReach.NONE;
        } catch (RuntimeException e) {
            return MpReach.UNKNOWN;
        }
    }

    /** {@code "addr/len"} from an NLRI-encoded prefix (length byte + ceil(len/8) bytes); host bits kept. */
    public static String prefix(int afi, byte[] nlri) {
        byte[] a = new byte[afi == 2 ? 16 : 4];
        System.arraycopy(nlri, 1, a, 0, Math.min(nlri.length - 1, a.length));
        return formatAddress(a) + "/" + (nlri[0] & 0xff);
    }

    /**
     * Formats 4 or 16 bytes the way bgpdump prints addresses (its own {@code fmt_ipv6}): lower-case,
     * the first longest run of zero groups compressed <em>even if it is a single group</em>
     * ({@code 2001:7f8:30::2:1:0:8447}), IPv4-mapped as {@code ::ffff:1.2.3.4} and IPv4-compatible
     * (first 96 bits zero, value &gt; 1) as {@code ::1.2.3.4}. MRT record strings use this form so
     * they compare equal to bgpdump output (tshark and {@code inet_ntop} print RFC 5952).
     */
    public static String formatAddress(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        }
        int[] w = words(a);
        boolean first80Zero = w[0] == 0 && w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0;
        long low32 = ((long) w[6] << 16) | w[7];
        if (first80Zero && (w[5] == 0xffff || (w[5] == 0 && low32 > 1))) {
            return "::" + (w[5] == 0xffff ? "ffff:" : "") + formatAddress(java.util.Arrays.copyOfRange(a, 12, 16));
        }
        return groups(w, longestZeroRun(w, 1));
    }

    /**
     * RFC 5952 / {@code inet_ntop} form (what tshark prints): a single zero group is not
     * compressed, IPv4-mapped as {@code ::ffff:1.2.3.4}.
     */
    public static String formatAddressRfc5952(byte[] a) {
        if (a.length == 4) {
            return formatAddress(a);
        }
        int[] w = words(a);
        if (w[0] == 0 && w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0xffff) {
            return "::ffff:" + formatAddress(java.util.Arrays.copyOfRange(a, 12, 16));
        }
        return groups(w, longestZeroRun(w, 2));
    }

    private static int[] words(byte[] a) {
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        return w;
    }

    /** {start, length} of the first longest zero run of at least {@code min} groups, or {-1, 0}. */
    private static int[] longestZeroRun(int[] w, int min) {
        int base = -1, len = 0;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && w[j] == 0) {
                j++;
            }
            if (j - i > len) {
                base = i;
                len = j - i;
            }
            i = j;
        }
        return len >= min ? new int[] {base, len} : new int[] {-1, 0};
    }

    private static String groups(int[] w, int[] run) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == run[0]) {
                sb.append("::");
                i += run[1] - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(w[i]));
        }
        return sb.toString();
    }
}
