package io.ribbit.codec.testdata;

import io.ribbit.codec.mrt.Mrt;
import io.ribbit.codec.mrt.MrtReader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses {@code X.bgpdump-m.txt[.gz]}: the output of {@code bgpdump -q -m X} (RIPE NCC bgpdump 1.6.2),
 * one line per prefix, in MRT record order. Formats ({@code kind} = {@code BGP4MP}, {@code BGP4MP_ET},
 * {@code BGP4MP_AP}, {@code TABLE_DUMP}, {@code TABLE_DUMP2}, {@code TABLE_DUMP2_AP}, {@code BGP}):
 * <pre>
 * kind|time|STATE|peer|peerAS|old|new
 * kind|time|W|peer|peerAS|prefix[|pathId]
 * kind|time|A or B|peer|peerAS|prefix|[pathId|]ASPATH|ORIGIN|NEXTHOP|LOCALPREF|MED|COMMUNITIES|AG or NAG|AGGREGATOR_AS AGGREGATOR_IP|
 * BGP|time|A|peer|peerAS|prefix|ASPATH|ORIGIN|NEXTHOP|LOCALPREF|MED+COMMUNITIES|AG or NAG|AGGREGATOR|
 * </pre>
 * {@code time} is unix seconds, with {@code .uuuuuu} for BGP4MP_ET. Within one UPDATE record the lines
 * are: withdrawals (IPv4 body, then MP v4 SAFI 1/2/3, then v6 SAFI 1/2/3), then announcements in the
 * same order. OPEN/KEEPALIVE/NOTIFICATION/ROUTE-REFRESH produce no lines.
 *
 * <p><b>Known bgpdump mistakes and gaps</b> (SOURCES.md caveats + own findings) — see
 * {@link #FILE_CAVEATS} and {@link #lineCaveat(String, Line)}:
 * <ol>
 *   <li>host bits of NLRI prefixes are not masked ({@code updates.nlri_mask_trailing_bits.gz}: 1.6.2
 *       prints {@code 11.13.0.0/13}, upstream HEAD {@code 11.8.0.0/13}, kept as
 *       {@code .upstream-expect.bgpdump-m.txt});</li>
 *   <li>{@code bird_bgp.mrt}/{@code bird6_bgp.mrt}: ADD-PATH NLRI inside plain BGP4MP_MESSAGE_AS4
 *       (negotiated in the OPENs of the same file) are decoded as garbage prefixes: every A line is
 *       wrong;</li>
 *   <li>not printed: ROUTE-REFRESH, VPNv4 SAFI 128 prefixes, BGP4MP_ENTRY, RIB_GENERIC, and large
 *       communities (attr 32: only in {@code -H} output);</li>
 *   <li>legacy {@code BGP|...|A} lines (MRT type 5) have no separate COMMUNITIES column: the
 *       communities are glued onto MED ({@code 0} + {@code 8918:60 ...} prints as
 *       {@code 08918:60 ...}), see {@link Line#medCommunitiesField()};</li>
 *   <li>corrupt inputs: {@code rrc00-bview.20000111.0032.gz} gives 1 line; for
 *       {@code rrc00-updates.20000325.0345.gz} the 5th record is damaged and its 2042 W lines are
 *       garbage (e.g. {@code 0.5.0.3/54});</li>
 *   <li>Zebra 8-byte STATE_CHANGE records print peer {@code 0.0.0.0}.</li>
 * </ol>
 */
public final class BgpdumpOracle {

    private BgpdumpOracle() {}

    /**
     * One {@code -m} line. Unused fields are null. {@code timestamp} is as printed; {@code op} is
     * {@code A}, {@code W}, {@code B} or {@code STATE}. For legacy {@code BGP} A lines {@code med} and
     * {@code communities} are null when the glued field is not a plain number (see
     * {@link #medCommunitiesField()}).
     */
    public record Line(int lineNo, String raw, String kind, String timestamp, long seconds, int micros, String op,
            String peerIp, long peerAs, String prefix, Long pathId, String asPath, String origin, String nextHop,
            Long localPref, Long med, String communities, Boolean atomicAggregate, String aggregator,
            Integer oldState, Integer newState, String medCommunitiesField) {
        public boolean addPath() {
            return kind.endsWith("_AP");
        }

        /** For legacy {@code BGP} A lines: does the glued MED/COMMUNITIES field equal {@code med} followed by {@code communities}? */
        public boolean matchesMedAndCommunities(long med, String communities) {
            return medCommunitiesField != null && medCommunitiesField.equals(med + communities);
        }
    }

    /** File name (as in the data set) → why the bgpdump oracle is wrong or incomplete for it. */
    public static final Map<String, String> FILE_CAVEATS = Map.ofEntries(
            Map.entry("bird_bgp.mrt", "caveat 2: ADD-PATH NLRI in non-ADDPATH BGP4MP_MESSAGE_AS4; all A lines are garbage (0.0.0.0/0, 24.0.0.0/1, ...)"),
            Map.entry("bird6_bgp.mrt", "caveat 2: ADD-PATH NLRI in non-ADDPATH BGP4MP_MESSAGE_AS4; all A lines are garbage (4000::/1, ...)"),
            Map.entry("updates.nlri_mask_trailing_bits.gz", "caveat 1: bgpdump 1.6.2 does not mask host bits; use the .upstream-expect.bgpdump-m.txt file"),
            Map.entry("openbgpd_rib_table-mp.mrt", "caveat 3: BGP4MP_ENTRY not implemented: 0 lines for 31 records"),
            Map.entry("openbgpd_rib_table-v2.mrt", "caveat 3: the 2 RIB_GENERIC (VPNv4) records are not printed"),
            Map.entry("openbgpd_bgp.mrt", "caveat 3: VPNv4 (SAFI 128) prefixes and ROUTE-REFRESH are not printed"),
            Map.entry("quagga_bgp.mrt", "caveat 3: VPNv4 (SAFI 128) prefixes and ROUTE-REFRESH are not printed"),
            Map.entry("rrc00-bview.20000111.0032.gz", "non-conforming batched TABLE_DUMP: bgpdump prints 1 line and stops; not a complete oracle"),
            Map.entry("rrc00-updates.20000325.0345.gz", "corrupt: record 5 (offset 188, 14556 bytes) is damaged, its 2042 W lines are garbage; bgpdump stops at the next bad header"),
            Map.entry("rrc00-updates.19990903.1041.gz", "legacy BGP lines: COMMUNITIES glued onto MED"),
            Map.entry("rrc00-updates.19991214.1621.gz", "legacy BGP lines: COMMUNITIES glued onto MED"),
            Map.entry("rrc00-updates.20000102.2014.gz", "legacy BGP lines: COMMUNITIES glued onto MED"));

    /** Caveat for a whole MRT file, by file name. */
    public static Optional<String> fileCaveat(String mrtFileName) {
        return Optional.ofNullable(FILE_CAVEATS.get(mrtFileName));
    }

    /** Why a single line should not be trusted, if it should not. */
    public static Optional<String> lineCaveat(String mrtFileName, Line l) {
        if ((mrtFileName.equals("bird_bgp.mrt") || mrtFileName.equals("bird6_bgp.mrt")) && "A".equals(l.op())) {
            return Optional.of(FILE_CAVEATS.get(mrtFileName));
        }
        if (mrtFileName.equals("rrc00-updates.20000325.0345.gz") && l.lineNo() > 4) {
            return Optional.of(FILE_CAVEATS.get(mrtFileName));
        }
        if (mrtFileName.equals("updates.nlri_mask_trailing_bits.gz")) {
            return Optional.of(FILE_CAVEATS.get(mrtFileName));
        }
        if (l.medCommunitiesField() != null && l.med() == null) {
            return Optional.of("legacy BGP line: MED and COMMUNITIES run together in '" + l.medCommunitiesField() + "'");
        }
        return Optional.empty();
    }

    /** The {@code -m} oracle next to an MRT file ({@code X.bgpdump-m.txt} or {@code .txt.gz}), if present. */
    public static Optional<Path> oracleFor(Path mrtFile) {
        for (String suffix : new String[] {".bgpdump-m.txt", ".bgpdump-m.txt.gz"}) {
            Path p = mrtFile.resolveSibling(mrtFile.getFileName() + suffix);
            if (Files.exists(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Loads and parses a {@code -m} file ({@code .gz} decompressed by name). Lines that do not parse are skipped. */
    public static List<Line> load(Path file) {
        List<Line> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(MrtReader.openDecompressed(file),
                StandardCharsets.UTF_8))) {
            int n = 0;
            for (String s = r.readLine(); s != null; s = r.readLine()) {
                n++;
                Line l = parse(n, s);
                if (l != null) {
                    out.add(l);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Parses one line; null if it is not a recognisable {@code -m} line. */
    public static Line parse(int lineNo, String raw) {
        String[] f = raw.split("\\|", -1);
        if (f.length < 6) {
            return null;
        }
        try {
            String kind = f[0], ts = f[1], op = f[2], peer = f[3];
            int dot = ts.indexOf('.');
            long sec = Long.parseLong(dot < 0 ? ts : ts.substring(0, dot));
            int micros = dot < 0 ? 0 : Integer.parseInt(ts.substring(dot + 1));
            long peerAs = Long.parseLong(f[4]);
            boolean ap = kind.endsWith("_AP");
            switch (op) {
                case "STATE":
                    return new Line(lineNo, raw, kind, ts, sec, micros, op, peer, peerAs, null, null, null, null, null,
                            null, null, null, null, null, Integer.valueOf(f[5]), Integer.valueOf(f[6]), null);
                case "W":
                    return new Line(lineNo, raw, kind, ts, sec, micros, op, peer, peerAs, f[5],
                            ap && f.length > 6 ? Long.valueOf(f[6]) : null, null, null, null, null, null, null, null,
                            null, null, null, null);
                case "A":
                case "B": {
                    int i = 5;
                    String prefix = f[i++];
                    Long pathId = ap ? Long.valueOf(f[i++]) : null;
                    String asPath = f[i++], origin = f[i++], nextHop = f[i++];
                    Long lp = Long.valueOf(f[i++]);
                    Long med;
                    String comms, glued = null;
                    if (kind.equals("BGP")) {       // MED and COMMUNITIES share one field
                        glued = f[i++];
                        med = glued.matches("\\d+") ? Long.valueOf(glued) : null;
                        comms = med != null ? "" : null;
                    } else {
                        med = Long.valueOf(f[i++]);
                        comms = f[i++];
                    }
                    Boolean ag = "AG".equals(f[i++]);
                    String aggregator = i < f.length ? f[i] : "";
                    return new Line(lineNo, raw, kind, ts, sec, micros, op, peer, peerAs, prefix, pathId, asPath,
                            origin, nextHop, lp, med, comms, ag, aggregator, null, null, glued);
                }
                default:
                    return null;
            }
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * How many {@code -m} lines bgpdump prints for a record, or -1 when that depends on decoding the
     * BGP UPDATE (then count withdrawn + announced prefixes of the AFI/SAFIs bgpdump prints: IPv4/IPv6
     * SAFI 1, 2, 3; never SAFI 128).
     */
    public static int expectedLines(Mrt.Record r) {
        if (r instanceof Mrt.StateChange) {
            return 1;
        }
        if (r instanceof Mrt.Bgp4mpMessage m) {
            return m.messageType() == 2 ? -1 : 0;
        }
        if (r instanceof Mrt.Rib rib) {
            int st = rib.header().subtype();
            return st == 6 || st == 12 ? 0 : rib.entries().size();
        }
        if (r instanceof Mrt.TableDump) {
            return 1;
        }
        return 0;
    }

    /** The peer IP bgpdump prints for a record (null IPs print as {@code 0.0.0.0}); null if not applicable. */
    public static String peerIpOf(Mrt.Record r, int entry) {
        String ip = null;
        if (r instanceof Mrt.StateChange s) {
            ip = s.peerIp();
        } else if (r instanceof Mrt.Bgp4mpMessage m) {
            ip = m.peerIp();
        } else if (r instanceof Mrt.Rib rib) {
            Mrt.Peer p = rib.entries().get(entry).peer();
            return p == null ? null : p.ip();
        } else if (r instanceof Mrt.TableDump td) {
            ip = td.entries().get(entry).peerIp();
        } else {
            return null;
        }
        return ip == null ? "0.0.0.0" : ip;
    }

    /**
     * Walks {@code -m} lines alongside MRT records. For each record call {@link #take(Mrt.Record, int)}
     * with the number of lines the record should produce ({@link #expectedLines} or, for UPDATEs, the
     * decoder's own prefix count); it checks timestamp and peer of each line and throws
     * {@link IllegalStateException} with context on a mismatch.
     */
    public static final class Cursor {
        private final List<Line> lines;
        private int pos;

        public Cursor(List<Line> lines) {
            this.lines = lines;
        }

        public int position() {
            return pos;
        }

        public int remaining() {
            return lines.size() - pos;
        }

        public Optional<Line> peek() {
            return pos < lines.size() ? Optional.of(lines.get(pos)) : Optional.empty();
        }

        /** Takes {@link #expectedLines(Mrt.Record)} lines; the record must not be an UPDATE. */
        public List<Line> take(Mrt.Record r) {
            int n = expectedLines(r);
            if (n < 0) {
                throw new IllegalArgumentException("UPDATE record: line count needs decoding; use take(r, n)");
            }
            return take(r, n);
        }

        public List<Line> take(Mrt.Record r, int n) {
            if (pos + n > lines.size()) {
                throw new IllegalStateException("record at offset " + r.header().offset() + " needs " + n
                        + " lines but only " + remaining() + " remain");
            }
            List<Line> out = lines.subList(pos, pos + n);
            String ts = r.header().timestampString();
            for (int i = 0; i < n; i++) {
                Line l = out.get(i);
                int entry = r instanceof Mrt.Rib ? i : 0;
                String peer = peerIpOf(r, entry);
                if (!l.timestamp().equals(ts) || (peer != null && !peer.equals(l.peerIp()))) {
                    throw new IllegalStateException("line " + l.lineNo() + " '" + l.raw() + "' does not belong to record at offset "
                            + r.header().offset() + " (time " + ts + ", peer " + peer + ")");
                }
            }
            pos += n;
            return List.copyOf(out);
        }
    }
}
