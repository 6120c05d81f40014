package io.ribbit.collector.metrics;

/**
 * Every meter Ribbit exports: name (dotted, without unit or {@code _total}; Prometheus renders
 * {@code ribbit_peer_messages_received_total}) and help text. One place, so the catalogue can be
 * reviewed (docs/metrics.md is generated from it by a test).
 */
public enum RibbitMeters {
    SESSION_STATE("ribbit.peer.session.state", "BGP FSM state (RFC 4271 §8.2.2 / BGP4-MIB numbering: 1 idle, 2 connect, 3 active, 4 opensent, 5 openconfirm, 6 established)"),
    SESSION_TRANSITIONS("ribbit.peer.session.transitions", "FSM state transitions, by from/to state"),
    SESSION_UPTIME("ribbit.peer.session.uptime.seconds", "Seconds since the session reached Established, 0 when down"),
    SESSION_ESTABLISHED("ribbit.peer.session.established", "Times the session reached Established"),
    SESSION_COLLISIONS("ribbit.peer.session.collisions", "Connection collisions resolved (RFC 4271 §6.8, Cease 6/7),"
            + " by rule (bgp-identifier, established, same-side) and the direction of the connection closed"),
    MESSAGES_RECEIVED("ribbit.peer.messages.received", "BGP messages received, by type"),
    MESSAGES_SENT("ribbit.peer.messages.sent", "BGP messages sent, by type"),
    MESSAGES_MALFORMED("ribbit.peer.messages.malformed", "Messages that needed a session reset (NOTIFICATION sent)"),
    UPDATES_RECEIVED("ribbit.peer.updates.received", "UPDATE messages received"),
    UPDATES_MALFORMED("ribbit.peer.updates.malformed", "UPDATEs with RFC 7606 problems, by action"),
    PREFIXES_ANNOUNCED("ribbit.peer.prefixes.announced", "Prefixes announced by the peer"),
    PREFIXES_WITHDRAWN("ribbit.peer.prefixes.withdrawn", "Prefixes withdrawn by the peer (treat-as-withdraw included)"),
    RIB_ROUTES("ribbit.rib.routes", "Routes in the peer's Adj-RIB-In, by family"),
    RIB_STALE_ROUTES("ribbit.rib.stale.routes", "Routes kept stale for a restarting peer (RFC 4724)"),
    ROUTE_REFRESH_IGNORED("ribbit.peer.route.refresh.ignored", "ROUTE-REFRESH messages ignored, by subtype"
            + " (request, borr, eorr, other) and reason (RFC 7313 §4/§5, RFC 2918 §4)"),
    NOTIFICATIONS_SENT("ribbit.peer.notifications.sent", "NOTIFICATIONs sent, by code and subcode"),
    NOTIFICATIONS_RECEIVED("ribbit.peer.notifications.received", "NOTIFICATIONs received, by code and subcode"),
    IMPORT_CHECK_ROUTES("ribbit.peer.import.check.routes",
            "Announced routes that failed an import check, by check and action (tag or reject)"),
    MAX_PREFIX_WARNINGS("ribbit.peer.max.prefixes.warnings", "Times the max-prefixes warning threshold was crossed"),
    CONNECTIONS_REJECTED("ribbit.connections.rejected", "TCP connections closed because no neighbor matches the source address"),
    EVENTS_WRITTEN("ribbit.output.events.written", "Events written, by sink"),
    EVENTS_PENDING("ribbit.output.events.pending", "Events queued for the sinks and not yet written"),
    BACKPRESSURE("ribbit.output.backpressure.seconds", "Time peers were paused because the sinks were behind"),
    SINK_ERRORS("ribbit.output.sink.errors", "Sink write failures (the write is retried)"),
    PAUSED_PEERS("ribbit.output.paused.peers", "Peers not being read because the sinks are behind"),
    LOC_RIB_PREFIXES("ribbit.loc.rib.prefixes", "Prefixes with a best path in the Loc-RIB, by family"),
    LOC_RIB_CHANGES("ribbit.loc.rib.best.changes", "Best-path changes in the Loc-RIB (new, replaced or withdrawn best)"),
    LOC_RIB_PENDING("ribbit.loc.rib.pending", "Prefixes (and other changes) handed to the Loc-RIB and not yet processed"),
    LOC_RIB_LAG("ribbit.loc.rib.lag.seconds", "How long the Loc-RIB has had changes waiting (0 when caught up)"),
    LOC_RIB_RECOMPUTES("ribbit.loc.rib.recomputes", "Prefixes whose best was selected again from every peer's paths"),
    LOC_RIB_RESYNCS("ribbit.loc.rib.resyncs", "Peers whose routes were all re-checked because the Loc-RIB queue was full"),
    NETTY_MEMORY("ribbit.netty.memory.used.bytes", "Memory used by Netty's pooled allocator, by kind");

    private final String meterName;
    private final String description;

    RibbitMeters(String meterName, String description) {
        this.meterName = meterName;
        this.description = description;
    }

    public String meterName() {
        return meterName;
    }

    public String description() {
        return description;
    }
}
