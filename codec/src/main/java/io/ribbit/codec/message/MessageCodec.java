package io.ribbit.codec.message;

import io.netty.buffer.ByteBuf;
import io.ribbit.codec.SessionOptions;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.MpReachNlri;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.attr.PathAttributesCodec;
import io.ribbit.codec.attr.UpdateDecodeContext;
import io.ribbit.codec.capability.Capability;
import io.ribbit.codec.capability.CapabilityCodec;
import io.ribbit.codec.error.BgpDecodeException;
import io.ribbit.codec.error.BgpError;
import io.ribbit.codec.error.ErrorAction;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.NlriCodec;
import io.ribbit.codec.nlri.PrefixList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes one complete BGP message into a {@link BgpMessage} and encodes messages. Decoding
 * never throws for bad input: a message that needs a session reset comes back as a
 * {@link MalformedMessage} carrying the NOTIFICATION (RFC 4271 §6, RFC 7606). Stateless; the
 * per-channel {@link UpdateDecodeContext} carries the per-message scratch state.
 */
public final class MessageCodec {
    private MessageCodec() {
    }

    /**
     * Decodes the message in {@code msg}'s readable bytes (header included), which must be exactly
     * one message. Does not change {@code msg}'s indexes.
     */
    public static BgpMessage decode(ByteBuf msg, SessionOptions options, UpdateDecodeContext ctx) {
        int start = msg.readerIndex();
        int n = msg.readableBytes();
        if (n < MessageHeader.HEADER_LENGTH) {
            return new MalformedMessage(-1, BgpError.BAD_MESSAGE_LENGTH, null, "shorter than a header");
        }
        // One bulk copy of the message (no longer than the longest message: the length check
        // below rejects anything else); header and UPDATE are read from the copy, without a
        // buffer accessor's bounds and accessibility checks per field.
        byte[] b = ctx.body(Math.min(n, MessageHeader.MAX_EXTENDED_MESSAGE_LENGTH));
        msg.getBytes(start, b, 0, Math.min(n, MessageHeader.MAX_EXTENDED_MESSAGE_LENGTH));
        MalformedMessage bad = MessageHeader.check(b, 0, options);
        if (bad != null) {
            return bad;
        }
        int length = (b[MessageHeader.LENGTH_OFFSET] & 0xff) << 8 | b[MessageHeader.LENGTH_OFFSET + 1] & 0xff;
        int typeCode = b[MessageHeader.TYPE_OFFSET] & 0xff;
        if (length != n) {
            return new MalformedMessage(typeCode, BgpError.BAD_MESSAGE_LENGTH,
                    new byte[] {(byte) (length >>> 8), (byte) length}, "length field " + length + " but " + n + " octets");
        }
        MessageType type = MessageType.valueOf(typeCode);
        int body = start + MessageHeader.HEADER_LENGTH;
        int end = start + length;
        BgpMessage m;
        try {
            m = switch (type) {
                case OPEN -> decodeOpen(msg, body, end);
                case UPDATE -> decodeUpdate(b, MessageHeader.HEADER_LENGTH, length, options, ctx);
                case NOTIFICATION -> decodeNotification(msg, body, end);
                case KEEPALIVE -> KeepaliveMessage.INSTANCE;
                case ROUTE_REFRESH -> decodeRouteRefresh(msg, start, body, end);
            };
        } catch (BgpDecodeException e) {
            m = new MalformedMessage(type.code(), e.error(), e.data(), e.getMessage());
        }
        if (type != MessageType.UPDATE) {
            msg.readerIndex(start);
        }
        ctx.end();
        return m;
    }

    // ------------------------------------------------------------------ OPEN

    /** RFC 4271 §4.2, §6.2; RFC 5492; RFC 9072 §2 extended optional parameters. */
    private static BgpMessage decodeOpen(ByteBuf in, int body, int end) {
        int version = in.getUnsignedByte(body);
        if (version != OpenMessage.VERSION) {
            // RFC 4271 §6.2: data is the largest supported version, 2 octets.
            return new MalformedMessage(1, BgpError.UNSUPPORTED_VERSION_NUMBER, new byte[] {0, OpenMessage.VERSION},
                    "version " + version);
        }
        int myAs = in.getUnsignedShort(body + 1);
        int holdTime = in.getUnsignedShort(body + 3);
        int bgpId = in.getInt(body + 5);
        int optLen = in.getUnsignedByte(body + 9);
        int idx = body + 10;
        boolean extended = false;
        // RFC 9072 §2: Non-Ext OP Len 255 followed by Non-Ext OP Type 255 means extended lengths.
        if (optLen == 255 && idx < end && in.getUnsignedByte(idx) == 255) {
            if (idx + 3 > end) {
                throw new BgpDecodeException(BgpError.OPEN_MESSAGE_ERROR, null, "truncated extended parameters length");
            }
            extended = true;
            optLen = in.getUnsignedShort(idx + 1);
            idx += 3;
        }
        if (idx + optLen != end) {
            return new MalformedMessage(1, BgpError.OPEN_MESSAGE_ERROR, null,
                    "optional parameters length " + optLen + " does not match the message (RFC 4271 §6.2)");
        }
        if (holdTime == 1 || holdTime == 2) {
            return new MalformedMessage(1, BgpError.UNACCEPTABLE_HOLD_TIME, null,
                    "hold time " + holdTime + " (RFC 4271 §6.2: must be 0 or at least 3)");
        }
        if (bgpId == 0) {
            return new MalformedMessage(1, BgpError.BAD_BGP_IDENTIFIER, null, "BGP identifier 0 (RFC 6286 §2.2)");
        }
        List<Capability> caps = new ArrayList<>();
        List<OpenMessage.Parameter> params = new ArrayList<>(0);
        int hdr = extended ? 3 : 2;
        while (idx < end) {
            if (end - idx < hdr) {
                throw new BgpDecodeException(BgpError.OPEN_MESSAGE_ERROR, null, "optional parameter header overrun");
            }
            int ptype = in.getUnsignedByte(idx);
            int plen = extended ? in.getUnsignedShort(idx + 1) : in.getUnsignedByte(idx + 1);
            int pstart = idx + hdr;
            if (pstart + plen > end) {
                throw new BgpDecodeException(BgpError.OPEN_MESSAGE_ERROR, null,
                        "optional parameter " + ptype + " length " + plen + " overruns the message");
            }
            if (ptype == 2) {
                CapabilityCodec.decodeAll(in, pstart, plen, caps);
            } else {
                // RFC 4271 §6.2 / RFC 5492: only Capabilities are in use (Authentication, 1, is deprecated).
                return new MalformedMessage(1, BgpError.UNSUPPORTED_OPTIONAL_PARAMETER, null,
                        "optional parameter type " + ptype);
            }
            idx = pstart + plen;
        }
        return new OpenMessage(version, myAs, holdTime, bgpId, caps, params, extended);
    }

    // ---------------------------------------------------------------- UPDATE

    /**
     * RFC 4271 §4.3 / §6.3 with RFC 7606. Length fields that do not add up are a session reset
     * 3/1 (RFC 7606 §5.1 keeps this); unparsable NLRI or withdrawn routes 3/10; attribute problems
     * per {@link PathAttributesCodec}; then the checks that need the whole message.
     */
    private static BgpMessage decodeUpdate(byte[] b, int body, int end, SessionOptions options,
            UpdateDecodeContext ctx) {
        ctx.begin(options);
        // b holds the whole message (see decode); the Path Attributes field is copied out of it
        // exactly sized and kept by the PathAttributes.
        int wlen = (b[body] & 0xff) << 8 | b[body + 1] & 0xff;
        int wstart = body + 2;
        if (wstart + wlen + 2 > end) {
            throw new BgpDecodeException(BgpError.MALFORMED_ATTRIBUTE_LIST, null,
                    "withdrawn routes length " + wlen + " overruns the message");
        }
        boolean addPath = options.addPathReceive(AfiSafi.IPV4_UNICAST);
        PrefixList withdrawn = wlen == 0 ? PrefixList.empty(AfiSafi.IPV4_UNICAST)
                : (PrefixList) NlriCodec.decode(b, wstart, wstart + wlen, AfiSafi.IPV4_UNICAST, addPath, true,
                        BgpError.INVALID_NETWORK_FIELD, null);
        int alen = (b[wstart + wlen] & 0xff) << 8 | b[wstart + wlen + 1] & 0xff;
        int astart = wstart + wlen + 2;
        if (astart + alen > end) {
            throw new BgpDecodeException(BgpError.MALFORMED_ATTRIBUTE_LIST, null,
                    "total path attribute length " + alen + " overruns the message");
        }
        PathAttributes attrs = alen == 0 ? PathAttributes.EMPTY
                : PathAttributesCodec.decode(Arrays.copyOfRange(b, astart, astart + alen), ctx);
        int nstart = astart + alen;
        PrefixList nlri = (PrefixList) NlriCodec.decode(b, nstart, end, AfiSafi.IPV4_UNICAST, addPath, false,
                BgpError.INVALID_NETWORK_FIELD, ctx.words(end - nstart));
        checkMandatory(attrs, nlri, ctx);
        return new UpdateMessage(withdrawn, attrs, nlri, ctx.strongest(), ctx.problems());
    }

    /**
     * RFC 7606 §3(d): a missing well-known mandatory attribute is treat-as-withdraw (NEXT_HOP is
     * mandatory only with IPv4 NLRI in the NLRI field, RFC 4760 §3).
     *
     * <p>RFC 7606 §5.2: an UPDATE that carries path attributes other than MP_UNREACH_NLRI but no
     * reachable NLRI (nothing in the NLRI field, no NLRI in MP_REACH_NLRI) cannot be trusted to
     * have been parsed, so any error stronger than attribute discard becomes a session reset —
     * withdrawn routes or MP_UNREACH_NLRI prefixes in the message do not change that. We send
     * 3/1 (as BIRD does). An UPDATE whose only attribute is MP_UNREACH_NLRI never gets here with
     * a treat-as-withdraw: every MP_UNREACH_NLRI problem is already a session reset.
     */
    private static void checkMandatory(PathAttributes attrs, PrefixList nlri, UpdateDecodeContext ctx) {
        MpReachNlri reach = ctx.seen(AttributeCode.MP_REACH_NLRI) ? attrs.mpReach() : null;
        boolean reachNlri = reach != null && !reach.nlri().isEmpty();
        if (!nlri.isEmpty() || reachNlri) {
            missing(ctx, AttributeCode.ORIGIN, "ORIGIN");
            missing(ctx, AttributeCode.AS_PATH, "AS_PATH");
            if (!nlri.isEmpty()) {
                missing(ctx, AttributeCode.NEXT_HOP, "NEXT_HOP");
            }
        }
        if (ctx.strongest() == ErrorAction.TREAT_AS_WITHDRAW && nlri.isEmpty() && !reachNlri) {
            throw new BgpDecodeException(BgpError.MALFORMED_ATTRIBUTE_LIST, null,
                    "malformed attributes in an UPDATE with no reachable NLRI (RFC 7606 §5.2): "
                            + ctx.problems().get(0).detail());
        }
    }

    private static void missing(UpdateDecodeContext ctx, int code, String name) {
        if (!ctx.seen(code)) {
            ctx.problem(ErrorAction.TREAT_AS_WITHDRAW, BgpError.MISSING_WELL_KNOWN_ATTRIBUTE, code,
                    "missing well-known attribute " + name + " (RFC 7606 §3(d))");
        }
    }

    // ---------------------------------------------------------- NOTIFICATION

    private static BgpMessage decodeNotification(ByteBuf in, int body, int end) {
        byte[] data = new byte[end - body - 2];
        in.getBytes(body + 2, data);
        return new NotificationMessage(in.getUnsignedByte(body), in.getUnsignedByte(body + 1), data);
    }

    // --------------------------------------------------------- ROUTE-REFRESH

    /** RFC 2918 §3; RFC 7313 §5: BoRR/EoRR must be exactly 4 octets of body, else 7/1 with the message. */
    private static BgpMessage decodeRouteRefresh(ByteBuf in, int start, int body, int end) {
        int subtype = in.getUnsignedByte(body + 2);
        if ((subtype == RouteRefreshMessage.BEGIN_OF_ROUTE_REFRESH
                || subtype == RouteRefreshMessage.END_OF_ROUTE_REFRESH) && end - body != 4) {
            byte[] whole = new byte[end - start];
            in.getBytes(start, whole);
            return new MalformedMessage(5, BgpError.INVALID_ROUTE_REFRESH_LENGTH, whole,
                    "ROUTE-REFRESH subtype " + subtype + " body length " + (end - body) + ", must be 4 (RFC 7313 §5)");
        }
        byte[] orf = new byte[end - body - 4];
        in.getBytes(body + 4, orf);
        return new RouteRefreshMessage(AfiSafi.of(in.getUnsignedShort(body), in.getUnsignedByte(body + 3)), subtype,
                orf);
    }

    // ---------------------------------------------------------------- encode

    /** Writes {@code m} as one complete message. MalformedMessage writes its NOTIFICATION. */
    public static void encode(BgpMessage m, ByteBuf out, SessionOptions options) {
        if (m instanceof MalformedMessage bad) {
            m = bad.notification();
        }
        int start = MessageHeader.start(out, m.type());
        if (m instanceof UpdateMessage u) {
            encodeUpdate(u, out, options);
        } else if (m instanceof OpenMessage o) {
            encodeOpen(o, out);
        } else if (m instanceof NotificationMessage n) {
            out.writeByte(n.code()).writeByte(n.subcode()).writeBytes(n.dataNoCopy());
        } else if (m instanceof RouteRefreshMessage r) {
            out.writeShort(r.family().afi()).writeByte(r.subtype()).writeByte(r.family().safi())
                    .writeBytes(r.orfNoCopy());
        }
        MessageHeader.finish(out, start);
    }

    private static void encodeUpdate(UpdateMessage u, ByteBuf out, SessionOptions options) {
        int wlenIdx = out.writerIndex();
        out.writeShort(0);
        NlriCodec.encode(u.withdrawn(), out);
        out.setShort(wlenIdx, out.writerIndex() - wlenIdx - 2);
        int alenIdx = out.writerIndex();
        out.writeShort(0);
        PathAttributesCodec.encode(u.attributes(), out, options);
        out.setShort(alenIdx, out.writerIndex() - alenIdx - 2);
        NlriCodec.encode(u.nlri(), out);
    }

    /** RFC 4271 §4.2; RFC 9072 when the parameters do not fit one-octet lengths. */
    private static void encodeOpen(OpenMessage o, ByteBuf out) {
        out.writeByte(o.version()).writeShort(o.myAs()).writeShort(o.holdTime()).writeInt(o.bgpIdentifier());
        // Capabilities go one per optional parameter, the common practice (RFC 5492 §4 allows either).
        int optLenIdx = out.writerIndex();
        out.writeByte(0);
        int optStart = out.writerIndex();
        boolean ext = o.extendedParameters();
        if (!ext) {
            for (Capability c : o.capabilities()) {
                int p = out.writerIndex();
                out.writeByte(2).writeByte(0);
                CapabilityCodec.encode(c, out);
                int len = out.writerIndex() - p - 2;
                if (len > 255) {
                    ext = true;
                    break;
                }
                out.setByte(p + 1, len);
            }
            for (OpenMessage.Parameter p : o.parameters()) {
                byte[] v = p.value();
                if (v.length > 255) {
                    ext = true;
                    break;
                }
                out.writeByte(p.type()).writeByte(v.length).writeBytes(v);
            }
            int total = out.writerIndex() - optStart;
            if (!ext && total <= 255) {
                out.setByte(optLenIdx, total);
                return;
            }
            out.writerIndex(optStart);
        }
        // RFC 9072 §2: 255, 255, 2-octet length, parameters with 2-octet lengths.
        out.setByte(optLenIdx, 255);
        out.writeByte(255);
        int extLenIdx = out.writerIndex();
        out.writeShort(0);
        int extStart = out.writerIndex();
        for (Capability c : o.capabilities()) {
            int p = out.writerIndex();
            out.writeByte(2).writeShort(0);
            CapabilityCodec.encode(c, out);
            out.setShort(p + 1, out.writerIndex() - p - 3);
        }
        for (OpenMessage.Parameter p : o.parameters()) {
            byte[] v = p.value();
            out.writeByte(p.type()).writeShort(v.length).writeBytes(v);
        }
        out.setShort(extLenIdx, out.writerIndex() - extStart);
    }
}
