package io.ribbit.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.ribbit.codec.attr.AddressAttribute;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.Communities;
import io.ribbit.codec.attr.MpReachNlri;
import io.ribbit.codec.attr.Origin;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.attr.Uint32Attribute;
import io.ribbit.codec.capability.Capability;
import io.ribbit.codec.error.BgpError;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.KeepaliveMessage;
import io.ribbit.codec.message.MessageCodec;
import io.ribbit.codec.message.NotificationMessage;
import io.ribbit.codec.message.OpenMessage;
import io.ribbit.codec.message.RouteRefreshMessage;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.codec.testdata.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Generates and checks the seed inputs of {@link FuzzDecodeTest} in
 * {@code src/test/resources/io/ribbit/codec/FuzzDecodeTestInputs/} (two control octets, then the
 * stream; see FuzzDecodeTest):
 * <ul>
 *   <li>{@code valid-*}: messages built here and written with {@link MessageCodec#encode};</li>
 *   <li>{@code gobgp-<sha1>} and {@code gobgp-<sha1>-marker}: the GoBGP bad-len vectors as is
 *       and with an all-ones marker.</li>
 * </ul>
 * Each valid seed file must decode, through the channel, to exactly the messages it was built
 * from (so an encoder change that stays decodable does not force a rewrite), and each GoBGP seed
 * must match its vector. To (re)write them all:
 * {@code ./mvnw -pl codec test -Dtest=FuzzSeedsTest#writeSeeds -Dribbit.writeFuzzSeeds=true}.
 */
class FuzzSeedsTest {
    static final Path DIR = Path.of("src/test/resources/io/ribbit/codec/FuzzDecodeTestInputs");

    private static final int AS4 = 1;
    private static final int ADD_PATH_V4 = 4;
    private static final int ADD_PATH_V6 = 8;

    /** A seed built from messages: control octets and what it must decode to. */
    record ValidSeed(int options, int fragments, List<BgpMessage> messages) {
        byte[] bytes() {
            ByteBuf b = Unpooled.buffer();
            try {
                b.writeByte(options).writeByte(fragments);
                SessionOptions o = FuzzDecodeTest.options((byte) options);
                for (BgpMessage m : messages) {
                    MessageCodec.encode(m, b, o);
                }
                return ByteBufUtil.getBytes(b);
            } finally {
                b.release();
            }
        }
    }

    static Map<String, ValidSeed> validSeeds() {
        OpenMessage open = OpenMessage.of(4_200_000_001L, 90, 0x0a000001, List.of(
                new Capability.Multiprotocol(AfiSafi.IPV4_UNICAST),
                new Capability.Multiprotocol(AfiSafi.IPV6_UNICAST),
                new Capability.RouteRefresh(Capability.ROUTE_REFRESH),
                new Capability.FourOctetAs(4_200_000_001L),
                new Capability.AddPath(List.of(
                        new Capability.AddPath.Family(AfiSafi.IPV4_UNICAST, Capability.AddPath.BOTH),
                        new Capability.AddPath.Family(AfiSafi.IPV6_UNICAST, Capability.AddPath.RECEIVE))),
                new Capability.ExtendedMessage()));
        UpdateMessage v4 = UpdateMessage.of(
                ipv4(null, 0xc6336400, 24),
                PathAttributes.of(Origin.IGP, AsPath.sequence(64500, 4_200_000_001L, 65551),
                        new AddressAttribute(AttributeCode.NEXT_HOP, 0xc0000201),
                        new Uint32Attribute(AttributeCode.MULTI_EXIT_DISC, 10),
                        Communities.of(0xfde80064, Communities.NO_EXPORT)),
                ipv4(null, 0xcb007100, 24, 0x0a000000, 8));
        UpdateMessage v4AddPath = UpdateMessage.of(PrefixList.empty(AfiSafi.IPV4_UNICAST),
                PathAttributes.of(Origin.EGP, AsPath.sequence(64500),
                        new AddressAttribute(AttributeCode.NEXT_HOP, 0xc0000201),
                        Communities.of(0xfde80001)),
                ipv4(new int[] {1, 2}, 0xcb007100, 24, 0xcb007100, 25));
        byte[] nextHop6 = new byte[32];
        nextHop6[0] = 0x20;
        nextHop6[1] = 0x01;
        nextHop6[2] = 0x0d;
        nextHop6[3] = (byte) 0xb8;
        nextHop6[15] = 1;
        nextHop6[16] = (byte) 0xfe;
        nextHop6[17] = (byte) 0x80;
        nextHop6[31] = 1;
        PrefixList v6Prefixes = new PrefixList(AfiSafi.IPV6_UNICAST, 2,
                new long[] {0x20010db800010000L, 0, 48, 0x20010db8ffff0000L, 0, 48}, new int[] {7, 8}, null, null);
        UpdateMessage v6 = UpdateMessage.of(PrefixList.empty(AfiSafi.IPV4_UNICAST),
                PathAttributes.of(Origin.IGP, AsPath.sequence(64500, 64501),
                        new MpReachNlri(AfiSafi.IPV6_UNICAST, nextHop6, v6Prefixes),
                        new Uint32Attribute(AttributeCode.LOCAL_PREF, 200)),
                PrefixList.empty(AfiSafi.IPV4_UNICAST));
        NotificationMessage cease = NotificationMessage.shutdown(BgpError.ADMINISTRATIVE_SHUTDOWN, "maintenance");
        NotificationMessage holdTimer = new NotificationMessage(BgpError.HOLD_TIMER_EXPIRED, null);
        RouteRefreshMessage refresh = RouteRefreshMessage.request(AfiSafi.IPV6_UNICAST);
        RouteRefreshMessage borr = new RouteRefreshMessage(AfiSafi.IPV4_UNICAST,
                RouteRefreshMessage.BEGIN_OF_ROUTE_REFRESH, null);

        Map<String, ValidSeed> seeds = new LinkedHashMap<>();
        seeds.put("valid-open", new ValidSeed(0, 0, List.of(open)));
        seeds.put("valid-keepalive", new ValidSeed(0, 0, List.of(KeepaliveMessage.INSTANCE)));
        seeds.put("valid-update-v4-communities", new ValidSeed(AS4, 0, List.of(v4)));
        seeds.put("valid-update-v4-addpath", new ValidSeed(AS4 | ADD_PATH_V4, 5, List.of(v4AddPath)));
        seeds.put("valid-update-mp-reach-v6", new ValidSeed(AS4 | ADD_PATH_V6, 0, List.of(v6)));
        seeds.put("valid-notification-shutdown", new ValidSeed(0, 0, List.of(cease)));
        seeds.put("valid-route-refresh", new ValidSeed(0, 0, List.of(refresh)));
        seeds.put("valid-route-refresh-borr", new ValidSeed(0, 3, List.of(borr)));
        seeds.put("valid-eor-v6", new ValidSeed(AS4, 0, List.of(UpdateMessage.endOfRib(AfiSafi.IPV6_UNICAST))));
        // A session in one stream, one octet per write.
        seeds.put("valid-session-stream", new ValidSeed(AS4 | ADD_PATH_V6, 1, List.of(open, KeepaliveMessage.INSTANCE,
                v4, v6, refresh, KeepaliveMessage.INSTANCE, holdTimer)));
        return seeds;
    }

    /** The GoBGP-derived seeds, if the shared test data is present. */
    static Map<String, byte[]> gobgpSeeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        Optional<Path> dir = TestData.find("vectors/gobgp-bad-len");
        if (dir.isEmpty()) {
            return seeds;
        }
        try (Stream<Path> files = Files.list(dir.get())) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".bin")).sorted().toList()) {
                byte[] raw = Files.readAllBytes(p);
                String name = "gobgp-" + p.getFileName().toString().replace(".bin", "");
                seeds.put(name, withControl(0, 0, raw));
                byte[] marker = withControl(0, 0, raw);
                for (int i = 2; i < Math.min(18, marker.length); i++) {
                    marker[i] = (byte) 0xff;
                }
                seeds.put(name + "-marker", marker);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return seeds;
    }

    private static byte[] withControl(int options, int fragments, byte[] stream) {
        byte[] out = new byte[stream.length + 2];
        out[0] = (byte) options;
        out[1] = (byte) fragments;
        System.arraycopy(stream, 0, out, 2, stream.length);
        return out;
    }

    private static PrefixList ipv4(int[] pathIds, int... addrLen) {
        long[] words = new long[addrLen.length / 2];
        for (int i = 0; i < words.length; i++) {
            words[i] = PrefixList.packIpv4(addrLen[2 * i], addrLen[2 * i + 1]);
        }
        return new PrefixList(AfiSafi.IPV4_UNICAST, words.length, words, pathIds, null, null);
    }

    @Test
    @EnabledIfSystemProperty(named = "ribbit.writeFuzzSeeds", matches = "true")
    void writeSeeds() throws IOException {
        Files.createDirectories(DIR);
        for (Map.Entry<String, ValidSeed> e : validSeeds().entrySet()) {
            Files.write(DIR.resolve(e.getKey()), e.getValue().bytes());
        }
        for (Map.Entry<String, byte[]> e : gobgpSeeds().entrySet()) {
            Files.write(DIR.resolve(e.getKey()), e.getValue());
        }
    }

    /** The seed files (not a fresh encoding) still decode to the messages they were made from. */
    @TestFactory
    Stream<DynamicTest> validSeedFileDecodesToItsMessages() {
        return validSeeds().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            Path f = DIR.resolve(e.getKey());
            assertTrue(Files.exists(f), () -> "missing " + f + " (write it with -Dribbit.writeFuzzSeeds=true)");
            byte[] bytes = Files.readAllBytes(f);
            ValidSeed s = e.getValue();
            assertEquals(s.options(), bytes[0]);
            assertEquals(s.fragments(), bytes[1]);
            SessionOptions o = FuzzDecodeTest.options(bytes[0]);
            List<BgpMessage> out = DecodeHarness.decode(o, java.util.Arrays.copyOfRange(bytes, 2, bytes.length),
                    FuzzDecodeTest.fragmentSizes(bytes[1] & 0xff));
            assertEquals(s.messages(), out);
            for (BgpMessage m : out) {
                FuzzDecodeTest.assertRoundTrip(m, o);
            }
        }));
    }

    @Test
    void gobgpSeedFilesAreTheSharedVectors() throws IOException {
        Map<String, byte[]> expected = gobgpSeeds();
        assumeFalse(expected.isEmpty(), "shared test data vectors/gobgp-bad-len not found (skipping)");
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : expected.entrySet()) {
            Path f = DIR.resolve(e.getKey());
            if (!Files.exists(f)) {
                problems.add("missing " + f);
            } else if (!java.util.Arrays.equals(Files.readAllBytes(f), e.getValue())) {
                problems.add("differs from its vector: " + f);
            }
        }
        assertTrue(problems.isEmpty(), () -> problems + " (rewrite with -Dribbit.writeFuzzSeeds=true)");
    }

    @Test
    void crashersDirectoryExists() {
        // Jazzer writes a finding into FuzzDecodeTestInputs/fuzzDecode/ (its per-method inputs
        // directory) only if the directory exists; regression mode replays everything in it.
        Path crashers = DIR.resolve("fuzzDecode");
        assertTrue(Files.isDirectory(crashers), crashers + " must exist");
    }
}
