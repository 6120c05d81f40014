package io.ribbit.collector;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.ribbit.codec.capability.Capability;
import io.ribbit.codec.message.OpenMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.collector.api.LookingGlass;
import io.ribbit.collector.api.QueryApi;
import io.ribbit.collector.api.TablePasses;
import io.ribbit.collector.config.EventSinkConfig;
import io.ribbit.collector.config.LocRibConfig;
import io.ribbit.collector.config.NeighborConfig;
import io.ribbit.collector.config.RibbitConfig;
import io.ribbit.collector.event.EventBus;
import io.ribbit.collector.event.EventSink;
import io.ribbit.collector.event.LocRibEvents;
import io.ribbit.rib.LocRib;
import io.ribbit.rib.RouteSelection;
import io.ribbit.collector.http.HttpServer;
import io.ribbit.collector.metrics.RibbitMeters;
import io.ribbit.collector.peer.Peer;
import io.ribbit.collector.peer.PeerRegistry;
import io.ribbit.collector.peer.SessionState;
import io.ribbit.collector.peer.Transport;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The collector daemon: event sinks, peers and listeners, the HTTP side (metrics, health), and an
 * orderly shutdown (Cease 6/2 with the RFC 9003 message to every peer, events flushed).
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Daemon.class);
    /** What {@code scrape()} writes: the Prometheus text format 0.0.4 (PrometheusTextFormatWriter.CONTENT_TYPE). */
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String PEERS_API = "/api/peers/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RibbitConfig config;
    private final PrometheusMeterRegistry registry;
    private final Transport transport = Transport.best();
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final EventBus events;
    private final PeerRegistry peers;
    /** The Loc-RIB, or null ({@code loc-rib: enabled: false}). */
    private final LocRib locRib;
    private final HttpServer http = new HttpServer();
    private final TablePasses passes = TablePasses.forThisMachine();
    private final QueryApi api;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private InetSocketAddress httpAddress;
    private volatile boolean ready;
    private volatile boolean closed;

    public Daemon(RibbitConfig config) throws IOException {
        this.config = config;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("instance", config.name());
        prometheusNames(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        List<EventSink> sinks = new ArrayList<>();
        for (EventSinkConfig s : config.events()) {
            sinks.add(EventSink.open(s));
        }
        this.events = new EventBus(config.name(), sinks, 200_000);
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.boss = transport.newGroup(1, "ribbit-accept");
        // Ingest runs below the HTTP loop's priority (with -XX:ThreadPriorityPolicy=1; see
        // docs/performance.md): a lookup during a full-table load does not queue behind it for a CPU.
        this.workers = transport.newGroup(threads, "ribbit-peer", Thread.MIN_PRIORITY);
        LocRibConfig lc = config.locRib();
        this.locRib = lc.enabled()
                ? new LocRib(new RouteSelection(lc.alwaysCompareMed()), events.wantsLocRib() ? new LocRibEvents(events) : null,
                        lc.maxPendingKeys())
                : null;
        this.peers = new PeerRegistry(config, registry, events, transport, boss, workers, locRib);
        this.api = new QueryApi(peers, config.localAs(), passes);
        registerGlobalMeters();
    }

    /**
     * Micrometer binder meters whose Prometheus names {@code promtool check metrics} rejects:
     * {@code process.cpu.time} (base unit ns, so {@code process_cpu_time_ns_total}) is replaced by
     * the conventional {@code process_cpu_seconds_total}; {@code system.cpu.count} (a gauge ending in
     * {@code _count}) becomes {@code system_cpu_cores}. Filters must be in place before binding.
     */
    static void prometheusNames(MeterRegistry registry) {
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpu.cores") : id;
            }
        });
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                && os.getProcessCpuTime() >= 0) {
            FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9).baseUnit("seconds")
                    .description("CPU time used by the process").register(registry);
        }
    }

    private void registerGlobalMeters() {
        for (EventSink s : events.sinks()) {
            FunctionCounter.builder(RibbitMeters.EVENTS_WRITTEN.meterName(), s, EventSink::written)
                    .description(RibbitMeters.EVENTS_WRITTEN.description()).tag("sink", s.name()).register(registry);
        }
        Gauge.builder(RibbitMeters.EVENTS_PENDING.meterName(), events, EventBus::pending)
                .description(RibbitMeters.EVENTS_PENDING.description()).register(registry);
        FunctionCounter.builder(RibbitMeters.BACKPRESSURE.meterName(), events, e -> e.backPressureNanos() / 1e9)
                .description(RibbitMeters.BACKPRESSURE.description()).register(registry);
        FunctionCounter.builder(RibbitMeters.SINK_ERRORS.meterName(), events, EventBus::sinkErrors)
                .description(RibbitMeters.SINK_ERRORS.description()).register(registry);
        Gauge.builder(RibbitMeters.PAUSED_PEERS.meterName(), events, EventBus::pausedPeers)
                .description(RibbitMeters.PAUSED_PEERS.description()).register(registry);
        if (locRib != null) {
            java.util.Set<AfiSafi> families = new java.util.TreeSet<>();
            for (NeighborConfig n : config.neighbors()) {
                families.addAll(n.families());
            }
            for (AfiSafi f : families) {
                Gauge.builder(RibbitMeters.LOC_RIB_PREFIXES.meterName(), locRib, l -> l.size(f))
                        .description(RibbitMeters.LOC_RIB_PREFIXES.description()).tag("afi_safi", f.name()).register(registry);
            }
            FunctionCounter.builder(RibbitMeters.LOC_RIB_CHANGES.meterName(), locRib, LocRib::changes)
                    .description(RibbitMeters.LOC_RIB_CHANGES.description()).register(registry);
            FunctionCounter.builder(RibbitMeters.LOC_RIB_RECOMPUTES.meterName(), locRib, LocRib::recomputes)
                    .description(RibbitMeters.LOC_RIB_RECOMPUTES.description()).register(registry);
            FunctionCounter.builder(RibbitMeters.LOC_RIB_RESYNCS.meterName(), locRib, LocRib::resyncs)
                    .description(RibbitMeters.LOC_RIB_RESYNCS.description()).register(registry);
            Gauge.builder(RibbitMeters.LOC_RIB_PENDING.meterName(), locRib, LocRib::pending)
                    .description(RibbitMeters.LOC_RIB_PENDING.description()).register(registry);
            Gauge.builder(RibbitMeters.LOC_RIB_LAG.meterName(), locRib, l -> l.lagNanos() / 1e9)
                    .description(RibbitMeters.LOC_RIB_LAG.description()).register(registry);
        }
        Gauge.builder(RibbitMeters.NETTY_MEMORY.meterName(), PooledByteBufAllocator.DEFAULT,
                a -> a.metric().usedDirectMemory()).description(RibbitMeters.NETTY_MEMORY.description())
                .tag("kind", "direct").register(registry);
        Gauge.builder(RibbitMeters.NETTY_MEMORY.meterName(), PooledByteBufAllocator.DEFAULT,
                a -> a.metric().usedHeapMemory()).description(RibbitMeters.NETTY_MEMORY.description())
                .tag("kind", "heap").register(registry);
    }

    public void start() throws InterruptedException {
        LOG.info("Ribbit {} starting: AS{}, router id {}, {} neighbor(s), {} transport", config.name(),
                config.localAs(), ipv4(config.routerId()), config.neighbors().size(), transport.name());
        if (config.http() != null) {
            http.get("/metrics", () -> new HttpServer.Response(200, PROMETHEUS_TEXT,
                    registry.scrape().getBytes(StandardCharsets.UTF_8)));
            http.get("/health", () -> HttpServer.Response.text(closed ? 503 : 200, closed ? "stopping\n" : "ok\n"));
            http.get("/ready", () -> ready && !closed ? HttpServer.Response.text(200, "ready\n")
                    : HttpServer.Response.text(503, "not ready\n"));
            http.prefix("/api/", api::handle);
            http.prefix(PEERS_API, this::peersApi);
            LookingGlass.register(http);
            httpAddress = http.start(config.http().socketAddress(), boss, transport);
            LOG.info("HTTP on http://{}:{}/ (looking glass /, /api/, /metrics, /health, /ready)",
                    httpAddress.getHostString(), httpAddress.getPort());
        }
        if (config.warmup() > 0) {
            Warmup.run(config.warmup(), config);
        }
        peers.start();
        ready = true;
    }

    /**
     * {@code POST /api/peers/{peer}/refresh[?family=ipv4-unicast]}: asks the peer to re-send its
     * routes (ROUTE-REFRESH, RFC 2918), for one family or every negotiated one. 202 when sent; 404
     * unknown peer; 409 not Established or route refresh not negotiated; 400 bad family; 405 not POST.
     */
    private HttpServer.Response peersApi(HttpMethod method, QueryStringDecoder uri, String body) {
        String[] rest = uri.path().substring(PEERS_API.length()).split("/", -1);
        if (rest.length != 2 || !rest[1].equals("refresh")) {
            return api.handle(method, uri, body); // the query API: GET /api/peers/{peer}[/routes]
        }
        if (!method.equals(HttpMethod.POST)) {
            return jsonError(405, "method not allowed: use POST");
        }
        // An IP literal (never a DNS lookup on the HTTP event loop) or a neighbor's description.
        Peer p = api.resolve(rest[0]);
        if (p == null) {
            return jsonError(404, "unknown peer: " + rest[0]);
        }
        List<String> asked = uri.parameters().getOrDefault("family", List.of());
        AfiSafi family = null;
        if (!asked.isEmpty()) {
            family = asked.size() == 1 ? AfiSafi.parse(asked.get(0)) : null;
            if (family == null) {
                return jsonError(400, "bad family: " + String.join(",", asked) + " (e.g. ipv4-unicast)");
            }
        }
        OpenMessage theirs = p.receivedOpen();
        if (p.state() != SessionState.ESTABLISHED || theirs == null) {
            return jsonError(409, "peer " + p.name() + " is not Established (" + p.state() + ")");
        }
        // Ribbit always advertises route refresh (PeerRegistry.buildOpen): negotiated iff the peer did too.
        if (!theirs.hasCapability(Capability.ROUTE_REFRESH) && !theirs.hasCapability(Capability.ROUTE_REFRESH_CISCO)) {
            return jsonError(409, "route refresh not negotiated with peer " + p.name());
        }
        Set<AfiSafi> negotiated = p.negotiatedFamilies();
        if (family != null && !negotiated.contains(family)) {
            return jsonError(400, "family " + family.name() + " not negotiated with peer " + p.name());
        }
        List<AfiSafi> families = family != null ? List.of(family) : List.copyOf(negotiated);
        ObjectNode out = JSON.createObjectNode().put("peer", p.name());
        ArrayNode sent = out.putArray("families");
        for (AfiSafi f : families) {
            if (!p.requestRefresh(f)) {
                return jsonError(409, "peer " + p.name() + " is no longer Established");
            }
            sent.add(f.name());
        }
        LOG.info("peer {}: ROUTE-REFRESH requested over HTTP for {}", p.name(), families);
        return HttpServer.Response.json(202, out + "\n");
    }

    private static HttpServer.Response jsonError(int status, String message) {
        return HttpServer.Response.json(status, JSON.createObjectNode().put("error", message) + "\n");
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public PeerRegistry peers() {
        return peers;
    }

    public EventBus events() {
        return events;
    }

    public HttpServer http() {
        return http;
    }

    /** The query API's table-pass threads and their admission count. */
    public TablePasses tablePasses() {
        return passes;
    }

    public InetSocketAddress httpAddress() {
        return httpAddress;
    }

    public long establishedPeers() {
        return peers.peers().stream().filter(p -> p.state() == SessionState.ESTABLISHED).count();
    }

    /**
     * Applies a reloaded configuration (SIGHUP): neighbors are added, removed (Cease 6/3) or
     * re-created when changed. Other settings (listen, http, events, router-id, local-as, name)
     * need a restart; a change to them is logged and ignored.
     */
    public void reload(RibbitConfig next) {
        List<String> ignored = new ArrayList<>();
        if (!next.name().equals(config.name())) {
            ignored.add("name");
        }
        if (next.routerId() != config.routerId()) {
            ignored.add("router-id");
        }
        if (next.localAs() != config.localAs()) {
            ignored.add("local-as");
        }
        if (!next.listen().equals(config.listen())) {
            ignored.add("listen");
        }
        if (!java.util.Objects.equals(next.http(), config.http())) {
            ignored.add("http");
        }
        if (!next.events().stream().map(EventSinkConfig::name).toList()
                .equals(config.events().stream().map(EventSinkConfig::name).toList())) {
            ignored.add("events");
        }
        if (!ignored.isEmpty()) {
            LOG.warn("reload: {} changed; these take effect after a restart", String.join(", ", ignored));
        }
        LOG.info("reload: {}", peers.reconfigure(next.neighbors()));
    }

    /** Administrative shutdown: Cease 6/2 + message to every peer, flush events, stop. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("shutting down: Cease (Administrative Shutdown) to every peer");
        peers.shutdown(config.shutdownMessage(), 3000);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (locRib != null) {
            try {
                locRib.sync(2, TimeUnit.SECONDS); // the last best-path events, before the sinks close
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            locRib.close();
        }
        events.close();
        http.close();
        passes.close();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        peers.close();
        gcMetrics.close(); // its GC notification listeners outlive the daemon otherwise
        registry.close();
        LOG.info("stopped");
    }

    static String ipv4(int a) {
        return ((a >>> 24) & 0xff) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }
}
