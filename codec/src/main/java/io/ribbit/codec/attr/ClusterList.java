package io.ribbit.codec.attr;

import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.codec.text.FieldWriter;
import java.util.Arrays;

/** CLUSTER_LIST (RFC 4456 §8), type code 10: a sequence of 4-octet cluster ids. */
public record ClusterList(int[] ids) implements PathAttribute {
    public ClusterList {
        ids = ids.clone();
    }

    @Override
    public int[] ids() {
        return ids.clone();
    }

    public int size() {
        return ids.length;
    }

    @Override
    public int code() {
        return AttributeCode.CLUSTER_LIST;
    }

    @Override
    public void format(FieldWriter w) {
        w.startArray();
        for (int id : ids) {
            w.value(PrefixList.appendIpv4(id, new StringBuilder(15)).toString());
        }
        w.endArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterList c && Arrays.equals(c.ids, ids);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return "ClusterList" + Arrays.toString(ids);
    }
}
