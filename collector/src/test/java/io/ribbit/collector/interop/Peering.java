package io.ribbit.collector.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * One BGP session as a {@link BgpDaemon} sees it: the daemon's side ({@code local*}) and the peer's
 * ({@code peer*}, Ribbit in the interop tests, another daemon in {@link DaemonHarnessTest}).
 * Families are always IPv4 and IPv6 unicast.
 *
 * <p>The daemon always listens on {@code localAddress:localPort} (never the default port 179). In
 * {@link Mode#ACTIVE} it also connects, from {@code localAddress}, to {@code peerAddress:peerPort};
 * in {@link Mode#PASSIVE} it only waits for the peer to connect to {@code localAddress:localPort}.
 *
 * @param localAddress    the daemon's 127.0.0.x address: its source address and listen address
 * @param localPort       the daemon's listen port, unprivileged
 * @param localAsn        the daemon's ASN
 * @param routerId        the daemon's BGP identifier
 * @param peerAddress     the peer's address (Ribbit: usually 127.0.0.1)
 * @param peerPort        the peer's listen port, used in {@link Mode#ACTIVE}
 * @param peerAsn         the peer's ASN
 * @param mode            who opens the TCP connection
 * @param holdTime        proposed hold time in seconds (tests use 3)
 * @param addPathSend     advertise the RFC 7911 ADD-PATH send capability where the daemon can
 * @param gracefulRestart advertise the RFC 4724 graceful restart capability
 */
public record Peering(
        String localAddress,
        int localPort,
        long localAsn,
        String routerId,
        String peerAddress,
        int peerPort,
        long peerAsn,
        Mode mode,
        int holdTime,
        boolean addPathSend,
        boolean gracefulRestart) {

    /** Who opens the TCP connection. */
    public enum Mode {
        /** The daemon connects to the peer (and still listens on its own address). */
        ACTIVE,
        /** The daemon only listens; the peer connects. */
        PASSIVE
    }

    public Peering {
        requireLoopback(localAddress, "localAddress");
        requireLoopback(peerAddress, "peerAddress");
        requirePort(localPort, "localPort");
        if (mode == Mode.ACTIVE) {
            requirePort(peerPort, "peerPort");
        }
        if (localAsn <= 0 || localAsn > 0xFFFF_FFFFL || peerAsn <= 0 || peerAsn > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("ASNs must be 1..4294967295");
        }
        if (localAsn == peerAsn) {
            throw new IllegalArgumentException("the harness only drives eBGP sessions");
        }
        if (holdTime != 0 && holdTime < 3) {
            throw new IllegalArgumentException("hold time must be 0 or at least 3 (RFC 4271 §4.2)");
        }
    }

    /**
     * The daemon at {@code localAddress} (its router id too) connects to Ribbit at
     * {@code ribbitAddress:ribbitPort}; hold time 3 s, no ADD-PATH, no graceful restart.
     */
    public static Peering active(String localAddress, int localPort, long localAsn,
                                 String ribbitAddress, int ribbitPort, long ribbitAsn) {
        return new Peering(localAddress, localPort, localAsn, localAddress, ribbitAddress, ribbitPort, ribbitAsn,
                Mode.ACTIVE, 3, false, false);
    }

    /** The daemon listens on {@code localAddress:localPort} and waits for the peer to connect. */
    public static Peering passive(String localAddress, int localPort, long localAsn,
                                  String peerAddress, long peerAsn) {
        return new Peering(localAddress, localPort, localAsn, localAddress, peerAddress, 0, peerAsn,
                Mode.PASSIVE, 3, false, false);
    }

    public Peering withHoldTime(int seconds) {
        return new Peering(localAddress, localPort, localAsn, routerId, peerAddress, peerPort, peerAsn, mode,
                seconds, addPathSend, gracefulRestart);
    }

    public Peering withAddPathSend(boolean on) {
        return new Peering(localAddress, localPort, localAsn, routerId, peerAddress, peerPort, peerAsn, mode,
                holdTime, on, gracefulRestart);
    }

    public Peering withGracefulRestart(boolean on) {
        return new Peering(localAddress, localPort, localAsn, routerId, peerAddress, peerPort, peerAsn, mode,
                holdTime, addPathSend, on);
    }

    public Peering withRouterId(String id) {
        return new Peering(localAddress, localPort, localAsn, id, peerAddress, peerPort, peerAsn, mode,
                holdTime, addPathSend, gracefulRestart);
    }

    public boolean passive() {
        return mode == Mode.PASSIVE;
    }

    /** Keepalive interval the harness configures: a third of the hold time, at least 1 s. */
    public int keepalive() {
        return Math.max(1, holdTime / 3);
    }

    /**
     * A port in 17900..17999 that {@code address} can bind right now (checked by binding it), for a
     * daemon's listen port. Another process can still take it before the daemon does.
     */
    public static int freePort(String address) {
        for (int port = 17900; port < 18000; port++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(address, port));
                return port;
            } catch (IOException e) {
                // taken; try the next one
            }
        }
        throw new IllegalStateException("no free port in 17900..17999 on " + address);
    }

    private static void requireLoopback(String address, String what) {
        try {
            if (address == null || !InetAddress.getByName(address).isLoopbackAddress()
                    || address.indexOf(':') >= 0) {
                throw new IllegalArgumentException(what + " must be an IPv4 loopback address (127.0.0.0/8): " + address);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " is not an address: " + address, e);
        }
    }

    private static void requirePort(int port, String what) {
        if (port < 1024 || port > 65535) {
            throw new IllegalArgumentException(what + " must be an unprivileged port (1024..65535): " + port);
        }
    }
}
