package io.ribbit.collector.peer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Sits between the frame decoder and the message decoder when a sink wants {@code raw}: copies
 * each frame's bytes so the session handler can attach them to the message's event. Passes the
 * frame on unchanged (ownership moves on; nothing is retained or released here).
 */
final class RawCapture extends ChannelInboundHandlerAdapter {
    private byte[] last;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            byte[] copy = new byte[b.readableBytes()];
            b.getBytes(b.readerIndex(), copy);
            last = copy;
        } else {
            last = null;
        }
        ctx.fireChannelRead(msg);
    }

    /** The bytes of the frame being decoded now, taken once. */
    byte[] take() {
        byte[] b = last;
        last = null;
        return b;
    }
}
