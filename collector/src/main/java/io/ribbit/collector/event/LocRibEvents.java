package io.ribbit.collector.event;

import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.collector.output.MessageJson;
import io.ribbit.collector.peer.Peer;
import io.ribbit.rib.AttributeSet;
import io.ribbit.rib.LocRib;
import io.ribbit.rib.Route;
import io.ribbit.rib.RouteKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Turns the Loc-RIB's best-path changes into {@link Event#LOC_RIB} events (docs/events.md#loc_rib),
 * like BMP Loc-RIB monitoring (RFC 9069): one stream of the best path per prefix instead of every
 * peer's table. Runs on the Loc-RIB thread, which may wait: while the sinks are behind, it pauses
 * (and the Loc-RIB's own queue coalesces), so these events never grow the event queue without bound.
 */
public final class LocRibEvents implements LocRib.Listener {
    private static final ThreadLocal<MessageJson> JSON = ThreadLocal.withInitial(MessageJson::new);

    private final EventBus bus;

    public LocRibEvents(EventBus bus) {
        this.bus = bus;
    }

    @Override
    public void changed(AfiSafi family, long high, long low, int length, long rd, LocRib.Feed previous, LocRib.Feed best,
            int pathId, AttributeSet set) {
        while (bus.behind()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        LocRib.Feed about = best != null ? best : previous;
        Peer peer = about == null ? null : (Peer) about.tag();
        RouteKey key = new RouteKey(family, high, low, length, pathId, rd);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("afi_safi", family.name());
        fields.put("prefix", key.prefix());
        if (family.isVpn()) {
            fields.put("rd", PrefixList.formatRouteDistinguisher(rd));
        }
        fields.put("action", best != null ? "best" : "withdrawn");
        if (best != null && previous != null && previous != best) {
            fields.put("previous_peer", ((Peer) previous.tag()).name());
        }
        if (best != null) {
            fields.put("attributes", (JsonFields) g -> {
                if (pathId != 0) {
                    g.writeNumberField("path_id", Integer.toUnsignedLong(pathId));
                }
                PathAttributes a = set.attributes();
                Route r = new Route(a, set.nextHop(), null, false, false);
                g.writeStringField("next_hop", r.nextHopText());
                JSON.get().writeAttributes(g, a);
            });
        }
        String name = peer == null ? "" : peer.name();
        long as = peer == null ? 0 : peer.remoteAs();
        bus.publish(new Event(System.currentTimeMillis() * 1000, name, as, Event.LOC_RIB, null, null, null,
                fields), null);
    }
}
