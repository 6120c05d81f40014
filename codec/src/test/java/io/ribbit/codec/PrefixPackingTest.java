package io.ribbit.codec;

import static io.ribbit.codec.Wire.bytes;
import static io.ribbit.codec.Wire.ipv4;
import static io.ribbit.codec.Wire.prefixes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.ribbit.codec.error.BgpDecodeException;
import io.ribbit.codec.error.BgpError;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.Nlri;
import io.ribbit.codec.nlri.NlriCodec;
import io.ribbit.codec.nlri.PrefixList;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packed prefix form of {@link PrefixList}: IPv4 packing for every length, host bits
 * cleared on decode (RFC 4271 §4.3: they are irrelevant), IPv6 masking around the word
 * boundaries, and text (dotted quad; RFC 5952 §4 for IPv6).
 */
class PrefixPackingTest {
    private static final int[] ADDRESSES = {0, 0x0a010203, 0xc0000201, 0x80000000, 0xffffffff, 0x7fffffff, 1};

    static PrefixList decode(AfiSafi family, boolean addPath, byte[] wire) {
        ByteBuf in = ByteBufAllocator.DEFAULT.buffer(wire.length + 3);
        try {
            in.writeZero(3).writeBytes(wire).readerIndex(3);
            Nlri n = NlriCodec.decode(in, in.writerIndex(), family, addPath, false, BgpError.INVALID_NETWORK_FIELD);
            assertEquals(in.writerIndex(), in.readerIndex(), "decode consumes up to end");
            return (PrefixList) n;
        } finally {
            in.release();
        }
    }

    static byte[] encode(PrefixList p) {
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        try {
            NlriCodec.encode(p, out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    /** {@code n} octets of 0xff: every host bit set. */
    static byte[] ones(int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) 0xff);
        return b;
    }

    @Test
    void packIpv4RoundTripsEveryLength() {
        for (int len = 0; len <= 32; len++) {
            for (int a : ADDRESSES) {
                int addr = a & PrefixList.ipv4Mask(len);
                long packed = PrefixList.packIpv4(addr, len);
                assertEquals(addr, PrefixList.ipv4Address(packed), "address /" + len);
                assertEquals(len, PrefixList.ipv4Length(packed), "length /" + len);
                assertTrue(packed >= 0, "packed keys are non-negative (40 bits)");
                assertEquals((Integer.toUnsignedLong(addr) << 8) + len, packed);
            }
        }
    }

    @Test
    void packedKeysOrderByAddressThenLength() {
        long a = PrefixList.packIpv4(ipv4("10.0.0.0"), 8);
        long b = PrefixList.packIpv4(ipv4("10.0.0.0"), 16);
        long c = PrefixList.packIpv4(ipv4("200.0.0.0"), 8);
        assertTrue(a < b && b < c, "unsigned address order survives packing");
    }

    @Test
    void ipv4MaskHasLengthLeadingOnes() {
        for (int len = 0; len <= 32; len++) {
            int m = PrefixList.ipv4Mask(len);
            assertEquals(len, Integer.bitCount(m), "/" + len);
            assertEquals(len, Integer.numberOfLeadingZeros(~m), "/" + len + " ones are leading");
        }
    }

    @Test
    void ipv4EveryLengthRoundTripsOnTheWire() {
        for (int len = 0; len <= 32; len++) {
            int addr = 0xc6336480 & PrefixList.ipv4Mask(len);
            PrefixList p = new PrefixList(AfiSafi.IPV4_UNICAST, 1, new long[] {PrefixList.packIpv4(addr, len)}, null,
                    null, null);
            byte[] wire = encode(p);
            assertEquals(1 + (len + 7) / 8, wire.length, "RFC 4271 §4.3: only the octets the length needs");
            PrefixList back = decode(AfiSafi.IPV4_UNICAST, false, wire);
            assertEquals(p, back);
            assertEquals(PrefixList.packIpv4(addr, len), back.ipv4(0));
        }
    }

    @Test
    void ipv4HostBitsAreClearedOnDecodeForEveryLength() {
        for (int len = 0; len <= 32; len++) {
            byte[] wire = new byte[1 + (len + 7) / 8];
            wire[0] = (byte) len;
            System.arraycopy(ones((len + 7) / 8), 0, wire, 1, (len + 7) / 8);
            PrefixList p = decode(AfiSafi.IPV4_UNICAST, false, wire);
            assertEquals(PrefixList.ipv4Mask(len), PrefixList.ipv4Address(p.ipv4(0)), "/" + len);
            assertEquals(len, p.length(0));
        }
    }

    @Test
    void hostBitsOfAnUnmaskedPrefixDoNotSurviveTheWire() {
        // 10.1.2.3/8 as given: only one octet goes on the wire, and decode yields 10.0.0.0/8.
        PrefixList unmasked = prefixes(AfiSafi.IPV4_UNICAST, "10.1.2.3/8", "10.1.2.3/20");
        byte[] wire = encode(unmasked);
        assertEquals("080a" + "140a0102", Wire.hex(wire));
        PrefixList back = decode(AfiSafi.IPV4_UNICAST, false, wire);
        assertEquals(List.of("10.0.0.0/8", "10.1.0.0/20"), back.prefixes());
        assertEquals(prefixes(AfiSafi.IPV4_UNICAST, "10.0.0.0/8", "10.1.0.0/20"), back);
        assertFalse(unmasked.equals(back), "the unmasked input is a different key");

        // host bits inside the last octet: 10.1.255.0/20 → 10.1.240.0/20
        assertEquals(List.of("10.1.240.0/20"), decode(AfiSafi.IPV4_UNICAST, false, bytes("140a01ff")).prefixes());
    }

    @Test
    void equalPrefixesWithDifferentHostBitsDecodeToEqualKeys() {
        PrefixList a = decode(AfiSafi.IPV4_UNICAST, false, bytes("17c0000300")); // 192.0.3.0/23 (host bit set)
        PrefixList b = decode(AfiSafi.IPV4_UNICAST, false, bytes("17c0000200"));
        assertEquals(a, b);
        assertEquals(a.ipv4(0), b.ipv4(0));
        assertEquals(a.hashCode(), b.hashCode());
    }

    @ParameterizedTest(name = "/{0}")
    @ValueSource(ints = {0, 1, 7, 8, 9, 63, 64, 65, 127, 128})
    void ipv6MaskingAtTheWordBoundaries(int len) {
        int n = (len + 7) / 8;
        byte[] wire = new byte[1 + n];
        wire[0] = (byte) len;
        System.arraycopy(ones(n), 0, wire, 1, n);
        PrefixList p = decode(AfiSafi.IPV6_UNICAST, false, wire);
        BigInteger mask = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(128 - len).subtract(BigInteger.ONE));
        assertEquals(mask.shiftRight(64).longValue(), p.ipv6High(0), "high word /" + len);
        assertEquals(mask.longValue(), p.ipv6Low(0), "low word /" + len);
        assertEquals(len, p.length(0));
        byte[] canonical = wire.clone(); // the host bits of the last octet cleared
        if (len % 8 != 0) {
            canonical[n] = (byte) (0xff << (8 - len % 8));
        }
        assertArrayEquals(canonical, encode(p), "re-encodes with the host bits clear");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "00, ::/0",
        "01ff, 8000::/1",
        "3fffffffffffffffff, ffff:ffff:ffff:fffe::/63",
        "40ffffffffffffffff, ffff:ffff:ffff:ffff::/64",
        "41ffffffffffffffffff, ffff:ffff:ffff:ffff:8000::/65",
        "7fffffffffffffffffffffffffffffffff, ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127",
        "80ffffffffffffffffffffffffffffffff, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
    })
    void ipv6MaskedText(String wire, String text) {
        assertEquals(List.of(text), decode(AfiSafi.IPV6_UNICAST, false, bytes(wire)).prefixes());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        // RFC 5952 §4.1 no leading zeros, §4.2.1 longest run, §4.2.2 not a single 16-bit 0,
        // §4.2.3 first of equal runs, §4.3 lowercase
        "2001:0db8:0000:0000:0000:0000:0002:0001/128, 2001:db8::2:1/128",
        "2001:0db8:0000:0001:0001:0001:0001:0001/128, 2001:db8:0:1:1:1:1:1/128",
        "2001:0000:0000:0001:0000:0000:0000:0001/128, 2001:0:0:1::1/128",
        "2001:0db8:0000:0000:0001:0000:0000:0001/128, 2001:db8::1:0:0:1/128",
        "ABCD:EF01:2345:6789:ABCD:EF01:2345:6789/128, abcd:ef01:2345:6789:abcd:ef01:2345:6789/128",
        "0000:0000:0000:0000:0000:0000:0000:0001/128, ::1/128",
        "2001:0DB8:0000:0000:0000:0000:0000:0000/32, 2001:db8::/32",
    })
    void ipv6TextIsRfc5952(String input, String expected) {
        PrefixList p = prefixes(AfiSafi.IPV6_UNICAST, input);
        assertEquals(expected, p.prefix(0));
        assertEquals(List.of(expected), decode(AfiSafi.IPV6_UNICAST, false, encode(p)).prefixes());
    }

    @Test
    void ipv4Text() {
        PrefixList p = prefixes(AfiSafi.IPV4_UNICAST, "0.0.0.0/0", "192.0.2.0/24", "255.255.255.255/32", "10.0.0.0/8");
        assertEquals(List.of("0.0.0.0/0", "192.0.2.0/24", "255.255.255.255/32", "10.0.0.0/8"), p.prefixes());
        assertEquals("192.0.2.0/24", PrefixList.appendIpv4(ipv4("192.0.2.0"), new StringBuilder()).append("/24")
                .toString());
    }

    @ParameterizedTest(name = "RD {1}")
    @CsvSource({
        "0000fde900000064, 65001:100",
        "0000fde9ffffffff, 65001:4294967295",
        "0001c00002010007, 192.0.2.1:7",
        "0002fa56ea000009, 4200000000:9",
    })
    void routeDistinguisherText(String hex, String text) {
        assertEquals(text, PrefixList.formatRouteDistinguisher(new BigInteger(hex, 16).longValue()));
    }

    @Test
    void addPathIdentifiersArePerPrefix() {
        PrefixList p = decode(AfiSafi.IPV4_UNICAST, true, bytes("00000001" + "18c00002" + "ffffffff" + "18c00002"));
        assertTrue(p.hasPathIds());
        assertEquals(2, p.size());
        assertEquals(1, p.pathId(0));
        assertEquals(-1, p.pathId(1));
        assertEquals(List.of("192.0.2.0/24", "192.0.2.0/24"), p.prefixes());
        assertEquals("00000001" + "18c00002" + "ffffffff" + "18c00002", Wire.hex(encode(p)));
        assertFalse(decode(AfiSafi.IPV4_UNICAST, false, bytes("18c00002")).hasPathIds());
    }

    @Test
    void prefixLongerThanTheFamilyAllowsIsRejected() {
        BgpDecodeException e = assertThrows(BgpDecodeException.class,
                () -> decode(AfiSafi.IPV4_UNICAST, false, bytes("21c000020100")));
        assertEquals(BgpError.INVALID_NETWORK_FIELD, e.error());
        assertThrows(BgpDecodeException.class, () -> decode(AfiSafi.IPV6_UNICAST, false, bytes("81" + "ff".repeat(17))));
        assertThrows(BgpDecodeException.class, () -> decode(AfiSafi.IPV4_UNICAST, false, bytes("18c000")));
    }
}
