package io.ribbit.collector.blast;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.ScheduledFuture;
import io.ribbit.codec.BgpFrameDecoder;
import io.ribbit.codec.BgpMessageDecoder;
import io.ribbit.codec.BgpMessageEncoder;
import io.ribbit.codec.SessionOptions;
import io.ribbit.codec.capability.Capability;
import io.ribbit.codec.error.BgpError;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.KeepaliveMessage;
import io.ribbit.codec.message.MalformedMessage;
import io.ribbit.codec.message.NotificationMessage;
import io.ribbit.codec.message.OpenMessage;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.collector.peer.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One blast BGP session: connects (or accepts one connection), exchanges OPEN (4-octet AS, route
 * refresh, IPv4 and optionally IPv6 unicast), then writes pre-encoded {@link EncodedStream}s as
 * retained slices of their segments, at most one segment per write, only while the channel is
 * writable (back-pressure: TCP's window and Netty's write-buffer water marks), paced by a
 * {@link Pace}. Whole messages only, so KEEPALIVEs (every third of the negotiated hold time) and
 * End-of-RIB slot in between. Reads and decodes what the receiver sends (KEEPALIVEs, a
 * NOTIFICATION, possibly routes) and enforces the hold time.
 *
 * <p>Thread safety: all state is confined to the channel's event loop; the public methods hand
 * their work to it and return futures.
 */
public final class BlastSession {
    /** Netty's outbound buffer: stop writing above the high mark, resume below the low one. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(4 << 20, 8 << 20);
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final SessionParams params;
    private final int holdTime;
    private final boolean ipv6;
    private final EventLoop loop;
    private final Transport transport;
    private final CompletableFuture<Void> established = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile Channel channel;
    private volatile Channel server;
    private volatile String error;
    private volatile InetSocketAddress remote;
    private volatile long receivedUpdates;
    private volatile int negotiatedHold;

    // Sending state, event loop only.
    private EncodedStream stream;
    private Pace pace;
    private int next;
    private int segment;
    private long startNanos;
    private CompletableFuture<PhaseResult> sent;
    private ChannelFuture lastWrite;
    private boolean pumpScheduled;

    public BlastSession(SessionParams params, int holdTime, boolean ipv6, EventLoopGroup group, Transport transport) {
        this.params = params;
        this.holdTime = holdTime;
        this.ipv6 = ipv6;
        this.loop = group.next();
        this.transport = transport;
    }

    public SessionParams params() {
        return params;
    }

    /** Why the session failed or ended early, or null. */
    public String error() {
        return error;
    }

    /** The receiver's address once connected. */
    public InetSocketAddress remote() {
        return remote;
    }

    public long receivedUpdates() {
        return receivedUpdates;
    }

    /** Completes when the session is Established; exceptionally if it cannot be. */
    public CompletableFuture<Void> established() {
        return established;
    }

    /** Completes when the TCP connection has closed. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    /** Connects to {@code target} from {@link SessionParams#local()}, retrying every 200 ms until the deadline. */
    public void connect(InetSocketAddress target, long deadlineNanos) {
        new Bootstrap().group(loop).channel(transport.channelClass())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .handler(initializer())
                .connect(target, params.local()).addListener((ChannelFuture f) -> {
                    if (f.isSuccess()) {
                        return;
                    }
                    if (System.nanoTime() + RETRY_NANOS < deadlineNanos && !established.isDone()) {
                        loop.schedule(() -> connect(target, deadlineNanos), RETRY_NANOS, TimeUnit.NANOSECONDS);
                    } else {
                        Throwable c = f.cause();
                        fail("cannot connect to " + target + " from " + params.local() + ": "
                                + (c.getMessage() != null ? c.getMessage() : c.toString()));
                    }
                });
    }

    /** Listens on {@link SessionParams#local()} and serves the first connection (the receiver connects). */
    public void listen(long deadlineNanos) throws InterruptedException {
        server = new ServerBootstrap().group(loop, loop).channel(transport.serverChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(initializer()).bind(params.local()).sync().channel();
        loop.schedule(() -> {
            if (channel == null) {
                fail("no connection to " + params.local() + " within the connect timeout");
            }
        }, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** The bound listen address (passive sessions). */
    public InetSocketAddress listenAddress() {
        Channel s = server;
        return s == null ? null : (InetSocketAddress) s.localAddress();
    }

    /**
     * Writes {@code s} (after whatever is being written) at {@code pace}; completes when the last
     * write has completed. The stream stays owned by the caller.
     */
    public CompletableFuture<PhaseResult> send(EncodedStream s, Pace p) {
        CompletableFuture<PhaseResult> f = new CompletableFuture<>();
        loop.execute(() -> {
            if (sent != null) {
                f.completeExceptionally(new IllegalStateException("a stream is already being sent"));
            } else if (channel == null || !channel.isActive() || !established.isDone()) {
                f.completeExceptionally(new IOException("session " + (params.index() + 1) + " is not established"
                        + (error != null ? ": " + error : "")));
            } else {
                stream = s;
                pace = p;
                next = 0;
                segment = 0;
                lastWrite = null;
                sent = f;
                startNanos = System.nanoTime();
                pump();
            }
        });
        return f;
    }

    /** Sends End-of-RIB (RFC 4724 §2) for IPv4 unicast, and IPv6 unicast if the session carries it. */
    public CompletableFuture<Void> sendEndOfRib() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        loop.execute(() -> {
            Channel ch = channel;
            if (ch == null || !ch.isActive()) {
                f.completeExceptionally(new IOException("session " + (params.index() + 1) + " is closed"));
                return;
            }
            ch.write(UpdateMessage.endOfRib(AfiSafi.IPV4_UNICAST));
            if (ipv6) {
                ch.write(UpdateMessage.endOfRib(AfiSafi.IPV6_UNICAST));
            }
            ch.writeAndFlush(KeepaliveMessage.INSTANCE).addListener(w -> {
                if (w.isSuccess()) {
                    f.complete(null);
                } else {
                    f.completeExceptionally(w.cause());
                }
            });
        });
        return f;
    }

    /**
     * Ends the session: Cease / Administrative Shutdown (RFC 4486, RFC 9003 text) if it got as far
     * as OPEN, then close; also closes the listener. Completes when the connection is closed.
     */
    public CompletableFuture<Void> stop(String communication) {
        loop.execute(() -> {
            Channel s = server;
            if (s != null) {
                s.close();
            }
            Channel ch = channel;
            if (ch == null) {
                if (error == null) {
                    error = "stopped before a connection";
                }
                established.completeExceptionally(new IOException(error));
                closed.complete(null);
            } else if (ch.isActive()) {
                ch.writeAndFlush(NotificationMessage.shutdown(BgpError.ADMINISTRATIVE_SHUTDOWN, communication))
                        .addListener(ChannelFutureListener.CLOSE);
                ch.eventLoop().schedule(() -> ch.close(), 2, TimeUnit.SECONDS);
            }
        });
        return closed;
    }

    private void fail(String why) {
        if (error == null) {
            error = why;
        }
        established.completeExceptionally(new IOException(why));
        CompletableFuture<PhaseResult> f = sent;
        if (f != null) {
            sent = null;
            f.completeExceptionally(new IOException(why));
        }
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        } else {
            Channel s = server;
            if (s != null) {
                s.close();
            }
            closed.complete(null);
        }
    }

    /**
     * Writes what the pace allows while the channel is writable; runs again when the channel is
     * writable again or when the next message is due.
     */
    private void pump() {
        pumpScheduled = false;
        Channel ch = channel;
        if (sent == null || ch == null) {
            return;
        }
        EncodedStream s = stream;
        int total = s.messages();
        List<EncodedStream.Segment> segs = s.segments();
        boolean wrote = false;
        while (next < total && ch.isWritable()) {
            long elapsed = System.nanoTime() - startNanos;
            int allowed = pace.allowed(s, elapsed);
            if (allowed <= next) {
                pumpScheduled = true;
                long wait = Math.max(pace.dueNanos(s, next) - elapsed, 100_000);
                ch.eventLoop().schedule(this::pump, wait, TimeUnit.NANOSECONDS);
                break;
            }
            EncodedStream.Segment seg = segs.get(segment);
            while (next >= seg.last()) {
                seg = segs.get(++segment);
            }
            int to = Math.min(allowed, seg.last());
            int from = seg.start(next);
            lastWrite = ch.write(seg.buf().retainedSlice(from, seg.end(to - 1) - from));
            next = to;
            wrote = true;
        }
        if (wrote) {
            ch.flush();
        }
        if (next == total) {
            CompletableFuture<PhaseResult> f = sent;
            sent = null;
            stream = null;
            if (lastWrite == null) {
                f.complete(PhaseResult.of(s, startNanos, System.nanoTime()));
                return;
            }
            long start = startNanos;
            lastWrite.addListener(w -> {
                if (w.isSuccess()) {
                    f.complete(PhaseResult.of(s, start, System.nanoTime()));
                } else {
                    f.completeExceptionally(w.cause());
                }
            });
        }
    }

    private ChannelInitializer<Channel> initializer() {
        SessionOptions as4 = SessionOptions.AS4;
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new BgpFrameDecoder(as4), new BgpMessageDecoder(as4), new BgpMessageEncoder(as4),
                        new Handler());
            }
        };
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        private boolean openReceived;
        private long lastRead = System.nanoTime();
        private final List<ScheduledFuture<?>> timers = new ArrayList<>();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (channel != null || established.isDone()) {
                ctx.close(); // one connection per session
                return;
            }
            channel = ctx.channel();
            remote = (InetSocketAddress) ctx.channel().remoteAddress();
            Channel s = server;
            if (s != null) {
                s.close(); // passive: the one connection is here
            }
            List<Capability> caps = new ArrayList<>();
            caps.add(new Capability.Multiprotocol(AfiSafi.IPV4_UNICAST));
            if (ipv6) {
                caps.add(new Capability.Multiprotocol(AfiSafi.IPV6_UNICAST));
            }
            caps.add(new Capability.RouteRefresh(Capability.ROUTE_REFRESH));
            caps.add(new Capability.FourOctetAs(params.asn()));
            ctx.writeAndFlush(OpenMessage.of(params.asn(), holdTime, params.routerId(), caps));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            lastRead = System.nanoTime();
            BgpMessage m = (BgpMessage) msg;
            if (m instanceof OpenMessage open) {
                onOpen(ctx, open);
            } else if (m instanceof KeepaliveMessage) {
                if (openReceived && !established.isDone()) {
                    established.complete(null);
                }
            } else if (m instanceof UpdateMessage) {
                receivedUpdates++;
            } else if (m instanceof NotificationMessage n) {
                fail("received NOTIFICATION " + n.describe());
            } else if (m instanceof MalformedMessage bad) {
                ctx.writeAndFlush(bad.notification());
                fail("received a malformed message: " + bad);
            }
        }

        private void onOpen(ChannelHandlerContext ctx, OpenMessage open) {
            if (!open.hasCapability(Capability.FOUR_OCTET_AS)) {
                ctx.writeAndFlush(new NotificationMessage(BgpError.UNSUPPORTED_CAPABILITY,
                        new byte[] {(byte) Capability.FOUR_OCTET_AS, 4, (byte) (params.asn() >>> 24),
                                (byte) (params.asn() >>> 16), (byte) (params.asn() >>> 8), (byte) params.asn()}));
                fail("the receiver does not support 4-octet AS numbers (RFC 6793); blast needs them");
                return;
            }
            if (open.asn() == params.asn()) {
                ctx.writeAndFlush(new NotificationMessage(BgpError.BAD_PEER_AS, null));
                fail("the receiver has AS" + open.asn() + ", the session's own: blast speaks eBGP only");
                return;
            }
            openReceived = true;
            int hold = Math.min(holdTime, open.holdTime());
            negotiatedHold = hold;
            ctx.writeAndFlush(KeepaliveMessage.INSTANCE);
            if (hold > 0) {
                long keepalive = Math.max(1000, hold * 1000L / 3);
                timers.add(ctx.executor().scheduleAtFixedRate(() -> ctx.writeAndFlush(KeepaliveMessage.INSTANCE),
                        keepalive, keepalive, TimeUnit.MILLISECONDS));
                timers.add(ctx.executor().scheduleAtFixedRate(() -> {
                    if (System.nanoTime() - lastRead > TimeUnit.SECONDS.toNanos(negotiatedHold)) {
                        ctx.writeAndFlush(new NotificationMessage(BgpError.HOLD_TIMER_EXPIRED, null));
                        fail("hold timer expired (" + negotiatedHold + " s without a message from the receiver)");
                    }
                }, 1, 1, TimeUnit.SECONDS));
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable() && !pumpScheduled) {
                pump();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() != channel) {
                return; // a connection refused as a second one
            }
            timers.forEach(t -> t.cancel(false));
            if (sent != null || !established.isDone()) {
                fail(error != null ? error : "connection closed by the receiver");
            }
            closed.complete(null);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause.toString());
        }
    }
}
