package io.ribbit.codec.error;

/**
 * What a malformation costs, ordered from weakest to strongest (RFC 7606 §2). When an UPDATE has
 * several problems, the strongest wins: compare with {@link #stronger(ErrorAction)}.
 */
public enum ErrorAction {
    /** Nothing to do. */
    NONE,
    /** RFC 7606 §2 "attribute discard": the attribute is dropped, the rest of the UPDATE applies. */
    ATTRIBUTE_DISCARD,
    /** RFC 7606 §2 "treat-as-withdraw": every prefix the UPDATE announces is withdrawn instead. */
    TREAT_AS_WITHDRAW,
    /** RFC 4271 §6 / RFC 7606 §2 "session reset": send the NOTIFICATION and close the session. */
    SESSION_RESET;

    /** The stronger of this and {@code other}. */
    public ErrorAction stronger(ErrorAction other) {
        return other.compareTo(this) > 0 ? other : this;
    }

    /** The name used in events and metric tags. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
