package io.ribbit.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.collector.config.ConfigLoader;
import io.ribbit.collector.peer.Peer;
import io.ribbit.rib.Route;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Import checks over a real session: rejected routes are not stored, tagged ones are, both in events and metrics. */
class ImportChecksDaemonTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    @DisplayName("import checks: bogon prefix rejected, long prefix / bogon ASN / loop tagged; events and metrics say so")
    void rejectAndTag() throws Exception {
        Path events = dir.resolve("events.jsonl");
        String yaml = "name: checks\nrouter-id: 192.0.2.1\nlocal-as: 64512\nlisten: [\"127.0.0.1:0\"]\n"
                + "neighbors:\n  - address: 127.0.0.71\n    remote-as: 174\n    families: [ipv4-unicast]\n"
                + "    import-checks:\n      bogon-prefix: reject\n      next-hop: tag\n"
                + "events:\n  - type: file\n    path: \"" + events + "\"\n";
        TestTable t = TestTable.of(
                new TestTable.Row("10.9.0.0/24", new long[] {174, 3356}, "IGP", 0),
                new TestTable.Row("1.0.0.0/24", new long[] {174, 3356}, "IGP", 1),
                new TestTable.Row("1.0.1.0/25", new long[] {174, 3356}, "IGP", 2),
                new TestTable.Row("1.0.2.0/24", new long[] {174, 64999}, "IGP", 3),
                new TestTable.Row("1.0.3.0/24", new long[] {174, 3356, 174}, "IGP", 4));
        try (Daemon d = new Daemon(ConfigLoader.parse(yaml, "checks.yaml"))) {
            d.start();
            try (TestSpeaker s = TestSpeaker.connect(t, dir, 174, "127.0.0.71", d.peers().listenAddresses().get(0))) {
                Peer p = d.peers().peer(InetAddress.getByName("127.0.0.71"));
                Await.until("4 routes stored, the bogon rejected", WAIT,
                        () -> p.rib().size() == 4 && counter(d, "bogon-prefix", "reject") == 1, p::toString);
                Map<String, Route> rib = new HashMap<>();
                p.rib().forEach(AfiSafi.IPV4_UNICAST, (k, r) -> rib.put(k.prefix(), r));
                assertNull(rib.get("10.9.0.0/24"), "rejected: not in the Adj-RIB-In");
                assertTrue(rib.containsKey("1.0.0.0/24") && rib.containsKey("1.0.1.0/25"));
                assertEquals(1, counter(d, "long-prefix", "tag"));
                assertEquals(1, counter(d, "bogon-asn", "tag"));
                assertEquals(1, counter(d, "as-path-loop", "tag"));
                assertEquals(0, counter(d, "next-hop", "tag"), "next hop is the peer's own address");

                Await.until("tagged UPDATE events written", WAIT, () -> EventLines.of(events, "UPDATE").stream()
                        .filter(e -> e.has("tags")).count() == 4);
                Map<String, String> checkOf = new HashMap<>();
                for (JsonNode e : EventLines.of(events, "UPDATE")) {
                    for (JsonNode tag : e.path("tags")) {
                        for (JsonNode prefix : tag.path("prefixes")) {
                            checkOf.put(prefix.asText(), tag.path("check").asText() + "/" + tag.path("action").asText());
                        }
                    }
                }
                assertEquals(Map.of("10.9.0.0/24", "bogon-prefix/reject", "1.0.1.0/25", "long-prefix/tag",
                        "1.0.2.0/24", "bogon-asn/tag", "1.0.3.0/24", "as-path-loop/tag"), checkOf);
                assertEquals(List.of(), EventLines.of(events, "UPDATE").stream()
                        .filter(e -> e.toString().contains("1.0.0.0/24") && e.has("tags")).toList(), "clean route untagged");
            }
        }
    }

    private static double counter(Daemon d, String check, String action) {
        var c = d.registry().find("ribbit.peer.import.check.routes").tags("check", check, "action", action).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void badCheckValueNamesKeyAndLine() {
        String yaml = "name: x\nrouter-id: 192.0.2.1\nlocal-as: 64512\nneighbors:\n  - address: 127.0.0.72\n"
                + "    remote-as: 174\n    import-checks:\n      bogon-prefix: drop\n      max-length-v4: 40\n";
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.ribbit.collector.config.ConfigException.class,
                () -> ConfigLoader.parse(yaml, "bad.yaml"));
        assertTrue(e.getMessage().contains("bad.yaml:8: neighbors[0].import-checks.bogon-prefix: must be off, tag or reject"),
                e.getMessage());
        assertTrue(e.getMessage().contains("neighbors[0].import-checks.max-length-v4"), e.getMessage());
    }
}
