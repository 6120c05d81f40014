package io.ribbit.collector.demo;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import io.ribbit.codec.BgpFrameDecoder;
import io.ribbit.codec.BgpMessageDecoder;
import io.ribbit.codec.BgpMessageEncoder;
import io.ribbit.codec.SessionOptions;
import io.ribbit.codec.attr.AddressAttribute;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.PathAttribute;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.capability.Capability;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.KeepaliveMessage;
import io.ribbit.codec.message.NotificationMessage;
import io.ribbit.codec.message.OpenMessage;
import io.ribbit.codec.message.RouteRefreshMessage;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.collector.peer.Transport;
import io.ribbit.collector.blast.RouteGroup;
import io.ribbit.collector.blast.RouteList;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * A small BGP speaker that announces a table read from a text file ({@code prefix|AS path|origin|MED}
 * per line) over a real BGP session, then End-of-RIB, then keeps the session up. Routes with the
 * same path are packed into one UPDATE, as routers do. It connects out ({@link #start}) or waits
 * for one connection ({@link #listen}); every message it receives goes to an optional listener
 * ({@link #onMessage}). Used by {@code ribbit demo} and the collector's tests.
 */
public final class TableSpeaker implements AutoCloseable {
    /** One UPDATE's worth: shared attributes and their prefixes. */
    private record Group(PathAttributes attributes, PrefixList prefixes) {
    }

    /** Most prefixes per UPDATE: 800 /24s and a long AS path still fit 4096 octets. */
    private static final int MAX_GROUP = 800;

    private final long asn;
    private final int routerId;
    private final List<Group> groups;
    private final int routes;
    private volatile Channel channel;
    private volatile Channel server;
    private volatile Consumer<BgpMessage> listener = m -> { };
    private volatile boolean routeRefresh = true;
    private volatile boolean enhancedRouteRefresh;
    private volatile List<Capability> extraCapabilities = List.of();
    private volatile List<PathAttribute> extraAttributes = List.of();
    private volatile boolean endOfRib = true;
    private final CompletableFuture<Long> done = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    /**
     * @param table gzip text in {@link RouteList}'s format ({@code prefix|AS path|origin|MED}); the
     *              paths are sent as they are, IPv4 routes only
     */
    public TableSpeaker(long asn, int routerId, int nextHop, InputStream table) throws IOException {
        this.asn = asn;
        this.routerId = routerId;
        List<Group> out = new ArrayList<>();
        int n = 0;
        try (Reader r = new InputStreamReader(new GZIPInputStream(table), StandardCharsets.US_ASCII)) {
            for (RouteGroup g : RouteList.parseText(r, "table", MAX_GROUP)) {
                if (g.family().isIpv6()) {
                    throw new IllegalArgumentException("TableSpeaker sends IPv4 unicast only");
                }
                List<PathAttribute> a = new ArrayList<>(g.others());
                a.add(g.path());
                a.add(new AddressAttribute(AttributeCode.NEXT_HOP, nextHop));
                a.sort((x, y) -> Integer.compare(x.code(), y.code()));
                out.add(new Group(PathAttributes.of(a), g.prefixes()));
                n += g.size();
            }
        }
        this.groups = out;
        this.routes = n;
    }

    public int routes() {
        return routes;
    }

    /** Every message the speaker receives is handed to {@code l}, on the speaker's event loop. Set before starting. */
    public TableSpeaker onMessage(Consumer<BgpMessage> l) {
        this.listener = l;
        return this;
    }

    /**
     * Capabilities added to the OPEN after the default ones (e.g. graceful restart, RFC 4724, and
     * long-lived graceful restart, RFC 9494). Set before starting.
     */
    public TableSpeaker capabilities(List<Capability> extra) {
        this.extraCapabilities = List.copyOf(extra);
        return this;
    }

    /**
     * Attributes added to every route the table announces (communities, large communities,
     * LOCAL_PREF on an iBGP session, …), sent in type-code order. Set before starting.
     */
    public TableSpeaker attributes(List<PathAttribute> extra) {
        this.extraAttributes = List.copyOf(extra);
        return this;
    }

    private PathAttributes withExtra(PathAttributes base) {
        List<PathAttribute> extra = extraAttributes;
        if (extra.isEmpty()) {
            return base;
        }
        List<PathAttribute> all = new ArrayList<>(base.list());
        all.addAll(extra);
        all.sort(java.util.Comparator.comparingInt(PathAttribute::code));
        return PathAttributes.of(all);
    }

    /** Whether End-of-RIB follows the table (default true); without it, {@link #sendEndOfRib()} sends it. Set before starting. */
    public TableSpeaker endOfRib(boolean send) {
        this.endOfRib = send;
        return this;
    }

    /** Sends End-of-RIB for IPv4 unicast now (after {@code endOfRib(false)}). */
    public void sendEndOfRib() {
        Channel ch = channel;
        if (ch != null) {
            ch.writeAndFlush(UpdateMessage.endOfRib(AfiSafi.IPV4_UNICAST));
        }
    }

    /** Sends {@code n} and closes the connection once it is written (RFC 4271 §6). */
    public void notifyAndClose(NotificationMessage n) {
        Channel ch = channel;
        if (ch != null) {
            ch.writeAndFlush(n).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
        }
    }

    /** Drops the connection abruptly: a TCP reset (SO_LINGER 0), no NOTIFICATION, as when a speaker crashes. */
    public void abort() {
        Channel ch = channel;
        if (ch != null) {
            ch.eventLoop().execute(() -> {
                ch.config().setOption(ChannelOption.SO_LINGER, 0);
                ch.close();
            });
        }
    }

    /**
     * Which route refresh capabilities the OPEN advertises: route refresh (2, RFC 2918; on by
     * default) and enhanced route refresh (70, RFC 7313; off by default). Set before starting.
     */
    public TableSpeaker routeRefresh(boolean routeRefresh, boolean enhanced) {
        this.routeRefresh = routeRefresh;
        this.enhancedRouteRefresh = enhanced;
        return this;
    }

    /**
     * An enhanced route refresh (RFC 7313 §4) of IPv4 unicast on the established session: BoRR,
     * the table's routes whose prefix is in {@code prefixes} (with their attributes, packed as in
     * the initial table), then EoRR. The collector keeps only what was re-announced. Completes once
     * everything is written. Without capability 70 on both sides the collector ignores the BoRR
     * and EoRR (RFC 7313), and the UPDATEs are plain re-announcements.
     */
    public CompletableFuture<Void> enhancedRefresh(java.util.Collection<String> prefixes) {
        Channel ch = channel;
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (ch == null || !ch.isActive()) {
            f.completeExceptionally(new IllegalStateException("no session"));
            return f;
        }
        java.util.Set<String> wanted = new java.util.HashSet<>(prefixes);
        ch.eventLoop().execute(() -> {
            PrefixList none = PrefixList.empty(AfiSafi.IPV4_UNICAST);
            ch.write(new RouteRefreshMessage(AfiSafi.IPV4_UNICAST, RouteRefreshMessage.BEGIN_OF_ROUTE_REFRESH, null));
            for (Group g : groups) {
                PrefixList p = g.prefixes();
                long[] keep = new long[p.size()];
                int n = 0;
                for (int i = 0; i < p.size(); i++) {
                    if (wanted.contains(p.prefix(i))) {
                        keep[n++] = p.ipv4(i);
                    }
                }
                if (n > 0) {
                    ch.write(UpdateMessage.of(none, withExtra(g.attributes()),
                            new PrefixList(AfiSafi.IPV4_UNICAST, n, Arrays.copyOf(keep, n), null, null, null)));
                }
            }
            ch.writeAndFlush(new RouteRefreshMessage(AfiSafi.IPV4_UNICAST, RouteRefreshMessage.END_OF_ROUTE_REFRESH,
                    null)).addListener(w -> {
                        if (w.isSuccess()) {
                            f.complete(null);
                        } else {
                            f.completeExceptionally(w.cause());
                        }
                    });
        });
        return f;
    }

    /** Completes when the session's TCP connection has closed (either side). */
    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    /** Connects from {@code local} to {@code remote}; the future completes with the UPDATE count once all are sent. */
    public CompletableFuture<Long> start(EventLoopGroup group, Transport transport, InetSocketAddress local,
            InetSocketAddress remote) {
        new Bootstrap().group(group).channel(transport.channelClass()).handler(initializer()).connect(remote, local)
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        done.completeExceptionally(f.cause());
                    }
                });
        return done;
    }

    /**
     * Listens on {@code local} for the collector to connect (its active mode) and serves the first
     * connection; returns the bound address. {@link #sent()} completes once the table is sent.
     */
    public InetSocketAddress listen(EventLoopGroup group, Transport transport, InetSocketAddress local)
            throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(transport.serverChannelClass()).childHandler(initializer())
                .bind(local).sync().channel();
        return (InetSocketAddress) server.localAddress();
    }

    /** Completes with the UPDATE count once the table and End-of-RIB are sent. */
    public CompletableFuture<Long> sent() {
        return done;
    }

    private ChannelInitializer<Channel> initializer() {
        SessionOptions as4 = SessionOptions.AS4;
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (channel != null) {
                    ch.close(); // one session at a time
                    return;
                }
                ch.pipeline().addLast(new BgpFrameDecoder(as4), new BgpMessageDecoder(as4), new BgpMessageEncoder(as4),
                        new Handler());
            }
        };
    }

    private List<Capability> withExtra(List<Capability> caps) {
        if (extraCapabilities.isEmpty()) {
            return caps;
        }
        List<Capability> all = new ArrayList<>(caps);
        all.addAll(extraCapabilities);
        return all;
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        private boolean established;
        private int next;
        private long sent;
        private ScheduledFuture<?> keepalives;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            List<Capability> caps = new ArrayList<>();
            caps.add(new Capability.Multiprotocol(AfiSafi.IPV4_UNICAST));
            if (routeRefresh) {
                caps.add(new Capability.RouteRefresh(Capability.ROUTE_REFRESH));
            }
            if (enhancedRouteRefresh) {
                caps.add(new Capability.EnhancedRouteRefresh());
            }
            caps.add(new Capability.FourOctetAs(asn));
            ctx.writeAndFlush(OpenMessage.of(asn, 90, routerId, withExtra(caps)));
            keepalives = ctx.executor().scheduleAtFixedRate(() -> ctx.writeAndFlush(KeepaliveMessage.INSTANCE), 30, 30,
                    TimeUnit.SECONDS);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            BgpMessage m = (BgpMessage) msg;
            listener.accept(m);
            if (m instanceof OpenMessage) {
                ctx.writeAndFlush(KeepaliveMessage.INSTANCE);
            } else if (m instanceof KeepaliveMessage && !established) {
                established = true;
                pump(ctx);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                pump(ctx);
            }
        }

        private void pump(ChannelHandlerContext ctx) {
            PrefixList none = PrefixList.empty(AfiSafi.IPV4_UNICAST);
            while (next < groups.size() && ctx.channel().isWritable()) {
                Group g = groups.get(next++);
                ctx.write(UpdateMessage.of(none, withExtra(g.attributes()), g.prefixes()));
                sent++;
            }
            if (next == groups.size()) {
                next++;
                if (endOfRib) {
                    ctx.write(UpdateMessage.endOfRib(AfiSafi.IPV4_UNICAST));
                }
                done.complete(sent);
            }
            ctx.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (keepalives != null) {
                keepalives.cancel(false);
            }
            done.completeExceptionally(new IOException("session closed by the collector"));
            closed.complete(null);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }
    }

    /** Closes the session (a plain TCP close, no NOTIFICATION) and the listening socket, if any. */
    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (channel != null) {
            channel.close();
        }
    }
}
