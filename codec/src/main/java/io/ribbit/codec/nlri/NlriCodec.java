package io.ribbit.codec.nlri;

import io.netty.buffer.ByteBuf;
import io.ribbit.codec.error.BgpDecodeException;
import io.ribbit.codec.error.BgpError;

/**
 * Reads and writes NLRI (RFC 4271 §4.3 prefix encoding, RFC 4760 §5) straight from and to a
 * {@link ByteBuf}, for every family: IPv4/IPv6 unicast and multicast, labeled unicast (RFC 8277
 * §2), MPLS VPN (RFC 4364 §4.3.4, RFC 4659 §3.2), each with ADD-PATH path ids (RFC 7911 §3) when
 * negotiated. Other families become {@link RawNlri}. Stateless.
 *
 * <p>Decoding walks the bytes twice: once to validate and count (so a malformed field is
 * reported before anything is allocated), once to fill exactly-sized primitive arrays.
 * Host bits beyond the prefix length are cleared (RFC 4271 §4.3: they are irrelevant), so equal
 * prefixes always pack to equal keys.
 */
public final class NlriCodec {
    /** RFC 8277 §2.4: the label field of a withdrawal, "compatibility" value. */
    public static final int WITHDRAWN_LABEL = 0x800000;

    private NlriCodec() {
    }

    /**
     * Decodes the NLRI between {@code in.readerIndex()} and {@code end}, advancing the reader index
     * to {@code end}.
     *
     * @param addPath whether ADD-PATH receive was negotiated for this family (RFC 7911 §4)
     * @param withdrawal true for withdrawn routes / MP_UNREACH_NLRI (affects labeled parsing)
     * @param error the NOTIFICATION to report if the field is syntactically wrong
     * @throws BgpDecodeException if a prefix is truncated or longer than the family allows
     */
    public static Nlri decode(ByteBuf in, int end, AfiSafi afiSafi, boolean addPath, boolean withdrawal,
            BgpError error) {
        return decode(in, end, afiSafi, addPath, withdrawal, error, null);
    }

    /**
     * As {@link #decode(ByteBuf, int, AfiSafi, boolean, boolean, BgpError)}, with a caller-owned
     * scratch array for IPv4 prefixes (at least {@code end - readerIndex} long; null: a per-thread one).
     */
    public static Nlri decode(ByteBuf in, int end, AfiSafi afiSafi, boolean addPath, boolean withdrawal,
            BgpError error, long[] scratch) {
        if (!afiSafi.hasPrefixNlri()) {
            byte[] raw = new byte[end - in.readerIndex()];
            in.readBytes(raw);
            return new RawNlri(afiSafi, raw);
        }
        if (afiSafi.isLabeled()) {
            return decodeLabeled(in, end, afiSafi, addPath, withdrawal, error);
        }
        return afiSafi.isIpv6() ? decodeIpv6(in, end, afiSafi, addPath, error)
                : decodeIpv4(in, end, afiSafi, addPath, error, scratch);
    }

    /**
     * As {@link #decode(ByteBuf, int, AfiSafi, boolean, boolean, BgpError, long[])}, reading
     * {@code in[start..end)}: IPv4 prefixes are read straight from the array (the UPDATE decoder
     * copies a message's body once and reads every field from that copy); other families go
     * through a wrapping buffer.
     */
    public static Nlri decode(byte[] in, int start, int end, AfiSafi afiSafi, boolean addPath, boolean withdrawal,
            BgpError error, long[] scratch) {
        if (afiSafi.hasPrefixNlri() && !afiSafi.isLabeled() && !afiSafi.isIpv6()) {
            return decodeIpv4(in, start, end, afiSafi, addPath, error, scratch);
        }
        ByteBuf buf = io.netty.buffer.Unpooled.wrappedBuffer(in, start, end - start);
        return decode(buf, buf.writerIndex(), afiSafi, addPath, withdrawal, error, null);
    }

    private static final java.lang.invoke.VarHandle INT_BE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.BIG_ENDIAN);

    /**
     * IPv4 prefixes of {@code in[idx..end)}, validated and decoded in one pass into a scratch
     * array, copied out exactly sized. The address is read as four octets and
     * masked to the prefix length (no branch on the octet count) whenever the array has four
     * octets there; the octets past the prefix belong to the next one, or to nothing, and are
     * masked off.
     */
    private static PrefixList decodeIpv4(byte[] in, int idx, int end, AfiSafi afiSafi, boolean addPath,
            BgpError error, long[] given) {
        if (idx == end) {
            return PrefixList.empty(afiSafi);
        }
        Scratch scratch = given != null && given.length >= end - idx && !addPath ? null : SCRATCH.get();
        long[] words = scratch == null ? given : scratch.words(end - idx);
        int[] ids = addPath ? scratch.ids(end - idx) : null;
        int n = 0;
        int wide = in.length - 4; // a four-octet read at idx is inside the array when idx <= wide
        while (idx < end) {
            if (addPath) {
                if (end - idx < 5) {
                    throw invalid(error, "truncated ADD-PATH path identifier");
                }
                ids[n] = (int) INT_BE.get(in, idx);
                idx += 4;
            }
            int len = in[idx++] & 0xff;
            if (len > 32) {
                throw invalid(error, "prefix length " + len + " exceeds 32");
            }
            int nbytes = (len + 7) >>> 3;
            if (idx + nbytes > end) {
                throw invalid(error, "truncated prefix");
            }
            int addr;
            if (idx <= wide) {
                addr = (int) INT_BE.get(in, idx);
            } else {
                addr = 0;
                for (int k = 0; k < nbytes; k++) {
                    addr |= (in[idx + k] & 0xff) << (24 - 8 * k);
                }
            }
            idx += nbytes;
            words[n++] = PrefixList.packIpv4(addr & PrefixList.ipv4Mask(len), len);
        }
        return new PrefixList(afiSafi, n, java.util.Arrays.copyOf(words, n),
                ids == null ? null : java.util.Arrays.copyOf(ids, n), null, null);
    }

    private static int count(ByteBuf in, int end, int maxBits, boolean addPath, BgpError error) {
        int idx = in.readerIndex();
        int n = 0;
        while (idx < end) {
            if (addPath) {
                idx += 4;
                if (idx >= end) {
                    throw invalid(error, "truncated ADD-PATH path identifier");
                }
            }
            int len = in.getUnsignedByte(idx);
            if (len > maxBits) {
                throw invalid(error, "prefix length " + len + " exceeds " + maxBits);
            }
            idx += 1 + ((len + 7) >>> 3);
            if (idx > end) {
                throw invalid(error, "truncated prefix");
            }
            n++;
        }
        return n;
    }

    /** The array version over the buffer's bytes (its backing array, or a copy of a direct buffer's). */
    private static PrefixList decodeIpv4(ByteBuf in, int end, AfiSafi afiSafi, boolean addPath, BgpError error,
            long[] given) {
        int idx = in.readerIndex();
        PrefixList p;
        if (in.hasArray()) {
            int off = in.arrayOffset();
            p = decodeIpv4(in.array(), off + idx, off + end, afiSafi, addPath, error, given);
        } else {
            p = decodeIpv4(io.netty.buffer.ByteBufUtil.getBytes(in, idx, end - idx, false), 0, end - idx, afiSafi,
                    addPath, error, given);
        }
        in.readerIndex(end);
        return p;
    }

    /** Per-thread scratch arrays; results never alias them. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        long[] words = new long[4096];
        int[] ids = new int[4096];

        long[] words(int n) {
            if (words.length < n) {
                words = new long[n];
            }
            return words;
        }

        int[] ids(int n) {
            if (ids.length < n) {
                ids = new int[n];
            }
            return ids;
        }
    }

    private static PrefixList decodeIpv6(ByteBuf in, int end, AfiSafi afiSafi, boolean addPath, BgpError error) {
        int n = count(in, end, 128, addPath, error);
        long[] words = new long[3 * n];
        int[] ids = addPath ? new int[n] : null;
        int idx = in.readerIndex();
        for (int i = 0; i < n; i++) {
            if (addPath) {
                ids[i] = in.getInt(idx);
                idx += 4;
            }
            int len = in.getUnsignedByte(idx++);
            idx = readIpv6(in, idx, len, words, 3 * i);
            words[3 * i + 2] = len;
        }
        in.readerIndex(end);
        return new PrefixList(afiSafi, n, words, ids, null, null);
    }

    /** Reads {@code (len+7)/8} address bytes at {@code idx} into words[w], words[w+1]; masked. */
    private static int readIpv6(ByteBuf in, int idx, int len, long[] words, int w) {
        int nbytes = (len + 7) >>> 3;
        long hi = 0;
        long lo = 0;
        for (int k = 0; k < nbytes; k++) {
            long b = in.getUnsignedByte(idx + k);
            if (k < 8) {
                hi |= b << (56 - 8 * k);
            } else {
                lo |= b << (56 - 8 * (k - 8));
            }
        }
        if (len < 64) {
            hi &= len == 0 ? 0 : -1L << (64 - len);
            lo = 0;
        } else if (len < 128) {
            lo &= len == 64 ? 0 : -1L << (128 - len);
        }
        words[w] = hi;
        words[w + 1] = lo;
        return idx + nbytes;
    }

    private static PrefixList decodeLabeled(ByteBuf in, int end, AfiSafi afiSafi, boolean addPath,
            boolean withdrawal, BgpError error) {
        boolean v6 = afiSafi.isIpv6();
        boolean vpn = afiSafi.isVpn();
        int maxPrefix = v6 ? 128 : 32;
        // Pass 1: validate and count.
        int idx = in.readerIndex();
        int n = 0;
        while (idx < end) {
            if (addPath) {
                idx += 4;
            }
            if (idx >= end) {
                throw invalid(error, "truncated NLRI");
            }
            int bits = in.getUnsignedByte(idx++);
            int entryEnd = idx + ((bits + 7) >>> 3);
            if (entryEnd > end) {
                throw invalid(error, "truncated labeled prefix");
            }
            while (true) {
                if (bits < 24) {
                    throw invalid(error, "labeled prefix too short for its label stack");
                }
                int field = in.getUnsignedMedium(idx);
                idx += 3;
                bits -= 24;
                if ((field & 1) != 0 || withdrawal || field == WITHDRAWN_LABEL || field == 0) {
                    break;
                }
            }
            if (vpn) {
                if (bits < 64) {
                    throw invalid(error, "VPN prefix too short for its route distinguisher");
                }
                bits -= 64;
            }
            if (bits > maxPrefix) {
                throw invalid(error, "prefix length " + bits + " exceeds " + maxPrefix);
            }
            idx = entryEnd;
            n++;
        }
        // Pass 2: fill.
        long[] words = new long[(v6 ? 3 : 1) * n];
        int[] ids = addPath ? new int[n] : null;
        long[] rds = vpn ? new long[n] : null;
        int[][] labels = new int[n][];
        idx = in.readerIndex();
        int[] stack = new int[8];
        for (int i = 0; i < n; i++) {
            if (addPath) {
                ids[i] = in.getInt(idx);
                idx += 4;
            }
            int bits = in.getUnsignedByte(idx++);
            int depth = 0;
            while (true) {
                int field = in.getUnsignedMedium(idx);
                idx += 3;
                bits -= 24;
                if (depth == stack.length) {
                    stack = java.util.Arrays.copyOf(stack, depth * 2);
                }
                stack[depth++] = field;
                if ((field & 1) != 0 || withdrawal || field == WITHDRAWN_LABEL || field == 0) {
                    break;
                }
            }
            labels[i] = java.util.Arrays.copyOf(stack, depth);
            if (vpn) {
                rds[i] = in.getLong(idx);
                idx += 8;
                bits -= 64;
            }
            if (v6) {
                idx = readIpv6(in, idx, bits, words, 3 * i);
                words[3 * i + 2] = bits;
            } else {
                int nbytes = (bits + 7) >>> 3;
                int addr = 0;
                for (int k = 0; k < nbytes; k++) {
                    addr |= in.getUnsignedByte(idx + k) << (24 - 8 * k);
                }
                idx += nbytes;
                words[i] = PrefixList.packIpv4(addr & PrefixList.ipv4Mask(bits), bits);
            }
        }
        in.readerIndex(end);
        return new PrefixList(afiSafi, n, words, ids, rds, labels);
    }

    private static BgpDecodeException invalid(BgpError error, String detail) {
        return new BgpDecodeException(error, null, detail);
    }

    /** Writes the NLRI in wire form (path ids only if the list has them). */
    public static void encode(Nlri nlri, ByteBuf out) {
        if (nlri instanceof RawNlri raw) {
            out.writeBytes(raw.bytes());
            return;
        }
        PrefixList p = (PrefixList) nlri;
        AfiSafi f = p.afiSafi();
        boolean v6 = f.isIpv6();
        for (int i = 0; i < p.size(); i++) {
            if (p.hasPathIds()) {
                out.writeInt(p.pathId(i));
            }
            int len = p.length(i);
            int[] fields = p.labelFields(i);
            int extra = (fields == null ? 0 : 24 * fields.length) + (f.isVpn() ? 64 : 0);
            out.writeByte(len + extra);
            if (fields != null) {
                for (int field : fields) {
                    out.writeMedium(field);
                }
            }
            if (f.isVpn()) {
                out.writeLong(p.routeDistinguisher(i));
            }
            int nbytes = (len + 7) >>> 3;
            if (v6) {
                long hi = p.ipv6High(i);
                long lo = p.ipv6Low(i);
                for (int k = 0; k < nbytes; k++) {
                    out.writeByte((int) (k < 8 ? hi >>> (56 - 8 * k) : lo >>> (56 - 8 * (k - 8))));
                }
            } else {
                int a = PrefixList.ipv4Address(p.ipv4(i));
                for (int k = 0; k < nbytes; k++) {
                    out.writeByte(a >>> (24 - 8 * k));
                }
            }
        }
    }
}
