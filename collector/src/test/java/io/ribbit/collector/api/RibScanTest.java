package io.ribbit.collector.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ribbit.codec.attr.AddressAttribute;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.Origin;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.rib.AdjRibIn;
import io.ribbit.rib.RouteKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link RibScan}: the n smallest keys after a cursor, in order, from a real Adj-RIB-In. */
class RibScanTest {
    @Test
    @DisplayName("pages of any size from any cursor equal the sorted table's slices, and paging covers the table once")
    void pages() {
        SplittableRandom rnd = new SplittableRandom(11);
        AdjRibIn rib = new AdjRibIn();
        TreeSet<RouteKey> all = new TreeSet<>(RouteCursor.ORDER);
        PathAttributes attrs = PathAttributes.of(Origin.IGP, AsPath.sequence(64500),
                new AddressAttribute(AttributeCode.NEXT_HOP, 0x7f000001));
        for (int u = 0; u < 300; u++) {
            long[] words = new long[50];
            for (int i = 0; i < words.length; i++) {
                int len = 8 + rnd.nextInt(25);
                words[i] = PrefixList.packIpv4(rnd.nextInt() & PrefixList.ipv4Mask(len), len);
            }
            PrefixList p = new PrefixList(AfiSafi.IPV4_UNICAST, words.length, words, null, null, null);
            rib.apply(UpdateMessage.of(PrefixList.empty(AfiSafi.IPV4_UNICAST), attrs, p));
            for (int i = 0; i < p.size(); i++) {
                all.add(RouteKey.of(p, i));
            }
        }
        List<RouteKey> sorted = new ArrayList<>(all);
        assertEquals(sorted.size(), rib.size());
        for (int n : new int[] {1, 2, 7, 100, 1000, 5000, 20_000}) {
            for (int c : new int[] {-1, 0, 1, sorted.size() / 3, sorted.size() - 2, sorted.size() - 1}) {
                RouteKey after = c < 0 ? null : sorted.get(c);
                List<RouteKey> expected = sorted.subList(c + 1, Math.min(sorted.size(), c + 1 + n));
                List<RouteKey> got = RibScan.after(rib, AfiSafi.IPV4_UNICAST, after, n).stream()
                        .map(RibScan.Entry::key).toList();
                assertEquals(expected, got, "n " + n + " after #" + c);
            }
        }
        List<RouteKey> paged = new ArrayList<>();
        RouteKey after = null;
        for (List<RibScan.Entry> page; !(page = RibScan.after(rib, AfiSafi.IPV4_UNICAST, after, 333)).isEmpty(); ) {
            for (RibScan.Entry e : page) {
                paged.add(e.key());
                assertEquals(rib.get(e.key()), e.route(), "decoded when written, as the table has it");
            }
            after = page.get(page.size() - 1).key();
        }
        assertEquals(sorted, paged);
        assertEquals(List.of(), RibScan.after(rib, AfiSafi.IPV6_UNICAST, null, 10));
    }

    @Test
    @DisplayName("quickselect puts the k-th key in place with nothing larger before it, for any input order")
    void select() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int round = 0; round < 200; round++) {
            int size = 1 + rnd.nextInt(300);
            RibScan.Entry[] a = new RibScan.Entry[size];
            for (int i = 0; i < size; i++) {
                int v = switch (round % 4) {
                    case 0 -> i; // ascending
                    case 1 -> size - i; // descending
                    case 2 -> rnd.nextInt(5); // many equal keys
                    default -> rnd.nextInt();
                };
                a[i] = new RibScan.Entry(new RouteKey(AfiSafi.IPV4_UNICAST, v & 0xffffffffL, 0, 24, 0, 0), null, (byte) 0, null);
            }
            RibScan.Entry[] reference = a.clone();
            Arrays.sort(reference, (x, y) -> RouteCursor.ORDER.compare(x.key(), y.key()));
            int k = rnd.nextInt(size);
            RibScan.select(a, 0, size - 1, k);
            assertEquals(reference[k].key(), a[k].key(), "round " + round);
            for (int i = 0; i < k; i++) {
                assertEquals(true, RouteCursor.ORDER.compare(a[i].key(), a[k].key()) <= 0);
            }
            for (int i = k + 1; i < size; i++) {
                assertEquals(true, RouteCursor.ORDER.compare(a[i].key(), a[k].key()) >= 0);
            }
        }
    }
}
