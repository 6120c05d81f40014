package io.ribbit.rib;

import io.ribbit.codec.attr.AddressAttribute;
import io.ribbit.codec.attr.AsPath;
import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.MpReachNlri;
import io.ribbit.codec.attr.MpUnreachNlri;
import io.ribbit.codec.attr.Origin;
import io.ribbit.codec.attr.PathAttribute;
import io.ribbit.codec.attr.PathAttributes;
import io.ribbit.codec.attr.Uint32Attribute;
import io.ribbit.codec.error.ErrorAction;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.nlri.PrefixList;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** Builds UPDATEs and prefix lists for the RIB tests. */
final class Routes {
    private Routes() {
    }

    static int ipv4(String a) {
        byte[] b = address(a);
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    static byte[] address(String a) {
        try {
            return InetAddress.getByName(a).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(a, e);
        }
    }

    /** IPv4 prefixes ("10.0.0.0/24"), optionally with path ids. */
    static PrefixList v4(AfiSafi family, int[] pathIds, long[] rds, int[][] labels, String... prefixes) {
        long[] words = new long[prefixes.length];
        for (int i = 0; i < prefixes.length; i++) {
            String[] p = prefixes[i].split("/");
            words[i] = PrefixList.packIpv4(ipv4(p[0]), Integer.parseInt(p[1]));
        }
        return new PrefixList(family, prefixes.length, words, pathIds, rds, labelFields(labels));
    }

    static PrefixList v4(String... prefixes) {
        return v4(AfiSafi.IPV4_UNICAST, null, null, null, prefixes);
    }

    static PrefixList v6(AfiSafi family, int[] pathIds, String... prefixes) {
        long[] words = new long[3 * prefixes.length];
        for (int i = 0; i < prefixes.length; i++) {
            String[] p = prefixes[i].split("/");
            byte[] b = address(p[0]);
            long hi = 0;
            long lo = 0;
            for (int k = 0; k < 8; k++) {
                hi = hi << 8 | (b[k] & 0xff);
                lo = lo << 8 | (b[8 + k] & 0xff);
            }
            words[3 * i] = hi;
            words[3 * i + 1] = lo;
            words[3 * i + 2] = Integer.parseInt(p[1]);
        }
        return new PrefixList(family, prefixes.length, words, pathIds, null, null);
    }

    /** Label values to the 3-octet fields PrefixList keeps (bottom-of-stack bit on the last). */
    private static int[][] labelFields(int[][] labels) {
        if (labels == null) {
            return null;
        }
        int[][] f = new int[labels.length][];
        for (int i = 0; i < labels.length; i++) {
            f[i] = new int[labels[i].length];
            for (int k = 0; k < labels[i].length; k++) {
                f[i][k] = labels[i][k] << 4 | (k == labels[i].length - 1 ? 1 : 0);
            }
        }
        return f;
    }

    /** ORIGIN, AS_PATH, NEXT_HOP, MED. */
    static List<PathAttribute> path(String nextHop, long med, long... asns) {
        List<PathAttribute> a = new ArrayList<>();
        a.add(Origin.IGP);
        a.add(AsPath.sequence(asns));
        a.add(new AddressAttribute(AttributeCode.NEXT_HOP, ipv4(nextHop)));
        a.add(new Uint32Attribute(AttributeCode.MULTI_EXIT_DISC, med));
        return a;
    }

    static UpdateMessage announce(PrefixList nlri, List<PathAttribute> attrs) {
        return UpdateMessage.of(PrefixList.empty(AfiSafi.IPV4_UNICAST), PathAttributes.of(attrs), nlri);
    }

    static UpdateMessage withdraw(PrefixList withdrawn) {
        return UpdateMessage.of(withdrawn, PathAttributes.EMPTY, PrefixList.empty(AfiSafi.IPV4_UNICAST));
    }

    static UpdateMessage mpAnnounce(PrefixList nlri, byte[] nextHop, long med, long... asns) {
        List<PathAttribute> a = new ArrayList<>();
        a.add(Origin.IGP);
        a.add(AsPath.sequence(asns));
        a.add(new Uint32Attribute(AttributeCode.MULTI_EXIT_DISC, med));
        a.add(new MpReachNlri(nlri.afiSafi(), nextHop, nlri));
        return UpdateMessage.of(PrefixList.empty(AfiSafi.IPV4_UNICAST), PathAttributes.of(a), PrefixList.empty(AfiSafi.IPV4_UNICAST));
    }

    static UpdateMessage mpWithdraw(PrefixList withdrawn) {
        return UpdateMessage.of(PrefixList.empty(AfiSafi.IPV4_UNICAST),
                PathAttributes.of(new MpUnreachNlri(withdrawn.afiSafi(), withdrawn)), PrefixList.empty(AfiSafi.IPV4_UNICAST));
    }

    static UpdateMessage treatAsWithdraw(UpdateMessage u) {
        return new UpdateMessage(u.withdrawn(), u.attributes(), u.nlri(), ErrorAction.TREAT_AS_WITHDRAW, List.of());
    }
}
