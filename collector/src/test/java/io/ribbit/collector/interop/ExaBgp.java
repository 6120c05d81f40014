package io.ribbit.collector.interop;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * ExaBGP 4.2 ({@code exabgp}) from Debian's exabgp package.
 *
 * <p>Run as {@code exabgp DIR/exabgp.conf} in the foreground with its settings in environment
 * variables ({@code exabgp.daemon.daemonize=false}, {@code exabgp.daemon.user=<current user>},
 * {@code exabgp.daemon.drop=false}, {@code exabgp.daemon.pid=DIR/exabgp.pid},
 * {@code exabgp.api.cli=false} so it creates no named pipes under /run, {@code exabgp.tcp.bind=}
 * so it has no global listener; the neighbor's {@code listen}/{@code connect} give the ports).
 *
 * <p>The API is one helper process, {@code DIR/api.py} (run by ExaBGP): it copies every line the
 * harness appends to {@code DIR/commands} to ExaBGP, and every line ExaBGP sends it (JSON events,
 * {@code done}/{@code error} acknowledgements) to {@code DIR/received.jsonl}. The harness waits
 * for one acknowledgement per command. Session state, received routes and received NOTIFICATIONs
 * are read back from that file.
 *
 * <p>ExaBGP sends {@code as-path} as given, so the harness puts the local ASN in front to match the
 * other daemons. A received Shutdown Communication is decoded from the raw NOTIFICATION
 * ({@code receive { packets; notification; }}): ExaBGP 4.2.21 itself fails to decode a Cease 6/2 or
 * 6/4 that carries text (a bytes/str formatting bug in {@code Notification.__init__}), logs
 * "can not decode update message of type 3" and answers with NOTIFICATION 1/0; the raw packet is
 * still handed to the API before that. It also calls a communication longer than 128 octets
 * invalid (RFC 8203's limit, not RFC 9003's 255).
 *
 * <p>ExaBGP 4.2 cannot send a raw UPDATE; {@link #announceWithRawAttributes} sends a route with
 * attributes built byte-for-byte ({@link RawAttribute}), enough for treat-as-withdraw tests.
 */
public final class ExaBgp extends BgpDaemon {
    static final String EXABGP = "/usr/sbin/exabgp";
    static final String PYTHON = "/usr/bin/python3";
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);

    /** The API helper: commands file to ExaBGP's stdin-facing pipe, ExaBGP's output to the received file. */
    static final String API_HELPER = String.join("\n",
            "# Ribbit interop harness: ExaBGP API process.",
            "# argv[1]: file the harness appends commands to; argv[2]: file for what ExaBGP sends us.",
            "import os, sys, threading, time",
            "commands_path, received_path = sys.argv[1], sys.argv[2]",
            "def receive():",
            "    with open(received_path, 'a', buffering=1) as out:",
            "        for line in sys.stdin:",
            "            out.write(line)",
            "    os._exit(0)",
            "threading.Thread(target=receive, daemon=True).start()",
            "with open(commands_path, 'r') as commands:",
            "    pending = ''",
            "    while True:",
            "        chunk = commands.readline()",
            "        if not chunk:",
            "            time.sleep(0.02)",
            "            continue",
            "        pending += chunk",
            "        if pending.endswith('\\n'):",
            "            sys.stdout.write(pending)",
            "            sys.stdout.flush()",
            "            pending = ''",
            "");

    private int acksExpected;

    public ExaBgp(Peering peering) {
        super(peering);
    }

    @Override
    public String name() {
        return "exabgp";
    }

    @Override
    protected List<String> binaries() {
        return List.of(EXABGP, PYTHON);
    }

    @Override
    protected void writeConfig(Path dir) {
        acksExpected = 0;
        write(dir.resolve("api.py"), API_HELPER);
        write(dir.resolve("commands"), "");
        write(dir.resolve("received.jsonl"), "");
        write(dir.resolve("exabgp.conf"), config(peering, dir));
    }

    @Override
    protected List<String> command(Path dir) {
        return List.of(EXABGP, dir.resolve("exabgp.conf").toString());
    }

    @Override
    protected Map<String, String> environment(Path dir) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("exabgp.daemon.daemonize", "false");
        env.put("exabgp.daemon.user", System.getProperty("user.name"));
        env.put("exabgp.daemon.drop", "false");
        env.put("exabgp.daemon.pid", dir.resolve("exabgp.pid").toString());
        env.put("exabgp.api.cli", "false");
        env.put("exabgp.api.ack", "true");
        env.put("exabgp.api.respawn", "false"); // a respawned helper would replay the commands file
        env.put("exabgp.api.encoder", "json");
        env.put("exabgp.tcp.bind", "");
        env.put("exabgp.log.destination", "stdout");
        env.put("exabgp.log.level", "INFO");
        return env;
    }

    /** Ready once the pid file exists: ExaBGP writes it after loading the configuration. */
    @Override
    protected boolean ready() {
        return Files.exists(dir().resolve("exabgp.pid")) && log().contains("loaded new configuration successfully");
    }

    /** exabgp.conf for {@code peering}; the API helper lives in {@code dir}. */
    static String config(Peering p, Path dir) {
        StringBuilder c = new StringBuilder();
        c.append("# Ribbit interop harness: ExaBGP peering with ").append(p.peerAddress()).append('\n');
        c.append("process ribbit-api {\n");
        c.append("    run ").append(PYTHON).append(' ').append(dir.resolve("api.py")).append(' ')
                .append(dir.resolve("commands")).append(' ').append(dir.resolve("received.jsonl")).append(";\n");
        c.append("    encoder json;\n}\n");
        c.append("neighbor ").append(p.peerAddress()).append(" {\n");
        c.append("    router-id ").append(p.routerId()).append(";\n");
        c.append("    local-address ").append(p.localAddress()).append(";\n");
        c.append("    local-as ").append(p.localAsn()).append(";\n");
        c.append("    peer-as ").append(p.peerAsn()).append(";\n");
        c.append("    hold-time ").append(p.holdTime()).append(";\n");
        c.append("    listen ").append(p.localPort()).append(";\n");
        if (p.passive()) {
            c.append("    passive true;\n");
        } else {
            c.append("    passive false;\n");
            c.append("    connect ").append(p.peerPort()).append(";\n");
        }
        c.append("    family {\n        ipv4 unicast;\n        ipv6 unicast;\n    }\n");
        c.append("    capability {\n        route-refresh;\n");
        if (p.gracefulRestart()) {
            c.append("        graceful-restart 120;\n");
        }
        if (p.addPathSend()) {
            c.append("        add-path send;\n");
        }
        c.append("    }\n");
        c.append("    api {\n        processes [ ribbit-api ];\n        neighbor-changes;\n");
        c.append("        receive {\n            parsed;\n            packets;\n            update;\n"
                + "            notification;\n        }\n    }\n");
        c.append("}\n");
        return c.toString();
    }

    /** The API command announcing {@code r} from AS {@code localAsn}, plus {@code raw} attributes. */
    static String announceCommand(String peer, long localAsn, Route r, List<RawAttribute> raw) {
        StringBuilder s = new StringBuilder("neighbor ").append(peer).append(" announce route ").append(r.prefix())
                .append(" next-hop ").append(r.nextHop()).append(" origin igp as-path [");
        r.pathAsSentBy(localAsn).forEach(asn -> s.append(' ').append(asn));
        s.append(" ]");
        if (!r.communities().isEmpty()) {
            s.append(" community [ ").append(String.join(" ", r.communities())).append(" ]");
        }
        if (!r.largeCommunities().isEmpty()) {
            s.append(" large-community [ ").append(String.join(" ", r.largeCommunities())).append(" ]");
        }
        r.med().ifPresent(m -> s.append(" med ").append(m));
        raw.forEach(a -> s.append(' ').append(a.exabgpSyntax()));
        return s.toString();
    }

    @Override
    public void announce(List<Route> routes) {
        List<String> cmds = new ArrayList<>();
        routes.forEach(r -> cmds.add(announceCommand(peering.peerAddress(), peering.localAsn(), r, List.of())));
        send(cmds);
    }

    /**
     * Announces {@code route} with {@code attributes} added byte-for-byte (each replaces ExaBGP's own
     * attribute of the same type code), e.g. {@link RawAttribute#medWithBadLength()} for a
     * treat-as-withdraw test.
     */
    public void announceWithRawAttributes(Route route, List<RawAttribute> attributes) {
        send(List.of(announceCommand(peering.peerAddress(), peering.localAsn(), route, attributes)));
    }

    @Override
    public void withdraw(List<Route> routes) {
        List<String> cmds = new ArrayList<>();
        routes.forEach(r -> cmds.add("neighbor " + peering.peerAddress() + " withdraw route " + r.prefix()
                + " next-hop " + r.nextHop()));
        send(cmds);
    }

    /** Sends API commands (one per line) and waits for ExaBGP to acknowledge each. */
    public synchronized void send(List<String> commands) {
        StringBuilder text = new StringBuilder();
        for (String c : commands) {
            if (c.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("one command per line: " + c);
            }
            text.append(c).append('\n');
        }
        try {
            Files.writeString(dir().resolve("commands"), text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acksExpected += commands.size();
        await(ACK_TIMEOUT, "ExaBGP to acknowledge " + commands, () -> acks()[0] + acks()[1] >= acksExpected);
        if (acks()[1] > 0) {
            throw new IllegalStateException("ExaBGP answered error to one of " + commands + "; log:\n" + tail(log()));
        }
    }

    /** {done, error} counts so far. */
    private int[] acks() {
        int[] counts = new int[2];
        for (String line : received()) {
            if (line.equals("done")) {
                counts[0]++;
            } else if (line.equals("error")) {
                counts[1]++;
            }
        }
        return counts;
    }

    private List<String> received() {
        try {
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(dir().resolve("received.jsonl"), StandardCharsets.UTF_8)) {
                lines.add(line.strip());
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<JsonNode> events() {
        List<JsonNode> events = new ArrayList<>();
        for (String line : received()) {
            if (line.startsWith("{")) {
                events.add(json(line));
            }
        }
        return events;
    }

    /** The last {@code neighbor-changes} event for the peer is {@code up}. */
    @Override
    public boolean sessionEstablished() {
        String state = "";
        for (JsonNode e : events()) {
            if ("state".equals(e.path("type").asText())) {
                state = e.path("neighbor").path("state").asText();
            }
        }
        return state.equals("up");
    }

    /** Decoded from the last raw NOTIFICATION received: code 6, subcode 2 or 4, then length and UTF-8 text. */
    @Override
    public Optional<String> receivedShutdownCommunication() {
        String body = null;
        for (JsonNode e : events()) {
            JsonNode m = e.path("neighbor").path("message");
            if ("notification".equals(e.path("type").asText()) && "receive".equals(e.path("neighbor").path("direction").asText())
                    && m.has("body")) {
                body = m.path("body").asText();
            }
        }
        return body == null ? Optional.empty() : shutdownCommunication(body);
    }

    /** The RFC 9003 text in a NOTIFICATION body given as ExaBGP's {@code 0x...} hex. */
    static Optional<String> shutdownCommunication(String hexBody) {
        byte[] b = HexFormat.of().parseHex(hexBody.startsWith("0x") ? hexBody.substring(2) : hexBody);
        if (b.length < 3 || b[0] != 6 || (b[1] != 2 && b[1] != 4)) {
            return Optional.empty();
        }
        int length = Math.min(b[2] & 0xFF, b.length - 3);
        return length == 0 ? Optional.empty() : Optional.of(new String(b, 3, length, StandardCharsets.UTF_8));
    }

    /** Replays the parsed UPDATEs since the session last came up. */
    @Override
    public List<Route> receivedRoutes() {
        Map<String, Route> table = new LinkedHashMap<>();
        for (JsonNode e : events()) {
            String type = e.path("type").asText();
            if ("state".equals(type) && !"up".equals(e.path("neighbor").path("state").asText())) {
                table.clear();
            }
            JsonNode update = e.path("neighbor").path("message").path("update");
            if (!"update".equals(type) || update.isMissingNode()) {
                continue;
            }
            for (JsonNode family : update.path("withdraw")) {
                family.forEach(n -> table.remove(nlri(n)));
            }
            JsonNode attr = update.path("attribute");
            List<Long> path = new ArrayList<>();
            attr.path("as-path").forEach(a -> path.add(a.asLong()));
            List<String> communities = new ArrayList<>();
            attr.path("community").forEach(c -> communities.add(c.path(0).asLong() + ":" + c.path(1).asLong()));
            List<String> large = new ArrayList<>();
            attr.path("large-community").forEach(c -> large.add(c.path(0).asLong() + ":" + c.path(1).asLong() + ":"
                    + c.path(2).asLong()));
            OptionalLong med = attr.has("med") ? OptionalLong.of(attr.path("med").asLong()) : OptionalLong.empty();
            for (JsonNode family : update.path("announce")) {
                for (Iterator<String> it = family.fieldNames(); it.hasNext(); ) {
                    String nextHop = it.next();
                    for (JsonNode n : family.path(nextHop)) {
                        String prefix = nlri(n);
                        table.put(prefix, new Route(prefix, nextHop, path, communities, large, med));
                    }
                }
            }
        }
        return new ArrayList<>(table.values());
    }

    private static String nlri(JsonNode n) {
        return n.isTextual() ? n.asText() : n.path("nlri").asText();
    }

    /**
     * {@code neighbor X teardown 2}: Cease 6/2 <em>without</em> a Shutdown Communication (ExaBGP 4.2
     * has no way to send one); ExaBGP reconnects afterwards.
     */
    @Override
    public void sendShutdown(String communication) {
        send(List.of("neighbor " + peering.peerAddress() + " teardown 2"));
    }
}
