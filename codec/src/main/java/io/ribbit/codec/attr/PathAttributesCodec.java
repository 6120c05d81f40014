package io.ribbit.codec.attr;

import io.netty.buffer.ByteBuf;
import io.ribbit.codec.SessionOptions;
import io.ribbit.codec.error.BgpDecodeException;
import io.ribbit.codec.error.BgpError;
import io.ribbit.codec.error.ErrorAction;
import io.ribbit.codec.nlri.AfiSafi;
import java.util.Arrays;

/**
 * Reads and writes the Path Attributes field of an UPDATE (RFC 4271 §4.3) and applies the
 * RFC 7606 rules that are about the field rather than one attribute's value:
 * <ul>
 *   <li>§4: an attribute header or value that overruns the field → treat-as-withdraw; parsing
 *       stops there and the NLRI is found from Total Path Attribute Length.</li>
 *   <li>§3(c): Optional/Transitive flags in conflict with the table → treat-as-withdraw (the value
 *       is still read), except for rows whose malformation is a session reset: MP_REACH_NLRI and
 *       MP_UNREACH_NLRI with wrong flags are "incorrect" (§5.3) → session reset 3/9 (§7.11).</li>
 *   <li>§3(g): a repeated MP_REACH_NLRI or MP_UNREACH_NLRI → session reset 3/1; any other repeat
 *       → discard all but the first.</li>
 *   <li>RFC 4271 §6.3: an unrecognized well-known (non-optional) attribute → session reset 3/2
 *       with the attribute as data (RFC 7606 does not revise this).</li>
 *   <li>Unrecognized optional attributes are kept as {@link UnknownAttribute}.</li>
 * </ul>
 */
public final class PathAttributesCodec {
    /**
     * What a decoder returns, while an UPDATE is validated ({@link UpdateDecodeContext#deferring}),
     * for a well-formed value it has not built: {@link PathAttributes} builds it from the retained
     * bytes when it is first asked for.
     */
    static final PathAttribute DEFERRED = new PathAttribute() {
        @Override
        public int code() {
            return -1;
        }

        @Override
        public void format(io.ribbit.codec.text.FieldWriter w) {
            throw new IllegalStateException("a deferred attribute value is never formatted");
        }
    };

    private PathAttributesCodec() {
    }

    /**
     * Decodes attributes from {@code in.readerIndex()} to {@code end} (absolute), leaving the
     * reader index at {@code end}.
     */
    public static PathAttributes decode(ByteBuf in, int end, UpdateDecodeContext ctx) {
        // The block is copied once and kept: values that are not needed yet are built from it on
        // first access. Everything RFC 7606 decides is decided here, while validating.
        byte[] raw = new byte[end - in.readerIndex()];
        in.readBytes(raw);
        return decode(raw, ctx);
    }

    /** Decodes a Path Attributes field; takes ownership of {@code raw}. */
    public static PathAttributes decode(byte[] raw, UpdateDecodeContext ctx) {
        ctx.block(raw);
        int end = raw.length;
        int idx = 0;
        // Values built while validating (MP_REACH_NLRI, rare attributes); typically none, and then
        // there is no value array until a value is asked for.
        PathAttribute[] attrs = null;
        char[] starts = ctx.scratchStarts;
        byte[] codes = ctx.scratchCodes;
        int n = 0;
        boolean as4Path = false;
        boolean dense = true; // every attribute of the field kept, in order: no index needed
        long seen0 = 0;
        while (idx < end) {
            if (end - idx < 3) {
                ctx.problem(ErrorAction.TREAT_AS_WITHDRAW, BgpError.MALFORMED_ATTRIBUTE_LIST, -1,
                        "attribute header overruns the path attributes (RFC 7606 §4)");
                dense = false;
                break;
            }
            int flags = raw[idx] & 0xff;
            int code = raw[idx + 1] & 0xff;
            boolean ext = (flags & AttributeCode.FLAG_EXTENDED_LENGTH) != 0;
            int hdr = ext ? 4 : 3;
            if (end - idx < hdr) {
                ctx.problem(ErrorAction.TREAT_AS_WITHDRAW, BgpError.MALFORMED_ATTRIBUTE_LIST, code,
                        "attribute header overruns the path attributes (RFC 7606 §4)");
                dense = false;
                break;
            }
            int len = ext ? Bytes.u16(raw, idx + 2) : raw[idx + 2] & 0xff;
            int attrStart = idx;
            int valueStart = idx + hdr;
            if (valueStart + len > end) {
                ctx.problem(ErrorAction.TREAT_AS_WITHDRAW, BgpError.ATTRIBUTE_LENGTH_ERROR, code,
                        "attribute " + code + " length " + len + " overruns the path attributes (RFC 7606 §4)");
                dense = false;
                break;
            }
            AttributeDescriptor d = AttributeTable.get(code);
            ctx.enter(d, code, idx, hdr + len);
            idx = valueStart + len;
            // RFC 7606 §3(g) bookkeeping in locals (codes 0..63, the usual ones; the rest in ctx),
            // handed to ctx after the loop.
            boolean repeated;
            if (code < 64) {
                long bit = 1L << code;
                repeated = (seen0 & bit) != 0;
                seen0 |= bit;
            } else {
                repeated = ctx.markSeen(code);
            }
            if (repeated) {
                if (code == AttributeCode.MP_REACH_NLRI || code == AttributeCode.MP_UNREACH_NLRI) {
                    throw ctx.reset(BgpError.MALFORMED_ATTRIBUTE_LIST, new byte[0],
                            "repeated " + (d != null ? d.name() : code) + " (RFC 7606 §3(g))");
                }
                ctx.problem(ErrorAction.ATTRIBUTE_DISCARD, BgpError.MALFORMED_ATTRIBUTE_LIST, code,
                        "repeated attribute " + code + " discarded (RFC 7606 §3(g))");
                dense = false;
                continue;
            }
            PathAttribute value;
            if (d == null) {
                if ((flags & AttributeCode.FLAG_OPTIONAL) == 0) {
                    throw ctx.reset(BgpError.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE,
                            "unrecognized well-known attribute " + code + " (RFC 4271 §6.3)");
                }
                value = DEFERRED; // an UnknownAttribute is its bytes: built when asked for
            } else {
                if (((flags ^ d.flags()) & (AttributeCode.FLAG_OPTIONAL | AttributeCode.FLAG_TRANSITIVE)) != 0) {
                    String detail = d.name() + " flags 0x" + Integer.toHexString(flags) + " conflict with its type";
                    if (d.onMalformed() == ErrorAction.SESSION_RESET) {
                        // §3(c) yields to the attribute's own rule: RFC 7606 §5.3 makes MP_REACH_NLRI /
                        // MP_UNREACH_NLRI with flags other than RFC 4760's incorrect, handled per §7.11.
                        throw ctx.reset(d.error(), detail + " (RFC 7606 §5.3, §7.11)");
                    }
                    ctx.problem(ErrorAction.TREAT_AS_WITHDRAW, BgpError.ATTRIBUTE_FLAGS_ERROR, code,
                            detail + " (RFC 7606 §3(c))");
                }
                value = AttributeTable.decode(d, raw, valueStart, len, ctx);
                if (value == null) {
                    dense = false;
                    continue;
                }
                as4Path |= code == AttributeCode.AS4_PATH;
            }
            if (value != DEFERRED) {
                if (attrs == null) {
                    // A fresh (young) array: stores into it need no card marking, unlike a scratch array.
                    attrs = new PathAttribute[Math.max(8, n + 1)];
                } else if (n >= attrs.length) {
                    attrs = Arrays.copyOf(attrs, Math.max(n + 1, attrs.length * 2));
                }
                attrs[n] = value;
            }
            starts[n] = (char) attrStart;
            codes[n] = (byte) code;
            n++;
        }
        ctx.markSeenLow(seen0);
        // Every code is seen at most once (duplicates are dropped), so n <= 256 = scratch size.
        if (attrs != null && attrs.length < n) {
            attrs = Arrays.copyOf(attrs, n);
        }
        // Dense: every attribute of the field kept, so the codes seen below 64 are exactly those present.
        PathAttributes out = dense ? new PathAttributes(attrs, n, raw, null, null, ctx.options(), seen0)
                : new PathAttributes(attrs, n, raw, Arrays.copyOf(starts, n), Arrays.copyOf(codes, n), ctx.options());
        if (as4Path && !ctx.options().fourOctetAs()) {
            out.reconstructPath(effectivePath(out, ctx.options()));
        }
        return out;
    }

    /**
     * Decodes the attribute block of an MRT RIB entry for routes of {@code family}: a
     * TABLE_DUMP_V2 RIB entry (RFC 6396 §4.3.4; its AS numbers are 4-octet, {@link SessionOptions#AS4})
     * or a TABLE_DUMP entry (§4.2; 2-octet, {@link SessionOptions#DEFAULT}). The record, not the
     * block, carries the prefix, so §4.3.4 abbreviates MP_REACH_NLRI to its next-hop length and
     * next hop; that form comes back as an {@link MpReachNlri} of {@code family} with no NLRI.
     * Some writers (RIS, Quagga) put the full RFC 4760 form there instead, which is read as in an
     * UPDATE. The two cannot be confused: a full MP_REACH_NLRI starts with the AFI's high octet,
     * 0, and is at least 5 octets long, so its first octet is never its length minus one.
     *
     * <p>Reads from {@code in.readerIndex()} to {@code end}, leaving the reader index at
     * {@code end}. RFC 7606 problems are reported in {@code ctx} as for an UPDATE. A block that
     * cannot be read at all (what would reset a session) gives null, with the reason in
     * {@code ctx.problems()} and {@code ctx.strongest()} SESSION_RESET.
     */
    public static PathAttributes decodeMrtRibEntry(ByteBuf in, int end, AfiSafi family, SessionOptions options,
            UpdateDecodeContext ctx) {
        ctx.begin(options);
        ctx.ribFamily(family);
        try {
            return decode(in, end, ctx);
        } catch (BgpDecodeException e) {
            ctx.problem(ErrorAction.SESSION_RESET, e.error(), ctx.currentCode(), e.getMessage());
            in.readerIndex(end);
            return null;
        } finally {
            ctx.end();
        }
    }

    /**
     * RFC 6793 §4.2.3: on a 2-octet session merge AS4_PATH, unless AGGREGATOR and AS4_AGGREGATOR
     * were both received and AGGREGATOR is not AS_TRANS.
     */
    private static AsPath effectivePath(PathAttributes attrs, SessionOptions options) {
        AsPath asPath = attrs.rawAsPath();
        AsPath as4Path = attrs.as4Path();
        Aggregator aggregator = (Aggregator) attrs.find(AttributeCode.AGGREGATOR);
        boolean as4Aggregator = attrs.has(AttributeCode.AS4_AGGREGATOR);
        if (asPath == null || options.fourOctetAs() || as4Path == null) {
            return asPath;
        }
        if (aggregator != null && as4Aggregator && aggregator.asn() != AsPath.AS_TRANS) {
            return asPath; // "when both ... are received": AS4_PATH and AS4_AGGREGATOR are ignored
        }
        return AsPath.reconstruct(asPath, as4Path);
    }

    /** Writes every attribute with its header; the flags octet is the received one or the table's. */
    public static void encode(PathAttributes attrs, ByteBuf out, SessionOptions options) {
        for (int i = 0; i < attrs.size(); i++) {
            encode(attrs.get(i), attrs.flags(i), out, options);
        }
    }

    /** Writes one attribute: flags, type, length (extended when needed or flagged), value. */
    public static void encode(PathAttribute a, int flags, ByteBuf out, SessionOptions options) {
        boolean ext = (flags & AttributeCode.FLAG_EXTENDED_LENGTH) != 0;
        int start = out.writerIndex();
        out.writeByte(flags).writeByte(a.code());
        int lenIdx = out.writerIndex();
        out.writeZero(ext ? 2 : 1);
        int valueStart = out.writerIndex();
        if (a instanceof UnknownAttribute u) {
            out.writeBytes(u.valueNoCopy());
        } else {
            AttributeTable.get(a.code()).encoder().encode(a, out, options);
        }
        int len = out.writerIndex() - valueStart;
        if (ext) {
            out.setShort(lenIdx, len);
        } else if (len <= 255) {
            out.setByte(lenIdx, len);
        } else {
            // Too long for one length octet: re-write with the Extended Length bit (RFC 4271 §4.3).
            byte[] value = new byte[len];
            out.getBytes(valueStart, value);
            out.writerIndex(start);
            out.writeByte(flags | AttributeCode.FLAG_EXTENDED_LENGTH).writeByte(a.code()).writeShort(len)
                    .writeBytes(value);
        }
    }
}
