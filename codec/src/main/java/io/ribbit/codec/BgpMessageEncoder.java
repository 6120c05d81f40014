package io.ribbit.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.MessageCodec;

/**
 * Writes {@link BgpMessage}s. Holds the session options (4-octet AS and ADD-PATH send change the
 * encoding), so it is per channel; {@link #options(SessionOptions)} on the event loop only.
 */
public final class BgpMessageEncoder extends MessageToByteEncoder<BgpMessage> {
    private SessionOptions options;

    public BgpMessageEncoder() {
        this(SessionOptions.DEFAULT);
    }

    public BgpMessageEncoder(SessionOptions options) {
        super(BgpMessage.class);
        this.options = options;
    }

    public void options(SessionOptions options) {
        this.options = options;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, BgpMessage msg, ByteBuf out) {
        MessageCodec.encode(msg, out, options);
    }
}
