package io.ribbit.collector.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A JSON document produced piece by piece as the client reads it: Netty's {@code ChunkedWriteHandler}
 * asks for the next chunk only when the channel is writable, and each chunk is about
 * {@link #CHUNK} bytes of output from {@link #writeNext}, written by one Jackson generator
 * straight into the chunk's buffer. Memory is one chunk plus whatever the subclass holds.
 *
 * <p>Not thread-safe: runs on the HTTP channel's event loop. Each chunk returned is owned by
 * the caller (the HTTP encoder releases it); a chunk that fails half-way is released here.
 */
abstract class JsonStream implements ChunkedInput<ByteBuf> {
    /** Target chunk size in bytes. */
    static final int CHUNK = 32 * 1024;

    private final Sink sink = new Sink();
    private final JsonGenerator gen;
    private boolean done;
    private long progress;

    JsonStream(JsonFactory json) {
        try {
            this.gen = json.createGenerator(sink);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not reached: the sink is in memory
        }
    }

    /**
     * Writes the next piece of the document (an opening, one route, …) to {@code g}.
     *
     * @return true once the document is complete (the root closed)
     */
    protected abstract boolean writeNext(JsonGenerator g) throws IOException;

    /** Drops what the subclass holds (after the end, or when the client went away). */
    protected void release() {
    }

    @Override
    public final ByteBuf readChunk(ByteBufAllocator alloc) throws IOException {
        if (done) {
            return null;
        }
        ByteBuf buf = alloc.buffer(CHUNK + CHUNK / 4);
        boolean ok = false;
        sink.target = buf;
        try {
            while (!done && buf.readableBytes() + gen.getOutputBuffered() < CHUNK) {
                done = writeNext(gen);
            }
            if (done) {
                gen.close();
                release();
            } else {
                gen.flush();
            }
            ok = true;
        } finally {
            sink.target = null;
            if (!ok) {
                buf.release();
            }
        }
        progress += buf.readableBytes();
        return buf;
    }

    @Override
    @Deprecated
    public final ByteBuf readChunk(ChannelHandlerContext ctx) throws IOException {
        return readChunk(ctx.alloc());
    }

    @Override
    public final boolean isEndOfInput() {
        return done;
    }

    @Override
    public final void close() {
        if (!gen.isClosed()) {
            try {
                gen.close(); // no target: whatever it still buffers is dropped
            } catch (IOException | RuntimeException e) {
                // closing early: the client went away or a chunk failed
            }
            release();
        }
    }

    @Override
    public final long length() {
        return -1;
    }

    @Override
    public final long progress() {
        return progress;
    }

    /** Writes into the current chunk's buffer; outside {@link #readChunk} there is none and bytes are dropped. */
    private static final class Sink extends OutputStream {
        ByteBuf target;

        @Override
        public void write(int b) {
            if (target != null) {
                target.writeByte(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (target != null) {
                target.writeBytes(b, off, len);
            }
        }
    }
}
