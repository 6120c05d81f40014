package io.ribbit.collector.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code ribbit} command line through {@link Main#run} (what the jar's main calls, minus System.exit). */
@Timeout(60)
class MainTest {
    private record Run(int exit, String out, String err) {
    }

    private static synchronized Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    @DisplayName("--version prints one line naming ribbit and the Java version, exit 0")
    void version() {
        Run r = run("--version");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(1, lines.size(), r.out());
        assertTrue(lines.get(0).matches("ribbit \\S.* \\(Java " + java.util.regex.Pattern.quote(
                System.getProperty("java.version")) + "\\)"), lines.get(0));
    }

    @Test
    @DisplayName("decode --sample prints the bundled session as 47 JSON lines: OPEN, KEEPALIVE, 45 UPDATEs")
    void decodeSample() throws Exception {
        Run r = run("decode", "--sample");
        assertEquals(0, r.exit(), r.err());
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String l : r.out().split("\n")) {
            if (!l.isBlank()) {
                lines.add(json.readTree(l));
            }
        }
        assertEquals(47, lines.size());
        assertEquals("OPEN", lines.get(0).get("type").asText());
        assertEquals("KEEPALIVE", lines.get(1).get("type").asText());
        assertEquals(45, lines.stream().filter(n -> "UPDATE".equals(n.get("type").asText())).count());
    }

    @Test
    @DisplayName("an unknown subcommand is a usage error (exit 2), not an exit of the JVM")
    void unknownCommand() {
        Run r = run("frobnicate");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("frobnicate"), r.err());
    }
}
