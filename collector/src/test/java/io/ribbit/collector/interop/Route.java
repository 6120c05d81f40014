package io.ribbit.collector.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * One unicast route a {@link BgpDaemon} announces, or one it reports having received.
 *
 * <p>When announcing, {@code asPath} is the path <em>behind</em> the announcing daemon: every
 * implementation makes the peer receive {@code [daemon ASN] + asPath}, the way an eBGP speaker
 * would send a route it learned with that path (bird {@code bgp_path.prepend}, FRR {@code set as-path
 * prepend}, GoBGP {@code aspath}, an MRT-imported path in OpenBGPD, ExaBGP with the local ASN put in
 * front by the harness). When reported by {@link BgpDaemon#receivedRoutes()}, {@code asPath} is the
 * path as received, so it starts with the sender's ASN.
 *
 * <p>{@code nextHop} is required and must be of the prefix's family. Use documentation addresses
 * (192.0.2.0/24, 2001:db8::/32): FRR treats a 127/8 next hop as martian and resets the session,
 * GoBGP treats it as withdraw.
 *
 * @param prefix           {@code 10.0.0.0/24} or {@code 2001:db8::/48}
 * @param nextHop          next hop of the prefix's family
 * @param asPath           AS_SEQUENCE, leftmost first
 * @param communities      RFC 1997 communities as {@code asn:value}
 * @param largeCommunities RFC 8092 large communities as {@code global:local1:local2}
 * @param med              MULTI_EXIT_DISC, empty for none
 */
public record Route(
        String prefix,
        String nextHop,
        List<Long> asPath,
        List<String> communities,
        List<String> largeCommunities,
        OptionalLong med) {

    private static final Pattern PREFIX = Pattern.compile("[0-9a-fA-F.:]+/\\d{1,3}");
    private static final Pattern COMMUNITY = Pattern.compile("\\d{1,5}:\\d{1,5}");
    private static final Pattern LARGE_COMMUNITY = Pattern.compile("\\d{1,10}:\\d{1,10}:\\d{1,10}");

    public Route {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("prefix must be address/length: " + prefix);
        }
        if (nextHop == null || nextHop.indexOf(':') >= 0 != prefix.indexOf(':') >= 0) {
            throw new IllegalArgumentException("next hop " + nextHop + " is not of the family of " + prefix);
        }
        asPath = List.copyOf(asPath);
        communities = List.copyOf(communities);
        largeCommunities = List.copyOf(largeCommunities);
        for (String c : communities) {
            if (!COMMUNITY.matcher(c).matches()) {
                throw new IllegalArgumentException("community must be asn:value: " + c);
            }
        }
        for (String c : largeCommunities) {
            if (!LARGE_COMMUNITY.matcher(c).matches()) {
                throw new IllegalArgumentException("large community must be global:local1:local2: " + c);
            }
        }
    }

    /** A route with no AS path of its own, no communities and no MED. */
    public static Route of(String prefix, String nextHop) {
        return new Route(prefix, nextHop, List.of(), List.of(), List.of(), OptionalLong.empty());
    }

    public Route withAsPath(long... asns) {
        List<Long> path = new ArrayList<>(asns.length);
        for (long asn : asns) {
            path.add(asn);
        }
        return new Route(prefix, nextHop, path, communities, largeCommunities, med);
    }

    public Route withAsPath(List<Long> path) {
        return new Route(prefix, nextHop, path, communities, largeCommunities, med);
    }

    public Route withCommunities(String... values) {
        return new Route(prefix, nextHop, asPath, List.of(values), largeCommunities, med);
    }

    public Route withLargeCommunities(String... values) {
        return new Route(prefix, nextHop, asPath, communities, List.of(values), med);
    }

    public Route withMed(long value) {
        return new Route(prefix, nextHop, asPath, communities, largeCommunities, OptionalLong.of(value));
    }

    public boolean isIpv6() {
        return prefix.indexOf(':') >= 0;
    }

    /** The address part of {@link #prefix()}. */
    public String address() {
        return prefix.substring(0, prefix.indexOf('/'));
    }

    public int length() {
        return Integer.parseInt(prefix.substring(prefix.indexOf('/') + 1));
    }

    /** The path as a daemon with ASN {@code asn} sends it over eBGP: {@code [asn] + asPath}. */
    public List<Long> pathAsSentBy(long asn) {
        List<Long> path = new ArrayList<>(asPath.size() + 1);
        path.add(asn);
        path.addAll(asPath);
        return path;
    }

    /** {@code a:b} as the 32-bit value RFC 1997 puts on the wire. */
    static long communityValue(String community) {
        int colon = community.indexOf(':');
        return Long.parseLong(community.substring(0, colon)) << 16 | Long.parseLong(community.substring(colon + 1));
    }

    /** The three 32-bit parts of a large community. */
    static long[] largeCommunityParts(String largeCommunity) {
        String[] parts = largeCommunity.split(":");
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2])};
    }
}
