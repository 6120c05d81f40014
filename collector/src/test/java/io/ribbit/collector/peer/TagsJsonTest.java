package io.ribbit.collector.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ribbit.codec.attr.AddressAttribute;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.MpReachNlri;
import io.ribbit.codec.attr.Origin;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.rib.ImportChecks;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The {@code tags} field as events carry it (docs/events.md). */
class TagsJsonTest {
    private static String json(ImportChecks.Tags tags) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(); // UTF-8 bytes, as the event writer
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            new TagsJson(tags).write(g);
            g.writeEndObject();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static long v4(int a, int b, int c, int d, int len) {
        return PrefixList.packIpv4(a << 24 | b << 16 | c << 8 | d, len);
    }

    private static ImportChecks.Bound bound() throws Exception {
        return ImportChecks.DEFAULT.bind(64512, 3356, InetAddress.getByName("192.0.2.10"));
    }

    /**
     * Per failed check in the checks' order, the prefixes that failed it in wire order (NLRI field,
     * then MP_REACH_NLRI): a check the attributes fail (next-hop) lists every announced prefix, a
     * prefix check only its own.
     */
    @Test
    void eachCheckListsItsPrefixesInOrder() throws Exception {
        long[] nlri = {v4(1, 1, 1, 0, 24), v4(10, 1, 0, 0, 16), v4(1, 1, 1, 128, 25), v4(192, 168, 1, 0, 24)};
        PrefixList v4 = new PrefixList(AfiSafi.IPV4_UNICAST, nlri.length, nlri, null, null, null);
        PathAttributes a = PathAttributes.of(Origin.valueOf(0), AsPath.sequence(new long[] {3356, 13335}),
                new AddressAttribute(AttributeCode.NEXT_HOP, 0xc6336401)); // 198.51.100.1: not the peer
        UpdateMessage u = UpdateMessage.of(PrefixList.empty(AfiSafi.IPV4_UNICAST), a, v4);
        assertEquals("{\"tags\":["
                + "{\"check\":\"bogon-prefix\",\"action\":\"tag\",\"prefixes\":[\"10.1.0.0/16\",\"192.168.1.0/24\"]},"
                + "{\"check\":\"long-prefix\",\"action\":\"tag\",\"prefixes\":[\"1.1.1.128/25\"]},"
                + "{\"check\":\"next-hop\",\"action\":\"tag\",\"prefixes\":"
                + "[\"1.1.1.0/24\",\"10.1.0.0/16\",\"1.1.1.128/25\",\"192.168.1.0/24\"]}]}",
                json(bound().evaluate(u)));
    }

    @Test
    void mpReachPrefixesFollowTheNlriField() throws Exception {
        long[] nlri = {v4(10, 0, 0, 0, 8)};
        PrefixList v4 = new PrefixList(AfiSafi.IPV4_UNICAST, nlri.length, nlri, null, null, null);
        // 2001:db8::/32 (documentation), 2a00:1450::/32, fc00::/7 (unique local): high 64 bits, low, length
        long[] words = {0x20010db800000000L, 0, 32, 0x2a00145000000000L, 0, 32, 0xfc00000000000000L, 0, 7};
        PrefixList v6 = new PrefixList(AfiSafi.IPV6_UNICAST, 3, words, null, null, null);
        PathAttributes a = PathAttributes.of(Origin.valueOf(0), AsPath.sequence(new long[] {3356, 13335}),
                new AddressAttribute(AttributeCode.NEXT_HOP, 0xc000020a), // 192.0.2.10: the peer
                new MpReachNlri(AfiSafi.IPV6_UNICAST, InetAddress.getByName("2a00:1450::10").getAddress(), v6));
        UpdateMessage u = UpdateMessage.of(PrefixList.empty(AfiSafi.IPV4_UNICAST), a, v4);
        assertEquals("{\"tags\":[{\"check\":\"bogon-prefix\",\"action\":\"tag\",\"prefixes\":"
                + "[\"10.0.0.0/8\",\"2001:db8::/32\",\"fc00::/7\"]}]}", json(bound().evaluate(u)));
    }

    /** An UPDATE with only MP_REACH_NLRI whose path fails: every prefix of the list, per failed check. */
    @Test
    void aPathCheckListsEveryMpReachPrefix() throws Exception {
        long[] words = {0x2a00145000000000L, 0, 32, 0x2a00145000010000L, 0, 48};
        PrefixList v6 = new PrefixList(AfiSafi.IPV6_UNICAST, 2, words, null, null, null);
        PathAttributes a = PathAttributes.of(Origin.valueOf(0), AsPath.sequence(new long[] {3356, 64512, 13335}),
                new MpReachNlri(AfiSafi.IPV6_UNICAST, InetAddress.getByName("2a00:1450::10").getAddress(), v6));
        UpdateMessage u = UpdateMessage.of(PrefixList.empty(AfiSafi.IPV4_UNICAST), a, PrefixList.empty(AfiSafi.IPV4_UNICAST));
        // 64512, our AS, is also a private ASN: two path checks, the same list twice
        assertEquals("{\"tags\":[{\"check\":\"bogon-asn\",\"action\":\"tag\",\"prefixes\":"
                + "[\"2a00:1450::/32\",\"2a00:1450:1::/48\"]},{\"check\":\"as-path-loop\",\"action\":\"tag\","
                + "\"prefixes\":[\"2a00:1450::/32\",\"2a00:1450:1::/48\"]}]}", json(bound().evaluate(u)));
    }
}
