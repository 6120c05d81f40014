package io.ribbit.codec.mrt;

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

import io.ribbit.codec.mrt.Mrt.Bgp4mpMessage;
import io.ribbit.codec.mrt.Mrt.Header;
import io.ribbit.codec.mrt.Mrt.Peer;
import io.ribbit.codec.mrt.Mrt.PeerIndexTable;
import io.ribbit.codec.mrt.Mrt.Record;
import io.ribbit.codec.mrt.Mrt.Rib;
import io.ribbit.codec.mrt.Mrt.RibEntry;
import io.ribbit.codec.mrt.Mrt.StateChange;
import io.ribbit.codec.mrt.Mrt.TableDump;
import io.ribbit.codec.mrt.Mrt.TableDumpEntry;
import io.ribbit.codec.mrt.Mrt.Unparsed;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * Small streaming MRT reader (RFC 6396; ADD-PATH subtypes from RFC 8050). It splits a
 * dump into records and decodes the MRT framing only; BGP messages and path attributes are handed
 * out as raw bytes for the codec to decode ({@code MessageCodec.decode},
 * {@code PathAttributesCodec.decodeMrtRibEntry}). Used by {@code ribbit blast} and by the codec's
 * tests against the shared MRT test data.
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

    /**
     * Reads a whole file. Never throws for malformed or truncated content (including a compressed
     * stream too damaged to start decoding: empty result, stopped early); a missing or unreadable
     * file is an {@link UncheckedIOException}.
     */
    public static Result readAll(Path file, boolean recoverBatchedTableDump) {
        if (!Files.isReadable(file)) {
            throw new UncheckedIOException(new IOException("cannot read " + file));
        }
        MrtReader r;
        try {
            r = open(file, recoverBatchedTableDump);
        } catch (IOException e) {
            return new Result(List.of(), true, "cannot start decompression: " + e, 0);
        }
        try (r) {
            List<Record> out = new ArrayList<>();
            for (Record x = r.next(); x != null; x = r.next()) {
                out.add(x);
            }
            return new Result(List.copyOf(out), r.stoppedEarly(), r.stopReason(), r.offset);
        } catch (IOException e) {       // from close(): the data has been read already
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
                "legacy MRT type 5: body only in file, header synthesised", withHeader(msgType, rest(b)));
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
        String prefix = (afi == 1 || afi == 2) && (safi == 1 || safi == 2) ? Mrt.prefix(afi, nlri) : null;
        int n = u16(b);
        List<RibEntry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int pi = u16(b);
            long orig = u32(b);
            Long pathId = addPath ? u32(b) : null;
            byte[] attrs = new byte[u16(b)];
            b.get(attrs);
            entries.add(new RibEntry(pi, pi < peers.size() ? peers.get(pi) : null, orig, pathId, attrs, Mrt.mpReachForm(attrs)));
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
        return new TableDumpEntry(Mrt.formatAddress(addr) + "/" + plen, status, orig, peer, peerAs, attrs);
    }

    private static String ip(ByteBuffer b, int len) {
        byte[] a = new byte[len];
        b.get(a);
        return Mrt.formatAddress(a);
    }

    /** A full BGP message (all-ones marker, length, type) around a legacy record's body. */
    private static byte[] withHeader(int type, byte[] body) {
        byte[] m = new byte[19 + body.length];
        Arrays.fill(m, 0, 16, (byte) 0xff);
        m[16] = (byte) (m.length >> 8);
        m[17] = (byte) m.length;
        m[18] = (byte) type;
        System.arraycopy(body, 0, m, 19, body.length);
        return m;
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
