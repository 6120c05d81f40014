package io.ribbit.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.PathAttribute;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.attr.UpdateDecodeContext;
import io.ribbit.codec.error.ErrorAction;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.MessageHeader;
import io.ribbit.codec.message.OpenMessage;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.Nlri;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.codec.nlri.RawNlri;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property: for random valid messages x (see {@link RandomMessages}) on 2- and 4-octet AS
 * sessions with and without ADD-PATH, decode(encode(x)) equals x and encode(decode(encode(x)))
 * is byte-identical to encode(x). Deterministic: the base seed is fixed unless
 * {@code -Dribbit.roundtrip.seed=...} is given; {@code -Dribbit.roundtrip.count=...} sets the
 * number of cases. A failure names the base seed and the case so it can be replayed.
 */
class RandomRoundTripTest {
    static final long DEFAULT_SEED = 0x5269_6262_6974L; // "Ribbit"
    static final int DEFAULT_COUNT = 4000;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void decodeOfEncodeIsIdentity() {
        long base = Long.decode(System.getProperty("ribbit.roundtrip.seed", Long.toString(DEFAULT_SEED)));
        int count = Integer.getInteger("ribbit.roundtrip.count", DEFAULT_COUNT);
        Map<String, Integer> seen = new TreeMap<>();
        UpdateDecodeContext ctx = new UpdateDecodeContext(); // one per channel: reused across messages
        for (int i = 0; i < count; i++) {
            long caseSeed = RandomMessages.caseSeed(base, i);
            RandomMessages gen = new RandomMessages(caseSeed);
            // cycle 2-/4-octet AS and ADD-PATH off/on so every combination gets a quarter of the cases
            SessionOptions session = gen.session(i % 2 == 1, (i / 2) % 2 == 1);
            BgpMessage m = null;
            byte[] first = null;
            try {
                m = gen.message(session);
                first = Wire.encode(m, session);
                BgpMessage back = Wire.decode(first, session, ctx);
                assertEquals(m, back, "decode(encode(x)) != x");
                if (back instanceof UpdateMessage u) {
                    assertEquals(ErrorAction.NONE, u.action(), () -> "RFC 7606 problems " + u.problems());
                }
                byte[] second = Wire.encode(back, session);
                assertArrayEquals(first, second, "encode(decode(encode(x))) != encode(x)");
                note(seen, back, session, first.length);
            } catch (Throwable t) {
                String report = String.format("random round trip failed: base seed 0x%x, case %d (case seed 0x%x); "
                        + "replay with -Dribbit.roundtrip.seed=0x%x%n  session %s%n  message %s%n  wire %s", base, i,
                        caseSeed, base, session, m, first == null ? "(encode failed)" : Wire.hex(first));
                System.err.println(report);
                throw new AssertionError(report, t);
            }
        }
        System.out.printf("random round trip: %d cases, base seed 0x%x: %s%n", count, base, seen);
        if (count >= DEFAULT_COUNT) {
            assertCovered(seen);
        }
    }

    @Test
    void theGeneratorIsDeterministic() {
        for (int i = 0; i < 200; i++) {
            long seed = RandomMessages.caseSeed(DEFAULT_SEED, i);
            RandomMessages a = new RandomMessages(seed);
            RandomMessages b = new RandomMessages(seed);
            SessionOptions sa = a.session(i % 2 == 0, true);
            SessionOptions sb = b.session(i % 2 == 0, true);
            assertEquals(sa, sb);
            assertArrayEquals(Wire.encode(a.message(sa), sa), Wire.encode(b.message(sb), sb), "case " + i);
        }
        assertFalse(RandomMessages.caseSeed(DEFAULT_SEED, 0) == RandomMessages.caseSeed(DEFAULT_SEED, 1));
    }

    // ------------------------------------------------------------------ coverage of the generator

    private static void note(Map<String, Integer> seen, BgpMessage m, SessionOptions s, int length) {
        count(seen, "type " + m.type());
        if (length > MessageHeader.MAX_MESSAGE_LENGTH) {
            count(seen, "longer than 4096 (RFC 8654)");
        }
        if (m instanceof OpenMessage o) {
            if (o.extendedParameters()) {
                count(seen, "OPEN with RFC 9072 parameters");
            }
            o.capabilities().forEach(c -> count(seen, "capability " + c.getClass().getSimpleName()));
        } else if (m instanceof UpdateMessage u) {
            if (u.endOfRib() != null) {
                count(seen, "End-of-RIB");
            }
            PathAttributes a = u.attributes();
            for (int i = 0; i < a.size(); i++) {
                PathAttribute p = a.get(i);
                count(seen, "attribute " + (p instanceof io.ribbit.codec.attr.UnknownAttribute ? "unknown" : p.code()));
                if ((a.flags(i) & AttributeCode.FLAG_EXTENDED_LENGTH) != 0) {
                    count(seen, "attribute with extended length");
                }
            }
            if (!s.fourOctetAs() && a.as4Path() != null) {
                count(seen, "AS4_PATH on a 2-octet session");
            }
            if (s.fourOctetAs() && a.asPath() != null) {
                count(seen, "AS_PATH on a 4-octet session");
            }
            nlri(seen, u.nlri());
            nlri(seen, u.withdrawn());
            if (u.mpReach() != null) {
                nlri(seen, u.mpReach().nlri());
            }
            if (u.mpUnreach() != null) {
                nlri(seen, u.mpUnreach().nlri());
            }
        }
    }

    private static void nlri(Map<String, Integer> seen, Nlri n) {
        if (n instanceof RawNlri) {
            count(seen, "raw NLRI");
        } else if (n instanceof PrefixList p && !p.isEmpty()) {
            count(seen, "prefixes " + p.afiSafi() + (p.hasPathIds() ? " add-path" : ""));
            for (int i = 0; i < p.size(); i++) {
                int[] l = p.labelFields(i);
                if (l != null && l.length > 1) {
                    count(seen, "label stack of 2+");
                }
            }
        }
    }

    private static void count(Map<String, Integer> seen, String key) {
        seen.merge(key, 1, Integer::sum);
    }

    /** The generator must keep producing every feature the property is meant to cover. */
    private static void assertCovered(Map<String, Integer> seen) {
        List<String> wanted = new java.util.ArrayList<>(List.of("type OPEN", "type UPDATE", "type NOTIFICATION",
                "type KEEPALIVE", "type ROUTE_REFRESH", "longer than 4096 (RFC 8654)", "OPEN with RFC 9072 parameters",
                "End-of-RIB", "attribute unknown", "attribute with extended length", "AS4_PATH on a 2-octet session",
                "AS_PATH on a 4-octet session", "raw NLRI", "label stack of 2+"));
        for (String c : List.of("Multiprotocol", "RouteRefresh", "ExtendedNextHop", "ExtendedMessage", "BgpRole",
                "GracefulRestart", "FourOctetAs", "AddPath", "EnhancedRouteRefresh", "LongLivedGracefulRestart", "Fqdn",
                "SoftwareVersion", "Unknown")) {
            wanted.add("capability " + c);
        }
        io.ribbit.codec.attr.AttributeTable.rows().forEach(d -> wanted.add("attribute " + d.code()));
        for (var f : RandomMessages.PREFIX_FAMILIES) {
            wanted.add("prefixes " + f);
            wanted.add("prefixes " + f + " add-path");
        }
        List<String> missing = wanted.stream().filter(k -> !seen.containsKey(k)).toList();
        assertTrue(missing.isEmpty(), () -> "the generator no longer produces " + missing + "; saw " + seen);
    }
}
