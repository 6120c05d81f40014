package io.ribbit.collector.interop;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
 * OpenBGPD ({@code /usr/sbin/bgpd}, {@code bgpctl}) from Debian's openbgpd package. Not FRR's
 * bgpd, which lives in /usr/lib/frr.
 *
 * <p>Run as {@code /usr/sbin/bgpd -d -v -f DIR/bgpd.conf}: foreground, log on stderr. The config
 * names the control socket ({@code socket "DIR/bgpd.sock"}, used as {@code bgpctl -s}), the
 * listener ({@code listen on ADDRESS port PORT}) and {@code fib-update no}, so the kernel routing
 * table is never touched. bgpd must start as root: it privilege-separates into processes that
 * chroot to the home of the {@code _openbgpd} user ({@code /run/openbgpd}) and run as that user,
 * so both must exist (systemd creates the directory for the packaged service; CI must create it).
 *
 * <p>bgpctl's {@code network add} cannot set an AS path, so announcements are imported from an MRT
 * TABLE_DUMP_V2 file the harness writes ({@code bgpctl network mrt file F}, which keeps AS path,
 * communities and large communities). That path drops next hop and MED, so the config carries one
 * outbound rule per route ({@code match to PEER prefix P set { nexthop NH med M }}, applied with
 * {@code bgpctl reload}) and a final {@code match to PEER set nexthop no-modify}: on a multihop
 * eBGP session bgpd otherwise sends its own address. Withdraw is {@code bgpctl network delete P}.
 */
public final class OpenBgpd extends BgpDaemon {
    static final String BGPD = "/usr/sbin/bgpd";
    static final String BGPCTL = "/usr/sbin/bgpctl";
    static final String USER = "_openbgpd";

    private static final Pattern SHUTDOWN_REASON = Pattern.compile("Last received shutdown reason: \"(.*)\"");

    private final Map<String, Route> announced = new LinkedHashMap<>();
    private int mrtFiles;

    public OpenBgpd(Peering peering) {
        super(peering);
    }

    @Override
    public String name() {
        return "openbgpd";
    }

    @Override
    protected List<String> binaries() {
        return List.of(BGPD, BGPCTL);
    }

    /** Besides the binaries: root, the {@code _openbgpd} user and its home, bgpd's chroot. */
    @Override
    public Optional<String> unavailableReason() {
        Optional<String> missing = super.unavailableReason();
        if (missing.isPresent()) {
            return missing;
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("bgpd must be started as root (it chroots and drops to " + USER + ")");
        }
        Optional<String> home = chrootDirectory();
        if (home.isEmpty()) {
            return Optional.of("user " + USER + " does not exist (apt-get install openbgpd creates it;"
                    + " or: useradd --system --home-dir /run/openbgpd --shell /usr/sbin/nologin " + USER + ")");
        }
        if (!Files.isDirectory(Path.of(home.get()))) {
            return Optional.of("bgpd's chroot directory " + home.get() + " (home of " + USER
                    + ") does not exist (systemd creates it for the service; run: install -d -m 0755 " + home.get() + ")");
        }
        return Optional.empty();
    }

    /** The home directory of {@link #USER} from /etc/passwd. */
    static Optional<String> chrootDirectory() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = line.split(":");
                if (f.length >= 6 && f[0].equals(USER)) {
                    return Optional.of(f[5]);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    @Override
    protected void writeConfig(Path dir) {
        announced.clear();
        write(dir.resolve("bgpd.conf"), config(peering, dir, List.of()));
    }

    @Override
    protected List<String> command(Path dir) {
        return List.of(BGPD, "-d", "-v", "-f", dir.resolve("bgpd.conf").toString());
    }

    @Override
    protected boolean ready() {
        return Files.exists(socket()) && Cli.run(bgpctl("show", "summary")).ok();
    }

    /** bgpd.conf for {@code peering}, with next hop and MED rules for {@code routes}. */
    static String config(Peering p, Path dir, List<Route> routes) {
        String peer = p.peerAddress();
        StringBuilder c = new StringBuilder();
        c.append("# Ribbit interop harness: OpenBGPD peering with ").append(peer).append('\n');
        c.append("AS ").append(p.localAsn()).append('\n');
        c.append("router-id ").append(p.routerId()).append('\n');
        c.append("socket \"").append(dir.resolve("bgpd.sock")).append("\"\n");
        c.append("listen on ").append(p.localAddress()).append(" port ").append(p.localPort()).append('\n');
        c.append("fib-update no\n");
        c.append("holdtime ").append(p.holdTime()).append('\n');
        c.append("holdtime min 3\n");
        c.append("connect-retry 1\n");
        c.append("neighbor ").append(peer).append(" {\n");
        c.append("  remote-as ").append(p.peerAsn()).append('\n');
        c.append("  local-address ").append(p.localAddress()).append('\n');
        if (p.passive()) {
            c.append("  passive\n");
        } else {
            c.append("  port ").append(p.peerPort()).append('\n');
        }
        c.append("  multihop 2\n");
        c.append("  announce IPv4 unicast\n");
        c.append("  announce IPv6 unicast\n");
        c.append("  announce restart ").append(p.gracefulRestart() ? "yes" : "no").append('\n');
        if (p.addPathSend()) {
            c.append("  announce add-path send all\n");
        }
        c.append("}\n");
        c.append("allow from any\n");
        c.append("allow to any\n");
        for (Route r : routes) {
            c.append("match to ").append(peer).append(" prefix ").append(r.prefix()).append(" set { nexthop ")
                    .append(r.nextHop());
            r.med().ifPresent(m -> c.append(" med ").append(m));
            c.append(" }\n");
        }
        // Last, so it keeps the next hop set above (a later nexthop set would clear it again).
        c.append("match to ").append(peer).append(" set nexthop no-modify\n");
        return c.toString();
    }

    @Override
    public synchronized void announce(List<Route> routes) {
        routes.forEach(r -> announced.put(r.prefix(), r));
        write(dir().resolve("bgpd.conf"), config(peering, dir(), List.copyOf(announced.values())));
        String reload = Cli.check(bgpctl("reload"));
        if (!reload.contains("request processed") && !reload.contains("reload request sent")) {
            throw new IllegalStateException("bgpctl reload: " + reload.strip());
        }
        Path mrt = dir().resolve("announce-" + ++mrtFiles + ".mrt");
        try {
            Files.write(mrt, MrtTableDump.write(peering.localAddress(), peering.localAsn(), routes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Cli.check(bgpctl("network", "mrt", "file", mrt.toString()));
    }

    @Override
    public synchronized void withdraw(List<Route> routes) {
        for (Route r : routes) {
            announced.remove(r.prefix());
            Cli.check(bgpctl("network", "delete", r.prefix()));
        }
    }

    @Override
    public boolean sessionEstablished() {
        Cli.Result r = Cli.run(bgpctl("show", "neighbor", peering.peerAddress()));
        return r.ok() && r.output().contains("BGP state = Established");
    }

    /** {@code bgpctl show neighbor X}: {@code Last received shutdown reason: "..."}. */
    @Override
    public Optional<String> receivedShutdownCommunication() {
        Matcher m = SHUTDOWN_REASON.matcher(Cli.check(bgpctl("show", "neighbor", peering.peerAddress())));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** {@code bgpctl -j show rib in neighbor X detail}: the Adj-RIB-In (communities only show with detail). */
    @Override
    public List<Route> receivedRoutes() {
        JsonNode rib = json(Cli.check(bgpctl("-j", "show", "rib", "in", "neighbor", peering.peerAddress(), "detail")));
        List<Route> routes = new ArrayList<>();
        for (JsonNode e : rib.path("rib")) {
            String prefix = e.path("prefix").asText();
            List<String> communities = new ArrayList<>();
            e.path("communities").forEach(c -> communities.add(c.asText()));
            List<String> large = new ArrayList<>();
            e.path("large_communities").forEach(c -> large.add(c.asText()));
            routes.add(new Route(prefix, e.path("exit_nexthop").asText(), Bird.parseAsns(e.path("aspath").asText("")),
                    communities, large, OptionalLong.of(e.path("metric").asLong())));
        }
        return routes;
    }

    /** {@code bgpctl neighbor X down TEXT}: Cease 6/2 with the communication; the session stays down. */
    @Override
    public void sendShutdown(String communication) {
        Cli.check(bgpctl("neighbor", peering.peerAddress(), "down", plainText(communication)));
    }

    private Path socket() {
        return dir().resolve("bgpd.sock");
    }

    private List<String> bgpctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of(BGPCTL, "-s", socket().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
