package io.ribbit.codec.attr;

import io.ribbit.codec.text.FieldWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * AS_PATH (RFC 4271 §5.1.2, code 2) or AS4_PATH (RFC 6793 §3, code 17): a sequence of segments,
 * each AS_SET (1), AS_SEQUENCE (2), AS_CONFED_SEQUENCE (3) or AS_CONFED_SET (4) (RFC 5065 §3).
 *
 * <p>Stored as one {@code int[]} of {@code [type, count, asn...]} runs; ASNs are unsigned 32-bit
 * values held in an {@code int} (2-octet ASNs are widened on decode). Immutable.
 */
public final class AsPath implements PathAttribute {
    public static final int AS_SET = 1;
    public static final int AS_SEQUENCE = 2;
    public static final int AS_CONFED_SEQUENCE = 3;
    public static final int AS_CONFED_SET = 4;
    /** RFC 6793 §9: the 2-octet placeholder for a 4-octet ASN. */
    public static final int AS_TRANS = 23456;

    public static final AsPath EMPTY = new AsPath(AttributeCode.AS_PATH, new int[0]);

    /** One segment: its type and ASNs. */
    public record Segment(int type, long[] asns) {
        public boolean isConfederation() {
            return type == AS_CONFED_SEQUENCE || type == AS_CONFED_SET;
        }
    }

    private final int code;
    private final int[] runs;

    /** Takes ownership of {@code runs} ({@code [type, count, asn...]}, validated by the caller). */
    AsPath(int code, int[] runs) {
        this.code = code;
        this.runs = runs;
    }

    /** An AS_PATH of one AS_SEQUENCE. */
    public static AsPath sequence(long... asns) {
        return of(AttributeCode.AS_PATH, List.of(new Segment(AS_SEQUENCE, asns)));
    }

    /** A path of the given segments (code 2 or 17). */
    public static AsPath of(int code, List<Segment> segments) {
        int n = 0;
        for (Segment s : segments) {
            n += 2 + s.asns().length;
        }
        int[] runs = new int[n];
        int i = 0;
        for (Segment s : segments) {
            runs[i++] = s.type();
            runs[i++] = s.asns().length;
            for (long a : s.asns()) {
                runs[i++] = (int) a;
            }
        }
        return new AsPath(code, runs);
    }

    @Override
    public int code() {
        return code;
    }

    int[] runs() {
        return runs;
    }

    public List<Segment> segments() {
        List<Segment> out = new ArrayList<>();
        for (int i = 0; i < runs.length; i += 2 + runs[i + 1]) {
            long[] asns = new long[runs[i + 1]];
            for (int k = 0; k < asns.length; k++) {
                asns[k] = Integer.toUnsignedLong(runs[i + 2 + k]);
            }
            out.add(new Segment(runs[i], asns));
        }
        return out;
    }

    public boolean isEmpty() {
        return runs.length == 0;
    }

    /**
     * The ASNs of the AS_SEQUENCE and AS_SET segments in order (confederation segments, RFC 5065,
     * left out), written into {@code out} from index 0 without allocating; returns how many there
     * are, which may exceed {@code out.length} (then only the first {@code out.length} are written).
     */
    public int pathAsns(long[] out) {
        int n = 0;
        for (int i = 0; i < runs.length; i += 2 + runs[i + 1]) {
            int type = runs[i];
            if (type == AS_CONFED_SEQUENCE || type == AS_CONFED_SET) {
                continue;
            }
            for (int k = 0, c = runs[i + 1]; k < c; k++, n++) {
                if (n < out.length) {
                    out[n] = Integer.toUnsignedLong(runs[i + 2 + k]);
                }
            }
        }
        return n;
    }

    /**
     * {@link #pathAsns} over an AS_PATH value as received ({@code len} octets at {@code off} in
     * {@code b}, ASNs of {@code asnSize} = 2 or 4 octets), without building the path. The value
     * must have passed the decoder's checks; a truncated segment ends the walk.
     */
    public static int pathAsns(byte[] b, int off, int len, int asnSize, long[] out) {
        int n = 0;
        int end = off + len;
        for (int i = off; i + 2 <= end;) {
            int type = b[i] & 0xff;
            int count = b[i + 1] & 0xff;
            i += 2;
            if (i + count * asnSize > end) {
                break;
            }
            if (type == AS_CONFED_SEQUENCE || type == AS_CONFED_SET) {
                i += count * asnSize;
                continue;
            }
            for (int k = 0; k < count; k++, n++, i += asnSize) {
                if (n < out.length) {
                    out[n] = asnSize == 4
                            ? Integer.toUnsignedLong((b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16
                                    | (b[i + 2] & 0xff) << 8 | b[i + 3] & 0xff)
                            : (b[i] & 0xff) << 8 | b[i + 1] & 0xff;
                }
            }
        }
        return n;
    }

    /** {@link #length} over an AS_PATH value as received (see {@link #pathAsns(byte[], int, int, int, long[])}). */
    public static int length(byte[] b, int off, int len, int asnSize) {
        int n = 0;
        int end = off + len;
        for (int i = off; i + 2 <= end;) {
            int type = b[i] & 0xff;
            int count = b[i + 1] & 0xff;
            i += 2 + count * asnSize;
            if (i > end) {
                break;
            }
            if (type == AS_SEQUENCE) {
                n += count;
            } else if (type == AS_SET) {
                n += 1;
            }
        }
        return n;
    }

    /** Every ASN in order, segment types flattened away. */
    public long[] asns() {
        int n = 0;
        for (int i = 0; i < runs.length; i += 2 + runs[i + 1]) {
            n += runs[i + 1];
        }
        long[] out = new long[n];
        int o = 0;
        for (int i = 0; i < runs.length; i += 2 + runs[i + 1]) {
            for (int k = 0; k < runs[i + 1]; k++) {
                out[o++] = Integer.toUnsignedLong(runs[i + 2 + k]);
            }
        }
        return out;
    }

    /**
     * Path length for best-path selection (RFC 4271 §9.1.2.2 a): an AS_SET counts 1, confederation
     * segments count 0 (RFC 5065 §5.3).
     */
    public int length() {
        int n = 0;
        for (int i = 0; i < runs.length; i += 2 + runs[i + 1]) {
            switch (runs[i]) {
                case AS_SEQUENCE -> n += runs[i + 1];
                case AS_SET -> n += 1;
                default -> { }
            }
        }
        return n;
    }

    /** The origin AS: last ASN of a final AS_SEQUENCE, or -1 when the path ends in a set or is empty. */
    public long originAs() {
        long origin = -1;
        for (int i = 0; i < runs.length; i += 2 + runs[i + 1]) {
            int count = runs[i + 1];
            if (runs[i] == AS_SEQUENCE && count > 0) {
                origin = Integer.toUnsignedLong(runs[i + 1 + count]);
            } else if (runs[i] == AS_SET) {
                origin = -1;
            }
        }
        return origin;
    }

    /** The neighbor AS: first ASN of a leading AS_SEQUENCE, or -1. */
    public long firstAs() {
        for (int i = 0; i < runs.length; i += 2 + runs[i + 1]) {
            if (runs[i] == AS_SEQUENCE && runs[i + 1] > 0) {
                return Integer.toUnsignedLong(runs[i + 2]);
            }
            if (runs[i] != AS_CONFED_SEQUENCE && runs[i] != AS_CONFED_SET) {
                return -1;
            }
        }
        return -1;
    }

    public boolean hasConfederationSegments() {
        for (int i = 0; i < runs.length; i += 2 + runs[i + 1]) {
            if (runs[i] == AS_CONFED_SEQUENCE || runs[i] == AS_CONFED_SET) {
                return true;
            }
        }
        return false;
    }

    /**
     * RFC 6793 §4.2.3: the path a 2-octet session really carried. If AS_PATH has fewer ASNs than
     * AS4_PATH (counting per §4.2.3: a set counts 1, confederation segments 0), AS4_PATH is
     * ignored; otherwise the leading ASNs of AS_PATH are kept and AS4_PATH is appended. A
     * confederation segment is kept when it leads the path or follows a kept segment (AS4_PATH
     * never carries one, RFC 6793 §3).
     */
    public static AsPath reconstruct(AsPath asPath, AsPath as4Path) {
        if (as4Path == null) {
            return asPath;
        }
        int n2 = asPath.length();
        int n4 = as4Path.length();
        if (n2 < n4) {
            return asPath;
        }
        int keep = n2 - n4;
        int[] r = asPath.runs;
        int[] out = new int[r.length + as4Path.runs.length];
        int o = 0;
        for (int i = 0; i < r.length; i += 2 + r[i + 1]) {
            int type = r[i];
            int count = r[i + 1];
            if (type == AS_CONFED_SEQUENCE || type == AS_CONFED_SET) {
                // leading, or adjacent to a prepended segment (i == 0 or the last one was kept)
                System.arraycopy(r, i, out, o, 2 + count);
                o += 2 + count;
            } else if (keep == 0) {
                break;
            } else if (type == AS_SET) {
                System.arraycopy(r, i, out, o, 2 + count);
                o += 2 + count;
                keep--;
            } else {
                int take = Math.min(count, keep);
                out[o++] = type;
                out[o++] = take;
                System.arraycopy(r, i + 2, out, o, take);
                o += take;
                keep -= take;
            }
        }
        System.arraycopy(as4Path.runs, 0, out, o, as4Path.runs.length);
        o += as4Path.runs.length;
        return new AsPath(AttributeCode.AS_PATH, Arrays.copyOf(out, o));
    }

    /**
     * RIS Live shape: AS_SEQUENCE members flattened, each AS_SET a nested array in ascending
     * order. Confederation segments are not part of it; see {@link #formatConfederation}.
     */
    @Override
    public void format(FieldWriter w) {
        w.startArray();
        for (int i = 0; i < runs.length; i += 2 + runs[i + 1]) {
            int type = runs[i];
            int count = runs[i + 1];
            if (type == AS_SEQUENCE) {
                for (int k = 0; k < count; k++) {
                    w.valueUnsigned(runs[i + 2 + k]);
                }
            } else if (type == AS_SET) {
                writeSorted(w, i + 2, count);
            }
        }
        w.endArray();
    }

    /** Confederation segments in the same shape (RFC 5065), for the {@code confed_path} field. */
    public void formatConfederation(FieldWriter w) {
        w.startArray();
        for (int i = 0; i < runs.length; i += 2 + runs[i + 1]) {
            int type = runs[i];
            int count = runs[i + 1];
            if (type == AS_CONFED_SEQUENCE) {
                for (int k = 0; k < count; k++) {
                    w.valueUnsigned(runs[i + 2 + k]);
                }
            } else if (type == AS_CONFED_SET) {
                writeSorted(w, i + 2, count);
            }
        }
        w.endArray();
    }

    private void writeSorted(FieldWriter w, int from, int count) {
        long[] set = new long[count];
        for (int k = 0; k < count; k++) {
            set[k] = Integer.toUnsignedLong(runs[from + k]);
        }
        Arrays.sort(set);
        w.startArray();
        for (long a : set) {
            w.value(a);
        }
        w.endArray();
    }

    /**
     * Text as bgpdump prints it: {@code 64500 64501 {64502,64503}}, confederation sequences in
     * parentheses and confederation sets in brackets.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < runs.length; i += 2 + runs[i + 1]) {
            int type = runs[i];
            int count = runs[i + 1];
            if (sb.length() > 0) {
                sb.append(' ');
            }
            String open = switch (type) {
                case AS_SET -> "{";
                case AS_CONFED_SEQUENCE -> "(";
                case AS_CONFED_SET -> "[";
                default -> "";
            };
            String sep = type == AS_SET || type == AS_CONFED_SET ? "," : " ";
            sb.append(open);
            for (int k = 0; k < count; k++) {
                if (k > 0) {
                    sb.append(sep);
                }
                sb.append(Integer.toUnsignedLong(runs[i + 2 + k]));
            }
            sb.append(switch (type) {
                case AS_SET -> "}";
                case AS_CONFED_SEQUENCE -> ")";
                case AS_CONFED_SET -> "]";
                default -> "";
            });
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AsPath p && p.code == code && Arrays.equals(p.runs, runs);
    }

    @Override
    public int hashCode() {
        return code * 31 + Arrays.hashCode(runs);
    }
}
