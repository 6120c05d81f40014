package io.ribbit.collector.event;

import io.ribbit.codec.message.BgpMessage;
import java.util.Map;

/**
 * One thing that happened, on its way to the sinks. Immutable; built on a peer's event loop and
 * serialized on the writer thread.
 *
 * @param timeMicros wall-clock time, microseconds since the epoch
 * @param peer the peer's address text
 * @param peerAs the peer's AS (0 if not yet known)
 * @param type {@code UPDATE}, {@code OPEN}, {@code NOTIFICATION}, {@code KEEPALIVE},
 *     {@code ROUTE_REFRESH}, {@code RIS_PEER_STATE}, {@code PEER_ALERT}, {@link #LOC_RIB}
 * @param message the BGP message (null for state events)
 * @param direction {@code received} or {@code sent} for OPEN and NOTIFICATION, else null
 * @param raw the message's bytes (null unless a sink includes raw)
 * @param fields extra fields (state, reason, …), written after the message's fields
 * @param more fields that write themselves, after {@code fields} (an UPDATE's {@code tags}: no map
 *     per UPDATE), or null
 */
public record Event(long timeMicros, String peer, long peerAs, String type, BgpMessage message,
        String direction, byte[] raw, Map<String, Object> fields, JsonFields more) {
    /** An event without {@code more}. */
    public Event(long timeMicros, String peer, long peerAs, String type, BgpMessage message,
            String direction, byte[] raw, Map<String, Object> fields) {
        this(timeMicros, peer, peerAs, type, message, direction, raw, fields, null);
    }

    /** The type of the Loc-RIB's best-path events (docs/events.md#loc_rib). */
    public static final String LOC_RIB = "LOC_RIB";
}
