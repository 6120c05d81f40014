package io.ribbit.collector.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.ribbit.collector.peer.Transport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The HTTP side on Netty's HTTP codec: {@code /metrics} (Prometheus text), {@code /health},
 * {@code /ready}, and any routes registered later (exact paths, or path prefixes for the API). Small responses are built in
 * memory; large ones are streamed as chunks produced when the channel is writable
 * ({@link ChunkedWriteHandler}), so their memory stays bounded. Handlers and stream producers run
 * on the HTTP event loop, never on a peer's; work that takes longer than about a millisecond
 * belongs elsewhere, behind a {@link DeferredInput} (the query API's table passes).
 */
public final class HttpServer implements AutoCloseable {
    /**
     * A response: status, content type, and a body in memory or, when {@code stream} is not null, a
     * chunked body read from it on the HTTP event loop as the client takes it (the server closes it).
     */
    public record Response(int status, String contentType, byte[] body, ChunkedInput<ByteBuf> stream) {
        public Response(int status, String contentType, byte[] body) {
            this(status, contentType, body, null);
        }

        /** A chunked response (Transfer-Encoding: chunked) read from {@code stream}. */
        public static Response stream(int status, String contentType, ChunkedInput<ByteBuf> stream) {
            return new Response(status, contentType, new byte[0], stream);
        }

        public static Response text(int status, String text) {
            return new Response(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        }

        public static Response json(int status, String json) {
            return new Response(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A route handler. */
    @FunctionalInterface
    public interface Handler {
        Response handle(HttpMethod method, QueryStringDecoder uri, String body);
    }

    private final Map<String, Handler> routes = new ConcurrentHashMap<>();
    private final Map<String, Handler> prefixes = new ConcurrentHashMap<>();
    private Channel channel;

    public HttpServer route(String path, Handler h) {
        routes.put(path, h);
        return this;
    }

    /**
     * Routes every path that starts with {@code prefix} (e.g. {@code /api/peers/}) to {@code h},
     * which reads the rest of {@code uri.path()} itself. Exact routes win; among prefixes, the longest.
     */
    public HttpServer prefix(String prefix, Handler h) {
        prefixes.put(prefix, h);
        return this;
    }

    private Handler handlerFor(String path) {
        Handler h = routes.get(path);
        String best = null;
        if (h == null) {
            for (String p : prefixes.keySet()) {
                if (path.startsWith(p) && (best == null || p.length() > best.length())) {
                    best = p;
                }
            }
        }
        return best == null ? h : prefixes.get(best);
    }

    public HttpServer get(String path, Supplier<Response> s) {
        return route(path, (m, u, b) -> m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD) ? s.get()
                : Response.text(405, "method not allowed\n"));
    }

    public InetSocketAddress start(InetSocketAddress bind, EventLoopGroup group, Transport transport)
            throws InterruptedException {
        ServerBootstrap sb = new ServerBootstrap().group(group).channel(transport.serverChannelClass())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new ChunkedWriteHandler(), new Dispatcher());
                    }
                });
        channel = sb.bind(bind).sync().channel();
        return (InetSocketAddress) channel.localAddress();
    }

    /**
     * One per connection, on its event loop. Requests are answered in order (HTTP/1.1
     * pipelining): while a streamed response waits for its first chunk (a {@link DeferredInput}
     * whose work runs elsewhere), the connection stops reading and requests already decoded wait
     * in {@link #queued}; everything written after that goes through ChunkedWriteHandler's queue,
     * which keeps the order.
     */
    private final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
        /** A response waiting for its first chunk, and whether to keep the connection after it. */
        private record Waiting(Response response, boolean keepAlive) {
        }

        private Waiting waiting;
        private final ArrayDeque<FullHttpRequest> queued = new ArrayDeque<>(2);

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (waiting != null) {
                queued.add(req.retain()); // released once served, or when the connection ends
                return;
            }
            serve(ctx, req);
        }

        private void serve(ChannelHandlerContext ctx, FullHttpRequest req) {
            Response r;
            if (req.decoderResult().isFailure()) {
                r = Response.json(400, "{\"error\":\"bad request: malformed HTTP\"}\n");
            } else {
                r = dispatch(req);
            }
            respond(ctx, r, req.method().equals(HttpMethod.HEAD), HttpUtil.isKeepAlive(req));
        }

        private void respond(ChannelHandlerContext ctx, Response r, boolean head, boolean keepAlive) {
            ByteBuf body;
            int length;
            if (r.stream() != null && head) {
                closeQuietly(r.stream());
                writeStream(ctx, keepAlive, r, true, null);
                return;
            } else if (r.stream() != null) {
                // The first chunk now: a body that fits in it goes out whole, with a Content-Length.
                ChunkedInput<ByteBuf> in = r.stream();
                ByteBuf first = null;
                boolean end = true;
                try {
                    first = in.readChunk(ctx.alloc());
                    end = in.isEndOfInput();
                } catch (Exception e) {
                    if (first != null) {
                        first.release();
                        first = null;
                    }
                    r = Response.text(500, "internal error: " + e + "\n");
                }
                if (r.stream() != null && first == null && !end && in instanceof DeferredInput d) {
                    // Its work runs elsewhere: read the first chunk when it is done. Meanwhile
                    // the connection reads nothing more (its next request would have to wait anyway).
                    waiting = new Waiting(r, keepAlive);
                    ctx.channel().config().setAutoRead(false);
                    d.whenReady(() -> ctx.executor().execute(() -> resume(ctx)));
                    return;
                }
                if (r.stream() != null && !end) {
                    writeStream(ctx, keepAlive, r, false, first);
                    return;
                }
                closeQuietly(in);
                body = first != null ? first : Unpooled.wrappedBuffer(r.body());
                length = body.readableBytes();
            } else {
                body = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.body());
                length = r.body().length;
            }
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                    body);
            headers(resp, r);
            resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, length);
            if (keepAlive) {
                resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(resp);
            } else {
                ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
            }
        }

        /** The waiting response may have its first chunk: try again, then serve what queued up. */
        private void resume(ChannelHandlerContext ctx) {
            Waiting w = waiting;
            if (w == null || !ctx.channel().isActive()) {
                return; // a repeated wake-up, or the connection ended (channelInactive closed the stream)
            }
            waiting = null;
            respond(ctx, w.response(), false, w.keepAlive()); // may wait again (a spurious wake-up)
            while (waiting == null && !queued.isEmpty()) {
                FullHttpRequest next = queued.poll();
                try {
                    serve(ctx, next);
                } finally {
                    next.release();
                }
            }
            if (waiting == null) {
                ctx.channel().config().setAutoRead(true);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            end();
            super.channelInactive(ctx);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            end();
        }

        /** The connection is gone: the waiting stream is closed (its work cancelled), queued requests released. */
        private void end() {
            if (waiting != null) {
                closeQuietly(waiting.response().stream());
                waiting = null;
            }
            for (FullHttpRequest q; (q = queued.poll()) != null; ) {
                q.release();
            }
        }

        private Response dispatch(FullHttpRequest req) {
            QueryStringDecoder uri = new QueryStringDecoder(req.uri());
            try {
                uri.path(); // decoded lazily: a malformed escape is the client's error, found here
                uri.parameters();
            } catch (IllegalArgumentException e) {
                return Response.json(400, "{\"error\":\"bad request: malformed URI\"}\n");
            }
            Handler h = handlerFor(uri.path());
            if (h == null) {
                return Response.text(404, "not found\n");
            }
            try {
                return h.handle(req.method(), uri, req.content().toString(StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                return Response.text(500, "internal error: " + e + "\n");
            }
        }

        /**
         * Headers, {@code first} (the first chunk, already read, or null), then the rest
         * chunk by chunk as the channel becomes writable (ChunkedWriteHandler reads the next chunk
         * only then: back-pressure). A stream that fails half-way cannot change the status any
         * more, so the connection is closed without the terminating chunk and the client sees a
         * truncated response, not a complete one. With {@code headOnly} (HEAD) the headers alone.
         */
        private void writeStream(ChannelHandlerContext ctx, boolean keepAlive, Response r, boolean headOnly,
                ByteBuf first) {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()));
            headers(head, r);
            HttpUtil.setTransferEncodingChunked(head, true);
            if (keepAlive) {
                head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.write(head);
            ChannelFuture done;
            if (headOnly) {
                done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            } else {
                if (first != null) {
                    ctx.write(new DefaultHttpContent(first));
                }
                ChunkedWriteHandler writer = ctx.pipeline().get(ChunkedWriteHandler.class);
                if (r.stream() instanceof DeferredInput d && writer != null) {
                    // A later chunk that waits for work elsewhere: the transfer resumes when it is done,
                    // always from a task of its own. The work may be done by the time its completion
                    // is hooked, which runs the wake-up on the loop inside readChunk; resuming there
                    // would nest ChunkedWriteHandler.doFlush in itself (it then read the stream
                    // reentrantly and failed with NoSuchElementException, truncating a dump).
                    d.whenReady(() -> ctx.executor().execute(writer::resumeTransfer));
                }
                done = ctx.writeAndFlush(new HttpChunkedInput(new Fair(r.stream(), ctx)));
            }
            done.addListener((ChannelFuture f) -> {
                if (!f.isSuccess() || !keepAlive) {
                    f.channel().close();
                }
            });
        }

        private static void headers(HttpResponse resp, Response r) {
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
            resp.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
            resp.headers().set("X-Content-Type-Options", "nosniff");
            if (r.contentType().startsWith("text/html")) {
                // The looking glass: its own scripts and styles only, no inline code, never framed.
                resp.headers().set("Content-Security-Policy",
                        "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
            }
        }

        private static void closeQuietly(ChunkedInput<ByteBuf> in) {
            try {
                in.close();
            } catch (Exception e) {
                // nothing was read from it
            }
        }
    }

    /**
     * Keeps one streamed response from holding the HTTP event loop: ChunkedWriteHandler reads
     * chunks for as long as the channel stays writable, which on a fast client is the whole
     * body. After about a millisecond of producing, this reports "no chunk yet" and resumes the
     * transfer from a task scheduled on the loop, so the other connections' I/O runs in between.
     */
    private static final class Fair implements ChunkedInput<ByteBuf> {
        private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
        private final ChunkedInput<ByteBuf> in;
        private final ChannelHandlerContext ctx;
        private long sliceStart;

        Fair(ChunkedInput<ByteBuf> in, ChannelHandlerContext ctx) {
            this.in = in;
            this.ctx = ctx;
        }

        @Override
        public ByteBuf readChunk(ByteBufAllocator alloc) throws Exception {
            long now = System.nanoTime();
            if (sliceStart == 0) {
                sliceStart = now;
            } else if (now - sliceStart > SLICE_NANOS) {
                sliceStart = 0;
                ChunkedWriteHandler writer = ctx.pipeline().get(ChunkedWriteHandler.class);
                if (writer != null) {
                    // Scheduled, not executed: the loop's task pass runs what execute() queues at
                    // once, which would keep I/O waiting; a due scheduled task waits for the next pass.
                    ctx.executor().schedule(writer::resumeTransfer, 0, TimeUnit.NANOSECONDS);
                    return null;
                }
            }
            return in.readChunk(alloc);
        }

        @Override
        @Deprecated
        public ByteBuf readChunk(ChannelHandlerContext c) throws Exception {
            return readChunk(c.alloc());
        }

        @Override
        public boolean isEndOfInput() throws Exception {
            return in.isEndOfInput();
        }

        @Override
        public void close() throws Exception {
            in.close();
        }

        @Override
        public long length() {
            return in.length();
        }

        @Override
        public long progress() {
            return in.progress();
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
    }
}
