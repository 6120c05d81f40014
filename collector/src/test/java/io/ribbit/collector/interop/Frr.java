package io.ribbit.collector.interop;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * FRRouting's {@code bgpd} alone (no zebra, no watchfrr), from Debian's frr package.
 *
 * <p>Run as {@code /usr/lib/frr/bgpd -f DIR/bgpd.conf -i DIR/bgpd.pid --vty_socket DIR -P 0
 * -p PORT -l ADDRESS -Z -S --log stdout --log-level informational}: {@code -Z} no zebra, {@code -S}
 * keep the current user (no {@code frr} user switch, no capability dance), {@code -P 0} no TCP vty,
 * {@code -p/-l} the BGP listener, {@code --vty_socket} puts {@code bgpd.vty} in DIR. Controlled with
 * {@code vtysh --vty_socket DIR -d bgpd}.
 *
 * <p>Routes are {@code network} statements with one route-map each ({@code set as-path prepend},
 * {@code set community}, {@code set large-community}, {@code set metric}, {@code set ip next-hop} /
 * {@code set ipv6 next-hop global}), configured at runtime through vtysh;
 * {@code attribute-unchanged next-hop} keeps that next hop on the eBGP session. Without a
 * {@code set metric} FRR sends MED 0 for a network statement.
 *
 * <p>Outside DIR, bgpd writes only a scratch directory {@code /var/tmp/frr/bgpd.PID} (hard-coded
 * in libfrr); {@link #afterStop} removes it if bgpd did not.
 */
public final class Frr extends BgpDaemon {
    static final String BGPD = "/usr/lib/frr/bgpd";
    static final String VTYSH = "/usr/bin/vtysh";

    private final Map<String, String> routeMaps = new HashMap<>();
    private int nextRouteMap = 1;

    public Frr(Peering peering) {
        super(peering);
    }

    @Override
    public String name() {
        return "frr";
    }

    @Override
    protected List<String> binaries() {
        return List.of(BGPD, VTYSH);
    }

    @Override
    protected void writeConfig(Path dir) {
        routeMaps.clear();
        write(dir.resolve("bgpd.conf"), config(peering));
    }

    @Override
    protected List<String> command(Path dir) {
        return List.of(BGPD, "-f", dir.resolve("bgpd.conf").toString(), "-i", dir.resolve("bgpd.pid").toString(),
                "--vty_socket", dir.toString(), "-P", "0",
                "-p", Integer.toString(peering.localPort()), "-l", peering.localAddress(),
                "-Z", "-S", "--log", "stdout", "--log-level", "informational");
    }

    @Override
    protected boolean ready() {
        return Files.exists(dir().resolve("bgpd.vty")) && Cli.run(vtysh("show bgp summary")).ok();
    }

    @Override
    protected void afterStop(long pid) {
        Path scratch = Path.of("/var/tmp/frr", "bgpd." + pid);
        if (Files.isDirectory(scratch)) {
            try (Stream<Path> paths = Files.walk(scratch)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort
            }
        }
    }

    /** bgpd.conf for {@code peering}. */
    static String config(Peering p) {
        String n = " neighbor " + p.peerAddress() + " ";
        StringBuilder c = new StringBuilder();
        c.append("! Ribbit interop harness: FRR bgpd peering with ").append(p.peerAddress()).append('\n');
        c.append("frr defaults traditional\n");
        c.append("hostname ribbit-frr\n");
        c.append("!\n");
        c.append("router bgp ").append(p.localAsn()).append('\n');
        c.append(" bgp router-id ").append(p.routerId()).append('\n');
        c.append(" bgp log-neighbor-changes\n");
        c.append(" no bgp ebgp-requires-policy\n");
        c.append(" no bgp network import-check\n");
        c.append(" no bgp default ipv4-unicast\n");
        if (p.gracefulRestart()) {
            c.append(" bgp graceful-restart\n");
        } else {
            c.append(" bgp graceful-restart-disable\n");
        }
        c.append(n).append("remote-as ").append(p.peerAsn()).append('\n');
        if (p.passive()) {
            c.append(n).append("passive\n");
        } else {
            c.append(n).append("port ").append(p.peerPort()).append('\n');
        }
        c.append(n).append("update-source ").append(p.localAddress()).append('\n');
        c.append(n).append("ebgp-multihop 2\n");
        c.append(n).append("timers ").append(p.keepalive()).append(' ').append(p.holdTime()).append('\n');
        c.append(n).append("timers connect 1\n");
        c.append(n).append("advertisement-interval 0\n");
        for (String family : List.of("ipv4", "ipv6")) {
            c.append(" address-family ").append(family).append(" unicast\n");
            c.append(" ").append(n).append("activate\n");
            c.append(" ").append(n).append("attribute-unchanged next-hop\n");
            if (p.addPathSend()) {
                c.append(" ").append(n).append("addpath-tx-all-paths\n");
            }
            c.append(" exit-address-family\n");
        }
        c.append("exit\n!\n");
        return c.toString();
    }

    /** The {@code set} lines of the route-map that gives a network statement the attributes of {@code r}. */
    static List<String> routeMapSets(Route r) {
        List<String> sets = new ArrayList<>();
        if (!r.asPath().isEmpty()) {
            StringBuilder path = new StringBuilder("set as-path prepend");
            r.asPath().forEach(asn -> path.append(' ').append(asn));
            sets.add(path.toString());
        }
        if (!r.communities().isEmpty()) {
            sets.add("set community " + String.join(" ", r.communities()));
        }
        if (!r.largeCommunities().isEmpty()) {
            sets.add("set large-community " + String.join(" ", r.largeCommunities()));
        }
        r.med().ifPresent(m -> sets.add("set metric " + m));
        sets.add(r.isIpv6() ? "set ipv6 next-hop global " + r.nextHop() : "set ip next-hop " + r.nextHop());
        return sets;
    }

    @Override
    public synchronized void announce(List<Route> routes) {
        List<String> cmds = new ArrayList<>(List.of("configure terminal"));
        for (Route r : routes) {
            String name = routeMaps.get(r.prefix());
            if (name != null) {
                cmds.add("no route-map " + name);
            } else {
                name = "RIBBIT-" + nextRouteMap++;
                routeMaps.put(r.prefix(), name);
            }
            cmds.add("route-map " + name + " permit 10");
            cmds.addAll(routeMapSets(r));
            cmds.add("exit");
        }
        cmds.add("router bgp " + peering.localAsn());
        for (Route r : routes) {
            cmds.add("address-family " + (r.isIpv6() ? "ipv6" : "ipv4") + " unicast");
            cmds.add("network " + r.prefix() + " route-map " + routeMaps.get(r.prefix()));
            cmds.add("exit-address-family");
        }
        cmds.add("end");
        configure(cmds);
    }

    @Override
    public synchronized void withdraw(List<Route> routes) {
        List<String> cmds = new ArrayList<>(List.of("configure terminal", "router bgp " + peering.localAsn()));
        for (Route r : routes) {
            cmds.add("address-family " + (r.isIpv6() ? "ipv6" : "ipv4") + " unicast");
            cmds.add("no network " + r.prefix());
            cmds.add("exit-address-family");
        }
        cmds.add("exit");
        for (Route r : routes) {
            String name = routeMaps.remove(r.prefix());
            if (name != null) {
                cmds.add("no route-map " + name);
            }
        }
        cmds.add("end");
        configure(cmds);
    }

    private void configure(List<String> commands) {
        String out = Cli.check(vtysh(commands.toArray(String[]::new)));
        if (out.contains("% ")) {
            throw new IllegalStateException("vtysh rejected " + commands + ": " + out.strip());
        }
    }

    private JsonNode neighborJson() {
        JsonNode all = json(Cli.check(vtysh("show bgp neighbors " + peering.peerAddress() + " json")));
        return all.path(peering.peerAddress());
    }

    @Override
    public boolean sessionEstablished() {
        Cli.Result r = Cli.run(vtysh("show bgp neighbors " + peering.peerAddress() + " json"));
        return r.ok() && "Established".equals(json(r.output()).path(peering.peerAddress()).path("bgpState").asText());
    }

    /**
     * {@code show bgp neighbors X json}: {@code lastShutdownDescription} when
     * {@code lastNotificationReason} is a Cease (the text output only says "Notification received
     * (Cease/Administrative Shutdown)").
     */
    @Override
    public Optional<String> receivedShutdownCommunication() {
        JsonNode n = neighborJson();
        String reason = n.path("lastNotificationReason").asText("");
        String text = n.path("lastShutdownDescription").asText("");
        if (!reason.startsWith("Cease") || text.isEmpty() || !"BGP Notification received".equals(
                n.path("lastResetDueTo").asText())) {
            return Optional.empty();
        }
        return Optional.of(text);
    }

    /** Per family, the prefixes whose path came from the peer, then each prefix's detail JSON. */
    @Override
    public List<Route> receivedRoutes() {
        List<Route> routes = new ArrayList<>();
        for (String family : List.of("ipv4", "ipv6")) {
            JsonNode table = json(Cli.check(vtysh("show bgp " + family + " unicast json"))).path("routes");
            for (Iterator<String> it = table.fieldNames(); it.hasNext(); ) {
                String prefix = it.next();
                boolean fromPeer = false;
                for (JsonNode path : table.path(prefix)) {
                    fromPeer |= peering.peerAddress().equals(path.path("peerId").asText());
                }
                if (!fromPeer) {
                    continue;
                }
                JsonNode detail = json(Cli.check(vtysh("show bgp " + family + " unicast " + prefix + " json")));
                for (JsonNode path : detail.path("paths")) {
                    if (peering.peerAddress().equals(path.path("peer").path("peerId").asText())) {
                        routes.add(route(prefix, path));
                    }
                }
            }
        }
        return routes;
    }

    static Route route(String prefix, JsonNode path) {
        String nextHop = path.path("nexthops").path(0).path("ip").asText(prefix.indexOf(':') >= 0 ? "::" : "0.0.0.0");
        List<Long> asPath = Bird.parseAsns(path.path("aspath").path("string").asText(""));
        List<String> communities = new ArrayList<>();
        path.path("community").path("list").forEach(c -> communities.add(c.asText()));
        List<String> large = new ArrayList<>();
        path.path("largeCommunity").path("list").forEach(c -> large.add(c.asText()));
        OptionalLong med = path.has("metric") ? OptionalLong.of(path.path("metric").asLong()) : OptionalLong.empty();
        return new Route(prefix, nextHop, asPath, communities, large, med);
    }

    /** {@code neighbor X shutdown message TEXT}: Cease 6/2 with the communication, session held down. */
    @Override
    public void sendShutdown(String communication) {
        configure(List.of("configure terminal", "router bgp " + peering.localAsn(),
                "neighbor " + peering.peerAddress() + " shutdown message " + plainText(communication), "end"));
    }

    /** {@code vtysh -c ...} to this bgpd only. */
    List<String> vtysh(String... commands) {
        List<String> cmd = new ArrayList<>(List.of(VTYSH, "--vty_socket", dir().toString(), "-d", "bgpd"));
        for (String c : commands) {
            cmd.add("-c");
            cmd.add(c);
        }
        return cmd;
    }
}
