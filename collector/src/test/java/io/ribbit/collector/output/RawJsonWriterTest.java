package io.ribbit.collector.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.Unpooled;
import io.ribbit.codec.SessionOptions;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.MpReachNlri;
import io.ribbit.codec.attr.MpUnreachNlri;
import io.ribbit.codec.attr.PathAttribute;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.attr.UpdateDecodeContext;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.MessageCodec;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.mrt.Mrt;
import io.ribbit.codec.mrt.MrtReader;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.codec.text.FieldWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link RawJsonWriter} must write exactly what Jackson's generator writes for the same calls:
 * checked value by value over every UPDATE of real MRT captures (each attribute's value, the AS
 * path, every prefix list), and for the odd strings the captures do not have.
 */
class RawJsonWriterTest {
    private static final JsonFactory JSON = new JsonFactory();

    /** What Jackson writes for {@code f}'s calls (one root value). */
    private static String jackson(Consumer<FieldWriter> f) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            f.accept(new JsonFieldWriter(g));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** What the raw writer writes for the same calls, as Jackson embeds it (a raw value). */
    private static String raw(RawJsonWriter w, Consumer<FieldWriter> f) {
        f.accept(w.reset());
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeRawValue(w);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void same(RawJsonWriter w, Consumer<FieldWriter> f, String what) {
        assertEquals(jackson(f), raw(w, f), what);
    }

    @Test
    void nestedValuesStringsAndNumbers() {
        RawJsonWriter w = new RawJsonWriter();
        same(w, x -> x.startArray().endArray(), "empty array");
        same(w, x -> x.startObject().endObject(), "empty object");
        same(w, x -> x.startArray().startArray().value(1).value(-2).endArray().startArray().endArray()
                .value(Long.MAX_VALUE).value(Long.MIN_VALUE).valueUnsigned(-1).endArray(), "numbers");
        same(w, x -> x.startObject().name("a").value(true).name("b").value(false).name("c").startArray()
                .value("x").startObject().name("d").value(0).endObject().endArray().name("e").value("").endObject(),
                "object");
        // One odd character per string: the first one decides how the whole string is written.
        for (String odd : List.of("quote \"", "back\\slash", "tab\t", "nul\0", "del\u007f", "Zürich", "☃",
                "\uD83D\uDC38", "\u2028\u2029", "</script>", "~ plain ASCII !")) {
            same(w, x -> x.startArray().value(odd).value(odd + odd).endArray(), "string " + odd);
        }
        same(w, x -> x.startObject().name("ключ \"q\"").value(1).endObject(), "a name that needs escaping");
        same(w, x -> x.value("top level"), "one string");
        same(w, x -> x.hex(new byte[] {0, (byte) 0xff, 0x10}), "hex");
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            big.append("ab\"");
        }
        same(w, x -> x.startArray().value(big.toString()).value(big.toString()).endArray(), "values past the buffer");
    }

    @Test
    void misuseIsAnErrorNotBadJson() {
        RawJsonWriter w = new RawJsonWriter();
        assertThrows(IllegalStateException.class, () -> w.reset().endArray());
        assertThrows(IllegalStateException.class, () -> {
            w.reset();
            for (int i = 0; i < 100; i++) {
                w.startArray();
            }
        });
    }

    @Test
    void sameAsJacksonOverRealUpdates() throws IOException {
        RawJsonWriter w = new RawJsonWriter();
        StringBuilder scratch = new StringBuilder();
        UpdateDecodeContext ctx = new UpdateDecodeContext();
        int updates = 0;
        int values = 0;
        for (String f : List.of("mrt/libbgpstream/ris.rrc06.updates.1427846400.gz",
                "mrt/libbgpstream/routeviews.route-views.jinx.updates.1427846400.bz2",
                "mrt/mrtparse/bird6-mrtdump_bgp.mrt", "mrt/bgpkit/rrc03-updates.20100227.1600.first-796-records.gz")) {
            try (MrtReader r = MrtReader.open(testData(f))) {
                for (Mrt.Record rec; (rec = r.next()) != null; ) {
                    if (!(rec instanceof Mrt.Bgp4mpMessage m) || m.addPath() || m.messageType() != 2) {
                        continue;
                    }
                    BgpMessage msg = MessageCodec.decode(Unpooled.wrappedBuffer(m.message()),
                            m.as4() ? SessionOptions.AS4 : SessionOptions.DEFAULT, ctx);
                    if (!(msg instanceof UpdateMessage u)) {
                        continue;
                    }
                    updates++;
                    PathAttributes a = u.attributes();
                    for (int i = 0; i < a.size(); i++) {
                        PathAttribute v = a.get(i);
                        same(w, v::format, f + ": attribute " + v.code());
                        values++;
                    }
                    AsPath path = a.asPath();
                    if (path != null) {
                        same(w, path::format, f + ": path");
                        same(w, path::formatConfederation, f + ": confed_path");
                    }
                    values += prefixes(w, scratch, u.nlri(), f);
                    values += prefixes(w, scratch, u.withdrawn(), f);
                    MpReachNlri reach = u.mpReach();
                    if (reach != null && reach.nlri() instanceof PrefixList p) {
                        values += prefixes(w, scratch, p, f);
                    }
                    MpUnreachNlri unreach = u.mpUnreach();
                    if (unreach != null && unreach.nlri() instanceof PrefixList p) {
                        values += prefixes(w, scratch, p, f);
                    }
                }
            }
        }
        assertTrue(updates > 3_000 && values > 20_000, updates + " UPDATEs, " + values + " values compared");
    }

    private static int prefixes(RawJsonWriter w, StringBuilder scratch, PrefixList p, String file) {
        if (p.isEmpty()) {
            return 0;
        }
        String expected = jackson(x -> {
            x.startArray();
            for (int i = 0; i < p.size(); i++) {
                x.value(p.prefix(i));
            }
            x.endArray();
        });
        w.reset().startArray();
        for (int i = 0; i < p.size(); i++) {
            w.prefix(p, i, scratch);
        }
        w.endArray();
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeRawValue(w);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(expected, out.toString(), file + ": " + p.afiSafi() + " prefixes");
        return p.size();
    }

    private static Path testData(String relative) {
        Path root = Path.of(System.getProperty("ribbit.testdata", "../../shared/testdata"));
        Path f = root.resolve(relative);
        Assumptions.assumeTrue(Files.isReadable(f), "shared test data not found: " + f);
        return f;
    }
}
