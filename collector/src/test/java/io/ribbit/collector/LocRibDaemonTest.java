package io.ribbit.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ribbit.collector.config.ConfigLoader;
import io.ribbit.collector.peer.Peer;
import io.ribbit.collector.peer.SessionState;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Loc-RIB end to end: two real BGP sessions announce the same prefix with different paths;
 * the API marks the Loc-RIB's best, a {@code loc-rib: only} sink gets best-path events and no
 * UPDATEs, and when the best peer's session goes (its routes withdrawn) the best moves.
 */
@Timeout(120)
class LocRibDaemonTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void bestAcrossRealSessionsMovesWhenTheBestIsWithdrawn() throws Exception {
        Path dir = Files.createTempDirectory("ribbit-locrib-test");
        Path all = dir.resolve("all.jsonl");
        Path only = dir.resolve("loc-rib.jsonl");
        String y = """
                name: locrib
                router-id: 192.0.2.1
                local-as: 64512
                listen: ["127.0.0.1:0"]
                http: "127.0.0.1:0"
                loc-rib:
                  always-compare-med: false
                neighbors:
                  - address: 127.0.0.2
                    remote-as: 64500
                  - address: 127.0.0.3
                    remote-as: 64501
                events:
                  - type: file
                    path: "%s"
                    loc-rib: true
                  - type: file
                    path: "%s"
                    loc-rib: only
                """.formatted(all, only);
        try (Closer open = new Closer()) {
            Daemon daemon = open.push(new Daemon(ConfigLoader.parse(y, "locrib.yaml")));
            daemon.start();
            InetSocketAddress bgp = daemon.peers().listenAddresses().get(0);
            // 127.0.0.2: a longer path for 10.0.0.0/24 and a prefix of its own; 127.0.0.3: a shorter path.
            TestTable a = TestTable.of(new TestTable.Row("10.0.0.0/24", new long[] {64500, 1, 2, 3}, "IGP", -1),
                    new TestTable.Row("10.0.1.0/24", new long[] {64500, 7}, "IGP", -1));
            TestTable b = TestTable.of(new TestTable.Row("10.0.0.0/24", new long[] {64501, 9}, "IGP", 50));
            open.push(TestSpeaker.connect(a, dir, 64500, "127.0.0.2", bgp));
            TestSpeaker speakerB = TestSpeaker.connect(b, dir, 64501, "127.0.0.3", bgp);
            Peer pa = awaitTable(daemon, "127.0.0.2", a.size());
            Peer pb = awaitTable(daemon, "127.0.0.3", b.size());
            assertNotNull(pa.locRibFeed());

            Await.until("the Loc-RIB's best is 127.0.0.3's shorter path", WAIT,
                    () -> "127.0.0.3".equals(best(daemon, "10.0.0.0/24")), () -> lookup(daemon, "10.0.0.0/24").toString());
            JsonNode paths = lookup(daemon, "10.0.0.0/24").at("/prefixes/0/paths");
            assertEquals(2, paths.size());
            assertTrue(paths.get(0).get("best").asBoolean());
            assertFalse(paths.get(1).get("best").asBoolean());
            assertEquals("[64501,9]", paths.get(0).get("path").toString());
            assertEquals("127.0.0.2", best(daemon, "10.0.1.0/24"));

            Await.until("best-path events for both prefixes", WAIT, () -> locRibEvents(only).size() >= 2);
            JsonNode first = locRibEvents(only).stream()
                    .filter(e -> e.at("/prefix").asText().equals("10.0.0.0/24")
                            && e.at("/peer").asText().equals("127.0.0.3"))
                    .findFirst().orElseThrow(() -> new AssertionError("no best event for 127.0.0.3: " + locRibEvents(only)));
            assertEquals("best", first.at("/action").asText());
            assertEquals("ipv4-unicast", first.at("/afi_safi").asText());
            assertEquals("64501", first.at("/peer_asn").asText());
            assertEquals("[64501,9]", first.at("/path").toString());
            assertEquals(50, first.at("/med").asInt());
            assertEquals("127.0.0.3", first.at("/next_hop").asText());
            assertTrue(EventLines.read(only).stream().allMatch(e -> e.at("/type").asText().equals("LOC_RIB")),
                    "a loc-rib: only sink gets best-path events alone");
            assertTrue(EventLines.any(all, e -> e.at("/type").asText().equals("UPDATE")));
            assertTrue(EventLines.any(all, e -> e.at("/type").asText().equals("LOC_RIB")));

            // 127.0.0.3 goes away: its routes are withdrawn and the best moves to 127.0.0.2.
            speakerB.close();
            Await.until("127.0.0.3 down and flushed", WAIT, () -> pb.rib().size() == 0, pb::toString);
            Await.until("the best moved to 127.0.0.2", WAIT, () -> "127.0.0.2".equals(best(daemon, "10.0.0.0/24")),
                    () -> lookup(daemon, "10.0.0.0/24").toString());
            Await.until("a best-path event for the move", WAIT, () -> locRibEvents(only).stream()
                    .anyMatch(e -> e.at("/prefix").asText().equals("10.0.0.0/24")
                            && e.at("/peer").asText().equals("127.0.0.2")
                            && e.at("/previous_peer").asText().equals("127.0.0.3")));
            assertEquals(2, daemon.peers().locRib().size(io.ribbit.codec.nlri.AfiSafi.IPV4_UNICAST));

            String metrics = Http.get(daemon.httpAddress(), "/metrics").body();
            assertTrue(metrics.contains("ribbit_loc_rib_prefixes{afi_safi=\"ipv4-unicast\",instance=\"locrib\"} 2.0"), metrics);
            assertTrue(metrics.contains("ribbit_loc_rib_best_changes_total"), metrics);
            assertTrue(metrics.contains("ribbit_loc_rib_pending"), metrics);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static Peer awaitTable(Daemon d, String ip, int routes) throws Exception {
        Peer p = d.peers().peer(InetAddress.getByName(ip));
        assertNotNull(p, ip);
        Await.until("Established with " + ip, WAIT, () -> p.state() == SessionState.ESTABLISHED, p::toString);
        Await.until(routes + " routes from " + ip, WAIT, () -> p.rib().size() == routes, p::toString);
        return p;
    }

    private static JsonNode lookup(Daemon d, String prefix) {
        try {
            return JSON.readTree(Http.get(d.httpAddress(), "/api/routes?prefix=" + prefix).body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The peer whose path the API marks best, or null. */
    private static String best(Daemon d, String prefix) {
        JsonNode paths = lookup(d, prefix).at("/prefixes/0/paths");
        for (JsonNode p : paths) {
            if (p.get("best").asBoolean()) {
                return p.get("peer").asText();
            }
        }
        return null;
    }

    private static List<JsonNode> locRibEvents(Path file) {
        return EventLines.of(file, "LOC_RIB");
    }
}
