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
import picocli.CommandLine;

class DecodeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Run(int exit, List<JsonNode> lines) {
    }

    private static Run decode(String... args) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DecodeCommand cmd = new DecodeCommand().output(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int exit = new CommandLine(cmd).execute(args);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : buf.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return new Run(exit, lines);
    }

    @Test
    @DisplayName("--sample decodes the bundled IOS XR session: OPEN, KEEPALIVE and 45 VPN UPDATEs, as pmacct saw them")
    void sample() throws Exception {
        Run r = decode("--sample");
        assertEquals(0, r.exit());
        assertEquals(47, r.lines().size());
        JsonNode open = r.lines().get(0);
        assertEquals("OPEN", open.get("type").asText());
        assertEquals(64969, open.get("asn").asLong());
        assertEquals("10.215.182.152", open.get("router_id").asText());
        assertEquals("ipv4/mpls-vpn", open.at("/capabilities/1/families/0").asText());
        JsonNode first = r.lines().get(2);
        // pmacct's oracle (300-output-bgp-00.json) for the first UPDATE: RD 1:10.215.182.150:0, label 917600,
        // next hop fd7c:3f00:301::1, AS path 64969 202088, RT:64969:4008, origin incomplete.
        assertEquals("[64969,202088]", first.get("path").toString());
        assertEquals("INCOMPLETE", first.get("origin").asText());
        JsonNode ann = first.at("/announcements/0");
        assertEquals("ipv4-mpls-vpn", ann.get("afi_safi").asText());
        assertEquals("fd7c:3f00:301::1", ann.get("next_hop").asText());
        assertEquals("[\"193.135.110.64/28\",\"193.135.110.80/28\"]", ann.get("prefixes").toString());
        assertEquals("[[917600],[917600]]", ann.get("labels").toString());
        assertEquals("10.215.182.150:0", ann.at("/rd/0").asText());
        assertEquals("64969:4008", first.at("/extended_community/0/value").asText());
        assertEquals(40, first.at("/unknown_attributes/0/type").asInt());
    }

    @Test
    @DisplayName("hex arguments: KEEPALIVE, End-of-RIB, a v4 UPDATE with communities on a 2-octet session")
    void hexArguments() throws Exception {
        String keepalive = "ffffffffffffffffffffffffffffffff001304";
        String eor = "ffffffffffffffffffffffffffffffff00170200000000";
        // ORIGIN IGP, AS_PATH SEQ [65000 65001] (2-octet), NEXT_HOP 192.0.2.1, COMMUNITIES 65000:100 NO_EXPORT, NLRI 198.51.100.0/24
        String update = "ffffffffffffffffffffffffffffffff003a" + "02" + "0000" + "001f"
                + "40010100" + "4002060202fde8fde9" + "400304c0000201" + "c00808fde80064ffffff01" + "18c63364";
        Run r = decode("--as2", keepalive, eor, update);
        assertEquals(0, r.exit(), r.lines().toString());
        assertEquals("KEEPALIVE", r.lines().get(0).get("type").asText());
        assertEquals("ipv4-unicast", r.lines().get(1).get("end_of_rib").asText());
        JsonNode u = r.lines().get(2);
        assertEquals("[65000,65001]", u.get("path").toString());
        assertEquals("[[65000,100],[65535,65281]]", u.get("community").toString());
        assertEquals("[\"NO_EXPORT\"]", u.get("community_names").toString());
        assertEquals("192.0.2.1", u.at("/announcements/0/next_hop").asText());
        assertEquals("198.51.100.0/24", u.at("/announcements/0/prefixes/0").asText());
    }

    @Test
    @DisplayName("a header error prints MALFORMED with the RFC 4271 §6.1 NOTIFICATION and exits 1")
    void malformed() throws Exception {
        Run r = decode("fffffffffffffffffffffffffffffff0001304");
        assertEquals(1, r.exit());
        JsonNode m = r.lines().get(0);
        assertEquals("MALFORMED", m.get("type").asText());
        assertEquals(1, m.at("/notification/code").asInt());
        assertEquals(1, m.at("/notification/subcode").asInt());
    }

    @Test
    @DisplayName("--add-path reads path identifiers; an unknown family is a usage error naming it")
    void addPath() throws Exception {
        // NLRI with path id 7: 00000007 18 c63364
        String update = "ffffffffffffffffffffffffffffffff0033" + "02" + "0000" + "0014"
                + "40010100" + "400206020100000001" + "400304c0000201" + "0000000718c63364";
        Run r = decode("--add-path", "ipv4-unicast", update);
        assertEquals(0, r.exit(), r.lines().toString());
        assertEquals(7, r.lines().get(0).at("/announcements/0/path_ids/0").asInt());
        assertTrue(decode("--add-path", "ipv9-unicast", update).exit() == 2);
    }
}
