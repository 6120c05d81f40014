package io.ribbit.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.PathAttribute;
import io.ribbit.codec.attr.PathAttributesCodec;
import io.ribbit.codec.attr.UpdateDecodeContext;
import io.ribbit.codec.capability.Capability;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.MessageCodec;
import io.ribbit.codec.message.OpenMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.codec.testdata.MrtFiles;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the real-data oracle tests share: decoding and encoding whole messages from and to
 * {@code byte[]} (every buffer released; encode buffers come from the leak-tracked default
 * allocator), deriving {@link SessionOptions} from the two OPENs of a session, and printing our
 * decoded values the way the oracles print theirs, so comparisons are plain string equality.
 */
final class OracleSupport {
    private OracleSupport() {
    }

    /** Decodes one complete message (header included) with a fresh context. */
    static BgpMessage decode(byte[] message, SessionOptions options) {
        return decode(message, options, new UpdateDecodeContext());
    }

    static BgpMessage decode(byte[] message, SessionOptions options, UpdateDecodeContext ctx) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(message.length);
        try {
            buf.writeBytes(message);
            return MessageCodec.decode(buf, options, ctx);
        } finally {
            buf.release();
        }
    }

    /**
     * Like {@link #decode(byte[], SessionOptions, UpdateDecodeContext)} on a plain heap wrapper
     * (still released): under the paranoid leak detector an allocator buffer records a trace on
     * every access, which makes the million-route MRT files take minutes instead of seconds.
     */
    static BgpMessage decodeUntracked(byte[] message, SessionOptions options, UpdateDecodeContext ctx) {
        ByteBuf buf = Unpooled.wrappedBuffer(message);
        try {
            return MessageCodec.decode(buf, options, ctx);
        } finally {
            buf.release();
        }
    }

    /** Encodes {@code m} with {@link MessageCodec#encode} and returns the bytes written. */
    static byte[] encode(BgpMessage m, SessionOptions options) {
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        try {
            MessageCodec.encode(m, out, options);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    /** The value octets of one attribute as {@link PathAttributesCodec#encode} writes them (header dropped). */
    static byte[] attributeValue(PathAttribute a, SessionOptions options) {
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        try {
            PathAttributesCodec.encode(a, AttributeCode.FLAG_OPTIONAL | AttributeCode.FLAG_TRANSITIVE, out, options);
            int header = (out.getUnsignedByte(0) & AttributeCode.FLAG_EXTENDED_LENGTH) != 0 ? 4 : 3;
            return ByteBufUtil.getBytes(out, header, out.readableBytes() - header);
        } finally {
            out.release();
        }
    }

    /**
     * The options for reading what {@code sender} sends to {@code receiver} (RFC 6793 §4.1: 4-octet
     * AS when both advertise capability 65; RFC 7911 §4: ADD-PATH for a family when the sender can
     * send and the receiver can receive; RFC 8654 §3: Extended Messages when both advertise 6).
     */
    static SessionOptions negotiate(OpenMessage sender, OpenMessage receiver) {
        boolean as4 = sender.hasCapability(Capability.FOUR_OCTET_AS) && receiver.hasCapability(Capability.FOUR_OCTET_AS);
        boolean ext = sender.hasCapability(Capability.EXTENDED_MESSAGE)
                && receiver.hasCapability(Capability.EXTENDED_MESSAGE);
        Set<AfiSafi> addPath = new HashSet<>();
        for (AfiSafi f : addPathFamilies(sender, true)) {
            if (addPathFamilies(receiver, false).contains(f)) {
                addPath.add(f);
            }
        }
        return new SessionOptions(as4, ext, addPath, Set.of());
    }

    /** Families {@code open} advertises ADD-PATH send ({@code send}) or receive for. */
    static Set<AfiSafi> addPathFamilies(OpenMessage open, boolean send) {
        Set<AfiSafi> out = new HashSet<>();
        for (Capability c : open.capabilities(Capability.ADD_PATH)) {
            for (Capability.AddPath.Family f : ((Capability.AddPath) c).families()) {
                if (send ? f.canSend() : f.canReceive()) {
                    out.add(f.family());
                }
            }
        }
        return out;
    }

    /** Capability codes of an OPEN in order. */
    static List<Integer> capabilityCodes(OpenMessage open) {
        List<Integer> out = new ArrayList<>();
        for (Capability c : open.capabilities()) {
            out.add(c.code());
        }
        return out;
    }

    /** {@code [[type, asn...], ...]}-style text of a path's segments, for comparing with an oracle's segments. */
    static List<String> segments(AsPath path) {
        List<String> out = new ArrayList<>();
        if (path == null) {
            return out;
        }
        for (AsPath.Segment s : path.segments()) {
            StringBuilder b = new StringBuilder().append(s.type()).append(':');
            for (int k = 0; k < s.asns().length; k++) {
                b.append(k > 0 ? " " : "").append(s.asns()[k]);
            }
            out.add(b.toString());
        }
        return out;
    }

    /** Canonical RFC 5952 text of an address or prefix (see {@link MrtFiles#canonicalAddress}). */
    static String canon(String addressOrPrefix) {
        return MrtFiles.canonicalAddress(addressOrPrefix);
    }

    private static final Pattern FAMILY_PREFIX = Pattern.compile("(IPv[46])=([0-9A-Fa-f:.]+)/(\\d+)");

    /**
     * Prefix {@code i} of {@code p} as tshark 4.0 prints it (through {@code TsharkParser}):
     * {@code 10.0.0.0/8} for plain families; {@code Label Stack=16,17 (bottom) IPv4=10.0.0.0/8} for
     * labeled unicast; {@code Label Stack=16 (bottom) RD=65000:1, IPv4=10.0.0.0/8} for VPN. The
     * address is canonical RFC 5952 (apply {@link #canonTshark} to tshark's text too).
     */
    static String tsharkPrefix(PrefixList p, int i) {
        String prefix = canon(p.prefix(i));
        AfiSafi f = p.afiSafi();
        if (!f.isLabeled()) {
            return prefix;
        }
        StringBuilder b = new StringBuilder("Label Stack=");
        int[] labels = p.labels(i);
        for (int k = 0; k < labels.length; k++) {
            b.append(k > 0 ? "," : "").append(labels[k]);
        }
        b.append(" (bottom) ");
        if (f.isVpn()) {
            b.append("RD=").append(PrefixList.formatRouteDistinguisher(p.routeDistinguisher(i))).append(", ");
        }
        return b.append(f.isIpv6() ? "IPv6=" : "IPv4=").append(prefix).toString();
    }

    /** tshark's prefix text with every embedded address made canonical. */
    static String canonTshark(String text) {
        Matcher m = FAMILY_PREFIX.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(m.group(1) + "=" + canon(m.group(2) + "/" + m.group(3))));
        }
        m.appendTail(b);
        String s = b.toString();
        return s.matches("[0-9A-Fa-f:.]+/\\d+") ? canon(s) : s;
    }

    /** Collects mismatches instead of failing on the first, so one run reports them all. */
    static final class Mismatches {
        private final List<String> list = new ArrayList<>();
        private final Map<String, Integer> excluded = new TreeMap<>();
        private int checks;

        /** Records that one comparison was left out for a documented oracle mistake. */
        void exclude(String reason) {
            excluded.merge(reason, 1, Integer::sum);
        }

        /** Documented exclusion → how many comparisons it covered. */
        Map<String, Integer> excluded() {
            return excluded;
        }

        void check(boolean ok, String where, String what) {
            checks++;
            if (!ok) {
                list.add(where + ": " + what);
            }
        }

        void equal(Object expected, Object actual, String where, String field) {
            checks++;
            if (!Objects.equals(expected, actual)) {
                list.add(where + ": " + field + " expected <" + expected + "> but was <" + actual + ">");
            }
        }

        /** Multiset equality; on a mismatch lists what is missing from and extra in {@code actual}. */
        void equalMultiset(List<String> expected, List<String> actual, String where, String field) {
            checks++;
            Map<String, Integer> count = new TreeMap<>();
            expected.forEach(e -> count.merge(e, 1, Integer::sum));
            actual.forEach(a -> count.merge(a, -1, Integer::sum));
            List<String> missing = new ArrayList<>();
            List<String> extra = new ArrayList<>();
            count.forEach((k, n) -> {
                for (int i = 0; i < Math.abs(n); i++) {
                    (n > 0 ? missing : extra).add(k);
                }
            });
            if (!missing.isEmpty() || !extra.isEmpty()) {
                list.add(where + ": " + field + ": " + missing.size() + " expected but not found "
                        + missing.subList(0, Math.min(3, missing.size())) + ", " + extra.size()
                        + " found but not expected " + extra.subList(0, Math.min(3, extra.size())));
            }
        }

        void fail(String where, String what) {
            check(false, where, what);
        }

        int checks() {
            return checks;
        }

        List<String> list() {
            return list;
        }

        /** One assertion message with the first {@code max} mismatches ({@code -Doracle.report=N} shows N). */
        String report(int max) {
            int shown = Integer.getInteger("oracle.report", max);
            StringBuilder b = new StringBuilder(list.size() + " mismatches");
            for (int i = 0; i < Math.min(shown, list.size()); i++) {
                b.append("\n  ").append(list.get(i));
            }
            return b.toString();
        }
    }
}
