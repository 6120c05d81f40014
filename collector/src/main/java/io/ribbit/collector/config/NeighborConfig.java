package io.ribbit.collector.config;

import io.ribbit.codec.nlri.AfiSafi;
import java.net.InetAddress;
import java.util.List;

/**
 * One configured neighbor (docs/configuration.md). {@code address} is one peer, or with a prefix
 * length a range of dynamic neighbors that may connect (passive only).
 *
 * @param remoteAs the peer AS, or -1 for "any" (dynamic neighbors only)
 * @param idleHoldTime seconds before reconnecting after a session ends (RFC 4271 §8.1.1
 *     IdleHoldTime); doubled for each session in a row that lasted less than
 *     {@code idleHoldStableTime}, up to {@code idleHoldTimeMax}
 * @param idleHoldStableTime seconds a session must stay Established for its end not to count as a
 *     flap (the back-off starts again from {@code idleHoldTime})
 */
public record NeighborConfig(
        InetAddress address,
        int prefixLength,
        long remoteAs,
        Mode mode,
        int port,
        int holdTime,
        List<AfiSafi> families,
        boolean addPathReceive,
        long maxPrefixes,
        int maxPrefixesWarning,
        int maxPrefixesRestart,
        String description,
        InetAddress localAddress,
        int connectRetry,
        int idleHoldTime,
        int idleHoldTimeMax,
        int idleHoldStableTime,
        boolean gracefulRestart,
        int role,
        boolean strictRole,
        io.ribbit.rib.ImportChecks importChecks,
        int line) {

    /** No BGP role configured (RFC 9234 role capability not sent). */
    public static final int NO_ROLE = -1;

    /** RFC 4271 §8.1.1 PassiveTcpEstablishment / active: who opens the TCP connection. */
    public enum Mode {
        PASSIVE, ACTIVE, BOTH;

        public boolean connects() {
            return this != PASSIVE;
        }

        public boolean accepts() {
            return this != ACTIVE;
        }
    }

    /** Equal settings, wherever in the file they are (the line number is not a setting). */
    public boolean sameSettings(NeighborConfig o) {
        return o != null && address.equals(o.address) && prefixLength == o.prefixLength && remoteAs == o.remoteAs
                && mode == o.mode && port == o.port && holdTime == o.holdTime && families.equals(o.families)
                && addPathReceive == o.addPathReceive && maxPrefixes == o.maxPrefixes
                && maxPrefixesWarning == o.maxPrefixesWarning && maxPrefixesRestart == o.maxPrefixesRestart
                && description.equals(o.description) && java.util.Objects.equals(localAddress, o.localAddress)
                && connectRetry == o.connectRetry && idleHoldTime == o.idleHoldTime
                && idleHoldTimeMax == o.idleHoldTimeMax && idleHoldStableTime == o.idleHoldStableTime
                && gracefulRestart == o.gracefulRestart && role == o.role
                && strictRole == o.strictRole && importChecks.equals(o.importChecks);
    }

    public boolean dynamic() {
        return prefixLength < (address.getAddress().length * 8);
    }

    /** True when {@code peer} is this neighbor's address or inside its prefix. */
    public boolean matches(InetAddress peer) {
        byte[] a = address.getAddress();
        byte[] b = peer.getAddress();
        if (a.length != b.length) {
            return false;
        }
        int bits = prefixLength;
        for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((a[i] & mask) != (b[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The text used in logs, events and the {@code peer} metric tag. */
    public String addressText() {
        String host = address.getHostAddress();
        return dynamic() ? host + "/" + prefixLength : host;
    }
}
