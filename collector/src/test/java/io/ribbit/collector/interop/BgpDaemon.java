package io.ribbit.collector.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real BGP speaker (bird, FRR bgpd, gobgpd, OpenBGPD, ExaBGP) run as a child process for the
 * interoperability tests.
 *
 * <p>Each instance owns a private temporary directory holding its configuration, control socket,
 * pid file and log, and talks to exactly one peer described by a {@link Peering}: loopback
 * addresses, unprivileged ports, nothing under /etc or /run, never port 179. {@link #start()}
 * returns once the daemon's own control interface answers; {@link #awaitEstablished(Duration)}
 * then waits for the session. {@link #stop()} (also {@link #close()}) stops the daemon gracefully
 * and kills whatever is left of its process tree; a JVM shutdown hook kills every daemon still
 * running if a test run is torn down without it.
 *
 * <p>Thread safety: one test thread drives an instance; the shutdown hook only kills processes.
 *
 * <p>Environment: {@value #REQUIRE_ENV}=1 turns "daemon not installed" from a skip into a failure
 * ({@link #assumeAvailable()}); {@value #KEEP_ENV}=1 keeps the temporary directories for
 * post-mortem reading.
 */
public abstract class BgpDaemon implements AutoCloseable {
    public static final String REQUIRE_ENV = "RIBBIT_REQUIRE_DAEMONS";
    public static final String KEEP_ENV = "RIBBIT_KEEP_DAEMON_DIRS";

    /** Longest a daemon may take from exec to a control interface that answers. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    /** How long {@link #stop()} waits after SIGTERM before SIGKILL. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /** How long the shutdown hook waits after SIGTERM before SIGKILL, for all daemons together. */
    static final Duration HOOK_GRACE = Duration.ofSeconds(2);
    static final ObjectMapper JSON = new ObjectMapper();

    private static final Set<BgpDaemon> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(BgpDaemon::killAll, "ribbit-bgp-daemon-reaper"));
    }

    protected final Peering peering;
    private volatile Path dir;
    private Path logFile;
    private volatile Process process;
    private long startNanos;
    private Duration startDuration;

    protected BgpDaemon(Peering peering) {
        this.peering = peering;
    }

    /** Short name used in messages and the temporary directory name: {@code bird}, {@code frr}, ... */
    public abstract String name();

    public final Peering peering() {
        return peering;
    }

    // ------------------------------------------------------------------------------------------
    // Availability

    /** The executables this daemon needs, by absolute path. */
    protected abstract List<String> binaries();

    /** Why this daemon cannot run on this machine, or empty if it can. */
    public Optional<String> unavailableReason() {
        for (String binary : binaries()) {
            if (!Files.isExecutable(Path.of(binary))) {
                return Optional.of(binary + " is not installed");
            }
        }
        return Optional.empty();
    }

    public final boolean isAvailable() {
        return unavailableReason().isEmpty();
    }

    /**
     * Skips the calling test when this daemon cannot run here, or fails it when
     * {@value #REQUIRE_ENV}=1 (CI sets it, so a missing package cannot pass silently).
     */
    public final void assumeAvailable() {
        Optional<String> why = unavailableReason();
        if (why.isEmpty()) {
            return;
        }
        String message = name() + " is not usable here: " + why.get()
                + " (CI installs bird2, frr, gobgpd, openbgpd and exabgp with apt-get; see .ci/run)";
        if ("1".equals(System.getenv(REQUIRE_ENV))) {
            Assertions.fail(message + "; failing because " + REQUIRE_ENV + "=1");
        }
        Assumptions.abort(message + "; skipped (set " + REQUIRE_ENV + "=1 to fail instead)");
    }

    // ------------------------------------------------------------------------------------------
    // Life cycle

    /** Writes the configuration files into {@code dir}. */
    protected abstract void writeConfig(Path dir) throws IOException;

    /** The daemon's command line; it must stay in the foreground. */
    protected abstract List<String> command(Path dir);

    /** Extra environment variables for the daemon process. */
    protected Map<String, String> environment(Path dir) {
        return Map.of();
    }

    /** True once the daemon's control interface answers. */
    protected abstract boolean ready();

    /** Runs after the process tree is gone: removes anything the daemon leaves outside {@link #dir()}. */
    protected void afterStop(long pid) {
    }

    /**
     * Creates the private directory, writes the configuration, starts the daemon and waits until its
     * control interface answers. The daemon starts with no announced routes; a stopped daemon may be
     * started again (in a new directory), e.g. to test a peer restart.
     *
     * @throws IllegalStateException if it exits or does not answer within {@link #START_TIMEOUT};
     *                               the message carries the end of its log
     */
    public final synchronized void start() {
        if (process != null) {
            throw new IllegalStateException(this + " is already started");
        }
        try {
            dir = Files.createTempDirectory("ribbit-" + name() + "-");
            logFile = dir.resolve(name() + ".log");
            writeConfig(dir);
            ProcessBuilder pb = new ProcessBuilder(command(dir))
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.environment().putAll(environment(dir));
            startNanos = System.nanoTime();
            process = pb.start();
            RUNNING.add(this);
            awaitReady();
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException("cannot start " + name(), e);
        } catch (RuntimeException | Error e) {
            stop();
            throw e;
        }
    }

    private void awaitReady() {
        long deadline = startNanos + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(this + " exited with status " + process.exitValue()
                        + " while starting; log:\n" + tail(log()));
            }
            if (ready()) {
                startDuration = Duration.ofNanos(System.nanoTime() - startNanos);
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(this + " did not answer on its control interface within "
                        + START_TIMEOUT + "; log:\n" + tail(log()));
            }
            sleep(100);
        }
    }

    /**
     * Stops the daemon: SIGTERM, up to {@link #STOP_GRACE} to exit, then SIGKILL for it and every
     * process it started. Idempotent; safe to call when {@link #start()} failed half-way.
     */
    public final synchronized void stop() {
        if (process != null) {
            ProcessHandle root = process.toHandle();
            // Snapshot first: once the root exits its children are re-parented and no longer descendants.
            List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
            root.destroy();
            try {
                if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    root.destroyForcibly();
                    process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
                long deadline = System.nanoTime() + STOP_GRACE.toNanos();
                for (ProcessHandle child : all) {
                    while (child.isAlive() && System.nanoTime() < deadline) {
                        sleep(20);
                    }
                    child.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                root.destroyForcibly();
                all.forEach(ProcessHandle::destroyForcibly);
            }
            RUNNING.remove(this);
            afterStop(root.pid());
            process = null;
        }
        if (dir != null && !"1".equals(System.getenv(KEEP_ENV))) {
            deleteTree(dir);
        }
    }

    @Override
    public final void close() {
        stop();
    }

    /** The private directory; valid from {@link #start()} until {@link #stop()}. */
    public final Path dir() {
        if (dir == null) {
            throw new IllegalStateException(this + " is not started");
        }
        return dir;
    }

    public final synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** From exec to a control interface that answers. */
    public final Duration startDuration() {
        return startDuration;
    }

    /** What the daemon wrote to stdout and stderr so far (its log; daemons are set to log there). */
    public String log() {
        try {
            return logFile == null || !Files.exists(logFile) ? ""
                    : new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    // ------------------------------------------------------------------------------------------
    // BGP

    /**
     * Starts announcing {@code routes} to the peer, replacing an earlier announcement of the same
     * prefix. Returns once the daemon accepted the change; the UPDATE follows shortly after.
     */
    public abstract void announce(List<Route> routes);

    /** Withdraws earlier announced prefixes (only the prefix of each route matters). */
    public abstract void withdraw(List<Route> routes);

    /** True if the daemon's own CLI reports the session as Established. */
    public abstract boolean sessionEstablished();

    /**
     * The Shutdown Communication (RFC 9003) of the last Cease NOTIFICATION (Administrative Shutdown
     * or Reset) the daemon received, as the daemon itself reports it; empty if it reports none.
     */
    public abstract Optional<String> receivedShutdownCommunication();

    /**
     * The routes the daemon holds from its peer, decoded as far as its CLI shows them (prefix, next
     * hop and AS path always; communities, large communities and MED where shown).
     */
    public abstract List<Route> receivedRoutes();

    /** Sends Cease / Administrative Shutdown to the peer with {@code communication} as RFC 9003 text. */
    public abstract void sendShutdown(String communication);

    /** The prefixes of {@link #receivedRoutes()}. */
    public final Set<String> receivedPrefixes() {
        Set<String> prefixes = new TreeSet<>();
        receivedRoutes().forEach(r -> prefixes.add(r.prefix()));
        return prefixes;
    }

    /**
     * Waits until the session is Established.
     *
     * @return the time from {@link #start()} to Established
     */
    public final Duration awaitEstablished(Duration timeout) {
        await(timeout, this + " session Established", this::sessionEstablished);
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Waits until {@code condition} holds, polling every 100 ms; on timeout throws with this daemon's log. */
    public final void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!isRunning()) {
                throw new AssertionError(this + " exited while waiting for " + what + "; log:\n" + tail(log()));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; "
                        + this + " log:\n" + tail(log()));
            }
            sleep(100);
        }
    }

    @Override
    public String toString() {
        return name() + "@" + peering.localAddress() + ":" + peering.localPort()
                + " (AS" + peering.localAsn() + " -> " + peering.peerAddress() + " AS" + peering.peerAsn() + ")";
    }

    // ------------------------------------------------------------------------------------------
    // Helpers for implementations

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }

    static void write(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rejects text that would need quoting in a daemon's configuration or CLI language. */
    static String plainText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || c == '\'' || c < 0x20) {
                throw new IllegalArgumentException("quotes, backslashes and control characters are not supported: "
                        + text);
            }
        }
        return text;
    }

    static String tail(String log) {
        String[] lines = log.split("\n");
        int from = Math.max(0, lines.length - 40);
        return String.join("\n", Arrays.asList(lines).subList(from, lines.length));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover temporary directory is harmless
        }
    }

    /**
     * The shutdown hook: SIGTERM to every daemon still running, up to {@link #HOOK_GRACE} for all of
     * them to exit (so they reap their own children), then SIGKILL for whatever is left.
     */
    private static void killAll() {
        List<ProcessHandle> all = new ArrayList<>();
        List<BgpDaemon> daemons = List.copyOf(RUNNING);
        for (BgpDaemon daemon : daemons) {
            Process p = daemon.process;
            if (p != null) {
                all.addAll(p.toHandle().descendants().toList());
                all.add(p.toHandle());
                p.destroy();
            }
        }
        long deadline = System.nanoTime() + HOOK_GRACE.toNanos();
        while (all.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                break;
            }
        }
        all.forEach(ProcessHandle::destroyForcibly);
        if (!"1".equals(System.getenv(KEEP_ENV))) {
            daemons.stream().map(d -> d.dir).filter(Objects::nonNull).forEach(BgpDaemon::deleteTree);
        }
    }
}
