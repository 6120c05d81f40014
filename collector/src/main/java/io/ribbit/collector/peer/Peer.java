package io.ribbit.collector.peer;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.ribbit.codec.capability.Capability;
import io.ribbit.codec.error.BgpError;
import io.ribbit.codec.error.UpdateProblem;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.MalformedMessage;
import io.ribbit.codec.message.NotificationMessage;
import io.ribbit.codec.message.OpenMessage;
import io.ribbit.codec.message.RouteRefreshMessage;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.collector.config.NeighborConfig;
import io.ribbit.collector.event.Event;
import io.ribbit.collector.event.EventBus;
import io.ribbit.collector.metrics.PeerMeters;
import io.ribbit.collector.metrics.RibbitMeters;
import io.ribbit.rib.AdjRibIn;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One neighbor: its FSM state across connections (RFC 4271 §8: Idle, Connect, Active, and the
 * per-connection states of its {@link Session}s), connection collision detection (§6.8),
 * ConnectRetry and IdleHold back-off, its Adj-RIB-In, graceful-restart helper state (RFC 4724,
 * RFC 9494), max-prefix protection (RFC 4486) and events.
 *
 * <p>Thread confinement: every method runs on {@link #loop()}; calls from a session's channel
 * loop (an inbound connection accepted on another loop) hop onto it. No locks.
 */
public final class Peer implements EventBus.Throttled {
    private static final Logger LOG = LogManager.getLogger(Peer.class);

    private final NeighborConfig config;
    private final InetAddress address;
    private final String name;
    private final PeerContext ctx;
    private final EventLoop loop;
    private final AdjRibIn rib = new AdjRibIn();
    private final PeerMeters meters;
    private final RateLimitedLog warnings = new RateLimitedLog(LOG, 10);
    private final List<Session> sessions = new ArrayList<>(2);
    private volatile SessionState state = SessionState.IDLE; // read by metrics and status from other threads
    private volatile long stateSince = System.currentTimeMillis(); // wall clock of the last transition (the query API)
    private Session established;
    private long establishedAt;
    private long remoteAs;
    private int flaps;
    private ScheduledFuture<?> connectTimer;
    private ScheduledFuture<?> restartTimer;
    private ScheduledFuture<?> staleTimer;
    private final Set<AfiSafi> staleFamilies = new java.util.HashSet<>();
    private volatile Session establishedView;
    private final Map<AfiSafi, Integer> longLivedStale = new HashMap<>();
    private boolean warned;
    private Session overLimit; // the session being closed for max-prefixes: its later UPDATEs are dropped
    private long blockedUntil;
    private boolean stopped;
    private volatile boolean readingPaused;

    Peer(NeighborConfig config, InetAddress address, PeerContext ctx, EventLoop loop) {
        this.config = config;
        this.address = address;
        this.name = address.getHostAddress();
        this.ctx = ctx;
        this.loop = loop;
        this.remoteAs = config.remoteAs() < 0 ? 0 : config.remoteAs();
        this.meters = new PeerMeters(ctx.registry(), config.dynamic() ? name : config.addressText(), config.remoteAs(),
                config.description());
        meters.gauge(RibbitMeters.SESSION_STATE, this, p -> p.state.mib());
        meters.gauge(RibbitMeters.SESSION_UPTIME, this,
                p -> p.establishedAt == 0 ? 0 : (System.nanoTime() - p.establishedAt) / 1e9);
        for (AfiSafi f : config.families()) {
            meters.gauge(RibbitMeters.RIB_ROUTES, rib, r -> r.size(f), "afi_safi", f.name());
        }
        meters.gauge(RibbitMeters.RIB_STALE_ROUTES, rib, AdjRibIn::staleCount);
    }

    public NeighborConfig config() {
        return config;
    }

    public InetAddress address() {
        return address;
    }

    public String name() {
        return name;
    }

    public EventLoop loop() {
        return loop;
    }

    public AdjRibIn rib() {
        return rib;
    }

    public SessionState state() {
        return state;
    }

    public long remoteAs() {
        return remoteAs;
    }

    /** The peer's meters (counters read by the query API). */
    public PeerMeters meters() {
        return meters;
    }

    /** When the FSM last changed state (or the peer was created), in epoch milliseconds. */
    public long stateSinceMillis() {
        return stateSince;
    }

    /** What the established session negotiated, or null when none is established. */
    public Negotiated negotiated() {
        Session s = establishedView;
        return s == null ? null : s.negotiated();
    }

    boolean readingPaused() {
        return readingPaused;
    }

    /** Whether the established session's channel is reading (autoRead), or null when none is established. */
    Boolean establishedAutoRead() {
        Session s = establishedView;
        return s == null ? null : s.channel.config().isAutoRead();
    }

    /** The OPEN the established session received, or null. */
    public OpenMessage receivedOpen() {
        Session s = establishedView;
        return s == null ? null : s.theirOpen();
    }

    // ------------------------------------------------------------ lifecycle

    /** Starts the FSM (RFC 4271 §8.1.2 Event 1/3/4/5: ManualStart, passive or not). */
    void start() {
        inLoop(() -> {
            if (config.mode().connects()) {
                connect();
            } else {
                transition(SessionState.ACTIVE);
            }
        });
    }

    /** Opens the TCP connection (Connect state); on failure waits ConnectRetry (Active). */
    private void connect() {
        if (stopped || established != null || !sessions.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        if (now < blockedUntil) {
            scheduleConnect(blockedUntil - now);
            return;
        }
        transition(SessionState.CONNECT);
        Bootstrap b = new Bootstrap().group(loop).channel(ctx.transport().channelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000).option(ChannelOption.TCP_NODELAY, true)
                .handler(new io.netty.channel.ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ctx.initPipeline(ch);
                    }
                });
        InetSocketAddress remote = new InetSocketAddress(address, config.port());
        ChannelFuture f = config.localAddress() != null
                ? b.connect(remote, new InetSocketAddress(config.localAddress(), 0))
                : b.connect(remote);
        f.addListener((ChannelFuture cf) -> {
            if (cf.isSuccess()) {
                attach(cf.channel(), true);
            } else {
                LOG.debug("peer {}: connect failed: {}", name, cf.cause().toString());
                if (state == SessionState.CONNECT && sessions.isEmpty()) {
                    transition(SessionState.ACTIVE);
                }
                scheduleConnect(TimeUnit.SECONDS.toNanos(config.connectRetry()));
            }
        });
    }

    private void scheduleConnect(long nanos) {
        if (stopped || !config.mode().connects()) {
            return;
        }
        if (connectTimer != null) {
            connectTimer.cancel(false);
        }
        connectTimer = loop.schedule(this::connect, nanos, TimeUnit.NANOSECONDS);
    }

    /** An accepted TCP connection from this peer (RFC 4271 §8.2.2 Event 17), on any loop. */
    void accept(Channel ch) {
        inLoop(() -> {
            if (stopped || System.nanoTime() < blockedUntil) {
                ch.writeAndFlush(new NotificationMessage(BgpError.CONNECTION_REJECTED, null)).addListener(
                        io.netty.channel.ChannelFutureListener.CLOSE);
                return;
            }
            if (established != null) {
                // §6.8: a collision with an Established connection closes the new one.
                ch.writeAndFlush(new NotificationMessage(BgpError.CONNECTION_COLLISION_RESOLUTION, null))
                        .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
                return;
            }
            attach(ch, false);
        });
    }

    private void attach(Channel ch, boolean outbound) {
        Session s = new Session(this, ch, outbound, ctx.openFor(config), ch.pipeline().get(RawCapture.class));
        ch.pipeline().addLast("session", s);
        sessions.add(s);
        if (ch.eventLoop().inEventLoop()) {
            s.start();
        } else {
            ch.eventLoop().execute(s::start);
        }
    }

    void onOpenSent(Session s) {
        inLoop(() -> {
            if (state != SessionState.OPEN_CONFIRM && state != SessionState.ESTABLISHED) {
                transition(SessionState.OPEN_SENT);
            }
            event(s.ourOpen, "sent", null);
        });
    }

    /**
     * Checks the peer's OPEN (RFC 4271 §6.2): peer AS (2/2), BGP Identifier (2/3), a common
     * family (2/7, RFC 5492 §5). Version and hold time are checked by the codec. Thread-safe
     * (reads configuration only).
     *
     * @return the NOTIFICATION to refuse it with, or null
     */
    NotificationMessage checkOpen(OpenMessage open) {
        return OpenPolicy.check(config, ctx.routerId(), ctx.localAs(), open);
    }

    /** The peer's OPEN was accepted: collision detection (RFC 4271 §6.8), OpenConfirm. */
    void onOpenReceived(Session s) {
        inLoop(() -> {
            if (s.closing() || s.collisionLoser) {
                return;
            }
            remoteAs = s.theirOpen().asn();
            if (established != null && established != s) {
                // §6.8: a collision with an Established connection closes the newer one.
                closeCollision(s);
                return;
            }
            for (Session other : new ArrayList<>(sessions)) {
                if (other == s || other.closing() || other.collisionLoser || other.theirOpen() == null) {
                    continue;
                }
                // Both have the peer's OPEN (OpenConfirm): the lower local id closes the connection it initiated.
                boolean closeOutbound = Integer.compareUnsigned(ctx.routerId(), s.theirOpen().bgpIdentifier()) < 0;
                Session loser = s.outbound == closeOutbound || other.outbound == s.outbound ? s : other;
                closeCollision(loser);
                if (loser == s) {
                    return;
                }
            }
            if (state != SessionState.ESTABLISHED) {
                transition(SessionState.OPEN_CONFIRM);
            }
        });
    }

    private void closeCollision(Session loser) {
        loser.collisionLoser = true;
        Runnable r = () -> loser.fail(new NotificationMessage(BgpError.CONNECTION_COLLISION_RESOLUTION, null),
                DownReason.Kind.COLLISION, "connection collision (RFC 4271 §6.8)");
        if (loser.channel.eventLoop().inEventLoop()) {
            r.run();
        } else {
            loser.channel.eventLoop().execute(r);
        }
    }

    void onEstablished(Session s) {
        inLoop(() -> {
            if (s.closing() || s.collisionLoser) {
                return;
            }
            if (established != null && established != s) {
                // §6.8: a collision with an Established connection closes the newer one.
                closeCollision(s);
                return;
            }
            established = s;
            establishedView = s;
            establishedAt = System.nanoTime();
            transition(SessionState.ESTABLISHED);
            meters.counter(RibbitMeters.SESSION_ESTABLISHED, "direction", s.outbound ? "outbound" : "inbound")
                    .increment();
            Negotiated n = s.negotiated();
            LOG.info("peer {} AS{}: session established ({}, hold {} s, families {}{})", name, remoteAs,
                    s.outbound ? "outbound" : "inbound", n.holdTime(), n.families(),
                    n.options().addPathReceive().isEmpty() ? "" : ", add-path " + n.options().addPathReceive());
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("state", "connected");
            f.put("hold_time", n.holdTime());
            f.put("families", String.join(",", n.families().stream().map(AfiSafi::name).toList()));
            stateEvent(f);
            // Ribbit advertises nothing: End-of-RIB for every family right away (RFC 4724 §2).
            for (AfiSafi fam : n.families()) {
                runOn(s, () -> s.send(UpdateMessage.endOfRib(fam)));
            }
            // Graceful restart: stale routes wait for the peer's End-of-RIB, bounded by a timer.
            cancelStaleTimers();
            // RFC 4724 §4.2: stale routes of a family the peer no longer preserves (F bit clear, or not
            // negotiated any more) go at once; the others wait for End-of-RIB.
            for (AfiSafi fam : new ArrayList<>(staleFamilies)) {
                boolean preserved = n.families().contains(fam) && n.peerGracefulRestart() != null
                        && n.peerGracefulRestart().families().stream()
                                .anyMatch(x -> x.family().equals(fam) && x.forwardingPreserved());
                if (!preserved) {
                    int swept = rib.sweepStale(fam);
                    staleFamilies.remove(fam);
                    LOG.info("peer {}: {} stale {} routes removed (forwarding state not preserved)", name, swept, fam);
                }
            }
            if (!staleFamilies.isEmpty()) {
                staleTimer = loop.schedule(this::sweepAllStale, ctx.staleRoutesTime(), TimeUnit.SECONDS);
            }
        });
    }

    void onUpdate(Session s, UpdateMessage u, byte[] raw) {
        inLoop(() -> {
            if (s != established || s == overLimit) {
                return; // UPDATEs read before the max-prefixes Cease closed the session are not applied
            }
            meters.updates.increment();
            if (!u.problems().isEmpty()) {
                meters.counter(RibbitMeters.UPDATES_MALFORMED, "action", u.action().tag()).increment();
                UpdateProblem p = u.problems().get(0);
                warnings.warn("peer {}: malformed UPDATE, {} ({} problem{}): {}", name, u.action().tag(),
                        u.problems().size(), u.problems().size() == 1 ? "" : "s", p.detail());
            }
            AdjRibIn.Change c = rib.apply(u);
            meters.prefixesAnnounced.increment(c.announced());
            meters.prefixesWithdrawn.increment(c.withdrawn());
            event(u, null, raw);
            AfiSafi eor = u.endOfRib();
            if (eor != null && staleFamilies.remove(eor)) {
                int swept = rib.sweepStale(eor);
                LOG.info("peer {}: End-of-RIB {}, {} stale routes removed", name, eor, swept);
                if (staleFamilies.isEmpty()) {
                    cancelStaleTimers();
                }
            }
            checkMaxPrefixes(s, u);
        });
    }

    /** RFC 4486 §4: Cease 6/1 with AFI (2), SAFI (1) and the upper bound (4) as data. */
    private void checkMaxPrefixes(Session s, UpdateMessage u) {
        long max = config.maxPrefixes();
        if (max <= 0) {
            return;
        }
        long n = rib.size();
        if (!warned && n * 100 >= max * config.maxPrefixesWarning()) {
            warned = true;
            meters.maxPrefixWarnings.increment();
            LOG.warn("peer {}: {} routes, {}% of max-prefixes {}", name, n, config.maxPrefixesWarning(), max);
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("alert", "max-prefixes-warning");
            f.put("routes", n);
            f.put("limit", max);
            publish("PEER_ALERT", null, null, null, f);
        }
        if (n > max) {
            AfiSafi fam = u.mpReach() != null ? u.mpReach().afiSafi() : AfiSafi.IPV4_UNICAST;
            byte[] data = {(byte) (fam.afi() >>> 8), (byte) fam.afi(), (byte) fam.safi(), (byte) (max >>> 24),
                (byte) (max >>> 16), (byte) (max >>> 8), (byte) max};
            LOG.warn("peer {}: {} routes exceed max-prefixes {}; closing, reconnect in {} s", name, n, max,
                    config.maxPrefixesRestart());
            blockedUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.maxPrefixesRestart());
            overLimit = s;
            runOn(s, () -> s.fail(new NotificationMessage(BgpError.MAXIMUM_NUMBER_OF_PREFIXES_REACHED, data),
                    DownReason.Kind.MAX_PREFIXES, n + " routes exceed max-prefixes " + max));
        }
    }

    void onKeepalive(Session s, byte[] raw) {
        event(io.ribbit.codec.message.KeepaliveMessage.INSTANCE, null, raw);
    }

    /** RFC 7313 §4: BoRR marks the family's routes stale, EoRR removes those still stale. */
    void onRouteRefresh(Session s, RouteRefreshMessage r, byte[] raw) {
        inLoop(() -> {
            event(r, null, raw);
            if (r.subtype() == RouteRefreshMessage.BEGIN_OF_ROUTE_REFRESH) {
                rib.markStale(r.family(), false);
            } else if (r.subtype() == RouteRefreshMessage.END_OF_ROUTE_REFRESH) {
                rib.sweepStale(r.family());
            }
        });
    }

    /** Asks the peer to re-send its routes (RFC 2918); false when not negotiated or not up. */
    public boolean requestRefresh(AfiSafi family) {
        Session s = establishedView;
        if (s == null || !s.negotiated().routeRefresh() || !s.negotiated().families().contains(family)) {
            return false;
        }
        runOn(s, () -> s.send(RouteRefreshMessage.request(family)));
        return true;
    }

    void onSessionDown(Session s, DownReason reason) {
        inLoop(() -> {
            if (!sessions.remove(s)) {
                return;
            }
            boolean wasEstablished = s == established;
            if (s == overLimit) {
                overLimit = null;
            }
            if (!wasEstablished) {
                LOG.debug("peer {}: {} connection ended in {}: {}", name, s.describe(), s.state(), reason.detail());
                if (established == null && sessions.isEmpty()) {
                    transition(SessionState.ACTIVE);
                    if (!stopped && reason.kind() != DownReason.Kind.COLLISION) {
                        scheduleConnect(TimeUnit.SECONDS.toNanos(config.connectRetry()));
                    }
                    if (config.dynamic()) {
                        ctx.removeIfIdle(this);
                    }
                }
                return;
            }
            long upNanos = System.nanoTime() - establishedAt;
            established = null;
            establishedView = null;
            establishedAt = 0;
            warned = false;
            transition(SessionState.IDLE);
            LOG.info("peer {} AS{}: session down after {} s: {}", name, remoteAs, upNanos / 1_000_000_000L,
                    reason.detail());
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("state", "down");
            f.putAll(reason.fields());
            stateEvent(f);
            retainOrFlush(s, reason);
            // IdleHoldTime back-off (RFC 4271 §8.1.1 DampPeerOscillations): double for sessions that flap.
            flaps = upNanos < TimeUnit.SECONDS.toNanos(60) ? Math.min(flaps + 1, 16) : 0;
            long idle = Math.min((long) config.idleHoldTime() << Math.max(0, flaps - 1), config.idleHoldTimeMax());
            if (!stopped) {
                if (config.mode().connects()) {
                    scheduleConnect(TimeUnit.SECONDS.toNanos(Math.max(idle, 0)) + 1);
                } else {
                    transition(SessionState.ACTIVE);
                }
            }
            if (config.dynamic() && rib.size() == 0) {
                ctx.removeIfIdle(this);
            }
        });
    }

    /**
     * RFC 4724 §4.2: when a GR-capable peer's session ends without a NOTIFICATION (or with one
     * other than Hard Reset when the N bit was exchanged, RFC 8538 §5), keep its routes stale for
     * its Restart Time; otherwise flush them.
     */
    private void retainOrFlush(Session s, DownReason reason) {
        Negotiated n = s.negotiated();
        List<AfiSafi> grFamilies = n == null ? List.of() : n.gracefulRestartFamilies();
        boolean notification = reason.notification() != null;
        boolean nBit = n != null && n.peerGracefulRestart() != null
                && (n.peerGracefulRestart().flags() & Capability.GracefulRestart.FLAG_NOTIFICATION) != 0
                && (s.ourOpen.capabilities(Capability.GRACEFUL_RESTART).stream()
                        .anyMatch(c -> (((Capability.GracefulRestart) c).flags()
                                & Capability.GracefulRestart.FLAG_NOTIFICATION) != 0));
        boolean hardReset = notification && reason.notification().code() == 6 && reason.notification().subcode() == 9;
        // RFC 9494 §4.2: with a Restart Time of zero, long-lived stale retention begins at once.
        boolean longLived = n != null && n.peerLongLived() != null && n.peerLongLived().families().stream()
                .anyMatch(lf -> grFamilies.contains(lf.family()) && lf.staleTime() > 0);
        boolean keep = config.gracefulRestart() && !grFamilies.isEmpty() && !stopped
                && (!notification || (nBit && !hardReset)) && reason.kind() != DownReason.Kind.MAX_PREFIXES
                && (n.peerGracefulRestart().restartTime() > 0 || longLived);
        cancelStaleTimers();
        if (!keep) {
            long flushed = rib.clear();
            staleFamilies.clear();
            if (flushed > 0) {
                LOG.info("peer {}: {} routes flushed", name, flushed);
            }
            return;
        }
        for (AfiSafi f : new ArrayList<>(rib.families())) {
            if (!grFamilies.contains(f)) {
                rib.clear(f);
            }
        }
        int stale = 0;
        for (AfiSafi f : grFamilies) {
            stale += rib.markStale(f, false);
            staleFamilies.add(f);
        }
        int restart = n.peerGracefulRestart().restartTime();
        LOG.info("peer {}: graceful restart, {} routes kept stale for up to {} s", name, stale, restart);
        longLivedStale.clear();
        if (n.peerLongLived() != null) {
            for (Capability.LongLivedGracefulRestart.Family lf : n.peerLongLived().families()) {
                if (grFamilies.contains(lf.family()) && lf.staleTime() > 0) {
                    longLivedStale.put(lf.family(), lf.staleTime());
                }
            }
        }
        if (restart == 0) {
            restartTimerExpired();
        } else {
            restartTimer = loop.schedule(this::restartTimerExpired, restart, TimeUnit.SECONDS);
        }
    }

    /** Stops the restart / long-lived stale timer and the End-of-RIB wait timer. */
    private void cancelStaleTimers() {
        if (restartTimer != null) {
            restartTimer.cancel(false);
            restartTimer = null;
        }
        if (staleTimer != null) {
            staleTimer.cancel(false);
            staleTimer = null;
        }
    }

    /** The peer did not come back within its Restart Time: drop stale routes, or go long-lived (RFC 9494 §4.2). */
    private void restartTimerExpired() {
        restartTimer = null;
        if (established != null) {
            return;
        }
        int maxLl = 0;
        for (AfiSafi f : new ArrayList<>(staleFamilies)) {
            Integer ll = longLivedStale.get(f);
            if (ll != null) {
                rib.markStale(f, true);
                maxLl = Math.max(maxLl, ll);
            } else {
                int n = rib.sweepStale(f);
                staleFamilies.remove(f);
                LOG.info("peer {}: restart time over, {} stale {} routes removed", name, n, f);
            }
        }
        if (maxLl > 0) {
            LOG.info("peer {}: long-lived graceful restart, stale routes kept up to {} s", name, maxLl);
            restartTimer = loop.schedule(this::sweepAllStale, maxLl, TimeUnit.SECONDS);
        } else if (config.dynamic() && rib.size() == 0) {
            ctx.removeIfIdle(this);
        }
    }

    private void sweepAllStale() {
        staleTimer = null;
        restartTimer = null;
        for (AfiSafi f : new ArrayList<>(staleFamilies)) {
            int n = rib.sweepStale(f);
            if (n > 0) {
                LOG.info("peer {}: {} stale {} routes removed (no End-of-RIB in time)", name, n, f);
            }
        }
        staleFamilies.clear();
    }

    /** Administrative shutdown: Cease 6/2 with the RFC 9003 message on every connection. */
    void shutdown(String message) {
        inLoop(() -> {
            stopped = true;
            if (connectTimer != null) {
                connectTimer.cancel(false);
            }
            NotificationMessage n = NotificationMessage.shutdown(BgpError.ADMINISTRATIVE_SHUTDOWN, message);
            for (Session s : new ArrayList<>(sessions)) {
                runOn(s, () -> s.fail(n, DownReason.Kind.SHUTDOWN, "administrative shutdown"));
            }
        });
    }

    /**
     * The neighbor was removed from the configuration (or changed): Cease 6/3 Peer De-configured
     * (RFC 4486) on every connection, routes dropped, then {@code after} runs on the peer's loop
     * once no connection is left.
     */
    void deconfigure(Runnable after) {
        inLoop(() -> {
            stopped = true;
            if (connectTimer != null) {
                connectTimer.cancel(false);
            }
            if (restartTimer != null) {
                restartTimer.cancel(false);
            }
            NotificationMessage n = new NotificationMessage(BgpError.PEER_DE_CONFIGURED, null);
            for (Session s : new ArrayList<>(sessions)) {
                runOn(s, () -> s.fail(n, DownReason.Kind.SHUTDOWN, "peer de-configured"));
            }
            waitClosed(after, 50);
        });
    }

    private void waitClosed(Runnable after, int triesLeft) {
        if (sessions.isEmpty() || triesLeft == 0) {
            rib.clear();
            staleFamilies.clear();
            after.run();
        } else {
            loop.schedule(() -> waitClosed(after, triesLeft - 1), 20, TimeUnit.MILLISECONDS);
        }
    }

    /** True once every connection is closed (after {@link #shutdown}). */
    boolean closed() {
        return sessions.isEmpty();
    }

    /** Releases the meters (peer removed from the configuration, or a dynamic peer gone). */
    void close() {
        meters.close();
    }

    // ------------------------------------------------------------ events, state, helpers

    private void transition(SessionState to) {
        if (to == state) {
            return;
        }
        meters.counter(RibbitMeters.SESSION_TRANSITIONS, "from", state.tag(), "to", to.tag()).increment();
        LOG.debug("peer {}: {} -> {}", name, state, to);
        stateSince = System.currentTimeMillis();
        state = to;
    }

    /**
     * Publishes a message event from the peer's loop, so events keep wire order even when a
     * session's channel runs on another loop (UPDATEs are applied on the peer's loop too).
     */
    void event(BgpMessage m, String direction, byte[] raw) {
        String type = m instanceof MalformedMessage ? "MALFORMED" : m.type().name();
        inLoop(() -> publish(type, m, direction, raw, null));
    }

    private void stateEvent(Map<String, Object> fields) {
        publish("RIS_PEER_STATE", null, null, null, fields);
    }

    private void publish(String type, BgpMessage m, String direction, byte[] raw, Map<String, Object> fields) {
        Instant now = Instant.now();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
        EventBus bus = ctx.events();
        bus.publish(new Event(micros, name, remoteAs, bus.nextSeq(), type, m, direction, raw, fields), this);
    }

    void logMalformed(MalformedMessage bad) {
        warnings.warn("peer {}: malformed message, sending NOTIFICATION {}: {}", name, bad.error(), bad.detail());
    }

    void logBug(Throwable t) {
        LOG.error("peer {}: internal error, resetting this session only", name, t);
    }

    @Override
    public void pauseReading() {
        readingPaused = true;
        Session s = establishedView; // may be called from a session's loop (a NOTIFICATION event)
        if (s != null) {
            s.channel.config().setAutoRead(false);
        }
    }

    @Override
    public void resumeReading() {
        loop.execute(() -> {
            readingPaused = false;
            for (Session s : sessions) {
                s.channel.config().setAutoRead(true);
            }
        });
    }

    private void inLoop(Runnable r) {
        if (loop.inEventLoop()) {
            r.run();
        } else {
            loop.execute(r);
        }
    }

    private static void runOn(Session s, Runnable r) {
        if (s.channel.eventLoop().inEventLoop()) {
            r.run();
        } else {
            s.channel.eventLoop().execute(r);
        }
    }

    /** Families negotiated with the established session, empty when down. */
    public Set<AfiSafi> negotiatedFamilies() {
        Session s = establishedView;
        return s == null ? Set.of() : s.negotiated().families();
    }

    @Override
    public String toString() {
        return "Peer[" + name + " AS" + remoteAs + " " + state + "]";
    }
}
