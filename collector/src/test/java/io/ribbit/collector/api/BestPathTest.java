package io.ribbit.collector.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ribbit.codec.attr.AddressAttribute;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.Origin;
import io.ribbit.codec.attr.PathAttribute;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.attr.Uint32Attribute;
import io.ribbit.rib.Route;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Each step of the simplified RFC 4271 §9.1.2 decision in {@link BestPath}, and that earlier steps win. */
class BestPathTest {
    private static final byte[] PEER_1 = {10, 0, 0, 1};
    private static final byte[] PEER_2 = {10, 0, 0, 2};
    private static final byte[] PEER_V6 = new byte[16];

    /** A path builder: defaults are an eBGP path from 10.0.0.1, router id 1, AS path 64500, IGP, no MED or LOCAL_PREF. */
    private static final class P {
        long localPref = -1;
        long med = -1;
        AsPath path = AsPath.sequence(64500);
        Origin origin = Origin.IGP;
        boolean ebgp = true;
        int routerId = 1;
        byte[] address = PEER_1;
        int pathId;
        boolean llgrStale;
        int originatorId = -1;

        BestPath.Candidate build() {
            List<PathAttribute> a = new ArrayList<>();
            a.add(origin);
            a.add(path);
            if (med >= 0) {
                a.add(new Uint32Attribute(AttributeCode.MULTI_EXIT_DISC, med));
            }
            if (localPref >= 0) {
                a.add(new Uint32Attribute(AttributeCode.LOCAL_PREF, localPref));
            }
            if (originatorId != -1) {
                a.add(new AddressAttribute(AttributeCode.ORIGINATOR_ID, originatorId));
            }
            Route r = new Route(PathAttributes.of(a), PEER_1, null, llgrStale, llgrStale);
            return new BestPath.Candidate(r, ebgp, routerId, address, pathId);
        }
    }

    private static P p() {
        return new P();
    }

    /** Asserts {@code better} wins over {@code worse}, whichever comes first in the list. */
    private static void wins(String why, P better, P worse) {
        BestPath.Candidate b = better.build();
        BestPath.Candidate w = worse.build();
        assertEquals(0, BestPath.best(List.of(b, w)), why);
        assertEquals(1, BestPath.best(List.of(w, b)), why + " (reversed)");
        assertTrue(BestPath.ORDER.compare(b, w) < 0, why);
    }

    @Test
    @DisplayName("0. an LLGR-stale path loses to any other (RFC 9494 §4.3)")
    void llgrStaleLast() {
        P stale = p();
        stale.llgrStale = true;
        stale.localPref = 1000;
        P fresh = p();
        fresh.localPref = 50;
        wins("not LLGR-stale", fresh, stale);
    }

    @Test
    @DisplayName("1. highest LOCAL_PREF, absent counting as 100; it beats a shorter AS path")
    void localPref() {
        P high = p();
        high.localPref = 200;
        high.path = AsPath.sequence(1, 2, 3, 4);
        wins("LOCAL_PREF 200 over 100", high, p());
        P low = p();
        low.localPref = 99;
        wins("absent (100) over 99", p(), low);
        P hundred = p();
        hundred.localPref = 100;
        hundred.routerId = 2;
        wins("absent equals 100: the router id decides", p(), hundred);
    }

    @Test
    @DisplayName("2. shortest AS path (an AS_SET counts one, confederation segments none); it beats a lower ORIGIN")
    void asPathLength() {
        P shortPath = p();
        shortPath.path = AsPath.sequence(1, 2);
        shortPath.origin = Origin.INCOMPLETE;
        P longPath = p();
        longPath.path = AsPath.sequence(1, 2, 3);
        wins("2 ASes over 3", shortPath, longPath);

        P set = p();
        set.path = AsPath.of(AttributeCode.AS_PATH, List.of(new AsPath.Segment(AsPath.AS_SEQUENCE, new long[] {1}),
                new AsPath.Segment(AsPath.AS_SET, new long[] {5, 6, 7, 8})));
        P three = p();
        three.path = AsPath.sequence(1, 2, 3);
        wins("a sequence of 1 and a set (length 2) over 3", set, three);

        P confed = p();
        confed.path = AsPath.of(AttributeCode.AS_PATH, List.of(
                new AsPath.Segment(AsPath.AS_CONFED_SEQUENCE, new long[] {65001, 65002, 65003}),
                new AsPath.Segment(AsPath.AS_SEQUENCE, new long[] {1, 2})));
        wins("confederation segments do not count", confed, three);
    }

    @Test
    @DisplayName("3. lowest ORIGIN (IGP < EGP < INCOMPLETE); it beats a lower MED")
    void origin() {
        P igp = p();
        igp.med = 500;
        P egp = p();
        egp.origin = Origin.EGP;
        egp.med = 0;
        wins("IGP over EGP", igp, egp);
        P incomplete = p();
        incomplete.origin = Origin.INCOMPLETE;
        wins("EGP over INCOMPLETE", egp, incomplete);
    }

    @Test
    @DisplayName("4. lowest MED, absent counting as 0, compared across neighbor ASes; it beats eBGP over iBGP")
    void med() {
        P low = p();
        low.med = 10;
        low.ebgp = false;
        low.path = AsPath.sequence(64501);
        P high = p();
        high.med = 20;
        wins("MED 10 (iBGP, another neighbor AS) over 20", low, high);
        P none = p();
        none.ebgp = false;
        wins("absent MED (0) over 10", none, low);
    }

    @Test
    @DisplayName("5. eBGP over iBGP; it beats a lower router id")
    void ebgpOverIbgp() {
        P ebgp = p();
        ebgp.routerId = 9;
        P ibgp = p();
        ibgp.ebgp = false;
        ibgp.routerId = 1;
        wins("eBGP", ebgp, ibgp);
    }

    @Test
    @DisplayName("6. lowest BGP Identifier (unsigned; ORIGINATOR_ID when present; unknown last); it beats a lower address")
    void routerId() {
        P low = p();
        low.routerId = 0x0a000001;
        low.address = PEER_2;
        P high = p();
        high.routerId = 0xc0000201; // 192.0.2.1: negative as a signed int
        wins("10.0.0.1 over 192.0.2.1 (unsigned)", low, high);
        P reflected = p();
        reflected.routerId = 0x0a000009;
        reflected.originatorId = 0x01010101;
        wins("ORIGINATOR_ID 1.1.1.1 stands for the router id", reflected, low);
        P unknown = p();
        unknown.routerId = -1;
        wins("unknown (session down) sorts last", high, unknown);
    }

    @Test
    @DisplayName("7. lowest peer address (IPv4 before IPv6), then lowest path id")
    void address() {
        P one = p();
        P two = p();
        two.address = PEER_2;
        wins("10.0.0.1 over 10.0.0.2", one, two);
        P v6 = p();
        v6.address = PEER_V6;
        wins("IPv4 before IPv6", two, v6);
        P id1 = p();
        id1.pathId = 1;
        P id2 = p();
        id2.pathId = 2;
        wins("path id 1 over 2", id1, id2);
    }

    @Test
    @DisplayName("best() is -1 for no paths and does not depend on the order of the candidates")
    void orderIndependent() {
        assertEquals(-1, BestPath.best(List.of()));
        List<BestPath.Candidate> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            P x = p();
            x.localPref = 100 + i % 3;
            x.path = i % 2 == 0 ? AsPath.sequence(1, 2) : AsPath.sequence(1);
            x.med = i % 5;
            x.routerId = 1000 - i;
            all.add(x.build());
        }
        BestPath.Candidate expected = all.get(BestPath.best(all));
        Random rnd = new Random(42);
        for (int k = 0; k < 10; k++) {
            Collections.shuffle(all, rnd);
            assertEquals(expected, all.get(BestPath.best(all)));
        }
        // LOCAL_PREF 102 (i % 3 == 2), AS path length 1 (odd i), MED 0 (i % 5 == 0): i = 5; nothing else ties it
        assertEquals(1000 - 5, expected.routerId());
    }
}
