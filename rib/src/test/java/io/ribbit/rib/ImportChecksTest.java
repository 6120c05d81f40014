package io.ribbit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ribbit.codec.SessionOptions;
import io.ribbit.codec.attr.UpdateDecodeContext;
import io.ribbit.codec.message.MessageCodec;
import io.ribbit.codec.attr.AddressAttribute;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.Origin;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImportChecksTest {
    static final long LOCAL_AS = 64512;
    static final long PEER_AS = 3356;

    static int ip(String dotted) {
        String[] p = dotted.split("\\.");
        return Integer.parseInt(p[0]) << 24 | Integer.parseInt(p[1]) << 16 | Integer.parseInt(p[2]) << 8
                | Integer.parseInt(p[3]);
    }

    /** "a.b.c.d/len" prefixes as a packed IPv4 unicast list. */
    static PrefixList v4(String... prefixes) {
        long[] w = new long[prefixes.length];
        for (int i = 0; i < prefixes.length; i++) {
            String[] s = prefixes[i].split("/");
            int len = Integer.parseInt(s[1]);
            w[i] = PrefixList.packIpv4(ip(s[0]) & PrefixList.ipv4Mask(len), len);
        }
        return new PrefixList(AfiSafi.IPV4_UNICAST, w.length, w, null, null, null);
    }

    static UpdateMessage update(String nextHop, long[] path, String... prefixes) {
        PathAttributes a = PathAttributes.of(Origin.valueOf(0), AsPath.sequence(path),
                new AddressAttribute(AttributeCode.NEXT_HOP, ip(nextHop)));
        return UpdateMessage.of(PrefixList.empty(AfiSafi.IPV4_UNICAST), a, v4(prefixes));
    }

    static ImportChecks.Bound bound(ImportChecks c) throws Exception {
        return c.bind(LOCAL_AS, PEER_AS, InetAddress.getByName("192.0.2.10"));
    }

    @Test
    void aCleanUpdateHasNoTagsAndAllocatesNone() throws Exception {
        UpdateMessage u = update("192.0.2.10", new long[] {3356, 1299, 13335}, "1.1.1.0/24", "8.8.0.0/16");
        assertNull(bound(ImportChecks.DEFAULT).evaluate(u));
    }

    @Test
    void prefixChecksTagOnlyTheirPrefixes() throws Exception {
        UpdateMessage u = update("192.0.2.10", new long[] {3356, 13335}, "1.1.1.0/24", "10.1.0.0/16", "1.1.1.128/25",
                "0.0.0.0/0", "192.168.1.0/24", "100.64.0.0/10", "224.0.0.0/8", "193.0.0.0/24");
        ImportChecks.Tags t = bound(ImportChecks.DEFAULT).evaluate(u);
        PrefixList p = u.nlri();
        int bogon = ImportCheck.BOGON_PREFIX.bit();
        int longer = ImportCheck.LONG_PREFIX.bit();
        assertEquals(List.of(0, bogon, longer, bogon, bogon, bogon, bogon, 0),
                List.of(t.mask(p, 0), t.mask(p, 1), t.mask(p, 2), t.mask(p, 3), t.mask(p, 4), t.mask(p, 5),
                        t.mask(p, 6), t.mask(p, 7)));
        assertFalse(t.rejected(p, 1), "tag is the default action");
    }

    /** Every range of RFC 6890 the check knows, probed at and around its edges, against a plain scan. */
    @Test
    void bogonIpv4FastPathAgreesWithTheRangeScan() {
        int[][] ranges = {{0x00000000, 8}, {0x0a000000, 8}, {0x64400000, 10}, {0x7f000000, 8}, {0xa9fe0000, 16},
            {0xac100000, 12}, {0xc0000000, 24}, {0xc0000200, 24}, {0xc0586300, 24}, {0xc0a80000, 16},
            {0xc6120000, 15}, {0xc6336400, 24}, {0xcb007100, 24}, {0xe0000000, 4}, {0xf0000000, 4}};
        java.util.Random rnd = new java.util.Random(1);
        int checked = 0;
        for (int k = 0; k < 200_000; k++) {
            int addr;
            if (k % 2 == 0) {
                int[] r = ranges[rnd.nextInt(ranges.length)];
                addr = r[0] + (rnd.nextInt(3) - 1) * (1 << (32 - r[1])) + rnd.nextInt(1 << Math.min(30, 32 - r[1]));
            } else {
                addr = rnd.nextInt();
            }
            int len = rnd.nextInt(33);
            addr &= PrefixList.ipv4Mask(len);
            boolean expected = len == 0;
            for (int[] r : ranges) {
                expected |= len >= r[1] && (addr & PrefixList.ipv4Mask(r[1])) == r[0];
            }
            assertEquals(expected, ImportChecks.isBogonIpv4(addr, len), Integer.toHexString(addr) + "/" + len);
            checked += expected ? 1 : 0;
        }
        assertTrue(checked > 20_000, "the probes hit the ranges: " + checked);
    }

    /**
     * {@code u} sent and received on a session with {@code options}: the path checks then read the
     * received AS_PATH octets ({@link PathAttributes#pathAsns}) instead of a built path.
     */
    static UpdateMessage received(UpdateMessage u, SessionOptions options) {
        ByteBuf buf = Unpooled.buffer();
        try {
            MessageCodec.encode(u, buf, options);
            return (UpdateMessage) MessageCodec.decode(buf, options, new UpdateDecodeContext());
        } finally {
            buf.release();
        }
    }

    @Test
    void pathChecksOnReceivedUpdates() throws Exception {
        ImportChecks.Bound b = bound(new ImportChecks(Map.of(), 24, 48, 5));
        long[][] paths = {{3356, 3356, 3356, 174}, {3356, 174, 3356}, {3356, LOCAL_AS, 174}, {3356, 0},
            {3356, 23456}, {3356, 64513}, {3356, 65535}, {3356, 4_200_000_000L}, {3356, 1, 2, 3, 4, 5},
            {3356, 1, 2, 3, 4}, {3356, 1299, 13335}};
        for (long[] path : paths) {
            UpdateMessage built = update("192.0.2.10", path, "1.0.0.0/24");
            int want = b.pathMask(built.attributes());
            for (SessionOptions o : new SessionOptions[] {SessionOptions.AS4, SessionOptions.DEFAULT}) {
                if (o == SessionOptions.DEFAULT && java.util.Arrays.stream(path).anyMatch(a -> a > 65535)) {
                    continue; // a 2-octet session carries such a path in AS4_PATH: the merged path is built
                }
                UpdateMessage got = received(built, o);
                assertEquals(want, b.pathMask(got.attributes()), () -> java.util.Arrays.toString(path) + " " + o);
            }
        }
        assertEquals(ImportCheck.AS_PATH_LOOP.bit(),
                b.pathMask(received(update("192.0.2.10", new long[] {3356, 174, 3356}, "1.0.0.0/24"), SessionOptions.AS4)
                        .attributes()), "the walk over the octets finds the loop");
        // A 2-octet session: AS_PATH with AS_TRANS plus AS4_PATH; the check sees the merged path.
        UpdateMessage two = received(update("192.0.2.10", new long[] {3356, 4_200_000_000L}, "1.0.0.0/24"),
                SessionOptions.DEFAULT);
        assertEquals(ImportCheck.BOGON_ASN.bit(), b.pathMask(two.attributes()), "4200000000 is private (RFC 6996)");
    }

    @Test
    void pathChecks() throws Exception {
        ImportChecks.Bound b = bound(new ImportChecks(Map.of(), 24, 48, 5));
        int loop = ImportCheck.AS_PATH_LOOP.bit();
        int asn = ImportCheck.BOGON_ASN.bit();
        int length = ImportCheck.AS_PATH_LENGTH.bit();
        assertEquals(0, b.pathMask(update("192.0.2.10", new long[] {3356, 3356, 3356, 174}, "1.0.0.0/24").attributes()),
                "prepending is not a loop");
        assertEquals(loop, b.pathMask(update("192.0.2.10", new long[] {3356, 174, 3356}, "1.0.0.0/24").attributes()));
        assertEquals(loop, b.pathMask(update("192.0.2.10", new long[] {3356, LOCAL_AS, 174}, "1.0.0.0/24")
                .attributes()) & loop, "our own AS in the path");
        for (long bad : new long[] {0, 23456, 64496, 64513, 65534, 65535, 65536, 131071, 4_200_000_000L,
            4_294_967_295L}) {
            assertEquals(asn, b.pathMask(update("192.0.2.10", new long[] {3356, bad}, "1.0.0.0/24").attributes()),
                    "ASN " + bad);
        }
        for (long good : new long[] {1, 64495, 131072, 4_199_999_999L}) {
            assertEquals(0, b.pathMask(update("192.0.2.10", new long[] {3356, good}, "1.0.0.0/24").attributes()),
                    "ASN " + good);
        }
        assertEquals(length, b.pathMask(update("192.0.2.10", new long[] {3356, 1, 2, 3, 4, 5}, "1.0.0.0/24")
                .attributes()));
        assertEquals(0, b.pathMask(update("192.0.2.10", new long[] {3356, 1, 2, 3, 4}, "1.0.0.0/24").attributes()));
    }

    @Test
    void nextHopOnlyForEbgpAndRejectRemoves() throws Exception {
        ImportChecks reject = new ImportChecks(Map.of(ImportCheck.NEXT_HOP, ImportChecks.Action.REJECT), 24, 48, 100);
        UpdateMessage third = update("192.0.2.99", new long[] {3356, 174}, "1.0.0.0/24", "2.0.0.0/24");
        ImportChecks.Tags t = bound(reject).evaluate(third);
        assertEquals(ImportCheck.NEXT_HOP.bit(), t.mask(third.nlri(), 1));
        assertTrue(t.rejected(third.nlri(), 0));
        assertNull(reject.bind(174, 174, InetAddress.getByName("192.0.2.10")).evaluate(
                update("192.0.2.99", new long[] {3356}, "1.0.0.0/24")), "iBGP: a third-party next hop is normal");

        AdjRibIn rib = new AdjRibIn();
        rib.apply(update("192.0.2.10", new long[] {3356, 174}, "1.0.0.0/24", "2.0.0.0/24"));
        assertEquals(2, rib.size());
        AdjRibIn.Change c = rib.apply(third, t);
        assertEquals(0, rib.size(), "a rejected announcement replaces the prefix's route: removed");
        assertEquals(2, c.removed());
    }

    @Test
    void offDisablesAndIpv6Ranges() throws Exception {
        ImportChecks off = new ImportChecks(Map.of(ImportCheck.BOGON_PREFIX, ImportChecks.Action.OFF), 24, 48, 100);
        UpdateMessage u = update("192.0.2.10", new long[] {3356}, "10.0.0.0/8");
        assertNull(bound(off).evaluate(u));
        assertTrue(ImportChecks.isBogonIpv6(0x2001_0db8_0001_0000L, 48));
        assertTrue(ImportChecks.isBogonIpv6(0xfc00_0000_0000_0000L, 7));
        assertTrue(ImportChecks.isBogonIpv6(0, 0));
        assertFalse(ImportChecks.isBogonIpv6(0x2a00_1450_0000_0000L, 32));
        assertFalse(ImportChecks.isBogonIpv6(0x2001_0678_0000_0000L, 32));
        assertTrue(ImportChecks.isBogonIpv6(0x2002_0000_0000_0000L, 16));
    }
}
