package io.ribbit.collector;

import static org.junit.jupiter.api.Assertions.fail;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.ribbit.codec.BgpFrameDecoder;
import io.ribbit.codec.BgpMessageDecoder;
import io.ribbit.codec.BgpMessageEncoder;
import io.ribbit.codec.SessionOptions;
import io.ribbit.codec.attr.AddressAttribute;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.Communities;
import io.ribbit.codec.attr.Origin;
import io.ribbit.codec.attr.PathAttribute;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.capability.Capability;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.KeepaliveMessage;
import io.ribbit.codec.message.NotificationMessage;
import io.ribbit.codec.message.OpenMessage;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.collector.peer.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A BGP endpoint the test drives message by message, for orderings a real speaker leaves to
 * chance: nothing is sent unless the test sends it (no automatic OPEN, KEEPALIVE or table), and
 * every message received is recorded per connection. It listens on, and connects from, one
 * loopback address, with any number of connections (each a {@link Conn}). Its own event loop;
 * {@link #close()} closes every connection and stops it.
 */
public final class ScriptedSpeaker implements AutoCloseable {
    private static final SessionOptions AS4 = SessionOptions.AS4;

    private final String ip;
    private final EventLoopGroup group;
    private final BlockingQueue<Conn> accepted = new LinkedBlockingQueue<>();
    private final List<Conn> all = new CopyOnWriteArrayList<>();
    private Channel server;

    public ScriptedSpeaker(String ip) {
        this.ip = ip;
        this.group = Transport.best().newGroup(1, "scripted-" + ip);
    }

    /** Listens on a free port of this speaker's address; connections show up in {@link #awaitAccepted}. */
    public InetSocketAddress listen() throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(Transport.best().serverChannelClass())
                .childHandler(initializer(true)).bind(new InetSocketAddress(ip, 0)).sync().channel();
        return (InetSocketAddress) server.localAddress();
    }

    /** Opens a connection from this speaker's address to {@code remote}. */
    public Conn connect(InetSocketAddress remote) throws InterruptedException {
        Channel ch = new Bootstrap().group(group).channel(Transport.best().channelClass())
                .handler(initializer(false)).connect(remote, new InetSocketAddress(ip, 0)).sync().channel();
        return ch.pipeline().get(Conn.class);
    }

    /** The next connection accepted on the listening socket (in order). */
    public Conn awaitAccepted(Duration timeout) throws InterruptedException {
        Conn c = accepted.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (c == null) {
            fail("no connection accepted by " + ip + " within " + timeout.toSeconds() + " s");
        }
        return c;
    }

    /** Connections accepted so far. */
    public int acceptedCount() {
        return (int) all.stream().filter(c -> c.accepted).count();
    }

    private ChannelInitializer<Channel> initializer(boolean acceptedSide) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                Conn c = new Conn(ch, acceptedSide);
                all.add(c);
                ch.pipeline().addLast(new BgpFrameDecoder(AS4), new BgpMessageDecoder(AS4), new BgpMessageEncoder(AS4),
                        c);
                if (acceptedSide) {
                    accepted.add(c);
                }
            }
        };
    }

    /** An OPEN (hold time 90) with multiprotocol IPv4 unicast, 4-octet AS and {@code extra}. */
    public static OpenMessage open(long asn, String routerId, Capability... extra) {
        List<Capability> caps = new ArrayList<>();
        caps.add(new Capability.Multiprotocol(AfiSafi.IPV4_UNICAST));
        caps.add(new Capability.FourOctetAs(asn));
        caps.addAll(List.of(extra));
        return OpenMessage.of(asn, 90, TestSpeaker.ipv4(routerId), caps);
    }

    /**
     * One UPDATE announcing {@code count} /24s from {@code 10.first.0.0} on, AS path {@code asn},
     * next hop this speaker's address, with the {@code communities} when there are any.
     */
    public UpdateMessage update(long asn, int first, int count, int... communities) {
        long[] prefixes = new long[count];
        for (int i = 0; i < count; i++) {
            int n = first * 256 + i;
            prefixes[i] = PrefixList.packIpv4(10 << 24 | (n >>> 8 & 0xff) << 16 | (n & 0xff) << 8, 24);
        }
        List<PathAttribute> a = new ArrayList<>();
        a.add(Origin.IGP);
        a.add(AsPath.sequence(new long[] {asn}));
        a.add(new AddressAttribute(AttributeCode.NEXT_HOP, TestSpeaker.ipv4(ip)));
        if (communities.length > 0) {
            a.add(Communities.of(communities));
        }
        return UpdateMessage.of(PrefixList.empty(AfiSafi.IPV4_UNICAST), PathAttributes.of(a),
                new PrefixList(AfiSafi.IPV4_UNICAST, count, prefixes, null, null, null));
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        for (Conn c : all) {
            c.channel.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One TCP connection: what was received on it, and sending on it. */
    public final class Conn extends ChannelInboundHandlerAdapter {
        private final Channel channel;
        private final boolean accepted;
        private final long openedAt = System.nanoTime();
        private final List<BgpMessage> received = new CopyOnWriteArrayList<>();
        private final CompletableFuture<Long> closed = new CompletableFuture<>();

        private Conn(Channel channel, boolean accepted) {
            this.channel = channel;
            this.accepted = accepted;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            received.add((BgpMessage) msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed.complete(System.nanoTime());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        /** Sends the messages in order and waits until they are written. */
        public Conn send(BgpMessage... messages) {
            for (int i = 0; i < messages.length; i++) {
                if (i < messages.length - 1) {
                    channel.write(messages[i]);
                } else {
                    channel.writeAndFlush(messages[i]).syncUninterruptibly();
                }
            }
            return this;
        }

        /** Drops the connection with a TCP reset (SO_LINGER 0), no NOTIFICATION: a speaker that crashed. */
        public void abort() {
            channel.eventLoop().submit(() -> {
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
                channel.close();
            }).syncUninterruptibly();
        }

        /** Closes the connection (plain TCP close, no NOTIFICATION) and waits for it. */
        public void close() {
            channel.close().syncUninterruptibly();
        }

        /** {@link System#nanoTime()} when the connection was set up. */
        public long openedAt() {
            return openedAt;
        }

        /** Completes with {@link System#nanoTime()} when the connection has closed (either side). */
        public CompletableFuture<Long> closed() {
            return closed;
        }

        public List<BgpMessage> received() {
            return received;
        }

        /** The first received message matching {@code p}, waiting up to {@code timeout}. */
        public BgpMessage await(String what, Predicate<BgpMessage> p, Duration timeout) {
            Await.until(what + " on " + this, timeout, () -> received.stream().anyMatch(p), this::toString);
            return received.stream().filter(p).findFirst().orElseThrow();
        }

        public OpenMessage awaitOpen(Duration timeout) {
            return (OpenMessage) await("an OPEN", m -> m instanceof OpenMessage, timeout);
        }

        public KeepaliveMessage awaitKeepalive(Duration timeout) {
            return (KeepaliveMessage) await("a KEEPALIVE", m -> m instanceof KeepaliveMessage, timeout);
        }

        public NotificationMessage awaitNotification(Duration timeout) {
            return (NotificationMessage) await("a NOTIFICATION", m -> m instanceof NotificationMessage, timeout);
        }

        /** The received messages' types, a NOTIFICATION with its code/subcode, e.g. {@code [OPEN, NOTIFICATION 6/7]}. */
        public List<String> types() {
            return received.stream().map(m -> m instanceof NotificationMessage n
                    ? "NOTIFICATION " + n.code() + "/" + n.subcode() : m.type().name()).toList();
        }

        @Override
        public String toString() {
            return (accepted ? "accepted" : "initiated") + " connection " + channel.localAddress() + " <-> "
                    + channel.remoteAddress() + " received " + types() + (closed.isDone() ? ", closed" : "");
        }
    }
}
