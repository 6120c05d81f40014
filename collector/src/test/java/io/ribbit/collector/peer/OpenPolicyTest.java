package io.ribbit.collector.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ribbit.codec.capability.Capability;
import io.ribbit.codec.error.BgpError;
import io.ribbit.codec.message.NotificationMessage;
import io.ribbit.codec.message.OpenMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.collector.config.ConfigLoader;
import io.ribbit.collector.config.NeighborConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OpenPolicyTest {
    private static final int ROUTER_ID = 0xC0000201;

    private static NeighborConfig neighbor(String extra) throws Exception {
        return ConfigLoader.parse("router-id: 192.0.2.1\nlocal-as: 64512\nneighbors:\n  - address: 127.0.0.2\n"
                + "    remote-as: 64500\n    families: [ipv4-unicast]\n" + extra, "t.yaml").neighbors().get(0);
    }

    private static OpenMessage open(long asn, int id, Capability... extra) {
        List<Capability> caps = new ArrayList<>(List.of(new Capability.Multiprotocol(AfiSafi.IPV4_UNICAST),
                new Capability.FourOctetAs(asn)));
        caps.addAll(List.of(extra));
        return OpenMessage.of(asn, 90, id, caps);
    }

    private static BgpError error(NotificationMessage n) {
        return n == null ? null : n.error();
    }

    @Test
    @DisplayName("RFC 4271 §6.2: a peer AS other than configured → 2/2 with the 2-octet My AS as data")
    void badPeerAs() throws Exception {
        NotificationMessage n = OpenPolicy.check(neighbor(""), ROUTER_ID, 64512, open(64501, 7));
        assertEquals(BgpError.BAD_PEER_AS, n.error());
        assertArrayEquals(new byte[] {(byte) 0xfb, (byte) 0xf5}, n.data());
        assertNull(OpenPolicy.check(neighbor(""), ROUTER_ID, 64512, open(64500, 7)));
    }

    @Test
    @DisplayName("RFC 6286 §2.2: an iBGP peer with our BGP Identifier → 2/3")
    void sameIdentifierOnIbgp() throws Exception {
        NeighborConfig ibgp = ConfigLoader.parse("router-id: 192.0.2.1\nlocal-as: 64500\nneighbors:\n"
                + "  - address: 127.0.0.2\n    remote-as: 64500\n", "t.yaml").neighbors().get(0);
        assertEquals(BgpError.BAD_BGP_IDENTIFIER, error(OpenPolicy.check(ibgp, ROUTER_ID, 64500, open(64500, ROUTER_ID))));
        assertNull(OpenPolicy.check(ibgp, ROUTER_ID, 64500, open(64500, 9)));
    }

    @Test
    @DisplayName("RFC 5492 §5: no family in common → 2/7 with our multiprotocol capability as data")
    void noCommonFamily() throws Exception {
        OpenMessage v6only = OpenMessage.of(64500, 90, 7, List.of(new Capability.Multiprotocol(AfiSafi.IPV6_UNICAST)));
        NotificationMessage n = OpenPolicy.check(neighbor(""), ROUTER_ID, 64512, v6only);
        assertEquals(BgpError.UNSUPPORTED_CAPABILITY, n.error());
        assertArrayEquals(new byte[] {1, 4, 0, 1, 0, 1}, n.data());
    }

    @Test
    @DisplayName("RFC 9234 §4.2: role pairs; mismatch or missing role in strict mode → 2/11")
    void roles() throws Exception {
        NeighborConfig customerOfPeer = neighbor("    role: provider\n");
        assertNull(OpenPolicy.check(customerOfPeer, ROUTER_ID, 64512,
                open(64500, 7, new Capability.BgpRole(Capability.BgpRole.CUSTOMER))));
        assertEquals(BgpError.ROLE_MISMATCH, error(OpenPolicy.check(customerOfPeer, ROUTER_ID, 64512,
                open(64500, 7, new Capability.BgpRole(Capability.BgpRole.PEER)))));
        assertNull(OpenPolicy.check(customerOfPeer, ROUTER_ID, 64512, open(64500, 7)), "lenient without strict-role");
        NeighborConfig strict = neighbor("    role: peer\n    strict-role: true\n");
        assertEquals(BgpError.ROLE_MISMATCH, error(OpenPolicy.check(strict, ROUTER_ID, 64512, open(64500, 7))));
        assertNull(OpenPolicy.check(strict, ROUTER_ID, 64512, open(64500, 7, new Capability.BgpRole(Capability.BgpRole.PEER))));
        assertEquals(true, OpenPolicy.rolesMatch(Capability.BgpRole.ROUTE_SERVER, Capability.BgpRole.ROUTE_SERVER_CLIENT));
        assertEquals(false, OpenPolicy.rolesMatch(Capability.BgpRole.ROUTE_SERVER, Capability.BgpRole.ROUTE_SERVER));
    }
}
