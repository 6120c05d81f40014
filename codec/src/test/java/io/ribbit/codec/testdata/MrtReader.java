package io.ribbit.codec.testdata;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * Small streaming MRT reader for tests (RFC 6396; ADD-PATH subtypes from RFC 8050). It splits a
 * dump into records and decodes the MRT framing only; BGP messages and path attributes are handed
 * out as raw bytes for the decoder under test.
 *
 * <p>Handled: BGP4MP (16) and BGP4MP_ET (17) MESSAGE(_AS4)(_LOCAL)(_ADDPATH) subtypes 1, 4, 6-11 and
 * STATE_CHANGE(_AS4) 0/5; TABLE_DUMP_V2 (13) PEER_INDEX_TABLE, RIB_IPV4/IPV6_UNICAST/MULTICAST,
 * RIB_GENERIC and their _ADDPATH variants (2-6, 8-12); TABLE_DUMP v1 (12, AFI 1/2; bgpdump's
 * non-standard 3/4 = 4-octet peer AS); the deprecated type 5 {@code BGP} (subtypes 1 UPDATE, 3
 * STATE_CHANGE, 5 OPEN, 6 NOTIFY, 7 KEEPALIVE), whose records carry source AS(2)/IP(4), destination
 * AS(2)/IP(4) and then the message <em>body only</em>: a full message with all-ones marker, length
 * and type is synthesised ({@link Bgp4mpMessage#headerSynthesized()}). Everything else (e.g.
 * BGP4MP_ENTRY, unknown types) becomes {@link Unparsed}.
 *
 * <p>Robustness: {@link #next()} never throws for bad data. A truncated header/body, an implausible
 * length (&gt; {@value #MAX_RECORD}) or a decompression error ends the stream with
 * {@link #stoppedEarly()} and {@link #stopReason()}; a body that cannot be decoded yields
 * {@link Unparsed} and reading continues. Quirks recognised (SOURCES.md): Zebra 8-byte STATE_CHANGE
 * (peer AS, local AS, old, new), Zebra OPEN records without ifindex/AFI/IPs (bytes 4.. are the
 * message; bgpdump's workaround), and, only when enabled, the early RIS TABLE_DUMP batches whose
 * length field is 4 bytes short ({@code rrc00-bview.20000111.0032.gz}).
 */
public final class MrtReader implements Closeable {

    /** Records longer than this are treated as corruption. */
    public static final int MAX_RECORD = 64 << 20;

    /** MRT common header. {@code microseconds} is 0 unless the type is an _ET type (17, 33, 49). */
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

    /** All records of a file plus how reading ended. */
    public record Result(List<Record> records, boolean stoppedEarly, String stopReason, long bytesRead) {}

    private final InputStream in;
    private final boolean recoverBatchedTableDump;
    private List<Peer> peers = List.of();
    private long offset;
    private int count;
    private boolean done;
    private String stopReason;

    /** Reads an already decompressed stream. */
    public MrtReader(InputStream in, boolean recoverBatchedTableDump) {
        this.in = in.markSupported() ? in : new BufferedInputStream(in, 1 << 16);
        this.recoverBatchedTableDump = recoverBatchedTableDump;
    }

    /** Opens a file, decompressing {@code .gz} / {@code .bz2} by name. */
    public static MrtReader open(Path file) throws IOException {
        return open(file, false);
    }

    public static MrtReader open(Path file, boolean recoverBatchedTableDump) throws IOException {
        return new MrtReader(openDecompressed(file), recoverBatchedTableDump);
    }

    /** Opens a file, decompressing by suffix ({@code .gz}: java.util.zip, {@code .bz2}: commons-compress). */
    public static InputStream openDecompressed(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        String n = file.getFileName().toString();
        try {
            if (n.endsWith(".gz")) {
                return new GZIPInputStream(raw, 1 << 16);
            }
            if (n.endsWith(".bz2")) {
                return new BZip2CompressorInputStream(raw, true);
            }
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
        return raw;
    }

    /** Reads a whole file. Never throws for malformed content; I/O errors opening the file are unchecked. */
    public static Result readAll(Path file, boolean recoverBatchedTableDump) {
        try (MrtReader r = open(file, recoverBatchedTableDump)) {
            List<Record> out = new ArrayList<>();
            for (Record x = r.next(); x != null; x = r.next()) {
                out.add(x);
            }
            return new Result(List.copyOf(out), r.stoppedEarly(), r.stopReason(), r.offset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Result readAll(Path file) {
        return readAll(file, false);
    }

    public int recordsRead() {
        return count;
    }

    public boolean stoppedEarly() {
        return stopReason != null;
    }

    public String stopReason() {
        return stopReason;
    }

    /** Next record, or null at end of data (check {@link #stoppedEarly()}). */
    public Record next() {
        if (done) {
            return null;
        }
        try {
            byte[] h = in.readNBytes(12);
            if (h.length == 0) {
                return stop(null);
            }
            if (h.length < 12) {
                return stop("truncated MRT header at offset " + offset + " (" + h.length + " of 12 bytes)");
            }
            ByteBuffer hb = ByteBuffer.wrap(h);
            long ts = u32(hb);
            int type = u16(hb);
            int subtype = u16(hb);
            long len = u32(hb);
            boolean et = type == 17 || type == 33 || type == 49;
            int micros = 0;
            long bodyLen = len;
            if (et) {
                byte[] mb = in.readNBytes(4);
                if (mb.length < 4 || len < 4) {
                    return stop("truncated extended-timestamp header at offset " + offset);
                }
                micros = (int) u32(ByteBuffer.wrap(mb));
                bodyLen = len - 4;
            }
            if (bodyLen > MAX_RECORD) {
                return stop("implausible record length " + len + " at offset " + offset + " (type " + type + "/" + subtype + ")");
            }
            byte[] body = in.readNBytes((int) bodyLen);
            if (body.length < bodyLen) {
                return stop("truncated record at offset " + offset + ": " + body.length + " of " + bodyLen + " body bytes");
            }
            Header header = new Header(offset, ts, micros, type, subtype, len);
            offset += 12 + len;
            String quirk = null;
            if (type == 12 && recoverBatchedTableDump && shortByFour(ts, subtype)) {
                byte[] extra = in.readNBytes(4);
                body = Arrays.copyOf(body, body.length + extra.length);
                System.arraycopy(extra, 0, body, body.length - extra.length, extra.length);
                offset += extra.length;
                quirk = "record length field 4 bytes short (early RIS batch); 4 bytes appended";
            }
            count++;
            try {
                return decode(header, body, quirk);
            } catch (RuntimeException e) {
                return new Unparsed(header, body, "malformed " + type + "/" + subtype + ": " + e);
            }
        } catch (IOException e) {
            return stop("I/O error after " + count + " records at offset " + offset + ": " + e);
        }
    }

    private Record stop(String reason) {
        done = true;
        stopReason = reason;
        return null;
    }

    /** True if the declared length is 4 short: a TABLE_DUMP header starts 4 bytes later (or exactly 4 bytes remain). */
    private boolean shortByFour(long ts, int subtype) throws IOException {
        in.mark(32);
        byte[] p = in.readNBytes(16);
        in.reset();
        if (p.length == 4) {
            return true;
        }
        return p.length == 16 && !looksLikeTableDump(ByteBuffer.wrap(p), 0, ts, subtype)
                && looksLikeTableDump(ByteBuffer.wrap(p), 4, ts, subtype);
    }

    private static boolean looksLikeTableDump(ByteBuffer b, int at, long ts, int subtype) {
        long t = b.getInt(at) & 0xffffffffL;
        return Math.abs(t - ts) <= 86400 && b.getShort(at + 4) == 12 && (b.getShort(at + 6) & 0xffff) == subtype;
    }

    private Record decode(Header h, byte[] body, String quirk) {
        ByteBuffer b = ByteBuffer.wrap(body);
        int st = h.subtype();
        switch (h.type()) {
            case 16, 17 -> {
                if (st == 0 || st == 5) {
                    return stateChange(h, b, st == 5 ? 4 : 2);
                }
                if (st == 1 || st == 4 || (st >= 6 && st <= 11)) {
                    return bgp4mpMessage(h, b, st);
                }
                return new Unparsed(h, body, st == 2 || st == 3 ? "deprecated BGP4MP_ENTRY/SNAPSHOT (not decoded)"
                        : "unknown BGP4MP subtype " + st);
            }
            case 13 -> {
                if (st == 1) {
                    return peerIndexTable(h, b);
                }
                if ((st >= 2 && st <= 6) || (st >= 8 && st <= 12)) {
                    return rib(h, b, st);
                }
                return new Unparsed(h, body, "TABLE_DUMP_V2 subtype " + st + " not decoded");
            }
            case 12 -> {
                return tableDump(h, b, quirk);
            }
            case 5 -> {
                return legacyBgp(h, b);
            }
            default -> {
                return new Unparsed(h, body, "MRT type " + h.type() + " not decoded");
            }
        }
    }

    private static Record stateChange(Header h, ByteBuffer b, int asLen) {
        long peerAs = asn(b, asLen), localAs = asn(b, asLen);
        if (asLen == 2 && b.capacity() == 8) {
            return new StateChange(h, peerAs, localAs, null, null, u16(b), u16(b), "8-byte STATE_CHANGE (Zebra bug): no ifindex/AFI/IPs");
        }
        u16(b);
        int afi = u16(b);
        int al = afi == 2 ? 16 : 4;
        String peerIp = ip(b, al), localIp = ip(b, al);
        return new StateChange(h, peerAs, localAs, peerIp, localIp, u16(b), u16(b), null);
    }

    private static Record bgp4mpMessage(Header h, ByteBuffer b, int st) {
        boolean as4 = st == 4 || st == 7 || st == 9 || st == 11;
        boolean local = st == 6 || st == 7 || st == 10 || st == 11;
        boolean addPath = st >= 8;
        int asLen = as4 ? 4 : 2;
        long peerAs = asn(b, asLen), localAs = asn(b, asLen);
        int ifIndex = u16(b), afi = u16(b);
        if (ifIndex == 0xffff && afi == 0xffff) {
            b.position(b.position() - 4);
            return new Bgp4mpMessage(h, peerAs, localAs, 0, 0, null, null, as4, addPath, local, false,
                    "Zebra OPEN record without ifindex/AFI/IPs: message starts right after the AS numbers", rest(b));
        }
        if (afi != 1 && afi != 2) {
            return new Unparsed(h, b.array(), "BGP4MP message with unknown AFI " + afi);
        }
        int al = afi == 2 ? 16 : 4;
        String peerIp = ip(b, al), localIp = ip(b, al);
        return new Bgp4mpMessage(h, peerAs, localAs, ifIndex, afi, peerIp, localIp, as4, addPath, local, false, null, rest(b));
    }

    private static Record legacyBgp(Header h, ByteBuffer b) {
        int st = h.subtype();
        if (st == 3) {
            long as = u16(b);
            String ip = ip(b, 4);
            return new StateChange(h, as, 0, ip, null, u16(b), u16(b), "legacy MRT type 5 BGP_STATE_CHANGE");
        }
        int msgType = switch (st) {
            case 1 -> 2;
            case 5 -> 1;
            case 6 -> 3;
            case 7 -> 4;
            default -> -1;
        };
        if (msgType < 0) {
            return new Unparsed(h, b.array(), "legacy MRT type 5 subtype " + st + " not decoded");
        }
        long srcAs = u16(b);
        String srcIp = ip(b, 4);
        long dstAs = u16(b);
        String dstIp = ip(b, 4);
        return new Bgp4mpMessage(h, srcAs, dstAs, 0, 1, srcIp, dstIp, false, false, false, true,
                "legacy MRT type 5: body only in file, header synthesised", HexStreams.withHeader(msgType, rest(b)));
    }

    private Record peerIndexTable(Header h, ByteBuffer b) {
        String collector = ip(b, 4);
        byte[] name = new byte[u16(b)];
        b.get(name);
        int n = u16(b);
        List<Peer> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int t = b.get() & 0xff;
            String id = ip(b, 4);
            String ip = ip(b, (t & 1) != 0 ? 16 : 4);
            list.add(new Peer(i, id, ip, asn(b, (t & 2) != 0 ? 4 : 2), (t & 1) != 0, (t & 2) != 0));
        }
        peers = List.copyOf(list);
        return new PeerIndexTable(h, collector, new String(name, java.nio.charset.StandardCharsets.UTF_8), peers);
    }

    private Record rib(Header h, ByteBuffer b, int st) {
        boolean addPath = st >= 8;
        boolean generic = st == 6 || st == 12;
        long seq = u32(b);
        int afi, safi;
        if (generic) {
            afi = u16(b);
            safi = b.get() & 0xff;
        } else {
            int k = addPath ? st - 6 : st;   // 2..5
            afi = k <= 3 ? 1 : 2;
            safi = (k == 2 || k == 4) ? 1 : 2;
        }
        int bits = b.get(b.position()) & 0xff;
        byte[] nlri = new byte[1 + (bits + 7) / 8];
        b.get(nlri);
        String prefix = (afi == 1 || afi == 2) && (safi == 1 || safi == 2) ? prefix(afi, nlri) : null;
        int n = u16(b);
        List<RibEntry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int pi = u16(b);
            long orig = u32(b);
            Long pathId = addPath ? u32(b) : null;
            byte[] attrs = new byte[u16(b)];
            b.get(attrs);
            entries.add(new RibEntry(pi, pi < peers.size() ? peers.get(pi) : null, orig, pathId, attrs, mpReachForm(attrs)));
        }
        return new Rib(h, seq, afi, safi, prefix, nlri, addPath, List.copyOf(entries));
    }

    private static Record tableDump(Header h, ByteBuffer b, String quirk) {
        int st = h.subtype();
        int afi = (st == 2 || st == 4) ? 2 : 1;
        boolean as4 = st == 3 || st == 4;
        int al = afi == 2 ? 16 : 4;
        int view = u16(b), seq = u16(b);
        List<TableDumpEntry> entries = new ArrayList<>();
        entries.add(tableDumpEntry(b, al, as4));
        int min = al + 1 + 1 + 4 + al + (as4 ? 4 : 2) + 2;
        while (b.remaining() >= min) {    // early RIS batches: more entries without view/sequence
            int mark = b.position();
            try {
                entries.add(tableDumpEntry(b, al, as4));
            } catch (RuntimeException e) {
                b.position(mark);
                break;
            }
        }
        if (b.hasRemaining()) {
            quirk = (quirk == null ? "" : quirk + "; ") + b.remaining() + " trailing bytes not decoded";
        }
        return new TableDump(h, view, seq, afi, as4, List.copyOf(entries), quirk);
    }

    private static TableDumpEntry tableDumpEntry(ByteBuffer b, int al, boolean as4) {
        byte[] addr = new byte[al];
        b.get(addr);
        int plen = b.get() & 0xff;
        int status = b.get() & 0xff;
        long orig = u32(b);
        String peer = ip(b, al);
        long peerAs = asn(b, as4 ? 4 : 2);
        byte[] attrs = new byte[u16(b)];
        b.get(attrs);
        return new TableDumpEntry(formatAddress(addr) + "/" + plen, status, orig, peer, peerAs, attrs);
    }

    /** Classifies the MP_REACH_NLRI attribute (type 14) in a path-attribute block. */
    public static MpReach mpReachForm(byte[] attrs) {
        try {
            ByteBuffer b = ByteBuffer.wrap(attrs);
            while (b.hasRemaining()) {
                int flags = b.get() & 0xff, type = b.get() & 0xff;
                int len = (flags & 0x10) != 0 ? u16(b) : b.get() & 0xff;
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
     * Formats 4 or 16 bytes like glibc {@code inet_ntop} (what bgpdump and tshark print): IPv6
     * lower-case, longest zero run of 2+ groups compressed, IPv4-mapped/compatible as
     * {@code ::ffff:1.2.3.4} / {@code ::1.2.3.4}.
     */
    public static String formatAddress(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        }
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestBase = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && w[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestBase = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestBase = -1;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestBase) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff))) {
                sb.append(a[12] & 0xff).append('.').append(a[13] & 0xff).append('.').append(a[14] & 0xff).append('.').append(a[15] & 0xff);
                break;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(w[i]));
        }
        return sb.toString();
    }

    private static String ip(ByteBuffer b, int len) {
        byte[] a = new byte[len];
        b.get(a);
        return formatAddress(a);
    }

    private static byte[] rest(ByteBuffer b) {
        byte[] r = new byte[b.remaining()];
        b.get(r);
        return r;
    }

    private static long asn(ByteBuffer b, int len) {
        return len == 4 ? u32(b) : u16(b);
    }

    private static int u16(ByteBuffer b) {
        return b.getShort() & 0xffff;
    }

    private static long u32(ByteBuffer b) {
        return b.getInt() & 0xffffffffL;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
