package io.ribbit.codec.capability;

import io.ribbit.codec.nlri.AfiSafi;
import io.ribbit.codec.text.FieldWriter;
import io.ribbit.codec.text.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A BGP capability (RFC 5492 §4) advertised in OPEN. One record per capability we decode; any
 * other code is kept as {@link Unknown} with its raw value. Names follow the IANA registry.
 */
public sealed interface Capability {
    int MULTIPROTOCOL = 1; // RFC 4760 §8
    int ROUTE_REFRESH = 2; // RFC 2918
    int EXTENDED_NEXT_HOP = 5; // RFC 8950
    int EXTENDED_MESSAGE = 6; // RFC 8654
    int BGP_ROLE = 9; // RFC 9234
    int GRACEFUL_RESTART = 64; // RFC 4724
    int FOUR_OCTET_AS = 65; // RFC 6793
    int ADD_PATH = 69; // RFC 7911
    int ENHANCED_ROUTE_REFRESH = 70; // RFC 7313
    int LONG_LIVED_GRACEFUL_RESTART = 71; // RFC 9494
    int FQDN = 73; // draft-walton-bgp-hostname-capability
    int SOFTWARE_VERSION = 75; // draft-abraitis-bgp-version-capability
    int ROUTE_REFRESH_CISCO = 128; // pre-standard route refresh

    int code();

    /** The name in events ({@code multiprotocol}, {@code asn4}, …). */
    String name();

    /** Writes the capability's fields (not its name) into an open object. */
    void formatFields(FieldWriter w);

    /** RFC 4760 §8: one family per capability. */
    record Multiprotocol(AfiSafi family) implements Capability {
        public int code() {
            return MULTIPROTOCOL;
        }

        public String name() {
            return "multiprotocol";
        }

        public void formatFields(FieldWriter w) {
            w.name("family").value(family.name());
        }
    }

    /** RFC 2918 (code 2), or the pre-standard code 128. */
    record RouteRefresh(int code) implements Capability {
        public String name() {
            return code == ROUTE_REFRESH ? "route-refresh" : "route-refresh-cisco";
        }

        public void formatFields(FieldWriter w) {
        }
    }

    /** RFC 8950 §3: NLRI family → next-hop AFI. */
    record ExtendedNextHop(List<Entry> entries) implements Capability {
        public record Entry(AfiSafi family, int nextHopAfi) {
        }

        public ExtendedNextHop {
            entries = List.copyOf(entries);
        }

        public int code() {
            return EXTENDED_NEXT_HOP;
        }

        public String name() {
            return "extended-next-hop";
        }

        public void formatFields(FieldWriter w) {
            w.name("families").startArray();
            for (Entry e : entries) {
                w.startObject().name("family").value(e.family().name()).name("next_hop_afi")
                        .value(AfiSafi.of(e.nextHopAfi(), 1).afiName()).endObject();
            }
            w.endArray();
        }
    }

    /** RFC 8654: Extended Message support. */
    record ExtendedMessage() implements Capability {
        public int code() {
            return EXTENDED_MESSAGE;
        }

        public String name() {
            return "extended-message";
        }

        public void formatFields(FieldWriter w) {
        }
    }

    /** RFC 9234 §4.1: the speaker's role. */
    record BgpRole(int role) implements Capability {
        public static final int PROVIDER = 0;
        public static final int ROUTE_SERVER = 1;
        public static final int ROUTE_SERVER_CLIENT = 2;
        public static final int CUSTOMER = 3;
        public static final int PEER = 4;

        public int code() {
            return BGP_ROLE;
        }

        public String name() {
            return "role";
        }

        public static String roleName(int role) {
            return switch (role) {
                case PROVIDER -> "provider";
                case ROUTE_SERVER -> "rs";
                case ROUTE_SERVER_CLIENT -> "rs-client";
                case CUSTOMER -> "customer";
                case PEER -> "peer";
                default -> "role-" + role;
            };
        }

        public void formatFields(FieldWriter w) {
            w.name("role").value(roleName(role));
        }
    }

    /** RFC 4724 §3: restart flags (R, N), restart time, and per family the F (forwarding) bit. */
    record GracefulRestart(int flags, int restartTime, List<Family> families) implements Capability {
        public static final int FLAG_RESTART = 0x8;
        public static final int FLAG_NOTIFICATION = 0x4; // RFC 8538

        public record Family(AfiSafi family, int flags) {
            public boolean forwardingPreserved() {
                return (flags & 0x80) != 0;
            }
        }

        public GracefulRestart {
            families = List.copyOf(families);
        }

        public int code() {
            return GRACEFUL_RESTART;
        }

        public String name() {
            return "graceful-restart";
        }

        public boolean restarting() {
            return (flags & FLAG_RESTART) != 0;
        }

        public void formatFields(FieldWriter w) {
            w.name("restart_flags").value(flags).name("restart_time").value(restartTime).name("families").startArray();
            for (Family f : families) {
                w.startObject().name("family").value(f.family().name()).name("forwarding_preserved")
                        .value(f.forwardingPreserved()).endObject();
            }
            w.endArray();
        }
    }

    /** RFC 6793 §3. */
    record FourOctetAs(long asn) implements Capability {
        public int code() {
            return FOUR_OCTET_AS;
        }

        public String name() {
            return "asn4";
        }

        public void formatFields(FieldWriter w) {
            w.name("asn4").value(asn);
        }
    }

    /** RFC 7911 §4: per family, 1 receive, 2 send, 3 both. */
    record AddPath(List<Family> families) implements Capability {
        public static final int RECEIVE = 1;
        public static final int SEND = 2;
        public static final int BOTH = 3;

        public record Family(AfiSafi family, int sendReceive) {
            public boolean canReceive() {
                return (sendReceive & RECEIVE) != 0;
            }

            public boolean canSend() {
                return (sendReceive & SEND) != 0;
            }
        }

        public AddPath {
            families = List.copyOf(families);
        }

        public int code() {
            return ADD_PATH;
        }

        public String name() {
            return "add-path";
        }

        public void formatFields(FieldWriter w) {
            w.name("families").startArray();
            for (Family f : families) {
                String sr = switch (f.sendReceive()) {
                    case RECEIVE -> "receive";
                    case SEND -> "send";
                    case BOTH -> "send-receive";
                    default -> "invalid-" + f.sendReceive();
                };
                w.startObject().name("family").value(f.family().name()).name("send_receive").value(sr).endObject();
            }
            w.endArray();
        }
    }

    /** RFC 7313 §3. */
    record EnhancedRouteRefresh() implements Capability {
        public int code() {
            return ENHANCED_ROUTE_REFRESH;
        }

        public String name() {
            return "enhanced-route-refresh";
        }

        public void formatFields(FieldWriter w) {
        }
    }

    /** RFC 9494 §2: per family flags and a 24-bit long-lived stale time in seconds. */
    record LongLivedGracefulRestart(List<Family> families) implements Capability {
        public record Family(AfiSafi family, int flags, int staleTime) {
        }

        public LongLivedGracefulRestart {
            families = List.copyOf(families);
        }

        public int code() {
            return LONG_LIVED_GRACEFUL_RESTART;
        }

        public String name() {
            return "long-lived-graceful-restart";
        }

        public void formatFields(FieldWriter w) {
            w.name("families").startArray();
            for (Family f : families) {
                w.startObject().name("family").value(f.family().name()).name("forwarding_preserved")
                        .value((f.flags() & 0x80) != 0).name("stale_time").value(f.staleTime()).endObject();
            }
            w.endArray();
        }
    }

    /** Hostname and domain name (draft-walton-bgp-hostname-capability). */
    record Fqdn(String hostname, String domain) implements Capability {
        public int code() {
            return FQDN;
        }

        public String name() {
            return "fqdn";
        }

        public void formatFields(FieldWriter w) {
            w.name("hostname").value(hostname).name("domain").value(domain);
        }
    }

    /** Software version string (draft-abraitis-bgp-version-capability). */
    record SoftwareVersion(String version) implements Capability {
        public int code() {
            return SOFTWARE_VERSION;
        }

        public String name() {
            return "software-version";
        }

        public void formatFields(FieldWriter w) {
            w.name("version").value(version);
        }
    }

    /** Any capability this codec does not decode: code and raw value. */
    record Unknown(int code, byte[] value) implements Capability {
        public Unknown {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        public String name() {
            return "unknown";
        }

        public void formatFields(FieldWriter w) {
            w.name("hex").value(Hex.encode(value));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unknown u && u.code == code && Arrays.equals(u.value, value);
        }

        @Override
        public int hashCode() {
            return code * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Unknown[" + code + ", " + Hex.encode(value) + "]";
        }
    }

    /** UTF-8 text, bad sequences replaced (for FQDN and version strings). */
    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
