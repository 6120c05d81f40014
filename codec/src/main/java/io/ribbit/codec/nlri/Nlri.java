package io.ribbit.codec.nlri;

/**
 * The NLRI of one address family in one UPDATE: the IPv4 NLRI/Withdrawn Routes fields (RFC 4271
 * §4.3) or the NLRI inside MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760 §3, §4).
 */
public sealed interface Nlri permits PrefixList, RawNlri {
    AfiSafi afiSafi();

    /** True when it holds no route. */
    boolean isEmpty();
}
