package io.ribbit.collector.config;

import io.netty.util.NetUtil;
import io.ribbit.codec.nlri.AfiSafi;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import io.ribbit.rib.ImportCheck;
import io.ribbit.rib.ImportChecks;

/**
 * Reads and validates the YAML configuration. Every error names the file, the line and the key
 * (as a path such as {@code neighbors[1].hold-time}) and says what is expected. Unknown keys are
 * errors (a typo must not silently fall back to a default). All problems are reported at once.
 */
public final class ConfigLoader {
    private static final Set<String> TOP = Set.of("name", "router-id", "local-as", "listen", "http", "neighbors",
            "events", "shutdown-message", "warmup", "loc-rib");
    private static final Set<String> LOC_RIB = Set.of("enabled", "always-compare-med", "max-pending");
    private static final Set<String> NEIGHBOR = Set.of("address", "remote-as", "mode", "port", "hold-time",
            "families", "add-path-receive", "max-prefixes", "max-prefixes-warning", "max-prefixes-restart",
            "description", "local-address", "connect-retry", "idle-hold-time", "idle-hold-time-max",
            "idle-hold-stable-time", "graceful-restart", "role", "strict-role", "import-checks");
    private static final Set<String> IMPORT_CHECKS = importCheckKeys();

    private static Set<String> importCheckKeys() {
        Set<String> keys = new java.util.HashSet<>(Set.of("max-length-v4", "max-length-v6", "max-as-path-length"));
        for (ImportCheck c : ImportCheck.values()) {
            keys.add(c.key());
        }
        return Set.copyOf(keys);
    }
    private static final Set<String> SINK = Set.of("type", "path", "include-raw", "loc-rib");

    private final String file;
    private final List<String> errors = new ArrayList<>();

    private ConfigLoader(String file) {
        this.file = file;
    }

    public static RibbitConfig load(Path path) throws ConfigException {
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return load(r, path.toString());
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot read: " + e.getMessage());
        }
    }

    public static RibbitConfig parse(String yaml, String name) throws ConfigException {
        return load(new StringReader(yaml), name);
    }

    static RibbitConfig load(Reader reader, String name) throws ConfigException {
        ConfigLoader l = new ConfigLoader(name);
        YamlNode root = YamlNode.parse(reader, name);
        RibbitConfig c = l.bind(root);
        if (!l.errors.isEmpty()) {
            throw new ConfigException(String.join("\n", l.errors));
        }
        return c;
    }

    private void error(int line, String key, String message) {
        errors.add(file + ":" + line + ": " + key + ": " + message);
    }

    private Map<String, YamlNode> object(YamlNode n, String key, Set<String> allowed) {
        Map<String, YamlNode> m = n.map();
        if (m == null) {
            error(n.line, key, "must be a mapping of keys to values");
            return null;
        }
        for (Map.Entry<String, Integer> k : n.keyLines.entrySet()) {
            if (!allowed.contains(k.getKey())) {
                error(k.getValue(), (key.isEmpty() ? "" : key + ".") + k.getKey(),
                        "unknown key (expected one of " + new java.util.TreeSet<>(allowed) + ")");
            }
        }
        return m;
    }

    private RibbitConfig bind(YamlNode root) {
        Map<String, YamlNode> m = object(root, "", TOP);
        if (m == null) {
            return null;
        }
        String name = string(m, root, "", "name", "ribbit");
        int routerId = 0;
        YamlNode rid = m.get("router-id");
        if (rid == null) {
            error(root.line, "router-id", "required (an IPv4 address, the BGP Identifier)");
        } else {
            byte[] b = NetUtil.createByteArrayFromIpAddressString(String.valueOf(rid.value));
            if (b == null || b.length != 4 || (b[0] | b[1] | b[2] | b[3]) == 0) {
                error(rid.line, "router-id", "must be a non-zero IPv4 address, got '" + rid.value + "'");
            } else {
                routerId = (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
            }
        }
        long localAs = asn(m, root, "", "local-as", true, false);
        List<HostPort> listen = new ArrayList<>();
        YamlNode ln = m.get("listen");
        if (ln != null) {
            List<YamlNode> items = ln.list();
            if (items == null) {
                error(ln.line, "listen", "must be a list of host:port, e.g. [\"0.0.0.0:179\", \"[::]:179\"]");
            } else {
                for (int i = 0; i < items.size(); i++) {
                    HostPort hp = hostPort(items.get(i), "listen[" + i + "]");
                    if (hp != null) {
                        listen.add(hp);
                    }
                }
            }
        }
        HostPort http = null;
        if (m.get("http") != null) {
            http = hostPort(m.get("http"), "http");
        }
        List<NeighborConfig> neighbors = new ArrayList<>();
        YamlNode nn = m.get("neighbors");
        if (nn != null) {
            List<YamlNode> items = nn.list();
            if (items == null) {
                error(nn.line, "neighbors", "must be a list");
            } else {
                for (int i = 0; i < items.size(); i++) {
                    NeighborConfig nc = neighbor(items.get(i), "neighbors[" + i + "]", localAs);
                    if (nc != null) {
                        neighbors.add(nc);
                    }
                }
            }
        }
        checkOverlaps(neighbors);
        List<EventSinkConfig> events = new ArrayList<>();
        YamlNode en = m.get("events");
        if (en != null) {
            List<YamlNode> items = en.list();
            if (items == null) {
                error(en.line, "events", "must be a list");
            } else {
                for (int i = 0; i < items.size(); i++) {
                    EventSinkConfig s = sink(items.get(i), "events[" + i + "]");
                    if (s != null) {
                        events.add(s);
                    }
                }
            }
        }
        String shutdown = string(m, root, "", "shutdown-message", "Ribbit is shutting down");
        if (shutdown != null && shutdown.getBytes(StandardCharsets.UTF_8).length > 255) {
            error(m.get("shutdown-message").line, "shutdown-message", "at most 255 UTF-8 octets (RFC 9003)");
        }
        double warmup = number(m, "", "warmup", 0, 0, 60);
        // Kept by default only when a sink asks for its events (it costs the ingest a core's worth
        // of work on small machines; the API selects the best at query time without it).
        LocRibConfig locRib = LocRibConfig.defaultFor(events);
        int disabledAt = 0;
        if (m.get("loc-rib") != null) {
            Map<String, YamlNode> lr = object(m.get("loc-rib"), "loc-rib", LOC_RIB);
            if (lr != null) {
                disabledAt = lr.get("enabled") != null ? lr.get("enabled").line : 0;
                locRib = new LocRibConfig(bool(lr, "loc-rib", "enabled", locRib.enabled()),
                        bool(lr, "loc-rib", "always-compare-med", false),
                        number(lr, "loc-rib", "max-pending", 1_000_000, 1_000, 1_000_000_000));
            }
        }
        for (EventSinkConfig s : events) {
            if (s.locRib() != EventSinkConfig.LocRibEvents.NO && !locRib.enabled()) {
                error(disabledAt, "loc-rib.enabled", "is false, but the event sink at line " + s.line()
                        + " asks for loc-rib events");
            }
        }
        return new RibbitConfig(name, routerId, localAs, List.copyOf(listen), http, List.copyOf(neighbors),
                List.copyOf(events), shutdown, warmup, locRib);
    }

    private NeighborConfig neighbor(YamlNode n, String key, long localAs) {
        Map<String, YamlNode> m = object(n, key, NEIGHBOR);
        if (m == null) {
            return null;
        }
        InetAddress address = null;
        int prefixLength = 0;
        YamlNode an = m.get("address");
        if (an == null) {
            error(n.line, key + ".address", "required (an IP address, or a prefix for dynamic neighbors)");
        } else {
            String s = String.valueOf(an.value);
            int slash = s.indexOf('/');
            String host = slash < 0 ? s : s.substring(0, slash);
            byte[] b = NetUtil.createByteArrayFromIpAddressString(host);
            if (b == null) {
                error(an.line, key + ".address", "not an IP address or prefix: '" + s + "'");
            } else {
                try {
                    address = InetAddress.getByAddress(b);
                } catch (UnknownHostException e) {
                    throw new AssertionError(e);
                }
                prefixLength = b.length * 8;
                if (slash >= 0) {
                    try {
                        prefixLength = Integer.parseInt(s.substring(slash + 1));
                    } catch (NumberFormatException e) {
                        prefixLength = -1;
                    }
                    if (prefixLength < 0 || prefixLength > b.length * 8) {
                        error(an.line, key + ".address", "bad prefix length in '" + s + "'");
                        prefixLength = b.length * 8;
                    }
                }
            }
        }
        boolean dynamic = address != null && prefixLength < address.getAddress().length * 8;
        long remoteAs = asn(m, n, key, "remote-as", true, true);
        if (remoteAs == -1 && !dynamic && m.get("remote-as") != null) {
            error(m.get("remote-as").line, key + ".remote-as", "\"any\" is only allowed with a prefix address");
        }
        NeighborConfig.Mode mode = NeighborConfig.Mode.PASSIVE;
        YamlNode mn = m.get("mode");
        if (mn != null) {
            try {
                mode = NeighborConfig.Mode.valueOf(String.valueOf(mn.value).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                error(mn.line, key + ".mode", "must be passive, active or both, got '" + mn.value + "'");
            }
        }
        if (dynamic && mode != NeighborConfig.Mode.PASSIVE) {
            error(mn != null ? mn.line : n.line, key + ".mode", "dynamic (prefix) neighbors can only be passive");
        }
        int port = (int) number(m, key, "port", 179, 1, 65535);
        int holdTime = (int) number(m, key, "hold-time", 90, 0, 65535);
        if (holdTime == 1 || holdTime == 2) {
            error(m.get("hold-time").line, key + ".hold-time", "must be 0 or at least 3 seconds (RFC 4271 §4.2)");
        }
        List<AfiSafi> families = new ArrayList<>();
        YamlNode fn = m.get("families");
        if (fn == null) {
            families.add(AfiSafi.IPV4_UNICAST);
            families.add(AfiSafi.IPV6_UNICAST);
        } else if (fn.list() == null) {
            error(fn.line, key + ".families", "must be a list such as [ipv4-unicast, ipv6-unicast]");
        } else if (fn.list().isEmpty()) {
            error(fn.line, key + ".families", "must name at least one family, e.g. [ipv4-unicast]");
        } else {
            for (int i = 0; i < fn.list().size(); i++) {
                YamlNode f = fn.list().get(i);
                AfiSafi af = AfiSafi.parse(String.valueOf(f.value));
                if (af == null) {
                    error(f.line, key + ".families[" + i + "]", "unknown family '" + f.value
                            + "' (e.g. ipv4-unicast, ipv6-unicast, ipv4-multicast, ipv4-labeled-unicast, ipv4-mpls-vpn, l2vpn-evpn)");
                } else if (!families.contains(af)) {
                    families.add(af);
                }
            }
        }
        boolean addPath = bool(m, key, "add-path-receive", false);
        long maxPrefixes = number(m, key, "max-prefixes", 0, 0, Long.MAX_VALUE);
        int warn = (int) number(m, key, "max-prefixes-warning", 90, 1, 100);
        int restart = (int) number(m, key, "max-prefixes-restart", 300, 0, 86400);
        String description = string(m, n, key, "description", "");
        InetAddress local = null;
        YamlNode la = m.get("local-address");
        if (la != null) {
            byte[] b = NetUtil.createByteArrayFromIpAddressString(String.valueOf(la.value));
            if (b == null) {
                error(la.line, key + ".local-address", "not an IP address: '" + la.value + "'");
            } else {
                try {
                    local = InetAddress.getByAddress(b);
                } catch (UnknownHostException e) {
                    throw new AssertionError(e);
                }
            }
        }
        int connectRetry = (int) number(m, key, "connect-retry", 30, 1, 3600);
        int idleHold = (int) number(m, key, "idle-hold-time", 5, 0, 3600);
        int idleHoldMax = (int) number(m, key, "idle-hold-time-max", 300, 0, 86400);
        int idleHoldStable = (int) number(m, key, "idle-hold-stable-time", 60, 1, 86400);
        boolean gr = bool(m, key, "graceful-restart", true);
        int role = NeighborConfig.NO_ROLE;
        YamlNode rn = m.get("role");
        if (rn != null) {
            role = switch (String.valueOf(rn.value).toLowerCase(Locale.ROOT)) {
                case "provider" -> 0;
                case "rs" -> 1;
                case "rs-client" -> 2;
                case "customer" -> 3;
                case "peer" -> 4;
                default -> {
                    error(rn.line, key + ".role", "must be provider, rs, rs-client, customer or peer (RFC 9234), got '"
                            + rn.value + "'");
                    yield NeighborConfig.NO_ROLE;
                }
            };
        }
        boolean strictRole = bool(m, key, "strict-role", false);
        if (strictRole && rn == null) {
            error(m.get("strict-role").line, key + ".strict-role", "needs a role");
        }
        ImportChecks checks = importChecks(m.get("import-checks"), key + ".import-checks");
        if (address == null) {
            return null;
        }
        return new NeighborConfig(address, prefixLength, remoteAs, mode, port, holdTime, List.copyOf(families),
                addPath, maxPrefixes, warn, restart, description, local, connectRetry, idleHold,
                Math.max(idleHold, idleHoldMax), idleHoldStable, gr, role, strictRole, checks, n.line);
    }

    /** {@code import-checks}: per check off | tag | reject, and the limits (docs/configuration.md). */
    private ImportChecks importChecks(YamlNode n, String key) {
        if (n == null) {
            return ImportChecks.DEFAULT;
        }
        Map<String, YamlNode> m = object(n, key, IMPORT_CHECKS);
        if (m == null) {
            return ImportChecks.DEFAULT;
        }
        Map<ImportCheck, ImportChecks.Action> actions = new java.util.EnumMap<>(ImportCheck.class);
        for (ImportCheck c : ImportCheck.values()) {
            YamlNode a = m.get(c.key());
            if (a == null) {
                continue;
            }
            String v = String.valueOf(a.value).toLowerCase(Locale.ROOT);
            switch (v) {
                case "off", "false" -> actions.put(c, ImportChecks.Action.OFF);
                case "tag", "true" -> actions.put(c, ImportChecks.Action.TAG);
                case "reject" -> actions.put(c, ImportChecks.Action.REJECT);
                default -> error(a.line, key + "." + c.key(), "must be off, tag or reject, got '" + a.value + "'");
            }
        }
        int v4 = (int) number(m, key, "max-length-v4", ImportChecks.DEFAULT_MAX_LENGTH_V4, 0, 32);
        int v6 = (int) number(m, key, "max-length-v6", ImportChecks.DEFAULT_MAX_LENGTH_V6, 0, 128);
        int path = (int) number(m, key, "max-as-path-length", ImportChecks.DEFAULT_MAX_PATH_LENGTH, 1, 10000);
        return new ImportChecks(actions, v4, v6, path);
    }

    private void checkOverlaps(List<NeighborConfig> neighbors) {
        for (int i = 0; i < neighbors.size(); i++) {
            for (int j = i + 1; j < neighbors.size(); j++) {
                NeighborConfig a = neighbors.get(i);
                NeighborConfig b = neighbors.get(j);
                if (a.dynamic() == b.dynamic() && a.address().equals(b.address())
                        && a.prefixLength() == b.prefixLength()) {
                    errors.add(file + ":" + b.line() + ": neighbors[" + j + "].address: " + b.addressText()
                            + " is already configured at line " + a.line());
                }
            }
        }
    }

    private EventSinkConfig sink(YamlNode n, String key) {
        Map<String, YamlNode> m = object(n, key, SINK);
        if (m == null) {
            return null;
        }
        EventSinkConfig.Type type = null;
        YamlNode tn = m.get("type");
        if (tn == null) {
            error(n.line, key + ".type", "required: file or stdout");
        } else {
            try {
                type = EventSinkConfig.Type.valueOf(String.valueOf(tn.value).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                error(tn.line, key + ".type", "must be file or stdout, got '" + tn.value + "'");
            }
        }
        Path path = null;
        YamlNode pn = m.get("path");
        if (type == EventSinkConfig.Type.FILE) {
            if (pn == null) {
                error(n.line, key + ".path", "required for a file sink");
            } else {
                path = Path.of(String.valueOf(pn.value));
            }
        } else if (pn != null && type == EventSinkConfig.Type.STDOUT) {
            error(pn.line, key + ".path", "only for type: file");
        }
        boolean raw = bool(m, key, "include-raw", false);
        EventSinkConfig.LocRibEvents locRib = EventSinkConfig.LocRibEvents.NO;
        YamlNode lr = m.get("loc-rib");
        if (lr != null) {
            if (Boolean.TRUE.equals(lr.value)) {
                locRib = EventSinkConfig.LocRibEvents.YES;
            } else if ("only".equals(lr.value)) {
                locRib = EventSinkConfig.LocRibEvents.ONLY;
            } else if (!Boolean.FALSE.equals(lr.value)) {
                error(lr.line, key + ".loc-rib", "must be true, false or only, got '" + lr.value + "'");
            }
        }
        return type == null ? null : new EventSinkConfig(type, path, raw, n.line, locRib);
    }

    // ------------------------------------------------------------ scalars

    private HostPort hostPort(YamlNode n, String key) {
        HostPort hp = n.value instanceof String s ? HostPort.parse(s) : null;
        if (hp == null || NetUtil.createByteArrayFromIpAddressString(hp.host()) == null
                && !hp.host().equals("localhost")) {
            error(n.line, key, "must be an address and port such as \"127.0.0.1:179\" or \"[::1]:179\", got '"
                    + n.value + "'");
            return null;
        }
        return hp;
    }

    private String string(Map<String, YamlNode> m, YamlNode parent, String key, String field, String dflt) {
        YamlNode n = m.get(field);
        if (n == null) {
            return dflt;
        }
        if (!(n.value instanceof String) && !(n.value instanceof Number)) {
            error(n.line, prefix(key) + field, "must be a string");
            return dflt;
        }
        return String.valueOf(n.value);
    }

    private boolean bool(Map<String, YamlNode> m, String key, String field, boolean dflt) {
        YamlNode n = m.get(field);
        if (n == null) {
            return dflt;
        }
        if (!(n.value instanceof Boolean b)) {
            error(n.line, prefix(key) + field, "must be true or false, got '" + n.value + "'");
            return dflt;
        }
        return b;
    }

    private long number(Map<String, YamlNode> m, String key, String field, long dflt, long min, long max) {
        YamlNode n = m.get(field);
        if (n == null) {
            return dflt;
        }
        if (!(n.value instanceof Number num) || num instanceof Double || num instanceof Float
                || num instanceof java.math.BigDecimal) {
            error(n.line, prefix(key) + field, "must be a whole number, got '" + n.value + "'");
            return dflt;
        }
        long v = num.longValue();
        if (num instanceof java.math.BigInteger || v < min || v > max) {
            error(n.line, prefix(key) + field, "must be between " + min + " and " + max + ", got " + n.value);
            return dflt;
        }
        return v;
    }

    /** An ASN 1..4294967295 (RFC 6793), or -1 for "any" when allowed. */
    private long asn(Map<String, YamlNode> m, YamlNode parent, String key, String field, boolean required,
            boolean anyAllowed) {
        YamlNode n = m.get(field);
        if (n == null) {
            if (required) {
                error(parent.line, prefix(key) + field, "required (an AS number" + (anyAllowed ? " or \"any\"" : "") + ")");
            }
            return 0;
        }
        if (anyAllowed && "any".equals(n.value)) {
            return -1;
        }
        if (!(n.value instanceof Number num) || num instanceof Double || num.longValue() < 1
                || num.longValue() > 4294967295L) {
            error(n.line, prefix(key) + field, "must be an AS number 1..4294967295" + (anyAllowed ? " or \"any\"" : "")
                    + ", got '" + n.value + "'");
            return 0;
        }
        return num.longValue();
    }

    private static String prefix(String key) {
        return key.isEmpty() ? "" : key + ".";
    }
}
