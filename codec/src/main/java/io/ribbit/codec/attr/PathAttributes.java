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

    /** Builds deferred values; one per thread that reads attributes (event writers, HTTP), never per call. */
    private static final ThreadLocal<UpdateDecodeContext> MATERIALIZE = ThreadLocal.withInitial(UpdateDecodeContext::new);

    /**
     * The values, in order. Decoded attributes: null, or a null entry, is a value checked but not
     * built yet (built from {@link #raw} on first access and cached here; the array is installed
     * once by CAS; values are immutable with final fields, so a racy store of one is safe and at
     * worst builds it twice). May be longer than {@link #size()}.
     */
    private PathAttribute[] attributes;
    private final int size;
    /** Built attributes: the flags octet, 0 meaning "the table's default flags"; null when decoded. */
    private final byte[] flags;
    /**
     * attributes[i].code(), kept beside them so lookups make no (megamorphic) virtual calls; null
     * when decoded attributes are dense (see {@link #starts}).
     */
    private final byte[] codes;
    /**
     * Decoded attributes: the Path Attributes field as received, and where attribute i's header
     * starts in it; starts (and codes) null when the attributes are exactly the field's
     * consecutive attributes (nothing was discarded), the usual case, found by walking the headers.
     */
    private final byte[] raw;
    private final char[] starts;
    private final io.ribbit.codec.SessionOptions options;
    /**
     * Bit c set: an attribute with code c (below 64) may be present; clear: it is not, and a
     * lookup returns without a scan (most lookups are of absent attributes: MP_REACH_NLRI in an
     * IPv4 UPDATE, AS4_PATH on a 4-octet session). All ones when not known.
     */
    private final long mayHaveLow;
    /** The RFC 6793 §4.2.3 reconstructed path, set once right after decoding; null: AS_PATH is the path. */
    private AsPath effectivePath;

    /** Takes ownership of the arrays. {@code flags[i]} 0 means "the table's default flags". */
    PathAttributes(PathAttribute[] attributes, int size, byte[] flags, byte[] codes, AsPath effectivePath) {
        this.attributes = attributes;
        this.size = size;
        this.flags = flags;
        this.codes = codes;
        this.raw = null;
        this.starts = null;
        this.options = null;
        this.effectivePath = effectivePath;
        this.mayHaveLow = -1L;
    }

    /** Decoded attributes: takes ownership of the arrays (see {@link PathAttributesCodec#decode}). */
    PathAttributes(PathAttribute[] attributes, int size, byte[] raw, char[] starts, byte[] codes,
            io.ribbit.codec.SessionOptions options) {
        this(attributes, size, raw, starts, codes, options, -1L);
    }

    /** As above, knowing which codes below 64 are present ({@code mayHaveLow}, see its field). */
    PathAttributes(PathAttribute[] attributes, int size, byte[] raw, char[] starts, byte[] codes,
            io.ribbit.codec.SessionOptions options, long mayHaveLow) {
        this.mayHaveLow = mayHaveLow;
        this.attributes = attributes;
        this.size = size;
        this.flags = null;
        this.codes = codes;
        this.raw = raw;
        this.starts = starts;
        this.options = options;
    }

    /** Sets the reconstructed path; only the decoder calls this, before the value is published. */
    void reconstructPath(AsPath path) {
        this.effectivePath = path;
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
        if (i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        PathAttribute[] c = (PathAttribute[]) CACHE.getAcquire(this);
        PathAttribute a = c == null ? null : c[i];
        return a != null ? a : materialize(i);
    }

    private static final java.lang.invoke.VarHandle CACHE;

    static {
        try {
            CACHE = java.lang.invoke.MethodHandles.lookup().findVarHandle(PathAttributes.class, "attributes",
                    PathAttribute[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The value cache, installed on first use. */
    private PathAttribute[] cache() {
        PathAttribute[] c = (PathAttribute[]) CACHE.getAcquire(this);
        if (c == null) {
            PathAttribute[] fresh = new PathAttribute[size];
            c = (PathAttribute[]) CACHE.compareAndExchange(this, null, fresh);
            if (c == null) {
                c = fresh;
            }
        }
        return c;
    }

    /** Builds deferred value {@code i} from the retained bytes (validated when decoded). */
    private PathAttribute materialize(int i) {
        int s = start(i);
        int f = raw[s] & 0xff;
        int code = raw[s + 1] & 0xff;
        int hdr = valueStart(raw, s) - s;
        int len = valueLength(raw, s);
        PathAttribute a;
        AttributeDescriptor d = AttributeTable.get(code);
        if (d == null) {
            a = new UnknownAttribute(f, code, Arrays.copyOfRange(raw, s + hdr, s + hdr + len));
        } else {
            UpdateDecodeContext ctx = MATERIALIZE.get();
            ctx.beginMaterialize(options, raw, d, code, s, hdr + len);
            try {
                a = AttributeTable.decode(d, raw, s + hdr, len, ctx);
            } finally {
                ctx.end();
            }
            if (a == null || a == PathAttributesCodec.DEFERRED) {
                throw new IllegalStateException("attribute " + code + " failed to build after validation");
            }
        }
        cache()[i] = a;
        return a;
    }

    /**
     * The Path Attributes field exactly as received, or null for attributes built in code. With
     * {@link #rawStart} (or, when {@link #receivedWhole}, as one block), what a RIB can intern by
     * content without building any value.
     */
    public byte[] rawNoCopy() {
        return raw;
    }

    /**
     * Whether these attributes are exactly those of {@link #rawNoCopy()}, in order: decoded, with
     * none discarded (RFC 7606 attribute discard, a duplicate), so the field's attributes follow
     * one another from offset 0 to its end. False for built attributes.
     */
    public boolean receivedWhole() {
        return raw != null && starts == null;
    }

    /** Where attribute {@code i} (header included) starts in {@link #rawNoCopy()}; -1 for built attributes. */
    public int rawStart(int i) {
        return raw == null ? -1 : start(i);
    }

    /** Decoded attributes: where attribute i's header starts in {@link #raw}. */
    private int start(int i) {
        if (starts != null) {
            return starts[i];
        }
        int s = 0;
        for (int k = 0; k < i; k++) {
            s = next(s);
        }
        return s;
    }

    /** The start of the attribute after the one at {@code s} (dense decoded attributes). */
    private int next(int s) {
        return attributeEnd(raw, s);
    }

    /**
     * Where the value of the attribute whose header starts at {@code h} in a Path Attributes
     * field starts: after flags, type code and a length of one octet, or two with the Extended
     * Length flag (RFC 4271 §4.3).
     */
    public static int valueStart(byte[] field, int h) {
        return h + ((field[h] & AttributeCode.FLAG_EXTENDED_LENGTH) != 0 ? 4 : 3);
    }

    /** The value length of the attribute whose header starts at {@code h} (see {@link #valueStart}). */
    public static int valueLength(byte[] field, int h) {
        return (field[h] & AttributeCode.FLAG_EXTENDED_LENGTH) != 0
                ? (field[h + 2] & 0xff) << 8 | field[h + 3] & 0xff
                : field[h + 2] & 0xff;
    }

    /** Where the attribute whose header starts at {@code h} ends (the next one's header). */
    public static int attributeEnd(byte[] field, int h) {
        return valueStart(field, h) + valueLength(field, h);
    }

    /** The position of the attribute with {@code code}, or -1. */
    private int indexOf(int code) {
        if (code < 64 && (mayHaveLow & (1L << code)) == 0) {
            return -1;
        }
        byte c = (byte) code;
        byte[] cs = codes;
        if (cs != null) {
            for (int i = 0; i < cs.length; i++) {
                if (cs[i] == c) {
                    return i;
                }
            }
            return -1;
        }
        byte[] r = raw;
        for (int i = 0, s = 0; i < size; i++, s = next(s)) {
            if (r[s + 1] == c) {
                return i;
            }
        }
        return -1;
    }

    /** The session options the attributes were decoded with (null for built attributes). */
    public io.ribbit.codec.SessionOptions options() {
        return options;
    }

    /** The flags octet attribute {@code i} was received with, or the table default. */
    public int flags(int i) {
        if (raw != null) {
            return raw[start(i)] & 0xff;
        }
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
        PathAttribute[] out = new PathAttribute[size];
        for (int i = 0; i < size; i++) {
            out[i] = get(i);
        }
        return Collections.unmodifiableList(Arrays.asList(out));
    }

    /** The attribute with {@code code}, or null. */
    public PathAttribute find(int code) {
        int i = indexOf(code);
        return i < 0 ? null : get(i);
    }

    /** The type code of attribute {@code i}. */
    public int code(int i) {
        return codes != null ? codes[i] & 0xff : raw[start(i) + 1] & 0xff;
    }

    public boolean has(int code) {
        return indexOf(code) >= 0;
    }

    public Origin origin() {
        return (Origin) find(AttributeCode.ORIGIN);
    }

    /** The effective AS path (RFC 6793 §4.2.3 reconstruction applied), or null if absent. */
    public AsPath asPath() {
        AsPath p = effectivePath;
        return p != null ? p : rawAsPath();
    }

    /**
     * Whether {@link #asPath} differs from AS_PATH as received: a 2-octet session's AS_PATH merged
     * with AS4_PATH (RFC 6793 §4.2.3). Builds no value when nothing was merged.
     */
    public boolean pathReconstructed() {
        AsPath p = effectivePath;
        return p != null && p != rawAsPath();
    }

    /**
     * The effective AS path's ASNs as {@link AsPath#pathAsns(long[])} gives them (0 without a
     * path). When AS_PATH as received is the path (no RFC 6793 merge) they are read from the
     * received octets and no {@link AsPath} is built: for per-UPDATE checks on a peer's loop.
     */
    public int pathAsns(long[] out) {
        int h = receivedAsPathHeader();
        if (h >= 0) {
            return AsPath.pathAsns(raw, valueStart(raw, h), valueLength(raw, h), options.fourOctetAs() ? 4 : 2, out);
        }
        AsPath p = asPath();
        return p == null ? 0 : p.pathAsns(out);
    }

    /** The effective AS path's length ({@link AsPath#length()}), -1 without a path; builds no value, like {@link #pathAsns}. */
    public int pathLength() {
        int h = receivedAsPathHeader();
        if (h >= 0) {
            return AsPath.length(raw, valueStart(raw, h), valueLength(raw, h), options.fourOctetAs() ? 4 : 2);
        }
        AsPath p = asPath();
        return p == null ? -1 : p.length();
    }

    /**
     * NEXT_HOP's IPv4 address as an unsigned value, or -1 without NEXT_HOP. Received attributes
     * are read from their octets (the decoder checked the length, RFC 7606 §7.3), so no
     * {@link AddressAttribute} is built per UPDATE.
     */
    public long nextHopAddress() {
        int i = indexOf(AttributeCode.NEXT_HOP);
        if (i < 0) {
            return -1;
        }
        if (raw != null) {
            int h = start(i);
            int v = valueStart(raw, h);
            if (valueLength(raw, h) == 4) {
                return Integer.toUnsignedLong((raw[v] & 0xff) << 24 | (raw[v + 1] & 0xff) << 16
                        | (raw[v + 2] & 0xff) << 8 | raw[v + 3] & 0xff);
            }
        }
        return Integer.toUnsignedLong(((AddressAttribute) get(i)).address());
    }

    /**
     * Where AS_PATH's header starts in {@link #raw} when the received AS_PATH is the effective
     * path and was decoded from {@link #raw}; else -1 (built attributes, a merged path, no AS_PATH).
     */
    private int receivedAsPathHeader() {
        if (raw == null || options == null || effectivePath != null) {
            return -1;
        }
        int i = indexOf(AttributeCode.AS_PATH);
        return i < 0 ? -1 : start(i);
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
        for (int i = 0; i < size; i++) {
            int c = code(i);
            if (c != AttributeCode.MP_REACH_NLRI && c != AttributeCode.MP_UNREACH_NLRI) {
                keep++;
            }
        }
        if (keep == size) {
            return this;
        }
        PathAttribute[] cached = (PathAttribute[]) CACHE.getAcquire(this);
        PathAttribute[] a = cached == null ? null : new PathAttribute[keep];
        byte[] f = flags == null ? null : new byte[keep];
        char[] st = raw == null ? null : new char[keep];
        byte[] c = new byte[keep];
        int j = 0;
        for (int i = 0; i < size; i++) {
            int code = code(i);
            if (code != AttributeCode.MP_REACH_NLRI && code != AttributeCode.MP_UNREACH_NLRI) {
                if (a != null) {
                    a[j] = cached[i];
                }
                if (f != null) {
                    f[j] = flags[i];
                }
                if (st != null) {
                    st[j] = (char) start(i);
                }
                c[j] = (byte) code;
                j++;
            }
        }
        PathAttributes out = raw == null ? new PathAttributes(a, keep, f, c, effectivePath)
                : new PathAttributes(a, keep, raw, st, c, options);
        out.effectivePath = effectivePath;
        return out;
    }

    public List<UnknownAttribute> unknown() {
        List<UnknownAttribute> out = new ArrayList<>(0);
        for (int i = 0; i < size; i++) {
            if (AttributeTable.get(code(i)) == null && get(i) instanceof UnknownAttribute u) {
                out.add(u);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PathAttributes p) || p.size != size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (!get(i).equals(p.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < size; i++) {
            h = 31 * h + get(i).hashCode();
        }
        return h;
    }

    @Override
    public String toString() {
        return "PathAttributes" + list();
    }
}
