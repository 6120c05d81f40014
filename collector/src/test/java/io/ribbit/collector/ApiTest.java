package io.ribbit.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.Communities;
import io.ribbit.codec.attr.LargeCommunities;
import io.ribbit.codec.attr.Uint32Attribute;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.collector.config.ConfigLoader;
import io.ribbit.collector.peer.Peer;
import io.ribbit.collector.peer.SessionState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JSON query API over real HTTP against a daemon fed by three real BGP speakers on loopback:
 * 127.0.0.2 (eBGP AS 64500, 600 /24s), 127.0.0.3 (iBGP, LOCAL_PREF 200, communities, the first
 * 300 of those /24s) and 127.0.0.4 (eBGP AS 64501: 10.0.0.0/8, /16, /24 and /25 nested).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ApiTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    private final Closer open = new Closer();
    private Path dir;
    private Daemon daemon;
    private TestTable tableA;
    private TestTable tableB;
    private TestTable tableC;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("ribbit-api-test");
        String y = """
                name: api
                router-id: 192.0.2.1
                local-as: 64512
                listen: ["127.0.0.1:0"]
                http: "127.0.0.1:0"
                neighbors:
                  - address: 127.0.0.2
                    remote-as: 64500
                    description: "feeder a"
                  - address: 127.0.0.3
                    remote-as: 64512
                    description: "ibgp b"
                  - address: 127.0.0.4
                    remote-as: 64501
                events:
                  - type: file
                    path: "%s"
                """.formatted(dir.resolve("events.jsonl"));
        daemon = open.push(new Daemon(ConfigLoader.parse(y, "api.yaml")));
        daemon.start();
        InetSocketAddress bgp = daemon.peers().listenAddresses().get(0);
        tableA = TestTable.generate(600, 7, 64500);
        tableB = TestTable.generate(300, 10, 64999);
        tableC = TestTable.of(List.of(
                new TestTable.Row("10.0.0.0/8", new long[] {64501, 1}, "IGP", -1),
                new TestTable.Row("10.0.0.0/16", new long[] {64501, 2}, "IGP", -1),
                new TestTable.Row("10.0.0.0/24", new long[] {64501, 3, 4, 5}, "IGP", -1),
                new TestTable.Row("10.0.0.128/25", new long[] {64501, 6}, "EGP", 5)));
        open.push(TestSpeaker.connect(tableA, dir, 64500, "127.0.0.2", bgp));
        open.push(TestSpeaker.connect(tableB, dir, 64512, "127.0.0.3", bgp, s -> s.attributes(List.of(
                new Uint32Attribute(AttributeCode.LOCAL_PREF, 200),
                Communities.of(64512 << 16 | 100, Communities.NO_EXPORT),
                LargeCommunities.of(64512, 1, 2)))));
        open.push(TestSpeaker.connect(tableC, dir, 64501, "127.0.0.4", bgp));
        awaitTable("127.0.0.2", tableA);
        awaitTable("127.0.0.3", tableB);
        awaitTable("127.0.0.4", tableC);
    }

    private void awaitTable(String ip, TestTable t) throws IOException {
        Peer p = daemon.peers().peer(InetAddress.getByName(ip));
        assertNotNull(p, ip);
        Await.until("Established with " + ip, WAIT, () -> p.state() == SessionState.ESTABLISHED, p::toString);
        Await.until(t.size() + " routes from " + ip, WAIT, () -> p.rib().size() == t.size(),
                () -> p.rib().size() + " routes, " + p);
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

    private HttpResponse<String> request(String method, String path) throws Exception {
        InetSocketAddress a = daemon.httpAddress();
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://" + a.getHostString() + ":" + a.getPort() + path))
                .timeout(Duration.ofSeconds(20)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
    }

    /** GET, expecting 200 and JSON. */
    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = request("GET", path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""), path);
        return JSON.readTree(r.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(field == null ? n.asText() : n.path(field).asText());
        }
        return out;
    }

    // ---------------------------------------------------------------- peers

    @Test
    @DisplayName("GET /api/peers: every peer in address order with state, AS, router id, negotiated families and route counts")
    void peerList() throws Exception {
        JsonNode peers = get("/api/peers").get("peers");
        assertEquals(List.of("127.0.0.2", "127.0.0.3", "127.0.0.4"), texts(peers, "peer"));
        JsonNode a = peers.get(0);
        assertEquals("feeder a", a.get("description").asText());
        assertEquals(64500, a.get("remote_as").asLong());
        assertEquals("established", a.get("state").asText());
        assertEquals("127.0.0.2", a.get("router_id").asText());
        assertTrue(a.get("uptime_seconds").asLong() >= 0);
        assertTrue(a.get("state_since").asText().endsWith("Z"), a.toString());
        assertEquals(600, a.at("/routes/ipv4-unicast").asInt());
        assertEquals(600, a.get("routes_total").asLong());
        assertEquals(0, a.get("stale_routes").asLong());
        assertEquals(600, a.get("prefixes_announced").asLong());
        assertEquals(tableA.updates() + 1, a.get("updates_received").asLong(), "the table's UPDATEs and End-of-RIB");
        assertEquals(List.of("ipv4-unicast"), texts(a.at("/negotiated/families"), null));
        assertTrue(a.at("/negotiated/route_refresh").asBoolean());
        assertTrue(a.at("/negotiated/asn4").asBoolean());
        assertEquals(90, a.at("/negotiated/hold_time").asInt());
        assertFalse(a.has("open"), "the OPEN is in the single-peer view only");
        assertEquals(300, peers.get(1).at("/routes/ipv4-unicast").asInt());
    }

    @Test
    @DisplayName("GET /api/peers/{peer} by address or by description, with the received OPEN in the events' shape")
    void onePeer() throws Exception {
        JsonNode byAddress = get("/api/peers/127.0.0.2");
        JsonNode byName = get("/api/peers/" + enc("feeder a").replace("+", "%20"));
        assertEquals("127.0.0.2", byName.get("peer").asText());
        assertEquals(byAddress.get("open"), byName.get("open"));
        JsonNode o = byAddress.get("open");
        assertEquals("OPEN", o.get("type").asText());
        assertEquals("received", o.get("direction").asText());
        assertEquals(64500, o.get("asn").asLong());
        assertEquals("127.0.0.2", o.get("router_id").asText());
        assertEquals("multiprotocol", o.at("/capabilities/1/name").asText());
        assertEquals("route-refresh", o.at("/capabilities/2/name").asText());
    }

    // ------------------------------------------------------------- routes

    @Test
    @DisplayName("GET /api/peers/{peer}/routes: pages in key order follow the cursor to the end, no route twice or missing")
    void paging() throws Exception {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = get("/api/peers/127.0.0.2/routes?family=ipv4-unicast&limit=250"
                    + (cursor == null ? "" : "&cursor=" + enc(cursor)));
            pages++;
            assertEquals("127.0.0.2", page.get("peer").asText());
            assertEquals("ipv4-unicast", page.get("afi_safi").asText());
            assertEquals(page.get("routes").size(), page.get("count").asInt());
            assertTrue(page.get("routes").size() <= 250);
            seen.addAll(texts(page.get("routes"), "prefix"));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null && pages < 10);
        assertEquals(3, pages);
        assertEquals(600, seen.size());
        assertEquals(new TreeSet<>(tableA.rows().keySet()), new TreeSet<>(seen));
        assertEquals(sortedByAddress(tableA.rows().keySet()), seen, "key order");
    }

    private static List<String> sortedByAddress(Set<String> prefixes) {
        List<String> out = new ArrayList<>(prefixes);
        out.sort(java.util.Comparator.comparingLong(p -> {
            String[] o = p.substring(0, p.indexOf('/')).split("\\.");
            long a = Long.parseLong(o[0]) << 24 | Long.parseLong(o[1]) << 16 | Long.parseLong(o[2]) << 8
                    | Long.parseLong(o[3]);
            return a << 8 | Integer.parseInt(p.substring(p.indexOf('/') + 1));
        }));
        return out;
    }

    @Test
    @DisplayName("routes?all=true streams the whole table (chunked) with each route's attributes; the default page is 1000")
    void dumpAll() throws Exception {
        JsonNode all = get("/api/peers/127.0.0.2/routes?all=true");
        assertEquals(600, all.get("count").asInt());
        assertTrue(all.get("next_cursor").isNull());
        assertEquals(sortedByAddress(tableA.rows().keySet()), texts(all.get("routes"), "prefix"));
        for (JsonNode r : all.get("routes")) {
            TestTable.Row row = tableA.row(r.get("prefix").asText());
            assertEquals("127.0.0.2", r.get("next_hop").asText());
            assertEquals(row.origin(), r.get("origin").asText());
            assertEquals(row.path().length, r.get("path").size());
            for (int i = 0; i < row.path().length; i++) {
                assertEquals(row.path()[i], r.get("path").get(i).asLong());
            }
            assertEquals(row.med(), r.has("med") ? r.get("med").asLong() : -1);
            assertFalse(r.get("stale").asBoolean());
        }
        JsonNode page = get("/api/peers/feeder%20a/routes");
        assertEquals(600, page.get("count").asInt(), "the default limit (1000) covers the table");
        assertTrue(page.get("next_cursor").isNull());
        JsonNode none = get("/api/peers/127.0.0.2/routes?family=ipv6-unicast");
        assertEquals(0, none.get("count").asInt());
        assertEquals(0, none.get("routes").size());
    }

    @Test
    @DisplayName("a stored route's attribute fields are the events' fields for the UPDATE that carried it")
    void attributesAsEvents() throws Exception {
        Path ev = dir.resolve("events.jsonl");
        String prefix = "10.0.0.0/24";
        Await.until("the UPDATE event from 127.0.0.3", WAIT, () -> event(ev, "127.0.0.3", prefix) != null);
        JsonNode event = event(ev, "127.0.0.3", prefix);
        JsonNode route = null;
        for (JsonNode r : get("/api/peers/127.0.0.3/routes?limit=1").get("routes")) {
            route = r;
        }
        assertNotNull(route);
        assertEquals(prefix, route.get("prefix").asText());
        Set<String> attributeFields = new HashSet<>();
        for (Iterator<String> it = event.fieldNames(); it.hasNext(); ) {
            attributeFields.add(it.next());
        }
        attributeFields.removeAll(Set.of("timestamp", "peer", "peer_asn", "id", "host", "type", "announcements",
                "withdrawals", "withdrawn"));
        assertEquals(Set.of("path", "origin", "med", "local_pref", "community", "community_names", "large_community",
                "tags"), attributeFields, event.toString());
        attributeFields.remove("tags");
        for (String f : attributeFields) {
            assertEquals(event.get(f), route.get(f), f);
        }
        // Import checks (all tag by default): 10/8 is bogon space and the path holds private ASNs.
        Set<String> eventChecks = new HashSet<>();
        for (JsonNode t : event.get("tags")) {
            eventChecks.add(t.get("check").asText());
        }
        Set<String> routeChecks = new HashSet<>();
        for (JsonNode t : route.get("tags")) {
            routeChecks.add(t.asText());
        }
        assertEquals(Set.of("bogon-prefix", "bogon-asn"), routeChecks, route.toString());
        assertEquals(eventChecks, routeChecks);
        assertEquals(200, route.get("local_pref").asInt());
        assertEquals("[[64512,100],[65535,65281]]", route.get("community").toString());
        assertEquals("[\"NO_EXPORT\"]", route.get("community_names").toString());
        assertEquals("[[64512,1,2]]", route.get("large_community").toString());
    }

    private static JsonNode event(Path ev, String peer, String prefix) {
        for (JsonNode n : EventLines.of(ev, "UPDATE")) {
            if (peer.equals(n.path("peer").asText())) {
                for (JsonNode a : n.path("announcements")) {
                    for (JsonNode p : a.path("prefixes")) {
                        if (prefix.equals(p.asText())) {
                            return n;
                        }
                    }
                }
            }
        }
        return null;
    }

    @Test
    @DisplayName("the routes listing is chunked on the wire (Transfer-Encoding: chunked), and HEAD has no body")
    void chunkedOnTheWire() throws Exception {
        InetSocketAddress a = daemon.httpAddress();
        try (Socket s = new Socket(a.getAddress(), a.getPort())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/peers/127.0.0.2/routes?all=true HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            List<String> head = new ArrayList<>();
            for (String l; (l = in.readLine()) != null && !l.isEmpty(); ) {
                head.add(l.toLowerCase(java.util.Locale.ROOT));
            }
            assertEquals("http/1.1 200 ok", head.get(0));
            assertTrue(head.contains("transfer-encoding: chunked"), head.toString());
            int chunks = 0;
            StringBuilder body = new StringBuilder();
            while (true) {
                int size = Integer.parseInt(in.readLine().trim(), 16);
                if (size == 0) {
                    break;
                }
                char[] c = new char[size];
                int n = 0;
                while (n < size) {
                    n += in.read(c, n, size - n); // ASCII body: chars are bytes
                }
                body.append(c);
                in.readLine();
                chunks++;
            }
            assertTrue(chunks >= 2, chunks + " chunks for 600 routes (~32 KiB each)");
            assertEquals(600, JSON.readTree(body.toString()).get("count").asInt());
        }
        HttpResponse<String> head = request("HEAD", "/api/peers/127.0.0.2/routes?all=true");
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
    }

    // --------------------------------------------------------------- lookups

    @Test
    @DisplayName("GET /api/routes?prefix=P: every peer's path, the best (LOCAL_PREF 200, iBGP) first and marked")
    void exactLookup() throws Exception {
        JsonNode r = get("/api/routes?prefix=10.0.0.0/24");
        assertEquals("10.0.0.0/24", r.at("/query/prefix").asText());
        assertEquals("exact", r.at("/query/match").asText());
        assertEquals("ipv4-unicast", r.at("/query/afi_safi").asText());
        assertFalse(r.get("truncated").asBoolean());
        assertEquals(1, r.get("prefixes").size());
        JsonNode paths = r.at("/prefixes/0/paths");
        assertEquals(List.of("127.0.0.3", "127.0.0.2", "127.0.0.4"), texts(paths, "peer"), "best first, then by address");
        assertEquals(List.of("true", "false", "false"), texts(paths, "best"));
        assertEquals(64512, paths.get(0).get("peer_asn").asLong());
        assertEquals(200, paths.get(0).get("local_pref").asInt());
        assertEquals("[64501,3,4,5]", paths.get(2).get("path").toString());
        assertEquals("127.0.0.4", paths.get(2).get("next_hop").asText());

        // Beyond the iBGP peer's 300 routes: 127.0.0.2 alone.
        JsonNode one = get("/api/routes?prefix=10.1.200.0/24");
        assertEquals(List.of("127.0.0.2"), texts(one.at("/prefixes/0/paths"), "peer"));
        assertTrue(one.at("/prefixes/0/paths/0/best").asBoolean());
        assertEquals(0, get("/api/routes?prefix=10.9.0.0/24").get("prefixes").size());
        assertEquals(0, get("/api/routes?prefix=2001:db8::/32").get("prefixes").size());
        assertEquals("ipv6-unicast", get("/api/routes?prefix=2001:db8::/32").at("/query/afi_safi").asText());
    }

    @Test
    @DisplayName("GET /api/routes?ip=A: the longest matching prefix across peers")
    void longestMatch() throws Exception {
        Map<String, String> cases = Map.of(
                "10.0.0.129", "10.0.0.128/25",
                "10.0.0.5", "10.0.0.0/24",
                "10.0.200.1", "10.0.200.0/24",
                "10.2.100.1", "10.0.0.0/8",
                "10.1.2.3", "10.1.2.0/24",
                "10.200.0.1", "10.0.0.0/8");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            JsonNode r = get("/api/routes?ip=" + c.getKey());
            assertEquals(c.getKey(), r.at("/query/ip").asText());
            assertEquals(List.of(c.getValue()), texts(r.get("prefixes"), "prefix"), c.getKey());
        }
        assertEquals(3, get("/api/routes?ip=10.0.0.5").at("/prefixes/0/paths").size());
        assertEquals(0, get("/api/routes?ip=11.0.0.1").get("prefixes").size());
        assertEquals(0, get("/api/routes?ip=2001:db8::1").get("prefixes").size());
    }

    @Test
    @DisplayName("match=less-specific: the prefix and all covering ones, shortest first")
    void lessSpecific() throws Exception {
        JsonNode r = get("/api/routes?prefix=10.0.0.128/25&match=less-specific");
        assertEquals(List.of("10.0.0.0/8", "10.0.0.0/16", "10.0.0.0/24", "10.0.0.128/25"), texts(r.get("prefixes"), "prefix"));
        assertEquals(3, r.at("/prefixes/2/paths").size());
        JsonNode none = get("/api/routes?prefix=10.0.0.0/9&match=less-specific");
        assertEquals(List.of("10.0.0.0/8"), texts(none.get("prefixes"), "prefix"));
    }

    @Test
    @DisplayName("match=more-specific: the prefix and all inside it in key order, limited and marked truncated")
    void moreSpecific() throws Exception {
        JsonNode r = get("/api/routes?prefix=10.0.0.0/16&match=more-specific&limit=4");
        assertEquals(List.of("10.0.0.0/16", "10.0.0.0/24", "10.0.0.128/25", "10.0.1.0/24"), texts(r.get("prefixes"), "prefix"));
        assertTrue(r.get("truncated").asBoolean());
        JsonNode all = get("/api/routes?prefix=10.0.0.0/16&match=more-specific");
        assertEquals(258, all.get("prefixes").size(), "the /16, the /25 and 256 /24s");
        assertFalse(all.get("truncated").asBoolean());
        JsonNode tail = get("/api/routes?prefix=10.2.0.0/16&match=more-specific");
        assertEquals(88, tail.get("prefixes").size(), "10.2.0.0/24 .. 10.2.87.0/24");
    }

    // ----------------------------------------------------------------- errors

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("GET", "/api/routes?prefix=10.0.0.1/24", 400, "host bits"),
                Arguments.of("GET", "/api/routes?prefix=10.0.0.0/33", 400, "length"),
                Arguments.of("GET", "/api/routes?prefix=10.0.0.0", 400, "ADDRESS/LENGTH"),
                Arguments.of("GET", "/api/routes?prefix=banana/8", 400, "not an IPv4 or IPv6"),
                Arguments.of("GET", "/api/routes?prefix=2001:db8::/129", 400, "length"),
                Arguments.of("GET", "/api/routes?ip=300.1.1.1", 400, "address"),
                Arguments.of("GET", "/api/routes?ip=10.0.0.0/8", 400, "address"),
                Arguments.of("GET", "/api/routes?ip=fe80::1%25eth0", 400, "address"),
                Arguments.of("GET", "/api/routes", 400, "exactly one"),
                Arguments.of("GET", "/api/routes?prefix=10.0.0.0/8&ip=10.0.0.1", 400, "exactly one"),
                Arguments.of("GET", "/api/routes?prefix=10.0.0.0/8&match=sideways", 400, "bad match"),
                Arguments.of("GET", "/api/routes?ip=10.0.0.1&match=more-specific", 400, "match"),
                Arguments.of("GET", "/api/routes?prefix=10.0.0.0/8&family=ipv9-unicast", 400, "unknown family"),
                Arguments.of("GET", "/api/routes?prefix=10.0.0.0/8&family=ipv6-unicast", 400, "does not match"),
                Arguments.of("GET", "/api/routes?prefix=10.0.0.0/8&family=ipv4-mpls-vpn", 400, "route distinguishers"),
                Arguments.of("GET", "/api/routes?prefix=10.0.0.0/8&match=more-specific&limit=10001", 400, "bad limit"),
                Arguments.of("GET", "/api/routes?prefix=10.0.0.0/8&limit=5", 400, "more-specific only"),
                Arguments.of("GET", "/api/routes?prefx=10.0.0.0/8", 400, "unknown parameter"),
                Arguments.of("GET", "/api/routes?prefix=10.0.0.0/8&prefix=10.0.0.0/16", 400, "2 times"),
                Arguments.of("GET", "/api/peers/127.0.0.2/routes?limit=0", 400, "bad limit"),
                Arguments.of("GET", "/api/peers/127.0.0.2/routes?limit=100001", 400, "bad limit"),
                Arguments.of("GET", "/api/peers/127.0.0.2/routes?limit=-1", 400, "bad limit"),
                Arguments.of("GET", "/api/peers/127.0.0.2/routes?limit=ten", 400, "bad limit"),
                Arguments.of("GET", "/api/peers/127.0.0.2/routes?all=true&limit=10", 400, "exclude"),
                Arguments.of("GET", "/api/peers/127.0.0.2/routes?all=yes", 400, "bad all"),
                Arguments.of("GET", "/api/peers/127.0.0.2/routes?cursor=not-a-cursor", 400, "bad cursor"),
                Arguments.of("GET", "/api/peers/127.0.0.2/routes?cursor=%%%", 400, "malformed URI"),
                Arguments.of("GET", "/api/peers/127.0.0.2/routes?family=ipv4-flowspec", 400, "unsupported family"),
                Arguments.of("GET", "/api/peers/127.0.0.2/routes?family=nonsense", 400, "unknown family"),
                Arguments.of("GET", "/api/peers/127.0.0.2?verbose=1", 400, "unknown parameter"),
                Arguments.of("GET", "/api/peers/192.0.2.99", 404, "unknown peer"),
                Arguments.of("GET", "/api/peers/nobody/routes", 404, "unknown peer"),
                Arguments.of("GET", "/api/peers/127.0.0.2/paths", 404, "not found"),
                Arguments.of("GET", "/api/peers/127.0.0.2/routes/x", 404, "not found"),
                Arguments.of("GET", "/api/nothing", 404, "not found"),
                Arguments.of("POST", "/api/routes?ip=10.0.0.1", 405, "use GET"),
                Arguments.of("DELETE", "/api/peers", 405, "use GET"),
                Arguments.of("PUT", "/api/peers/127.0.0.2/routes", 405, "use GET"),
                Arguments.of("GET", "/api/peers/127.0.0.2/refresh", 405, "use POST"),
                Arguments.of("POST", "/api/peers/192.0.2.99/refresh", 404, "unknown peer"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("badRequests")
    @DisplayName("bad requests are 4xx with a JSON error body, never a 500")
    void badRequest(String method, String path, int status, String words) throws Exception {
        RawHttp.Reply r;
        try {
            URI.create("http://x" + path);
            HttpResponse<String> h = request(method, path);
            r = new RawHttp.Reply(h.statusCode(), h.headers().firstValue("content-type").orElse(""), h.body());
        } catch (IllegalArgumentException e) {
            r = RawHttp.send(daemon.httpAddress(), method, path); // java.net.URI refuses it: sent as is
        }
        assertEquals(status, r.status(), r.body());
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        String error = JSON.readTree(r.body()).path("error").asText();
        assertTrue(error.contains(words), "error \"" + error + "\" should mention \"" + words + "\"");
    }

    @Test
    @DisplayName("a cursor of another family is refused")
    void cursorOfAnotherFamily() throws Exception {
        String cursor = get("/api/peers/127.0.0.2/routes?limit=1").get("next_cursor").asText();
        HttpResponse<String> r = request("GET", "/api/peers/127.0.0.2/routes?family=ipv6-unicast&cursor=" + enc(cursor));
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(JSON.readTree(r.body()).get("error").asText().contains("another family"), r.body());
    }
}
