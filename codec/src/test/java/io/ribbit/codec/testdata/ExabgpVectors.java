package io.ribbit.codec.testdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Loads the ExaBGP QA vectors ({@code vectors/exabgp}; ExaBGP's JSON is the authoritative expected
 * decode, SOURCES.md caveat 5).
 *
 * <p><b>decoding/*.txt</b>: line 1 the kind ({@code "update ipv4 unicast"}, {@code "open"},
 * {@code "nlri bgp-ls bgp-ls"}); line 2 hex in one of three layouts: a full message
 * ({@code FFFF...}, possibly spaced in 4-digit groups), {@code MARKER:LEN:TYPE:BODY} with colons, or the
 * <em>body only</em> (no marker/length/type: {@code bgp-evpn-1}, {@code bgp-ls-3..6}); line 3 the
 * ExaBGP JSON. For body-only vectors a header is synthesised with the type from the kind
 * ({@link DecodingVector#headerSynthesized()}). {@code bgp-ls-1} is a bare BGP-LS NLRI, not a message
 * ({@link DecodingVector#nlriOnly()}).
 *
 * <p><b>encoding/*.ci</b>: {@code option:KEY:VALUE} lines ({@code file}, {@code asn}, {@code bind},
 * {@code open}); {@code N:cmd:} the ExaBGP API command; {@code N:raw:} the expected wire bytes, with
 * colons anywhere (even inside a byte's digits, {@code conf-path-information}); {@code N:json:} the
 * decode ({@code N:jsv4:}/{@code N:jsv6:} for older/newer ExaBGP versions); {@code #} comment lines
 * (some are commented-out raws: {@code # 1:raw:} in conf-flow, {@code #2:raw:} in
 * conf-path-information). {@code N} is a sequence/connection number, <em>not</em> a key: json lines
 * are paired with the raw that precedes them (conf-watchdog has {@code 1:raw} followed by
 * {@code 5:json}), and a cmd applies to every raw up to the next cmd.
 *
 * <p>Session options a decoder needs: ADD-PATH for {@code conf-addpath} and
 * {@code conf-path-information} (ipv4 unicast/mpls-vpn NLRI carry 4-byte path ids; their JSON has
 * {@code "path-information"}), 2-octet AS for {@code conf-no-asn4}; everything else is 4-octet AS
 * without ADD-PATH.
 */
public final class ExabgpVectors {

    private ExabgpVectors() {}

    /** How line 2 of a decoding vector was written. */
    public enum Layout { FULL, COLON, BODY_ONLY, NLRI_ONLY }

    /**
     * A decoding vector. {@code bytes}: the full message (header synthesised for BODY_ONLY), or the
     * NLRI for NLRI_ONLY; {@code original}: the bytes as written on line 2. {@code messageType} is
     * the type byte of {@code bytes} (-1 for NLRI_ONLY).
     */
    public record DecodingVector(String name, Path file, String kind, Layout layout, boolean headerSynthesized,
            byte[] bytes, byte[] original, String json, int messageType) {
        public boolean nlriOnly() {
            return layout == Layout.NLRI_ONLY;
        }
    }

    /**
     * One raw message of a {@code .ci} file. {@code ordinal}: position among the file's raws (0-based);
     * {@code index}: the {@code N} written before {@code :raw:}; {@code cmd}: the latest preceding
     * {@code cmd} (or null); {@code json}: the {@code json}/{@code jsv6} following the raw (or null);
     * {@code jsonV4}: a {@code jsv4} line if present.
     */
    public record EncodingVector(String file, int ordinal, int index, String cmd, byte[] raw, String json,
            String jsonV4) {
        public int messageType() {
            return HexStreams.messageType(raw);
        }
    }

    /** A {@code .ci} file with the session options it implies. */
    public record CiFile(String name, Path path, List<String> options, List<EncodingVector> messages,
            int commentedOutRaws, boolean addPath, boolean twoOctetAs) {}

    /** All decoding vectors, sorted by file name. */
    public static List<DecodingVector> loadDecoding(Path dir) {
        List<DecodingVector> out = new ArrayList<>();
        for (Path f : list(dir, ".txt")) {
            if (!f.getFileName().toString().contains(".tshark-")) {
                out.add(loadDecodingFile(f));
            }
        }
        return out;
    }

    public static DecodingVector loadDecodingFile(Path f) {
        List<String> lines = read(f);
        String name = f.getFileName().toString().replaceFirst("\\.txt$", "");
        String kind = lines.get(0).strip();
        String hex = lines.get(1).strip();
        String json = lines.size() > 2 ? lines.get(2).strip() : null;
        byte[] original = HexStreams.parseHex(hex);
        Layout layout;
        byte[] bytes;
        if (kind.toLowerCase(Locale.ROOT).startsWith("nlri")) {
            layout = Layout.NLRI_ONLY;
            bytes = original;
        } else if (original.length >= 19 && HexStreams.isMarker(original, 0)) {
            layout = hex.contains(":") ? Layout.COLON : Layout.FULL;
            bytes = original;
        } else {
            layout = Layout.BODY_ONLY;
            bytes = HexStreams.withHeader(typeOfKind(kind), original);
        }
        return new DecodingVector(name, f, kind, layout, layout == Layout.BODY_ONLY, bytes, original, json,
                layout == Layout.NLRI_ONLY ? -1 : HexStreams.messageType(bytes));
    }

    /** Message type for a kind's first word: open 1, update 2, notification 3, keepalive 4, refresh 5. */
    public static int typeOfKind(String kind) {
        String w = kind.strip().split("\\s+")[0].toLowerCase(Locale.ROOT);
        return switch (w) {
            case "open" -> 1;
            case "update" -> 2;
            case "notification" -> 3;
            case "keepalive" -> 4;
            case "refresh", "route-refresh" -> 5;
            default -> throw new IllegalArgumentException("unknown vector kind: " + kind);
        };
    }

    /** All {@code .ci} files, sorted by name. */
    public static List<CiFile> loadEncoding(Path dir) {
        return list(dir, ".ci").stream().map(ExabgpVectors::loadCi).toList();
    }

    public static CiFile loadCi(Path f) {
        String name = f.getFileName().toString();
        List<String> options = new ArrayList<>();
        List<EncodingVector> msgs = new ArrayList<>();
        int commented = 0;
        String cmd = null;
        int idx = -1;
        byte[] raw = null;
        String json = null, jsonV4 = null;
        for (String line : read(f)) {
            String t = line.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (t.startsWith("#")) {
                if (t.substring(1).strip().matches("\\d+:raw:.*")) {
                    commented++;
                }
                continue;
            }
            if (t.startsWith("option:")) {
                options.add(t.substring("option:".length()));
                continue;
            }
            int c1 = t.indexOf(':');
            int c2 = c1 < 0 ? -1 : t.indexOf(':', c1 + 1);
            if (c2 < 0 || !t.substring(0, c1).matches("\\d+")) {
                continue;   // unknown line: ignored
            }
            int n = Integer.parseInt(t.substring(0, c1));
            String key = t.substring(c1 + 1, c2), value = t.substring(c2 + 1);
            switch (key) {
                case "cmd" -> {
                    if (raw != null) {
                        msgs.add(new EncodingVector(name, msgs.size(), idx, cmd, raw, json, jsonV4));
                        raw = null;
                    }
                    cmd = value;
                }
                case "raw" -> {
                    if (raw != null) {
                        msgs.add(new EncodingVector(name, msgs.size(), idx, cmd, raw, json, jsonV4));
                    }
                    raw = HexStreams.parseHex(value);
                    idx = n;
                    json = jsonV4 = null;
                }
                case "json", "jsv6" -> json = value;
                case "jsv4" -> jsonV4 = value;
                default -> { }
            }
        }
        if (raw != null) {
            msgs.add(new EncodingVector(name, msgs.size(), idx, cmd, raw, json, jsonV4));
        }
        boolean addPath = name.contains("addpath") || name.contains("path-information")
                || msgs.stream().anyMatch(m -> m.json() != null && m.json().contains("\"path-information\""));
        boolean as2 = name.contains("no-asn4") || options.stream().anyMatch(o -> o.contains("no-asn4"));
        return new CiFile(name, f, List.copyOf(options), List.copyOf(msgs), commented, addPath, as2);
    }

    private static List<Path> list(Path dir, String suffix) {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> read(Path f) {
        try {
            return Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
