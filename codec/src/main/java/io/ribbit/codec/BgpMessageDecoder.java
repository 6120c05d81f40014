package io.ribbit.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.ribbit.codec.attr.UpdateDecodeContext;
import io.ribbit.codec.message.MessageCodec;
import java.util.List;

/**
 * Decodes each frame from {@link BgpFrameDecoder} into a
 * {@link io.ribbit.codec.message.BgpMessage} (or a
 * {@link io.ribbit.codec.message.MalformedMessage} when the session must be reset). The frame is
 * released when this returns; the decoded model holds no ByteBuf. Other objects (a
 * MalformedMessage from the frame decoder) pass through untouched.
 *
 * <p>Per channel, not sharable; {@link #options(SessionOptions)} on the event loop only.
 */
public final class BgpMessageDecoder extends MessageToMessageDecoder<ByteBuf> {
    private final UpdateDecodeContext context = new UpdateDecodeContext();
    private SessionOptions options;

    public BgpMessageDecoder() {
        this(SessionOptions.DEFAULT);
    }

    public BgpMessageDecoder(SessionOptions options) {
        super(ByteBuf.class);
        this.options = options;
    }

    public void options(SessionOptions options) {
        this.options = options;
    }

    public SessionOptions options() {
        return options;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        out.add(MessageCodec.decode(frame, options, context));
    }
}
