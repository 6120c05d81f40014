package io.ribbit.codec;

import io.ribbit.codec.nlri.AfiSafi;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a session negotiated that changes how its messages are read and written, as one
 * immutable value: 4-octet AS numbers (RFC 6793 §3), ADD-PATH per family and direction (RFC 7911
 * §4), and Extended Messages (RFC 8654 §3). Decoding what a peer sends uses the
 * {@code addPathReceive} families; encoding what we send uses {@code addPathSend}.
 */
public final class SessionOptions {
    /** Before OPEN is exchanged: 4-octet AS assumed off, no ADD-PATH, 4096-octet messages. */
    public static final SessionOptions DEFAULT = new SessionOptions(false, false, Set.of(), Set.of());
    /** A modern session: 4-octet AS, no ADD-PATH, 4096-octet messages (MRT TABLE_DUMP_V2 attributes use this). */
    public static final SessionOptions AS4 = new SessionOptions(true, false, Set.of(), Set.of());

    private final boolean fourOctetAs;
    private final boolean extendedMessage;
    private final Set<AfiSafi> addPathReceive;
    private final Set<AfiSafi> addPathSend;
    private final boolean addPathReceiveIpv4Unicast;

    public SessionOptions(boolean fourOctetAs, boolean extendedMessage, Set<AfiSafi> addPathReceive,
            Set<AfiSafi> addPathSend) {
        this.fourOctetAs = fourOctetAs;
        this.extendedMessage = extendedMessage;
        this.addPathReceive = Set.copyOf(addPathReceive);
        this.addPathSend = Set.copyOf(addPathSend);
        this.addPathReceiveIpv4Unicast = this.addPathReceive.contains(AfiSafi.IPV4_UNICAST);
    }

    public boolean fourOctetAs() {
        return fourOctetAs;
    }

    public boolean extendedMessage() {
        return extendedMessage;
    }

    public Set<AfiSafi> addPathReceive() {
        return addPathReceive;
    }

    public Set<AfiSafi> addPathSend() {
        return addPathSend;
    }

    /** Whether the peer sends path identifiers for {@code family} (RFC 7911 §3). */
    public boolean addPathReceive(AfiSafi family) {
        return family == AfiSafi.IPV4_UNICAST ? addPathReceiveIpv4Unicast : addPathReceive.contains(family);
    }

    public SessionOptions withFourOctetAs(boolean v) {
        return new SessionOptions(v, extendedMessage, addPathReceive, addPathSend);
    }

    public SessionOptions withExtendedMessage(boolean v) {
        return new SessionOptions(fourOctetAs, v, addPathReceive, addPathSend);
    }

    public SessionOptions withAddPathReceive(Set<AfiSafi> families) {
        return new SessionOptions(fourOctetAs, extendedMessage, families, addPathSend);
    }

    public SessionOptions withAddPathSend(Set<AfiSafi> families) {
        return new SessionOptions(fourOctetAs, extendedMessage, addPathReceive, families);
    }

    /**
     * The largest message this session accepts of a type (RFC 8654 §4: OPEN and KEEPALIVE stay at
     * 4096 even when Extended Messages are negotiated).
     */
    public int maxLength(int messageType) {
        if (extendedMessage && (messageType == 2 || messageType == 3 || messageType == 5)) {
            return 65535;
        }
        return 4096;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionOptions s && s.fourOctetAs == fourOctetAs && s.extendedMessage == extendedMessage
                && s.addPathReceive.equals(addPathReceive) && s.addPathSend.equals(addPathSend);
    }

    @Override
    public int hashCode() {
        return (fourOctetAs ? 1 : 0) + (extendedMessage ? 2 : 0) + 4 * addPathReceive.hashCode()
                + 31 * addPathSend.hashCode();
    }

    @Override
    public String toString() {
        return "SessionOptions[as4=" + fourOctetAs + ", extended-message=" + extendedMessage + ", add-path-receive="
                + new TreeSet<>(addPathReceive) + ", add-path-send=" + new TreeSet<>(addPathSend) + "]";
    }
}
