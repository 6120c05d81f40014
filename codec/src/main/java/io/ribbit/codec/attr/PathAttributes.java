package io.ribbit.codec.attr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The path attributes of one UPDATE, in the order received (duplicates already dropped per
 * RFC 7606 §3(g)), with the flags octet each was received with so it re-encodes byte for byte.
 * Immutable. Typed accessors scan the (short) list; there is no map per message.
 *
 * <p>{@link #asPath()} is the effective path: on a 2-octet-AS session it is AS_PATH merged with
 * AS4_PATH per RFC 6793 §4.2.3, otherwise AS_PATH itself.
 */
public final class PathAttributes {
    public static final PathAttributes EMPTY = new PathAttributes(new PathAttribute[0], 0, new byte[0], new byte[0], null);

    /** May be longer than {@link #size()} (the decoder's array, not copied); entries past size are null. */
    private final PathAttribute[] attributes;
    private final int size;
    private final byte[] flags;
    /** attributes[i].code(), kept beside them so lookups make no (megamorphic) virtual calls. */
    private final byte[] codes;
    private final AsPath effectivePath;

    /** Takes ownership of the arrays. {@code flags[i]} 0 means "the table's default flags". */
    PathAttributes(PathAttribute[] attributes, int size, byte[] flags, byte[] codes, AsPath effectivePath) {
        this.attributes = attributes;
        this.size = size;
        this.flags = flags;
        this.codes = codes;
        this.effectivePath = effectivePath;
    }

    /** Attributes with default flags, in the given order (for building messages to send). */
    public static PathAttributes of(PathAttribute... attributes) {
        AsPath path = null;
        for (PathAttribute a : attributes) {
            if (a.code() == AttributeCode.AS_PATH) {
                path = (AsPath) a;
            }
        }
        byte[] codes = new byte[attributes.length];
        for (int i = 0; i < attributes.length; i++) {
            codes[i] = (byte) attributes[i].code();
        }
        return new PathAttributes(attributes.clone(), attributes.length, new byte[attributes.length], codes, path);
    }

    public static PathAttributes of(List<? extends PathAttribute> attributes) {
        return of(attributes.toArray(new PathAttribute[0]));
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public PathAttribute get(int i) {
        return attributes[i];
    }

    /** The flags octet attribute {@code i} was received with, or the table default. */
    public int flags(int i) {
        int f = flags[i] & 0xff;
        if (f != 0) {
            return f;
        }
        PathAttribute a = attributes[i];
        if (a instanceof UnknownAttribute u) {
            return u.flags();
        }
        AttributeDescriptor d = AttributeTable.get(a.code());
        return d != null ? d.flags() : AttributeCode.FLAG_OPTIONAL | AttributeCode.FLAG_TRANSITIVE;
    }

    public List<PathAttribute> list() {
        return Collections.unmodifiableList(Arrays.asList(attributes).subList(0, size));
    }

    /** The attribute with {@code code}, or null. */
    public PathAttribute find(int code) {
        byte c = (byte) code;
        byte[] cs = codes;
        for (int i = 0; i < cs.length; i++) {
            if (cs[i] == c) {
                return attributes[i];
            }
        }
        return null;
    }

    /** The type code of attribute {@code i}. */
    public int code(int i) {
        return codes[i] & 0xff;
    }

    public boolean has(int code) {
        return find(code) != null;
    }

    public Origin origin() {
        return (Origin) find(AttributeCode.ORIGIN);
    }

    /** The effective AS path (RFC 6793 §4.2.3 reconstruction applied), or null if absent. */
    public AsPath asPath() {
        return effectivePath;
    }

    /** AS_PATH exactly as received, or null. */
    public AsPath rawAsPath() {
        return (AsPath) find(AttributeCode.AS_PATH);
    }

    public AsPath as4Path() {
        return (AsPath) find(AttributeCode.AS4_PATH);
    }

    /** NEXT_HOP as an IPv4 address in an int; check {@link #has} first. */
    public AddressAttribute nextHop() {
        return (AddressAttribute) find(AttributeCode.NEXT_HOP);
    }

    /** MULTI_EXIT_DISC, or -1 when absent. */
    public long med() {
        return uint32(AttributeCode.MULTI_EXIT_DISC);
    }

    /** LOCAL_PREF, or -1 when absent. */
    public long localPref() {
        return uint32(AttributeCode.LOCAL_PREF);
    }

    /** OTC ASN (RFC 9234), or -1 when absent. */
    public long otc() {
        return uint32(AttributeCode.OTC);
    }

    private long uint32(int code) {
        PathAttribute a = find(code);
        return a == null ? -1 : ((Uint32Attribute) a).value();
    }

    public boolean atomicAggregate() {
        return has(AttributeCode.ATOMIC_AGGREGATE);
    }

    /**
     * The effective aggregator: AS4_AGGREGATOR when AGGREGATOR carries AS_TRANS on a 2-octet
     * session (RFC 6793 §4.2.3), else AGGREGATOR; null if absent.
     */
    public Aggregator aggregator() {
        Aggregator a = (Aggregator) find(AttributeCode.AGGREGATOR);
        Aggregator a4 = (Aggregator) find(AttributeCode.AS4_AGGREGATOR);
        if (a != null && a4 != null && a.asn() == AsPath.AS_TRANS) {
            return a4;
        }
        return a;
    }

    public Communities communities() {
        return (Communities) find(AttributeCode.COMMUNITIES);
    }

    public LargeCommunities largeCommunities() {
        return (LargeCommunities) find(AttributeCode.LARGE_COMMUNITY);
    }

    public ExtendedCommunities extendedCommunities() {
        return (ExtendedCommunities) find(AttributeCode.EXTENDED_COMMUNITIES);
    }

    public AddressAttribute originatorId() {
        return (AddressAttribute) find(AttributeCode.ORIGINATOR_ID);
    }

    public ClusterList clusterList() {
        return (ClusterList) find(AttributeCode.CLUSTER_LIST);
    }

    public Aigp aigp() {
        return (Aigp) find(AttributeCode.AIGP);
    }

    public MpReachNlri mpReach() {
        return (MpReachNlri) find(AttributeCode.MP_REACH_NLRI);
    }

    public MpUnreachNlri mpUnreach() {
        return (MpUnreachNlri) find(AttributeCode.MP_UNREACH_NLRI);
    }

    /**
     * These attributes without MP_REACH_NLRI and MP_UNREACH_NLRI: what the routes of this UPDATE
     * share, without the NLRI (a RIB stores this, not the message's prefixes). Returns this when
     * there is nothing to remove.
     */
    public PathAttributes withoutNlri() {
        int keep = 0;
        for (byte c : codes) {
            if (c != AttributeCode.MP_REACH_NLRI && c != AttributeCode.MP_UNREACH_NLRI) {
                keep++;
            }
        }
        if (keep == codes.length) {
            return this;
        }
        PathAttribute[] a = new PathAttribute[keep];
        byte[] f = new byte[keep];
        byte[] c = new byte[keep];
        int j = 0;
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] != AttributeCode.MP_REACH_NLRI && codes[i] != AttributeCode.MP_UNREACH_NLRI) {
                a[j] = attributes[i];
                f[j] = flags[i];
                c[j] = codes[i];
                j++;
            }
        }
        return new PathAttributes(a, keep, f, c, effectivePath);
    }

    public List<UnknownAttribute> unknown() {
        List<UnknownAttribute> out = new ArrayList<>(0);
        for (int i = 0; i < size; i++) {
            if (attributes[i] instanceof UnknownAttribute u) {
                out.add(u);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathAttributes p && Arrays.equals(p.attributes, 0, p.size, attributes, 0, size);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < size; i++) {
            h = 31 * h + attributes[i].hashCode();
        }
        return h;
    }

    @Override
    public String toString() {
        return "PathAttributes" + list();
    }
}
