package io.ribbit.collector.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.AttributeDescriptor;
import io.ribbit.codec.attr.AttributeTable;
import io.ribbit.codec.attr.MpReachNlri;
import io.ribbit.codec.attr.MpUnreachNlri;
import io.ribbit.codec.attr.PathAttribute;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.attr.UnknownAttribute;
import io.ribbit.codec.capability.Capability;
import io.ribbit.codec.error.BgpError;
import io.ribbit.codec.error.UpdateProblem;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.KeepaliveMessage;
import io.ribbit.codec.message.MalformedMessage;
import io.ribbit.codec.message.NotificationMessage;
import io.ribbit.codec.message.OpenMessage;
import io.ribbit.codec.message.RouteRefreshMessage;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.Nlri;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.codec.nlri.RawNlri;
import io.ribbit.codec.text.Hex;
import java.io.IOException;
import java.util.List;

/**
 * Writes the fields of one BGP message in the RIS Live {@code ris_message.data} shape (see
 * docs/events.md), with Ribbit's additions. Used by {@code ribbit decode} and by the daemon's
 * event sinks, so both print the same field names. Writes fields into an object the caller has
 * opened; the caller adds the envelope and common fields (timestamp, peer, host, …).
 *
 * <p>Not thread-safe: one per writer thread (it reuses a scratch buffer).
 */
public final class MessageJson {
    // Names and values written for every UPDATE, quoted and encoded once (Jackson writes a
    // SerializableString's bytes as they are, instead of checking each character for escapes).
    /** {@code "type"}, also the event envelope's first field. */
    public static final SerializedString TYPE = new SerializedString("type");
    private static final SerializedString UPDATE = new SerializedString("UPDATE");
    private static final SerializedString ANNOUNCEMENTS = new SerializedString("announcements");
    private static final SerializedString WITHDRAWALS = new SerializedString("withdrawals");
    private static final SerializedString AFI_SAFI = new SerializedString("afi_safi");
    private static final SerializedString NEXT_HOP = new SerializedString("next_hop");
    private static final SerializedString PREFIXES = new SerializedString("prefixes");
    private static final SerializedString PATH = new SerializedString("path");
    private static final SerializedString IPV4_UNICAST = new SerializedString(AfiSafi.IPV4_UNICAST.name());
    /** The JSON name of each path attribute, by type code ({@link AttributeDescriptor#name}). */
    private static final SerializedString[] ATTRIBUTE_NAMES = new SerializedString[256];

    static {
        for (int code = 0; code < ATTRIBUTE_NAMES.length; code++) {
            AttributeDescriptor d = AttributeTable.get(code);
            if (d != null) {
                ATTRIBUTE_NAMES[code] = new SerializedString(d.name());
            }
        }
    }

    private final StringBuilder scratch = new StringBuilder(64);
    private final JsonFieldWriter fields = new JsonFieldWriter(null);
    /** Attribute values: each formatted into {@link #rawValue}, then written as one raw value. */
    private final RawFieldWriter rawFields = new RawFieldWriter();
    private final RawJson rawValue = new RawJson();
    private char[] chars = new char[64];

    /** Writes {@code "type": …} and every field of {@code m}. */
    public void writeFields(JsonGenerator g, BgpMessage m, String direction) throws IOException {
        if (m instanceof UpdateMessage u) {
            g.writeFieldName(TYPE);
            g.writeString(UPDATE);
            writeUpdate(g, u);
        } else if (m instanceof OpenMessage o) {
            g.writeStringField("type", "OPEN");
            writeOpen(g, o, direction);
        } else if (m instanceof NotificationMessage n) {
            g.writeStringField("type", "NOTIFICATION");
            if (direction != null) {
                g.writeStringField("direction", direction);
            }
            writeNotification(g, n);
        } else if (m instanceof KeepaliveMessage) {
            g.writeStringField("type", "KEEPALIVE");
        } else if (m instanceof RouteRefreshMessage r) {
            g.writeStringField("type", "ROUTE_REFRESH");
            g.writeStringField("afi_safi", r.family().name());
            g.writeStringField("subtype", r.subtypeName());
            if (r.orf().length > 0) {
                g.writeStringField("orf", Hex.encode(r.orf()));
            }
        } else if (m instanceof MalformedMessage bad) {
            g.writeStringField("type", "MALFORMED");
            if (bad.messageType() >= 0) {
                g.writeNumberField("message_type", bad.messageType());
            }
            writeNotification(g, bad.notification());
            g.writeStringField("detail", bad.detail());
        }
    }

    // ---------------------------------------------------------------- UPDATE

    private void writeUpdate(JsonGenerator g, UpdateMessage u) throws IOException {
        PathAttributes attrs = u.attributes();
        writeAttributes(g, attrs);
        // announcements: IPv4 NLRI with NEXT_HOP, then MP_REACH_NLRI
        g.writeFieldName(ANNOUNCEMENTS);
        g.writeStartArray();
        if (!u.nlri().isEmpty()) {
            g.writeStartObject();
            g.writeFieldName(AFI_SAFI);
            g.writeString(IPV4_UNICAST);
            long nh = attrs.nextHopAddress();
            if (nh >= 0) {
                g.writeFieldName(NEXT_HOP);
                writeIpv4Address(g, (int) nh, PREFIX_BYTES.get());
            }
            writePrefixes(g, u.nlri());
            g.writeEndObject();
        }
        MpReachNlri reach = u.mpReach();
        if (reach != null && !reach.nlri().isEmpty()) {
            g.writeStartObject();
            g.writeStringField("afi_safi", reach.afiSafi().name());
            g.writeStringField("next_hop", String.join(",", reach.nextHops()));
            writeNlri(g, reach.nlri());
            g.writeEndObject();
        }
        g.writeEndArray();
        // withdrawals: the RIS flat list, then per family with path ids
        MpUnreachNlri unreach = u.mpUnreach();
        g.writeFieldName(WITHDRAWALS);
        g.writeStartArray();
        writePrefixStrings(g, u.withdrawn());
        if (unreach != null && unreach.nlri() instanceof PrefixList p) {
            writePrefixStrings(g, p);
        }
        g.writeEndArray();
        boolean v4w = !u.withdrawn().isEmpty();
        boolean mpw = unreach != null && !unreach.nlri().isEmpty();
        if (v4w || mpw) {
            g.writeArrayFieldStart("withdrawn");
            if (v4w) {
                g.writeStartObject();
                g.writeStringField("afi_safi", AfiSafi.IPV4_UNICAST.name());
                writePrefixes(g, u.withdrawn());
                g.writeEndObject();
            }
            if (mpw) {
                g.writeStartObject();
                g.writeStringField("afi_safi", unreach.afiSafi().name());
                writeNlri(g, unreach.nlri());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        AfiSafi eor = u.endOfRib();
        if (eor != null) {
            g.writeStringField("end_of_rib", eor.name());
        }
        if (!u.problems().isEmpty()) {
            g.writeBooleanField("treat_as_withdraw", u.treatAsWithdraw());
            g.writeStringField("error_action", u.action().tag());
            g.writeArrayFieldStart("errors");
            for (UpdateProblem p : u.problems()) {
                g.writeStartObject();
                g.writeStringField("action", p.action().tag());
                g.writeNumberField("code", p.error().code());
                g.writeNumberField("subcode", p.error().subcode());
                if (p.attributeCode() >= 0) {
                    g.writeNumberField("attribute", p.attributeCode());
                }
                g.writeStringField("detail", p.detail());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
    }

    /**
     * Writes the path attribute fields of an UPDATE ({@code path}, {@code origin}, {@code med},
     * {@code community}, …, {@code unknown_attributes}; not NEXT_HOP or the NLRI) into an open
     * object. The query API writes a stored route's attributes with it, so they read as the events'.
     */
    public void writeAttributes(JsonGenerator g, PathAttributes attrs) throws IOException {
        RawFieldWriter w = rawFields;
        RawJson value = rawValue;
        AsPath path = attrs.asPath();
        if (path != null) {
            g.writeFieldName(PATH);
            path.format(w.into(value.reset()));
            g.writeRawValue(value);
            if (path.hasConfederationSegments()) {
                g.writeFieldName("confed_path");
                path.formatConfederation(w.into(value.reset()));
                g.writeRawValue(value);
            }
        }
        boolean unknown = false;
        for (int i = 0; i < attrs.size(); i++) {
            PathAttribute a = attrs.get(i);
            int code = a.code();
            switch (code) {
                case AttributeCode.AS_PATH, AttributeCode.NEXT_HOP, AttributeCode.MP_REACH_NLRI,
                        AttributeCode.MP_UNREACH_NLRI, AttributeCode.AGGREGATOR, AttributeCode.AS4_AGGREGATOR -> {
                    // written below, in their RIS places
                }
                default -> {
                    if (a instanceof UnknownAttribute) {
                        unknown = true;
                    } else {
                        g.writeFieldName(ATTRIBUTE_NAMES[code]);
                        a.format(w.into(value.reset()));
                        g.writeRawValue(value);
                        if (code == AttributeCode.COMMUNITIES && attrs.communities().hasWellKnown()) {
                            g.writeFieldName("community_names");
                            attrs.communities().formatNames(w.into(value.reset()));
                            g.writeRawValue(value);
                        }
                    }
                }
            }
        }
        if (attrs.aggregator() != null) {
            g.writeStringField("aggregator", attrs.aggregator().text());
        }
        if (unknown) {
            g.writeArrayFieldStart("unknown_attributes");
            for (UnknownAttribute x : attrs.unknown()) {
                x.format(w.into(value.reset()));
                g.writeRawValue(value);
            }
            g.writeEndArray();
        }
    }

    private void writeNlri(JsonGenerator g, Nlri nlri) throws IOException {
        if (nlri instanceof PrefixList p) {
            writePrefixes(g, p);
        } else {
            g.writeStringField("nlri_hex", Hex.encode(((RawNlri) nlri).bytes()));
        }
    }

    /** {@code prefixes}, and parallel {@code path_ids}, {@code labels}, {@code rd} when present. */
    private void writePrefixes(JsonGenerator g, PrefixList p) throws IOException {
        g.writeFieldName(PREFIXES);
        writePrefixArray(g, p);
        if (p.hasPathIds()) {
            g.writeArrayFieldStart("path_ids");
            for (int i = 0; i < p.size(); i++) {
                g.writeNumber(Integer.toUnsignedLong(p.pathId(i)));
            }
            g.writeEndArray();
        }
        if (p.afiSafi().isLabeled()) {
            g.writeArrayFieldStart("labels");
            for (int i = 0; i < p.size(); i++) {
                int[] labels = p.labels(i);
                g.writeArray(labels, 0, labels.length);
            }
            g.writeEndArray();
        }
        if (p.afiSafi().isVpn()) {
            g.writeArrayFieldStart("rd");
            for (int i = 0; i < p.size(); i++) {
                g.writeString(PrefixList.formatRouteDistinguisher(p.routeDistinguisher(i)));
            }
            g.writeEndArray();
        }
    }

    /** The thread's last prefix array: an UPDATE's {@code tags} usually list the same prefixes again. */
    private static final class PrefixArray {
        PrefixList list;
        final RawJson json = new RawJson();
        final StringBuilder text = new StringBuilder(48);
    }

    private static final ThreadLocal<PrefixArray> PREFIX_ARRAY = ThreadLocal.withInitial(PrefixArray::new);

    /**
     * Every prefix of {@code p} as a JSON array of strings ({@code ["a.b.c.d/len", …]}, RFC 5952
     * text for IPv6), written as one raw value. Formatted once per list and thread: writing the same
     * (immutable) list again, as the UPDATE's tags do, copies the bytes.
     */
    public static void writePrefixArray(JsonGenerator g, PrefixList p) throws IOException {
        PrefixArray a = PREFIX_ARRAY.get();
        if (a.list != p) {
            a.list = null;
            formatPrefixes(a, p);
            a.list = p;
        }
        g.writeRawValue(a.json);
    }

    private static void formatPrefixes(PrefixArray a, PrefixList p) {
        RawJson out = a.json.reset();
        out.append('[');
        boolean v6 = p.afiSafi().isIpv6();
        for (int i = 0; i < p.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            if (v6) {
                StringBuilder t = a.text;
                t.setLength(0);
                p.appendPrefix(i, t);
                byte[] b = out.room(t.length() + 2);
                int n = out.size();
                b[n++] = '"';
                for (int k = 0; k < t.length(); k++) {
                    b[n++] = (byte) t.charAt(k); // hex digits, colons, dots, a slash: ASCII
                }
                b[n++] = '"';
                out.advance(n);
            } else {
                byte[] b = out.room(20);
                int n = out.size();
                b[n++] = '"';
                n = appendIpv4Prefix(b, n, p.ipv4(i));
                b[n++] = '"';
                out.advance(n);
            }
        }
        out.append(']');
    }

    private void writePrefixStrings(JsonGenerator g, PrefixList p) throws IOException {
        if (!p.afiSafi().isIpv6()) {
            byte[] b = PREFIX_BYTES.get();
            for (int i = 0; i < p.size(); i++) {
                writeIpv4Prefix(g, p.ipv4(i), b);
            }
            return;
        }
        for (int i = 0; i < p.size(); i++) {
            scratch.setLength(0);
            p.appendPrefix(i, scratch);
            int n = scratch.length();
            if (chars.length < n) {
                chars = new char[n * 2];
            }
            scratch.getChars(0, n, chars, 0);
            g.writeString(chars, 0, n);
        }
    }

    /**
     * Prefix {@code i} of {@code p} as a JSON string ("a.b.c.d/len", RFC 5952 text for IPv6);
     * {@code b} is the thread's {@link #prefixBytes()}, fetched once per list.
     */
    public static void writePrefix(JsonGenerator g, PrefixList p, int i, byte[] b) throws IOException {
        if (p.afiSafi().isIpv6()) {
            g.writeString(p.prefix(i));
        } else {
            writeIpv4Prefix(g, p.ipv4(i), b);
        }
    }

    /** Decimal octets "0".."255", each as ASCII bytes. */
    private static final byte[][] OCTETS = new byte[256][];

    static {
        for (int i = 0; i < 256; i++) {
            OCTETS[i] = Integer.toString(i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    /** The writer thread's bytes for one prefix ("255.255.255.255/32" is 18). */
    private static final ThreadLocal<byte[]> PREFIX_BYTES = ThreadLocal.withInitial(() -> new byte[24]);

    /** The calling thread's bytes for {@link #writePrefix}: fetch once per list. */
    public static byte[] prefixBytes() {
        return PREFIX_BYTES.get();
    }

    /**
     * An IPv4 prefix (packed as {@link PrefixList#packIpv4}) as a JSON string, formatted straight
     * into bytes ({@code b}, at least 18): no String, no escaping (digits, dots and a slash never
     * need it).
     */
    private static void writeIpv4Prefix(JsonGenerator g, long packed, byte[] b) throws IOException {
        g.writeRawUTF8String(b, 0, appendIpv4Prefix(b, 0, packed));
    }

    /** "a.b.c.d/len" of a packed IPv4 prefix into {@code b} at {@code n} (room for 18); returns the end. */
    private static int appendIpv4Prefix(byte[] b, int n, long packed) {
        n = appendIpv4(b, n, PrefixList.ipv4Address(packed));
        b[n++] = '/';
        for (byte c : OCTETS[(int) (packed & 0xff)]) {
            b[n++] = c;
        }
        return n;
    }

    /** An IPv4 address as a JSON string, like {@link #writeIpv4Prefix} (a next hop: no String per UPDATE). */
    private static void writeIpv4Address(JsonGenerator g, int address, byte[] b) throws IOException {
        g.writeRawUTF8String(b, 0, appendIpv4(b, 0, address));
    }

    private static int appendIpv4(byte[] b, int n, int a) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            for (byte c : OCTETS[(a >>> shift) & 0xff]) {
                b[n++] = c;
            }
            if (shift != 0) {
                b[n++] = '.';
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ OPEN

    private void writeOpen(JsonGenerator g, OpenMessage o, String direction) throws IOException {
        if (direction != null) {
            g.writeStringField("direction", direction);
        }
        g.writeNumberField("version", o.version());
        g.writeNumberField("asn", o.asn());
        if (o.myAs() != o.asn()) {
            g.writeNumberField("my_as", o.myAs());
        }
        g.writeNumberField("hold_time", o.holdTime());
        g.writeStringField("router_id", o.bgpIdentifierText());
        writeCapabilities(g, o);
    }

    /** Writes {@code "capabilities": {…}} of an OPEN (keyed by code, multiprotocol merged). */
    public void writeCapabilities(JsonGenerator g, OpenMessage o) throws IOException {
        JsonFieldWriter w = fields;
        w.generator(g);
        g.writeObjectFieldStart("capabilities");
        List<Capability> mp = o.capabilities(Capability.MULTIPROTOCOL);
        boolean mpWritten = false;
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (Capability c : o.capabilities()) {
            if (c.code() == Capability.MULTIPROTOCOL) {
                if (mpWritten) {
                    continue;
                }
                mpWritten = true;
                keys.add("1");
                g.writeObjectFieldStart("1");
                g.writeStringField("name", "multiprotocol");
                g.writeArrayFieldStart("families");
                for (Capability x : mp) {
                    AfiSafi f = ((Capability.Multiprotocol) x).family();
                    g.writeString(f.afiName() + "/" + f.safiName());
                }
                g.writeEndArray();
                g.writeEndObject();
                continue;
            }
            String key = Integer.toString(c.code());
            for (int k = 2; !keys.add(key); k++) {
                key = c.code() + "_" + k;
            }
            g.writeObjectFieldStart(key);
            g.writeStringField("name", c.name());
            c.formatFields(w);
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    // ---------------------------------------------------------- NOTIFICATION

    private void writeNotification(JsonGenerator g, NotificationMessage n) throws IOException {
        g.writeObjectFieldStart("notification");
        g.writeNumberField("code", n.code());
        g.writeNumberField("subcode", n.subcode());
        g.writeStringField("data", Hex.encode(n.data()));
        g.writeStringField("error", BgpError.describe(n.code(), n.subcode()));
        String msg = n.shutdownMessage();
        if (msg != null) {
            g.writeStringField("shutdown_message", msg);
        }
        g.writeEndObject();
    }
}
