package io.ribbit.collector.peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ribbit.codec.capability.Capability;
import io.ribbit.codec.capability.CapabilityCodec;
import io.ribbit.codec.error.BgpError;
import io.ribbit.codec.message.NotificationMessage;
import io.ribbit.codec.message.OpenMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.collector.config.NeighborConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks on a peer's OPEN that need configuration (RFC 4271 §6.2; the codec already checked
 * version, hold time 1–2 and identifier 0): peer AS (2/2, data = My AS), BGP Identifier equal
 * to ours on iBGP (2/3, RFC 6286 §2.2), no family in common (2/7, data = our multiprotocol
 * capabilities, RFC 5492 §5), BGP role (2/11, RFC 9234 §4.2). Pure; thread-safe.
 */
final class OpenPolicy {
    private OpenPolicy() {
    }

    /** @return the NOTIFICATION to refuse the OPEN with, or null to accept it */
    static NotificationMessage check(NeighborConfig config, int routerId, long localAs, OpenMessage open) {
        long expected = config.remoteAs();
        if (expected >= 0 && open.asn() != expected) {
            return new NotificationMessage(BgpError.BAD_PEER_AS,
                    new byte[] {(byte) (open.myAs() >>> 8), (byte) open.myAs()});
        }
        if (open.bgpIdentifier() == routerId && open.asn() == localAs) {
            return new NotificationMessage(BgpError.BAD_BGP_IDENTIFIER, null);
        }
        Set<AfiSafi> common = new HashSet<>(Negotiated.mpFamilies(open));
        common.retainAll(config.families());
        if (common.isEmpty()) {
            ByteBuf data = Unpooled.buffer();
            try {
                for (AfiSafi f : config.families()) {
                    CapabilityCodec.encode(new Capability.Multiprotocol(f), data);
                }
                byte[] d = new byte[data.readableBytes()];
                data.readBytes(d);
                return new NotificationMessage(BgpError.UNSUPPORTED_CAPABILITY, d);
            } finally {
                data.release();
            }
        }
        if (config.role() != NeighborConfig.NO_ROLE) {
            List<Capability> roles = open.capabilities(Capability.BGP_ROLE);
            if (roles.isEmpty()) {
                if (config.strictRole()) {
                    return new NotificationMessage(BgpError.ROLE_MISMATCH, null); // RFC 9234 §4.2 strict mode
                }
            } else if (roles.size() > 1 || !rolesMatch(config.role(), ((Capability.BgpRole) roles.get(0)).role())) {
                return new NotificationMessage(BgpError.ROLE_MISMATCH, null);
            }
        }
        return null;
    }

    /** RFC 9234 §4.2 Table 2: the allowed (local, remote) pairs. */
    static boolean rolesMatch(int local, int remote) {
        return switch (local) {
            case Capability.BgpRole.PROVIDER -> remote == Capability.BgpRole.CUSTOMER;
            case Capability.BgpRole.CUSTOMER -> remote == Capability.BgpRole.PROVIDER;
            case Capability.BgpRole.ROUTE_SERVER -> remote == Capability.BgpRole.ROUTE_SERVER_CLIENT;
            case Capability.BgpRole.ROUTE_SERVER_CLIENT -> remote == Capability.BgpRole.ROUTE_SERVER;
            case Capability.BgpRole.PEER -> remote == Capability.BgpRole.PEER;
            default -> false;
        };
    }
}
