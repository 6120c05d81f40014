package io.ribbit.collector.peer;

import com.fasterxml.jackson.core.JsonGenerator;
import io.ribbit.collector.event.JsonValue;
import io.ribbit.rib.ImportCheck;
import io.ribbit.rib.ImportChecks;
import io.ribbit.rib.RouteKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * An UPDATE event's {@code tags} field (docs/events.md): per failed import check, its action and
 * the prefixes that failed it.
 */
record TagsJson(ImportChecks.Tags tags) implements JsonValue {
    @Override
    public void write(JsonGenerator g) throws IOException {
        Map<ImportCheck, List<String>> byCheck = new EnumMap<>(ImportCheck.class);
        tags.forEach((p, i, mask) -> {
            String prefix = RouteKey.of(p, i).prefix();
            for (ImportCheck c : ImportCheck.values()) {
                if ((mask & c.bit()) != 0) {
                    byCheck.computeIfAbsent(c, k -> new ArrayList<>()).add(prefix);
                }
            }
        });
        g.writeStartArray();
        for (Map.Entry<ImportCheck, List<String>> e : byCheck.entrySet()) {
            g.writeStartObject();
            g.writeStringField("check", e.getKey().key());
            g.writeStringField("action", tags.bound().rejects(e.getKey().bit()) ? "reject" : "tag");
            g.writeArrayFieldStart("prefixes");
            for (String p : e.getValue()) {
                g.writeString(p);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
