package io.ribbit.codec;

import static io.ribbit.codec.As4PathTest.AS2;
import static io.ribbit.codec.As4PathTest.AS4;
import static io.ribbit.codec.As4PathTest.T;
import static io.ribbit.codec.As4PathTest.as4Path;
import static io.ribbit.codec.As4PathTest.asPath;
import static io.ribbit.codec.As4PathTest.confedSeq;
import static io.ribbit.codec.As4PathTest.received;
import static io.ribbit.codec.As4PathTest.seq;
import static io.ribbit.codec.As4PathTest.set;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AsPath.Segment;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.Origin;
import io.ribbit.codec.attr.PathAttributes;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PathAttributes#pathAsns} and {@link PathAttributes#pathLength} read the received AS_PATH
 * octets instead of building an {@link AsPath}; they must give exactly what the built path gives
 * ({@link AsPath#pathAsns(long[])}, {@link AsPath#length()}), on 4-octet and 2-octet sessions,
 * and the merged path when a 2-octet session's AS_PATH is rebuilt with AS4_PATH (RFC 6793 §4.2.3).
 * {@link PathAttributes#nextHopAddress} likewise reads NEXT_HOP's octets.
 */
class PathFromReceivedOctetsTest {

    /** The walk over {@code fresh}'s octets against the path built from {@code built} (the same attributes). */
    static void assertSameAsBuilt(PathAttributes fresh, PathAttributes built) {
        long[] raw = new long[64];
        int n = fresh.pathAsns(raw);
        int length = fresh.pathLength();
        AsPath p = built.asPath();
        long[] want = new long[64];
        int m = p == null ? 0 : p.pathAsns(want);
        assertEquals(m, n, "ASN count");
        assertArrayEquals(Arrays.copyOf(want, Math.min(m, 64)), Arrays.copyOf(raw, Math.min(n, 64)));
        assertEquals(p == null ? -1 : p.length(), length, "path length");
    }

    /** {@code path} received on a session with {@code options}: twice, so one copy has built nothing. */
    static void check(SessionOptions options, AsPath path) {
        assertSameAsBuilt(received(options, path), received(options, path));
    }

    @Test
    void sequencesSetsAndConfederationSegments() {
        List<AsPath> paths = List.of(
                asPath(seq(65001, 65002, 65003)),
                asPath(seq(65001), set(65010, 65011, 65012)), // a set counts 1 (RFC 4271 §9.1.2.2)
                asPath(confedSeq(64512, 64513), seq(65001, 65002)), // confederation segments left out (RFC 5065)
                asPath(new Segment(AsPath.AS_CONFED_SET, new long[] {64514}), seq(65001)),
                asPath(seq(65001, 65001, 65001, 65002)), // prepending
                asPath());
        for (SessionOptions s : List.of(AS4, AS2)) {
            for (AsPath p : paths) {
                check(s, p);
            }
        }
        check(AS4, asPath(seq(4200000001L, 4294967295L, 65002)));
    }

    @Test
    void aLongPathInManySegments() {
        // 300 ASNs in two segments (255 is a segment's most): an extended-length attribute.
        long[] first = new long[255];
        long[] second = new long[45];
        for (int i = 0; i < first.length; i++) {
            first[i] = 65000 + i;
        }
        for (int i = 0; i < second.length; i++) {
            second[i] = 4200000000L + i;
        }
        check(AS4, asPath(seq(first), seq(second)));
        PathAttributes a = received(AS4, asPath(seq(first), seq(second)));
        long[] out = new long[32];
        assertEquals(300, a.pathAsns(out), "the count even when out is shorter");
        assertEquals(65031, out[31]);
        assertEquals(300, a.pathLength());
    }

    @Test
    void randomPaths() {
        Random r = new Random(7);
        for (int k = 0; k < 300; k++) {
            int segments = 1 + r.nextInt(4);
            Segment[] s = new Segment[segments];
            for (int i = 0; i < segments; i++) {
                long[] asns = new long[1 + r.nextInt(12)];
                for (int j = 0; j < asns.length; j++) {
                    asns[j] = 1 + r.nextInt(65534);
                }
                s[i] = new Segment(1 + r.nextInt(4), asns);
            }
            if (s[0].isConfederation() || Arrays.stream(s).noneMatch(x -> !x.isConfederation())) {
                s[segments - 1] = seq(65001);
            }
            check(k % 2 == 0 ? AS4 : AS2, asPath(s));
        }
    }

    @Test
    void aTwoOctetSessionsMergedPathIsTheOneRead() {
        // RFC 6793 §4.2.3: AS_PATH [65001 AS_TRANS 65003] with AS4_PATH [4200000002 65003].
        PathAttributes a = received(AS2, asPath(seq(65001, T, 65003)), as4Path(seq(4200000002L, 65003)));
        long[] out = new long[8];
        assertEquals(3, a.pathAsns(out));
        assertArrayEquals(new long[] {65001, 4200000002L, 65003}, Arrays.copyOf(out, 3));
        assertEquals(3, a.pathLength());
    }

    @Test
    void noAsPath() {
        // Received without AS_PATH is treat-as-withdraw (RFC 7606 §3(d)) and never checked; built
        // attributes (no received octets) fall back to the built path.
        PathAttributes built = PathAttributes.of(Origin.IGP);
        assertEquals(-1, built.pathLength());
        assertEquals(0, built.pathAsns(new long[4]));
        PathAttributes builtWithPath = PathAttributes.of(AsPath.sequence(65001, 65002));
        assertEquals(2, builtWithPath.pathLength());
        assertEquals(AttributeCode.AS_PATH, builtWithPath.asPath().code());
    }

    @Test
    void nextHopFromTheOctets() {
        PathAttributes a = received(AS4, asPath(seq(65001)));
        assertEquals(Integer.toUnsignedLong(Wire.ipv4("192.0.2.254")), a.nextHopAddress());
        assertEquals(a.nextHop().address(), (int) a.nextHopAddress());
        // An address with the top bit set stays positive (unsigned); -1 is "absent" only.
        io.ribbit.codec.message.UpdateMessage u = io.ribbit.codec.message.UpdateMessage.of(
                io.ribbit.codec.nlri.PrefixList.empty(io.ribbit.codec.nlri.AfiSafi.IPV4_UNICAST),
                PathAttributes.of(Origin.IGP, AsPath.sequence(65001),
                        new io.ribbit.codec.attr.AddressAttribute(AttributeCode.NEXT_HOP, Wire.ipv4("255.255.255.254"))),
                Wire.prefixes(io.ribbit.codec.nlri.AfiSafi.IPV4_UNICAST, "198.51.100.0/24"));
        PathAttributes high = ((io.ribbit.codec.message.UpdateMessage) Wire.roundTrip(u, AS4)).attributes();
        assertEquals(0xFFFFFFFEL, high.nextHopAddress());
        assertEquals(0xFFFFFFFEL, u.attributes().nextHopAddress(), "built attributes: from the value");
        assertEquals(-1, PathAttributes.of(Origin.IGP).nextHopAddress());
    }
}
