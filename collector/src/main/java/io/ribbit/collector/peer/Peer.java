package io.ribbit.collector.peer;

import io.micrometer.core.instrument.Counter;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.ribbit.codec.attr.Communities;
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
import io.ribbit.collector.event.JsonFields;
import io.ribbit.collector.metrics.PeerMeters;
import io.ribbit.collector.metrics.RibbitMeters;
import io.ribbit.rib.AdjRibIn;
import io.ribbit.rib.ImportCheck;
import io.ribbit.rib.ImportChecks;
import io.ribbit.rib.LocRib;
import io.ribbit.rib.RouteSelection;
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
 * <p>Thread confinement: every method runs on {@link #loop()}, and so does every connection of
 * this peer (outbound ones are opened on it, {@link PeerRegistry} registers accepted ones with
 * it): the per-connection FSMs ({@link Session}) and the peer-wide decisions form one sequence,
 * in the order messages are read. Calls from other threads (HTTP, event sinks, reload) hop onto
 * it. No locks.
 */
public final class Peer implements EventBus.Throttled {
    private static final Logger LOG = LogManager.getLogger(Peer.class);

    private final NeighborConfig config;
    private final InetAddress address;
    private final String name;
    private final PeerContext ctx;
    private final EventLoop loop;
    private final AdjRibIn rib = new AdjRibIn();
    /** This peer's side of the Loc-RIB, or null when none is kept. */
    private final LocRib.Feed locRibFeed;
    /** The facts last given to the Loc-RIB (peer loop). */
    private RouteSelection.PeerFacts locRibFacts;
    /** Written on the peer loop at Established; read by the HTTP side to tag routes (a volatile read). */
    private volatile ImportChecks.Bound importChecks;
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
    /** Families whose BoRR was acted on in the established session, until their EoRR (RFC 7313). */
    private final Set<AfiSafi> refreshing = new java.util.HashSet<>();
    /** Families whose End-of-RIB came in the established session (RFC 4724 §2, RFC 7313 §4). */
    private final Set<AfiSafi> endOfRibReceived = new java.util.HashSet<>();
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
        this.importChecks = config.importChecks().bind(ctx.localAs(), remoteAs, address);
        meters.gauge(RibbitMeters.SESSION_STATE, this, p -> p.state.mib());
        meters.gauge(RibbitMeters.SESSION_UPTIME, this,
                p -> p.establishedAt == 0 ? 0 : (System.nanoTime() - p.establishedAt) / 1e9);
        for (AfiSafi f : config.families()) {
            meters.gauge(RibbitMeters.RIB_ROUTES, rib, r -> r.size(f), "afi_safi", f.name());
        }
        meters.gauge(RibbitMeters.RIB_STALE_ROUTES, rib, AdjRibIn::staleCount);
        LocRib loc = ctx.locRib();
        if (loc != null) {
            // Until an OPEN is seen, the BGP Identifier is unknown (sorts last).
            locRibFacts = new RouteSelection.PeerFacts(address.getAddress(), remoteAs != ctx.localAs(),
                    RouteSelection.UNKNOWN_ID);
            locRibFeed = loc.register(rib, locRibFacts, this);
        } else {
            locRibFeed = null;
        }
    }

    /** This peer's Loc-RIB feed (its tag is this peer), or null when no Loc-RIB is kept. */
    public LocRib.Feed locRibFeed() {
        return locRibFeed;
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

    /**
     * An accepted TCP connection from this peer (RFC 4271 §8.2.2 Event 17), registered with this
     * peer's loop. With another connection in progress or Established it is tracked until its
     * OPEN arrives (§8.2.2 Established: "the second connection SHALL be tracked until it sends an
     * OPEN message"); collision detection (§6.8) then decides which one is closed.
     */
    void accept(Channel ch) {
        inLoop(() -> {
            if (stopped || System.nanoTime() < blockedUntil) {
                GracefulClose.notifyAndClose(ch, new NotificationMessage(BgpError.CONNECTION_REJECTED, null));
                return;
            }
            attach(ch, false);
        });
    }

    private void attach(Channel ch, boolean outbound) {
        if (ch.eventLoop() != loop) {
            // Every connection of a peer runs on the peer's loop (PeerRegistry registers accepted ones there).
            throw new IllegalStateException("connection " + ch + " is not on peer " + name + "'s event loop");
        }
        Session s = new Session(this, ch, outbound, ctx.openFor(config), ch.pipeline().get(RawCapture.class));
        ch.pipeline().addLast("session", s);
        sessions.add(s);
        s.start();
    }

    void onOpenSent(Session s) {
        if (state != SessionState.OPEN_CONFIRM && state != SessionState.ESTABLISHED) {
            transition(SessionState.OPEN_SENT);
        }
        event(s.ourOpen, "sent", null);
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

    /**
     * The peer's OPEN was accepted on {@code s}, which has not answered it yet: connection
     * collision detection (RFC 4271 §6.8), run before the KEEPALIVE that would confirm it. Every
     * other connection to this peer that has the peer's OPEN (OpenConfirm, or Established) collides
     * with it, whatever BGP Identifier that OPEN carried (Ribbit keeps one session per neighbor
     * address):
     *
     * <ul>
     *   <li>with an Established connection, the new one ({@code s}) is closed;
     *   <li>otherwise the identifiers decide (§6.8 steps 1-3, compared as unsigned 32-bit numbers):
     *       the connection initiated by the speaker with the higher identifier survives;
     *   <li>two connections initiated by the same side (the peer connected twice): the newer one
     *       is closed.
     * </ul>
     *
     * <p>The loser is sent Cease 6/7 (Connection Collision Resolution, RFC 4486) and closed. It
     * never reached Established, so its end is no session-down: no state event, no IdleHold
     * back-off, and the surviving connection is untouched.
     *
     * @return false when {@code s} lost (it is closing), true when it goes on to OpenConfirm
     */
    boolean onOpenReceived(Session s) {
        if (s.closing()) {
            return false;
        }
        remoteAs = s.theirOpen().asn();
        int remoteId = s.theirOpen().bgpIdentifier();
        for (Session other : new ArrayList<>(sessions)) {
            if (other == s || other.closing() || other.theirOpen() == null) {
                continue; // Idle/Connect/Active/OpenSent without the OPEN: no collision can be detected (§6.8)
            }
            Session loser;
            String rule;
            String why;
            if (other.state() == SessionState.ESTABLISHED) {
                loser = s;
                rule = "established";
                why = "the " + other.describe() + " connection is Established";
            } else if (other.outbound == s.outbound) {
                loser = s;
                rule = "same-side";
                why = "a second " + (s.outbound ? "outbound" : "inbound") + " connection";
            } else {
                // §6.8: local < remote closes the connection Ribbit initiated, else the one the peer initiated.
                boolean remoteHigher = Integer.compareUnsigned(ctx.routerId(), remoteId) < 0;
                loser = remoteHigher == s.outbound ? s : other;
                rule = "bgp-identifier";
                why = "BGP Identifier " + ipv4(remoteHigher ? remoteId : ctx.routerId()) + " ("
                        + (remoteHigher ? "the peer" : "Ribbit") + ") is higher than "
                        + ipv4(remoteHigher ? ctx.routerId() : remoteId) + ": the connection "
                        + (remoteHigher ? "the peer" : "Ribbit") + " initiated survives";
            }
            meters.counter(RibbitMeters.SESSION_COLLISIONS, "rule", rule, "closed",
                    loser.outbound ? "outbound" : "inbound").increment();
            Session winner = loser == s ? other : s;
            LOG.info("peer {}: connection collision (RFC 4271 §6.8): closing the {} connection, keeping the {}"
                    + " one; {}", name, loser.describe(), winner.describe(), why);
            loser.fail(new NotificationMessage(BgpError.CONNECTION_COLLISION_RESOLUTION, null),
                    DownReason.Kind.COLLISION, "connection collision (RFC 4271 §6.8): " + why);
            if (loser == s) {
                return false;
            }
        }
        if (state != SessionState.ESTABLISHED) {
            transition(SessionState.OPEN_CONFIRM);
        }
        return true;
    }

    private static String ipv4(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 0xff) + "." + (a >>> 8 & 0xff) + "." + (a & 0xff);
    }

    void onEstablished(Session s) {
        if (s.closing()) {
            return;
        }
        if (established != null && established != s) {
            // Not reachable: a second OPEN is resolved in onOpenReceived before it is confirmed.
            throw new IllegalStateException("peer " + name + ": two Established sessions");
        }
        established = s;
        establishedView = s;
        importChecks = config.importChecks().bind(ctx.localAs(), remoteAs, address);
        if (locRibFeed != null) {
            // The session's BGP Identifier and AS (a dynamic peer's is learned from its OPEN) rank its paths.
            RouteSelection.PeerFacts f = new RouteSelection.PeerFacts(address.getAddress(), remoteAs != ctx.localAs(),
                    Integer.toUnsignedLong(s.theirOpen().bgpIdentifier()));
            if (!f.equals(locRibFacts) && (f.ebgp() != locRibFacts.ebgp() || f.bgpId() != locRibFacts.bgpId())) {
                locRibFacts = f;
                locRibFeed.facts(f);
            }
        }
        establishedAt = System.nanoTime();
        refreshing.clear();
        endOfRibReceived.clear();
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
                staleFamilies.remove(fam);
                staleRemoved(fam, rib.sweepStale(fam), "forwarding-not-preserved");
            }
        }
        if (!staleFamilies.isEmpty()) {
            staleTimer = loop.schedule(() -> sweepAllStale("end-of-rib-timeout"), ctx.staleRoutesTime(),
                    TimeUnit.SECONDS);
        }
    }

    void onUpdate(Session s, UpdateMessage u, byte[] raw) {
        if (loop.inEventLoop()) {
            applyUpdate(s, u, raw); // the usual case: no task object per UPDATE
        } else {
            loop.execute(() -> applyUpdate(s, u, raw));
        }
    }

    private void applyUpdate(Session s, UpdateMessage u, byte[] raw) {
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
        ImportChecks.Tags tags = importChecks.evaluate(u);
        AdjRibIn.Change c = rib.apply(u, tags);
        meters.prefixesAnnounced.increment(c.announced());
        meters.prefixesWithdrawn.increment(c.withdrawn());
        if (tags == null) {
            event(u, null, raw);
        } else {
            countTags(tags);
            // Rendered by the event writer, off this loop.
            if (ctx.events().wantsMessages()) {
                publish("UPDATE", u, null, raw, null, new TagsJson(tags));
            }
        }
        AfiSafi eor = u.endOfRib();
        if (eor != null) {
            endOfRibReceived.add(eor);
        }
        if (eor != null && staleFamilies.remove(eor)) {
            staleRemoved(eor, rib.sweepStale(eor), "end-of-rib");
            if (staleFamilies.isEmpty()) {
                cancelStaleTimers();
            }
        }
        checkMaxPrefixes(s, u);
    }

    /** Counts an UPDATE's failed import checks per check and action (cheap: no per-prefix objects). */
    private void countTags(ImportChecks.Tags tags) {
        long[] perCheck = tagCounts;
        tags.counts(perCheck);
        for (int c = 0; c < CHECKS.length; c++) {
            if (perCheck[c] > 0) {
                int reject = tags.bound().rejects(CHECKS[c].bit()) ? 1 : 0;
                Counter counter = importCounters[c][reject];
                if (counter == null) {
                    counter = meters.counter(RibbitMeters.IMPORT_CHECK_ROUTES, "check", CHECKS[c].key(), "action",
                            reject == 1 ? "reject" : "tag");
                    importCounters[c][reject] = counter;
                }
                counter.increment(perCheck[c]);
            }
        }
    }

    private static final ImportCheck[] CHECKS = ImportCheck.values();
    /** {@link #countTags}'s per-check counts (peer loop only). */
    private final long[] tagCounts = new long[CHECKS.length];
    /** Per check and action (tag, reject): looked up once, not per tagged UPDATE (peer loop only). */
    private final Counter[][] importCounters = new Counter[CHECKS.length][2];

    /** The import checks of the current session (bound to the peer's AS and address at Established). */
    public ImportChecks.Bound importChecks() {
        return importChecks;
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

    /**
     * A ROUTE-REFRESH from the peer. With enhanced route refresh negotiated (RFC 7313 §4), BoRR
     * marks the family's routes stale and EoRR removes those still stale, and a normal request is
     * answered with BoRR and EoRR (Ribbit's Adj-RIB-Out is empty). Ignored, counted and logged
     * (rate-limited):
     *
     * <ul>
     *   <li>BoRR/EoRR without the enhanced route refresh capability on both sides: the octet is then
     *       RFC 2918's Reserved field ("ignored by the receiver"); RFC 7313 §3: the capability is
     *       what tells the peer that the subtypes and their procedures are understood;
     *   <li>a family that was not negotiated (RFC 2918 §4);
     *   <li>a BoRR before the family's End-of-RIB when the peer sent the Graceful Restart capability
     *       (RFC 7313 §4: MUST ignore, SHOULD log), which keeps a restart's stale routes apart;
     *   <li>an EoRR without a BoRR acted on first (RFC 7313 §4: MAY ignore);
     *   <li>any other subtype (RFC 7313 §5: MUST ignore, SHOULD log).
     * </ul>
     */
    void onRouteRefresh(Session s, RouteRefreshMessage r, byte[] raw) {
        event(r, null, raw);
        if (s != established) {
            return;
        }
        Negotiated n = s.negotiated();
        AfiSafi f = r.family();
        int subtype = r.subtype();
        boolean demarcation = subtype == RouteRefreshMessage.BEGIN_OF_ROUTE_REFRESH
                || subtype == RouteRefreshMessage.END_OF_ROUTE_REFRESH;
        String ignored = null;
        if (subtype != RouteRefreshMessage.NORMAL && !demarcation) {
            ignored = "unknown-subtype";
        } else if (demarcation && !n.enhancedRouteRefresh()) {
            ignored = "not-negotiated";
        } else if (!n.families().contains(f)) {
            ignored = "family-not-negotiated";
        } else if (subtype == RouteRefreshMessage.BEGIN_OF_ROUTE_REFRESH && n.peerGracefulRestart() != null
                && !endOfRibReceived.contains(f)) {
            ignored = "before-end-of-rib";
        } else if (subtype == RouteRefreshMessage.END_OF_ROUTE_REFRESH && !refreshing.contains(f)) {
            ignored = "eorr-without-borr";
        }
        if (ignored != null) {
            meters.counter(RibbitMeters.ROUTE_REFRESH_IGNORED, "subtype", demarcation
                    || subtype == RouteRefreshMessage.NORMAL ? r.subtypeName() : "other", "reason", ignored)
                    .increment();
            warnings.warn("peer {}: {} ignored: {}", name, r, ignored);
            return;
        }
        if (subtype == RouteRefreshMessage.NORMAL) {
            if (n.enhancedRouteRefresh()) {
                // RFC 7313 §4: a re-advertisement, even of nothing, is framed by BoRR and EoRR.
                s.send(new RouteRefreshMessage(f, RouteRefreshMessage.BEGIN_OF_ROUTE_REFRESH, null));
                s.send(new RouteRefreshMessage(f, RouteRefreshMessage.END_OF_ROUTE_REFRESH, null));
            }
        } else if (subtype == RouteRefreshMessage.BEGIN_OF_ROUTE_REFRESH) {
            refreshing.add(f);
            int marked = rib.markStale(f, false);
            LOG.debug("peer {}: BoRR {}, {} routes stale until EoRR", name, f, marked);
        } else {
            refreshing.remove(f);
            staleRemoved(f, rib.sweepStale(f), "enhanced-route-refresh");
        }
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
            long idle = idleHold(upNanos, reason);
            boolean reconnects = !stopped && config.mode().connects();
            LOG.info("peer {} AS{}: session down after {} s: {}{}", name, remoteAs, upNanos / 1_000_000_000L,
                    reason.detail(), reconnects ? "; connecting again in " + idle + " s" : "");
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("state", "down");
            f.putAll(reason.fields());
            if (reconnects) {
                f.put("idle_hold", idle);
            }
            stateEvent(f);
            retainOrFlush(s, reason);
            if (reconnects) {
                scheduleConnect(TimeUnit.SECONDS.toNanos(idle) + 1);
            } else if (!stopped) {
                transition(SessionState.ACTIVE);
            }
            if (config.dynamic() && rib.size() == 0) {
                ctx.removeIfIdle(this);
            }
        });
    }

    /**
     * The IdleHoldTime before Ribbit connects again after an Established session ended (RFC 4271
     * §8.1.1, DampPeerOscillations): {@code idle-hold-time}, doubled for each session in a row
     * that ended within {@code idle-hold-stable-time} of reaching Established, up to
     * {@code idle-hold-time-max}; a session that lasted longer starts the count again. A session the
     * peer closed to resolve a connection collision (Cease 6/7, RFC 4271 §6.8) does not count.
     * Only Ribbit's own connection attempts wait: a connection from the peer is accepted at once
     * (refusing it would hold up a restarting peer, RFC 4724, for its own ConnectRetry time).
     */
    private long idleHold(long upNanos, DownReason reason) {
        NotificationMessage n = reason.notification();
        boolean collision = reason.kind() == DownReason.Kind.COLLISION
                || (n != null && n.code() == 6 && n.subcode() == 7);
        if (!collision) {
            flaps = upNanos < TimeUnit.SECONDS.toNanos(config.idleHoldStableTime()) ? Math.min(flaps + 1, 16) : 0;
        }
        return Math.min((long) config.idleHoldTime() << Math.max(0, flaps - 1), config.idleHoldTimeMax());
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

    /**
     * The peer did not come back within its Restart Time: drop stale routes, or go long-lived
     * (RFC 9494 §4.2). When the long-lived period begins, routes carrying the NO_LLGR community
     * are removed; the others are kept long-lived stale.
     */
    private void restartTimerExpired() {
        restartTimer = null;
        if (established != null) {
            return;
        }
        int maxLl = 0;
        for (AfiSafi f : new ArrayList<>(staleFamilies)) {
            Integer ll = longLivedStale.get(f);
            if (ll != null) {
                staleRemoved(f, rib.removeWithCommunity(f, Communities.NO_LLGR), "no-llgr");
                rib.markStale(f, true);
                maxLl = Math.max(maxLl, ll);
            } else {
                staleFamilies.remove(f);
                staleRemoved(f, rib.sweepStale(f), "restart-time-expired");
            }
        }
        if (maxLl > 0) {
            LOG.info("peer {}: long-lived graceful restart, stale routes kept up to {} s", name, maxLl);
            restartTimer = loop.schedule(() -> sweepAllStale("long-lived-stale-time-expired"), maxLl,
                    TimeUnit.SECONDS);
        } else if (config.dynamic() && rib.size() == 0) {
            ctx.removeIfIdle(this);
        }
    }

    /** The long-lived stale time ended, or End-of-RIB did not come in time after re-establishment. */
    private void sweepAllStale(String reason) {
        staleTimer = null;
        restartTimer = null;
        for (AfiSafi f : new ArrayList<>(staleFamilies)) {
            staleRemoved(f, rib.sweepStale(f), reason);
        }
        staleFamilies.clear();
    }

    /**
     * Logs and publishes stale routes removed (RFC 4724 §4.2, RFC 9494, RFC 7313 §4: "such purged
     * routes MAY be logged"): a {@code PEER_ALERT} {@code stale-routes-removed} event with the
     * family, the count and why (docs/events.md). Nothing when none were removed.
     */
    private void staleRemoved(AfiSafi family, int routes, String reason) {
        if (routes == 0) {
            return;
        }
        LOG.info("peer {}: {} stale {} routes removed ({})", name, routes, family, reason);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("alert", "stale-routes-removed");
        f.put("afi_safi", family.name());
        f.put("routes", routes);
        f.put("reason", reason);
        publish("PEER_ALERT", null, null, null, f);
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
        if (locRibFeed != null) {
            locRibFeed.close();
        }
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
        if (!ctx.events().wantsMessages()) {
            return;
        }
        String type = m instanceof MalformedMessage ? "MALFORMED" : m.type().name();
        if (loop.inEventLoop()) {
            publish(type, m, direction, raw, null); // an UPDATE's event: no task object
        } else {
            loop.execute(() -> publish(type, m, direction, raw, null));
        }
    }

    private void stateEvent(Map<String, Object> fields) {
        publish("RIS_PEER_STATE", null, null, null, fields);
    }

    private void publish(String type, BgpMessage m, String direction, byte[] raw, Map<String, Object> fields) {
        publish(type, m, direction, raw, fields, null);
    }

    private void publish(String type, BgpMessage m, String direction, byte[] raw, Map<String, Object> fields,
            JsonFields more) {
        EventBus bus = ctx.events();
        if (!bus.wantsMessages()) {
            return; // no sink writes it: not even built
        }
        Instant now = Instant.now();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
        bus.publish(new Event(micros, name, remoteAs, type, m, direction, raw, fields, more), this);
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
