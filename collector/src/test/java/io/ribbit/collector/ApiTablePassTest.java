package io.ribbit.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ribbit.collector.api.TablePasses;
import io.ribbit.collector.config.ConfigLoader;
import io.ribbit.collector.peer.Peer;
import io.ribbit.collector.peer.SessionState;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Passes over whole tables (route pages and dumps, more-specific lookups) run off the HTTP event
 * loop (issue 4). A test hook holds every pass on its thread until released, so "a lookup is
 * answered while a pass is in progress" is shown without timing: with the passes on the HTTP
 * loop, the held pass would hold every other request too. One peer, 5,000 /24s, dumps in batches
 * of 1,000 routes (five passes).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ApiTablePassTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private static final String DUMP = "/api/peers/127.0.0.2/routes?all=true";
    private static final int ROUTES = 5000;

    private final Closer open = new Closer();
    private Path dir;
    private Daemon daemon;
    private TablePasses passes;
    /** Released by the hook each time a pass starts; the pass then waits for {@link #hold}. */
    private final Semaphore entered = new Semaphore(0);
    private CountDownLatch hold = new CountDownLatch(1);

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("ribbit-pass-test");
        String y = """
                name: passes
                router-id: 192.0.2.1
                local-as: 64512
                listen: ["127.0.0.1:0"]
                http: "127.0.0.1:0"
                neighbors:
                  - address: 127.0.0.2
                    remote-as: 64500
                """;
        daemon = open.push(new Daemon(ConfigLoader.parse(y, "passes.yaml")));
        daemon.start();
        passes = daemon.tablePasses();
        passes.dumpBatch(1000);
        TestTable table = TestTable.generate(ROUTES, 50, 64500);
        open.push(TestSpeaker.connect(table, dir, 64500, "127.0.0.2", daemon.peers().listenAddresses().get(0)));
        Peer p = daemon.peers().peer(InetAddress.getByName("127.0.0.2"));
        assertNotNull(p);
        Await.until("Established", WAIT, () -> p.state() == SessionState.ESTABLISHED, p::toString);
        Await.until(ROUTES + " routes", WAIT, () -> p.rib().size() == ROUTES, () -> p.rib().size() + " routes");
    }

    @AfterEach
    void letGo() {
        passes.beforeEachPass(() -> { });
        hold.countDown();
        Await.until("no request holding a place", WAIT, () -> passes.inProgress() == 0,
                () -> passes.inProgress() + " in progress");
        entered.drainPermits();
        hold = new CountDownLatch(1);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            open.close();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** Every pass waits on its thread until {@link #hold} is released. */
    private void holdPasses() {
        CountDownLatch h = hold;
        passes.beforeEachPass(() -> {
            entered.release();
            try {
                h.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void awaitPassStarted() throws InterruptedException {
        assertTrue(entered.tryAcquire(30, TimeUnit.SECONDS), "a pass started");
    }

    private HttpRequest get(String path) {
        InetSocketAddress a = daemon.httpAddress();
        return HttpRequest.newBuilder(URI.create("http://" + a.getHostString() + ":" + a.getPort() + path))
                .timeout(Duration.ofSeconds(30)).GET().build();
    }

    private HttpResponse<String> send(String path) throws Exception {
        return CLIENT.send(get(path), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> sendAsync(String path) {
        return CLIENT.sendAsync(get(path), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertFullDump(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        JsonNode doc = JSON.readTree(r.body());
        assertEquals(ROUTES, doc.get("count").asInt());
        assertEquals(ROUTES, doc.get("routes").size());
        assertTrue(doc.get("next_cursor").isNull());
        List<String> prefixes = new ArrayList<>();
        for (JsonNode n : doc.get("routes")) {
            prefixes.add(n.get("prefix").asText());
        }
        for (int i = 0; i < ROUTES; i++) {
            assertEquals("10." + (i >>> 8) + "." + (i & 0xff) + ".0/24", prefixes.get(i), "key order, each route once");
        }
    }

    @Test
    @DisplayName("while a dump's pass is held, exact and longest-match lookups and the peer list are answered; the dump completes after")
    void lookupsDuringAPass() throws Exception {
        holdPasses();
        CompletableFuture<HttpResponse<String>> dump = sendAsync(DUMP);
        awaitPassStarted();
        CompletableFuture<HttpResponse<String>> moreSpecific = sendAsync("/api/routes?prefix=10.0.0.0/16&match=more-specific");
        for (int i = 0; i < 50; i++) {
            HttpResponse<String> ip = send("/api/routes?ip=10.0." + i + ".9");
            assertEquals(200, ip.statusCode(), ip.body());
            assertEquals("10.0." + i + ".0/24", JSON.readTree(ip.body()).at("/prefixes/0/prefix").asText());
            HttpResponse<String> exact = send("/api/routes?prefix=10.1." + i + ".0/24");
            assertEquals(200, exact.statusCode(), exact.body());
            assertEquals(1, JSON.readTree(exact.body()).get("prefixes").size());
        }
        HttpResponse<String> peers = send("/api/peers");
        assertEquals(200, peers.statusCode());
        assertEquals(ROUTES, JSON.readTree(peers.body()).at("/peers/0/routes_total").asInt());
        assertFalse(dump.isDone(), "the dump waits for its held pass");
        assertFalse(moreSpecific.isDone(), "a more-specific lookup is a pass too");
        hold.countDown();
        assertFullDump(dump.get(60, TimeUnit.SECONDS));
        HttpResponse<String> ms = moreSpecific.get(60, TimeUnit.SECONDS);
        assertEquals(200, ms.statusCode(), ms.body());
        assertEquals(256, JSON.readTree(ms.body()).get("prefixes").size(), "10.0.0.0/24 .. 10.0.255.0/24");
    }

    @Test
    @DisplayName("more requests needing passes than places: 503 with a JSON error; probes still answered; places come back")
    void busy() throws Exception {
        holdPasses();
        List<CompletableFuture<HttpResponse<String>>> dumps = new ArrayList<>();
        for (int i = 0; i < passes.maxRequests(); i++) {
            dumps.add(sendAsync(DUMP));
        }
        Await.until("every place taken", WAIT, () -> passes.inProgress() == passes.maxRequests(),
                () -> passes.inProgress() + " in progress");
        for (String path : List.of(DUMP, "/api/peers/127.0.0.2/routes?limit=10",
                "/api/routes?prefix=10.0.0.0/16&match=more-specific")) {
            HttpResponse<String> r = send(path);
            assertEquals(503, r.statusCode(), path + ": " + r.body());
            assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
            assertTrue(JSON.readTree(r.body()).get("error").asText().startsWith("busy: "), r.body());
        }
        assertEquals(200, send("/api/routes?ip=10.0.1.1").statusCode());
        hold.countDown();
        for (CompletableFuture<HttpResponse<String>> d : dumps) {
            assertFullDump(d.get(60, TimeUnit.SECONDS));
        }
        Await.until("places given back", WAIT, () -> passes.inProgress() == 0, () -> passes.inProgress() + "");
        assertFullDump(send(DUMP));
    }

    @Test
    @DisplayName("a client that goes away during the first pass: the stream is closed, its place given back, nothing leaks")
    void goneDuringFirstPass() throws Exception {
        holdPasses();
        try (Socket s = request(DUMP, true)) {
            awaitPassStarted();
            assertEquals(1, passes.inProgress());
        }
        Await.until("the place given back", WAIT, () -> passes.inProgress() == 0, () -> passes.inProgress() + "");
        hold.countDown();
        assertFullDump(send(DUMP));
    }

    @Test
    @DisplayName("a client that goes away half-way through a dump, during a later pass: place given back, nothing leaks")
    void goneDuringLaterPass() throws Exception {
        AtomicInteger n = new AtomicInteger();
        CountDownLatch h = hold;
        passes.beforeEachPass(() -> {
            if (n.incrementAndGet() >= 2) { // the first batch goes out; the second waits
                entered.release();
                try {
                    h.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        try (Socket s = request(DUMP, true)) {
            awaitPassStarted();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(4096);
            String text = new String(head, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            assertTrue(text.startsWith("http/1.1 200"), text);
            assertTrue(text.contains("transfer-encoding: chunked"), text);
        }
        Await.until("the place given back", WAIT, () -> passes.inProgress() == 0, () -> passes.inProgress() + "");
    }

    @Test
    @DisplayName("pipelined requests are answered in order when the first waits for a pass; a small page keeps its Content-Length")
    void pipelined() throws Exception {
        holdPasses();
        try (Socket s = request("/api/peers/127.0.0.2/routes?limit=10", false)) {
            s.getOutputStream().write("GET /api/peers HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            awaitPassStarted();
            hold.countDown();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            s.getInputStream().transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int first = text.indexOf("\"routes\":[");
            int second = text.indexOf("\"peers\":[");
            assertTrue(first > 0 && second > first, text);
            String firstHead = text.substring(0, text.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
            assertTrue(firstHead.startsWith("http/1.1 200"), firstHead);
            assertTrue(firstHead.contains("content-length:"), firstHead);
            assertTrue(text.contains("\"count\":10,"), text);
        }
    }

    /** A raw request on a new connection, left open; {@code close} asks the server to close after it. */
    private Socket request(String path, boolean close) throws Exception {
        InetSocketAddress a = daemon.httpAddress();
        Socket s = new Socket(a.getAddress(), a.getPort());
        s.setSoTimeout(30_000);
        OutputStream out = s.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: t\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }
}
