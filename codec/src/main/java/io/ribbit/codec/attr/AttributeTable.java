package io.ribbit.codec.attr;

import static io.ribbit.codec.attr.AttributeCode.FLAG_OPTIONAL;
import static io.ribbit.codec.attr.AttributeCode.FLAG_TRANSITIVE;

import io.netty.buffer.ByteBuf;
import io.ribbit.codec.SessionOptions;
import io.ribbit.codec.error.BgpError;
import io.ribbit.codec.error.ErrorAction;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.Nlri;
import io.ribbit.codec.nlri.NlriCodec;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.codec.nlri.RawNlri;

/**
 * The one table of path attributes this codec understands (BIRD's {@code bgp_attr_table}): one
 * {@link AttributeDescriptor} row per code, indexed by code. A new attribute is one row plus
 * its two small functions. Codes without a row are kept as {@link UnknownAttribute}.
 *
 * <p>RFC 7606 actions per row ({@code onMalformed}), in one place:
 * <pre>
 * code  attribute                 class  malformed →          source
 *  1    ORIGIN                     WM    treat-as-withdraw    RFC 7606 §7.1
 *  2    AS_PATH                    WM    treat-as-withdraw    RFC 7606 §7.2
 *  3    NEXT_HOP                   WM    treat-as-withdraw    RFC 7606 §7.3
 *  4    MULTI_EXIT_DISC            ON    treat-as-withdraw    RFC 7606 §7.4
 *  5    LOCAL_PREF                 WD    treat-as-withdraw    RFC 7606 §7.5
 *  6    ATOMIC_AGGREGATE           WD    attribute discard    RFC 7606 §7.6
 *  7    AGGREGATOR                 OT    attribute discard    RFC 7606 §7.7
 *  8    COMMUNITIES                OT    treat-as-withdraw    RFC 7606 §7.8
 *  9    ORIGINATOR_ID              ON    treat-as-withdraw    RFC 7606 §7.9
 * 10    CLUSTER_LIST               ON    treat-as-withdraw    RFC 7606 §7.10
 * 14    MP_REACH_NLRI              ON    session reset 3/9    RFC 7606 §7.11, RFC 4760 §7
 * 15    MP_UNREACH_NLRI            ON    session reset 3/9    RFC 7606 §7.11, RFC 4760 §7
 * 16    EXTENDED_COMMUNITIES       OT    treat-as-withdraw    RFC 7606 §7.14
 * 17    AS4_PATH                   OT    attribute discard    RFC 6793 §6
 * 18    AS4_AGGREGATOR             OT    attribute discard    RFC 6793 §6
 * 25    IPV6_EXTENDED_COMMUNITIES  OT    treat-as-withdraw    RFC 7606 §7.15 (RFC 5701)
 * 26    AIGP                       ON    attribute discard    RFC 7311 §3.2
 * 32    LARGE_COMMUNITY            OT    treat-as-withdraw    RFC 8092 §6
 * 35    OTC                        OT    treat-as-withdraw    RFC 9234 §5
 * </pre>
 * Conditions that are not about one attribute's value are decided in {@link PathAttributesCodec}.
 */
public final class AttributeTable {
    private static final int WELL_KNOWN = FLAG_TRANSITIVE;
    private static final int OPTIONAL_TRANSITIVE = FLAG_OPTIONAL | FLAG_TRANSITIVE;
    private static final int OPTIONAL_NON_TRANSITIVE = FLAG_OPTIONAL;

    private static final ErrorAction TAW = ErrorAction.TREAT_AS_WITHDRAW;
    private static final ErrorAction DISCARD = ErrorAction.ATTRIBUTE_DISCARD;
    private static final ErrorAction RESET = ErrorAction.SESSION_RESET;

    private static final AttributeDescriptor[] ROWS = new AttributeDescriptor[256];

    static {
        row(AttributeCode.ORIGIN, "origin", WELL_KNOWN, TAW, BgpError.INVALID_ORIGIN_ATTRIBUTE, "RFC 7606 §7.1",
                AttributeTable::decodeOrigin, (v, out, o) -> out.writeByte(((Origin) v).wire()));
        row(AttributeCode.AS_PATH, "path", WELL_KNOWN, TAW, BgpError.MALFORMED_AS_PATH, "RFC 7606 §7.2",
                (in, off, len, ctx) -> decodeAsPath(in, off, len, ctx, ctx.options().fourOctetAs(),
                        AttributeCode.AS_PATH),
                (v, out, o) -> encodeAsPath((AsPath) v, out, o.fourOctetAs()));
        row(AttributeCode.NEXT_HOP, "next_hop", WELL_KNOWN, TAW, BgpError.INVALID_NEXT_HOP_ATTRIBUTE,
                "RFC 7606 §7.3", AttributeTable::decodeAddress, AttributeTable::encodeAddress);
        row(AttributeCode.MULTI_EXIT_DISC, "med", OPTIONAL_NON_TRANSITIVE, TAW, BgpError.ATTRIBUTE_LENGTH_ERROR,
                "RFC 7606 §7.4", AttributeTable::decodeUint32, AttributeTable::encodeUint32);
        row(AttributeCode.LOCAL_PREF, "local_pref", WELL_KNOWN, TAW, BgpError.ATTRIBUTE_LENGTH_ERROR,
                "RFC 7606 §7.5", AttributeTable::decodeUint32, AttributeTable::encodeUint32);
        row(AttributeCode.ATOMIC_AGGREGATE, "atomic_aggregate", WELL_KNOWN, DISCARD, BgpError.ATTRIBUTE_LENGTH_ERROR,
                "RFC 7606 §7.6", AttributeTable::decodeAtomicAggregate, (v, out, o) -> { });
        row(AttributeCode.AGGREGATOR, "aggregator", OPTIONAL_TRANSITIVE, DISCARD, BgpError.ATTRIBUTE_LENGTH_ERROR,
                "RFC 7606 §7.7", (in, off, len, ctx) -> decodeAggregator(in, off, len, ctx,
                        ctx.options().fourOctetAs(), AttributeCode.AGGREGATOR),
                (v, out, o) -> encodeAggregator((Aggregator) v, out, o.fourOctetAs()));
        row(AttributeCode.COMMUNITIES, "community", OPTIONAL_TRANSITIVE, TAW, BgpError.OPTIONAL_ATTRIBUTE_ERROR,
                "RFC 7606 §7.8", AttributeTable::decodeCommunities, (v, out, o) -> {
                    for (int c : ((Communities) v).values()) {
                        out.writeInt(c);
                    }
                });
        row(AttributeCode.ORIGINATOR_ID, "originator_id", OPTIONAL_NON_TRANSITIVE, TAW,
                BgpError.ATTRIBUTE_LENGTH_ERROR, "RFC 7606 §7.9", AttributeTable::decodeAddress,
                AttributeTable::encodeAddress);
        row(AttributeCode.CLUSTER_LIST, "cluster_list", OPTIONAL_NON_TRANSITIVE, TAW, BgpError.ATTRIBUTE_LENGTH_ERROR,
                "RFC 7606 §7.10", AttributeTable::decodeClusterList, (v, out, o) -> {
                    for (int id : ((ClusterList) v).ids()) {
                        out.writeInt(id);
                    }
                });
        row(AttributeCode.MP_REACH_NLRI, "mp_reach_nlri", OPTIONAL_NON_TRANSITIVE, RESET,
                BgpError.OPTIONAL_ATTRIBUTE_ERROR, "RFC 7606 §7.11, RFC 4760 §7", AttributeTable::decodeMpReach,
                AttributeTable::encodeMpReach);
        row(AttributeCode.MP_UNREACH_NLRI, "mp_unreach_nlri", OPTIONAL_NON_TRANSITIVE, RESET,
                BgpError.OPTIONAL_ATTRIBUTE_ERROR, "RFC 7606 §7.11, RFC 4760 §7", AttributeTable::decodeMpUnreach,
                (v, out, o) -> {
                    MpUnreachNlri m = (MpUnreachNlri) v;
                    out.writeShort(m.afiSafi().afi()).writeByte(m.afiSafi().safi());
                    NlriCodec.encode(m.nlri(), out);
                });
        row(AttributeCode.EXTENDED_COMMUNITIES, "extended_community", OPTIONAL_TRANSITIVE, TAW,
                BgpError.OPTIONAL_ATTRIBUTE_ERROR, "RFC 7606 §7.14", AttributeTable::decodeExtendedCommunities,
                (v, out, o) -> {
                    ExtendedCommunities e = (ExtendedCommunities) v;
                    for (int i = 0; i < e.size(); i++) {
                        out.writeLong(e.get(i));
                    }
                });
        row(AttributeCode.AS4_PATH, "as4_path", OPTIONAL_TRANSITIVE, DISCARD, BgpError.MALFORMED_AS_PATH,
                "RFC 6793 §6", (in, off, len, ctx) -> decodeAsPath(in, off, len, ctx, true, AttributeCode.AS4_PATH),
                (v, out, o) -> encodeAsPath((AsPath) v, out, true));
        row(AttributeCode.AS4_AGGREGATOR, "as4_aggregator", OPTIONAL_TRANSITIVE, DISCARD,
                BgpError.OPTIONAL_ATTRIBUTE_ERROR, "RFC 6793 §6",
                (in, off, len, ctx) -> decodeAggregator(in, off, len, ctx, true, AttributeCode.AS4_AGGREGATOR),
                (v, out, o) -> encodeAggregator((Aggregator) v, out, true));
        row(AttributeCode.IPV6_EXTENDED_COMMUNITIES, "ipv6_extended_community", OPTIONAL_TRANSITIVE, TAW,
                BgpError.OPTIONAL_ATTRIBUTE_ERROR, "RFC 7606 §7.15, RFC 5701",
                AttributeTable::decodeIpv6ExtendedCommunities,
                (v, out, o) -> out.writeBytes(((Ipv6ExtendedCommunities) v).bytes()));
        row(AttributeCode.AIGP, "aigp", OPTIONAL_NON_TRANSITIVE, DISCARD, BgpError.OPTIONAL_ATTRIBUTE_ERROR,
                "RFC 7311 §3.2", AttributeTable::decodeAigp, (v, out, o) -> out.writeBytes(((Aigp) v).tlvs()));
        row(AttributeCode.LARGE_COMMUNITY, "large_community", OPTIONAL_TRANSITIVE, TAW,
                BgpError.OPTIONAL_ATTRIBUTE_ERROR, "RFC 8092 §6", AttributeTable::decodeLargeCommunities,
                (v, out, o) -> {
                    for (int x : ((LargeCommunities) v).triples()) {
                        out.writeInt(x);
                    }
                });
        row(AttributeCode.OTC, "otc", OPTIONAL_TRANSITIVE, TAW, BgpError.OPTIONAL_ATTRIBUTE_ERROR, "RFC 9234 §5",
                AttributeTable::decodeUint32, AttributeTable::encodeUint32);
    }

    private AttributeTable() {
    }

    private static void row(int code, String name, int flags, ErrorAction onMalformed, BgpError error, String rfc,
            AttributeDescriptor.Decoder decoder, AttributeDescriptor.Encoder encoder) {
        if (ROWS[code] != null) {
            throw new AssertionError("duplicate attribute row " + code);
        }
        ROWS[code] = new AttributeDescriptor(code, name, flags, onMalformed, error, rfc, decoder, encoder);
    }

    /** The row for {@code code}, or null when the code is not one this codec decodes. */
    public static AttributeDescriptor get(int code) {
        return ROWS[code & 0xff];
    }

    /** All rows, in code order. */
    public static java.util.List<AttributeDescriptor> rows() {
        java.util.List<AttributeDescriptor> out = new java.util.ArrayList<>();
        for (AttributeDescriptor d : ROWS) {
            if (d != null) {
                out.add(d);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- decoders

    /** Decodes a value through its row's decoder. */
    static PathAttribute decode(AttributeDescriptor d, byte[] in, int off, int len, UpdateDecodeContext ctx) {
        return d.decoder().decode(in, off, len, ctx);
    }

    private static PathAttribute decodeOrigin(byte[] in, int off, int len, UpdateDecodeContext ctx) {
        if (len != 1) {
            return ctx.malformed(BgpError.ATTRIBUTE_LENGTH_ERROR, "ORIGIN length " + len + ", expected 1");
        }
        Origin o = Origin.valueOf(Bytes.u8(in, off));
        if (o != null && ctx.deferring()) {
            return PathAttributesCodec.DEFERRED;
        }
        return o != null ? o : ctx.malformed(BgpError.INVALID_ORIGIN_ATTRIBUTE, "ORIGIN value " + Bytes.u8(in, off));
    }

    /** RFC 7606 §7.2: unknown segment type, zero-length segment, overrun or a lone trailing octet. */
    static PathAttribute decodeAsPath(byte[] in, int off, int len, UpdateDecodeContext ctx, boolean as4, int code) {
        if (len == 0 && code == AttributeCode.AS4_PATH) {
            // RFC 7606 §4: only attributes specified to allow it (AS_PATH, ATOMIC_AGGREGATE) may be empty.
            return ctx.malformed(BgpError.MALFORMED_AS_PATH, "AS4_PATH of length 0");
        }
        int end = off + len;
        // Each segment is at least 2 + asnSize octets, so len/3 + 1 ints bound the runs array.
        boolean deferring = ctx.deferring();
        int[] runs = deferring ? null : ctx.ints(len + 2);
        int w = 0;
        int idx = off;
        while (idx < end) {
            if (end - idx < 2) {
                return ctx.malformed(BgpError.MALFORMED_AS_PATH, "AS path segment header underrun");
            }
            int type = Bytes.u8(in, idx);
            int count = Bytes.u8(in, idx + 1);
            if (type < AsPath.AS_SET || type > AsPath.AS_CONFED_SET) {
                return ctx.malformed(BgpError.MALFORMED_AS_PATH, "AS path segment type " + type);
            }
            if (count == 0) {
                return ctx.malformed(BgpError.MALFORMED_AS_PATH, "AS path segment of length 0");
            }
            if (code == AttributeCode.AS4_PATH && type > AsPath.AS_SEQUENCE) {
                return ctx.malformed(BgpError.MALFORMED_AS_PATH, "confederation segment in AS4_PATH (RFC 6793 §3)");
            }
            idx += 2;
            if (idx + count * (as4 ? 4 : 2) > end) {
                return ctx.malformed(BgpError.MALFORMED_AS_PATH, "AS path segment overruns the attribute");
            }
            if (deferring) {
                idx += count * (as4 ? 4 : 2); // validating: the ASNs themselves cannot be malformed
                continue;
            }
            runs[w++] = type;
            runs[w++] = count;
            if (as4) {
                for (int k = 0; k < count; k++, idx += 4) {
                    runs[w++] = Bytes.i32(in, idx);
                }
            } else {
                for (int k = 0; k < count; k++, idx += 2) {
                    runs[w++] = Bytes.u16(in, idx);
                }
            }
        }
        return deferring ? PathAttributesCodec.DEFERRED : new AsPath(code, java.util.Arrays.copyOf(runs, w));
    }

    private static PathAttribute decodeAddress(byte[] in, int off, int len, UpdateDecodeContext ctx) {
        if (len != 4) {
            return ctx.malformed(BgpError.ATTRIBUTE_LENGTH_ERROR, "length " + len + ", expected 4");
        }
        return ctx.deferring() ? PathAttributesCodec.DEFERRED : new AddressAttribute(ctx.currentCode(), Bytes.i32(in, off));
    }

    private static PathAttribute decodeUint32(byte[] in, int off, int len, UpdateDecodeContext ctx) {
        if (len != 4) {
            return ctx.malformed(BgpError.ATTRIBUTE_LENGTH_ERROR, "length " + len + ", expected 4");
        }
        return ctx.deferring() ? PathAttributesCodec.DEFERRED : new Uint32Attribute(ctx.currentCode(), Bytes.u32(in, off));
    }

    private static PathAttribute decodeAtomicAggregate(byte[] in, int off, int len, UpdateDecodeContext ctx) {
        return len == 0 ? AtomicAggregate.INSTANCE
                : ctx.malformed(BgpError.ATTRIBUTE_LENGTH_ERROR, "ATOMIC_AGGREGATE length " + len + ", expected 0");
    }

    private static PathAttribute decodeAggregator(byte[] in, int off, int len, UpdateDecodeContext ctx, boolean as4,
            int code) {
        int want = as4 ? 8 : 6;
        if (len != want) {
            return ctx.malformed(BgpError.ATTRIBUTE_LENGTH_ERROR, "length " + len + ", expected " + want);
        }
        if (ctx.deferring()) {
            return PathAttributesCodec.DEFERRED;
        }
        long asn = as4 ? Bytes.u32(in, off) : Bytes.u16(in, off);
        return new Aggregator(code, asn, Bytes.i32(in, off + (as4 ? 4 : 2)));
    }

    private static PathAttribute decodeCommunities(byte[] in, int off, int len, UpdateDecodeContext ctx) {
        if (len == 0 || len % 4 != 0) {
            return ctx.malformed(BgpError.OPTIONAL_ATTRIBUTE_ERROR,
                    "COMMUNITIES length " + len + " is not a non-zero multiple of 4");
        }
        if (ctx.deferring()) {
            return PathAttributesCodec.DEFERRED;
        }
        int[] v = new int[len >>> 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = Bytes.i32(in, off + 4 * i);
        }
        return new Communities(v);
    }

    private static PathAttribute decodeClusterList(byte[] in, int off, int len, UpdateDecodeContext ctx) {
        if (len == 0 || len % 4 != 0) {
            return ctx.malformed(BgpError.ATTRIBUTE_LENGTH_ERROR,
                    "CLUSTER_LIST length " + len + " is not a non-zero multiple of 4");
        }
        if (ctx.deferring()) {
            return PathAttributesCodec.DEFERRED;
        }
        int[] v = new int[len >>> 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = Bytes.i32(in, off + 4 * i);
        }
        return new ClusterList(v);
    }

    private static PathAttribute decodeExtendedCommunities(byte[] in, int off, int len, UpdateDecodeContext ctx) {
        if (len == 0 || len % 8 != 0) {
            return ctx.malformed(BgpError.OPTIONAL_ATTRIBUTE_ERROR,
                    "EXTENDED_COMMUNITIES length " + len + " is not a non-zero multiple of 8");
        }
        if (ctx.deferring()) {
            return PathAttributesCodec.DEFERRED;
        }
        long[] v = new long[len >>> 3];
        for (int i = 0; i < v.length; i++) {
            v[i] = Bytes.i64(in, off + 8 * i);
        }
        return new ExtendedCommunities(v);
    }

    private static PathAttribute decodeIpv6ExtendedCommunities(byte[] in, int off, int len,
            UpdateDecodeContext ctx) {
        if (len == 0 || len % 20 != 0) {
            return ctx.malformed(BgpError.OPTIONAL_ATTRIBUTE_ERROR,
                    "IPv6 extended communities length " + len + " is not a non-zero multiple of 20");
        }
        byte[] b = java.util.Arrays.copyOfRange(in, off, off + len);
        return new Ipv6ExtendedCommunities(b);
    }

    private static PathAttribute decodeLargeCommunities(byte[] in, int off, int len, UpdateDecodeContext ctx) {
        if (len == 0 || len % 12 != 0) {
            return ctx.malformed(BgpError.OPTIONAL_ATTRIBUTE_ERROR,
                    "LARGE_COMMUNITY length " + len + " is not a non-zero multiple of 12");
        }
        if (ctx.deferring()) {
            return PathAttributesCodec.DEFERRED;
        }
        int[] v = new int[len >>> 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = Bytes.i32(in, off + 4 * i);
        }
        return new LargeCommunities(v);
    }

    /** RFC 7311 §3: TLVs of type (1), length (2, including the header), value; type 1 has length 11. */
    private static PathAttribute decodeAigp(byte[] in, int off, int len, UpdateDecodeContext ctx) {
        long metric = -1;
        boolean found = false; // metric -1 is 2^64-1, a valid value: track presence apart
        int idx = off;
        int end = off + len;
        while (idx < end) {
            if (end - idx < 3) {
                return ctx.malformed(BgpError.OPTIONAL_ATTRIBUTE_ERROR, "AIGP TLV header underrun");
            }
            int type = Bytes.u8(in, idx);
            int tlvLen = Bytes.u16(in, idx + 1);
            if (tlvLen < 3 || idx + tlvLen > end) {
                return ctx.malformed(BgpError.OPTIONAL_ATTRIBUTE_ERROR, "AIGP TLV length " + tlvLen);
            }
            if (type == 1) {
                if (tlvLen != 11 || found) {
                    return ctx.malformed(BgpError.OPTIONAL_ATTRIBUTE_ERROR, "bad or repeated AIGP TLV");
                }
                metric = Bytes.i64(in, idx + 3);
                found = true;
            }
            idx += tlvLen;
        }
        if (!found) {
            return ctx.malformed(BgpError.OPTIONAL_ATTRIBUTE_ERROR, "AIGP without an AIGP TLV");
        }
        byte[] tlvs = java.util.Arrays.copyOfRange(in, off, off + len);
        return new Aigp(metric, tlvs);
    }

    /**
     * RFC 4760 §3: AFI (2), SAFI (1), next-hop length (1), next hop, reserved (1), NLRI. A next
     * hop of a length the family cannot have is malformed (RFC 7606 §7.11).
     */
    private static PathAttribute decodeMpReach(byte[] in, int off, int len, UpdateDecodeContext ctx) {
        AfiSafi rib = ctx.ribFamily();
        if (rib != null && len >= 1 && Bytes.u8(in, off) == len - 1) {
            return decodeAbbreviatedMpReach(in, off, len, rib, ctx);
        }
        if (len < 5) {
            throw ctx.reset(BgpError.OPTIONAL_ATTRIBUTE_ERROR, "MP_REACH_NLRI length " + len);
        }
        AfiSafi family = AfiSafi.of(Bytes.u16(in, off), Bytes.u8(in, off + 2));
        int nhLen = Bytes.u8(in, off + 3);
        if (4 + nhLen + 1 > len) {
            throw ctx.reset(BgpError.OPTIONAL_ATTRIBUTE_ERROR, "MP_REACH_NLRI next hop overruns the attribute");
        }
        if (family.hasPrefixNlri() && !nextHopFits(family, nhLen)) {
            throw ctx.reset(BgpError.OPTIONAL_ATTRIBUTE_ERROR,
                    "MP_REACH_NLRI next-hop length " + nhLen + " for " + family);
        }
        byte[] nh = java.util.Arrays.copyOfRange(in, off + 4, off + 4 + nhLen);
        int nlriStart = off + 4 + nhLen + 1; // skip Reserved (RFC 4760 §3: ignored on receipt)
        Nlri nlri = decodeMpNlri(in, nlriStart, off + len, family, ctx, false);
        return new MpReachNlri(family, nh, nlri);
    }

    /**
     * RFC 6396 §4.3.4: in an MRT RIB entry MP_REACH_NLRI holds only the next-hop length and next
     * hop; the family and prefix are the RIB record's.
     */
    private static PathAttribute decodeAbbreviatedMpReach(byte[] in, int off, int len, AfiSafi family,
            UpdateDecodeContext ctx) {
        int nhLen = len - 1;
        if (family.hasPrefixNlri() && !nextHopFits(family, nhLen)) {
            throw ctx.reset(BgpError.OPTIONAL_ATTRIBUTE_ERROR,
                    "MRT RIB entry MP_REACH_NLRI next-hop length " + nhLen + " for " + family);
        }
        byte[] nh = java.util.Arrays.copyOfRange(in, off + 1, off + 1 + nhLen);
        Nlri none = family.hasPrefixNlri() ? PrefixList.empty(family) : new RawNlri(family, new byte[0]);
        return new MpReachNlri(family, nh, none);
    }

    private static boolean nextHopFits(AfiSafi family, int nhLen) {
        if (family.isVpn()) {
            // RD + IPv4 (RFC 4364 §4.3.2) only for VPN-IPv4; RD + IPv6 [+ RD + link-local] for both
            // (RFC 4659 §3.2.1, RFC 8950 §4).
            return nhLen == 24 || nhLen == 48 || (nhLen == 12 && family.isIpv4());
        }
        // IPv6 NLRI has 16 or 32 (RFC 2545 §3; 6PE's IPv4-mapped form is 16, RFC 4798 §2); IPv4
        // NLRI has 4, or an IPv6 next hop (RFC 8950 §3).
        return nhLen == 16 || nhLen == 32 || (nhLen == 4 && family.isIpv4());
    }

    private static PathAttribute decodeMpUnreach(byte[] in, int off, int len, UpdateDecodeContext ctx) {
        if (len < 3) {
            throw ctx.reset(BgpError.OPTIONAL_ATTRIBUTE_ERROR, "MP_UNREACH_NLRI length " + len);
        }
        AfiSafi family = AfiSafi.of(Bytes.u16(in, off), Bytes.u8(in, off + 2));
        Nlri nlri = decodeMpNlri(in, off + 3, off + len, family, ctx, true);
        return new MpUnreachNlri(family, nlri);
    }

    private static Nlri decodeMpNlri(byte[] in, int start, int end, AfiSafi family, UpdateDecodeContext ctx,
            boolean withdrawal) {
        try {
            return NlriCodec.decode(in, start, end, family, ctx.options().addPathReceive(family), withdrawal,
                    BgpError.OPTIONAL_ATTRIBUTE_ERROR, null);
        } catch (io.ribbit.codec.error.BgpDecodeException e) {
            throw ctx.reset(BgpError.OPTIONAL_ATTRIBUTE_ERROR, e.getMessage() + " in " + family);
        }
    }

    // ---------------------------------------------------------------- encoders

    private static void encodeAddress(PathAttribute v, ByteBuf out, SessionOptions o) {
        out.writeInt(((AddressAttribute) v).address());
    }

    private static void encodeUint32(PathAttribute v, ByteBuf out, SessionOptions o) {
        out.writeInt((int) ((Uint32Attribute) v).value());
    }

    /** On a 2-octet session ASNs above 65535 become AS_TRANS (RFC 6793 §4.2.2). */
    static void encodeAsPath(AsPath p, ByteBuf out, boolean as4) {
        int[] r = p.runs();
        for (int i = 0; i < r.length; i += 2 + r[i + 1]) {
            out.writeByte(r[i]).writeByte(r[i + 1]);
            for (int k = 0; k < r[i + 1]; k++) {
                int asn = r[i + 2 + k];
                if (as4) {
                    out.writeInt(asn);
                } else {
                    out.writeShort(Integer.toUnsignedLong(asn) > 0xffff ? AsPath.AS_TRANS : asn);
                }
            }
        }
    }

    private static void encodeAggregator(Aggregator a, ByteBuf out, boolean as4) {
        if (as4) {
            out.writeInt((int) a.asn());
        } else {
            out.writeShort(a.asn() > 0xffff ? AsPath.AS_TRANS : (int) a.asn());
        }
        out.writeInt(a.address());
    }

    private static void encodeMpReach(PathAttribute v, ByteBuf out, SessionOptions o) {
        MpReachNlri m = (MpReachNlri) v;
        out.writeShort(m.afiSafi().afi()).writeByte(m.afiSafi().safi());
        out.writeByte(m.nextHopLength()).writeBytes(m.nextHopNoCopy());
        out.writeByte(0);
        NlriCodec.encode(m.nlri(), out);
    }
}
