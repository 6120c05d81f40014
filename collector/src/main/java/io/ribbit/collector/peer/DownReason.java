package io.ribbit.collector.peer;

import io.ribbit.codec.message.NotificationMessage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why a session ended, for the {@code RIS_PEER_STATE} down event and logs: a NOTIFICATION
 * received or sent (with RFC 9003 message), the hold timer, a TCP close, a collision, shutdown.
 */
public record DownReason(Kind kind, NotificationMessage notification, String detail) {
    public enum Kind {
        NOTIFICATION_RECEIVED, NOTIFICATION_SENT, HOLD_TIMER_EXPIRED, TCP_CLOSED, CONNECTION_ERROR, COLLISION,
        SHUTDOWN, MAX_PREFIXES
    }

    public static DownReason received(NotificationMessage n) {
        return new DownReason(Kind.NOTIFICATION_RECEIVED, n, n.describe());
    }

    public static DownReason sent(NotificationMessage n, Kind kind) {
        return new DownReason(kind, n, n.describe());
    }

    public static DownReason tcp(String detail) {
        return new DownReason(Kind.TCP_CLOSED, null, detail);
    }

    /** The reason as event fields. */
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reason", kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        if (notification != null) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("code", notification.code());
            n.put("subcode", notification.subcode());
            n.put("error", io.ribbit.codec.error.BgpError.describe(notification.code(), notification.subcode()));
            String msg = notification.shutdownMessage();
            if (msg != null) {
                n.put("shutdown_message", msg);
            }
            m.put("notification", n);
        }
        if (detail != null) {
            m.put("detail", detail);
        }
        return m;
    }
}
