package io.ribbit.rib.bench;

import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.rib.AdjRibIn;
import io.ribbit.rib.AttributeStore;
import io.ribbit.rib.PrefixTable;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap per route of the Adj-RIB-In: loads the feeder's full table for 1, then 4 peers (each
 * peer's stream differs in the first AS and the next hop, as the feeder's do), each into its own
 * {@link AdjRibIn} sharing one {@link AttributeStore}, and prints the heap after a full GC per
 * route, with a breakdown computed from the structures' sizes (compressed oops, 8-byte alignment).
 * Run with {@code rib/src/bench/jmh.sh --memory [peers ...]} (default: 1 4).
 */
public final class RibMemory {
    private RibMemory() {
    }

    public static void main(String[] args) throws Exception {
        int[] counts = args.length == 0 ? new int[] {1, 4} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        byte[] stream = Files.readAllBytes(FeederStream.file());
        for (int peers : counts) {
            measure(stream, peers);
        }
    }

    static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }

    private static void measure(byte[] stream, int peers) {
        long before = heapAfterGc();
        AttributeStore store = new AttributeStore();
        List<AdjRibIn> ribs = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int k = 0; k < peers; k++) {
            AdjRibIn rib = new AdjRibIn(store);
            int peer = k;
            FeederStream.forEach(stream, u -> rib.apply(peer == 0 ? u : FeederStream.asPeer(u, peer)));
            ribs.add(rib);
        }
        long loadNs = System.nanoTime() - t0;
        long after = heapAfterGc();
        long routes = 0;
        long tableBytes = 0;
        for (AdjRibIn rib : ribs) {
            routes += rib.size();
            PrefixTable t = rib.table(AfiSafi.IPV4_UNICAST);
            long cap = t.capacity();
            // keys long[] (IPv4: the packed prefix) + values AttributeSet[] (4-byte refs) + seqlock versions int[]
            // (one per 128 slots), with array headers.
            tableBytes += align(16 + 8 * cap) + align(16 + 4 * cap) + align(16 + 4 * Math.max(1, cap >> 7)) + 64;
        }
        long[] f = store.footprint(); // sets, content bytes, slots
        long sets = f[0];
        // Per set: the AttributeSet object (12 header + 4 ref + 4 hash + 4 count = 24) and its byte[] (16 + n, aligned).
        long setObjects = 24 * sets;
        long setArrays = 16 * sets + f[1] + 4 * sets; // alignment: ~4 bytes per array on average
        long storeSlots = 8 * f[2] + 1024 * (24 + 2 * 16); // a reference and a hash per slot
        long measured = after - before;
        System.out.printf("%d peer(s): %,d routes, %,d attribute sets (%.1f content bytes each), loaded in %.1f s%n",
                peers, routes, sets, (double) f[1] / sets, loadNs / 1e9);
        System.out.printf("  heap after full GC: %,d bytes = %.1f bytes/route%n", measured, (double) measured / routes);
        System.out.printf("  breakdown (computed): tables %.1f B/route; attribute sets %.1f B/route"
                + " (objects %.1f, byte arrays %.1f, store slots %.1f); sum %.1f B/route%n",
                (double) tableBytes / routes, (double) (setObjects + setArrays + storeSlots) / routes,
                (double) setObjects / routes, (double) setArrays / routes, (double) storeSlots / routes,
                (double) (tableBytes + setObjects + setArrays + storeSlots) / routes);
        for (AdjRibIn rib : ribs) {
            rib.clear();
        }
        System.out.printf("  after clear: %,d sets left in the store%n", store.size());
    }

}
