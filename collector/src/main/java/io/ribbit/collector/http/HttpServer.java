package io.ribbit.collector.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.ribbit.collector.peer.Transport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The HTTP side on Netty's HTTP codec: {@code /metrics} (Prometheus text), {@code /health},
 * {@code /ready}, and any routes registered later (exact paths, or path prefixes for the API). Small responses are built in
 * memory; handlers run on the HTTP event loop, never on a peer's.
 */
public final class HttpServer implements AutoCloseable {
    /** A response: status, content type, body. */
    public record Response(int status, String contentType, byte[] body) {
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
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new Dispatcher());
                    }
                });
        channel = sb.bind(bind).sync().channel();
        return (InetSocketAddress) channel.localAddress();
    }

    private final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            QueryStringDecoder uri = new QueryStringDecoder(req.uri());
            Handler h = handlerFor(uri.path());
            Response r;
            if (h == null) {
                r = Response.text(404, "not found\n");
            } else {
                try {
                    r = h.handle(req.method(), uri, req.content().toString(StandardCharsets.UTF_8));
                } catch (RuntimeException e) {
                    r = Response.text(500, "internal error: " + e + "\n");
                }
            }
            ByteBuf body = req.method().equals(HttpMethod.HEAD) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.body());
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                    body);
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
            resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            if (keepAlive) {
                resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(resp);
            } else {
                ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
    }
}
