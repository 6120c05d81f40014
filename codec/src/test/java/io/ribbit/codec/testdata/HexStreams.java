package io.ribbit.codec.testdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads the reassembled TCP payload files that sit next to the packet captures, and frames a BGP
 * byte stream into messages (RFC 4271 §4.1: 16-byte all-ones marker, 2-byte length incl. header,
 * 1-byte type; RFC 8654 allows lengths up to 65535).
 *
 * <p>Two layouts exist (see {@code SOURCES.md}):
 * <ul>
 *   <li>{@code X.tcpN.nodeA-to-nodeB.hex} (packetlife, ryu): from {@code tshark -z follow,tcp,raw,N}.
 *       One header line {@code # tshark -z follow,tcp,raw,N of X; direction: SRC:PORT -> DST:PORT; ...}
 *       (IPv6 as {@code [addr]:port}), then one hex line per TCP segment.</li>
 *   <li>{@code X.tcpN.payload.hex} (pmacct): one hex line per frame ({@code tshark -T fields -e
 *       tcp.payload}); header lines {@code # tshark ...} and {@code # direction(s): SRC SPORT DST DPORT}.
 *       These captures overlap a TCP segment by one byte, so only the per-frame layout frames cleanly.</li>
 * </ul>
 * Concatenating the hex lines gives the byte stream of one direction.
 */
public final class HexStreams {

    private HexStreams() {}

    /** One direction of one TCP stream. Addresses are printed as tshark prints them (IPv6 compressed, no brackets). */
    public record Stream(Path file, List<String> comments, String srcAddr, int srcPort, String dstAddr, int dstPort,
            List<byte[]> segments, byte[] bytes) {
        /** {@code "src:port->dst:port"}, IPv6 addresses in brackets; same key as {@link TsharkOracle.Message#directionKey()}. */
        public String directionKey() {
            return TsharkOracle.directionKey(srcAddr, srcPort, dstAddr, dstPort);
        }

        /** The TCP stream index from the file name ({@code .tcpN.}), or -1. */
        public int tcpStream() {
            Matcher m = Pattern.compile("\\.tcp(\\d+)\\.").matcher(file.getFileName().toString());
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        }

        /** Frames {@link #bytes()} into BGP messages. */
        public Framing frame() {
            return split(bytes);
        }
    }

    /**
     * Result of {@link #split(byte[])}.
     *
     * @param messages       complete messages, each including its 19-byte header
     * @param trailingBytes  bytes left after the last complete message (0 if the stream ends cleanly)
     * @param trailingDeclaredLength the length field of the incomplete final message, or -1 if fewer
     *                       than 18 trailing bytes or no incomplete message
     * @param errorOffset    offset at which framing stopped because of a bad marker or a length
     *                       outside 19..65535, or -1; bytes from there on are counted in trailingBytes
     */
    public record Framing(List<byte[]> messages, int trailingBytes, int trailingDeclaredLength, int errorOffset) {
        public boolean clean() {
            return trailingBytes == 0 && errorOffset < 0;
        }

        /** Message types in order (byte 18 of each message). */
        public List<Integer> types() {
            List<Integer> t = new ArrayList<>();
            for (byte[] m : messages) {
                t.add(messageType(m));
            }
            return t;
        }
    }

    private static final Pattern FOLLOW_DIR = Pattern.compile("direction:\\s*(\\S+)\\s*->\\s*(\\S+?);");
    private static final Pattern FIELDS_DIR = Pattern.compile("direction\\(s\\):\\s*(\\S+)\\s+(\\d+)\\s+(\\S+)\\s+(\\d+)");

    /** Loads one {@code .hex} stream file. */
    public static Stream load(Path hexFile) {
        List<String> lines;
        try {
            lines = Files.readAllLines(hexFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> comments = new ArrayList<>();
        List<byte[]> segments = new ArrayList<>();
        String src = null, dst = null;
        int sp = -1, dp = -1;
        for (String line : lines) {
            String t = line.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (t.startsWith("#")) {
                comments.add(t);
                Matcher m = FOLLOW_DIR.matcher(t);
                if (m.find()) {
                    String[] a = splitHostPort(m.group(1));
                    String[] b = splitHostPort(m.group(2));
                    src = a[0];
                    sp = Integer.parseInt(a[1]);
                    dst = b[0];
                    dp = Integer.parseInt(b[1]);
                }
                m = FIELDS_DIR.matcher(t);
                if (m.find()) {
                    src = m.group(1);
                    sp = Integer.parseInt(m.group(2));
                    dst = m.group(3);
                    dp = Integer.parseInt(m.group(4));
                }
                continue;
            }
            segments.add(parseHex(t));
        }
        int total = segments.stream().mapToInt(s -> s.length).sum();
        byte[] all = new byte[total];
        int o = 0;
        for (byte[] s : segments) {
            System.arraycopy(s, 0, all, o, s.length);
            o += s.length;
        }
        return new Stream(hexFile, List.copyOf(comments), src, sp, dst, dp, List.copyOf(segments), all);
    }

    /**
     * All {@code .hex} stream files that belong to a capture (files named {@code <capture>.tcp*.hex}),
     * sorted by name. Example: {@code forCapture(TestData.require("pcap/packetlife/BGP_MD5.cap"))}.
     */
    public static List<Stream> forCapture(Path capture) {
        String prefix = capture.getFileName().toString() + ".tcp";
        try (java.util.stream.Stream<Path> s = Files.list(capture.getParent())) {
            List<Path> files = s.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(".hex")).sorted().toList();
            List<Stream> out = new ArrayList<>();
            for (Path f : files) {
                out.add(load(f));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All {@code *.hex} files directly in {@code dir}, sorted by name. */
    public static List<Path> listHexFiles(Path dir) {
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".hex")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Splits a TCP byte stream into complete BGP messages. Never throws: framing stops at the first
     * header whose marker is not all-ones or whose length is outside 19..65535 (reported in
     * {@link Framing#errorOffset()}), or at an incomplete final message.
     */
    public static Framing split(byte[] stream) {
        List<byte[]> out = new ArrayList<>();
        int off = 0;
        int error = -1;
        int declared = -1;
        while (off < stream.length) {
            int rem = stream.length - off;
            if (rem >= 16 && !isMarker(stream, off)) {
                error = off;
                break;
            }
            if (rem < 19) {
                if (rem >= 18) {
                    declared = u16(stream, off + 16);
                }
                break;
            }
            int len = u16(stream, off + 16);
            if (len < 19) {
                error = off;
                break;
            }
            if (len > rem) {
                declared = len;
                break;
            }
            out.add(Arrays.copyOfRange(stream, off, off + len));
            off += len;
        }
        return new Framing(Collections.unmodifiableList(out), stream.length - off, declared, error);
    }

    /** The type byte (offset 18) of a framed message, or -1 if too short. */
    public static int messageType(byte[] message) {
        return message.length > 18 ? message[18] & 0xff : -1;
    }

    /**
     * Parses hex text, ignoring whitespace and colons (so {@code "FFFF:0017:02:00000000"},
     * {@code "ffff ffff"} and plain hex all work). Throws IllegalArgumentException on an odd digit
     * count or a non-hex character.
     */
    public static byte[] parseHex(CharSequence text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ':' || Character.isWhitespace(c)) {
                continue;
            }
            if (Character.digit(c, 16) < 0) {
                throw new IllegalArgumentException("not hex: '" + c + "' at " + i);
            }
            sb.append(c);
        }
        if (sb.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits: " + sb.length());
        }
        byte[] b = new byte[sb.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ((Character.digit(sb.charAt(2 * i), 16) << 4) | Character.digit(sb.charAt(2 * i + 1), 16));
        }
        return b;
    }

    /** Lower-case hex of {@code b}. */
    public static String toHex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
    }

    /**
     * Capability codes advertised in an OPEN message (RFC 5492 optional parameter type 2; RFC 9072
     * extended parameters not handled), in order; empty for other messages or on malformed input.
     * Lets a test pick session options (65 four-octet AS, 69 ADD-PATH) without the codec.
     */
    public static List<Integer> openCapabilityCodes(byte[] message) {
        List<Integer> caps = new ArrayList<>();
        if (messageType(message) != 1 || message.length < 29) {
            return caps;
        }
        int end = Math.min(message.length, 29 + (message[28] & 0xff));
        int p = 29;
        while (p + 2 <= end) {
            int type = message[p] & 0xff, len = message[p + 1] & 0xff;
            if (type == 2) {
                for (int c = p + 2; c + 2 <= Math.min(p + 2 + len, end); c += 2 + (message[c + 1] & 0xff)) {
                    caps.add(message[c] & 0xff);
                }
            }
            p += 2 + len;
        }
        return caps;
    }

    /** Builds a full message (all-ones marker, length = 19 + body, type) around a message body. */
    public static byte[] withHeader(int type, byte[] body) {
        byte[] m = new byte[19 + body.length];
        Arrays.fill(m, 0, 16, (byte) 0xff);
        m[16] = (byte) (m.length >> 8);
        m[17] = (byte) m.length;
        m[18] = (byte) type;
        System.arraycopy(body, 0, m, 19, body.length);
        return m;
    }

    static boolean isMarker(byte[] b, int off) {
        for (int i = 0; i < 16; i++) {
            if (b[off + i] != (byte) 0xff) {
                return false;
            }
        }
        return true;
    }

    static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    private static String[] splitHostPort(String s) {
        int c = s.lastIndexOf(':');
        String host = s.substring(0, c);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new String[] {host, s.substring(c + 1)};
    }

    /** Convenience: loads every {@code .hex} file in a directory. */
    public static List<Stream> loadDir(Path dir) {
        return listHexFiles(dir).stream().map(HexStreams::load).toList();
    }
}
