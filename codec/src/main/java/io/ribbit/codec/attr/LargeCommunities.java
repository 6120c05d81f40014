package io.ribbit.codec.attr;

import io.ribbit.codec.text.FieldWriter;
import java.util.Arrays;

/**
 * LARGE_COMMUNITY (RFC 8092, code 32): 12-octet values (Global Administrator, Local Data Part 1,
 * Local Data Part 2), each an unsigned 32-bit number. Formatted as {@code [[g, l1, l2], ...]}.
 */
public final class LargeCommunities implements PathAttribute {
    private final int[] triples;

    /** Takes ownership of {@code triples} (3 ints per community). */
    LargeCommunities(int[] triples) {
        this.triples = triples;
    }

    public static LargeCommunities of(long... parts) {
        if (parts.length % 3 != 0) {
            throw new IllegalArgumentException("large communities come in triples");
        }
        int[] t = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            t[i] = (int) parts[i];
        }
        return new LargeCommunities(t);
    }

    @Override
    public int code() {
        return AttributeCode.LARGE_COMMUNITY;
    }

    public int size() {
        return triples.length / 3;
    }

    int[] triples() {
        return triples;
    }

    /** Part {@code part} (0 global, 1, 2 local) of community {@code i}. */
    public long get(int i, int part) {
        return Integer.toUnsignedLong(triples[3 * i + part]);
    }

    @Override
    public void format(FieldWriter w) {
        w.startArray();
        for (int i = 0; i < triples.length; i += 3) {
            w.startArray().valueUnsigned(triples[i]).valueUnsigned(triples[i + 1]).valueUnsigned(triples[i + 2])
                    .endArray();
        }
        w.endArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LargeCommunities c && Arrays.equals(c.triples, triples);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(triples);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(get(i, 0)).append(':').append(get(i, 1)).append(':').append(get(i, 2));
        }
        return sb.toString();
    }
}
