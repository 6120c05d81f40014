package io.ribbit.codec.message;

import io.ribbit.codec.capability.Capability;
import io.ribbit.codec.nlri.PrefixList;
import io.ribbit.codec.text.Hex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * OPEN (RFC 4271 §4.2): version, My Autonomous System (2 octets; AS_TRANS when the real ASN is
 * 4-octet, RFC 6793 §4.1), Hold Time, BGP Identifier, and optional parameters. Capabilities
 * (parameter type 2, RFC 5492) are decoded; any other parameter is kept raw. RFC 9072 extended
 * optional parameter lengths are read, and used on encode when the parameters need them.
 */
public final class OpenMessage implements BgpMessage {
    /** An optional parameter other than Capabilities, kept as type and raw value. */
    public record Parameter(int type, byte[] value) {
        public Parameter {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Parameter p && p.type == type && Arrays.equals(p.value, value);
        }

        @Override
        public int hashCode() {
            return type * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Parameter[" + type + ", " + Hex.encode(value) + "]";
        }
    }

    public static final int VERSION = 4;

    private final int version;
    private final int myAs;
    private final int holdTime;
    private final int bgpIdentifier;
    private final List<Capability> capabilities;
    private final List<Parameter> parameters;
    private final boolean extendedParameters;

    public OpenMessage(int version, int myAs, int holdTime, int bgpIdentifier, List<Capability> capabilities,
            List<Parameter> parameters, boolean extendedParameters) {
        this.version = version;
        this.myAs = myAs;
        this.holdTime = holdTime;
        this.bgpIdentifier = bgpIdentifier;
        this.capabilities = List.copyOf(capabilities);
        this.parameters = List.copyOf(parameters);
        this.extendedParameters = extendedParameters;
    }

    /** An OPEN as a speaker sends it: version 4, no other parameters. */
    public static OpenMessage of(long asn, int holdTime, int bgpIdentifier, List<Capability> capabilities) {
        int myAs = asn > 0xffff ? io.ribbit.codec.attr.AsPath.AS_TRANS : (int) asn;
        return new OpenMessage(VERSION, myAs, holdTime, bgpIdentifier, capabilities, List.of(), false);
    }

    @Override
    public MessageType type() {
        return MessageType.OPEN;
    }

    public int version() {
        return version;
    }

    /** The 2-octet My Autonomous System field. */
    public int myAs() {
        return myAs;
    }

    /** The speaker's ASN: the 4-octet AS capability if present (RFC 6793 §4.1), else My AS. */
    public long asn() {
        for (Capability c : capabilities) {
            if (c instanceof Capability.FourOctetAs a) {
                return a.asn();
            }
        }
        return myAs;
    }

    public int holdTime() {
        return holdTime;
    }

    public int bgpIdentifier() {
        return bgpIdentifier;
    }

    public String bgpIdentifierText() {
        return PrefixList.appendIpv4(bgpIdentifier, new StringBuilder(15)).toString();
    }

    public List<Capability> capabilities() {
        return capabilities;
    }

    /** Capabilities with {@code code}, in order. */
    public List<Capability> capabilities(int code) {
        List<Capability> out = new ArrayList<>(2);
        for (Capability c : capabilities) {
            if (c.code() == code) {
                out.add(c);
            }
        }
        return out;
    }

    public boolean hasCapability(int code) {
        for (Capability c : capabilities) {
            if (c.code() == code) {
                return true;
            }
        }
        return false;
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    /** Whether the RFC 9072 extended optional parameters encoding was used. */
    public boolean extendedParameters() {
        return extendedParameters;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpenMessage m && m.version == version && m.myAs == myAs && m.holdTime == holdTime
                && m.bgpIdentifier == bgpIdentifier && m.capabilities.equals(capabilities)
                && m.parameters.equals(parameters);
    }

    @Override
    public int hashCode() {
        return ((version * 31 + myAs) * 31 + holdTime) * 31 + bgpIdentifier;
    }

    @Override
    public String toString() {
        return "OPEN v" + version + " as " + asn() + " hold " + holdTime + " id " + bgpIdentifierText() + " "
                + capabilities + (parameters.isEmpty() ? "" : " " + parameters);
    }
}
