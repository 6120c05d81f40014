package io.ribbit.collector.peer;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.collector.event.JsonFields;
import io.ribbit.collector.output.MessageJson;
import io.ribbit.rib.ImportCheck;
import io.ribbit.rib.ImportChecks;
import java.io.IOException;

/**
 * An UPDATE event's {@code tags} field (docs/events.md): per failed import check, its action and
 * the prefixes that failed it. Written on the event writer's thread, straight from the UPDATE's
 * prefix lists (one pass per failed check), with no object per event beyond this one.
 */
public record TagsJson(ImportChecks.Tags tags) implements JsonFields {
    private static final ImportCheck[] CHECKS = ImportCheck.values();
    private static final SerializedString TAGS = new SerializedString("tags");
    private static final SerializedString CHECK = new SerializedString("check");
    private static final SerializedString ACTION = new SerializedString("action");
    private static final SerializedString PREFIXES = new SerializedString("prefixes");
    private static final SerializedString REJECT = new SerializedString("reject");
    private static final SerializedString TAG = new SerializedString("tag");
    /** Each check's key, by ordinal, quoted and encoded once. */
    private static final SerializedString[] KEYS = new SerializedString[CHECKS.length];

    static {
        for (ImportCheck c : CHECKS) {
            KEYS[c.ordinal()] = new SerializedString(c.key());
        }
    }

    @Override
    public void write(JsonGenerator g) throws IOException {
        int failed = tags.failed();
        g.writeFieldName(TAGS);
        g.writeStartArray();
        for (ImportCheck c : CHECKS) {
            int bit = c.bit();
            if ((failed & bit) == 0) {
                continue;
            }
            g.writeStartObject();
            g.writeFieldName(CHECK);
            g.writeString(KEYS[c.ordinal()]);
            g.writeFieldName(ACTION);
            g.writeString(tags.bound().rejects(bit) ? REJECT : TAG);
            g.writeFieldName(PREFIXES);
            if ((tags.mp() == null || tags.mp().isEmpty()) && failsAll(tags.nlri(), bit)) {
                MessageJson.writePrefixArray(g, tags.nlri()); // the announcement's array again
            } else if (tags.nlri().isEmpty() && failsAll(tags.mp(), bit)) {
                MessageJson.writePrefixArray(g, tags.mp());
            } else {
                g.writeStartArray();
                writePrefixes(g, tags.nlri(), bit);
                if (tags.mp() != null) {
                    writePrefixes(g, tags.mp(), bit);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** Whether every prefix of {@code p} failed check {@code bit} (the usual case: a path or next-hop check). */
    private boolean failsAll(PrefixList p, int bit) {
        for (int i = 0; i < p.size(); i++) {
            if ((tags.mask(p, i) & bit) == 0) {
                return false;
            }
        }
        return true;
    }

    private void writePrefixes(JsonGenerator g, PrefixList p, int bit) throws IOException {
        byte[] b = MessageJson.prefixBytes();
        for (int i = 0; i < p.size(); i++) {
            if ((tags.mask(p, i) & bit) != 0) {
                MessageJson.writePrefix(g, p, i, b);
            }
        }
    }
}
