package io.ribbit.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.NetUtil;
import io.ribbit.codec.attr.PathAttribute;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.attr.PathAttributesCodec;
import io.ribbit.codec.attr.UpdateDecodeContext;
import io.ribbit.codec.error.ErrorAction;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.MalformedMessage;
import io.ribbit.codec.message.MessageCodec;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.codec.text.Hex;
import java.util.Set;

/**
 * Test helpers that move messages through {@link MessageCodec} and back. Every ByteBuf comes
 * from the (leak-tracked) default allocator and is released in {@code finally}; callers only
 * ever see byte arrays.
 */
final class Wire {
    /** Junk written before a message so decode must honour the reader index. */
    private static final int LEAD = 7;

    private Wire() {
    }

    /** A session with the given 4-octet AS setting and ADD-PATH (both directions) for {@code addPath}. */
    static SessionOptions session(boolean fourOctetAs, Set<AfiSafi> addPath) {
        return new SessionOptions(fourOctetAs, false, addPath, addPath);
    }

    /** {@code m} encoded with {@link MessageCodec#encode}. */
    static byte[] encode(BgpMessage m, SessionOptions options) {
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer(64);
        try {
            MessageCodec.encode(m, out, options);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    /**
     * Decodes one message with a fresh context. The bytes sit after {@value #LEAD} junk octets
     * and before trailing capacity, and decode must leave both indexes where they were.
     */
    static BgpMessage decode(byte[] wire, SessionOptions options) {
        return decode(wire, options, new UpdateDecodeContext());
    }

    /** Decodes one message with {@code ctx} (a context reused across messages, like a channel's). */
    static BgpMessage decode(byte[] wire, SessionOptions options, UpdateDecodeContext ctx) {
        ByteBuf in = ByteBufAllocator.DEFAULT.buffer(LEAD + wire.length + 16);
        try {
            in.writeZero(LEAD).writeBytes(wire);
            in.readerIndex(LEAD);
            BgpMessage m = MessageCodec.decode(in, options, ctx);
            assertEquals(LEAD, in.readerIndex(), "decode moved the reader index");
            assertEquals(LEAD + wire.length, in.writerIndex(), "decode moved the writer index");
            return m;
        } finally {
            in.release();
        }
    }

    /**
     * The full round trip for a canonical encoding: decode(encode(m)) equals {@code m}, is not
     * malformed, carries no RFC 7606 problem, and re-encodes to the same bytes.
     *
     * @return the decoded message
     */
    static BgpMessage roundTrip(BgpMessage m, SessionOptions options) {
        byte[] first = encode(m, options);
        BgpMessage decoded = decode(first, options);
        assertFalse(decoded instanceof MalformedMessage, () -> "decoded as " + decoded + " from " + hex(first));
        if (decoded instanceof UpdateMessage u) {
            assertEquals(ErrorAction.NONE, u.action(), () -> "RFC 7606 problems " + u.problems());
        }
        assertEquals(m, decoded, () -> "decode(encode(x)) != x; wire " + hex(first));
        byte[] second = encode(decoded, options);
        assertArrayEquals(first, second, () -> "re-encoding differs:\n  first  " + hex(first) + "\n  second "
                + hex(second));
        return decoded;
    }

    /**
     * One path attribute decoded from its wire form (flags, code, value); it must be well-formed.
     * Values over 255 octets get the Extended Length bit.
     */
    static PathAttribute decodeAttribute(int flags, int code, byte[] value, SessionOptions options) {
        if (value.length > 255) {
            flags |= 0x10;
        }
        ByteBuf in = ByteBufAllocator.DEFAULT.buffer();
        try {
            in.writeByte(flags).writeByte(code);
            if ((flags & 0x10) != 0) {
                in.writeShort(value.length);
            } else {
                in.writeByte(value.length);
            }
            in.writeBytes(value);
            UpdateDecodeContext ctx = new UpdateDecodeContext();
            ctx.begin(options);
            PathAttributes attrs = PathAttributesCodec.decode(in, in.writerIndex(), ctx);
            ctx.end();
            assertEquals(ErrorAction.NONE, ctx.strongest(), () -> "problems " + ctx.problems());
            assertEquals(1, attrs.size());
            return attrs.get(0);
        } finally {
            in.release();
        }
    }

    static String hex(byte[] b) {
        return Hex.encode(b);
    }

    static byte[] bytes(String hex) {
        return Hex.decode(hex);
    }

    /** An IPv4 address in an int, from dotted-quad text. */
    static int ipv4(String text) {
        byte[] b = NetUtil.createByteArrayFromIpAddressString(text);
        assertTrue(b != null && b.length == 4, text);
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    /** An IPv6 address's 16 bytes, from text. */
    static byte[] ipv6(String text) {
        byte[] b = NetUtil.createByteArrayFromIpAddressString(text);
        assertTrue(b != null && b.length == 16, text);
        return b;
    }

    /**
     * A prefix list of {@code family} from {@code "a.b.c.d/n"} or IPv6 text, optionally with path
     * ids, route distinguishers and raw label fields (one array per prefix). Addresses are taken
     * as given (host bits are not cleared here).
     */
    static PrefixList prefixes(AfiSafi family, int[] pathIds, long[] rds, int[][] labelFields, String... text) {
        int n = text.length;
        boolean v6 = family.isIpv6();
        long[] words = new long[(v6 ? 3 : 1) * n];
        for (int i = 0; i < n; i++) {
            int slash = text[i].indexOf('/');
            String addr = text[i].substring(0, slash);
            int len = Integer.parseInt(text[i].substring(slash + 1));
            if (v6) {
                byte[] b = ipv6(addr);
                long hi = 0;
                long lo = 0;
                for (int k = 0; k < 8; k++) {
                    hi = hi << 8 | (b[k] & 0xff);
                    lo = lo << 8 | (b[8 + k] & 0xff);
                }
                words[3 * i] = hi;
                words[3 * i + 1] = lo;
                words[3 * i + 2] = len;
            } else {
                words[i] = PrefixList.packIpv4(ipv4(addr), len);
            }
        }
        return new PrefixList(family, n, words, pathIds, rds, labelFields);
    }

    static PrefixList prefixes(AfiSafi family, String... text) {
        return prefixes(family, null, null, null, text);
    }
}
