package io.ribbit.collector.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ribbit.codec.attr.AddressAttribute;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.Origin;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.collector.config.EventSinkConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The writer thread's serialization: one line per event, generators reused across events. */
class EventBusTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static UpdateMessage update(long... packedPrefixes) {
        PathAttributes a = PathAttributes.of(Origin.valueOf(0), AsPath.sequence(3356, 13335),
                new AddressAttribute(AttributeCode.NEXT_HOP, 0xc0000201));
        return UpdateMessage.of(PrefixList.empty(AfiSafi.IPV4_UNICAST), a,
                new PrefixList(AfiSafi.IPV4_UNICAST, packedPrefixes.length, packedPrefixes, null, null, null));
    }

    @Test
    void eachEventIsOneLineAndAFailedEventDoesNotCorruptTheNext() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EventBus bus = new EventBus("host-a", List.of(EventSink.of(new EventSinkConfig(EventSinkConfig.Type.STDOUT,
                null, false, 0), out)), 1000);
        JsonValue failing = g -> {
            g.writeStartObject();
            g.writeFieldName("half");
            throw new IllegalStateException("fails mid-event on purpose");
        };
        try {
            bus.publish(new Event(1_795_335_573_000_001L, "192.0.2.1", 3356, "UPDATE",
                    update(PrefixList.packIpv4(0x01020300, 24), PrefixList.packIpv4(0, 0),
                            PrefixList.packIpv4(0xffffffff, 32)), null, null, null), null);
            bus.publish(new Event(5L, "192.0.2.1", 3356, "PEER_ALERT", null, null, null,
                    Map.of("x", failing)), null);
            bus.publish(new Event(1_795_335_574_123_456L, "192.0.2.2", 174, "UPDATE",
                    update(PrefixList.packIpv4(0x0a000000, 8)), null, null, null), null);
        } finally {
            bus.close();
        }
        String text = out.toString(StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        assertEquals(2, lines.length, text);
        assertTrue(text.endsWith("\n"));
        JsonNode first = JSON.readTree(lines[0]).get("data");
        assertTrue(lines[0].contains("\"timestamp\":1795335573.000001,"), lines[0]);
        assertEquals("[\"1.2.3.0/24\",\"0.0.0.0/0\",\"255.255.255.255/32\"]",
                first.get("announcements").get(0).get("prefixes").toString());
        JsonNode second = JSON.readTree(lines[1]).get("data");
        assertTrue(lines[1].contains("\"timestamp\":1795335574.123456,"), lines[1]);
        assertEquals("192.0.2.2", second.get("peer").asText());
        // The envelope: ids are peer-sequence (hex), the ASN a string (RIS Live's forms).
        assertEquals("ris_message", JSON.readTree(lines[0]).get("type").asText());
        assertEquals("host-a", first.get("host").asText());
        assertEquals("3356", first.get("peer_asn").asText());
        assertEquals("192.0.2.1-1", first.get("id").asText());
        assertEquals("174", second.get("peer_asn").asText());
        assertEquals("192.0.2.2-3", second.get("id").asText());
        assertEquals("[\"10.0.0.0/8\"]", second.get("announcements").get(0).get("prefixes").toString());
    }

    /**
     * Peers publish from their own loops; the writer numbers the events as it writes them, so the
     * ids in the output increase by one, line after line, however the producers interleave (with
     * the number taken by each producer, one that was overtaken between taking it and queueing the
     * event left its line out of order).
     */
    @Test
    void idsIncreaseInTheOrderTheLinesAreWritten() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EventBus bus = new EventBus("host-a", List.of(EventSink.of(new EventSinkConfig(EventSinkConfig.Type.STDOUT,
                null, false, 0), out)), 1_000_000);
        int perThread = 20_000;
        List<Thread> producers = new java.util.ArrayList<>();
        try {
            for (String peer : List.of("192.0.2.1", "192.0.2.2", "192.0.2.3")) {
                Thread t = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        bus.publish(new Event(i, peer, 3356, "KEEPALIVE", null, null, null, null), null);
                    }
                });
                producers.add(t);
                t.start();
            }
            for (Thread t : producers) {
                t.join();
            }
        } finally {
            bus.close();
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3 * perThread, lines.length);
        for (int i = 0; i < lines.length; i++) {
            String id = JSON.readTree(lines[i]).get("data").get("id").asText();
            assertEquals(Long.toHexString(i + 1), id.substring(id.lastIndexOf('-') + 1), "line " + (i + 1) + ": " + id);
        }
    }

    @Test
    void idSequenceIsWrittenAsLongToHexStringWouldWriteIt() {
        for (long v : new long[] {0, 1, 9, 10, 15, 16, 255, 0x1234_5678_9abcL, Long.MAX_VALUE, -1, Long.MIN_VALUE}) {
            byte[] b = new byte[20];
            int end = EventJson.appendHex(b, 2, v);
            assertEquals(Long.toHexString(v), new String(b, 2, end - 2, java.nio.charset.StandardCharsets.US_ASCII));
        }
    }
}
