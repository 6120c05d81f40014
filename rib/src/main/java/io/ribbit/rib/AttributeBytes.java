package io.ribbit.rib;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ribbit.codec.SessionOptions;
import io.ribbit.codec.attr.AddressAttribute;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.MpReachNlri;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.attr.PathAttributesCodec;
import io.ribbit.codec.attr.UpdateDecodeContext;
import io.ribbit.codec.error.BgpDecodeException;
import io.ribbit.codec.message.UpdateMessage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The canonical bytes of one route's path: what an {@link AttributeSet} stores and what makes two
 * sets equal. Documented once, here:
 * <pre>
 *   octet 0        format: bit 0 {@link #AS4} (AS numbers in 4 octets, RFC 6793), bit 1 {@link #MP_NEXT_HOP}
 *   [MP_NEXT_HOP]  next-hop length n (1 octet), then the n next-hop octets of MP_REACH_NLRI (RFC 4760 §3)
 *   rest           the path attributes as in an UPDATE (RFC 4271 §4.3), without MP_REACH_NLRI and
 *                  MP_UNREACH_NLRI, with the flags they were received with
 * </pre>
 * Without {@link #MP_NEXT_HOP} the route's next hop is the NEXT_HOP attribute (IPv4 NLRI, RFC 4271
 * §5.1.3), so it is not stored twice.
 *
 * <p>Attributes are written with 4-octet AS numbers, except when a 2-octet session's AS_PATH was
 * merged with AS4_PATH (RFC 6793 §4.2.3): then they are written as received (2 octets, AS_TRANS
 * in place) and decoding merges them again, so the effective path survives the round trip.
 *
 * <p>{@link #write} is the one place that makes these bytes from an UPDATE: for attributes
 * received on a 4-octet-AS session it copies the received bytes ({@link PathAttributes#rawNoCopy},
 * minus MP_REACH/MP_UNREACH) without building any value; otherwise it re-encodes the values.
 */
final class AttributeBytes {
    static final int AS4 = 1;
    static final int MP_NEXT_HOP = 2;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Decoding runs on reader threads (REST, tests), never on the hot path; one scratch context per thread. */
    private static final ThreadLocal<UpdateDecodeContext> CONTEXT = ThreadLocal.withInitial(UpdateDecodeContext::new);

    private AttributeBytes() {
    }

    /**
     * Writes the canonical bytes of the routes {@code u} announces: for its IPv4 NLRI when
     * {@code mp} is false, for its MP_REACH_NLRI prefixes when true. The bytes for this UPDATE.
     */
    static void write(UpdateMessage u, boolean mp, ByteBuf out) {
        PathAttributes a = u.attributes();
        boolean merged = a.pathReconstructed();
        out.writeByte((merged ? 0 : AS4) | (mp ? MP_NEXT_HOP : 0));
        if (mp) {
            byte[] nh = u.mpReach().nextHopBytes();
            out.writeByte(nh.length).writeBytes(nh);
        }
        byte[] raw = a.rawNoCopy();
        if (raw != null && a.options() != null && a.options().fourOctetAs()) {
            // Received on a 4-octet session: the attributes as received are already canonical; copy
            // them (without MP_REACH/MP_UNREACH) instead of building and re-encoding every value.
            copyWithoutMp(raw, a, out);
            return;
        }
        SessionOptions options = merged ? SessionOptions.DEFAULT : SessionOptions.AS4;
        for (int i = 0; i < a.size(); i++) {
            int code = a.code(i);
            if (code != AttributeCode.MP_REACH_NLRI && code != AttributeCode.MP_UNREACH_NLRI) {
                PathAttributesCodec.encode(a.get(i), a.flags(i), out, options);
            }
        }
    }

    /**
     * The received attributes without MP_REACH/MP_UNREACH: the field in one copy when it is whole
     * ({@link PathAttributes#receivedWhole}) and has neither (every IPv4 UPDATE), else attribute
     * by attribute, walking a whole field's headers in one pass.
     */
    static void copyWithoutMp(byte[] raw, PathAttributes a, ByteBuf out) {
        boolean whole = a.receivedWhole();
        if (whole && !a.has(AttributeCode.MP_REACH_NLRI) && !a.has(AttributeCode.MP_UNREACH_NLRI)) {
            out.writeBytes(raw);
            return;
        }
        int next = 0;
        for (int i = 0; i < a.size(); i++) {
            int st = whole ? next : a.rawStart(i);
            next = PathAttributes.attributeEnd(raw, st);
            int code = raw[st + 1] & 0xff;
            if (code != AttributeCode.MP_REACH_NLRI && code != AttributeCode.MP_UNREACH_NLRI) {
                out.writeBytes(raw, st, next - st);
            }
        }
    }

    /** Where the path attributes start. */
    static int attributesOffset(byte[] b) {
        return (b[0] & MP_NEXT_HOP) != 0 ? 2 + (b[1] & 0xff) : 1;
    }

    /** Decodes the path attributes (allocates; for readers). */
    static PathAttributes attributes(byte[] b) {
        ByteBuf buf = Unpooled.wrappedBuffer(b);
        buf.readerIndex(attributesOffset(b));
        UpdateDecodeContext ctx = CONTEXT.get();
        ctx.begin((b[0] & AS4) != 0 ? SessionOptions.AS4 : SessionOptions.DEFAULT);
        try {
            return PathAttributesCodec.decode(buf, b.length, ctx);
        } catch (BgpDecodeException e) {
            throw new IllegalStateException("stored attributes do not decode: " + e.getMessage(), e);
        } finally {
            ctx.end();
        }
    }

    /**
     * The route's next hop: the MP_REACH_NLRI next-hop octets, else the NEXT_HOP address (4
     * octets), else null. {@code attributes} is {@link #attributes}'s result for {@code b}.
     */
    static byte[] nextHop(byte[] b, PathAttributes attributes) {
        if ((b[0] & MP_NEXT_HOP) != 0) {
            byte[] nh = new byte[b[1] & 0xff];
            System.arraycopy(b, 2, nh, 0, nh.length);
            return nh;
        }
        AddressAttribute nh = attributes.nextHop();
        if (nh == null) {
            return null;
        }
        int a = nh.address();
        return new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
    }

    /** A 32-bit hash of {@code len} bytes at {@code off}, all bits mixed (the store indexes by high and low bits). */
    static int hash(byte[] b, int off, int len) {
        long h = 0x9E3779B97F4A7C15L * (len + 1);
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            h = (h ^ (long) LONGS.get(b, i)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        long tail = 0;
        for (; i < end; i++) {
            tail = tail << 8 | (b[i] & 0xff);
        }
        h = (h ^ tail) * 0x94D049BB133111EBL;
        h ^= h >>> 32;
        h *= 0xD6E8FEB86659FD93L;
        h ^= h >>> 32;
        return (int) h;
    }
}
