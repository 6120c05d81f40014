package io.ribbit.collector.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.stream.ChunkedInput;

/**
 * A chunked body whose next chunk may depend on work running on another thread (a pass over a
 * whole table, for the query API). Until that work is done {@link #readChunk} returns null
 * without being at the end of input; when it may have more, the input runs the listener given to
 * {@link #whenReady}, from whatever thread finished the work. {@link HttpServer} then reads on:
 * the first chunk once it exists (so a small body still goes out whole, with a Content-Length),
 * later ones through {@code ChunkedWriteHandler.resumeTransfer()}, which also waits for the
 * channel to be writable.
 *
 * <p>Thread safety: {@code readChunk}, {@code close} and {@code whenReady} on the HTTP event loop;
 * the listener may run on any thread, more than once, and must be cheap (hand over to the loop).
 */
public interface DeferredInput extends ChunkedInput<ByteBuf> {
    /**
     * Replaces the listener to run when the input may have more. If it already has, the listener
     * runs at once (no wake-up is lost between a null {@code readChunk} and this call).
     */
    void whenReady(Runnable listener);
}
