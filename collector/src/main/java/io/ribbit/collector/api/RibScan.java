package io.ribbit.collector.api;

import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.rib.AdjRibIn;
import io.ribbit.rib.AttributeSet;
import io.ribbit.rib.PrefixTable;
import io.ribbit.rib.Route;
import io.ribbit.rib.RouteKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Ordered pages out of an unordered table: one pass of {@link PrefixTable#forEach} keeps the
 * {@code n} smallest keys after a cursor. Candidates go into a buffer of 2n; when it is full a
 * quickselect keeps the n smallest and their largest becomes a threshold that later keys must
 * be below. O(table) expected time whatever order the table visits its keys in, O(n) memory,
 * and nothing shared with the writer.
 */
final class RibScan {
    /**
     * A route's key and its entry as read during a scan, not decoded: a pass keeps up to 2n of
     * them and a page keeps n until written, so decoding waits for {@link #route()}, when the
     * route is written (a dump of 100,000-route pages then holds a few MB, not hundreds). The
     * set may have been replaced since; it stays readable (see {@link AttributeSet}).
     */
    record Entry(RouteKey key, AttributeSet set, byte stale, int[] labels) {
        /** The route (decodes its attributes). */
        Route route() {
            return AdjRibIn.route(set, stale, labels);
        }
    }

    private static final Comparator<Entry> ORDER = (a, b) -> RouteCursor.ORDER.compare(a.key(), b.key());

    private RibScan() {
    }

    /** Up to {@code n} routes of {@code family} whose keys follow {@code after} (null: from the start), in order. */
    static List<Entry> after(AdjRibIn rib, AfiSafi family, RouteKey after, int n) {
        return after(rib, family, after, n, () -> false);
    }

    /**
     * As above; the pass stops with a {@link CancellationException} soon after {@code cancelled}
     * says so (it is asked every {@value #CHECK_EVERY} keys): the response it was for is gone.
     */
    static List<Entry> after(AdjRibIn rib, AfiSafi family, RouteKey after, int n, BooleanSupplier cancelled) {
        PrefixTable t = rib.table(family);
        Smallest s = new Smallest(family, after, n, cancelled);
        if (t != null) {
            t.forEach(s);
        }
        return s.result();
    }

    private static final int CHECK_EVERY = 4096;

    private static final class Smallest implements PrefixTable.EntryVisitor {
        private final AfiSafi family;
        private final RouteKey after;
        private final int n;
        private final BooleanSupplier cancelled;
        private int visited;
        private Entry[] buf;
        private int size;
        /** Once the buffer has been cut to n: keys at or above this cannot be among the n smallest. */
        private RouteKey threshold;

        Smallest(AfiSafi family, RouteKey after, int n, BooleanSupplier cancelled) {
            this.family = family;
            this.after = after;
            this.n = n;
            this.cancelled = cancelled;
            this.buf = new Entry[Math.min(2 * n, 1024)];
        }

        @Override
        public void visit(long high, long low, int length, int pathId, long rd, AttributeSet set, byte stale,
                int[] labels) {
            if (++visited % CHECK_EVERY == 0 && cancelled.getAsBoolean()) {
                throw new CancellationException("the response was closed");
            }
            // Compared before anything is allocated: most keys of a pass are outside the page.
            if (after != null && RouteCursor.compare(rd, high, low, length, pathId, after) <= 0
                    || threshold != null && RouteCursor.compare(rd, high, low, length, pathId, threshold) >= 0) {
                return;
            }
            RouteKey k = new RouteKey(family, high, low, length, pathId, rd);
            if (size == buf.length) {
                if (buf.length < 2 * n) {
                    buf = Arrays.copyOf(buf, (int) Math.min(2L * n, 2L * buf.length));
                } else {
                    cut();
                    if (RouteCursor.ORDER.compare(k, threshold) >= 0) {
                        return;
                    }
                }
            }
            buf[size++] = new Entry(k, set, stale, labels);
        }

        /** Keeps the n smallest; the largest of them becomes the threshold. */
        private void cut() {
            select(buf, 0, size - 1, n - 1);
            threshold = buf[n - 1].key();
            Arrays.fill(buf, n, size, null);
            size = n;
        }

        List<Entry> result() {
            if (size > n) {
                cut();
            }
            Entry[] sorted = Arrays.copyOf(buf, size);
            Arrays.sort(sorted, ORDER);
            // A table being resized under the scan may show a key twice: list it once.
            List<Entry> out = new ArrayList<>(size);
            for (Entry e : sorted) {
                if (out.isEmpty() || !out.get(out.size() - 1).key().equals(e.key())) {
                    out.add(e);
                }
            }
            return out;
        }
    }

    /**
     * Quickselect (Hoare partition, median-of-three pivot): rearranges {@code a[lo..hi]} so that
     * {@code a[k]} is where sorting would put it, nothing before it larger, nothing after it smaller.
     */
    static void select(Entry[] a, int lo, int hi, int k) {
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            if (ORDER.compare(a[mid], a[lo]) < 0) {
                swap(a, mid, lo);
            }
            if (ORDER.compare(a[hi], a[lo]) < 0) {
                swap(a, hi, lo);
            }
            if (ORDER.compare(a[hi], a[mid]) < 0) {
                swap(a, hi, mid);
            }
            Entry pivot = a[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (ORDER.compare(a[i], pivot) < 0) {
                    i++;
                }
                while (ORDER.compare(a[j], pivot) > 0) {
                    j--;
                }
                if (i <= j) {
                    swap(a, i++, j--);
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return; // a[j+1..i-1] equal the pivot
            }
        }
    }

    private static void swap(Entry[] a, int i, int j) {
        Entry t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
