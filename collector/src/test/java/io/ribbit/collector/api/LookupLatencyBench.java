package io.ribbit.collector.api;

import io.netty.channel.EventLoopGroup;
import io.ribbit.collector.Daemon;
import io.ribbit.collector.config.ConfigLoader;
import io.ribbit.collector.demo.TableSpeaker;
import io.ribbit.collector.peer.Peer;
import io.ribbit.collector.peer.Transport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * Lookup latency while a full table is ingested (not a unit test; run by
 * {@code collector/src/bench/api-latency.sh}). A daemon in this JVM takes a synthetic table of
 * {@code N} IPv4 prefixes (DFZ-like length mix, about 2.5 prefixes per UPDATE) from one
 * {@link TableSpeaker} over a real BGP session on loopback, while one client thread loops, closed
 * loop, over three lookups: {@code GET /api/routes?ip=} an address inside a table prefix,
 * {@code ?ip=} a random address (mostly a miss: every length probed), {@code ?prefix=} an exact
 * table prefix; each over one HTTP/1.1 keep-alive connection (a minimal blocking client, so the
 * figures are the server's and the loopback's, not a client library's), then the same three as direct calls
 * of {@link Lookup} (service time without HTTP). Latencies are reported for the ingest phase
 * (first route to full table), for an idle phase after it, and while a second peer sends the
 * same table and the first peer's table is dumped ({@code all=true}) on another connection; the
 * dump is also timed alone, with the old generation's growth.
 *
 * <p>Arguments: {@code [N (default 1000000)] [idle seconds (default 10)]}.
 */
public final class LookupLatencyBench {
    private static final String[] KINDS = {"ip in table", "ip random", "prefix exact"};

    /** Latencies of one phase, per kind, in nanoseconds. */
    private static final class Samples {
        /** Grown on demand up to 2^21 per kind, so the bench's own memory stays small (lean heaps). */
        final long[][] ns = new long[KINDS.length][1 << 12];
        final int[] n = new int[KINDS.length];

        void add(int kind, long v) {
            if (n[kind] == ns[kind].length && n[kind] < 1 << 21) {
                ns[kind] = Arrays.copyOf(ns[kind], n[kind] * 2);
            }
            if (n[kind] < ns[kind].length) {
                ns[kind][n[kind]++] = v;
            }
        }

        String report(String phase) {
            StringBuilder sb = new StringBuilder();
            long[] all = new long[Arrays.stream(n).sum()];
            int o = 0;
            for (int k = 0; k < KINDS.length; k++) {
                System.arraycopy(ns[k], 0, all, o, n[k]);
                o += n[k];
                sb.append(line(phase, KINDS[k], Arrays.copyOf(ns[k], n[k])));
            }
            sb.append(line(phase, "all", all));
            return sb.toString();
        }

        private static String line(String phase, String kind, long[] v) {
            Arrays.sort(v);
            if (v.length == 0) {
                return String.format(Locale.ROOT, "| %s | %s | 0 | | | | | |%n", phase, kind);
            }
            return String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s |%n", phase, kind, v.length,
                    ms(pct(v, 50)), ms(pct(v, 90)), ms(pct(v, 99)), ms(pct(v, 99.9)), ms(v[v.length - 1]));
        }

        private static long pct(long[] sorted, double p) {
            int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        }

        private static String ms(long ns) {
            return String.format(Locale.ROOT, "%.3f", ns / 1e6);
        }
    }

    private LookupLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int idleSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        SplittableRandom rnd = new SplittableRandom(7);
        List<int[]> samples = new ArrayList<>();
        byte[] table = table(n, rnd, samples);
        System.out.printf(Locale.ROOT, "table: %,d prefixes, %,d bytes gzipped, %d sample prefixes%n", n, table.length,
                samples.size());

        String yaml = """
                name: bench
                router-id: 192.0.2.1
                local-as: 64512
                listen: ["127.0.0.1:0"]
                http: "127.0.0.1:0"
                neighbors:
                  - address: 127.0.0.2
                    remote-as: 64500
                    families: [ipv4-unicast]
                  - address: 127.0.0.3
                    remote-as: 64500
                    families: [ipv4-unicast]
                """;
        Transport transport = Transport.best();
        EventLoopGroup speakerLoop = transport.newGroup(1, "bench-speaker");
        try (Daemon d = new Daemon(ConfigLoader.parse(yaml, "bench.yaml"))) {
            d.start();
            TableSpeaker speaker;
            try (InputStream in = new ByteArrayInputStream(table)) {
                speaker = new TableSpeaker(64500, 0x7f000002, 0x7f000002, in);
            }
            Peer peer = d.peers().peer(InetAddress.getByName("127.0.0.2"));
            InetSocketAddress http = d.httpAddress();
            String base = "http://" + http.getHostString() + ":" + http.getPort();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            Lookup direct = new Lookup(List.copyOf(d.peers().peers()), 64512, d.peers().locRib(), d.peers().selection());
            KeepAlive conn = new KeepAlive(http);
            warmUp(conn, direct);

            long t0 = System.nanoTime();
            speaker.start(speakerLoop, transport, new InetSocketAddress("127.0.0.2", 0),
                    d.peers().listenAddresses().get(0));
            Samples httpIngest = new Samples();
            Samples directIngest = new Samples();
            long first = 0;
            long full = 0;
            long lastReport = System.nanoTime();
            while (true) {
                long size = peer.rib().size();
                if (first == 0 && size > 0) {
                    first = System.nanoTime();
                }
                if (size >= n) {
                    full = System.nanoTime();
                    break;
                }
                if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(10)) {
                    throw new IllegalStateException("table not in after 10 minutes: " + size + " routes");
                }
                if (first != 0) {
                    cycle(conn, direct, samples, rnd, httpIngest, directIngest);
                } else {
                    Thread.sleep(5);
                }
                if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(5)) {
                    lastReport = System.nanoTime();
                    System.out.printf(Locale.ROOT, "  ingest: %,d routes after %.1f s%n", size,
                            (lastReport - first) / 1e9);
                }
            }
            double ingestSeconds = (full - first) / 1e9;
            System.out.printf(Locale.ROOT, "ingest: %,d routes in %.2f s (%.0f routes/s) while looking up%n", n,
                    ingestSeconds, n / ingestSeconds);

            Samples httpIdle = new Samples();
            Samples directIdle = new Samples();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(idleSeconds);
            while (System.nanoTime() < end) {
                cycle(conn, direct, samples, rnd, httpIdle, directIdle);
            }

            // Phase 3: the whole table dumped (all=true), nothing else running: speed and old-generation growth.
            long[] alone = dump(client, base);
            System.out.printf(Locale.ROOT, "dump all=true, alone: %,d bytes, ~%,d objects, %.2f s (%.0f routes/s);"
                    + " old generation peak %,d MiB over %,d MiB before, %,d MiB after a full GC%n", alone[0], alone[1],
                    alone[2] / 1e9, n / (alone[2] / 1e9), alone[4] >> 20, alone[3] >> 20, alone[5] >> 20);

            // Phase 4: a second peer sends the same table while the first one's is dumped on another
            // connection, and the lookups go on (now over two peers).
            TableSpeaker second;
            try (InputStream in = new ByteArrayInputStream(table)) {
                second = new TableSpeaker(64500, 0x7f000003, 0x7f000003, in);
            }
            Peer peer2 = d.peers().peer(InetAddress.getByName("127.0.0.3"));
            java.util.concurrent.CompletableFuture<long[]> during = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> {
                        try {
                            return dump(client, base);
                        } catch (Exception e) {
                            throw new java.util.concurrent.CompletionException(e);
                        }
                    });
            long t4 = System.nanoTime();
            second.start(speakerLoop, transport, new InetSocketAddress("127.0.0.3", 0),
                    d.peers().listenAddresses().get(0));
            Samples httpBoth = new Samples();
            Samples directBoth = new Samples();
            long secondFull = 0;
            while (!during.isDone() || secondFull == 0) {
                if (secondFull == 0 && peer2.rib().size() >= n) {
                    secondFull = System.nanoTime();
                }
                if (System.nanoTime() - t4 > TimeUnit.MINUTES.toNanos(10)) {
                    throw new IllegalStateException("phase 4 not over after 10 minutes");
                }
                cycle(conn, direct, samples, rnd, httpBoth, directBoth);
            }
            long[] both = during.get();
            System.out.printf(Locale.ROOT, "dump all=true while 127.0.0.3 sends its table: %,d bytes, ~%,d objects,"
                    + " %.2f s; 127.0.0.3's %,d routes in %.2f s%n", both[0], both[1], both[2] / 1e9, n,
                    (secondFull - t4) / 1e9);
            second.close();

            System.out.println();
            System.out.println("| phase | lookup | requests | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            System.out.print(httpIngest.report("HTTP, during ingest"));
            System.out.print(httpIdle.report("HTTP, table loaded"));
            System.out.print(httpBoth.report("HTTP, dump + 2nd peer ingest"));
            System.out.print(directIngest.report("direct, during ingest"));
            System.out.print(directIdle.report("direct, table loaded"));
            System.out.print(directBoth.report("direct, dump + 2nd peer ingest"));
            speaker.close();
        } finally {
            speakerLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * Reads {@code all=true} of 127.0.0.2 to the end; returns bytes, objects ('{' count), nanoseconds,
     * old-generation use before, and its peak during the dump (peaks reset first).
     */
    private static long[] dump(HttpClient client, String base) throws Exception {
        java.lang.management.MemoryPoolMXBean old = java.lang.management.ManagementFactory.getMemoryPoolMXBeans()
                .stream().filter(p -> p.getName().contains("Old Gen") || p.getName().contains("Tenured"))
                .findFirst().orElse(null);
        long oldBefore = old == null ? 0 : old.getUsage().getUsed();
        if (old != null) {
            old.resetPeakUsage();
        }
        long t = System.nanoTime();
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create(base
                + "/api/peers/127.0.0.2/routes?all=true")).timeout(Duration.ofMinutes(10)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long bytes = 0;
        long objects = 0;
        byte[] buf = new byte[1 << 16];
        String head = null;
        try (InputStream body = r.body()) {
            for (int k; (k = body.read(buf)) > 0; ) {
                if (head == null) {
                    head = new String(buf, 0, Math.min(k, 300), java.nio.charset.StandardCharsets.UTF_8);
                }
                bytes += k;
                for (int i = 0; i < k; i++) {
                    if (buf[i] == '{') {
                        objects++;
                    }
                }
            }
        }
        if (r.statusCode() != 200) {
            throw new IllegalStateException("dump: HTTP " + r.statusCode() + ": " + head);
        }
        long nanos = System.nanoTime() - t;
        long peak = old == null ? 0 : old.getPeakUsage().getUsed();
        System.gc(); // what of the peak was garbage: the live old generation after the dump
        long after = old == null ? 0 : old.getUsage().getUsed();
        return new long[] {bytes, objects, nanos, oldBefore, peak, after};
    }

    private static void warmUp(KeepAlive conn, Lookup direct) throws Exception {
        for (int i = 0; i < 2000; i++) {
            conn.get("/api/routes?ip=10.0." + (i & 255) + ".1");
            direct.longestMatch(Prefix.host("10.0." + (i & 255) + ".1", null));
        }
    }

    private static void cycle(KeepAlive conn, Lookup direct, List<int[]> samples,
            SplittableRandom rnd, Samples httpSamples, Samples directSamples) throws Exception {
        int[] s = samples.get(rnd.nextInt(samples.size()));
        String inside = ip(s[0] | (rnd.nextInt() & ~mask(s[1])));
        String random = ip(rnd.nextInt());
        String exact = ip(s[0]) + "/" + s[1];
        String[] http = {"/api/routes?ip=" + inside, "/api/routes?ip=" + random, "/api/routes?prefix=" + exact};
        for (int k = 0; k < 3; k++) {
            long t = System.nanoTime();
            conn.get(http[k]);
            httpSamples.add(k, System.nanoTime() - t);
        }
        long t = System.nanoTime();
        direct.longestMatch(Prefix.host(inside, null));
        directSamples.add(0, System.nanoTime() - t);
        t = System.nanoTime();
        direct.longestMatch(Prefix.host(random, null));
        directSamples.add(1, System.nanoTime() - t);
        t = System.nanoTime();
        direct.exact(Prefix.parse(exact, null));
        directSamples.add(2, System.nanoTime() - t);
    }

    /** One HTTP/1.1 keep-alive connection, one request at a time; replies must carry a Content-Length. */
    private static final class KeepAlive {
        private final java.net.Socket socket;
        private final java.io.BufferedInputStream in;
        private final java.io.OutputStream out;

        KeepAlive(InetSocketAddress server) throws IOException {
            socket = new java.net.Socket(server.getAddress(), server.getPort());
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            in = new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16);
            out = socket.getOutputStream();
        }

        void get(String path) throws IOException {
            out.write(("GET " + path + " HTTP/1.1\r\nHost: bench\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = line();
            int length = -1;
            for (String h; !(h = line()).isEmpty(); ) {
                if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Integer.parseInt(h.substring(15).trim());
                }
            }
            if (length < 0) {
                throw new IllegalStateException(path + ": no Content-Length (" + status + ")");
            }
            byte[] body = in.readNBytes(length);
            if (!status.startsWith("HTTP/1.1 200")) {
                throw new IllegalStateException(path + ": " + status + " " + new String(body, StandardCharsets.UTF_8));
            }
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }
    }

    private static int mask(int len) {
        return len == 0 ? 0 : -1 << (32 - len);
    }

    private static String ip(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    /**
     * A gzipped TableSpeaker table of {@code n} distinct IPv4 prefixes: lengths 16..24 in roughly
     * the DFZ's proportions (60 % /24), each length counting up from its own base, in runs of 1..4
     * prefixes sharing a path (2..6 ASNs), origin and MED.
     */
    private static byte[] table(int n, SplittableRandom rnd, List<int[]> samples) throws IOException {
        int[] lengths = {24, 23, 22, 21, 20, 19, 18, 17, 16};
        int[] percent = {60, 10, 12, 6, 5, 3, 2, 1, 1};
        int[] base = {0x10000000, 0x20000000, 0x28000000, 0x30000000, 0x38000000, 0x40000000, 0x48000000,
            0x50000000, 0x60000000};
        int[] count = new int[lengths.length];
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer w = new OutputStreamWriter(new GZIPOutputStream(bytes), StandardCharsets.US_ASCII)) {
            String attrs = null;
            int run = 0;
            for (int i = 0; i < n; i++) {
                int pick = rnd.nextInt(100);
                int k = 0;
                for (int acc = percent[0]; pick >= acc; acc += percent[++k]) {
                    // find the length class
                }
                int len = lengths[k];
                int addr = base[k] + (count[k]++ << (32 - len));
                if (run == 0) {
                    run = 1 + rnd.nextInt(4);
                    StringBuilder path = new StringBuilder("64500");
                    for (int h = 1 + rnd.nextInt(5); h > 0; h--) {
                        path.append(' ').append(1 + rnd.nextInt(400_000));
                    }
                    String origin = rnd.nextInt(10) == 0 ? "INCOMPLETE" : "IGP";
                    attrs = path + "|" + origin + "|" + (rnd.nextBoolean() ? Integer.toString(rnd.nextInt(1000)) : "");
                }
                run--;
                w.write(ip(addr) + "/" + len + "|" + attrs + "\n");
                if (i % 97 == 0) {
                    samples.add(new int[] {addr, len});
                }
            }
        }
        return bytes.toByteArray();
    }
}
