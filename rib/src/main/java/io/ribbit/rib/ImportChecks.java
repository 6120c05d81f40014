package io.ribbit.rib;

import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AddressAttribute;
import io.ribbit.codec.attr.MpReachNlri;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import java.net.InetAddress;
import java.util.EnumMap;
import java.util.Map;

/**
 * A neighbor's import checks ({@link ImportCheck}): what each failed check does, and the limits.
 * Immutable; {@link #bind} gives the evaluator for one peer. Checks never drop an UPDATE: a route
 * failing a check set to {@link Action#TAG} is stored with the tag, one failing a check set to
 * {@link Action#REJECT} is not stored (and replaces, so removes, what the peer had announced for
 * the prefix before: the announcement itself is the peer's current intent).
 *
 * <p>Prefix checks apply to the unicast and multicast IPv4 and IPv6 families; VPN and labeled
 * routes are only path- and next-hop-checked (their prefixes live in customer address space).
 */
public final class ImportChecks {
    /** What a failed check does. */
    public enum Action {
        OFF, TAG, REJECT
    }

    public static final int DEFAULT_MAX_LENGTH_V4 = 24;
    public static final int DEFAULT_MAX_LENGTH_V6 = 48;
    public static final int DEFAULT_MAX_PATH_LENGTH = 100;

    /** Every check tags, the limits at their defaults: what a neighbor without {@code import-checks} gets. */
    public static final ImportChecks DEFAULT = new ImportChecks(Map.of(), DEFAULT_MAX_LENGTH_V4, DEFAULT_MAX_LENGTH_V6,
            DEFAULT_MAX_PATH_LENGTH);

    private final Map<ImportCheck, Action> actions;
    private final int maxLengthV4;
    private final int maxLengthV6;
    private final int maxPathLength;

    /** {@code actions}: checks not named tag. */
    public ImportChecks(Map<ImportCheck, Action> actions, int maxLengthV4, int maxLengthV6, int maxPathLength) {
        EnumMap<ImportCheck, Action> all = new EnumMap<>(ImportCheck.class);
        for (ImportCheck c : ImportCheck.values()) {
            all.put(c, actions.getOrDefault(c, Action.TAG));
        }
        this.actions = java.util.Collections.unmodifiableMap(all);
        this.maxLengthV4 = maxLengthV4;
        this.maxLengthV6 = maxLengthV6;
        this.maxPathLength = maxPathLength;
    }

    public Action action(ImportCheck c) {
        return actions.get(c);
    }

    public int maxLengthV4() {
        return maxLengthV4;
    }

    public int maxLengthV6() {
        return maxLengthV6;
    }

    public int maxPathLength() {
        return maxPathLength;
    }

    private int mask(Action a) {
        int m = 0;
        for (Map.Entry<ImportCheck, Action> e : actions.entrySet()) {
            if (e.getValue() == a) {
                m |= e.getKey().bit();
            }
        }
        return m;
    }

    /** The evaluator for a session with {@code peer} (AS {@code peerAs}) from our AS {@code localAs}. */
    public Bound bind(long localAs, long peerAs, InetAddress peer) {
        return new Bound(this, localAs, peerAs, peer);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImportChecks c && c.actions.equals(actions) && c.maxLengthV4 == maxLengthV4
                && c.maxLengthV6 == maxLengthV6 && c.maxPathLength == maxPathLength;
    }

    @Override
    public int hashCode() {
        return actions.hashCode() * 31 + maxLengthV4 * 7 + maxLengthV6 * 3 + maxPathLength;
    }

    @Override
    public String toString() {
        return "ImportChecks" + actions + " /" + maxLengthV4 + " /" + maxLengthV6 + " path " + maxPathLength;
    }

    /** The checks of one peer. Immutable and thread-safe; methods return tag masks (see {@link ImportCheck#bit}). */
    public static final class Bound {
        private final ImportChecks checks;
        private final int enabled;
        private final int reject;
        private final long localAs;
        private final boolean ebgp;
        private final byte[] peerAddress;

        Bound(ImportChecks checks, long localAs, long peerAs, InetAddress peer) {
            this.checks = checks;
            this.enabled = checks.mask(Action.TAG) | checks.mask(Action.REJECT);
            this.reject = checks.mask(Action.REJECT);
            this.localAs = localAs;
            this.ebgp = peerAs != localAs;
            this.peerAddress = peer == null ? null : peer.getAddress();
        }

        public ImportChecks checks() {
            return checks;
        }

        /** The checks that reject. */
        public int rejectMask() {
            return reject;
        }

        public boolean rejects(int mask) {
            return (mask & reject) != 0;
        }

        /** Nothing enabled: callers skip evaluation. */
        public boolean off() {
            return enabled == 0;
        }

        /** The path checks (bogon ASN, loop, length) of one UPDATE's attributes (any thread). */
        public int pathMask(PathAttributes attrs) {
            return pathMask(attrs, new long[32]);
        }

        /** Scratch for {@link #evaluate}, which only the peer's writer thread calls. */
        private long[] writerAsns = new long[32];

        private int pathMask(PathAttributes attrs, long[] scratch) {
            int want = enabled & (ImportCheck.BOGON_ASN.bit() | ImportCheck.AS_PATH_LOOP.bit()
                    | ImportCheck.AS_PATH_LENGTH.bit());
            if (want == 0 || attrs == null) {
                return 0;
            }
            // From the received octets: no AsPath is built per UPDATE on the peer's loop.
            int length = attrs.pathLength();
            if (length < 0) {
                return 0;
            }
            int m = 0;
            if ((want & ImportCheck.AS_PATH_LENGTH.bit()) != 0 && length > checks.maxPathLength) {
                m |= ImportCheck.AS_PATH_LENGTH.bit();
            }
            if ((want & (ImportCheck.BOGON_ASN.bit() | ImportCheck.AS_PATH_LOOP.bit())) != 0) {
                long[] asns = scratch;
                int n = attrs.pathAsns(asns);
                if (n > asns.length) {
                    asns = new long[n];
                    attrs.pathAsns(asns);
                }
                for (int i = 0; i < n; i++) {
                    long a = asns[i];
                    if (isBogonAsn(a)) {
                        m |= ImportCheck.BOGON_ASN.bit();
                    }
                    if (a == localAs) {
                        m |= ImportCheck.AS_PATH_LOOP.bit();
                    }
                    // A loop: seen before, and not as a repetition of the previous ASN (prepending).
                    if (i > 0 && asns[i - 1] != a) {
                        for (int k = 0; k < i - 1; k++) {
                            if (asns[k] == a) {
                                m |= ImportCheck.AS_PATH_LOOP.bit();
                                break;
                            }
                        }
                    }
                }
            }
            return m & want;
        }

        /** The next-hop check for routes with an IPv4 NEXT_HOP. */
        public int nextHopMask(int ipv4NextHop) {
            if ((enabled & ImportCheck.NEXT_HOP.bit()) == 0 || !ebgp || peerAddress == null || peerAddress.length != 4) {
                return 0;
            }
            int peer = (peerAddress[0] & 0xff) << 24 | (peerAddress[1] & 0xff) << 16 | (peerAddress[2] & 0xff) << 8
                    | peerAddress[3] & 0xff;
            return peer == ipv4NextHop ? 0 : ImportCheck.NEXT_HOP.bit();
        }

        /**
         * The next-hop check for MP_REACH_NLRI next-hop bytes (RFC 4760 §3): the global address
         * (IPv4: 4 octets; IPv6: the first 16) against the peer's. VPN next hops (with a route
         * distinguisher) are not checked.
         */
        public int nextHopMask(byte[] nextHop) {
            if ((enabled & ImportCheck.NEXT_HOP.bit()) == 0 || !ebgp || peerAddress == null || nextHop == null) {
                return 0;
            }
            int len = nextHop.length == 32 ? 16 : nextHop.length;
            if (len != peerAddress.length) {
                return 0;
            }
            for (int i = 0; i < len; i++) {
                if (nextHop[i] != peerAddress[i]) {
                    return ImportCheck.NEXT_HOP.bit();
                }
            }
            return 0;
        }

        /**
         * Evaluates every route an UPDATE announces (the NLRI field and MP_REACH_NLRI); null when
         * no route fails a check, the usual case, so a clean UPDATE costs no allocation. A
         * treat-as-withdraw UPDATE (RFC 7606 §2) announces nothing and is not evaluated.
         */
        public Tags evaluate(UpdateMessage u) {
            if (enabled == 0 || u.treatAsWithdraw()) {
                return null;
            }
            PrefixList nlri = u.nlri();
            MpReachNlri reach = u.mpReach();
            PrefixList mp = reach != null && reach.nlri() instanceof PrefixList p && !p.isEmpty() ? p : null;
            if (nlri.isEmpty() && mp == null) {
                return null;
            }
            int path = pathMask(u.attributes(), writerAsns);
            int nlriMask = 0;
            if (!nlri.isEmpty()) {
                long nh = u.attributes().nextHopAddress();
                nlriMask = path | (nh < 0 ? 0 : nextHopMask((int) nh));
            }
            int mpMask = mp == null ? 0 : path | nextHopMask(reach.afiSafi().isVpn() ? null : reach.nextHopBytes());
            int[] nlriPrefix = prefixMasks(nlri);
            int[] mpPrefix = mp == null ? null : prefixMasks(mp);
            if (nlriMask == 0 && mpMask == 0 && nlriPrefix == null && mpPrefix == null) {
                return null;
            }
            return new Tags(this, nlri, nlriMask, nlriPrefix, mp, mpMask, mpPrefix);
        }

        private int[] prefixMasks(PrefixList p) {
            int[] out = null;
            for (int i = 0; i < p.size(); i++) {
                int m = prefixMask(p, i);
                if (m != 0) {
                    if (out == null) {
                        out = new int[p.size()];
                    }
                    out[i] = m;
                }
            }
            return out;
        }

        /**
         * The failed checks of a stored route (what its announcement was tagged with; readers
         * such as the query API call this, off the writer's loop).
         */
        public int routeMask(RouteKey k, Route r) {
            if (enabled == 0) {
                return 0;
            }
            int m = pathMask(r.attributes());
            byte[] nh = r.nextHop();
            if (!k.family().isVpn()) {
                m |= nh != null && nh.length == 4 && !k.family().isIpv6() && r.attributes().nextHop() != null
                        ? nextHopMask(r.attributes().nextHop().address()) : nextHopMask(nh);
            }
            AfiSafi f = k.family();
            if ((enabled & (ImportCheck.BOGON_PREFIX.bit() | ImportCheck.LONG_PREFIX.bit())) != 0 && !f.isVpn()
                    && !f.isLabeled() && f.hasPrefixNlri()) {
                int len = k.length();
                if (f.isIpv6()) {
                    m |= (len > checks.maxLengthV6 ? ImportCheck.LONG_PREFIX.bit() : 0)
                            | (isBogonIpv6(k.high(), len) ? ImportCheck.BOGON_PREFIX.bit() : 0);
                } else {
                    m |= (len > checks.maxLengthV4 ? ImportCheck.LONG_PREFIX.bit() : 0)
                            | (isBogonIpv4(PrefixList.ipv4Address(k.high()), len) ? ImportCheck.BOGON_PREFIX.bit() : 0);
                }
            }
            return m & enabled;
        }

        /** The prefix checks for prefix {@code i} of {@code p}. */
        public int prefixMask(PrefixList p, int i) {
            AfiSafi f = p.afiSafi();
            if ((enabled & (ImportCheck.BOGON_PREFIX.bit() | ImportCheck.LONG_PREFIX.bit())) == 0 || f.isVpn()
                    || f.isLabeled() || !f.hasPrefixNlri()) {
                return 0;
            }
            int len = p.length(i);
            int m = 0;
            if (f.isIpv6()) {
                if (len > checks.maxLengthV6) {
                    m |= ImportCheck.LONG_PREFIX.bit();
                }
                if (isBogonIpv6(p.ipv6High(i), len)) {
                    m |= ImportCheck.BOGON_PREFIX.bit();
                }
            } else {
                if (len > checks.maxLengthV4) {
                    m |= ImportCheck.LONG_PREFIX.bit();
                }
                if (isBogonIpv4(PrefixList.ipv4Address(p.ipv4(i)), len)) {
                    m |= ImportCheck.BOGON_PREFIX.bit();
                }
            }
            return m & enabled;
        }
    }

    // ------------------------------------------------------------------ tables

    /** IPv4 special-purpose and unroutable ranges: address, length. */
    private static final int[][] BOGONS_V4 = {
        {0x00000000, 8},     // "this network", RFC 791
        {0x0a000000, 8},     // private, RFC 1918
        {0x64400000, 10},    // shared address space, RFC 6598
        {0x7f000000, 8},     // loopback, RFC 1122
        {0xa9fe0000, 16},    // link local, RFC 3927
        {0xac100000, 12},    // private, RFC 1918
        {0xc0000000, 24},    // IETF protocol assignments, RFC 6890
        {0xc0000200, 24},    // TEST-NET-1, RFC 5737
        {0xc0586300, 24},    // 6to4 relay anycast, deprecated by RFC 7526
        {0xc0a80000, 16},    // private, RFC 1918
        {0xc6120000, 15},    // benchmarking, RFC 2544
        {0xc6336400, 24},    // TEST-NET-2, RFC 5737
        {0xcb007100, 24},    // TEST-NET-3, RFC 5737
        {0xe0000000, 4},     // multicast, RFC 5771
        {0xf0000000, 4},     // reserved (class E) and limited broadcast, RFC 1112
    };

    /** The first octets that some range of {@link #BOGONS_V4} covers (part of) the /8 of. */
    private static final boolean[] BOGON_FIRST_OCTET = new boolean[256];

    static {
        for (int[] b : BOGONS_V4) {
            int first = b[0] >>> 24;
            int count = b[1] >= 8 ? 1 : 1 << (8 - b[1]);
            for (int k = 0; k < count; k++) {
                BOGON_FIRST_OCTET[first + k] = true;
            }
        }
    }

    /** IPv6 ranges inside 2000::/3 that are not routable (high 64 bits, length); outside 2000::/3 all is. */
    private static final long[][] BOGONS_V6 = {
        {0x2001_0000_0000_0000L, 32},   // Teredo, RFC 4380
        {0x2001_0002_0000_0000L, 48},   // benchmarking, RFC 5180
        {0x2001_0010_0000_0000L, 28},   // ORCHID, RFC 4843
        {0x2001_0020_0000_0000L, 28},   // ORCHIDv2, RFC 7343
        {0x2001_0db8_0000_0000L, 32},   // documentation, RFC 3849
        {0x2002_0000_0000_0000L, 16},   // 6to4, RFC 3056
        {0x3ffe_0000_0000_0000L, 16},   // 6bone, RFC 3701
    };

    /** True for a default route or a prefix inside a special-purpose IPv4 range. */
    public static boolean isBogonIpv4(int address, int length) {
        if (length == 0) {
            return true;
        }
        if (!BOGON_FIRST_OCTET[address >>> 24] || length < 4) {
            return false; // no range starts in this /8 (or the prefix is shorter than any range)
        }
        for (int[] b : BOGONS_V4) {
            if (length >= b[1] && (address & PrefixList.ipv4Mask(b[1])) == b[0]) {
                return true;
            }
        }
        return false;
    }

    /** True for a default route, a prefix outside 2000::/3 or inside one of the special ranges in it. */
    public static boolean isBogonIpv6(long high, int length) {
        if (length < 3 || (high >>> 61) != 1) {
            return true;
        }
        for (long[] b : BOGONS_V6) {
            int l = (int) b[1];
            if (length >= l && (high & (-1L << (64 - l))) == b[0]) {
                return true;
            }
        }
        return false;
    }

    /**
     * Private (RFC 6996), reserved (RFC 7607, RFC 7300, IANA 65552-131071), documentation
     * (RFC 5398) ASNs and AS_TRANS (RFC 6793: never a real AS in a reconstructed path).
     */
    public static boolean isBogonAsn(long asn) {
        return asn == 0 || asn == AsPath.AS_TRANS
                || asn >= 64496 && asn <= 131071            // documentation, private, reserved 65535, documentation, reserved
                || asn >= 4_200_000_000L;                   // private 4-octet, reserved 4294967295
    }

    /**
     * The failed checks of one UPDATE's announced routes: a mask for all routes of the NLRI field
     * (path and next-hop checks) and of MP_REACH_NLRI, plus per-prefix masks where a prefix check
     * failed. Immutable once built.
     */
    public static final class Tags {
        private final Bound bound;
        private final PrefixList nlri;
        private final int nlriMask;
        private final int[] nlriPrefix;
        private final PrefixList mp;
        private final int mpMask;
        private final int[] mpPrefix;

        Tags(Bound bound, PrefixList nlri, int nlriMask, int[] nlriPrefix, PrefixList mp, int mpMask, int[] mpPrefix) {
            this.bound = bound;
            this.nlri = nlri;
            this.nlriMask = nlriMask;
            this.nlriPrefix = nlriPrefix;
            this.mp = mp;
            this.mpMask = mpMask;
            this.mpPrefix = mpPrefix;
        }

        /** The failed checks of prefix {@code i} of {@code p} (the UPDATE's NLRI field or MP_REACH_NLRI list). */
        public int mask(PrefixList p, int i) {
            if (p == nlri) {
                return nlriMask | (nlriPrefix == null ? 0 : nlriPrefix[i]);
            }
            if (p == mp) {
                return mpMask | (mpPrefix == null ? 0 : mpPrefix[i]);
            }
            return 0;
        }

        /** True when prefix {@code i} of {@code p} fails a check that rejects. */
        public boolean rejected(PrefixList p, int i) {
            return bound.rejects(mask(p, i));
        }

        public Bound bound() {
            return bound;
        }

        /**
         * Per check (by ordinal), how many announced routes failed it, into {@code out} (at least
         * one element per check; overwritten): the caller's array, so counting allocates nothing.
         */
        public void counts(long[] out) {
            java.util.Arrays.fill(out, 0);
            count(nlri, nlriMask, nlriPrefix, out);
            if (mp != null) {
                count(mp, mpMask, mpPrefix, out);
            }
        }

        private static void count(PrefixList p, int all, int[] each, long[] out) {
            for (int c = 0; c < out.length; c++) {
                int bit = 1 << c;
                if ((all & bit) != 0) {
                    out[c] += p.size();
                } else if (each != null) {
                    for (int m : each) {
                        if ((m & bit) != 0) {
                            out[c]++;
                        }
                    }
                }
            }
        }

        /** The UPDATE's NLRI field (its announced IPv4 unicast prefixes). */
        public PrefixList nlri() {
            return nlri;
        }

        /** The announced prefixes of its MP_REACH_NLRI, or null. */
        public PrefixList mp() {
            return mp;
        }

        /** Every check some announced prefix failed (bits of {@link ImportCheck#bit()}). */
        public int failed() {
            return failed(nlri, nlriMask, nlriPrefix) | (mp == null ? 0 : failed(mp, mpMask, mpPrefix));
        }

        private static int failed(PrefixList p, int all, int[] each) {
            if (p.isEmpty()) {
                return 0;
            }
            int m = all;
            if (each != null) {
                for (int x : each) {
                    m |= x;
                }
            }
            return m;
        }
    }
}
