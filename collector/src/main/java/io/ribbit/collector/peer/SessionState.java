package io.ribbit.collector.peer;

/** BGP FSM states (RFC 4271 §8.2.2), with the BGP4-MIB numbering used by the state metric. */
public enum SessionState {
    IDLE(1), CONNECT(2), ACTIVE(3), OPEN_SENT(4), OPEN_CONFIRM(5), ESTABLISHED(6);

    private final int mib;

    SessionState(int mib) {
        this.mib = mib;
    }

    /** The bgpPeerState value (RFC 4273). */
    public int mib() {
        return mib;
    }

    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT).replace("_", "");
    }
}
