package io.ribbit.collector.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.collector.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The YAML configuration (docs/configuration.md): a full file binds every field; every error
 * names the file, the line and the key path; {@code ribbit check-config} exits 0 or 2.
 */
@Timeout(30)
class ConfigLoaderTest {
    /** The documented example with loopback addresses and a non-default value for every key. */
    static final String FULL = """
            name: rc1
            router-id: 192.0.2.1
            local-as: 4200000001
            listen: ["127.0.0.1:1179", "[::1]:1179"]
            http: "127.0.0.1:9179"
            shutdown-message: "maintenance — back soon"
            neighbors:
              - address: 127.0.0.10
                remote-as: 64500
                mode: both
                port: 1180
                local-address: 127.0.0.1
                hold-time: 30
                families: [ipv4-unicast, ipv6-unicast, ipv4-mpls-vpn]
                add-path-receive: true
                max-prefixes: 2000000
                max-prefixes-warning: 80
                max-prefixes-restart: 120
                connect-retry: 15
                idle-hold-time: 7
                idle-hold-time-max: 200
                idle-hold-stable-time: 20
                graceful-restart: false
                description: "edge1 transit"
              - address: 127.0.1.0/24
                remote-as: any
            events:
              - type: file
                path: /var/lib/ribbit/events.jsonl
                include-raw: true
              - type: stdout
            """;

    @TempDir
    Path dir;

    @Test
    @DisplayName("the documented example binds every field; omitted keys take their documented defaults")
    void fullConfig() throws Exception {
        RibbitConfig c = ConfigLoader.parse(FULL, "full.yaml");
        assertEquals("rc1", c.name());
        assertEquals(0xC0000201, c.routerId());
        assertEquals(4200000001L, c.localAs());
        assertEquals(List.of(new HostPort("127.0.0.1", 1179), new HostPort("::1", 1179)), c.listen());
        assertEquals(new HostPort("127.0.0.1", 9179), c.http());
        assertEquals("maintenance — back soon", c.shutdownMessage());
        assertEquals(2, c.neighbors().size());

        NeighborConfig a = c.neighbors().get(0);
        assertEquals(InetAddress.getByName("127.0.0.10"), a.address());
        assertEquals(32, a.prefixLength());
        assertFalse(a.dynamic());
        assertEquals(64500, a.remoteAs());
        assertEquals(NeighborConfig.Mode.BOTH, a.mode());
        assertEquals(1180, a.port());
        assertEquals(InetAddress.getByName("127.0.0.1"), a.localAddress());
        assertEquals(30, a.holdTime());
        assertEquals(List.of(AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST, AfiSafi.IPV4_MPLS_VPN), a.families());
        assertTrue(a.addPathReceive());
        assertEquals(2_000_000, a.maxPrefixes());
        assertEquals(80, a.maxPrefixesWarning());
        assertEquals(120, a.maxPrefixesRestart());
        assertEquals(15, a.connectRetry());
        assertEquals(7, a.idleHoldTime());
        assertEquals(200, a.idleHoldTimeMax());
        assertEquals(20, a.idleHoldStableTime());
        assertFalse(a.gracefulRestart());
        assertEquals("edge1 transit", a.description());
        assertEquals(8, a.line());
        assertEquals("127.0.0.10", a.addressText());

        NeighborConfig b = c.neighbors().get(1);
        assertEquals(InetAddress.getByName("127.0.1.0"), b.address());
        assertEquals(24, b.prefixLength());
        assertTrue(b.dynamic());
        assertEquals("127.0.1.0/24", b.addressText());
        assertTrue(b.matches(InetAddress.getByName("127.0.1.77")));
        assertFalse(b.matches(InetAddress.getByName("127.0.2.1")));
        assertEquals(-1, b.remoteAs());
        assertEquals(NeighborConfig.Mode.PASSIVE, b.mode());
        assertEquals(179, b.port());
        assertNull(b.localAddress());
        assertEquals(90, b.holdTime());
        assertEquals(List.of(AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST), b.families());
        assertFalse(b.addPathReceive());
        assertEquals(0, b.maxPrefixes());
        assertEquals(90, b.maxPrefixesWarning());
        assertEquals(300, b.maxPrefixesRestart());
        assertEquals(30, b.connectRetry());
        assertEquals(5, b.idleHoldTime());
        assertEquals(300, b.idleHoldTimeMax());
        assertEquals(60, b.idleHoldStableTime());
        assertTrue(b.gracefulRestart());
        assertEquals("", b.description());
        assertEquals(25, b.line());

        assertEquals(2, c.events().size());
        EventSinkConfig f = c.events().get(0);
        assertEquals(EventSinkConfig.Type.FILE, f.type());
        assertEquals(Path.of("/var/lib/ribbit/events.jsonl"), f.path());
        assertTrue(f.includeRaw());
        assertEquals("file:/var/lib/ribbit/events.jsonl", f.name());
        EventSinkConfig s = c.events().get(1);
        assertEquals(EventSinkConfig.Type.STDOUT, s.type());
        assertNull(s.path());
        assertFalse(s.includeRaw());
        assertEquals("stdout", s.name());
    }

    @Test
    @DisplayName("a minimal file: name, listen, http, events and shutdown message default")
    void minimal() throws Exception {
        RibbitConfig c = ConfigLoader.parse("router-id: 10.0.0.1\nlocal-as: 65000\n", "min.yaml");
        assertEquals("ribbit", c.name());
        assertEquals(List.of(), c.listen());
        assertNull(c.http());
        assertEquals(List.of(), c.neighbors());
        assertEquals(List.of(), c.events());
        assertEquals("Ribbit is shutting down", c.shutdownMessage());
    }

    static List<Arguments> errors() {
        return List.of(
                Arguments.of("unknown key with a typo (neighbor)", """
                        router-id: 192.0.2.1
                        local-as: 64512
                        neighbors:
                          - address: 127.0.0.2
                            remote-as: 64500
                            hold-tme: 90
                        """, List.of("6: neighbors[0].hold-tme: unknown key (expected one of [add-path-receive, address, connect-retry,…")),
                Arguments.of("unknown key with a typo (top level): the real key is then missing", """
                        router-id: 192.0.2.1
                        loacl-as: 64512
                        """, List.of("2: loacl-as: unknown key (expected one of [events, http, listen, loc-rib, local-as, name, neighbors,"
                        + " router-id, shutdown-message, warmup])",
                        "1: local-as: required (an AS number)")),
                Arguments.of("loc-rib: an unknown key, a bad flag, a bad sink option, and sinks asking a disabled Loc-RIB", """
                        router-id: 192.0.2.1
                        local-as: 64512
                        loc-rib:
                          enabled: false
                          always-compare: true
                          always-compare-med: sometimes
                          max-pending: 10
                        events:
                          - type: stdout
                            loc-rib: always
                          - type: file
                            path: /tmp/x.jsonl
                            loc-rib: only
                        """, List.of("10: events[0].loc-rib: must be true, false or only, got 'always'",
                        "5: loc-rib.always-compare: unknown key (expected one of [always-compare-med, enabled, max-pending])",
                        "6: loc-rib.always-compare-med: must be true or false, got 'sometimes'",
                        "7: loc-rib.max-pending: must be between 1000 and 1000000000, got 10",
                        "4: loc-rib.enabled: is false, but the event sink at line 11 asks for loc-rib events")),
                Arguments.of("bad router-id", """
                        router-id: 192.0.2.256
                        local-as: 64512
                        """, List.of("1: router-id: must be a non-zero IPv4 address, got '192.0.2.256'")),
                Arguments.of("router-id 0.0.0.0", """
                        local-as: 64512
                        router-id: 0.0.0.0
                        """, List.of("2: router-id: must be a non-zero IPv4 address, got '0.0.0.0'")),
                Arguments.of("idle-hold-stable-time 0 (a session could never be stable)", """
                        router-id: 192.0.2.1
                        local-as: 64512
                        neighbors:
                          - address: 127.0.0.2
                            remote-as: 64500
                            idle-hold-stable-time: 0
                        """, List.of("6: neighbors[0].idle-hold-stable-time: must be between 1 and 86400, got 0")),
                Arguments.of("idle-hold-stable-time not a whole number", """
                        router-id: 192.0.2.1
                        local-as: 64512
                        neighbors:
                          - address: 127.0.0.2
                            remote-as: 64500
                            idle-hold-stable-time: 1.5
                        """, List.of("6: neighbors[0].idle-hold-stable-time: must be a whole number, got '1.5'")),
                Arguments.of("hold-time 2", """
                        router-id: 192.0.2.1
                        local-as: 64512
                        neighbors:
                          - address: 127.0.0.2
                            remote-as: 64500
                          - address: 127.0.0.3
                            remote-as: 64501
                            hold-time: 2
                        """, List.of("8: neighbors[1].hold-time: must be 0 or at least 3 seconds (RFC 4271 §4.2)")),
                Arguments.of("remote-as any without a prefix", """
                        router-id: 192.0.2.1
                        local-as: 64512
                        neighbors:
                          - address: 127.0.0.2
                            remote-as: any
                        """, List.of("5: neighbors[0].remote-as: \"any\" is only allowed with a prefix address")),
                Arguments.of("bad family", """
                        router-id: 192.0.2.1
                        local-as: 64512
                        neighbors:
                          - address: 127.0.0.2
                            remote-as: 64500
                            families:
                              - ipv4-unicast
                              - ipv4-unicats
                        """, List.of("8: neighbors[0].families[1]: unknown family 'ipv4-unicats' (e.g. ipv4-unicast,…")),
                Arguments.of("missing required keys", """
                        name: x
                        neighbors:
                          - description: no address, no AS
                        """, List.of("1: router-id: required (an IPv4 address, the BGP Identifier)",
                        "1: local-as: required (an AS number)",
                        "3: neighbors[0].address: required (an IP address, or a prefix for dynamic neighbors)",
                        "3: neighbors[0].remote-as: required (an AS number or \"any\")")),
                Arguments.of("duplicate neighbor", """
                        router-id: 192.0.2.1
                        local-as: 64512
                        neighbors:
                          - address: 127.0.0.2
                            remote-as: 64500
                          - address: 127.0.0.3
                            remote-as: 64501
                          - address: 127.0.0.2
                            remote-as: 64502
                        """, List.of("8: neighbors[2].address: 127.0.0.2 is already configured at line 4")),
                Arguments.of("the same dynamic range twice", """
                        router-id: 192.0.2.1
                        local-as: 64512
                        neighbors:
                          - address: 127.0.0.0/24
                            remote-as: any
                          - address: 127.0.0.0/24
                            remote-as: 64500
                        """, List.of("6: neighbors[1].address: 127.0.0.0/24 is already configured at line 4")),
                Arguments.of("a key given twice", """
                        router-id: 192.0.2.1
                        local-as: 64512
                        neighbors:
                          - address: 127.0.0.2
                            address: 127.0.0.3
                            remote-as: 64500
                        """, List.of("5: neighbors[0].address: given twice")),
                Arguments.of("an empty family list (no session could ever be accepted)", """
                        router-id: 192.0.2.1
                        local-as: 64512
                        neighbors:
                          - address: 127.0.0.2
                            remote-as: 64500
                            families: []
                        """, List.of("6: neighbors[0].families: must name at least one family, e.g. [ipv4-unicast]")),
                Arguments.of("dynamic neighbor with mode active", """
                        router-id: 192.0.2.1
                        local-as: 64512
                        neighbors:
                          - address: 127.0.0.0/24
                            remote-as: any
                            mode: active
                        """, List.of("6: neighbors[0].mode: dynamic (prefix) neighbors can only be passive")),
                Arguments.of("bad listen addresses", """
                        router-id: 192.0.2.1
                        local-as: 64512
                        listen:
                          - "127.0.0.1:179"
                          - "127.0.0.1"
                          - "300.0.0.1:179"
                          - "127.0.0.1:65536"
                        """, List.of("5: listen[1]: must be an address and port such as \"127.0.0.1:179\" or \"[::1]:179\", got '127.0.0.1'",
                        "6: listen[2]: must be an address and port such as…",
                        "7: listen[3]: must be an address and port such as…")),
                Arguments.of("file sink without a path", """
                        router-id: 192.0.2.1
                        local-as: 64512
                        events:
                          - type: stdout
                          - type: file
                            include-raw: true
                        """, List.of("5: events[1].path: required for a file sink")),
                Arguments.of("YAML syntax error", """
                        router-id: 192.0.2.1
                        local-as: 64512
                        neighbors:
                          - address: 127.0.0.2
                            remote-as: 64500: 1
                        """, List.of("5: not valid YAML: mapping values are not allowed here (column 21)")),
                Arguments.of("every error at once, in file order", """
                        router-id: 1.2.3
                        local-as: 0
                        neighbors:
                          - address: 127.0.0.2
                            remote-as: 64500
                            hold-time: 1
                            families: [ipv4-unicast, ipv9-unicast]
                        events:
                          - type: kafka
                        """, List.of("1: router-id: must be a non-zero IPv4 address, got '1.2.3'",
                        "2: local-as: must be an AS number 1..4294967295, got '0'",
                        "6: neighbors[0].hold-time: must be 0 or at least 3 seconds (RFC 4271 §4.2)",
                        "7: neighbors[0].families[1]: unknown family 'ipv9-unicast' (e.g.…",
                        "9: events[0].type: must be file or stdout, got 'kafka'")));
    }

    /** The Loc-RIB is kept by default only when a sink asks for its events; explicit settings win. */
    @Test
    void locRibDefaultFollowsTheSinks() throws Exception {
        String base = """
                router-id: 192.0.2.1
                local-as: 64512
                """;
        String sink = """
                events:
                  - type: stdout
                    loc-rib: %s
                """;
        assertEquals(false, load(base).locRib().enabled(), "no sink, no block");
        assertEquals(false, load(base + sink.formatted("false")).locRib().enabled(), "sink without loc-rib events");
        assertEquals(true, load(base + sink.formatted("true")).locRib().enabled(), "a sink asks: kept");
        assertEquals(true, load(base + sink.formatted("only")).locRib().enabled(), "a sink asks for them alone");
        assertEquals(true, load(base + "loc-rib:\n  enabled: true\n").locRib().enabled(), "explicit");
        assertEquals(true, load(base + "loc-rib:\n  max-pending: 5000\n" + sink.formatted("true")).locRib().enabled(),
                "a block without enabled keeps the sinks' default");
        assertEquals(false, load(base + "loc-rib:\n  always-compare-med: true\n").locRib().enabled());
    }

    private RibbitConfig load(String yaml) throws Exception {
        return ConfigLoader.load(Files.writeString(dir.resolve("default.yaml"), yaml, StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    @DisplayName("errors name file, line and key path")
    void error(String what, String yaml, List<String> expected) throws IOException {
        Path file = Files.writeString(dir.resolve("ribbit.yaml"), yaml, StandardCharsets.UTF_8);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        List<String> lines = Arrays.asList(e.getMessage().split("\n"));
        assertEquals(expected.size(), lines.size(), "one line per error: " + e.getMessage());
        for (int i = 0; i < expected.size(); i++) {
            String want = file + ":" + expected.get(i);
            String got = lines.get(i);
            // Exact, unless the expectation ends in "…" (it stops before a long list of choices or examples).
            boolean prefix = want.endsWith("…");
            String w = prefix ? want.substring(0, want.length() - 1) : want;
            assertTrue(prefix ? got.startsWith(w) : got.equals(w), "line " + i + "\n  want: " + want
                    + "\n  got:  " + got);
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private static synchronized Run main(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    @DisplayName("ribbit check-config: 0 and a summary for a good file; 2 and every error for a bad one")
    void checkConfig() throws IOException {
        Path good = Files.writeString(dir.resolve("good.yaml"), FULL, StandardCharsets.UTF_8);
        Run ok = main("check-config", good.toString());
        assertEquals(0, ok.exit(), ok.err());
        assertEquals(good + ": OK (2 neighbor(s), 2 event sink(s))", ok.out().strip());
        assertEquals("", ok.err());

        Path bad = Files.writeString(dir.resolve("bad.yaml"), FULL.replace("hold-time: 30", "hold-time: 2")
                .replace("remote-as: any", "remote-as: anything"), StandardCharsets.UTF_8);
        Run no = main("check-config", bad.toString());
        assertEquals(2, no.exit());
        assertEquals("", no.out());
        assertEquals(List.of(bad + ":13: neighbors[0].hold-time: must be 0 or at least 3 seconds (RFC 4271 §4.2)",
                bad + ":26: neighbors[1].remote-as: must be an AS number 1..4294967295 or \"any\", got 'anything'"),
                no.err().lines().toList());

        Run missing = main("check-config", dir.resolve("nope.yaml").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().startsWith(dir.resolve("nope.yaml") + ": cannot read"), missing.err());
    }
}
