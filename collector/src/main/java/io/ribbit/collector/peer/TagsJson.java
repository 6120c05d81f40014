package io.ribbit.collector.peer;

import com.fasterxml.jackson.core.JsonGenerator;
import io.ribbit.collector.event.JsonValue;
import io.ribbit.collector.output.MessageJson;
import io.ribbit.rib.ImportCheck;
import io.ribbit.rib.ImportChecks;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An UPDATE event's {@code tags} field (docs/events.md): per failed import check, its action and
 * the prefixes that failed it. Written on the event writer's thread, straight from the UPDATE's
 * prefix lists (one pass to find the failed checks, one per failed check for its prefixes).
 */
record TagsJson(ImportChecks.Tags tags) implements JsonValue {
    private static final ImportCheck[] CHECKS = ImportCheck.values();

    @Override
    public void write(JsonGenerator g) throws IOException {
        int[] failed = new int[1];
        tags.forEach((p, i, mask) -> failed[0] |= mask);
        g.writeStartArray();
        for (ImportCheck c : CHECKS) {
            int bit = c.bit();
            if ((failed[0] & bit) == 0) {
                continue;
            }
            g.writeStartObject();
            g.writeStringField("check", c.key());
            g.writeStringField("action", tags.bound().rejects(bit) ? "reject" : "tag");
            g.writeArrayFieldStart("prefixes");
            try {
                tags.forEach((p, i, mask) -> {
                    if ((mask & bit) != 0) {
                        try {
                            MessageJson.writePrefix(g, p, i);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
