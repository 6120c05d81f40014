package io.ribbit.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.MpReachNlri;
import io.ribbit.codec.attr.Origin;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.KeepaliveMessage;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fuzz invariants can fail: {@link DecodeHarness} must catch a pipeline that leaks a frame,
 * one that emits raw ByteBufs, and one that throws; {@link FuzzDecodeTest#assertRoundTrip} must
 * catch a message that does not survive encode + decode.
 */
class DecodeHarnessTest {
    private static final byte[] KEEPALIVE = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 19, 4};

    @Test
    void productionPipelineDecodesAKeepaliveInAnyFragmentation() {
        for (int k = 1; k <= KEEPALIVE.length; k++) {
            int size = k;
            List<BgpMessage> out = DecodeHarness.decode(SessionOptions.DEFAULT, KEEPALIVE, () -> size);
            assertEquals(List.of(KeepaliveMessage.INSTANCE), out);
        }
    }

    @Test
    void frameThatIsNeverReleasedIsALeak() {
        AssertionError e = assertThrows(AssertionError.class, () -> DecodeHarness.decode(
                o -> new ChannelHandler[] {new BgpFrameDecoder(o), new Swallow()}, SessionOptions.DEFAULT, KEEPALIVE,
                () -> 5));
        assertTrue(e.getMessage().contains("not released"), e.getMessage());
        // The swallowed frame is garbage now; Netty's detector reports it, and the extension must not
        // fail this test for a leak it provoked on purpose.
        for (int i = 0; i < 50 && NettyLeakExtension.leaks().isEmpty(); i++) {
            NettyLeakExtension.forceDetection(1);
        }
        assertTrue(NettyLeakExtension.drainLeaks().stream().anyMatch(l -> l.records().contains("Swallow")),
                "the PARANOID detector did not report the swallowed frame");
    }

    @Test
    void rawFramesAreNotMessages() {
        AssertionError e = assertThrows(AssertionError.class, () -> DecodeHarness.decode(
                o -> new ChannelHandler[] {new BgpFrameDecoder(o)}, SessionOptions.DEFAULT, KEEPALIVE, () -> 19));
        assertTrue(e.getMessage().contains("non-BgpMessage"), e.getMessage());
    }

    @Test
    void pipelineExceptionEscapes() {
        assertThrows(DecoderException.class, () -> DecodeHarness.decode(
                o -> new ChannelHandler[] {new BgpFrameDecoder(o), new Throwing()}, SessionOptions.DEFAULT, KEEPALIVE,
                () -> 19));
    }

    @Test
    void roundTripCheckCatchesAMessageThatDoesNotSurviveEncoding() {
        // 2001:db8:ffff::/32 has host bits set: only 2001:db8 goes on the wire.
        PrefixList nonCanonical = new PrefixList(AfiSafi.IPV6_UNICAST, 1, new long[] {0x20010db8ffff0000L, 0, 32},
                null, null, null);
        UpdateMessage u = UpdateMessage.of(PrefixList.empty(AfiSafi.IPV4_UNICAST), PathAttributes.of(Origin.IGP,
                AsPath.sequence(64500), new MpReachNlri(AfiSafi.IPV6_UNICAST, new byte[16], nonCanonical)),
                PrefixList.empty(AfiSafi.IPV4_UNICAST));
        AssertionError e = assertThrows(AssertionError.class,
                () -> FuzzDecodeTest.assertRoundTrip(u, SessionOptions.AS4));
        assertTrue(e.getMessage().contains("decode(encode(m)) != m"), e.getMessage());
    }

    /** Drops every frame without releasing it. */
    private static final class Swallow extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ((ByteBuf) msg).touch("Swallow");
        }
    }

    /** Fails the way a decoder bug would. */
    private static final class Throwing extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ((ByteBuf) msg).release();
            throw new DecoderException("decoder bug");
        }
    }
}
