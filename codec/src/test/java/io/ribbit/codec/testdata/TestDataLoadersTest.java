package io.ribbit.codec.testdata;

import io.ribbit.codec.mrt.Mrt;
import io.ribbit.codec.mrt.MrtReader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.ribbit.codec.mrt.Mrt.Bgp4mpMessage;
import io.ribbit.codec.mrt.Mrt.Rib;
import io.ribbit.codec.mrt.Mrt.StateChange;
import io.ribbit.codec.mrt.Mrt.TableDump;

/**
 * Loads every file of each kind in {@code shared/testdata} and checks the counts stated in its
 * {@code SOURCES.md} (skipped when the data is absent). Codec-independent: it checks the loaders
 * and the oracles against each other, not our decoder.
 */
class TestDataLoadersTest {

    private static List<Path> list(String dir, String suffix) throws IOException {
        try (var s = Files.list(TestData.require(dir))) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static Map<Integer, Integer> counts(List<Integer> types) {
        return types.stream().collect(Collectors.toMap(t -> t, t -> 1, Integer::sum, TreeMap::new));
    }

    /** SOURCES.md "Packet captures" table: message type → count per capture. */
    private static final Map<String, Map<Integer, Integer>> CAPTURES = Map.ofEntries(
            Map.entry("4-byte_AS_numbers_Full_Support.cap", Map.of(1, 2, 2, 9, 4, 5)),
            Map.entry("4-byte_AS_numbers_Mixed_Scenario.cap", Map.of(2, 2, 4, 2)),
            Map.entry("BGP_AS_set.cap", Map.of(1, 2, 2, 1, 4, 7)),
            Map.entry("BGP_MD5.cap", Map.of(1, 2, 4, 8)),
            Map.entry("BGP_MP_NLRI.cap", Map.of(1, 4, 2, 4, 4, 16)),
            Map.entry("BGP_hard_reset.cap", Map.of(1, 2, 2, 12, 4, 12)),
            Map.entry("BGP_notification.cap", Map.of(1, 1, 3, 1)),
            Map.entry("BGP_redist.cap", Map.of(2, 2)),
            Map.entry("BGP_soft_reset.cap", Map.of(2, 12, 4, 8, 5, 1)),
            Map.entry("EBGP_adjacency.cap", Map.of(1, 2, 2, 12, 4, 12)),
            Map.entry("IBGP_adjacency.cap", Map.of(1, 2, 2, 14, 4, 8)),
            Map.entry("bgp-add-path.cap", Map.of(1, 2, 2, 4, 4, 4, 5, 2)),
            Map.entry("bgp_as_confed_sequence.pcapng.cap", Map.of(2, 3)),
            Map.entry("bgp_med.pcapng.cap", Map.of(2, 2)),
            Map.entry("bgp_orf_capabilty_negotitation.pcapng.cap", Map.of(1, 1)),
            Map.entry("bgp_orf_prefix_advertisement.pcapng.cap", Map.of(4, 1, 5, 1)),
            Map.entry("bgplu.cap", Map.of(1, 2, 2, 4, 4, 3)),
            Map.entry("300-traffic-00.pcap", Map.of(1, 1, 2, 45, 4, 1)),
            Map.entry("301-traffic-00.pcap", Map.of(1, 1, 2, 20, 4, 1)),
            Map.entry("302-traffic-00.pcap", Map.of(1, 1, 2, 24, 4, 1)),
            Map.entry("302-traffic-01.pcap", Map.of(1, 1, 2, 26, 4, 1)),
            Map.entry("302-traffic-02.pcap", Map.of(1, 1, 2, 8, 4, 1)),
            Map.entry("302-traffic-03.pcap", Map.of(1, 1, 2, 8, 4, 1)),
            Map.entry("303-traffic-00.pcap", Map.of(1, 1, 2, 45, 4, 1)),
            Map.entry("500-traffic-00.pcap", Map.of(1, 1, 2, 6, 4, 1)),
            Map.entry("501-traffic-00.pcap", Map.of(1, 1, 2, 28, 4, 1)),
            Map.entry("502-traffic-00.pcap", Map.of(1, 1, 2, 28, 4, 1)),
            Map.entry("bgp4-open.pcap", Map.of(1, 1)),
            Map.entry("bgp4-keepalive.pcap", Map.of(4, 1)),
            Map.entry("bgp4-update.pcap", Map.of(2, 1)),
            Map.entry("bgp4-update_ipv6.pcap", Map.of(2, 2)),
            Map.entry("bgp4-update_vpnv6.pcap", Map.of(2, 1)));

    /** Captures that end in the middle of an UPDATE: trailing byte count. */
    private static final Map<String, Integer> PARTIAL = Map.of(
            "301-traffic-00.pcap", 111, "302-traffic-00.pcap", 43, "302-traffic-01.pcap", 119);

    @Test
    void captureStreamsFrameAndAgreeWithTshark() throws IOException {
        int captures = 0, messages = 0;
        for (String dir : List.of("pcap/packetlife", "pcap/pmacct-test-automation", "pcap/ryu")) {
            for (Path decodeFile : list(dir, ".tshark-bgp-decode.txt")) {
                String cap = decodeFile.getFileName().toString().replace(".tshark-bgp-decode.txt", "");
                TsharkOracle.Decode decode = TsharkOracle.load(decodeFile);
                List<HexStreams.Stream> streams = HexStreams.forCapture(decodeFile.resolveSibling(cap));
                assertFalse(streams.isEmpty(), cap + ": no .hex stream");
                List<Integer> allTypes = new java.util.ArrayList<>();
                for (HexStreams.Stream s : streams) {
                    HexStreams.Framing f = s.frame();
                    assertTrue(f.errorOffset() < 0, s.file() + ": bad framing at " + f.errorOffset());
                    assertEquals(PARTIAL.getOrDefault(cap, 0), f.trailingBytes(), s.file() + ": trailing bytes");
                    List<TsharkOracle.Message> tm = decode.forDirection(s.directionKey());
                    List<Integer> ts = tm.stream().map(TsharkOracle.Message::type).toList();
                    assertEquals(ts, f.types(), s.file() + ": tshark message sequence for " + s.directionKey());
                    for (int i = 0; i < tm.size(); i++) {
                        byte[] msg = f.messages().get(i);
                        assertEquals(msg.length, tm.get(i).length(), s.file() + " #" + i + ": length");
                        if (tm.get(i).type() == 1) {
                            assertEquals(HexStreams.openCapabilityCodes(msg), tm.get(i).capabilities(), s.file() + " #" + i + ": capabilities");
                        }
                    }
                    allTypes.addAll(f.types());
                }
                assertEquals(decode.messages().size(), allTypes.size(), cap + ": tshark has messages in no .hex stream");
                Map<Integer, Integer> expected = CAPTURES.getOrDefault(cap,
                        cap.startsWith("evpn_") || cap.startsWith("flowspec_") ? Map.of(2, 1) : null);
                assertNotNull(expected, cap + ": capture not listed in SOURCES.md table");
                assertEquals(new TreeMap<>(expected), counts(allTypes), cap + ": message counts");
                captures++;
                messages += allTypes.size();
            }
        }
        assertEquals(CAPTURES.size() + 11 + 9, captures);
        System.out.printf("pcap: %d captures, %d framed BGP messages (all matched tshark per direction)%n", captures, messages);
    }

    @Test
    void tsharkFieldsSpotChecks() {
        TsharkOracle.Message n = TsharkOracle.load(TestData.require("pcap/packetlife/BGP_notification.cap.tshark-bgp-decode.txt"))
                .messages().stream().filter(m -> m.type() == 3).findFirst().orElseThrow();
        assertEquals(2, n.errorCode());
        assertEquals(2, n.errorSubcode());
        TsharkOracle.Update u = TsharkOracle.load(TestData.require("pcap/packetlife/BGP_AS_set.cap.tshark-bgp-decode.txt"))
                .messages().stream().filter(m -> m.type() == 2).findFirst().orElseThrow().update();
        assertEquals(List.of(new TsharkOracle.Segment(2, List.of(30L)), new TsharkOracle.Segment(1, List.of(10L, 20L))), u.asPath());
        assertEquals(List.of("172.16.0.0/21"), u.nlriPrefixes());
        assertEquals(30L, u.aggregatorAs());
        List<TsharkOracle.Message> mixed = TsharkOracle.load(TestData.require(
                "pcap/packetlife/4-byte_AS_numbers_Mixed_Scenario.cap.tshark-bgp-decode.txt")).messages();
        assertEquals(List.of(655361L, 2621441L), mixed.get(1).update().as4Path().get(0).asns());
        assertEquals(List.of(23456L, 23456L), mixed.get(1).update().asPath().get(0).asns());
        List<TsharkOracle.Message> ap = TsharkOracle.load(TestData.require("pcap/packetlife/bgp-add-path.cap.tshark-bgp-decode.txt")).messages();
        assertTrue(ap.get(0).capabilities().contains(69));
        assertEquals(1L, ap.get(5).update().nlri().get(0).pathId());
        TsharkOracle.Mp mp = TsharkOracle.load(TestData.require("pcap/packetlife/BGP_MP_NLRI.cap.tshark-bgp-decode.txt"))
                .messages().stream().filter(m -> m.type() == 2 && !m.update().mpReach().isEmpty()).findFirst().orElseThrow()
                .update().mpReach().get(0);
        assertEquals(2, mp.afi());
        assertEquals(3, mp.prefixes().size());
        assertEquals(2, mp.nextHops().size());
        long lc = TsharkOracle.load(TestData.require("pcap/pmacct-test-automation/502-traffic-00.pcap.tshark-bgp-decode.txt"))
                .messages().stream().filter(m -> m.update() != null).mapToLong(m -> m.update().largeCommunities().size()).sum();
        assertTrue(lc > 0, "502 carries large communities");
        // tshark's ADD-PATH guess: four 0.0.0.0/0 + 1.1.1.1/32 shown as one prefix with PathId 0
        TsharkOracle.Update wrong = TsharkOracle.load(TestData.require("vectors/exabgp/decoding/ipv4-unicast-1.txt.tshark-bgp-decode.txt"))
                .messages().get(0).update();
        assertEquals(List.of(new TsharkOracle.Prefix("1.1.1.1/32", 0L)), wrong.nlri());
    }

    /** name → {records, stoppedEarly(0/1)}; SOURCES.md MRT table plus our census for the corrupt files. */
    private static final Map<String, int[]> MRT = Map.ofEntries(
            Map.entry("bview.20020722.2337.gz", new int[] {115521, 0}), Map.entry("bview.64k_stream_overflow.gz", new int[] {2, 0}),
            Map.entry("bview.ipv4_unicast_add_path.gz", new int[] {32, 0}), Map.entry("bview.ipv6_unicast_add_path.gz", new int[] {32, 0}),
            Map.entry("updates.20020722.2238.gz", new int[] {1121, 0}), Map.entry("updates.20070211.0141.gz", new int[] {23394, 0}),
            Map.entry("updates.20071015.1505.gz", new int[] {4297, 0}), Map.entry("updates.20100722.2015.gz", new int[] {2193, 0}),
            Map.entry("updates.20160811.1600.gz", new int[] {17406, 0}), Map.entry("updates.et-header.2015.gz", new int[] {89686, 0}),
            Map.entry("updates.long_withdrawal.gz", new int[] {1, 0}), Map.entry("updates.nlri_mask_trailing_bits.gz", new int[] {1, 0}),
            Map.entry("bird-mrtdump_bgp.mrt", new int[] {27, 0}), Map.entry("bird-mrtdump_rib.mrt", new int[] {14, 0}),
            Map.entry("bird6-mrtdump_bgp.mrt", new int[] {27, 0}), Map.entry("bird6-mrtdump_rib.mrt", new int[] {9, 0}),
            Map.entry("bird_bgp.mrt", new int[] {29, 0}), Map.entry("bird6_bgp.mrt", new int[] {29, 0}),
            Map.entry("openbgpd_bgp.mrt", new int[] {87, 0}), Map.entry("openbgpd_rib_table.mrt", new int[] {31, 0}),
            Map.entry("openbgpd_rib_table-v2.mrt", new int[] {24, 0}), Map.entry("openbgpd_rib_table-mp.mrt", new int[] {31, 0}),
            Map.entry("quagga_bgp.mrt", new int[] {67, 0}), Map.entry("quagga_rib.mrt", new int[] {7, 0}),
            Map.entry("examples-local_only-updates.bz2", new int[] {85, 0}),
            Map.entry("rrc00-updates.19990903.1041.gz", new int[] {24242, 0}), Map.entry("rrc00-updates.19991214.1621.gz", new int[] {18203, 0}),
            Map.entry("rrc00-updates.20000102.2014.gz", new int[] {3957, 0}),
            Map.entry("rrc00-updates.20000325.0345.gz", new int[] {6, 1}),   // 5 good + 1 garbage-typed, then a 3.6 GB "length"
            Map.entry("rrc00-bview.20000111.0032.gz", new int[] {2, 1}),     // without recovery: 1 batch + 1 garbage-typed
            Map.entry("rrc01-updates.20001104.0124.gz", new int[] {1286, 0}),
            Map.entry("rrc03-updates.20100227.1600.first-796-records.gz", new int[] {796, 0}),
            Map.entry("rrc15-updates.20100227.1610.gz", new int[] {1953, 0}),
            Map.entry("ris.rrc06.updates.1427846400.gz", new int[] {795, 0}),
            Map.entry("routeviews.route-views.jinx.updates.1427846400.bz2", new int[] {1756, 0}),
            Map.entry("rib.20161101.0000_pick.bz2", new int[] {3, 0}), Map.entry("updates.20161101.0000.bz2", new int[] {2623, 0}));

    /** name → "A W B STATE" line counts of the bgpdump -m oracle (SOURCES.md, where stated). */
    private static final Map<String, int[]> BGPDUMP = Map.ofEntries(
            Map.entry("bview.20020722.2337.gz", new int[] {0, 0, 115521, 0}), Map.entry("bview.64k_stream_overflow.gz", new int[] {0, 0, 23, 0}),
            Map.entry("bview.ipv4_unicast_add_path.gz", new int[] {0, 0, 62, 0}), Map.entry("bview.ipv6_unicast_add_path.gz", new int[] {0, 0, 62, 0}),
            Map.entry("updates.20020722.2238.gz", new int[] {825, 2419, 0, 93}), Map.entry("updates.20070211.0141.gz", new int[] {51329, 2328, 0, 0}),
            Map.entry("updates.20071015.1505.gz", new int[] {10111, 385, 0, 0}), Map.entry("updates.20100722.2015.gz", new int[] {5067, 547, 0, 40}),
            Map.entry("updates.20160811.1600.gz", new int[] {39256, 1956, 0, 22}), Map.entry("updates.et-header.2015.gz", new int[] {577737, 3, 0, 4}),
            Map.entry("updates.long_withdrawal.gz", new int[] {0, 4096, 0, 0}), Map.entry("updates.nlri_mask_trailing_bits.gz", new int[] {1, 0, 0, 0}),
            Map.entry("bird-mrtdump_bgp.mrt", new int[] {12, 0, 0, 12}), Map.entry("bird-mrtdump_rib.mrt", new int[] {0, 0, 18, 0}),
            Map.entry("bird6-mrtdump_bgp.mrt", new int[] {12, 0, 0, 12}), Map.entry("bird6-mrtdump_rib.mrt", new int[] {0, 0, 10, 0}),
            Map.entry("bird_bgp.mrt", new int[] {24, 0, 0, 12}), Map.entry("bird6_bgp.mrt", new int[] {32, 0, 0, 12}),
            Map.entry("openbgpd_bgp.mrt", new int[] {93, 0, 0, 16}), Map.entry("openbgpd_rib_table.mrt", new int[] {0, 0, 31, 0}),
            Map.entry("openbgpd_rib_table-v2.mrt", new int[] {0, 0, 31, 0}), Map.entry("openbgpd_rib_table-mp.mrt", new int[] {0, 0, 0, 0}),
            Map.entry("quagga_bgp.mrt", new int[] {18, 0, 0, 20}), Map.entry("quagga_rib.mrt", new int[] {0, 0, 9, 0}),
            Map.entry("examples-local_only-updates.bz2", new int[] {159, 109, 0, 0}),
            Map.entry("rrc00-updates.19990903.1041.gz", new int[] {65286, 25, 0, 4}),
            Map.entry("rrc00-updates.20000325.0345.gz", new int[] {2, 2044, 0, 0}), Map.entry("rrc00-bview.20000111.0032.gz", new int[] {0, 0, 1, 0}),
            Map.entry("rrc03-updates.20100227.1600.first-796-records.gz", new int[] {1226, 133, 0, 4}),
            Map.entry("rrc15-updates.20100227.1610.gz", new int[] {5920, 1549, 0, 16}),
            Map.entry("ris.rrc06.updates.1427846400.gz", new int[] {1435, 122, 0, 4}),
            Map.entry("routeviews.route-views.jinx.updates.1427846400.bz2", new int[] {8160, 451, 0, 0}),
            Map.entry("rib.20161101.0000_pick.bz2", new int[] {0, 0, 4, 0}), Map.entry("updates.20161101.0000.bz2", new int[] {5379, 383, 0, 0}));

    @Test
    void mrtFilesAndBgpdumpOracles() throws IOException {
        int files = 0;
        long records = 0, lines = 0;
        for (String dir : List.of("mrt/ripe-bgpdump", "mrt/mrtparse", "mrt/bgpkit", "mrt/libbgpstream", "mrt/ryu")) {
            for (Path f : list(dir, "")) {
                String name = f.getFileName().toString();
                if (name.contains(".bgpdump-")) {
                    continue;
                }
                int[] exp = MRT.get(name);
                assertNotNull(exp, name + ": not listed in SOURCES.md");
                MrtReader.Result r = MrtReader.readAll(f);
                assertEquals(exp[0], r.records().size(), name + ": records");
                assertEquals(exp[1] == 1, r.stoppedEarly(), name + ": stopped early? " + r.stopReason());
                files++;
                records += r.records().size();

                List<BgpdumpOracle.Line> oracle = BgpdumpOracle.load(BgpdumpOracle.oracleFor(f).orElseThrow());
                lines += oracle.size();
                Map<String, Long> ops = oracle.stream().collect(Collectors.groupingBy(BgpdumpOracle.Line::op, Collectors.counting()));
                int[] e = BGPDUMP.get(name);
                if (e != null) {
                    assertEquals(List.of((long) e[0], (long) e[1], (long) e[2], (long) e[3]), List.of(ops.getOrDefault("A", 0L),
                            ops.getOrDefault("W", 0L), ops.getOrDefault("B", 0L), ops.getOrDefault("STATE", 0L)), name + ": A/W/B/STATE lines");
                }
                // the caveats only concern A/W lines: STATE lines must match STATE_CHANGE records everywhere
                List<String> stateRecords = r.records().stream().filter(x -> x instanceof StateChange).map(x -> (StateChange) x)
                        .map(s -> s.header().timestampString() + "|" + BgpdumpOracle.peerIpOf(s, 0) + "|" + s.peerAs() + "|"
                                + s.oldState() + "|" + s.newState()).toList();
                List<String> stateLines = oracle.stream().filter(l -> l.op().equals("STATE")).map(l -> l.timestamp() + "|"
                        + l.peerIp() + "|" + l.peerAs() + "|" + l.oldState() + "|" + l.newState()).toList();
                assertEquals(stateLines, stateRecords, name + ": STATE lines vs STATE_CHANGE records");
                boolean hasUpdates = r.records().stream().anyMatch(x -> BgpdumpOracle.expectedLines(x) < 0);
                if (!hasUpdates) {      // RIB dumps (and the BGP4MP_ENTRY file): every line lines up with a record
                    BgpdumpOracle.Cursor c = new BgpdumpOracle.Cursor(oracle);
                    r.records().forEach(c::take);
                    assertEquals(0, c.remaining(), name + ": unmatched bgpdump lines");
                }
            }
        }
        assertEquals(MRT.size(), files);
        System.out.printf("mrt: %d files, %d records, %d bgpdump -m lines%n", files, records, lines);
    }

    @Test
    void mrtSubtypesAndQuirks() {
        Map<String, Long> m = census("mrt/ripe-bgpdump/updates.20020722.2238.gz");
        assertEquals(Map.of("16/0", 93L, "16/1:1", 13L, "16/1:2", 393L, "16/1:3", 7L, "16/1:4", 615L), m);
        assertEquals(Map.of("16/0", 8L, "16/1:1", 4L, "16/4:2", 48L, "16/4:3", 2L, "16/4:4", 13L, "16/4:5", 4L, "16/5", 8L),
                census("mrt/mrtparse/openbgpd_bgp.mrt"));
        assertEquals(14L, census("mrt/mrtparse/bird-mrtdump_bgp.mrt").entrySet().stream()
                .filter(x -> x.getKey().startsWith("16/9")).mapToLong(Map.Entry::getValue).sum());
        MrtReader.Result et = MrtReader.readAll(TestData.require("mrt/bgpkit/examples-local_only-updates.bz2"));
        assertEquals("1726353018.908490", et.records().get(0).header().timestampString());
        Rib big = (Rib) MrtReader.readAll(TestData.require("mrt/ripe-bgpdump/bview.64k_stream_overflow.gz")).records().get(1);
        assertEquals(69700, big.header().length());
        assertEquals(Mrt.MpReach.FULL, big.entries().get(0).mpReach());
        Bgp4mpMessage lw = (Bgp4mpMessage) MrtReader.readAll(TestData.require("mrt/ripe-bgpdump/updates.long_withdrawal.gz")).records().get(0);
        assertEquals(36894, lw.message().length);
        assertTrue(MrtReader.readAll(TestData.require("mrt/mrtparse/openbgpd_rib_table-v2.mrt")).records().stream()
                .anyMatch(x -> x instanceof Rib rb && rb.entries().stream().anyMatch(e -> e.mpReach() == Mrt.MpReach.ABBREVIATED)));
        Bgp4mpMessage legacy = (Bgp4mpMessage) MrtReader.readAll(TestData.require("mrt/bgpkit/rrc00-updates.19991214.1621.gz"))
                .records().stream().filter(x -> x.header().subtype() == 6).findFirst().orElseThrow();
        assertTrue(legacy.headerSynthesized());
        assertEquals(3, legacy.messageType());
        assertEquals(21, legacy.message().length);
        Bgp4mpMessage birdOpen = (Bgp4mpMessage) MrtReader.readAll(TestData.require("mrt/mrtparse/bird_bgp.mrt")).records().stream()
                .filter(x -> x instanceof Bgp4mpMessage b && b.messageType() == 1).findFirst().orElseThrow();
        assertTrue(HexStreams.openCapabilityCodes(birdOpen.message()).contains(69), "bird OPEN advertises ADD-PATH");
        assertTrue(MrtFiles.addPathNlri("bird_bgp.mrt", birdOpen) && !MrtFiles.addPathNlri("quagga_bgp.mrt", birdOpen));
        MrtReader.Result z = MrtReader.readAll(TestData.require("mrt/bgpkit/rrc01-updates.20001104.0124.gz"));
        assertEquals(42, z.records().stream().filter(x -> x instanceof StateChange s && s.quirk() != null).count());
        assertEquals(21, z.records().stream().filter(x -> x instanceof Bgp4mpMessage b && b.quirk() != null && b.messageType() == 1).count());
        MrtReader.Result rec = MrtReader.readAll(TestData.require("mrt/bgpkit/rrc00-bview.20000111.0032.gz"), true);
        assertFalse(rec.stoppedEarly(), rec.stopReason());
        assertEquals(2490, rec.records().size());
        assertEquals(452018, rec.records().stream().mapToLong(x -> ((TableDump) x).entries().size()).sum());
        System.out.printf("mrt quirks: recovered early RIS bview = %d records / %d entries%n", 2490, 452018);
    }

    private static Map<String, Long> census(String rel) {
        return MrtReader.readAll(TestData.require(rel)).records().stream().collect(Collectors.groupingBy(x ->
                x.header().type() + "/" + x.header().subtype() + (x instanceof Bgp4mpMessage b ? ":" + b.messageType() : ""),
                TreeMap::new, Collectors.counting()));
    }

    @Test
    void bgpdumpCaveats() {
        List<BgpdumpOracle.Line> bird = BgpdumpOracle.load(TestData.require("mrt/mrtparse/bird_bgp.mrt.bgpdump-m.txt"));
        assertTrue(bird.stream().anyMatch(l -> "0.0.0.0/0".equals(l.prefix())), "caveat 2 garbage prefixes");
        assertTrue(BgpdumpOracle.lineCaveat("bird_bgp.mrt", bird.stream().filter(l -> l.op().equals("A")).findFirst().orElseThrow()).isPresent());
        assertEquals("11.13.0.0/13", BgpdumpOracle.load(TestData.require("mrt/ripe-bgpdump/updates.nlri_mask_trailing_bits.gz.bgpdump-m.txt")).get(0).prefix());
        assertEquals("11.8.0.0/13", BgpdumpOracle.load(TestData.require(
                "mrt/ripe-bgpdump/updates.nlri_mask_trailing_bits.gz.upstream-expect.bgpdump-m.txt")).get(0).prefix());
        BgpdumpOracle.Line glued = BgpdumpOracle.load(TestData.require("mrt/bgpkit/rrc00-updates.19991214.1621.gz.bgpdump-m.txt.gz"))
                .stream().filter(l -> l.medCommunitiesField() != null && l.med() == null).findFirst().orElseThrow();
        assertNull(glued.communities());
        assertTrue(BgpdumpOracle.lineCaveat("rrc00-updates.19991214.1621.gz", glued).isPresent());
        BgpdumpOracle.Line ap = BgpdumpOracle.load(TestData.require("mrt/ripe-bgpdump/bview.ipv4_unicast_add_path.gz.bgpdump-m.txt")).get(0);
        assertTrue(ap.addPath());
        assertNotNull(ap.pathId());
        BgpdumpOracle.Line et = BgpdumpOracle.load(TestData.require("mrt/bgpkit/examples-local_only-updates.bz2.bgpdump-m.txt")).get(0);
        assertEquals(908490, et.micros());
    }

    @Test
    void exabgpVectors() throws IOException {
        List<ExabgpVectors.DecodingVector> dec = ExabgpVectors.loadDecoding(TestData.require("vectors/exabgp/decoding"));
        assertEquals(22, dec.size());
        assertEquals(List.of("bgp-ls-1"), dec.stream().filter(ExabgpVectors.DecodingVector::nlriOnly).map(ExabgpVectors.DecodingVector::name).toList());
        assertEquals(List.of("bgp-evpn-1", "bgp-ls-3", "bgp-ls-4", "bgp-ls-5", "bgp-ls-6"),
                dec.stream().filter(ExabgpVectors.DecodingVector::headerSynthesized).map(ExabgpVectors.DecodingVector::name).toList());
        for (ExabgpVectors.DecodingVector v : dec) {
            assertNotNull(v.json(), v.name() + ": json");
            if (!v.nlriOnly()) {
                assertEquals(v.bytes().length, HexStreams.u16(v.bytes(), 16), v.name() + ": header length");
                TsharkOracle.Decode t = TsharkOracle.load(v.file().resolveSibling(v.file().getFileName() + ".tshark-bgp-decode.txt"));
                assertEquals(1, t.messages().size(), v.name());
                assertEquals(v.messageType(), t.messages().get(0).type(), v.name());
                assertEquals(v.bytes().length, t.messages().get(0).length(), v.name());
            }
        }
        List<ExabgpVectors.CiFile> ci = ExabgpVectors.loadEncoding(TestData.require("vectors/exabgp/encoding"));
        assertEquals(40, ci.size());
        int raws = 0;
        for (ExabgpVectors.CiFile c : ci) {
            TsharkOracle.Decode t = TsharkOracle.load(c.path().resolveSibling(c.name() + ".tshark-bgp-decode.txt"));
            assertEquals(c.messages().size(), t.messages().size(), c.name() + ": tshark decodes one message per raw");
            for (int i = 0; i < c.messages().size(); i++) {
                ExabgpVectors.EncodingVector v = c.messages().get(i);
                assertEquals(v.raw().length, HexStreams.u16(v.raw(), 16), c.name() + "#" + i + ": header length");
                assertEquals(v.raw().length, t.messages().get(i).length(), c.name() + "#" + i + ": tshark length");
            }
            raws += c.messages().size() + c.commentedOutRaws();
        }
        assertEquals(168, raws, "SOURCES.md counts 168 raw lines (2 of them commented out)");
        assertEquals(List.of("conf-addpath.ci", "conf-path-information.ci"), ci.stream().filter(ExabgpVectors.CiFile::addPath).map(ExabgpVectors.CiFile::name).toList());
        assertEquals(List.of("conf-no-asn4.ci"), ci.stream().filter(ExabgpVectors.CiFile::twoOctetAs).map(ExabgpVectors.CiFile::name).toList());
        System.out.printf("exabgp: %d decoding vectors, %d .ci files, %d raw messages%n", dec.size(), ci.size(), raws - 2);
    }

    @Test
    void gobgpBadLen() {
        List<GobgpBadLen.Vector> v = GobgpBadLen.load(TestData.require("vectors/gobgp-bad-len"));
        List<GobgpBadLen.IndexEntry> idx = GobgpBadLen.loadIndex(TestData.require("vectors/gobgp-bad-len/INDEX.hex.txt"));
        assertEquals(11, v.size());
        assertEquals(11, idx.size());
        for (int i = 0; i < v.size(); i++) {
            GobgpBadLen.Vector x = v.get(i);
            GobgpBadLen.IndexEntry e = idx.get(i);
            assertEquals(e.file(), x.name());
            assertEquals(e.fileBytes(), x.bytes().length, x.name());
            assertTrue(java.util.Arrays.equals(e.bytes(), x.bytes()), x.name());
            assertEquals(e.headerLength(), x.declaredLength(), x.name());
            assertEquals(e.headerType(), HexStreams.messageType(x.bytes()), x.name());
            assertFalse(x.markerAllOnes(), x.name());
            assertTrue(HexStreams.isMarker(x.withValidMarker(), 0));
        }
        System.out.printf("gobgp-bad-len: %d vectors%n", v.size());
    }
}
