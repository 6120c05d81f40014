package io.ribbit.collector.api;

import io.netty.util.NetUtil;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.rib.RouteKey;

/**
 * An IP prefix of one family, without path id or route distinguisher: what a lookup asks for.
 * Held as {@link RouteKey} holds it: IPv4 packed in {@code high} ({@link PrefixList#packIpv4},
 * {@code low} 0), IPv6 as two longs; host bits are always clear. Immutable.
 */
record Prefix(AfiSafi family, long high, long low, int length) {

    /**
     * Parses {@code 192.0.2.0/24} or {@code 2001:db8::/32} for {@code family} (null: IPv4 or IPv6
     * unicast by the address). Host bits must be clear. IP literals only, never a DNS lookup.
     */
    static Prefix parse(String text, AfiSafi family) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new BadRequest("bad prefix " + quote(text) + ": expected ADDRESS/LENGTH, e.g. 192.0.2.0/24");
        }
        byte[] a = address(text.substring(0, slash), "prefix " + quote(text));
        int max = a.length * 8;
        int len;
        try {
            String l = text.substring(slash + 1);
            len = l.isEmpty() || l.length() > 3 || !l.chars().allMatch(Character::isDigit) ? -1 : Integer.parseInt(l);
        } catch (NumberFormatException e) {
            len = -1;
        }
        if (len < 0 || len > max) {
            throw new BadRequest("bad prefix " + quote(text) + ": length must be 0.." + max);
        }
        Prefix p = of(a, len, family(a, family));
        if (hostBits(a, len)) {
            throw new BadRequest("bad prefix " + quote(text) + ": host bits set (did you mean " + p.text() + "?)");
        }
        return p;
    }

    /** Parses an address as its host prefix ({@code /32} or {@code /128}). */
    static Prefix host(String text, AfiSafi family) {
        byte[] a = address(text, "address " + quote(text));
        return of(a, a.length * 8, family(a, family));
    }

    private static byte[] address(String text, String what) {
        byte[] a = NetUtil.createByteArrayFromIpAddressString(text);
        if (a == null || text.indexOf('%') >= 0) {
            throw new BadRequest("bad " + what + ": not an IPv4 or IPv6 address");
        }
        return a;
    }

    private static AfiSafi family(byte[] a, AfiSafi family) {
        if (family == null) {
            return a.length == 4 ? AfiSafi.IPV4_UNICAST : AfiSafi.IPV6_UNICAST;
        }
        if ((a.length == 4) != family.isIpv4()) {
            throw new BadRequest("family " + family.name() + " does not match an IPv" + (a.length == 4 ? 4 : 6)
                    + " address");
        }
        return family;
    }

    private static boolean hostBits(byte[] a, int len) {
        for (int bit = len; bit < a.length * 8; bit++) {
            if ((a[bit >>> 3] & (0x80 >>> (bit & 7))) != 0) {
                return true;
            }
        }
        return false;
    }

    private static Prefix of(byte[] a, int len, AfiSafi family) {
        if (a.length == 4) {
            int addr = (a[0] & 0xff) << 24 | (a[1] & 0xff) << 16 | (a[2] & 0xff) << 8 | (a[3] & 0xff);
            return new Prefix(family, PrefixList.packIpv4(addr & PrefixList.ipv4Mask(len), len), 0, len);
        }
        long hi = 0;
        long lo = 0;
        for (int k = 0; k < 8; k++) {
            hi = hi << 8 | (a[k] & 0xff);
            lo = lo << 8 | (a[8 + k] & 0xff);
        }
        return new Prefix(family, hi & mask6(len), lo & mask6(len - 64), len);
    }

    /** The prefix of {@code k} (its path id and route distinguisher dropped). */
    static Prefix of(RouteKey k) {
        return new Prefix(k.family(), k.high(), k.low(), k.length());
    }

    /** 64-bit mask with {@code bits} leading ones (0 when bits ≤ 0, all ones when ≥ 64). */
    private static long mask6(int bits) {
        return bits <= 0 ? 0 : bits >= 64 ? -1L : -1L << (64 - bits);
    }

    /** 32 for IPv4, 128 for IPv6. */
    int maxLength() {
        return family.isIpv6() ? 128 : 32;
    }

    /** The key this prefix has in an Adj-RIB-In without ADD-PATH ({@code pathId} 0) or with it. */
    RouteKey key(int pathId) {
        return new RouteKey(family, high, low, length, pathId, 0);
    }

    /** The covering prefix of length {@code len} ≤ {@link #length()}. */
    Prefix truncate(int len) {
        if (family.isIpv6()) {
            return new Prefix(family, high & mask6(len), low & mask6(len - 64), len);
        }
        int addr = PrefixList.ipv4Address(high) & PrefixList.ipv4Mask(len);
        return new Prefix(family, PrefixList.packIpv4(addr, len), 0, len);
    }

    /** True when {@code k} (same family, any path id, no route distinguisher) is this prefix or inside it. */
    boolean covers(RouteKey k) {
        if (!k.family().equals(family) || k.length() < length || k.rd() != 0) {
            return false;
        }
        if (family.isIpv6()) {
            return (k.high() & mask6(length)) == high && (k.low() & mask6(length - 64)) == low;
        }
        int mask = PrefixList.ipv4Mask(length);
        return (PrefixList.ipv4Address(k.high()) & mask) == PrefixList.ipv4Address(high);
    }

    /** True when this prefix is {@code k}'s prefix or inside it ({@code k} covers it; any path id, no RD). */
    boolean within(RouteKey k) {
        if (!k.family().equals(family) || k.length() > length || k.rd() != 0) {
            return false;
        }
        if (family.isIpv6()) {
            return (high & mask6(k.length())) == k.high() && (low & mask6(k.length() - 64)) == k.low();
        }
        return (PrefixList.ipv4Address(high) & PrefixList.ipv4Mask(k.length())) == PrefixList.ipv4Address(k.high());
    }

    /** True when {@code k} is exactly this prefix (any path id). */
    boolean matches(RouteKey k) {
        return k.length() == length && k.high() == high && k.low() == low && k.rd() == 0 && k.family().equals(family);
    }

    String text() {
        return key(0).prefix();
    }

    private static String quote(String s) {
        String t = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return "\"" + t + "\"";
    }

    @Override
    public String toString() {
        return family + " " + text();
    }
}
