package io.ribbit.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.ribbit.codec.attr.UpdateDecodeContext;
import io.ribbit.codec.error.ErrorAction;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.KeepaliveMessage;
import io.ribbit.codec.message.MalformedMessage;
import io.ribbit.codec.message.MessageCodec;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Jazzer fuzz test of frame + message decoding in an EmbeddedChannel.
 *
 * <p>Input layout (so seed files stay readable: two control octets, then the TCP stream):
 * <pre>
 *   octet 0   session options: bit 0 4-octet AS, bit 1 Extended Message,
 *             bit 2 ADD-PATH receive IPv4 unicast, bit 3 ADD-PATH receive IPv6 unicast
 *   octet 1   fragmentation: 0 = the whole stream in one write; k = writes of 1..k octets,
 *             sizes from a PRNG seeded with k (k = 1: one octet at a time)
 *   octet 2.. the bytes the peer sends
 * </pre>
 *
 * <p>Invariants (any violation is a finding): no exception escapes the pipeline; only
 * {@link BgpMessage}s come out; a header error is the last output; every buffer is released
 * ({@link DecodeHarness}; and Netty's PARANOID detector via {@link NettyLeakExtension}, checked
 * after every input); every decoded message re-encodes with {@link MessageCodec#encode}, decodes
 * back to an equal message, and re-encodes to the same bytes ({@link #assertRoundTrip}).
 *
 * <p>Plain {@code mvn test} replays {@code src/test/resources/io/ribbit/codec/FuzzDecodeTestInputs/}
 * (seeds) and {@code FuzzDecodeTestInputs/fuzzDecode/} (crashers found so far) as regression tests.
 * Fuzzing: {@code JAZZER_FUZZ=1 ./mvnw -pl codec test -Dtest=FuzzDecodeTest}; new crashers are
 * written to {@code FuzzDecodeTestInputs/fuzzDecode/}.
 */
class FuzzDecodeTest {

    @FuzzTest(maxDuration = "60s")
    void fuzzDecode(byte[] data) {
        if (data.length < 2) {
            return;
        }
        SessionOptions options = options(data[0]);
        byte[] stream = Arrays.copyOfRange(data, 2, data.length);
        List<BgpMessage> out = DecodeHarness.decode(options, stream, fragmentSizes(data[1] & 0xff));
        for (BgpMessage m : out) {
            assertRoundTrip(m, options);
        }
        List<NettyLeakExtension.Leak> leaks = NettyLeakExtension.drainLeaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty reported leaks (maybe from an earlier input): " + leaks);
        }
    }

    static SessionOptions options(byte b) {
        Set<AfiSafi> addPath = new HashSet<>();
        if ((b & 4) != 0) {
            addPath.add(AfiSafi.IPV4_UNICAST);
        }
        if ((b & 8) != 0) {
            addPath.add(AfiSafi.IPV6_UNICAST);
        }
        // ADD-PATH both ways: what we receive with path ids we re-encode with path ids.
        return new SessionOptions((b & 1) != 0, (b & 2) != 0, addPath, addPath);
    }

    /** Fragment sizes for control octet {@code k}: everything at once, or 1..k from a PRNG. */
    static IntSupplier fragmentSizes(int k) {
        if (k == 0) {
            return () -> Integer.MAX_VALUE;
        }
        int[] state = {k * 0x9E3779B9 | 1};
        return () -> {
            int x = state[0];
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            state[0] = x;
            return 1 + Integer.remainderUnsigned(x, k);
        };
    }

    /**
     * encode(m) must not throw; decode(encode(m)) must equal m (for an UPDATE with RFC 7606
     * problems, whose faulty parts were dropped, the re-decoded UPDATE must be clean or carry the
     * same action); encode(decode(encode(m))) must give the same bytes. A MalformedMessage encodes
     * its NOTIFICATION, which must decode to that NOTIFICATION.
     */
    static void assertRoundTrip(BgpMessage m, SessionOptions options) {
        BgpMessage expected = m instanceof MalformedMessage bad ? bad.notification() : m;
        ByteBuf first = Unpooled.directBuffer(); // direct: tracked by the leak detector
        ByteBuf second = Unpooled.directBuffer();
        try {
            MessageCodec.encode(m, first, options);
            BgpMessage again = MessageCodec.decode(first, options, new UpdateDecodeContext());
            if (expected instanceof UpdateMessage u && u.action() != ErrorAction.NONE) {
                if (!(again instanceof UpdateMessage u2) || !sameContent(u, u2)) {
                    throw new AssertionError("re-decoded UPDATE differs:\n  decoded   " + m + "\n  re-decoded " + again
                            + "\n  bytes " + ByteBufUtil.hexDump(first));
                }
            } else if (expected instanceof KeepaliveMessage ? again != KeepaliveMessage.INSTANCE : !expected.equals(again)) {
                throw new AssertionError("decode(encode(m)) != m:\n  decoded    " + m + "\n  re-decoded " + again
                        + "\n  bytes " + ByteBufUtil.hexDump(first));
            }
            MessageCodec.encode(again, second, options);
            if (!ByteBufUtil.equals(first, second)) {
                throw new AssertionError("encoding is not a fixpoint for " + m + ":\n  " + ByteBufUtil.hexDump(first)
                        + "\n  " + ByteBufUtil.hexDump(second));
            }
        } finally {
            first.release();
            second.release();
        }
    }

    private static boolean sameContent(UpdateMessage a, UpdateMessage b) {
        return a.withdrawn().equals(b.withdrawn()) && a.attributes().equals(b.attributes()) && a.nlri().equals(b.nlri());
    }
}
