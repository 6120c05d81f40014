package io.ribbit.collector.interop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BIRD 2 ({@code bird}, {@code birdc}) from Debian's bird2 package.
 *
 * <p>Run as {@code bird -f -c DIR/bird.conf -s DIR/bird.ctl -P DIR/bird.pid} (foreground, private
 * control socket, logging to stderr). BIRD has no runtime route API, so announced routes live in
 * two files included by static protocols ({@code DIR/routes4.conf}, {@code DIR/routes6.conf});
 * {@link #announce}/{@link #withdraw} rewrite them and run {@code birdc configure}, which only
 * re-exports what changed. Per-route next hop and MED travel in custom route attributes that the
 * BGP export filter copies into {@code bgp_next_hop}/{@code bgp_med}: BIRD replaces the next hop
 * and strips the MED of routes sent over eBGP unless the export filter set them.
 *
 * <p>The session is {@code multihop} (BIRD refuses a "direct" neighbor on lo), so received next
 * hops resolve recursively and show as unreachable: they are still in the table.
 */
public final class Bird extends BgpDaemon {
    static final String BIRD = "/usr/sbin/bird";
    static final String BIRDC = "/usr/sbin/birdc";
    /** The BGP protocol's name in bird.conf. */
    static final String PROTOCOL = "ribbit_peer";

    private static final Pattern SHUTDOWN_IN_LOG =
            Pattern.compile("<RMT> " + PROTOCOL + ": Received: Administrative (?:shutdown|reset): \"(.*)\"$",
                    Pattern.MULTILINE);

    private final Map<String, Route> announced = new LinkedHashMap<>();
    /** Further sessions (same local address and port, other peers): protocols ribbit_peer2, ribbit_peer3, ... */
    private final List<Peering> more;

    public Bird(Peering peering) {
        this(peering, List.of());
    }

    /**
     * A BIRD with one BGP protocol per peering: {@code peering} is {@value #PROTOCOL}, {@code more}
     * are {@code ribbit_peer2}, {@code ribbit_peer3}, ... (they share the local address and port).
     */
    public Bird(Peering peering, List<Peering> more) {
        super(peering);
        this.more = List.copyOf(more);
    }

    /** The BGP protocol of session {@code i} (0 = {@link #PROTOCOL}). */
    static String protocol(int i) {
        return i == 0 ? PROTOCOL : PROTOCOL + (i + 1);
    }

    /** Number of sessions (protocols): 1 + the further peerings. */
    public int sessions() {
        return 1 + more.size();
    }

    /** Whether session {@code i}'s protocol is Established. */
    public boolean established(int i) {
        Cli.Result r = Cli.run(birdc("show", "protocols", protocol(i)));
        return r.ok() && r.output().lines().anyMatch(l -> l.startsWith(protocol(i) + " ") && l.contains("Established"));
    }

    /**
     * Routes imported from session {@code i}: the {@code Routes: N imported} line of
     * {@code show protocols all} for its IPv4 and IPv6 channels together (-1 before it has any).
     */
    public long importedRoutes(int i) {
        Cli.Result r = Cli.run(birdc("show", "protocols", "all", protocol(i)));
        if (!r.ok()) {
            return -1;
        }
        long n = -1;
        Matcher m = Pattern.compile("Routes:\\s+(\\d+) imported").matcher(r.output());
        while (m.find()) {
            n = Math.max(n, 0) + Long.parseLong(m.group(1));
        }
        return n;
    }

    @Override
    public String name() {
        return "bird";
    }

    @Override
    protected List<String> binaries() {
        return List.of(BIRD, BIRDC);
    }

    @Override
    protected void writeConfig(Path dir) {
        announced.clear();
        StringBuilder conf = new StringBuilder(config(peering, dir));
        for (int i = 0; i < more.size(); i++) {
            conf.append(protocolConfig(protocol(i + 1), more.get(i)));
        }
        write(dir.resolve("bird.conf"), conf.toString());
        writeRoutes(dir);
    }

    @Override
    protected List<String> command(Path dir) {
        return List.of(BIRD, "-f", "-c", dir.resolve("bird.conf").toString(), "-s", socket().toString(),
                "-P", dir.resolve("bird.pid").toString());
    }

    @Override
    protected boolean ready() {
        Cli.Result r = Cli.run(birdc("show", "status"));
        return r.ok() && r.output().contains("up and running");
    }

    /** bird.conf for {@code peering}; routes come from {@code dir}/routes4.conf and routes6.conf. */
    static String config(Peering p, Path dir) {
        StringBuilder c = new StringBuilder();
        c.append("# Ribbit interop harness: bird2 peering with ").append(p.peerAddress()).append('\n');
        c.append("log stderr all;\n");
        c.append("router id ").append(p.routerId()).append(";\n");
        c.append("attribute ip ribbit_next_hop;\n");
        c.append("attribute int ribbit_med;\n");
        c.append("protocol device { scan time 60; }\n");
        c.append("protocol static ribbit_routes4 {\n  ipv4;\n  include \"")
                .append(dir.resolve("routes4.conf")).append("\";\n}\n");
        c.append("protocol static ribbit_routes6 {\n  ipv6;\n  include \"")
                .append(dir.resolve("routes6.conf")).append("\";\n}\n");
        c.append("filter ribbit_export {\n");
        c.append("  if defined(ribbit_next_hop) then bgp_next_hop = ribbit_next_hop;\n");
        c.append("  if defined(ribbit_med) then bgp_med = ribbit_med;\n");
        c.append("  accept;\n}\n");
        c.append(protocolConfig(PROTOCOL, p));
        return c.toString();
    }

    /** One {@code protocol bgp} block for {@code p}. */
    static String protocolConfig(String name, Peering p) {
        StringBuilder c = new StringBuilder();
        c.append("protocol bgp ").append(name).append(" {\n");
        c.append("  local ").append(p.localAddress()).append(" port ").append(p.localPort())
                .append(" as ").append(p.localAsn()).append(";\n");
        c.append("  neighbor ").append(p.peerAddress());
        if (!p.passive()) {
            c.append(" port ").append(p.peerPort());
        }
        c.append(" as ").append(p.peerAsn()).append(";\n");
        c.append("  strict bind on;\n");
        c.append("  multihop;\n");
        if (p.passive()) {
            c.append("  passive on;\n");
        }
        c.append("  hold time ").append(p.holdTime()).append(";\n");
        c.append("  keepalive time ").append(p.keepalive()).append(";\n");
        c.append("  connect delay time 1;\n");
        c.append("  connect retry time 1;\n");
        c.append("  error wait time 1, 5;\n");
        c.append("  graceful restart ").append(p.gracefulRestart() ? "on" : "off").append(";\n");
        for (String family : List.of("ipv4", "ipv6")) {
            c.append("  ").append(family).append(" {\n    import all;\n    export filter ribbit_export;\n");
            if (p.addPathSend()) {
                c.append("    add paths tx;\n");
            }
            c.append("  };\n");
        }
        c.append("}\n");
        return c.toString();
    }

    /** One static route carrying the attributes of {@code r}, for routes4.conf/routes6.conf. */
    static String staticRoute(Route r) {
        StringBuilder s = new StringBuilder("route ").append(r.prefix()).append(" unreachable {\n");
        s.append("  ribbit_next_hop = ").append(r.nextHop()).append(";\n");
        // prepend() puts an ASN in front, so build the path from its right end.
        for (int i = r.asPath().size() - 1; i >= 0; i--) {
            s.append("  bgp_path.prepend(").append(r.asPath().get(i)).append(");\n");
        }
        for (String community : r.communities()) {
            s.append("  bgp_community.add((").append(community.replace(':', ',')).append("));\n");
        }
        for (String large : r.largeCommunities()) {
            s.append("  bgp_large_community.add((").append(large.replace(':', ',')).append("));\n");
        }
        r.med().ifPresent(m -> s.append("  ribbit_med = ").append(m).append(";\n"));
        return s.append("};\n").toString();
    }

    @Override
    public synchronized void announce(List<Route> routes) {
        routes.forEach(r -> announced.put(r.prefix(), r));
        reconfigure();
    }

    @Override
    public synchronized void withdraw(List<Route> routes) {
        routes.forEach(r -> announced.remove(r.prefix()));
        reconfigure();
    }

    private void reconfigure() {
        writeRoutes(dir());
        String out = Cli.check(birdc("configure"));
        if (!out.contains("Reconfigured") && !out.contains("Reconfiguration in progress")) {
            throw new IllegalStateException("birdc configure failed: " + out.strip());
        }
    }

    private void writeRoutes(Path dir) {
        StringBuilder v4 = new StringBuilder("# routes announced through the harness (IPv4)\n");
        StringBuilder v6 = new StringBuilder("# routes announced through the harness (IPv6)\n");
        for (Route r : announced.values()) {
            (r.isIpv6() ? v6 : v4).append(staticRoute(r));
        }
        write(dir.resolve("routes4.conf"), v4.toString());
        write(dir.resolve("routes6.conf"), v6.toString());
    }

    @Override
    public boolean sessionEstablished() {
        Cli.Result r = Cli.run(birdc("show", "protocols", PROTOCOL));
        return r.ok() && r.output().lines().anyMatch(l -> l.startsWith(PROTOCOL) && l.contains("Established"));
    }

    /**
     * {@code show protocols all}: when the last error is "Received: Administrative shutdown" (or
     * reset), the {@code Message:} line is the peer's communication. Falls back to BIRD's log line
     * {@code <RMT> proto: Received: Administrative shutdown: "text"}.
     */
    @Override
    public Optional<String> receivedShutdownCommunication() {
        Cli.Result r = Cli.run(birdc("show", "protocols", "all", PROTOCOL));
        if (r.ok()) {
            String message = null;
            boolean received = false;
            for (String line : r.output().split("\n")) {
                String t = line.strip();
                if (t.startsWith("Message:")) {
                    message = t.substring("Message:".length()).strip();
                }
                if (t.startsWith("Last error:") && t.contains("Received: Administrative")) {
                    received = true;
                }
            }
            if (received && message != null) {
                return Optional.of(message);
            }
        }
        Matcher m = SHUTDOWN_IN_LOG.matcher(log());
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return Optional.ofNullable(last);
    }

    @Override
    public List<Route> receivedRoutes() {
        return parseRoutes(Cli.check(birdc("show", "route", "all", "protocol", PROTOCOL)));
    }

    /** Parses {@code birdc show route all} output; every path of a prefix becomes one route. */
    static List<Route> parseRoutes(String output) {
        List<Route> routes = new ArrayList<>();
        String prefix = null;
        RouteFields f = null;
        for (String line : output.split("\n")) {
            if (line.isBlank() || line.startsWith("BIRD ") || line.startsWith("Table ")) {
                continue;
            }
            boolean indented = Character.isWhitespace(line.charAt(0));
            String t = line.strip();
            if (!indented || (!t.startsWith("BGP.") && !t.startsWith("Type:") && t.contains("["))) {
                if (f != null) {
                    routes.add(f.route(prefix));
                }
                if (!indented) {
                    prefix = t.split("\\s+")[0];
                }
                f = new RouteFields();
            } else if (f != null && t.startsWith("BGP.")) {
                int colon = t.indexOf(':');
                String key = t.substring(4, colon);
                String value = t.substring(colon + 1).strip();
                switch (key) {
                    case "as_path" -> f.asPath = parseAsns(value);
                    case "next_hop" -> f.nextHop = value.split("\\s+")[0];
                    case "med" -> f.med = OptionalLong.of(Long.parseLong(value));
                    case "community" -> f.communities = tuples(value);
                    case "large_community" -> f.largeCommunities = tuples(value);
                    default -> {
                    }
                }
            }
        }
        if (f != null) {
            routes.add(f.route(prefix));
        }
        return routes;
    }

    /** {@code (65000,1) (65000, 1, 2)} to {@code 65000:1}, {@code 65000:1:2}. */
    private static List<String> tuples(String value) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\(([^)]*)\\)").matcher(value);
        while (m.find()) {
            out.add(m.group(1).replace(" ", "").replace(',', ':'));
        }
        return out;
    }

    static List<Long> parseAsns(String path) {
        List<Long> asns = new ArrayList<>();
        for (String token : path.trim().split("[\\s{}]+")) {
            if (!token.isEmpty()) {
                asns.add(Long.parseLong(token));
            }
        }
        return asns;
    }

    private static final class RouteFields {
        String nextHop;
        List<Long> asPath = List.of();
        List<String> communities = List.of();
        List<String> largeCommunities = List.of();
        OptionalLong med = OptionalLong.empty();

        Route route(String prefix) {
            String nh = nextHop != null ? nextHop : prefix.indexOf(':') >= 0 ? "::" : "0.0.0.0";
            return new Route(prefix, nh, asPath, communities, largeCommunities, med);
        }
    }

    /** Sends Cease 6/2 with the communication by disabling the BGP protocol ({@code birdc disable}). */
    @Override
    public void sendShutdown(String communication) {
        Cli.check(birdc("disable", PROTOCOL, "\"" + plainText(communication) + "\""));
    }

    /** Re-enables the BGP protocol after {@link #sendShutdown}. */
    public void enable() {
        Cli.check(birdc("enable", PROTOCOL));
    }

    private Path socket() {
        return dir().resolve("bird.ctl");
    }

    private List<String> birdc(String... args) {
        List<String> cmd = new ArrayList<>(List.of(BIRDC, "-s", socket().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
