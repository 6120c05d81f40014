package io.ribbit.collector.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.ribbit.collector.http.DeferredInput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A JSON document produced piece by piece as the client reads it: Netty's {@code ChunkedWriteHandler}
 * asks for the next chunk only when the channel is writable, and each chunk is about
 * {@link #CHUNK} bytes of output from {@link #writeNext}, written by one Jackson generator
 * straight into the chunk's buffer. Memory is one chunk plus whatever the subclass holds.
 *
 * <p>A subclass whose next piece needs work elsewhere (a table pass on {@link TablePasses})
 * says so with {@link #ready()} and calls {@link #wake()} when that work is done: the chunk ends
 * there, and the HTTP side reads on when woken ({@link DeferredInput}).
 *
 * <p>Not thread-safe: runs on the HTTP channel's event loop ({@link #wake()} excepted). Each
 * chunk returned is owned by the caller (the HTTP encoder releases it); a chunk that fails
 * half-way is released here.
 */
abstract class JsonStream implements DeferredInput {
    /** Target chunk size in bytes. */
    static final int CHUNK = 32 * 1024;

    private final Sink sink = new Sink();
    private final JsonGenerator gen;
    private boolean done;
    private long progress;
    private volatile Runnable listener;

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

    /**
     * Whether {@link #writeNext} can go on now; false while the next piece waits for work on
     * another thread. Event loop only. A subclass that ever says false calls {@link #wake()}
     * when it may say true again.
     */
    protected boolean ready() {
        return true;
    }

    /** The work {@link #ready()} waited for is done: the HTTP side reads on. Any thread. */
    protected final void wake() {
        Runnable l = listener;
        if (l != null) {
            l.run();
        }
    }

    @Override
    public final void whenReady(Runnable l) {
        listener = l;
        if (done || ready()) {
            l.run(); // ready before the listener was there: its wake-up went to the previous one
        }
    }

    /** The next chunk; null at the end, or when nothing can be written until {@link #wake()}. */
    @Override
    public final ByteBuf readChunk(ByteBufAllocator alloc) throws IOException {
        if (done || !ready()) {
            return null;
        }
        ByteBuf buf = alloc.buffer(CHUNK + CHUNK / 4);
        boolean ok = false;
        boolean keep = false;
        sink.target = buf;
        try {
            while (!done && buf.readableBytes() + gen.getOutputBuffered() < CHUNK && ready()) {
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
            keep = ok && buf.readableBytes() > 0;
            if (!keep) {
                buf.release(); // failed, or nothing written before having to wait
            }
        }
        if (!keep) {
            return null;
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
