package io.ribbit.codec.attr;

/**
 * Path attribute type codes (IANA "BGP Path Attributes"), with the RFC and class:
 * WM well-known mandatory, WD well-known discretionary, OT optional transitive, ON optional
 * non-transitive. Codes not listed here are legal and kept as {@link UnknownAttribute}.
 */
public final class AttributeCode {
    public static final int ORIGIN = 1; // WM, RFC 4271 §5.1.1
    public static final int AS_PATH = 2; // WM, RFC 4271 §5.1.2
    public static final int NEXT_HOP = 3; // WM, RFC 4271 §5.1.3
    public static final int MULTI_EXIT_DISC = 4; // ON, RFC 4271 §5.1.4
    public static final int LOCAL_PREF = 5; // WD, RFC 4271 §5.1.5
    public static final int ATOMIC_AGGREGATE = 6; // WD, RFC 4271 §5.1.6
    public static final int AGGREGATOR = 7; // OT, RFC 4271 §5.1.7
    public static final int COMMUNITIES = 8; // OT, RFC 1997
    public static final int ORIGINATOR_ID = 9; // ON, RFC 4456
    public static final int CLUSTER_LIST = 10; // ON, RFC 4456
    public static final int MP_REACH_NLRI = 14; // ON, RFC 4760 §3
    public static final int MP_UNREACH_NLRI = 15; // ON, RFC 4760 §4
    public static final int EXTENDED_COMMUNITIES = 16; // OT, RFC 4360
    public static final int AS4_PATH = 17; // OT, RFC 6793
    public static final int AS4_AGGREGATOR = 18; // OT, RFC 6793
    public static final int IPV6_EXTENDED_COMMUNITIES = 25; // OT, RFC 5701
    public static final int AIGP = 26; // ON, RFC 7311
    public static final int LARGE_COMMUNITY = 32; // OT, RFC 8092
    public static final int OTC = 35; // OT, RFC 9234 §5

    /** Attribute Flags bits (RFC 4271 §4.3). */
    public static final int FLAG_OPTIONAL = 0x80;
    public static final int FLAG_TRANSITIVE = 0x40;
    public static final int FLAG_PARTIAL = 0x20;
    public static final int FLAG_EXTENDED_LENGTH = 0x10;

    private AttributeCode() {
    }
}
