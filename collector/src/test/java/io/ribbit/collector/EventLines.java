package io.ribbit.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The JSON-lines event file, read whole each time (the writer appends and flushes when idle). */
public final class EventLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventLines() {
    }

    /** The {@code data} objects of every complete line (a line still being written is left out). */
    public static List<JsonNode> read(Path file) {
        try {
            if (!Files.exists(file)) {
                return List.of();
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            List<JsonNode> out = new ArrayList<>();
            if (end < 0) {
                return out;
            }
            for (String line : text.substring(0, end).split("\n")) {
                JsonNode n = JSON.readTree(line);
                if (!"ris_message".equals(n.path("type").asText())) {
                    throw new AssertionError("not a RIS Live envelope: " + line);
                }
                out.add(n.get("data"));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<JsonNode> of(Path file, String type) {
        return read(file).stream().filter(n -> type.equals(n.path("type").asText())).toList();
    }

    public static boolean any(Path file, Predicate<JsonNode> p) {
        return read(file).stream().anyMatch(p);
    }
}
