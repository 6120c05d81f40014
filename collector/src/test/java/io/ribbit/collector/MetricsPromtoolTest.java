package io.ribbit.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ribbit.collector.config.ConfigLoader;
import io.ribbit.collector.peer.Peer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code /metrics} scrape of a running daemon with real sessions, checked by Prometheus' own
 * linter ({@code promtool check metrics}, Debian package {@code prometheus}) and for the per-peer
 * series; a dynamic neighbor's series disappear once it has gone.
 */
@Timeout(180)
class MetricsPromtoolTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @TempDir
    Path dir;

    private static Path promtool() {
        if (Files.isExecutable(PROMTOOL)) {
            return PROMTOOL;
        }
        String msg = "promtool not found at " + PROMTOOL + " (apt-get install prometheus)";
        if ("1".equals(System.getenv("RIBBIT_REQUIRE_DAEMONS"))) {
            fail(msg + " and RIBBIT_REQUIRE_DAEMONS=1");
        }
        Assumptions.abort(msg + "; skipping");
        return null;
    }

    /**
     * Runs {@code promtool check metrics} on the scrape. Counts as a failure: a non-zero exit, and
     * any line it prints (it reports lint problems one per line, on stdout or stderr, and prints
     * nothing when the exposition is clean).
     */
    static void promtoolCheck(Path promtool, String scrape) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try {
            try (OutputStream in = p.getOutputStream()) {
                in.write(scrape.getBytes(StandardCharsets.UTF_8));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream o = p.getInputStream()) {
                o.transferTo(out);
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
            String report = out.toString(StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0 || !report.isEmpty()) {
                fail("promtool check metrics: exit " + p.exitValue() + "\n" + report);
            }
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    @DisplayName("the promtool check fails on what promtool flags (a gauge named *_count), so a pass means something")
    void promtoolCheckCanFail() throws Exception {
        Path promtool = promtool();
        promtoolCheck(promtool, "# HELP ok_things Things.\n# TYPE ok_things gauge\nok_things 1\n");
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> promtoolCheck(
                promtool, "# HELP things_count Things.\n# TYPE things_count gauge\nthings_count 1\n"));
        assertTrue(e.getMessage().contains("_count"), e.getMessage());
    }

    @Test
    @DisplayName("promtool passes the scrape; per-peer series are right; /health and /ready are 200;"
            + " a dynamic neighbor's series are gone after it disconnects")
    void scrape() throws Exception {
        Path promtool = promtool();
        TestTable table = TestTable.generate(300, 11, 64500);
        TestTable small = TestTable.generate(40, 8, 64777);
        String yaml = String.join("\n",
                "name: promtool",
                "router-id: 192.0.2.1",
                "local-as: 64512",
                "listen: [\"127.0.0.1:0\"]",
                "http: \"127.0.0.1:0\"",
                "neighbors:",
                "  - address: 127.0.0.2",
                "    remote-as: 64500",
                "    description: \"feeder \\\"a\\\" (quoted)\"",
                "  - address: 127.0.0.0/24",
                "    remote-as: any",
                "    description: dynamic",
                "events:",
                "  - type: file",
                "    path: \"" + dir.resolve("events.jsonl") + "\"",
                "");
        try (Daemon d = new Daemon(ConfigLoader.parse(yaml, "promtool.yaml"))) {
            d.start();
            InetAddress dyn = InetAddress.getByName("127.0.0.7");
            assertEquals(200, Http.get(d.httpAddress(), "/health").statusCode());
            assertEquals(200, Http.get(d.httpAddress(), "/ready").statusCode());
            try (TestSpeaker a = TestSpeaker.connect(table, dir, 64500, "127.0.0.2", d.peers().listenAddresses().get(0))) {
                Peer pa = d.peers().peer(InetAddress.getByName("127.0.0.2"));
                Await.until("full table from 127.0.0.2", WAIT, () -> pa.rib().size() == table.size(), pa::toString);
                long updates = a.awaitSent(WAIT);
                Peer pb;
                try (TestSpeaker b = TestSpeaker.connect(small, dir, 64777, "127.0.0.7",
                        d.peers().listenAddresses().get(0))) {
                    Await.until("dynamic neighbor 127.0.0.7", WAIT,
                            () -> d.peers().peer(dyn) != null);
                    pb = d.peers().peer(dyn);
                    Await.until("full table from 127.0.0.7", WAIT, () -> pb.rib().size() == small.size(),
                            pb::toString);
                    // The UPDATE counters are bumped on the session's loop: wait until they have caught up.
                    Await.until("End-of-RIB counted", WAIT, () -> scrape(d).value("ribbit_peer_messages_received_total",
                            "peer", "127.0.0.2", "type", "update") == updates + 1);

                    HttpResponse<String> r = Http.get(d.httpAddress(), "/metrics");
                    assertEquals(200, r.statusCode());
                    String type = r.headers().firstValue("content-type").orElse("");
                    assertTrue(type.startsWith("text/plain") && type.contains("version=0.0.4"), type);
                    promtoolCheck(promtool, r.body());
                    MetricsText m = MetricsText.parse(r.body());

                    String[] a1 = {"peer", "127.0.0.2", "peer_as", "64500", "instance", "promtool"};
                    assertEquals(6.0, m.value("ribbit_peer_session_state", a1));
                    assertEquals("feeder \"a\" (quoted)",
                            m.find("ribbit_peer_session_state", a1).get(0).label("description"));
                    assertEquals(table.size(), m.value("ribbit_rib_routes", cat(a1, "afi_safi", "ipv4-unicast")));
                    assertEquals(0.0, m.value("ribbit_rib_routes", cat(a1, "afi_safi", "ipv6-unicast")));
                    assertEquals(updates + 1, m.value("ribbit_peer_messages_received_total", cat(a1, "type", "update")));
                    assertEquals(1.0, m.value("ribbit_peer_messages_received_total", cat(a1, "type", "open")));
                    assertTrue(m.value("ribbit_peer_messages_received_total", cat(a1, "type", "keepalive")) >= 1);
                    assertEquals(0.0, m.value("ribbit_peer_messages_received_total", cat(a1, "type", "notification")));
                    assertEquals(table.size(), m.value("ribbit_peer_prefixes_announced_total", a1));
                    assertEquals(updates + 1, m.value("ribbit_peer_updates_received_total", a1));
                    assertEquals(1.0, m.value("ribbit_peer_messages_sent_total", cat(a1, "type", "open")));
                    assertEquals(1.0, m.value("ribbit_peer_messages_sent_total", cat(a1, "type", "update")),
                            "End-of-RIB for IPv4 unicast");
                    assertEquals(1.0, m.value("ribbit_peer_session_established_total", cat(a1, "direction", "inbound")));
                    assertEquals(1.0, m.value("ribbit_peer_session_transitions_total",
                            cat(a1, "from", "openconfirm", "to", "established")));

                    String[] b1 = {"peer", "127.0.0.7", "peer_as", "any", "description", "dynamic"};
                    assertEquals(6.0, m.value("ribbit_peer_session_state", b1));
                    assertEquals(small.size(), m.value("ribbit_rib_routes", cat(b1, "afi_safi", "ipv4-unicast")));
                    assertEquals(small.size(), m.value("ribbit_peer_prefixes_announced_total", b1));
                    assertTrue(m.find("ribbit_peer_session_state", "peer", "127.0.0.0/24").isEmpty(),
                            "the dynamic range itself has no series");
                    assertEquals(0.0, m.value("ribbit_connections_rejected_total"));
                    assertEquals(0.0, m.value("ribbit_output_sink_errors_total"));
                    assertFalse(m.find("ribbit_output_events_written_total").isEmpty());
                    // Binder meters renamed for promtool (Daemon.prometheusNames).
                    assertTrue(m.value("process_cpu_seconds_total") > 0);
                    assertTrue(m.value("system_cpu_cores") >= 1);
                    assertTrue(m.find("process_cpu_time_ns_total").isEmpty());
                    assertTrue(m.find("system_cpu_count").isEmpty());
                }
                // The dynamic neighbor went away: its series go too; the static peer's stay.
                Await.until("dynamic neighbor's series removed", WAIT,
                        () -> scrape(d).withLabel("peer", "127.0.0.7").isEmpty(),
                        () -> scrape(d).withLabel("peer", "127.0.0.7").toString());
                assertTrue(d.peers().peer(dyn) == null, "dynamic peer forgotten");
                String later = Http.get(d.httpAddress(), "/metrics").body();
                promtoolCheck(promtool, later);
                MetricsText m = MetricsText.parse(later);
                assertEquals(6.0, m.value("ribbit_peer_session_state", "peer", "127.0.0.2"));
                assertEquals(table.size(), m.value("ribbit_rib_routes", "peer", "127.0.0.2", "afi_safi", "ipv4-unicast"));
                List<MetricsText.Sample> gone = m.withLabel("peer", "127.0.0.7");
                assertTrue(gone.isEmpty(), gone.toString());
            }
        }
    }

    private static MetricsText scrape(Daemon d) {
        try {
            return MetricsText.parse(Http.get(d.httpAddress(), "/metrics").body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String[] cat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
