package io.ribbit.codec.nlri;

import java.util.Arrays;

/**
 * NLRI of a family this codec does not decode into prefixes (flowspec, EVPN, BGP-LS, …), kept
 * as the exact bytes the peer sent, so nothing is lost and it can be re-encoded unchanged.
 */
public record RawNlri(AfiSafi afiSafi, byte[] bytes) implements Nlri {
    public RawNlri {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public boolean isEmpty() {
        return bytes.length == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawNlri r && r.afiSafi.equals(afiSafi) && Arrays.equals(r.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return afiSafi.hashCode() * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "RawNlri[" + afiSafi + ", " + bytes.length + " bytes]";
    }
}
