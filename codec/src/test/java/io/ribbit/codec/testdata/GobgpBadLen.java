package io.ribbit.codec.testdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The GoBGP {@code bad-len} fuzz corpus ({@code vectors/gobgp-bad-len}): one malformed BGP message
 * attempt per {@code <sha1>.bin}, plus {@code INDEX.hex.txt} with one line per file:
 * {@code file | file bytes | marker_all_ff | header length field | header type | hex of whole file}
 * ({@code #} lines are comments).
 *
 * <p>None has an all-ones marker (ASCII {@code '0'} or garbage), several declare a length different
 * from the file size, and attribute lengths overrun (e.g. MP_UNREACH {@code 800f05...}). Expected
 * outcome: a Message Header Error (Connection Not Synchronized / Bad Message Length), or a clean
 * parse, never a crash. {@link Vector#withValidMarker()} replaces the first 16 bytes with 0xFF to
 * reach the body-level error paths.
 */
public final class GobgpBadLen {

    private GobgpBadLen() {}

    /** A corpus file. */
    public record Vector(String name, Path file, byte[] bytes) {
        /** A copy with the first 16 bytes set to 0xFF (when there are at least 16). */
        public byte[] withValidMarker() {
            byte[] b = bytes.clone();
            Arrays.fill(b, 0, Math.min(16, b.length), (byte) 0xff);
            return b;
        }

        /** The header length field (bytes 16-17), or -1 if the file is shorter. */
        public int declaredLength() {
            return bytes.length >= 18 ? HexStreams.u16(bytes, 16) : -1;
        }

        public boolean markerAllOnes() {
            return bytes.length >= 16 && HexStreams.isMarker(bytes, 0);
        }
    }

    /** One INDEX.hex.txt line. */
    public record IndexEntry(String file, int fileBytes, boolean markerAllOnes, int headerLength, int headerType,
            byte[] bytes) {}

    /** All {@code .bin} files, sorted by name. */
    public static List<Vector> load(Path dir) {
        try (var s = Files.list(dir)) {
            List<Vector> out = new ArrayList<>();
            for (Path p : s.filter(x -> x.getFileName().toString().endsWith(".bin")).sorted().toList()) {
                out.add(new Vector(p.getFileName().toString(), p, Files.readAllBytes(p)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses INDEX.hex.txt. */
    public static List<IndexEntry> loadIndex(Path indexFile) {
        List<String> lines;
        try {
            lines = Files.readAllLines(indexFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<IndexEntry> out = new ArrayList<>();
        for (String line : lines) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] f = t.split("\\|");
            if (f.length < 6) {
                continue;
            }
            out.add(new IndexEntry(f[0].strip(), Integer.parseInt(f[1].strip()),
                    Boolean.parseBoolean(f[2].strip().toLowerCase(java.util.Locale.ROOT)),
                    Integer.parseInt(f[3].strip()), Integer.parseInt(f[4].strip()), HexStreams.parseHex(f[5])));
        }
        return out;
    }
}
