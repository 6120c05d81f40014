package io.ribbit.collector.blast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.netty.util.NetUtil;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.Communities;
import io.ribbit.codec.attr.LargeCommunities;
import io.ribbit.codec.attr.Origin;
import io.ribbit.codec.attr.PathAttribute;
import io.ribbit.codec.attr.Uint32Attribute;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * A route list written by hand or by a script, as text or YAML. Consecutive routes with the same
 * attributes are packed into one {@link RouteGroup} (at most {@code maxGroup} prefixes).
 *
 * <p>Text ({@code .txt}, optionally {@code .gz}), one route per line, fields separated by
 * {@code |}, all but the prefix optional; blank lines and {@code #} comments are skipped:
 * <pre>
 * PREFIX|AS PATH|ORIGIN|MED|COMMUNITIES|LARGE COMMUNITIES
 * 192.0.2.0/24|64500 64501|IGP|10|64500:1 64500:2|64500:1:2
 * 2001:db8::/32|64500
 * </pre>
 * AS path: ASNs separated by spaces (one AS_SEQUENCE); ORIGIN: {@code IGP} (default), {@code EGP}
 * or {@code INCOMPLETE}; MED: empty or 0 means none (the bgpdump-style tables this format comes
 * from write 0 for "no MED").
 *
 * <p>YAML ({@code .yaml}/{@code .yml}): {@code routes:} followed by a list of maps with the keys
 * {@code prefix} (required), {@code as-path} (list of ASNs), {@code origin}, {@code med},
 * {@code communities} and {@code large-communities} (lists of {@code "a:b"} / {@code "a:b:c"}).
 */
public final class RouteList {
    private RouteList() {
    }

    /** Reads a route list file, by name: YAML for .yaml/.yml, else text (gzip if .gz). */
    public static Workload load(Path file) throws IOException {
        String name = file.getFileName().toString();
        List<RouteGroup> groups;
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            try (InputStream in = Files.newInputStream(file)) {
                groups = parseYaml(in, name, Integer.MAX_VALUE);
            }
        } else {
            InputStream raw = Files.newInputStream(file);
            try (Reader r = new InputStreamReader(name.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw,
                    StandardCharsets.US_ASCII)) {
                groups = parseText(r, name, Integer.MAX_VALUE);
            }
        }
        long n = groups.stream().mapToLong(RouteGroup::size).sum();
        return Workload.table(String.format("route list %s: %,d prefixes", name, n), groups);
    }

    /** Parses the text form; {@code name} prefixes error messages ({@code name:line: ...}). */
    public static List<RouteGroup> parseText(Reader reader, String name, int maxGroup) throws IOException {
        Packer packer = new Packer(maxGroup);
        BufferedReader r = reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
        int lineNo = 0;
        for (String line; (line = r.readLine()) != null; ) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] f = t.split("\\|", -1);
            try {
                packer.add(f[0].strip(), String.join("|", Arrays.copyOfRange(f, 1, f.length)),
                        asPath(field(f, 1).isEmpty() ? new String[0] : field(f, 1).split("\\s+")),
                        others(field(f, 2), field(f, 3), words(field(f, 4)), words(field(f, 5))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ":" + lineNo + ": " + e.getMessage(), e);
            }
        }
        return packer.finish();
    }

    /** Parses the YAML form. */
    public static List<RouteGroup> parseYaml(InputStream in, String name, int maxGroup) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
        JsonNode routes = root == null ? null : root.path("routes");
        if (routes == null || !routes.isArray()) {
            throw new IllegalArgumentException(name + ": expected a list under \"routes:\"");
        }
        Packer packer = new Packer(maxGroup);
        int i = 0;
        for (JsonNode r : routes) {
            i++;
            try {
                if (!r.isObject() || !r.hasNonNull("prefix")) {
                    throw new IllegalArgumentException("each route needs a prefix");
                }
                List<String> path = strings(r.path("as-path"));
                String origin = r.path("origin").asText("");
                String med = r.path("med").asText("");
                List<String> comms = strings(r.path("communities"));
                List<String> large = strings(r.path("large-communities"));
                packer.add(r.get("prefix").asText(), path + "|" + origin + "|" + med + "|" + comms + "|" + large,
                        asPath(path.toArray(new String[0])), others(origin, med, comms, large));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": routes[" + i + "]: " + e.getMessage(), e);
            }
        }
        return packer.finish();
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(x -> out.add(x.asText()));
        } else if (!n.isMissingNode() && !n.isNull()) {
            out.addAll(words(n.asText()));
        }
        return out;
    }

    private static String field(String[] f, int i) {
        return i < f.length ? f[i].strip() : "";
    }

    private static List<String> words(String s) {
        return s.isBlank() ? List.of() : List.of(s.strip().split("[\\s,]+"));
    }

    private static AsPath asPath(String[] hops) {
        long[] asns = new long[hops.length];
        for (int i = 0; i < hops.length; i++) {
            asns[i] = asn(hops[i]);
        }
        return AsPath.sequence(asns);
    }

    private static long asn(String s) {
        try {
            long a = Long.parseLong(s.strip());
            if (a >= 0 && a <= 0xFFFF_FFFFL) {
                return a;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("bad AS number \"" + s + "\"");
    }

    private static List<PathAttribute> others(String origin, String med, List<String> comms, List<String> large) {
        List<PathAttribute> a = new ArrayList<>(4);
        a.add(switch (origin.toUpperCase(java.util.Locale.ROOT)) {
            case "", "IGP", "I" -> Origin.IGP;
            case "EGP", "E" -> Origin.EGP;
            case "INCOMPLETE", "?" -> Origin.INCOMPLETE;
            default -> throw new IllegalArgumentException("bad origin \"" + origin + "\" (IGP, EGP or INCOMPLETE)");
        });
        if (!med.isEmpty() && !med.equals("0")) {
            try {
                a.add(new Uint32Attribute(AttributeCode.MULTI_EXIT_DISC, Long.parseLong(med)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad MED \"" + med + "\"");
            }
        }
        if (!comms.isEmpty()) {
            int[] v = new int[comms.size()];
            for (int i = 0; i < v.length; i++) {
                String[] p = comms.get(i).split(":");
                if (p.length != 2) {
                    throw new IllegalArgumentException("bad community \"" + comms.get(i) + "\" (a:b)");
                }
                v[i] = (int) (number(p[0], 0xFFFF) << 16 | number(p[1], 0xFFFF));
            }
            a.add(Communities.of(v));
        }
        if (!large.isEmpty()) {
            long[] v = new long[3 * large.size()];
            for (int i = 0; i < large.size(); i++) {
                String[] p = large.get(i).split(":");
                if (p.length != 3) {
                    throw new IllegalArgumentException("bad large community \"" + large.get(i) + "\" (a:b:c)");
                }
                for (int k = 0; k < 3; k++) {
                    v[3 * i + k] = number(p[k], 0xFFFF_FFFFL);
                }
            }
            a.add(LargeCommunities.of(v));
        }
        a.sort((x, y) -> Integer.compare(x.code(), y.code()));
        return a;
    }

    private static long number(String s, long max) {
        try {
            long v = Long.parseLong(s);
            if (v >= 0 && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("bad number \"" + s + "\"");
    }

    /** Parses {@code addr/len}, host bits cleared: IPv4 as one packed word, IPv6 as three. */
    static long[] prefix(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("bad prefix \"" + text + "\" (address/length)");
        }
        byte[] a = NetUtil.createByteArrayFromIpAddressString(text.substring(0, slash));
        int len;
        try {
            len = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            len = -1;
        }
        if (a == null || len < 0 || len > a.length * 8) {
            throw new IllegalArgumentException("bad prefix \"" + text + "\"");
        }
        return prefix(a, len);
    }

    /** A prefix of 4- or 16-octet {@code address} and {@code len} as packed words, host bits cleared. */
    static long[] prefix(byte[] a, int len) {
        if (a.length == 4) {
            int v = (a[0] & 0xff) << 24 | (a[1] & 0xff) << 16 | (a[2] & 0xff) << 8 | (a[3] & 0xff);
            return new long[] {PrefixList.packIpv4(v & PrefixList.ipv4Mask(len), len)};
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = hi << 8 | (a[i] & 0xff);
            lo = lo << 8 | (a[8 + i] & 0xff);
        }
        if (len <= 64) {
            hi &= len == 0 ? 0 : -1L << (64 - len);
            lo = 0;
        } else {
            lo &= -1L << (128 - len);
        }
        return new long[] {hi, lo, len};
    }

    /** Packs consecutive routes with the same attributes into groups. */
    private static final class Packer {
        private final int maxGroup;
        private final List<RouteGroup> out = new ArrayList<>();
        private String key;
        private AfiSafi family;
        private AsPath path;
        private List<PathAttribute> others;
        private long[] words = new long[64];
        private int size;

        Packer(int maxGroup) {
            this.maxGroup = maxGroup;
        }

        void add(String prefixText, String attrKey, AsPath p, List<PathAttribute> o) {
            long[] w = prefix(prefixText);
            AfiSafi f = w.length == 3 ? AfiSafi.IPV6_UNICAST : AfiSafi.IPV4_UNICAST;
            if (!attrKey.equals(key) || !f.equals(family) || size == maxGroup) {
                flush();
                key = attrKey;
                family = f;
                path = p;
                others = o;
            }
            if ((size + 1) * w.length > words.length) {
                words = Arrays.copyOf(words, words.length * 2);
            }
            System.arraycopy(w, 0, words, size * w.length, w.length);
            size++;
        }

        private void flush() {
            if (size > 0) {
                int stride = family.isIpv6() ? 3 : 1;
                out.add(new RouteGroup(new PrefixList(family, size, Arrays.copyOf(words, size * stride), null, null,
                        null), path, others));
                size = 0;
            }
        }

        List<RouteGroup> finish() {
            flush();
            return out;
        }
    }
}
