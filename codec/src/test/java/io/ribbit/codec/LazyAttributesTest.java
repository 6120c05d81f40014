package io.ribbit.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.PathAttribute;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.attr.UpdateDecodeContext;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.UpdateMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Decoded path attributes are validated when the UPDATE is decoded and built from the retained
 * bytes on first access ({@link PathAttributes#get}). These tests check the built values against
 * the values the messages were made of, when several threads build the same values at once (an
 * event writer and an HTTP reader may), and lookups on attributes with a discarded duplicate (the
 * explicit index) as well as without (walking the retained field).
 */
class LazyAttributesTest {
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentFirstAccessBuildsEqualValues() throws Exception {
        List<UpdateMessage> made = new ArrayList<>();
        List<UpdateMessage> decoded = new ArrayList<>();
        UpdateDecodeContext ctx = new UpdateDecodeContext();
        for (int i = 0; made.size() < 400; i++) {
            RandomMessages gen = new RandomMessages(RandomMessages.caseSeed(0x1a2bL, i));
            SessionOptions session = gen.session(true, false);
            BgpMessage m = gen.message(session);
            if (m instanceof UpdateMessage u && !u.attributes().isEmpty()) {
                made.add(u);
                decoded.add((UpdateMessage) Wire.decode(Wire.encode(u, session), session, ctx));
            }
        }
        int threads = 4;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<List<PathAttribute>>>> seen = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int order = t;
                seen.add(pool.submit(() -> {
                    start.await();
                    List<List<PathAttribute>> out = new ArrayList<>();
                    for (int k = 0; k < decoded.size(); k++) {
                        // Half the threads go backwards so first accesses really collide.
                        PathAttributes a = decoded.get(order % 2 == 0 ? k : decoded.size() - 1 - k).attributes();
                        a.asPath();
                        out.add(a.list());
                    }
                    if (order % 2 == 1) {
                        java.util.Collections.reverse(out);
                    }
                    return out;
                }));
            }
            for (Future<List<List<PathAttribute>>> f : seen) {
                List<List<PathAttribute>> lists = f.get(30, TimeUnit.SECONDS);
                for (int k = 0; k < made.size(); k++) {
                    assertEquals(made.get(k).attributes().list(), lists.get(k), "message " + k);
                }
            }
            for (int k = 0; k < made.size(); k++) {
                PathAttributes a = decoded.get(k).attributes();
                for (int i = 0; i < a.size(); i++) {
                    assertSame(a.get(i), a.get(i), "a built value is cached");
                }
                assertEquals(made.get(k).attributes().asPath(), a.asPath());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Lookups skip the scan for codes known absent (PathAttributes keeps the codes below 64 it
     * saw): for every code, over random UPDATEs (with and without attributes the decoder drops),
     * a lookup finds exactly what a scan of the attributes finds.
     */
    @Test
    void lookupsAgreeWithAScanForEveryCode() {
        UpdateDecodeContext ctx = new UpdateDecodeContext();
        int checked = 0;
        for (int i = 0; checked < 2_000; i++) {
            RandomMessages gen = new RandomMessages(RandomMessages.caseSeed(0x5eedL, i));
            SessionOptions session = gen.session(true, false);
            if (!(gen.message(session) instanceof UpdateMessage u)) {
                continue;
            }
            for (UpdateMessage m : List.of(u, (UpdateMessage) Wire.decode(Wire.encode(u, session), session, ctx))) {
                PathAttributes a = m.attributes();
                for (int code = 0; code < 256; code++) {
                    boolean scanned = false;
                    for (int k = 0; k < a.size(); k++) {
                        scanned |= a.code(k) == code;
                    }
                    assertEquals(scanned, a.has(code), "code " + code + " in message " + i);
                    assertEquals(scanned, a.find(code) != null, "code " + code + " in message " + i);
                }
                checked++;
            }
        }
        // And a decoded UPDATE with a dropped duplicate (the explicit index, not the known codes).
        SessionOptions as4 = Wire.session(true, java.util.Set.of());
        PathAttributes dup = update("40010100" + "400200" + "400304c0000201" + "80040400000007" + "80040400000009", as4)
                .attributes();
        assertTrue(dup.has(AttributeCode.MULTI_EXIT_DISC));
        assertFalse(dup.has(AttributeCode.LOCAL_PREF));
    }

    @Test
    void lookupsWithAndWithoutADiscardedDuplicate() {
        SessionOptions as4 = Wire.session(true, java.util.Set.of());
        // ORIGIN IGP, AS_PATH (65001 65002), NEXT_HOP 192.0.2.1, MED 7, and one prefix 10.0.0.0/8.
        String attrs = "40010100" + "4002" + "0a" + "0202" + "0000fde9" + "0000fdea" + "400304c0000201"
                + "80040400000007";
        UpdateMessage plain = update(attrs, as4);
        // The same with a second MED (RFC 7606 §3(g): discarded, the first one kept).
        UpdateMessage dup = update(attrs + "80040400000009", as4);
        for (UpdateMessage u : List.of(plain, dup)) {
            PathAttributes a = u.attributes();
            assertEquals(4, a.size());
            assertEquals(7, a.med());
            assertEquals(a.asPath(), io.ribbit.codec.attr.AsPath.sequence(65001, 65002));
            assertEquals(0xc0000201, a.nextHop().address());
            assertNotNull(a.origin());
            assertNull(a.communities());
            assertEquals(AttributeCode.MULTI_EXIT_DISC, a.code(3));
            assertEquals(AttributeCode.NEXT_HOP, a.code(2));
            assertEquals(0x40, a.flags(2));
            assertEquals(24, a.rawStart(3), "where MED starts in the field");
        }
        assertEquals(plain.attributes(), dup.attributes());
        assertEquals(1, dup.problems().size());
    }

    private static UpdateMessage update(String attrsHex, SessionOptions options) {
        byte[] attrs = Wire.bytes(attrsHex);
        byte[] nlri = {8, 10};
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int len = 19 + 2 + 2 + attrs.length + nlri.length;
        for (int i = 0; i < 16; i++) {
            out.write(0xff);
        }
        out.write(len >>> 8);
        out.write(len);
        out.write(2);
        out.write(0);
        out.write(0);
        out.write(attrs.length >>> 8);
        out.write(attrs.length);
        out.writeBytes(attrs);
        out.writeBytes(nlri);
        return (UpdateMessage) Wire.decode(out.toByteArray(), options);
    }
}
