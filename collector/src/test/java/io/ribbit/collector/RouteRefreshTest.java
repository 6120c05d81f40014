package io.ribbit.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.RouteRefreshMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.collector.config.ConfigLoader;
import io.ribbit.collector.demo.TableSpeaker;
import io.ribbit.collector.peer.Peer;
import io.ribbit.collector.peer.SessionState;
import io.ribbit.rib.Route;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ROUTE-REFRESH end to end: {@code POST /api/peers/{peer}/refresh} over real HTTP makes the
 * daemon send a ROUTE-REFRESH (RFC 2918) to a real speaker; an enhanced route refresh (RFC 7313)
 * from the speaker leaves exactly the re-announced routes in the Adj-RIB-In.
 */
class RouteRefreshTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    private final Closer open = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        open.close();
    }

    private Daemon daemon(String neighbors) throws Exception {
        String y = """
                name: refresh
                router-id: 192.0.2.1
                local-as: 64512
                listen: ["127.0.0.1:0"]
                http: "127.0.0.1:0"
                neighbors:
                %sevents:
                  - type: file
                    path: "%s"
                """.formatted(neighbors, dir.resolve("events.jsonl"));
        Daemon d = new Daemon(ConfigLoader.parse(y, "refresh.yaml"));
        open.push(d);
        d.start();
        return d;
    }

    private TestSpeaker speaker(TestTable t, long asn, String ip, Daemon d, Consumer<TableSpeaker> setup)
            throws IOException {
        TestSpeaker s = TestSpeaker.connect(t, dir, asn, ip, d.peers().listenAddresses().get(0), setup);
        open.push(s);
        return s;
    }

    private static Peer established(Daemon d, String ip, TestTable t, TestSpeaker s) throws IOException {
        Peer p = d.peers().peer(InetAddress.getByName(ip));
        assertNotNull(p, "peer " + ip + " configured");
        Await.until("Established with " + ip, WAIT, () -> p.state() == SessionState.ESTABLISHED,
                () -> p + " " + s.summary());
        Await.until(t.size() + " routes from " + ip, WAIT, () -> p.rib().size() == t.size(),
                () -> p.rib().size() + " routes, " + p);
        return p;
    }

    private static HttpResponse<String> request(Daemon d, String method, String path) throws Exception {
        InetSocketAddress a = d.httpAddress();
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://" + a.getHostString() + ":" + a.getPort() + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
    }

    /** Asserts the status and a JSON body with an "error" (for every status but 202); returns the body. */
    private static JsonNode expect(int status, HttpResponse<String> r) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"),
                r.headers().toString());
        JsonNode body = JSON.readTree(r.body());
        if (status != 202) {
            assertFalse(body.path("error").asText().isEmpty(), r.body());
        }
        return body;
    }

    private static List<RouteRefreshMessage> refreshes(TestSpeaker s) {
        return s.received().stream().filter(m -> m instanceof RouteRefreshMessage).map(m -> (RouteRefreshMessage) m)
                .toList();
    }

    @Test
    @Timeout(90)
    @DisplayName("POST /api/peers/{peer}/refresh sends ROUTE-REFRESH (202); unknown peer 404, bad family 400,"
            + " not Established or no route refresh capability 409, GET 405")
    void refreshOverHttp() throws Exception {
        TestTable table = TestTable.generate(40, 8, 64520);
        Daemon d = daemon("""
                  - address: 127.0.0.21
                    remote-as: 64520
                    families: [ipv4-unicast, ipv6-unicast]
                  - address: 127.0.0.22
                    remote-as: 64522
                  - address: 127.0.0.23
                    remote-as: 64523
                """);
        TestSpeaker s = speaker(table, 64520, "127.0.0.21", d, t -> { });
        established(d, "127.0.0.21", table, s);
        assertTrue(refreshes(s).isEmpty());

        // One family asked for.
        JsonNode ok = expect(202, request(d, "POST", "/api/peers/127.0.0.21/refresh?family=ipv4-unicast"));
        assertEquals("127.0.0.21", ok.get("peer").asText());
        assertEquals(List.of("ipv4-unicast"), JSON.convertValue(ok.get("families"), List.class));
        Await.until("ROUTE-REFRESH at the speaker", WAIT, () -> refreshes(s).size() == 1, s::summary);
        RouteRefreshMessage rr = refreshes(s).get(0);
        assertEquals(AfiSafi.IPV4_UNICAST, rr.family());
        assertEquals(RouteRefreshMessage.NORMAL, rr.subtype());

        // No family: every negotiated family (IPv6 configured but not negotiated, so IPv4 only).
        ok = expect(202, request(d, "POST", "/api/peers/127.0.0.21/refresh"));
        assertEquals(List.of("ipv4-unicast"), JSON.convertValue(ok.get("families"), List.class));
        Await.until("a second ROUTE-REFRESH", WAIT, () -> refreshes(s).size() == 2, s::summary);
        assertEquals(RouteRefreshMessage.request(AfiSafi.IPV4_UNICAST), refreshes(s).get(1));

        // Errors: nothing more is sent.
        expect(404, request(d, "POST", "/api/peers/127.0.0.99/refresh"));
        expect(404, request(d, "POST", "/api/peers/no.such.host.invalid/refresh"));
        expect(404, request(d, "POST", "/api/peers/127.0.0.21/bogus"));
        expect(404, request(d, "POST", "/api/peers//refresh"));
        expect(405, request(d, "GET", "/api/peers/127.0.0.21/refresh"));
        expect(400, request(d, "POST", "/api/peers/127.0.0.21/refresh?family=ipv9-sideways"));
        expect(400, request(d, "POST", "/api/peers/127.0.0.21/refresh?family="));
        expect(400, request(d, "POST", "/api/peers/127.0.0.21/refresh?family=ipv6-unicast")); // not negotiated
        expect(409, request(d, "POST", "/api/peers/127.0.0.22/refresh")); // configured, never connected
        expect(409, request(d, "POST", "/api/peers/127.0.0.22/refresh?family=ipv4-unicast"));

        // A speaker without the route refresh capability: 409.
        TestTable other = TestTable.generate(10, 5, 64523);
        TestSpeaker plain = speaker(other, 64523, "127.0.0.23", d, t -> t.routeRefresh(false, false));
        established(d, "127.0.0.23", other, plain);
        expect(409, request(d, "POST", "/api/peers/127.0.0.23/refresh?family=ipv4-unicast"));
        expect(409, request(d, "POST", "/api/peers/127.0.0.23/refresh"));

        Await.holds("no ROUTE-REFRESH sent for the refused requests", Duration.ofMillis(500),
                () -> refreshes(s).size() == 2 && refreshes(plain).isEmpty(), () -> s.summary() + " / " + plain.summary());
        assertEquals(200, Http.get(d.httpAddress(), "/health").statusCode(), "exact routes still work");
    }

    @Test
    @Timeout(90)
    @DisplayName("enhanced route refresh (RFC 7313): BoRR, a subset re-announced, EoRR: the Adj-RIB-In ends with"
            + " exactly the subset, none stale")
    void enhancedRefreshRemovesStaleRoutes() throws Exception {
        TestTable table = TestTable.generate(300, 10, 64530);
        Daemon d = daemon("""
                  - address: 127.0.0.31
                    remote-as: 64530
                    families: [ipv4-unicast]
                """);
        TestSpeaker s = speaker(table, 64530, "127.0.0.31", d, t -> t.routeRefresh(true, true));
        Peer p = established(d, "127.0.0.31", table, s);
        s.awaitSent(WAIT);

        // Every third route, spread over most UPDATE groups (some groups partly, none whole).
        Set<String> subset = new TreeSet<>();
        int i = 0;
        for (String prefix : table.rows().keySet()) {
            if (i++ % 3 == 0) {
                subset.add(prefix);
            }
        }
        s.speaker().enhancedRefresh(subset).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        Await.until("Adj-RIB-In down to the re-announced " + subset.size() + " routes", WAIT,
                () -> p.rib().size() == subset.size(), () -> p.rib().size() + " routes, " + p.rib().staleCount()
                        + " stale");
        Map<String, Route> rib = new HashMap<>();
        p.rib().forEach(AfiSafi.IPV4_UNICAST, (k, r) -> rib.put(k.prefix(), r));
        assertEquals(subset, new TreeSet<>(rib.keySet()));
        assertEquals(0, p.rib().staleCount(), "no stale route left after EoRR");
        for (String prefix : subset) {
            TestTable.Row row = table.row(prefix);
            Route r = rib.get(prefix);
            assertEquals(row.med(), r.attributes().med(), prefix + " MED");
            assertFalse(r.stale(), prefix);
        }
        // The session stays up and the BoRR/EoRR are in the events.
        assertEquals(SessionState.ESTABLISHED, p.state());
        Path ev = dir.resolve("events.jsonl");
        Await.until("ROUTE_REFRESH events", WAIT, () -> EventLines.of(ev, "ROUTE_REFRESH").size() == 2,
                () -> EventLines.of(ev, "ROUTE_REFRESH").toString());
        List<BgpMessage> got = s.received();
        assertTrue(got.stream().noneMatch(m -> m instanceof io.ribbit.codec.message.NotificationMessage), s.summary());
    }

    private static double ignored(Daemon d, String peer, String subtype, String reason) {
        return d.registry().find("ribbit.peer.route.refresh.ignored").tag("peer", peer).tag("subtype", subtype)
                .tag("reason", reason).counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count)
                .sum();
    }

    @Test
    @Timeout(90)
    @DisplayName("RFC 7313 §3/§4, RFC 2918: BoRR and EoRR from a speaker without the enhanced route refresh"
            + " capability are ignored (counted): no route goes stale, none is removed")
    void borrEorrIgnoredWithoutCapability() throws Exception {
        TestTable table = TestTable.generate(300, 10, 64540);
        Daemon d = daemon("""
                  - address: 127.0.0.41
                    remote-as: 64540
                    families: [ipv4-unicast]
                """);
        TestSpeaker s = speaker(table, 64540, "127.0.0.41", d, t -> t.routeRefresh(true, false));
        Peer p = established(d, "127.0.0.41", table, s);
        s.awaitSent(WAIT);

        Set<String> subset = new TreeSet<>(List.copyOf(table.rows().keySet()).subList(0, 50));
        s.speaker().enhancedRefresh(subset).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Await.until("BoRR and EoRR ignored", WAIT, () -> ignored(d, "127.0.0.41", "borr", "not-negotiated") == 1
                && ignored(d, "127.0.0.41", "eorr", "not-negotiated") == 1, p::toString);
        Path ev = dir.resolve("events.jsonl");
        Await.until("both ROUTE_REFRESH events (what was received is still shown)", WAIT,
                () -> EventLines.of(ev, "ROUTE_REFRESH").size() == 2);
        assertEquals(table.size(), p.rib().size(), "every route kept");
        assertEquals(0, p.rib().staleCount(), "nothing marked stale");
        assertEquals(SessionState.ESTABLISHED, p.state());
        assertTrue(s.received().stream().noneMatch(m -> m instanceof io.ribbit.codec.message.NotificationMessage),
                s.summary());
    }

    @Test
    @Timeout(90)
    @DisplayName("RFC 7313 §4/§5 with the capability negotiated: BoRR before End-of-RIB (graceful restart) and"
            + " EoRR without BoRR ignored, unknown subtype ignored, a normal request answered with BoRR and EoRR,"
            + " then BoRR/re-announce/EoRR leaves exactly what was re-announced")
    void enhancedRefreshRules() throws Exception {
        Daemon d = daemon("""
                  - address: 127.0.0.42
                    remote-as: 64542
                    families: [ipv4-unicast]
                """);
        String ip = "127.0.0.42";
        ScriptedSpeaker sp = open.push(new ScriptedSpeaker(ip));
        ScriptedSpeaker.Conn c = sp.connect(d.peers().listenAddresses().get(0));
        c.awaitOpen(WAIT);
        AfiSafi v4 = AfiSafi.IPV4_UNICAST;
        c.send(ScriptedSpeaker.open(64542, ip, new io.ribbit.codec.capability.Capability.RouteRefresh(
                io.ribbit.codec.capability.Capability.ROUTE_REFRESH),
                new io.ribbit.codec.capability.Capability.EnhancedRouteRefresh(),
                new io.ribbit.codec.capability.Capability.GracefulRestart(0, 120, List.of(
                        new io.ribbit.codec.capability.Capability.GracefulRestart.Family(v4, 0x80)))),
                io.ribbit.codec.message.KeepaliveMessage.INSTANCE, sp.update(64542, 0, 5));
        Peer p = d.peers().peer(InetAddress.getByName(ip));
        Await.until("Established with 5 routes", WAIT, () -> p.state() == SessionState.ESTABLISHED
                && p.rib().size() == 5, p::toString);

        // Before End-of-RIB: BoRR ignored (graceful restart), so the EoRR has no BoRR either.
        c.send(new RouteRefreshMessage(v4, RouteRefreshMessage.BEGIN_OF_ROUTE_REFRESH, null),
                new RouteRefreshMessage(v4, RouteRefreshMessage.END_OF_ROUTE_REFRESH, null),
                new RouteRefreshMessage(v4, 9, null));
        Await.until("BoRR, EoRR and subtype 9 ignored", WAIT,
                () -> ignored(d, ip, "borr", "before-end-of-rib") == 1
                        && ignored(d, ip, "eorr", "eorr-without-borr") == 1
                        && ignored(d, ip, "other", "unknown-subtype") == 1, p::toString);
        assertEquals(5, p.rib().size());
        assertEquals(0, p.rib().staleCount());

        // A normal request: Ribbit has nothing to send, but frames it with BoRR and EoRR.
        c.send(io.ribbit.codec.message.UpdateMessage.endOfRib(v4), RouteRefreshMessage.request(v4));
        Await.until("BoRR and EoRR from Ribbit", WAIT, () -> c.received().stream()
                .filter(m -> m instanceof RouteRefreshMessage).count() == 2, c::toString);
        List<RouteRefreshMessage> fromRibbit = c.received().stream().filter(m -> m instanceof RouteRefreshMessage)
                .map(m -> (RouteRefreshMessage) m).toList();
        assertEquals(List.of(new RouteRefreshMessage(v4, RouteRefreshMessage.BEGIN_OF_ROUTE_REFRESH, null),
                new RouteRefreshMessage(v4, RouteRefreshMessage.END_OF_ROUTE_REFRESH, null)), fromRibbit);

        // After End-of-RIB: BoRR marks all 5 stale, 3 re-announced, EoRR removes the other 2.
        c.send(new RouteRefreshMessage(v4, RouteRefreshMessage.BEGIN_OF_ROUTE_REFRESH, null));
        Await.until("5 routes stale", WAIT, () -> p.rib().staleCount() == 5, p::toString);
        c.send(sp.update(64542, 0, 3), new RouteRefreshMessage(v4, RouteRefreshMessage.END_OF_ROUTE_REFRESH, null));
        Await.until("3 routes left, none stale", WAIT, () -> p.rib().size() == 3 && p.rib().staleCount() == 0,
                () -> p.rib().size() + " routes, " + p.rib().staleCount() + " stale");
        Map<String, Route> rib = new HashMap<>();
        p.rib().forEach(v4, (k, r) -> rib.put(k.prefix(), r));
        assertEquals(Set.of("10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"), rib.keySet());
        Path ev = dir.resolve("events.jsonl");
        Await.until("a stale-routes-removed event for the 2 routes not re-announced", WAIT, () -> EventLines.any(ev,
                n -> "stale-routes-removed".equals(n.path("alert").asText())),
                () -> EventLines.of(ev, "PEER_ALERT").toString());
        JsonNode alert = EventLines.of(ev, "PEER_ALERT").get(0);
        assertEquals("enhanced-route-refresh", alert.path("reason").asText(), alert.toString());
        assertEquals("ipv4-unicast", alert.path("afi_safi").asText(), alert.toString());
        assertEquals(2, alert.path("routes").asInt(), alert.toString());
        assertEquals(1, EventLines.of(ev, "PEER_ALERT").size(), "one event: nothing else was removed");
        assertEquals(3.0, d.registry().find("ribbit.peer.route.refresh.ignored").tag("peer", ip).counters()
                .stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum(), "nothing else ignored");
        assertEquals(SessionState.ESTABLISHED, p.state());
        assertTrue(c.received().stream().noneMatch(m -> m instanceof io.ribbit.codec.message.NotificationMessage),
                c.toString());
    }
}
