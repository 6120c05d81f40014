package io.ribbit.collector.peer;

import io.ribbit.codec.SessionOptions;
import io.ribbit.codec.capability.Capability;
import io.ribbit.codec.message.OpenMessage;
import io.ribbit.codec.nlri.AfiSafi;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What two OPENs agree on (RFC 5492 §3: a capability is in use when both sides advertise it):
 * hold time (RFC 4271 §4.2: the smaller), families (RFC 4760 §8; IPv4 unicast only when the peer
 * sends no multiprotocol capability), 4-octet AS (RFC 6793), extended messages (RFC 8654),
 * ADD-PATH receive families (RFC 7911 §5: we receive where we said receive and they said send),
 * route refresh, and the peer's graceful-restart capabilities (RFC 4724, RFC 9494).
 */
public record Negotiated(int holdTime, Set<AfiSafi> families, SessionOptions options, boolean routeRefresh,
        boolean enhancedRouteRefresh, Capability.GracefulRestart peerGracefulRestart,
        Capability.LongLivedGracefulRestart peerLongLived) {

    static Negotiated of(OpenMessage ours, OpenMessage theirs) {
        int hold = Math.min(ours.holdTime(), theirs.holdTime());
        Set<AfiSafi> mine = mpFamilies(ours);
        Set<AfiSafi> peer = mpFamilies(theirs);
        Set<AfiSafi> families = new LinkedHashSet<>(mine);
        families.retainAll(peer);
        boolean as4 = ours.hasCapability(Capability.FOUR_OCTET_AS) && theirs.hasCapability(Capability.FOUR_OCTET_AS);
        boolean ext = ours.hasCapability(Capability.EXTENDED_MESSAGE)
                && theirs.hasCapability(Capability.EXTENDED_MESSAGE);
        Set<AfiSafi> addPathReceive = new HashSet<>();
        Set<AfiSafi> weReceive = addPath(ours, true);
        Set<AfiSafi> theySend = addPath(theirs, false);
        for (AfiSafi f : weReceive) {
            if (theySend.contains(f) && families.contains(f)) {
                addPathReceive.add(f);
            }
        }
        boolean rr = (ours.hasCapability(Capability.ROUTE_REFRESH))
                && (theirs.hasCapability(Capability.ROUTE_REFRESH) || theirs.hasCapability(Capability.ROUTE_REFRESH_CISCO));
        boolean err = rr && ours.hasCapability(Capability.ENHANCED_ROUTE_REFRESH)
                && theirs.hasCapability(Capability.ENHANCED_ROUTE_REFRESH);
        Capability.GracefulRestart gr = null;
        for (Capability c : theirs.capabilities(Capability.GRACEFUL_RESTART)) {
            gr = (Capability.GracefulRestart) c;
        }
        Capability.LongLivedGracefulRestart llgr = null;
        for (Capability c : theirs.capabilities(Capability.LONG_LIVED_GRACEFUL_RESTART)) {
            llgr = (Capability.LongLivedGracefulRestart) c;
        }
        SessionOptions options = new SessionOptions(as4, ext, addPathReceive, Set.of());
        return new Negotiated(hold, families, options, rr, err, gr, llgr);
    }

    /** RFC 4760 §8: without any multiprotocol capability a speaker does IPv4 unicast only. */
    static Set<AfiSafi> mpFamilies(OpenMessage open) {
        Set<AfiSafi> out = new LinkedHashSet<>();
        for (Capability c : open.capabilities(Capability.MULTIPROTOCOL)) {
            out.add(((Capability.Multiprotocol) c).family());
        }
        if (out.isEmpty()) {
            out.add(AfiSafi.IPV4_UNICAST);
        }
        return out;
    }

    private static Set<AfiSafi> addPath(OpenMessage open, boolean receive) {
        Set<AfiSafi> out = new HashSet<>();
        for (Capability c : open.capabilities(Capability.ADD_PATH)) {
            for (Capability.AddPath.Family f : ((Capability.AddPath) c).families()) {
                if (receive ? f.canReceive() : f.canSend()) {
                    out.add(f.family());
                }
            }
        }
        return out;
    }

    /** The families the peer will preserve across its restart (RFC 4724 §3), empty without GR. */
    List<AfiSafi> gracefulRestartFamilies() {
        List<AfiSafi> out = new ArrayList<>();
        if (peerGracefulRestart != null) {
            for (Capability.GracefulRestart.Family f : peerGracefulRestart.families()) {
                if (families.contains(f.family())) {
                    out.add(f.family());
                }
            }
        }
        return out;
    }
}
