package io.ribbit.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.NotificationMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar ({@code java -jar collector/target/ribbit.jar run --config FILE}) as a subprocess:
 * SIGTERM ({@link Process#destroy()} on Linux) is an orderly shutdown: Cease 6/2 with the
 * configured message to the peer, the event file complete, exit code 0.
 */
class SigtermTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SHUTDOWN_MESSAGE = "SIGTERM test: collector going away";

    @TempDir
    Path dir;

    private static Path jar() {
        // Surefire runs in the module directory (collector/); allow the repository root too.
        for (Path p : List.of(Path.of("target", "ribbit.jar"), Path.of("collector", "target", "ribbit.jar"))) {
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath();
            }
        }
        return null;
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, 0));
            return s.getLocalPort();
        }
    }

    @Test
    @Timeout(120)
    @DisplayName("SIGTERM: Cease 6/2 with the shutdown message, events flushed (NOTIFICATION and down/shutdown last),"
            + " exit 0 within 10 s")
    void sigtermIsAnOrderlyShutdown() throws Exception {
        // The packaged jar when it exists; otherwise (surefire runs before `package`) the same main
        // class on the test classpath, still a separate JVM receiving a real SIGTERM.
        Path jar = jar();
        String classpath = System.getProperty("java.class.path", "");
        Assumptions.assumeTrue(jar != null || classpath.contains("picocli"),
                "neither collector/target/ribbit.jar nor a test classpath with the daemon's dependencies");
        int bgpPort = freePort("127.0.0.1");
        int httpPort = freePort("127.0.0.1");
        Path events = dir.resolve("events.jsonl");
        Path config = dir.resolve("ribbit.yaml");
        Files.writeString(config, """
                name: sigterm
                router-id: 192.0.2.1
                local-as: 64512
                listen: ["127.0.0.1:%d"]
                http: "127.0.0.1:%d"
                shutdown-message: "%s"
                neighbors:
                  - address: 127.0.0.41
                    remote-as: 64541
                    mode: passive
                    families: [ipv4-unicast]
                events:
                  - type: file
                    path: "%s"
                """.formatted(bgpPort, httpPort, SHUTDOWN_MESSAGE, events), StandardCharsets.UTF_8);
        Path log = dir.resolve("ribbit.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = jar != null
                ? List.of(java, "-jar", jar.toString(), "run", "--config", config.toString())
                : List.of(java, "-cp", classpath, "io.ribbit.collector.cli.Main", "run", "--config", config.toString());
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        TestSpeaker s = null;
        try {
            InetSocketAddress http = new InetSocketAddress("127.0.0.1", httpPort);
            Await.until("/ready from the subprocess", WAIT, () -> proc.isAlive() && ready(http),
                    () -> "alive " + proc.isAlive() + ", log:\n" + read(log));

            TestTable table = TestTable.generate(50, 10, 64541);
            s = TestSpeaker.connect(table, dir, 64541, "127.0.0.41", new InetSocketAddress("127.0.0.1", bgpPort));
            TestSpeaker sp = s;
            Await.until("connected event", WAIT, () -> EventLines.of(events, "RIS_PEER_STATE").stream()
                    .anyMatch(n -> "connected".equals(n.path("state").asText())), () -> sp.summary() + read(log));
            s.awaitSent(WAIT);
            Await.until("End-of-RIB at the speaker", WAIT, () -> !sp.endOfRibs().isEmpty(), sp::summary);

            proc.destroy(); // SIGTERM
            assertTrue(proc.waitFor(10, TimeUnit.SECONDS), "exit within 10 s of SIGTERM; log:\n" + read(log));
            assertEquals(0, proc.exitValue(), "exit code; log:\n" + read(log));

            NotificationMessage n = s.awaitNotification(WAIT);
            assertEquals(6, n.code(), n.toString());
            assertEquals(2, n.subcode(), n.toString());
            assertEquals(SHUTDOWN_MESSAGE, n.shutdownMessage());
            List<BgpMessage> got = s.received();
            assertEquals(n, got.get(got.size() - 1), "the NOTIFICATION is the last message");

            // The event file is complete: every line whole, the last ones the NOTIFICATION sent and the down event.
            String text = Files.readString(events, StandardCharsets.UTF_8);
            assertTrue(text.endsWith("\n"), "the last line is complete");
            List<JsonNode> all = EventLines.read(events);
            List<String> lastTypes = new ArrayList<>();
            for (JsonNode e : all.subList(Math.max(0, all.size() - 2), all.size())) {
                lastTypes.add(e.path("type").asText());
            }
            assertEquals(List.of("NOTIFICATION", "RIS_PEER_STATE"), lastTypes, all.toString());
            JsonNode note = all.get(all.size() - 2);
            assertEquals("sent", note.get("direction").asText());
            assertEquals(6, note.at("/notification/code").asInt());
            assertEquals(2, note.at("/notification/subcode").asInt());
            assertEquals(SHUTDOWN_MESSAGE, note.at("/notification/shutdown_message").asText());
            JsonNode down = all.get(all.size() - 1);
            assertEquals("127.0.0.41", down.get("peer").asText());
            assertEquals("down", down.get("state").asText());
            assertEquals("shutdown", down.get("reason").asText());
            assertEquals(SHUTDOWN_MESSAGE, down.at("/notification/shutdown_message").asText());
        } finally {
            if (proc.isAlive()) {
                proc.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            if (s != null) {
                s.close();
            }
        }
    }

    private static boolean ready(InetSocketAddress http) {
        try {
            return Http.get(http, "/ready").statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
