package io.ribbit.collector.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ribbit.codec.attr.Aggregator;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.ClusterList;
import io.ribbit.codec.attr.Communities;
import io.ribbit.codec.attr.ExtendedCommunities;
import io.ribbit.codec.attr.LargeCommunities;
import io.ribbit.codec.attr.Origin;
import io.ribbit.codec.attr.Uint32Attribute;
import io.ribbit.codec.attr.UnknownAttribute;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.codec.text.FieldWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Values written as raw JSON ({@link RawFieldWriter}, {@link MessageJson#writePrefixArray}) read
 * exactly as Jackson's generator writes them element by element.
 */
class RawJsonTest {
    /** What {@code value} writes through Jackson's generator, value by value. */
    private static String viaJackson(Consumer<FieldWriter> value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("v");
            value.accept(new JsonFieldWriter(g));
            g.writeFieldName("after");
            g.writeNumber(1);
            g.writeEndObject();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The same, with the value written by {@link RawFieldWriter} and handed over as one raw value. */
    private static String viaRaw(Consumer<FieldWriter> value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RawJson raw = new RawJson();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("v");
            value.accept(new RawFieldWriter().into(raw.reset()));
            g.writeRawValue(raw);
            g.writeFieldName("after");
            g.writeNumber(1);
            g.writeEndObject();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void same(Consumer<FieldWriter> value) throws IOException {
        String expected = viaJackson(value);
        assertEquals(expected, viaRaw(value));
        new ObjectMapper().readTree(expected); // and it is JSON
    }

    @Test
    void everyAttributeValueReadsAsTheGeneratorWritesIt() throws IOException {
        AsPath path = AsPath.of(AttributeCode.AS_PATH, List.of(
                new AsPath.Segment(AsPath.AS_CONFED_SEQUENCE, new long[] {65001, 65002}),
                new AsPath.Segment(AsPath.AS_CONFED_SET, new long[] {65010, 65009}),
                new AsPath.Segment(AsPath.AS_SEQUENCE, new long[] {3356, 4294967295L, 0, 174}),
                new AsPath.Segment(AsPath.AS_SET, new long[] {64500, 13335, 4200000000L})));
        same(path::format);
        same(path::formatConfederation);
        same(AsPath.EMPTY::format);
        Communities c = Communities.of(0x0d1c0064, Communities.NO_EXPORT, Communities.BLACKHOLE, 0);
        same(c::format);
        same(c::formatNames);
        same(Communities.of()::format);
        same(LargeCommunities.of(4200000000L, 4294967295L, 0, 3356, 1, 2)::format);
        same(ExtendedCommunities.of(0x0002fde800000064L, 0x0102c0000201fde8L, 0x4300000000000001L, 0x8008fde800000064L)::format);
        same(new UnknownAttribute(0xc0, 99, new byte[] {1, 2, (byte) 0xff})::format);
        same(Origin.valueOf(2)::format);
        same(new Uint32Attribute(AttributeCode.MULTI_EXIT_DISC, 4294967295L)::format);
        same(new ClusterList(new int[] {0xc0000201, -1})::format);
        same(new Aggregator(AttributeCode.AGGREGATOR, 4200000000L, 0xc0000201)::format);
    }

    @Test
    void stringsAreEscapedAsTheGeneratorEscapesThem() throws IOException {
        same(w -> w.startObject().name("q\"uote\\").value("tab\tnew\nline\u0001 é ☃ 😀").name("n").value((String) null)
                .name("t").value(true).name("f").value(false).name("neg").value(-42L).name("u").valueUnsigned(-1)
                .name("nested").startArray().startObject().endObject().startArray().endArray().value(0L).endArray()
                .endObject());
        same(w -> w.hex(new byte[] {0, (byte) 0xab}));
    }

    @Test
    void deepNestingGrowsTheStack() throws IOException {
        same(w -> {
            for (int i = 0; i < 40; i++) {
                w.startArray().value(i);
            }
            for (int i = 0; i < 40; i++) {
                w.endArray();
            }
        });
    }

    private static String prefixArray(PrefixList p) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartArray();
            MessageJson.writePrefixArray(g, p);
            MessageJson.writePrefixArray(g, p); // again: the bytes kept from the first time
            g.writeEndArray();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String expected(PrefixList p) {
        StringBuilder one = new StringBuilder("[");
        for (int i = 0; i < p.size(); i++) {
            one.append(i > 0 ? "," : "").append('"').append(p.prefix(i)).append('"');
        }
        one.append(']');
        return "[" + one + "," + one + "]";
    }

    @Test
    void prefixArraysListEveryPrefixAndEachListGetsItsOwn() throws IOException {
        SplittableRandom r = new SplittableRandom(5);
        for (int round = 0; round < 200; round++) {
            int n = r.nextInt(0, 40);
            long[] v4 = new long[n];
            for (int i = 0; i < n; i++) {
                int len = r.nextInt(0, 33);
                int addr = len == 0 ? 0 : r.nextInt() & (int) (0xffffffffL << (32 - len));
                v4[i] = PrefixList.packIpv4(addr, len);
            }
            PrefixList a = new PrefixList(AfiSafi.IPV4_UNICAST, n, v4, null, null, null);
            long[] words = new long[3 * (n % 5)];
            for (int i = 0; i < n % 5; i++) {
                int len = r.nextInt(0, 65);
                words[3 * i] = len == 0 ? 0 : r.nextLong() & (-1L << (64 - len));
                words[3 * i + 2] = len;
            }
            PrefixList b = new PrefixList(AfiSafi.IPV6_UNICAST, n % 5, words, null, null, null);
            // alternating lists: each is formatted from its own prefixes, never the previous list's
            assertEquals(expected(a), prefixArray(a));
            assertEquals(expected(b), prefixArray(b));
            assertEquals(expected(a), prefixArray(a));
        }
    }

    /** A value longer than the generator's buffer (an extended message's 16k prefixes, a long community list). */
    @Test
    void valuesLongerThanTheGeneratorsBuffer() throws IOException {
        int n = 16_000;
        long[] v4 = new long[n];
        for (int i = 0; i < n; i++) {
            v4[i] = PrefixList.packIpv4(0x0a000000 | i << 8, 24);
        }
        PrefixList p = new PrefixList(AfiSafi.IPV4_UNICAST, n, v4, null, null, null);
        String got = prefixArray(p);
        assertEquals(expected(p), got);
        assertEquals(2 * n, new ObjectMapper().readTree(got).get(0).size() + new ObjectMapper().readTree(got).get(1).size());
        int[] values = new int[4_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = 0xfde80000 | i;
        }
        same(Communities.of(values)::format);
    }
}
