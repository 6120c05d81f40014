package io.ribbit.collector.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The envelope's per-peer fields, kept encoded per peer, follow each event's own peer and AS. */
class EventJsonTest {
    private static JsonNode line(EventJson json, String peer, long as, long seq) throws Exception {
        json.write(new Event(1_795_000_000_123_456L, peer, as, "RIS_PEER_STATE", null, null, null,
                Map.of("state", "connected")), seq);
        String text = new String(json.array(), 0, json.size(), StandardCharsets.UTF_8);
        assertEquals('\n', text.charAt(text.length() - 1));
        return new ObjectMapper().readTree(text).get("data");
    }

    @Test
    void peerAsAndIdFollowEachEvent() throws Exception {
        EventJson json = new EventJson("h", false);
        // Peers interleaved, an AS learnt from the OPEN (0 before), a name that needs escaping, and
        // a new String with the same text (not the same object).
        Object[][] events = {
            {"192.0.2.1", 0L}, {"192.0.2.1", 64500L}, {"2001:db8::1", 4200000000L}, {"192.0.2.1", 64500L},
            {"we\"ird\\peer", 1L}, {new String("192.0.2.1".toCharArray()), 64500L}, {"2001:db8::1", 4200000000L},
        };
        long seq = 0x7fe;
        for (Object[] e : events) {
            String peer = (String) e[0];
            long as = (Long) e[1];
            seq++;
            JsonNode d = line(json, peer, as, seq);
            assertEquals(peer, d.get("peer").asText());
            assertEquals(Long.toString(as), d.get("peer_asn").asText());
            assertEquals(peer + "-" + Long.toHexString(seq), d.get("id").asText());
            assertEquals(1795000000.123456, d.get("timestamp").asDouble(), 1e-6);
            assertEquals("connected", d.get("state").asText());
        }
    }
}
