package io.ribbit.codec.testdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parses {@code *.tshark-bgp-decode.txt} files: the text of {@code tshark -r X -Y bgp -O bgp -V}
 * (tshark 4.0.17). Only the BGP tree is expanded; each frame starts with {@code Frame N:} and one-line
 * summaries {@code Internet Protocol Version 4, Src: A, Dst: B} and {@code Transmission Control
 * Protocol, Src Port: P, Dst Port: Q, ...}, followed by one {@code Border Gateway Protocol - X Message}
 * tree per BGP message (a frame may carry several; a message split over segments appears in the
 * frame that completes it). The ExaBGP vector decodes have no frame lines (direction unknown).
 *
 * <p>Fields are taken from fixed indentation levels (4 = message, 8 = attribute / prefix, 12 =
 * attribute field, 16 = sub-field). Anything not recognised is ignored; fields tshark does not print
 * stay {@code null} or empty.
 *
 * <p>Known tshark mistakes (SOURCES.md caveat 5 and own findings): tshark guesses ADD-PATH per
 * message, so it reports path ids for NLRI that are not ADD-PATH encoded (e.g. ExaBGP
 * {@code ipv4-unicast-1}: four {@code 0.0.0.0/0} + {@code 1.1.1.1/32} are shown as one
 * {@code 1.1.1.1/32 PathId 0}; {@code bgp-evpn-1} shows {@code NLRI path id: 0}), and it flags
 * ADD-PATH, SR-policy, SRv6-MUP, MVPN and some flowspec vectors as malformed. Trust it only for
 * classic attributes/AFIs.
 */
public final class TsharkOracle {

    private TsharkOracle() {}

    /** A prefix as printed by tshark ({@code "10.0.0.0/8"}, or a summary such as {@code "Label Stack=16 (bottom) RD=65000:100, IPv6=2001:1::/124"}) and the ADD-PATH id tshark showed, if any. */
    public record Prefix(String prefix, Long pathId) {
        @Override
        public String toString() {
            return pathId == null ? prefix : prefix + " PathId " + pathId;
        }
    }

    /** One AS_PATH / AS4_PATH segment: type 1 AS_SET, 2 AS_SEQUENCE, 3 AS_CONFED_SEQUENCE, 4 AS_CONFED_SET. */
    public record Segment(int type, List<Long> asns) {}

    /**
     * MP_REACH_NLRI or MP_UNREACH_NLRI. {@code nextHopSummary} is the text after {@code Next hop:}
     * (e.g. {@code "IPv6=2001:db8::2 Link-local=fe80::..."}, or {@code "RD=0:0 IPv4=1.2.3.4"});
     * {@code nextHops} are the individual {@code IPv4/IPv6/Link-local Address} values.
     */
    public record Mp(int afi, int safi, String nextHopSummary, List<String> nextHops, List<Prefix> prefixes) {}

    /** UPDATE contents. {@code attributeTypes} are the type codes in order of appearance. */
    public record Update(List<Prefix> withdrawn, List<Prefix> nlri, List<Integer> attributeTypes, Integer origin,
            List<Segment> asPath, List<Segment> as4Path, String nextHop, Long med, Long localPref,
            List<String> communities, List<String> largeCommunities, Long aggregatorAs, String aggregatorAddress,
            String originatorId, List<String> clusterList, List<Mp> mpReach, List<Mp> mpUnreach) {
        public boolean atomicAggregate() {
            return attributeTypes.contains(6);
        }

        public List<String> withdrawnPrefixes() {
            return withdrawn.stream().map(Prefix::prefix).toList();
        }

        public List<String> nlriPrefixes() {
            return nlri.stream().map(Prefix::prefix).toList();
        }
    }

    /**
     * One BGP message. {@code index} counts messages in the file from 0. Frame/address fields are
     * null for the ExaBGP vector decodes. OPEN: {@code myAs} (the 2-octet field), {@code holdTime},
     * {@code bgpIdentifier}, {@code capabilities} (codes in order). NOTIFICATION: {@code errorCode},
     * {@code errorSubcode}. ROUTE-REFRESH: {@code afi}, {@code safi}. UPDATE: {@code update}.
     * {@code malformed}: tshark printed an Error/Malformed expert info or {@code [Malformed Packet]}.
     */
    public record Message(int index, Long frame, String srcAddr, Integer srcPort, String dstAddr, Integer dstPort,
            int type, int length, Long myAs, Integer holdTime, String bgpIdentifier, List<Integer> capabilities,
            Integer errorCode, Integer errorSubcode, Integer afi, Integer safi, Update update, boolean malformed) {
        /** {@code "src:port->dst:port"} (IPv6 in brackets), or null when tshark printed no frame. */
        public String directionKey() {
            return srcAddr == null || srcPort == null ? null : TsharkOracle.directionKey(srcAddr, srcPort, dstAddr, dstPort);
        }
    }

    /** A parsed decode file. */
    public record Decode(Path file, List<String> comments, List<Message> messages) {
        /** Messages grouped by {@link Message#directionKey()} (insertion order); key null = no frame info. */
        public Map<String, List<Message>> byDirection() {
            Map<String, List<Message>> m = new LinkedHashMap<>();
            for (Message x : messages) {
                m.computeIfAbsent(x.directionKey(), k -> new ArrayList<>()).add(x);
            }
            return m;
        }

        public List<Message> forDirection(String key) {
            return messages.stream().filter(x -> key.equals(x.directionKey())).toList();
        }

        /** Message type → count. */
        public Map<Integer, Integer> countByType() {
            Map<Integer, Integer> m = new TreeMap<>();
            messages.forEach(x -> m.merge(x.type(), 1, Integer::sum));
            return m;
        }
    }

    /** Direction key shared with {@link HexStreams.Stream#directionKey()}. */
    public static String directionKey(String src, int sport, String dst, int dport) {
        return bracket(src) + ":" + sport + "->" + bracket(dst) + ":" + dport;
    }

    private static String bracket(String a) {
        return a != null && a.contains(":") ? "[" + a + "]" : a;
    }

    /** Parses a decode file. */
    public static Decode load(Path file) {
        try {
            return parse(file, Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses decode text (lines as in the file). */
    public static Decode parse(Path file, List<String> lines) {
        TsharkParser p = new TsharkParser();
        for (String raw : lines) {
            p.line(raw);
        }
        p.finishMessage();
        return new Decode(file, List.copyOf(p.comments), List.copyOf(p.out));
    }
}
