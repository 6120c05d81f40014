package io.ribbit.collector.api;

import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.rib.AdjRibIn;
import io.ribbit.rib.Route;
import io.ribbit.rib.RouteKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.BiConsumer;

/**
 * Ordered pages out of an unordered table: one pass of {@link AdjRibIn#forEach} keeps the
 * {@code n} smallest keys after a cursor in a bounded max-heap. O(table) time and O(n) memory
 * per page, whatever the table's layout (a hash table keeps no order), and nothing shared with
 * the writer.
 */
final class RibScan {
    /** A route and its key, as read during a scan. */
    record Entry(RouteKey key, Route route) {
    }

    private static final Comparator<Entry> LARGEST_FIRST = (a, b) -> RouteCursor.ORDER.compare(b.key(), a.key());

    private RibScan() {
    }

    /**
     * Internal batch for {@code all=true}: the largest page ({@link QueryApi#MAX_LIMIT}), so a
     * table of N routes takes N / 100,000 passes and memory stays that of one full page.
     */
    static int batchSize() {
        return QueryApi.MAX_LIMIT;
    }

    /** Up to {@code n} routes of {@code family} whose keys follow {@code after} (null: from the start), in order. */
    static List<Entry> after(AdjRibIn rib, AfiSafi family, RouteKey after, int n) {
        Smallest s = new Smallest(after, n);
        rib.forEach(family, s);
        List<Entry> sorted = new ArrayList<>(s.heap);
        sorted.sort(LARGEST_FIRST.reversed());
        // A table being resized under the scan may show a key twice: list it once.
        List<Entry> out = new ArrayList<>(sorted.size());
        for (Entry e : sorted) {
            if (out.isEmpty() || !out.get(out.size() - 1).key().equals(e.key())) {
                out.add(e);
            }
        }
        return out;
    }

    private static final class Smallest implements BiConsumer<RouteKey, Route> {
        private final RouteKey after;
        private final int n;
        private final PriorityQueue<Entry> heap;

        Smallest(RouteKey after, int n) {
            this.after = after;
            this.n = n;
            this.heap = new PriorityQueue<>(Math.min(n, 1024), LARGEST_FIRST);
        }

        @Override
        public void accept(RouteKey k, Route r) {
            if (after != null && RouteCursor.ORDER.compare(k, after) <= 0) {
                return;
            }
            if (heap.size() < n) {
                heap.add(new Entry(k, r));
            } else if (RouteCursor.ORDER.compare(k, heap.peek().key()) < 0) {
                heap.poll();
                heap.add(new Entry(k, r));
            }
        }
    }
}
