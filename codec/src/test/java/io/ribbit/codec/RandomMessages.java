package io.ribbit.codec;

import io.ribbit.codec.attr.AddressAttribute;
import io.ribbit.codec.attr.Aggregator;
import io.ribbit.codec.attr.Aigp;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AtomicAggregate;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.AttributeTable;
import io.ribbit.codec.attr.ClusterList;
import io.ribbit.codec.attr.Communities;
import io.ribbit.codec.attr.ExtendedCommunities;
import io.ribbit.codec.attr.LargeCommunities;
import io.ribbit.codec.attr.MpReachNlri;
import io.ribbit.codec.attr.MpUnreachNlri;
import io.ribbit.codec.attr.Origin;
import io.ribbit.codec.attr.PathAttribute;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.attr.Uint32Attribute;
import io.ribbit.codec.attr.UnknownAttribute;
import io.ribbit.codec.capability.Capability;
import io.ribbit.codec.error.BgpError;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.KeepaliveMessage;
import io.ribbit.codec.message.NotificationMessage;
import io.ribbit.codec.message.OpenMessage;
import io.ribbit.codec.message.RouteRefreshMessage;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.Nlri;
import io.ribbit.codec.nlri.NlriCodec;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.codec.nlri.RawNlri;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A deterministic generator of random <em>valid</em> BGP messages: the same seed gives the same
 * messages. "Valid" means what a conforming speaker may send on the session described by the
 * {@link SessionOptions}, so decode(encode(m)) must equal m:
 * <ul>
 *   <li>prefixes have their host bits clear; path ids exactly for the ADD-PATH families;</li>
 *   <li>label stacks end with the bottom-of-stack bit (a withdrawal has one label field), and no
 *       inner label is 0 or the RFC 8277 withdrawal value, which end a stack early;</li>
 *   <li>next hops have a length the family allows (RFC 4760, RFC 2545, RFC 4364, RFC 8950);</li>
 *   <li>UPDATEs that announce carry ORIGIN and AS_PATH (and NEXT_HOP with IPv4 NLRI), and no
 *       attribute twice; on a 2-octet session AS_PATH and AGGREGATOR hold 2-octet ASNs and the
 *       4-octet ones travel in AS4_PATH / AS4_AGGREGATOR (RFC 6793 §4.2.2);</li>
 *   <li>OPEN carries only Capabilities parameters, a hold time of 0 or at least 3 and a non-zero
 *       BGP identifier; BoRR/EoRR carry no ORF; every message fits the session's maximum
 *       length (RFC 8654).</li>
 * </ul>
 * Sizes are skewed small with occasional large values, so extended lengths (attributes over 255
 * octets, RFC 9072 OPEN parameters, RFC 8654 messages) come up regularly.
 */
final class RandomMessages {
    static final AfiSafi[] PREFIX_FAMILIES = {AfiSafi.IPV4_UNICAST, AfiSafi.IPV4_MULTICAST,
        AfiSafi.IPV4_LABELED_UNICAST, AfiSafi.IPV4_MPLS_VPN, AfiSafi.IPV6_UNICAST, AfiSafi.IPV6_MULTICAST,
        AfiSafi.IPV6_LABELED_UNICAST, AfiSafi.IPV6_MPLS_VPN};
    static final AfiSafi[] RAW_FAMILIES = {AfiSafi.of(AfiSafi.AFI_IPV4, AfiSafi.SAFI_FLOWSPEC),
        AfiSafi.of(AfiSafi.AFI_IPV6, AfiSafi.SAFI_FLOWSPEC), AfiSafi.of(AfiSafi.AFI_IPV4, AfiSafi.SAFI_FLOWSPEC_VPN),
        AfiSafi.of(AfiSafi.AFI_L2VPN, AfiSafi.SAFI_EVPN), AfiSafi.of(AfiSafi.AFI_L2VPN, AfiSafi.SAFI_VPLS),
        AfiSafi.of(AfiSafi.AFI_BGP_LS, AfiSafi.SAFI_BGP_LS), AfiSafi.of(AfiSafi.AFI_IPV4, AfiSafi.SAFI_RT_CONSTRAINT),
        AfiSafi.of(AfiSafi.AFI_IPV4, AfiSafi.SAFI_MCAST_VPN), AfiSafi.of(AfiSafi.AFI_IPV6, AfiSafi.SAFI_SR_POLICY)};
    private static final int[] KNOWN_CAPABILITIES = {Capability.MULTIPROTOCOL, Capability.ROUTE_REFRESH,
        Capability.EXTENDED_NEXT_HOP, Capability.EXTENDED_MESSAGE, Capability.BGP_ROLE, Capability.GRACEFUL_RESTART,
        Capability.FOUR_OCTET_AS, Capability.ADD_PATH, Capability.ENHANCED_ROUTE_REFRESH,
        Capability.LONG_LIVED_GRACEFUL_RESTART, Capability.FQDN, Capability.SOFTWARE_VERSION,
        Capability.ROUTE_REFRESH_CISCO};
    private static final int[] TEXT = {'a', 'b', 'r', 'x', 'z', '0', '7', '-', '.', ' ', 'é', 'ß', '€', '日',
        0x1F600};

    private final SplittableRandom r;

    RandomMessages(long seed) {
        this.r = new SplittableRandom(seed);
    }

    /** The seed of case {@code index} of a run with {@code baseSeed}: reproducible case by case. */
    static long caseSeed(long baseSeed, int index) {
        long z = baseSeed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ------------------------------------------------------------------ sessions

    /** A session: 4-octet AS as given, ADD-PATH on some families or none, Extended Messages sometimes. */
    SessionOptions session(boolean fourOctetAs, boolean addPath) {
        Set<AfiSafi> families = new HashSet<>();
        if (addPath) {
            for (AfiSafi f : PREFIX_FAMILIES) {
                if (chance(70)) {
                    families.add(f);
                }
            }
            families.add(pick(PREFIX_FAMILIES));
            if (chance(30)) {
                families.add(pick(RAW_FAMILIES)); // negotiated but meaningless for raw NLRI
            }
        }
        return new SessionOptions(fourOctetAs, chance(25), families, families);
    }

    // ------------------------------------------------------------------ messages

    /** A random valid message for {@code session}, at most its maximum length for the type. */
    BgpMessage message(SessionOptions session) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int k = r.nextInt(100);
            BgpMessage m;
            if (k < 55) {
                m = update(session);
            } else if (k < 70) {
                m = open();
            } else if (k < 80) {
                m = notification();
            } else if (k < 90) {
                m = routeRefresh();
            } else if (k < 95) {
                m = UpdateMessage.endOfRib(chance(50) ? pick(PREFIX_FAMILIES) : family());
            } else {
                m = KeepaliveMessage.INSTANCE;
            }
            if (Wire.encode(m, session).length <= session.maxLength(m.type().code())) {
                return m;
            }
        }
        throw new IllegalStateException("no message fit in 50 attempts");
    }

    OpenMessage open() {
        int n = chance(10) ? between(20, 60) : between(0, 8);
        List<Capability> caps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            caps.add(capability());
        }
        int hold = chance(10) ? 0 : between(3, 65535);
        int id = r.nextInt();
        if (id == 0) {
            id = 1;
        }
        return new OpenMessage(OpenMessage.VERSION, r.nextInt(65536), hold, id, caps, List.of(), chance(5));
    }

    Capability capability() {
        switch (r.nextInt(13)) {
            case 0:
                return new Capability.Multiprotocol(family());
            case 1:
                return new Capability.RouteRefresh(chance(50) ? Capability.ROUTE_REFRESH : Capability.ROUTE_REFRESH_CISCO);
            case 2: {
                List<Capability.ExtendedNextHop.Entry> e = new ArrayList<>();
                for (int i = between(1, 4); i > 0; i--) {
                    AfiSafi f = chance(70) ? pick(PREFIX_FAMILIES) : AfiSafi.of(r.nextInt(65536), r.nextInt(65536));
                    e.add(new Capability.ExtendedNextHop.Entry(f, chance(80) ? AfiSafi.AFI_IPV6 : r.nextInt(65536)));
                }
                return new Capability.ExtendedNextHop(e);
            }
            case 3:
                return new Capability.ExtendedMessage();
            case 4:
                return new Capability.BgpRole(chance(80) ? r.nextInt(5) : r.nextInt(256));
            case 5: {
                List<Capability.GracefulRestart.Family> f = new ArrayList<>();
                for (int i = between(0, 4); i > 0; i--) {
                    f.add(new Capability.GracefulRestart.Family(family(), r.nextInt(256)));
                }
                return new Capability.GracefulRestart(r.nextInt(16), r.nextInt(4096), f);
            }
            case 6:
                return new Capability.FourOctetAs(asn32());
            case 7: {
                List<Capability.AddPath.Family> f = new ArrayList<>();
                for (int i = between(1, 4); i > 0; i--) {
                    f.add(new Capability.AddPath.Family(family(), chance(90) ? between(1, 3) : r.nextInt(256)));
                }
                return new Capability.AddPath(f);
            }
            case 8:
                return new Capability.EnhancedRouteRefresh();
            case 9: {
                List<Capability.LongLivedGracefulRestart.Family> f = new ArrayList<>();
                for (int i = between(1, 4); i > 0; i--) {
                    f.add(new Capability.LongLivedGracefulRestart.Family(family(), r.nextInt(256),
                            r.nextInt(1 << 24)));
                }
                return new Capability.LongLivedGracefulRestart(f);
            }
            case 10:
                return new Capability.Fqdn(text(chance(5) ? 120 : 24), text(chance(5) ? 120 : 24));
            case 11:
                return new Capability.SoftwareVersion(text(chance(5) ? 254 : 40));
            default: {
                int code;
                do {
                    code = r.nextInt(256);
                } while (contains(KNOWN_CAPABILITIES, code));
                return new Capability.Unknown(code, bytes(chance(3) ? between(0, 255) : between(0, 16)));
            }
        }
    }

    NotificationMessage notification() {
        if (chance(20)) {
            return NotificationMessage.shutdown(chance(50) ? BgpError.ADMINISTRATIVE_SHUTDOWN
                    : BgpError.ADMINISTRATIVE_RESET, text(chance(10) ? 300 : 60));
        }
        int code = chance(90) ? between(1, 7) : r.nextInt(256);
        return new NotificationMessage(code, r.nextInt(chance(80) ? 12 : 256), bytes(chance(3) ? between(0, 4000)
                : between(0, 30)));
    }

    RouteRefreshMessage routeRefresh() {
        AfiSafi f = chance(70) ? pick(PREFIX_FAMILIES) : family();
        int k = r.nextInt(10);
        if (k < 6) {
            return new RouteRefreshMessage(f, RouteRefreshMessage.NORMAL, chance(30) ? bytes(between(1, 40)) : null);
        }
        if (k < 9) {
            return new RouteRefreshMessage(f, chance(50) ? RouteRefreshMessage.BEGIN_OF_ROUTE_REFRESH
                    : RouteRefreshMessage.END_OF_ROUTE_REFRESH, null);
        }
        return new RouteRefreshMessage(f, between(3, 255), bytes(between(0, 10)));
    }

    UpdateMessage update(SessionOptions s) {
        boolean big = chance(4);
        boolean as4 = s.fourOctetAs();
        boolean apV4 = s.addPathReceive(AfiSafi.IPV4_UNICAST);
        PrefixList withdrawn = chance(30) ? prefixList(AfiSafi.IPV4_UNICAST, apV4, count(big), true)
                : PrefixList.empty(AfiSafi.IPV4_UNICAST);
        PrefixList nlri = chance(50) ? prefixList(AfiSafi.IPV4_UNICAST, apV4, 1 + count(big), false)
                : PrefixList.empty(AfiSafi.IPV4_UNICAST);
        List<PathAttribute> attrs = new ArrayList<>();
        boolean announcing = !nlri.isEmpty();
        if (chance(35)) {
            AfiSafi f = chance(70) ? pick(PREFIX_FAMILIES) : pick(RAW_FAMILIES);
            Nlri n = mpNlri(f, s, big, false);
            attrs.add(new MpReachNlri(f, nextHop(f), n));
            announcing |= !n.isEmpty();
        }
        if (chance(25)) {
            AfiSafi f = chance(70) ? pick(PREFIX_FAMILIES) : pick(RAW_FAMILIES);
            attrs.add(new MpUnreachNlri(f, mpNlri(f, s, big, true)));
        }
        boolean hasAsPath = announcing || chance(50);
        if (announcing || chance(50)) {
            attrs.add(Origin.valueOf(r.nextInt(3)));
        }
        if (hasAsPath) {
            attrs.add(asPath(AttributeCode.AS_PATH, as4, true, big));
        }
        if (!nlri.isEmpty() || chance(30)) {
            attrs.add(new AddressAttribute(AttributeCode.NEXT_HOP, r.nextInt()));
        }
        if (chance(40)) {
            attrs.add(new Uint32Attribute(AttributeCode.MULTI_EXIT_DISC, uint32()));
        }
        if (chance(40)) {
            attrs.add(new Uint32Attribute(AttributeCode.LOCAL_PREF, uint32()));
        }
        if (chance(15)) {
            attrs.add(AtomicAggregate.INSTANCE);
        }
        if (chance(20)) {
            attrs.add(new Aggregator(AttributeCode.AGGREGATOR, as4 ? asn32() : asn16(), r.nextInt()));
        }
        if (chance(40)) {
            int[] c = new int[chance(5) ? between(60, 200) : between(1, 8)];
            for (int i = 0; i < c.length; i++) {
                c[i] = chance(10) ? Communities.NO_EXPORT + r.nextInt(4) : r.nextInt();
            }
            attrs.add(Communities.of(c));
        }
        if (chance(15)) {
            attrs.add(new AddressAttribute(AttributeCode.ORIGINATOR_ID, r.nextInt()));
        }
        if (chance(15)) {
            int[] ids = new int[between(1, chance(5) ? 80 : 4)];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = r.nextInt();
            }
            attrs.add(new ClusterList(ids));
        }
        if (chance(30)) {
            long[] v = new long[chance(5) ? between(30, 60) : between(1, 6)];
            for (int i = 0; i < v.length; i++) {
                v[i] = extendedCommunity();
            }
            attrs.add(ExtendedCommunities.of(v));
        }
        if (!as4 && hasAsPath && chance(40)) {
            attrs.add(asPath(AttributeCode.AS4_PATH, true, false, big));
        }
        if (!as4 && chance(15)) {
            attrs.add(new Aggregator(AttributeCode.AS4_AGGREGATOR, asn32(), r.nextInt()));
        }
        if (chance(10)) {
            attrs.add(Wire.decodeAttribute(0xc0, AttributeCode.IPV6_EXTENDED_COMMUNITIES,
                    bytes(20 * between(1, chance(5) ? 20 : 3)), s));
        }
        if (chance(10)) {
            attrs.add(aigp(s));
        }
        if (chance(25)) {
            long[] parts = new long[3 * (chance(5) ? between(22, 40) : between(1, 4))];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = uint32();
            }
            attrs.add(LargeCommunities.of(parts));
        }
        if (chance(15)) {
            attrs.add(new Uint32Attribute(AttributeCode.OTC, as4 ? asn32() : asn16()));
        }
        Set<Integer> unknownCodes = new HashSet<>();
        for (int i = chance(20) ? between(1, 3) : 0; i > 0; i--) {
            int code;
            do {
                code = between(1, 255);
            } while (AttributeTable.get(code) != null || !unknownCodes.add(code));
            int flags = switch (r.nextInt(3)) {
                case 0 -> AttributeCode.FLAG_OPTIONAL;
                case 1 -> AttributeCode.FLAG_OPTIONAL | AttributeCode.FLAG_TRANSITIVE;
                default -> AttributeCode.FLAG_OPTIONAL | AttributeCode.FLAG_TRANSITIVE | AttributeCode.FLAG_PARTIAL;
            };
            if (chance(10)) {
                flags |= AttributeCode.FLAG_EXTENDED_LENGTH; // legal on a short value too
            }
            attrs.add(new UnknownAttribute(flags, code, bytes(chance(5) ? between(256, 400) : between(0, 20))));
        }
        Collections.shuffle(attrs, new Random(r.nextLong()));
        return UpdateMessage.of(withdrawn, PathAttributes.of(attrs), nlri);
    }

    // ------------------------------------------------------------------ attribute values

    AsPath asPath(int code, boolean fourOctet, boolean confederations, boolean big) {
        int segments = code == AttributeCode.AS4_PATH ? between(1, 3) : (chance(10) ? 0 : between(1, 4));
        List<AsPath.Segment> list = new ArrayList<>(segments);
        for (int i = 0; i < segments; i++) {
            int type = confederations && chance(20) ? between(AsPath.AS_CONFED_SEQUENCE, AsPath.AS_CONFED_SET)
                    : (chance(20) ? AsPath.AS_SET : AsPath.AS_SEQUENCE);
            long[] asns = new long[big || chance(3) ? between(1, 255) : between(1, 6)];
            for (int k = 0; k < asns.length; k++) {
                asns[k] = fourOctet ? asn32() : asn16();
            }
            list.add(new AsPath.Segment(type, asns));
        }
        return AsPath.of(code, list);
    }

    long extendedCommunity() {
        long value = r.nextLong() & 0xffff_ffff_ffffL;
        long typeSub = switch (r.nextInt(9)) {
            case 0 -> 0x0002; // route target, 2-octet AS
            case 1 -> 0x0102; // route target, IPv4
            case 2 -> 0x0202; // route target, 4-octet AS
            case 3 -> 0x0003; // route origin
            case 4 -> 0x030b; // color
            case 5 -> 0x4004; // link bandwidth (non-transitive)
            case 6 -> 0x8006; // flow-spec traffic-rate
            case 7 -> 0x0600; // EVPN MAC mobility
            default -> r.nextInt(65536);
        };
        return typeSub << 48 | value;
    }

    PathAttribute aigp(SessionOptions s) {
        long metric = switch (r.nextInt(6)) {
            case 0 -> 0;
            case 1 -> -1L; // 2^64 - 1
            case 2 -> Long.MAX_VALUE;
            default -> r.nextLong();
        };
        if (chance(70)) {
            return Aigp.of(metric);
        }
        // the AIGP TLV among unknown TLVs (RFC 7311 §3: unknown types are kept)
        List<byte[]> tlvs = new ArrayList<>();
        tlvs.add(aigpTlv(metric));
        for (int i = between(1, 2); i > 0; i--) {
            byte[] v = bytes(between(0, 12));
            byte[] t = new byte[3 + v.length];
            t[0] = (byte) between(2, 255);
            t[1] = (byte) (t.length >>> 8);
            t[2] = (byte) t.length;
            System.arraycopy(v, 0, t, 3, v.length);
            tlvs.add(t);
        }
        Collections.shuffle(tlvs, new Random(r.nextLong()));
        int n = 0;
        for (byte[] t : tlvs) {
            n += t.length;
        }
        byte[] all = new byte[n];
        int o = 0;
        for (byte[] t : tlvs) {
            System.arraycopy(t, 0, all, o, t.length);
            o += t.length;
        }
        return Wire.decodeAttribute(AttributeCode.FLAG_OPTIONAL, AttributeCode.AIGP, all, s);
    }

    private static byte[] aigpTlv(long metric) {
        byte[] t = new byte[11];
        t[0] = 1;
        t[2] = 11;
        for (int k = 0; k < 8; k++) {
            t[3 + k] = (byte) (metric >>> (56 - 8 * k));
        }
        return t;
    }

    // ------------------------------------------------------------------ NLRI

    Nlri mpNlri(AfiSafi f, SessionOptions s, boolean big, boolean withdrawal) {
        if (!f.hasPrefixNlri()) {
            return new RawNlri(f, bytes(chance(10) ? 0 : between(1, big ? 600 : 40)));
        }
        return prefixList(f, s.addPathReceive(f), count(big), withdrawal);
    }

    int count(boolean big) {
        return big ? between(50, 1500) : (chance(20) ? 0 : between(1, 12));
    }

    PrefixList prefixList(AfiSafi f, boolean addPath, int n, boolean withdrawal) {
        boolean v6 = f.isIpv6();
        boolean labeled = f.isLabeled();
        boolean vpn = f.isVpn();
        long[] words = new long[(v6 ? 3 : 1) * n];
        int[] ids = addPath ? new int[n] : null;
        long[] rds = vpn ? new long[n] : null;
        int[][] labels = labeled ? new int[n][] : null;
        for (int i = 0; i < n; i++) {
            int len = v6 ? v6Length() : v4Length();
            if (v6) {
                long hi = r.nextLong();
                long lo = r.nextLong();
                hi &= len == 0 ? 0 : len >= 64 ? -1L : -1L << (64 - len);
                lo &= len <= 64 ? 0 : len == 128 ? -1L : -1L << (128 - len);
                words[3 * i] = hi;
                words[3 * i + 1] = lo;
                words[3 * i + 2] = len;
            } else {
                words[i] = PrefixList.packIpv4(r.nextInt() & PrefixList.ipv4Mask(len), len);
            }
            if (addPath) {
                ids[i] = chance(10) ? 0 : r.nextInt();
            }
            if (vpn) {
                rds[i] = routeDistinguisher();
            }
            if (labeled) {
                labels[i] = labelStack(len + (vpn ? 64 : 0), withdrawal);
            }
        }
        return new PrefixList(f, n, words, ids, rds, labels);
    }

    /** Label fields (label, TC, S) for a prefix of {@code bits} other bits; the total fits 255. */
    int[] labelStack(int bits, boolean withdrawal) {
        if (withdrawal) {
            return new int[] {chance(50) ? NlriCodec.WITHDRAWN_LABEL : r.nextInt(1 << 24)};
        }
        int depth = chance(30) ? (chance(20) ? 3 : 2) : 1;
        while (bits + 24 * depth > 255) {
            depth--;
        }
        int[] stack = new int[depth];
        for (int k = 0; k < depth - 1; k++) {
            int field;
            do {
                field = r.nextInt(1 << 20) << 4 | r.nextInt(8) << 1;
            } while (field == 0 || field == NlriCodec.WITHDRAWN_LABEL);
            stack[k] = field;
        }
        stack[depth - 1] = r.nextInt(1 << 20) << 4 | r.nextInt(8) << 1 | 1;
        return stack;
    }

    long routeDistinguisher() {
        return switch (r.nextInt(4)) {
            case 0 -> (long) r.nextInt(65536) << 32 | uint32(); // type 0: 2-octet AS : 4-octet number
            case 1 -> 1L << 48 | uint32() << 16 | r.nextInt(65536); // type 1: IPv4 : 2-octet number
            case 2 -> 2L << 48 | asn32() << 16 | r.nextInt(65536); // type 2: 4-octet AS : 2-octet number
            default -> r.nextLong(); // any 8 octets: kept as they are
        };
    }

    byte[] nextHop(AfiSafi f) {
        if (!f.hasPrefixNlri()) {
            return bytes(chance(30) ? 0 : pickInt(4, 16, 32, between(1, 40)));
        }
        // IPv6 NLRI: 16 or 32 (RFC 2545 §3), VPN-IPv6: 24 or 48 (RFC 4659 §3.2.1); IPv4 may also
        // have an IPv6 next hop (RFC 8950 §3).
        if (f.isVpn()) {
            return bytes(f.isIpv6() ? pickInt(24, 48) : pickInt(12, 24, 48));
        }
        return bytes(f.isIpv6() ? pickInt(16, 32) : pickInt(4, 16, 32));
    }

    int v4Length() {
        return chance(20) ? pickInt(0, 1, 7, 8, 9, 15, 16, 17, 23, 24, 25, 31, 32) : r.nextInt(33);
    }

    int v6Length() {
        return chance(25) ? pickInt(0, 1, 32, 48, 63, 64, 65, 127, 128) : r.nextInt(129);
    }

    // ------------------------------------------------------------------ primitives

    AfiSafi family() {
        int k = r.nextInt(10);
        if (k < 5) {
            return pick(PREFIX_FAMILIES);
        }
        if (k < 8) {
            return pick(RAW_FAMILIES);
        }
        return AfiSafi.of(r.nextInt(65536), r.nextInt(256));
    }

    long asn32() {
        return chance(30) ? r.nextInt(65536) : Integer.toUnsignedLong(r.nextInt());
    }

    long asn16() {
        return chance(10) ? AsPath.AS_TRANS : r.nextInt(65536);
    }

    long uint32() {
        return chance(5) ? 0xffffffffL : Integer.toUnsignedLong(r.nextInt());
    }

    /** Text of at most {@code maxOctets} UTF-8 octets, with 1- to 4-octet characters. */
    String text(int maxOctets) {
        int target = r.nextInt(maxOctets + 1);
        StringBuilder sb = new StringBuilder();
        int octets = 0;
        while (true) {
            int cp = TEXT[r.nextInt(TEXT.length)];
            int w = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (octets + w > target) {
                return sb.toString();
            }
            sb.appendCodePoint(cp);
            octets += w;
        }
    }

    byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    boolean chance(int percent) {
        return r.nextInt(100) < percent;
    }

    int between(int lo, int hi) {
        return r.nextInt(lo, hi + 1);
    }

    <T> T pick(T[] a) {
        return a[r.nextInt(a.length)];
    }

    int pickInt(int... a) {
        return a[r.nextInt(a.length)];
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }
}
