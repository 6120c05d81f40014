package io.ribbit.collector.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.NetUtil;
import io.ribbit.codec.message.OpenMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.collector.http.HttpServer.Response;
import io.ribbit.collector.output.MessageJson;
import io.ribbit.collector.peer.Negotiated;
import io.ribbit.collector.peer.Peer;
import io.ribbit.collector.peer.PeerRegistry;
import io.ribbit.collector.peer.SessionState;
import io.ribbit.rib.AdjRibIn;
import io.ribbit.rib.Route;
import io.ribbit.rib.RouteKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The JSON query API (docs/api.md): {@code GET /api/peers}, {@code /api/peers/{peer}},
 * {@code /api/peers/{peer}/routes} (paged, streamed) and {@code /api/routes} (a prefix or an
 * address across every peer, the best path marked). Every malformed request is a 4xx with
 * {@code {"error": "…"}}.
 *
 * <p>Runs on the HTTP event loop, never a peer's, except for passes over whole tables (pages,
 * dumps, more-specific lookups, lookups over ADD-PATH peers), which run on {@link TablePasses}
 * so the loop stays free for exact and longest-match lookups; at most
 * {@link TablePasses#maxRequests()} such requests are in progress at once, more get 503. It reads
 * the Adj-RIBs-In through their public methods only ({@code get}, {@code forEach}, {@code size}),
 * which are safe against the peer's loop writing at the same time and never block it. Results
 * are therefore weakly consistent: a page or a lookup taken during an UPDATE may see part of it.
 */
public final class QueryApi {
    /** Routes per page of {@code /api/peers/{peer}/routes} unless {@code limit} says otherwise. */
    public static final int DEFAULT_LIMIT = 1000;
    /** The largest {@code limit} for a page; {@code all=true} streams a whole table instead. */
    public static final int MAX_LIMIT = 100_000;
    /** Prefixes a more-specific lookup returns unless {@code limit} says otherwise, and the most it takes. */
    public static final int DEFAULT_LOOKUP_LIMIT = 1000;
    public static final int MAX_LOOKUP_LIMIT = 10_000;

    private static final String PEERS = "/api/peers";
    private static final String ROUTES = "/api/routes";
    private static final String JSON_TYPE = "application/json";

    private final PeerRegistry peers;
    private final long localAs;
    private final TablePasses passes;
    /** Thread-safe; generators are made per response. */
    private static final JsonFactory JSON = new JsonFactory();

    /** Over {@code peers}; {@code localAs} tells eBGP from iBGP peers; table passes run on {@code passes}. */
    public QueryApi(PeerRegistry peers, long localAs, TablePasses passes) {
        this.peers = peers;
        this.localAs = localAs;
        this.passes = passes;
    }

    /**
     * Every {@code /api/…} request but {@code POST /api/peers/{peer}/refresh}, which the daemon
     * keeps. Unknown paths are 404, other methods than GET and HEAD 405.
     */
    public Response handle(HttpMethod method, QueryStringDecoder uri, String body) {
        String path = uri.path();
        String[] rest = path.startsWith(PEERS + "/") ? path.substring(PEERS.length() + 1).split("/", -1) : null;
        boolean known = path.equals(PEERS) || path.equals(PEERS + "/") || path.equals(ROUTES)
                || rest != null && !rest[0].isEmpty() && (rest.length == 1 || rest.length == 2 && rest[1].equals("routes"));
        if (!known) {
            return error(404, "not found: " + clip(path) + " (see docs/api.md)");
        }
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            return error(405, "method not allowed: " + method.name() + " (use GET)");
        }
        Map<String, List<String>> q = uri.parameters();
        try {
            if (path.equals(ROUTES)) {
                return lookup(q);
            }
            if (rest == null) {
                allow(q);
                return peerList();
            }
            Peer p = resolve(rest[0]);
            if (p == null) {
                return error(404, "unknown peer: " + clip(rest[0]) + " (an address or a neighbor's description)");
            }
            if (rest.length == 1) {
                allow(q);
                return peerDetail(p);
            }
            return routes(p, q);
        } catch (BadRequest e) {
            return error(400, e.getMessage());
        }
    }

    /**
     * The peer that {@code text} names: its address (an IP literal, never a DNS lookup on the
     * HTTP loop), or the description of exactly one configured neighbor. Null when none matches.
     */
    public Peer resolve(String text) {
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(text);
        if (ip != null) {
            try {
                return peers.peer(InetAddress.getByAddress(ip));
            } catch (UnknownHostException e) {
                return null; // not reached: the length is 4 or 16
            }
        }
        Peer found = null;
        for (Peer p : peers.peers()) {
            if (!text.isEmpty() && text.equals(p.config().description())) {
                if (found != null) {
                    return null; // two neighbors share the description: only the address names one
                }
                found = p;
            }
        }
        return found;
    }

    // ------------------------------------------------------------------ peers

    private Response peerList() {
        List<Peer> ps = sortedPeers();
        return small(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("peers");
            MessageJson mj = new MessageJson();
            for (Peer p : ps) {
                writePeer(g, p, false, mj);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private Response peerDetail(Peer p) {
        return small(g -> writePeer(g, p, true, new MessageJson()));
    }

    private List<Peer> sortedPeers() {
        List<Peer> ps = new ArrayList<>(peers.peers());
        ps.sort(Comparator.comparing((Peer p) -> p.address().getAddress(), io.ribbit.rib.RouteSelection::compareAddresses));
        return ps;
    }

    private void writePeer(JsonGenerator g, Peer p, boolean detail, MessageJson mj) throws IOException {
        SessionState state = p.state();
        long since = p.stateSinceMillis();
        OpenMessage open = p.receivedOpen();
        Negotiated n = p.negotiated();
        g.writeStartObject();
        g.writeStringField("peer", p.name());
        g.writeStringField("description", p.config().description() == null ? "" : p.config().description());
        g.writeStringField("neighbor", p.config().addressText());
        g.writeBooleanField("dynamic", p.config().dynamic());
        g.writeNumberField("remote_as", p.remoteAs());
        g.writeStringField("state", state.tag());
        g.writeStringField("state_since", Instant.ofEpochMilli(since).toString());
        g.writeNumberField("uptime_seconds", state == SessionState.ESTABLISHED
                ? Math.max(0, (System.currentTimeMillis() - since) / 1000) : 0);
        if (open != null) {
            g.writeStringField("router_id", open.bgpIdentifierText());
        } else {
            g.writeNullField("router_id");
        }
        g.writeArrayFieldStart("configured_families");
        for (AfiSafi f : p.config().families()) {
            g.writeString(f.name());
        }
        g.writeEndArray();
        if (n != null) {
            g.writeObjectFieldStart("negotiated");
            g.writeNumberField("hold_time", n.holdTime());
            writeFamilies(g, "families", n.families());
            g.writeBooleanField("asn4", n.options().fourOctetAs());
            g.writeBooleanField("extended_message", n.options().extendedMessage());
            writeFamilies(g, "add_path_receive", n.options().addPathReceive());
            g.writeBooleanField("route_refresh", n.routeRefresh());
            g.writeBooleanField("enhanced_route_refresh", n.enhancedRouteRefresh());
            g.writeBooleanField("graceful_restart", n.peerGracefulRestart() != null);
            g.writeBooleanField("long_lived_graceful_restart", n.peerLongLived() != null);
            g.writeEndObject();
        } else {
            g.writeNullField("negotiated");
        }
        AdjRibIn rib = p.rib();
        g.writeObjectFieldStart("routes");
        for (AfiSafi f : new TreeSet<>(rib.families())) {
            g.writeNumberField(f.name(), rib.size(f));
        }
        g.writeEndObject();
        g.writeNumberField("routes_total", rib.size());
        g.writeNumberField("stale_routes", rib.staleCount());
        g.writeNumberField("updates_received", (long) p.meters().updates.count());
        g.writeNumberField("prefixes_announced", (long) p.meters().prefixesAnnounced.count());
        g.writeNumberField("prefixes_withdrawn", (long) p.meters().prefixesWithdrawn.count());
        if (detail) {
            if (open != null) {
                g.writeObjectFieldStart("open");
                mj.writeFields(g, open, "received");
                g.writeEndObject();
            } else {
                g.writeNullField("open");
            }
        }
        g.writeEndObject();
    }

    private static void writeFamilies(JsonGenerator g, String field, Set<AfiSafi> families) throws IOException {
        g.writeArrayFieldStart(field);
        for (AfiSafi f : new TreeSet<>(families)) {
            g.writeString(f.name());
        }
        g.writeEndArray();
    }

    // ----------------------------------------------------------- peer routes

    private Response routes(Peer p, Map<String, List<String>> q) {
        allow(q, "family", "limit", "cursor", "all");
        AfiSafi family = family(param(q, "family"), AfiSafi.IPV4_UNICAST, false);
        String allText = param(q, "all");
        if (allText != null && !allText.equals("true") && !allText.equals("false")) {
            throw new BadRequest("bad all: " + clip(allText) + " (true or false)");
        }
        boolean all = "true".equals(allText);
        String limitText = param(q, "limit");
        if (all && limitText != null) {
            throw new BadRequest("limit and all=true exclude each other");
        }
        int limit = limitText == null ? DEFAULT_LIMIT : intParam("limit", limitText, 1, MAX_LIMIT,
                "; all=true for the whole table");
        String cursorText = param(q, "cursor");
        RouteKey after = cursorText == null || cursorText.isEmpty() ? null : RouteCursor.decode(cursorText, family);
        if (!passes.tryAcquire()) {
            return busy();
        }
        return Response.stream(200, JSON_TYPE, new RouteDump(JSON, passes, p, family, after, all ? -1 : limit));
    }

    // ---------------------------------------------------------------- lookups

    private Response lookup(Map<String, List<String>> q) {
        allow(q, "prefix", "ip", "match", "family", "limit");
        String prefixText = param(q, "prefix");
        String ipText = param(q, "ip");
        if ((prefixText == null) == (ipText == null)) {
            throw new BadRequest("give exactly one of prefix=P or ip=A");
        }
        AfiSafi family = family(param(q, "family"), null, true);
        String match = param(q, "match");
        if (match == null) {
            match = "exact";
        }
        if (ipText != null && !match.equals("exact")) {
            throw new BadRequest("match applies to prefix=, not ip= (an address is a longest-prefix match)");
        }
        Lookup.Match m = switch (match) {
            case "exact" -> Lookup.Match.EXACT;
            case "more-specific" -> Lookup.Match.MORE_SPECIFIC;
            case "less-specific" -> Lookup.Match.LESS_SPECIFIC;
            default -> throw new BadRequest("bad match: " + clip(match) + " (exact, more-specific, less-specific)");
        };
        String limitText = param(q, "limit");
        if (limitText != null && m != Lookup.Match.MORE_SPECIFIC) {
            throw new BadRequest("limit applies to match=more-specific only");
        }
        int limit = limitText == null ? DEFAULT_LOOKUP_LIMIT : intParam("limit", limitText, 1, MAX_LOOKUP_LIMIT, "");
        List<Peer> ps = sortedPeers();
        Lookup lookup = new Lookup(ps, localAs, peers.locRib(), peers.selection());
        Prefix p = ipText != null ? Prefix.host(ipText, family) : Prefix.parse(prefixText, family);
        Supplier<Lookup.Result> work = ipText != null ? () -> lookup.longestMatch(p) : switch (m) {
            case EXACT -> () -> lookup.exact(p);
            case LESS_SPECIFIC -> () -> lookup.lessSpecific(p);
            case MORE_SPECIFIC -> () -> lookup.moreSpecific(p, limit);
        };
        String[] query = ipText != null ? new String[] {"ip", ipText} : new String[] {"prefix", prefixText, "match", match};
        if (!scans(m, p.family(), ps)) {
            // Probes only (microseconds): answered here, on the HTTP loop.
            return Response.stream(200, JSON_TYPE, new LookupStream(JSON, query, CompletableFuture.completedFuture(work.get())));
        }
        if (!passes.tryAcquire()) {
            return busy();
        }
        CompletableFuture<Lookup.Result> result;
        try {
            result = passes.submit(work);
        } catch (RuntimeException e) {
            passes.release(); // not submitted (shutting down)
            throw e;
        }
        result.whenComplete((r, e) -> passes.release()); // the place covers the passes, not the short write
        return Response.stream(200, JSON_TYPE, new LookupStream(JSON, query, result));
    }

    /** Whether a lookup passes over whole tables: more-specific, or a peer with ADD-PATH keys has routes. */
    private static boolean scans(Lookup.Match m, AfiSafi family, List<Peer> ps) {
        if (m == Lookup.Match.MORE_SPECIFIC) {
            return true;
        }
        for (Peer peer : ps) {
            if (peer.config().addPathReceive() && peer.rib().size(family) > 0) {
                return true;
            }
        }
        return false;
    }

    /** 503: every place for a request that passes over whole tables is taken. */
    private Response busy() {
        return error(503, "busy: " + passes.maxRequests() + " requests that pass over whole tables (route pages and"
                + " dumps, more-specific lookups) are in progress; retry when one is done");
    }

    // ---------------------------------------------------------------- helpers

    /**
     * A family parameter: {@code fallback} when absent. With {@code lookup}, only the families
     * whose keys are plain prefixes (unicast, multicast, labeled unicast; not VPN).
     */
    private static AfiSafi family(String text, AfiSafi fallback, boolean lookup) {
        if (text == null) {
            return fallback;
        }
        AfiSafi f = AfiSafi.parse(text);
        if (f == null) {
            throw new BadRequest("unknown family: " + clip(text) + " (e.g. ipv4-unicast, ipv6-unicast)");
        }
        if (!f.hasPrefixNlri()) {
            throw new BadRequest("unsupported family: " + f.name() + " (routes are kept for IPv4/IPv6 unicast,"
                    + " multicast, labeled-unicast and mpls-vpn)");
        }
        if (lookup && f.isVpn()) {
            throw new BadRequest("family " + f.name() + " has route distinguishers: list it with "
                    + "/api/peers/{peer}/routes?family=" + f.name());
        }
        return f;
    }

    /** Rejects parameters other than {@code names} (a typo would otherwise be silently ignored). */
    private static void allow(Map<String, List<String>> q, String... names) {
        for (String k : q.keySet()) {
            if (!Arrays.asList(names).contains(k)) {
                throw new BadRequest("unknown parameter: " + clip(k) + (names.length == 0 ? " (none taken)"
                        : " (taken: " + String.join(", ", names) + ")"));
            }
        }
    }

    /** A parameter's value, null when absent; given twice is an error. */
    private static String param(Map<String, List<String>> q, String name) {
        List<String> v = q.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.size() > 1) {
            throw new BadRequest("parameter " + name + " given " + v.size() + " times");
        }
        return v.get(0);
    }

    private static int intParam(String name, String text, int min, int max, String hint) {
        long v = -1;
        if (!text.isEmpty() && text.length() <= 10 && text.chars().allMatch(Character::isDigit)) {
            v = Long.parseLong(text);
        }
        if (v < min || v > max) {
            throw new BadRequest("bad " + name + ": " + clip(text) + " (" + min + ".." + max + hint + ")");
        }
        return (int) v;
    }

    /** Client text echoed in an error, kept short. */
    static String clip(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }

    private interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    /** A small document (the peer list, one peer) built in memory. */
    private Response small(Writer w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not reached: in memory
        }
        out.write('\n');
        return new Response(200, JSON_TYPE, out.toByteArray());
    }

    static Response error(int status, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return new Response(status, JSON_TYPE, out.toByteArray());
    }

    // ------------------------------------------------------------- streams

    /** Writes one stored route's fields: next hop, labels, stale flags, then the attributes as events write them. */
    static void writeRouteFields(JsonGenerator g, RouteKey k, Route r, MessageJson mj) throws IOException {
        writeRouteFields(g, k, r, mj, null);
    }

    /** As above, with the route's failed import checks ({@code tags}, names) when {@code checks} is given. */
    static void writeRouteFields(JsonGenerator g, RouteKey k, Route r, MessageJson mj,
            io.ribbit.rib.ImportChecks.Bound checks) throws IOException {
        if (k.pathId() != 0) {
            g.writeNumberField("path_id", Integer.toUnsignedLong(k.pathId()));
        }
        if (k.family().isVpn()) {
            g.writeStringField("rd", io.ribbit.codec.nlri.PrefixList.formatRouteDistinguisher(k.rd()));
        }
        if (r.labels() != null) {
            g.writeArrayFieldStart("labels");
            for (int label : r.labels()) {
                g.writeNumber(label);
            }
            g.writeEndArray();
        }
        g.writeStringField("next_hop", r.nextHopText());
        g.writeBooleanField("stale", r.stale());
        if (r.llgrStale()) {
            g.writeBooleanField("llgr_stale", true);
        }
        mj.writeAttributes(g, r.attributes());
        int tags = checks == null ? 0 : checks.routeMask(k, r);
        if (tags != 0) {
            g.writeArrayFieldStart("tags");
            for (String t : io.ribbit.rib.ImportCheck.keys(tags)) {
                g.writeString(t);
            }
            g.writeEndArray();
        }
    }

    /**
     * {@code /api/peers/{peer}/routes}: one page, or with {@code limit} -1 the whole table, in key
     * order. Each batch (the page, or {@link TablePasses#dumpBatch()} routes of a dump) is one pass on
     * {@link TablePasses}, the next one started once the previous one is written, so memory
     * is that of one batch (the chunks wait meanwhile; the connection stays open). Holds a place on {@code passes} until
     * the end or the close, which also stops a pass in progress.
     */
    private static final class RouteDump extends JsonStream {
        private final TablePasses passes;
        private final Peer peer;
        private final AfiSafi family;
        private final int limit;
        private final int dumpBatch;
        private final MessageJson mj = new MessageJson();
        private RouteKey after;
        private List<RibScan.Entry> batch = List.of();
        private int next;
        /** The next batch's pass; null when there is none to come. */
        private CompletableFuture<List<RibScan.Entry>> coming;
        private boolean started;
        private boolean more;
        private long count;
        /** Set on the HTTP loop at the end or close; read by a pass in progress, which then stops. */
        private volatile boolean closed;

        RouteDump(JsonFactory json, TablePasses passes, Peer peer, AfiSafi family, RouteKey after, int limit) {
            super(json);
            this.passes = passes;
            this.peer = peer;
            this.family = family;
            this.after = after;
            this.limit = limit;
            this.dumpBatch = passes.dumpBatch();
            try {
                this.coming = pass(after);
            } catch (RuntimeException e) {
                release(); // not submitted (shutting down)
                throw e;
            }
        }

        private int batchSize() {
            return limit < 0 ? dumpBatch : limit;
        }

        /** The batch after {@code from}, one more route than the batch to tell whether more follow. */
        private CompletableFuture<List<RibScan.Entry>> pass(RouteKey from) {
            AdjRibIn rib = peer.rib();
            int n = batchSize() + 1;
            CompletableFuture<List<RibScan.Entry>> f = passes.submit(() -> RibScan.after(rib, family, from, n,
                    () -> closed));
            f.whenComplete((b, e) -> wake());
            return f;
        }

        @Override
        protected boolean ready() {
            return next < batch.size() || coming == null || coming.isDone();
        }

        @Override
        protected boolean writeNext(JsonGenerator g) throws IOException {
            if (next == batch.size() && coming != null) {
                List<RibScan.Entry> b = coming.join(); // done (ready() said so); a failed pass throws here
                int n = batchSize();
                more = b.size() > n;
                batch = more ? b.subList(0, n) : b;
                next = 0;
                coming = null;
            }
            if (!started) {
                started = true;
                g.writeStartObject();
                g.writeStringField("peer", peer.name());
                g.writeStringField("afi_safi", family.name());
                g.writeArrayFieldStart("routes");
                return false;
            }
            if (next == batch.size()) {
                g.writeEndArray();
                g.writeNumberField("count", count);
                if (limit >= 0 && more) {
                    g.writeStringField("next_cursor", RouteCursor.encode(after));
                } else {
                    g.writeNullField("next_cursor");
                }
                g.writeEndObject();
                g.writeRaw('\n');
                return true;
            }
            RibScan.Entry e = batch.get(next++);
            g.writeStartObject();
            g.writeStringField("prefix", e.key().prefix());
            writeRouteFields(g, e.key(), e.route(), mj, peer.importChecks());
            g.writeEndObject();
            after = e.key();
            count++;
            if (next == batch.size() && more && limit < 0) {
                batch = List.of(); // written: garbage before the next pass fills its buffer
                next = 0;
                coming = pass(after);
            }
            return false;
        }

        @Override
        protected void release() {
            if (!closed) {
                closed = true;
                batch = List.of();
                if (coming != null) {
                    coming.cancel(false); // a pass still queued never starts; one running stops at the flag
                    coming = null;
                }
                passes.release();
            }
        }
    }

    /** {@code /api/routes}: the prefixes found, each with every peer's path, the best first and marked. */
    private static final class LookupStream extends JsonStream {
        private final String[] query;
        /** Done already for probes; computed on {@link TablePasses} for lookups that scan. */
        private final CompletableFuture<Lookup.Result> pending;
        private final MessageJson mj = new MessageJson();
        private Lookup.Result result;
        private int next = -1;

        LookupStream(JsonFactory json, String[] query, CompletableFuture<Lookup.Result> pending) {
            super(json);
            this.query = query;
            this.pending = pending;
            pending.whenComplete((r, e) -> wake());
        }

        @Override
        protected boolean ready() {
            return result != null || pending.isDone();
        }

        @Override
        protected boolean writeNext(JsonGenerator g) throws IOException {
            if (result == null) {
                result = pending.join(); // done (ready() said so); a failed lookup throws here
            }
            if (next < 0) {
                next = 0;
                g.writeStartObject();
                g.writeObjectFieldStart("query");
                for (int i = 0; i < query.length; i += 2) {
                    g.writeStringField(query[i], query[i + 1]);
                }
                g.writeStringField("afi_safi", result.family().name());
                g.writeEndObject();
                g.writeArrayFieldStart("prefixes");
                return false;
            }
            if (next == result.found().size()) {
                g.writeEndArray();
                g.writeBooleanField("truncated", result.truncated());
                g.writeEndObject();
                g.writeRaw('\n');
                return true;
            }
            Lookup.Found f = result.found().get(next++);
            g.writeStartObject();
            g.writeStringField("prefix", f.prefix().text());
            g.writeStringField("afi_safi", f.prefix().family().name());
            g.writeArrayFieldStart("paths");
            for (int i = 0; i < f.paths().size(); i++) {
                Lookup.Hit h = f.paths().get(i);
                g.writeStartObject();
                g.writeStringField("peer", h.peer().name());
                g.writeNumberField("peer_asn", h.peer().remoteAs());
                g.writeBooleanField("best", i == 0 && f.bestFirst());
                writeRouteFields(g, h.key(), h.route(), mj, h.peer().importChecks());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            return false;
        }
    }
}
