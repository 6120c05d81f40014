package io.ribbit.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.ribbit.codec.error.BgpError;
import io.ribbit.codec.message.MalformedMessage;
import io.ribbit.codec.message.MessageHeader;
import java.util.List;

/**
 * Splits the TCP byte stream into BGP messages (RFC 4271 §4.1). Emits one
 * {@code readRetainedSlice} per message (the receiver owns and releases it), or, on a header
 * error, one {@link MalformedMessage} carrying the RFC 4271 §6.1 NOTIFICATION, after which all
 * further input is discarded (the session is going down).
 *
 * <p>Every check is decided from the header before the body is buffered: marker (checked octet by
 * octet as it arrives, 1/1), length bounds for the type (1/2 with the length field as data; 4096,
 * or 65535 for UPDATE/NOTIFICATION/ROUTE-REFRESH once RFC 8654 Extended Message is negotiated),
 * type (1/3 with the type octet as data), per-type minimum and exact lengths (1/2). See
 * {@link MessageHeader}.
 *
 * <p>Per channel, not sharable. {@link #options(SessionOptions)} must be called on the channel's
 * event loop (the FSM handler does it when OPEN negotiation ends, before the next frame is read).
 */
public final class BgpFrameDecoder extends ByteToMessageDecoder {
    private SessionOptions options;
    private boolean discarding;

    public BgpFrameDecoder() {
        this(SessionOptions.DEFAULT);
    }

    public BgpFrameDecoder(SessionOptions options) {
        this.options = options;
        // A read almost always ends inside a message, so the next read is appended to what is
        // left. Compacting after every read (not every 16th) keeps the buffer about one read
        // long: a full table otherwise grows it past the pooled sizes, and each growth is then a
        // fresh, zeroed, unpooled buffer of another class (and a deoptimization of the decoders).
        setDiscardAfterReads(1);
    }

    public void options(SessionOptions options) {
        this.options = options;
    }

    public SessionOptions options() {
        return options;
    }

    /** The capacity of the buffer holding a partly received message (0 when none): for tests. */
    int bufferedCapacity() {
        return internalBuffer().capacity();
    }

    /** True after a header error: input is being discarded. */
    public boolean discarding() {
        return discarding;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (discarding) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int idx = in.readerIndex();
        int readable = in.readableBytes();
        if (readable < MessageHeader.HEADER_LENGTH) {
            // Reject a bad marker as soon as the octet arrives, without waiting for the rest.
            int n = Math.min(readable, MessageHeader.MARKER_LENGTH);
            for (int i = 0; i < n; i++) {
                if (in.getByte(idx + i) != (byte) 0xff) {
                    fail(in, out, new MalformedMessage(-1, BgpError.CONNECTION_NOT_SYNCHRONIZED, null,
                            "marker is not all ones (RFC 4271 §6.1)"));
                    return;
                }
            }
            return;
        }
        MalformedMessage bad = MessageHeader.check(in, idx, options);
        if (bad != null) {
            fail(in, out, bad);
            return;
        }
        int length = in.getUnsignedShort(idx + MessageHeader.LENGTH_OFFSET);
        if (readable < length) {
            return;
        }
        out.add(in.readRetainedSlice(length));
    }

    private void fail(ByteBuf in, List<Object> out, MalformedMessage bad) {
        discarding = true;
        in.skipBytes(in.readableBytes());
        out.add(bad);
    }
}
