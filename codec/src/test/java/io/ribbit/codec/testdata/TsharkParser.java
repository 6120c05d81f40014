package io.ribbit.codec.testdata;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.ribbit.codec.testdata.TsharkOracle.Message;
import io.ribbit.codec.testdata.TsharkOracle.Mp;
import io.ribbit.codec.testdata.TsharkOracle.Prefix;
import io.ribbit.codec.testdata.TsharkOracle.Segment;
import io.ribbit.codec.testdata.TsharkOracle.Update;

/**
 * Line-by-line state machine behind {@link TsharkOracle#parse}. tshark {@code -V} indents by 4 spaces
 * per tree level: 0 frame summaries and {@code Border Gateway Protocol - X Message}, 4 message fields
 * and the {@code Withdrawn Routes} / {@code Path attributes} / {@code Network Layer Reachability
 * Information (NLRI)} sections, 8 prefixes and {@code Path Attribute - NAME: summary}, 12 attribute
 * fields (incl. MP_REACH/MP_UNREACH AFI, SAFI, next hop, NLRI list, AS path segments), 16 their
 * children, 20 the children of a VPN {@code BGP Prefix} entry. Unknown lines are ignored.
 */
final class TsharkParser {

    private static final Pattern TRAILING_CODE = Pattern.compile("\\((\\d+)\\)\\s*$");
    private static final Pattern FRAME = Pattern.compile("^Frame (\\d+):");
    private static final Pattern IP = Pattern.compile("^Internet Protocol Version \\d, Src: (\\S+), Dst: (\\S+)");
    private static final Pattern TCP = Pattern.compile("^Transmission Control Protocol, Src Port: (\\d+), Dst Port: (\\d+)");
    private static final Pattern PREFIX_LINE = Pattern.compile("^(\\S+/\\d+)(?:\\s+PathId\\s+(\\d+))?\\s*$");
    private static final Pattern AS_LINE = Pattern.compile("^AS[24]?: (\\d+)");
    private static final Pattern HEX_COMMUNITY = Pattern.compile("\\(0x([0-9a-fA-F]{8})\\)");

    final List<String> comments = new ArrayList<>();
    final List<Message> out = new ArrayList<>();
    Long frame;
    String src, dst;
    Integer sport, dport;
    MB m;
    String section = "";      // level-4 section: WD, NLRI, ATTRS, OPTS
    String attr = "";         // current attribute name
    String sub = "";          // level-12 sub-section inside an attribute
    MpB mp;
    SegB seg;
    List<SegB> segTarget;
    boolean inCapability;
    String bgpPrefixLen, bgpPrefixLabels, bgpPrefixRd, bgpPrefixAddr, bgpPrefixFamily;

    void line(String raw) {
        if (raw.startsWith("#")) {
            comments.add(raw);
            return;
        }
        int ind = 0;
        while (ind < raw.length() && raw.charAt(ind) == ' ') {
            ind++;
        }
        String t = raw.strip();
        if (t.isEmpty()) {
            return;
        }
        if (ind == 0) {
            top(t);
            return;
        }
        if (m == null) {
            return;
        }
        if (t.startsWith("[Expert Info (Error/Malformed") || t.contains("[Malformed Packet")) {
            m.malformed = true;
        }
        if (t.startsWith("[")) {
            return;
        }
        if (ind == 4) {
            level4(t);
        } else if (ind == 8) {
            level8(t);
        } else if (ind == 12) {
            level12(t);
        } else if (ind == 16) {
            level16(t);
        } else if (ind == 20) {
            level20(t);
        }
    }

    void top(String t) {
        Matcher x;
        if ((x = FRAME.matcher(t)).find()) {
            finishMessage();
            frame = Long.parseLong(x.group(1));
            src = dst = null;
            sport = dport = null;
        } else if ((x = IP.matcher(t)).find()) {
            src = x.group(1);
            dst = x.group(2);
        } else if ((x = TCP.matcher(t)).find()) {
            sport = Integer.valueOf(x.group(1));
            dport = Integer.valueOf(x.group(2));
        } else if (t.startsWith("Border Gateway Protocol")) {
            finishMessage();
            m = new MB();
        } else if (t.contains("[Malformed Packet") && m != null) {
            m.malformed = true;
        }
    }

    void level4(String t) {
        finishBgpPrefix();
        section = "";
        attr = "";
        sub = "";
        if (t.startsWith("Type:")) {
            m.type = code(t);
        } else if (t.startsWith("Length:")) {
            m.length = (int) num(t);
        } else if (t.startsWith("My AS:")) {
            m.myAs = num(t);
        } else if (t.startsWith("Hold Time:")) {
            m.holdTime = (int) num(t);
        } else if (t.startsWith("BGP Identifier:")) {
            m.bgpId = val(t);
        } else if (t.startsWith("Major error Code")) {
            m.errorCode = code(t);
        } else if (t.startsWith("Minor error Code")) {
            m.errorSubcode = code(t);
        } else if (t.startsWith("Address family identifier")) {
            m.afi = code(t);
        } else if (t.startsWith("Subsequent address family identifier")) {
            m.safi = code(t);
        } else if (t.equals("Withdrawn Routes")) {
            section = "WD";
        } else if (t.startsWith("Network Layer Reachability Information")) {
            section = "NLRI";
        } else if (t.equals("Path attributes")) {
            section = "ATTRS";
        } else if (t.equals("Optional Parameters")) {
            section = "OPTS";
        }
    }

    void level8(String t) {
        finishBgpPrefix();
        sub = "";
        if (section.equals("WD") || section.equals("NLRI")) {
            Matcher x = PREFIX_LINE.matcher(t);
            if (x.find()) {
                Prefix pf = new Prefix(x.group(1), x.group(2) == null ? null : Long.valueOf(x.group(2)));
                (section.equals("WD") ? m.withdrawn : m.nlri).add(pf);
            }
        } else if (section.equals("ATTRS") && t.startsWith("Path Attribute - ")) {
            String rest = t.substring("Path Attribute - ".length());
            int c = rest.indexOf(':');
            attr = (c < 0 ? rest : rest.substring(0, c)).strip();
            mp = null;
            seg = null;
            if (attr.equals("MP_REACH_NLRI") || attr.equals("MP_UNREACH_NLRI")) {
                mp = new MpB();
                (attr.equals("MP_REACH_NLRI") ? m.mpReach : m.mpUnreach).add(mp);
            } else if (attr.equals("AS_PATH")) {
                segTarget = m.asPath;
            } else if (attr.equals("AS4_PATH")) {
                segTarget = m.as4Path;
            }
        }
    }

    void level12(String t) {
        finishBgpPrefix();
        if (section.equals("OPTS")) {
            inCapability = t.startsWith("Capability:");
            return;
        }
        if (!section.equals("ATTRS")) {
            return;
        }
        sub = "";
        if (t.startsWith("Type Code:")) {
            m.attrTypes.add(code(t));
            return;
        }
        switch (attr) {
            case "ORIGIN" -> {
                if (t.startsWith("Origin:")) {
                    m.origin = code(t);
                }
            }
            case "AS_PATH", "AS4_PATH" -> {
                if (t.startsWith("AS Path segment")) {
                    seg = new SegB();
                    segTarget.add(seg);
                }
            }
            case "NEXT_HOP" -> {
                if (t.startsWith("Next hop:")) {
                    m.nextHop = val(t);
                }
            }
            case "MULTI_EXIT_DISC" -> {
                if (t.startsWith("Multiple exit discriminator:")) {
                    m.med = num(t);
                }
            }
            case "LOCAL_PREF" -> {
                if (t.startsWith("Local preference:")) {
                    m.localPref = num(t);
                }
            }
            case "AGGREGATOR" -> {
                if (t.startsWith("Aggregator AS:")) {
                    m.aggregatorAs = num(t);
                } else if (t.startsWith("Aggregator origin:")) {
                    m.aggregatorAddress = val(t);
                }
            }
            case "ORIGINATOR_ID" -> {
                if (t.startsWith("Originator identifier:")) {
                    m.originatorId = val(t);
                }
            }
            case "LARGE_COMMUNITY" -> {
                if (t.startsWith("Large communities:")) {
                    m.large.add(val(t));
                }
            }
            case "MP_REACH_NLRI", "MP_UNREACH_NLRI" -> {
                if (t.startsWith("Address family identifier")) {
                    mp.afi = code(t);
                } else if (t.startsWith("Subsequent address family identifier")) {
                    mp.safi = code(t);
                } else if (t.startsWith("Next hop")) {
                    mp.nextHopSummary = t.contains(":") ? val(t) : "";
                    sub = "NH";
                } else if (t.startsWith("Network Layer Reachability Information") || t.equals("Withdrawn Routes")) {
                    sub = "PFX";
                }
            }
            default -> { }
        }
    }

    void level16(String t) {
        if (section.equals("OPTS")) {
            if (inCapability && t.startsWith("Type:")) {
                m.caps.add(code(t));
                inCapability = false;
            }
            return;
        }
        if (!section.equals("ATTRS")) {
            return;
        }
        switch (attr) {
            case "AS_PATH", "AS4_PATH" -> {
                if (seg == null) {
                    return;
                }
                Matcher x = AS_LINE.matcher(t);
                if (t.startsWith("Segment type:")) {
                    seg.type = code(t);
                } else if (x.find()) {
                    seg.asns.add(Long.valueOf(x.group(1)));
                }
            }
            case "COMMUNITIES" -> {
                if (t.startsWith("Community:")) {
                    String v = val(t);
                    Matcher x = HEX_COMMUNITY.matcher(v);
                    if (!v.matches("\\d+:\\d+") && x.find()) {
                        long c = Long.parseLong(x.group(1), 16);
                        v = (c >>> 16) + ":" + (c & 0xffff);
                    }
                    m.communities.add(v);
                }
            }
            case "CLUSTER_LIST" -> {
                if (t.startsWith("Cluster ID:")) {
                    m.clusterList.add(val(t));
                }
            }
            case "MP_REACH_NLRI", "MP_UNREACH_NLRI" -> {
                if (sub.equals("NH")) {
                    if (t.matches("^(IPv4|IPv6|Link-local) Address: .*")) {
                        mp.nextHops.add(val(t));
                    }
                } else if (sub.equals("PFX")) {
                    finishBgpPrefix();
                    if (t.equals("BGP Prefix")) {
                        bgpPrefixFamily = "";
                        return;
                    }
                    if (t.startsWith("NLRI path id:")) {
                        return;
                    }
                    Matcher x = PREFIX_LINE.matcher(t);
                    mp.prefixes.add(x.find() ? new Prefix(x.group(1), x.group(2) == null ? null : Long.valueOf(x.group(2)))
                            : new Prefix(t, null));
                }
            }
            default -> { }
        }
    }

    void finishBgpPrefix() {
        if (bgpPrefixFamily == null) {
            return;
        }
        String s;
        try {
            int labels = bgpPrefixLabels == null ? 0 : bgpPrefixLabels.replaceAll("\\(.*\\)", "").split(",").length;
            int len = Integer.parseInt(bgpPrefixLen) - 64 - 24 * labels;
            s = "Label Stack=" + bgpPrefixLabels + " RD=" + bgpPrefixRd + ", " + bgpPrefixFamily + "=" + bgpPrefixAddr + "/" + len;
        } catch (RuntimeException e) {
            s = "BGP Prefix";
        }
        if (mp != null) {
            mp.prefixes.add(new Prefix(s, null));
        }
        bgpPrefixFamily = null;
        bgpPrefixLen = bgpPrefixLabels = bgpPrefixRd = bgpPrefixAddr = null;
    }

    /** Children of a "BGP Prefix" MP NLRI entry (VPN prefixes printed as a subtree). */
    void level20(String t) {
        if (bgpPrefixFamily == null) {
            return;
        }
        if (t.startsWith("Prefix Length:")) {
            bgpPrefixLen = val(t);
        } else if (t.startsWith("Label Stack:")) {
            bgpPrefixLabels = val(t);
        } else if (t.startsWith("Route Distinguisher:")) {
            bgpPrefixRd = val(t);
        } else if (t.startsWith("MP Reach NLRI IPv")) {
            bgpPrefixFamily = t.contains("IPv6") ? "IPv6" : "IPv4";
            bgpPrefixAddr = val(t);
        }
    }

    void finishMessage() {
        finishBgpPrefix();
        if (m == null) {
            return;
        }
        Update u = null;
        if (m.type == 2) {
            u = new Update(List.copyOf(m.withdrawn), List.copyOf(m.nlri), List.copyOf(m.attrTypes), m.origin,
                    segs(m.asPath), segs(m.as4Path), m.nextHop, m.med, m.localPref, List.copyOf(m.communities),
                    List.copyOf(m.large), m.aggregatorAs, m.aggregatorAddress, m.originatorId,
                    List.copyOf(m.clusterList), mps(m.mpReach), mps(m.mpUnreach));
        }
        out.add(new Message(out.size(), frame, src, sport, dst, dport, m.type, m.length, m.myAs, m.holdTime,
                m.bgpId, m.type == 1 ? List.copyOf(m.caps) : List.of(), m.errorCode, m.errorSubcode,
                m.type == 5 ? m.afi : null, m.type == 5 ? m.safi : null, u, m.malformed));
        m = null;
        section = attr = sub = "";
        mp = null;
        seg = null;
    }

    private static List<Segment> segs(List<SegB> l) {
        return l.stream().map(s -> new Segment(s.type, List.copyOf(s.asns))).toList();
    }

    private static List<Mp> mps(List<MpB> l) {
        return l.stream().map(x -> new Mp(x.afi, x.safi, x.nextHopSummary, List.copyOf(x.nextHops),
                List.copyOf(x.prefixes))).toList();
    }

    private static final class MB {
        int type = -1, length = -1;
        Long myAs, med, localPref, aggregatorAs;
        Integer holdTime, errorCode, errorSubcode, afi, safi, origin;
        String bgpId, nextHop, aggregatorAddress, originatorId;
        boolean malformed;
        final List<Integer> caps = new ArrayList<>(), attrTypes = new ArrayList<>();
        final List<Prefix> withdrawn = new ArrayList<>(), nlri = new ArrayList<>();
        final List<SegB> asPath = new ArrayList<>(), as4Path = new ArrayList<>();
        final List<String> communities = new ArrayList<>(), large = new ArrayList<>(), clusterList = new ArrayList<>();
        final List<MpB> mpReach = new ArrayList<>(), mpUnreach = new ArrayList<>();
    }

    private static final class MpB {
        int afi = -1, safi = -1;
        String nextHopSummary;
        final List<String> nextHops = new ArrayList<>();
        final List<Prefix> prefixes = new ArrayList<>();
    }

    private static final class SegB {
        int type = -1;
        final List<Long> asns = new ArrayList<>();
    }

    /** Value after the first ": ", trimmed. */
    static String val(String t) {
        int c = t.indexOf(": ");
        return c < 0 ? "" : t.substring(c + 2).strip();
    }

    /** Leading integer of the value. */
    static long num(String t) {
        Matcher x = Pattern.compile("^(\\d+)").matcher(val(t));
        return x.find() ? Long.parseLong(x.group(1)) : -1;
    }

    /** Trailing "(N)" of the line, or -1. */
    static int code(String t) {
        Matcher x = TRAILING_CODE.matcher(t);
        return x.find() ? Integer.parseInt(x.group(1)) : -1;
    }
}
