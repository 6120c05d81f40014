package io.ribbit.collector.peer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.ribbit.codec.BgpFrameDecoder;
import io.ribbit.codec.BgpMessageDecoder;
import io.ribbit.codec.BgpMessageEncoder;
import io.ribbit.codec.capability.Capability;
import io.ribbit.codec.message.OpenMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.collector.config.HostPort;
import io.ribbit.collector.config.NeighborConfig;
import io.ribbit.collector.config.RibbitConfig;
import io.ribbit.collector.event.EventBus;
import io.ribbit.collector.metrics.RibbitMeters;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * All peers, the listening sockets, and the acceptor: an accepted TCP connection is registered
 * with the event loop of the peer it comes from (every connection of a peer runs on that peer's
 * loop); one whose source matches no configured neighbor (exact address, or a prefix for dynamic
 * neighbors) is closed before any BGP is spoken, logged at a rate limit and counted.
 */
public final class PeerRegistry implements PeerContext, AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(PeerRegistry.class);
    private static final String VERSION = "Ribbit " + versionText();

    private final RibbitConfig config;
    /** The neighbors in force: the configuration's, then each reload's (read by the acceptor). */
    private volatile List<NeighborConfig> neighbors;
    private final MeterRegistry registry;
    private final EventBus events;
    private final Transport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Map<InetAddress, Peer> peers = new ConcurrentHashMap<>();
    private final List<Channel> listeners = new ArrayList<>();
    private final Counter rejected;
    private final RateLimitedLog rejectLog = new RateLimitedLog(LOG, 5);
    private final Map<NeighborConfig, OpenMessage> opens = new ConcurrentHashMap<>();
    private final Acceptor acceptor = new Acceptor();

    private final io.ribbit.rib.LocRib locRib;

    public PeerRegistry(RibbitConfig config, MeterRegistry registry, EventBus events, Transport transport,
            EventLoopGroup boss, EventLoopGroup workers) {
        this(config, registry, events, transport, boss, workers, null);
    }

    /** {@code locRib}: the Loc-RIB every peer feeds, or null. */
    public PeerRegistry(RibbitConfig config, MeterRegistry registry, EventBus events, Transport transport,
            EventLoopGroup boss, EventLoopGroup workers, io.ribbit.rib.LocRib locRib) {
        this.locRib = locRib;
        this.config = config;
        this.registry = registry;
        this.events = events;
        this.transport = transport;
        this.boss = boss;
        this.workers = workers;
        this.neighbors = config.neighbors();
        this.rejected = Counter.builder(RibbitMeters.CONNECTIONS_REJECTED.meterName())
                .description(RibbitMeters.CONNECTIONS_REJECTED.description()).register(registry);
    }

    private static String versionText() {
        String v = PeerRegistry.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    /** Binds the listen addresses and starts every static peer. */
    public void start() throws InterruptedException {
        for (NeighborConfig n : config.neighbors()) {
            if (!n.dynamic()) {
                Peer p = new Peer(n, n.address(), this, workers.next());
                peers.put(n.address(), p);
            }
        }
        for (HostPort hp : config.listen()) {
            // Accepted connections never reach ServerBootstrap's own child registration: the Acceptor
            // registers each with its peer's loop (the child handler below is never used).
            ServerBootstrap sb = new ServerBootstrap().group(boss, workers).channel(transport.serverChannelClass())
                    .option(ChannelOption.SO_REUSEADDR, true).handler(acceptor)
                    .childHandler(new ChannelInboundHandlerAdapter());
            Channel ch = sb.bind(hp.socketAddress()).sync().channel();
            listeners.add(ch);
            LOG.info("listening for BGP on {}", ch.localAddress());
        }
        for (Peer p : peers.values()) {
            p.start();
        }
    }

    /** Local addresses actually bound (port 0 in the config gets a real port). */
    public List<InetSocketAddress> listenAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Channel c : listeners) {
            out.add((InetSocketAddress) c.localAddress());
        }
        return out;
    }

    /**
     * Takes each accepted connection off the listening socket before it is registered with an event
     * loop and registers it with the loop of the peer it comes from. A peer's connections (the one it
     * initiated and the one Ribbit initiated) and its FSM then share one thread, so collision
     * detection (RFC 4271 §6.8) sees the OPENs and KEEPALIVEs of both in the order they were read,
     * and decides before a KEEPALIVE is sent on the connection that loses. Connections from an
     * address no neighbor matches are closed before any BGP is spoken.
     */
    @ChannelHandler.Sharable
    private final class Acceptor extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Channel child = (Channel) msg;
            Peer p = route(child);
            if (p == null) {
                child.unsafe().closeForcibly();
                return;
            }
            child.config().setOption(ChannelOption.TCP_NODELAY, true);
            child.pipeline().addLast(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    initPipeline(ch);
                    p.accept(ch);
                }
            });
            p.loop().register(child).addListener((ChannelFuture f) -> {
                if (!f.isSuccess()) {
                    LOG.warn("connection from {}: not registered: {}", p.name(), f.cause().toString());
                    child.unsafe().closeForcibly();
                }
            });
        }
    }

    /** The peer an accepted connection belongs to (a dynamic one is created), or null when refused. */
    private Peer route(Channel ch) {
        InetAddress remote = ((InetSocketAddress) ch.remoteAddress()).getAddress();
        Peer p = peers.get(remote);
        if (p == null) {
            NeighborConfig match = null;
            for (NeighborConfig n : neighbors) {
                if (n.dynamic() && n.matches(remote) && (match == null || n.prefixLength() > match.prefixLength())) {
                    match = n;
                }
            }
            if (match == null) {
                rejected.increment();
                rejectLog.warn("connection from {} rejected: no neighbor configured for this address", remote);
                return null;
            }
            NeighborConfig m = match;
            p = peers.computeIfAbsent(remote, a -> {
                LOG.info("dynamic neighbor {} (from {})", a.getHostAddress(), m.addressText());
                return new Peer(m, a, this, workers.next());
            });
        } else if (!p.config().mode().accepts()) {
            rejected.increment();
            rejectLog.warn("connection from {} rejected: neighbor is configured active-only", remote);
            return null;
        }
        return p;
    }

    @Override
    public void initPipeline(Channel ch) {
        // Nothing is read until the Session handler is in place (it turns reading on after sending OPEN).
        ch.config().setAutoRead(false);
        ch.pipeline().addLast("frame", new BgpFrameDecoder());
        if (events.wantsRaw()) {
            ch.pipeline().addLast("raw", new RawCapture());
        }
        ch.pipeline().addLast("decoder", new BgpMessageDecoder());
        ch.pipeline().addLast("encoder", new BgpMessageEncoder());
    }

    @Override
    public OpenMessage openFor(NeighborConfig n) {
        return opens.computeIfAbsent(n, this::buildOpen);
    }

    /**
     * Ribbit's OPEN: multiprotocol per configured family (RFC 4760), route refresh and enhanced
     * route refresh (RFC 2918, 7313), 4-octet AS (RFC 6793), ADD-PATH receive (RFC 7911) when
     * configured, graceful restart as a helper (RFC 4724 §3: no families, N bit, RFC 8538),
     * long-lived GR (RFC 9494), extended messages (RFC 8654), software version.
     */
    private OpenMessage buildOpen(NeighborConfig n) {
        List<Capability> caps = new ArrayList<>();
        for (AfiSafi f : n.families()) {
            caps.add(new Capability.Multiprotocol(f));
        }
        caps.add(new Capability.RouteRefresh(Capability.ROUTE_REFRESH));
        caps.add(new Capability.EnhancedRouteRefresh());
        caps.add(new Capability.FourOctetAs(config.localAs()));
        if (n.addPathReceive()) {
            List<Capability.AddPath.Family> ap = new ArrayList<>();
            for (AfiSafi f : n.families()) {
                ap.add(new Capability.AddPath.Family(f, Capability.AddPath.RECEIVE));
            }
            caps.add(new Capability.AddPath(ap));
        }
        if (n.gracefulRestart()) {
            caps.add(new Capability.GracefulRestart(Capability.GracefulRestart.FLAG_NOTIFICATION, 0, List.of()));
            List<Capability.LongLivedGracefulRestart.Family> ll = new ArrayList<>();
            for (AfiSafi f : n.families()) {
                ll.add(new Capability.LongLivedGracefulRestart.Family(f, 0, 0));
            }
            caps.add(new Capability.LongLivedGracefulRestart(ll));
        }
        if (n.role() != NeighborConfig.NO_ROLE) {
            caps.add(new Capability.BgpRole(n.role()));
        }
        caps.add(new Capability.ExtendedMessage());
        caps.add(new Capability.SoftwareVersion(VERSION));
        return OpenMessage.of(config.localAs(), n.holdTime(), config.routerId(), caps);
    }

    public Collection<Peer> peers() {
        return peers.values();
    }

    public Peer peer(InetAddress a) {
        return peers.get(a);
    }

    @Override
    public io.ribbit.rib.LocRib locRib() {
        return locRib;
    }

    /** The decision process of the Loc-RIB, or the one queries use when no Loc-RIB is kept. */
    public io.ribbit.rib.RouteSelection selection() {
        return locRib != null ? locRib.selection() : new io.ribbit.rib.RouteSelection(config.locRib().alwaysCompareMed());
    }

    @Override
    public void removeIfIdle(Peer p) {
        p.loop().execute(() -> {
            if (p.config().dynamic() && p.closed() && p.rib().size() == 0
                    && p.state() != SessionState.ESTABLISHED && peers.remove(p.address(), p)) {
                LOG.info("dynamic neighbor {} removed", p.name());
                p.close();
            }
        });
    }

    /**
     * Applies a reloaded neighbor list: neighbors removed or changed get Cease 6/3 (Peer
     * De-configured) and are dropped with their routes and metric series; new ones start;
     * unchanged ones are not touched. Returns a summary for the log.
     */
    public String reconfigure(List<NeighborConfig> next) {
        int removed = 0;
        int added = 0;
        for (Peer p : new ArrayList<>(peers.values())) {
            NeighborConfig now = p.config();
            boolean keep = next.stream().anyMatch(n -> n.sameSettings(now));
            if (!keep) {
                removed++;
                opens.remove(now);
                LOG.info("neighbor {} removed or changed in the configuration: de-configuring", p.name());
                p.deconfigure(() -> {
                    if (peers.remove(p.address(), p)) {
                        p.close();
                    }
                });
            }
        }
        this.neighbors = List.copyOf(next);
        for (NeighborConfig n : next) {
            if (!n.dynamic() && !peers.containsKey(n.address())) {
                Peer p = new Peer(n, n.address(), this, workers.next());
                if (peers.putIfAbsent(n.address(), p) == null) {
                    added++;
                    p.start();
                } else {
                    p.close();
                }
            }
        }
        return removed + " neighbor(s) removed or changed, " + added + " added";
    }

    /** Sends Cease 6/2 with the message to every peer and waits (bounded) for the connections to close. */
    public void shutdown(String message, long timeoutMillis) {
        for (Channel l : listeners) {
            l.close();
        }
        for (Peer p : peers.values()) {
            p.shutdown(message);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (Peer p : peers.values()) {
                all &= p.closed();
            }
            if (all) {
                break;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    @Override
    public void close() {
        for (Peer p : peers.values()) {
            p.close();
        }
    }

    @Override
    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public Transport transport() {
        return transport;
    }

    @Override
    public EventBus events() {
        return events;
    }

    @Override
    public int routerId() {
        return config.routerId();
    }

    @Override
    public long localAs() {
        return config.localAs();
    }

    @Override
    public int staleRoutesTime() {
        return 360;
    }

}
