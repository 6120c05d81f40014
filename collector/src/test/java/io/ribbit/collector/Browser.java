package io.ribbit.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Headless Chromium driven through chromedriver's W3C WebDriver HTTP protocol (java.net.http and
 * Jackson, no Selenium). Everything the browser writes goes under one private directory (profile,
 * {@code HOME}, XDG config and cache), which also names every process it starts: {@link #close()}
 * ends the session, then ends chromedriver, its descendants, and any process whose command line
 * mentions that directory (Chromium's crash handler re-parents itself away from chromedriver).
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Set to 1 (CI) to fail instead of skip when Chromium or chromedriver is missing. */
    static final String REQUIRE_ENV = "RIBBIT_REQUIRE_BROWSER";
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL = Duration.ofSeconds(30);

    /** A WebDriver error reply (no such element, stale element, …). */
    static final class WebDriverException extends RuntimeException {
        final String error;

        WebDriverException(String error, String message) {
            super(error + ": " + message);
            this.error = error;
        }
    }

    private final Path dir;
    private final Process driver;
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private String session;

    /** Whether both executables are installed. */
    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** Starts chromedriver and a headless Chromium session; all files under {@code dir}. */
    static Browser start(Path dir) throws Exception {
        Browser b = new Browser(dir, freePort());
        try {
            b.awaitReady();
            b.newSession();
            return b;
        } catch (Exception | Error e) {
            b.close();
            throw e;
        }
    }

    private Browser(Path dir, int port) throws IOException {
        this.dir = dir.toAbsolutePath();
        Files.createDirectories(this.dir.resolve("home"));
        ProcessBuilder pb = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(this.dir.resolve("chromedriver.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("HOME", this.dir.resolve("home").toString());
        env.put("XDG_CONFIG_HOME", this.dir.resolve("home/config").toString());
        env.put("XDG_CACHE_HOME", this.dir.resolve("home/cache").toString());
        this.driver = pb.start();
        this.base = "http://127.0.0.1:" + port;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                if (call("GET", "/status", null).path("ready").asBoolean()) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!driver.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("chromedriver did not start: " + log());
            }
            Thread.sleep(50);
        }
    }

    private void newSession() throws Exception {
        ObjectNode caps = JSON.createObjectNode();
        ObjectNode always = caps.putObject("capabilities").putObject("alwaysMatch");
        always.put("browserName", "chrome");
        always.putObject("timeouts").put("pageLoad", 30_000).put("script", 10_000).put("implicit", 0);
        ObjectNode chrome = always.putObject("goog:chromeOptions");
        chrome.put("binary", CHROMIUM.toString());
        ArrayNode args = chrome.putArray("args");
        for (String a : List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + dir.resolve("profile"))) {
            args.add(a);
        }
        session = call("POST", "/session", caps).get("sessionId").asText();
    }

    private JsonNode call(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(base + path)).timeout(CALL)
                .header("Content-Type", "application/json");
        rb.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode v = JSON.readTree(r.body()).path("value");
        if (r.statusCode() != 200) {
            throw new WebDriverException(v.path("error").asText("HTTP " + r.statusCode()), v.path("message").asText());
        }
        return v;
    }

    private JsonNode session(String method, String path, JsonNode body) {
        try {
            return call(method, "/session/" + session + path, body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void navigate(String url) {
        session("POST", "/url", JSON.createObjectNode().put("url", url));
    }

    String currentUrl() {
        return session("GET", "/url", null).asText();
    }

    /** The elements matching a CSS selector, in document order. */
    List<String> findAll(String css) {
        JsonNode v = session("POST", "/elements", JSON.createObjectNode().put("using", "css selector").put("value", css));
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            out.add(e.get(ELEMENT).asText());
        }
        return out;
    }

    Optional<String> find(String css) {
        List<String> all = findAll(css);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** Elements matching {@code css} under {@code element}. */
    List<String> findAllIn(String element, String css) {
        JsonNode v = session("POST", "/element/" + element + "/elements",
                JSON.createObjectNode().put("using", "css selector").put("value", css));
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            out.add(e.get(ELEMENT).asText());
        }
        return out;
    }

    String text(String element) {
        return session("GET", "/element/" + element + "/text", null).asText();
    }

    /** An attribute's value, or null. */
    String attribute(String element, String name) {
        JsonNode v = session("GET", "/element/" + element + "/attribute/" + name, null);
        return v.isNull() ? null : v.asText();
    }

    void click(String element) {
        session("POST", "/element/" + element + "/click", JSON.createObjectNode());
    }

    void clear(String element) {
        session("POST", "/element/" + element + "/clear", JSON.createObjectNode());
    }

    void type(String element, String text) {
        session("POST", "/element/" + element + "/value", JSON.createObjectNode().put("text", text));
    }

    /**
     * Polls {@code check} until it returns a non-null value, retrying through WebDriver errors
     * (an element replaced by a re-render is "stale"); fails after {@code timeout}.
     */
    <T> T await(String what, Duration timeout, Supplier<T> check) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                T v = check.get();
                if (v != null) {
                    return v;
                }
            } catch (WebDriverException e) {
                last = e;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                + (last == null ? "" : " (last error: " + last.getMessage() + ")"));
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("chromedriver.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        try {
            if (session != null && driver.isAlive()) {
                try {
                    call("DELETE", "/session/" + session, null); // Chromium quits
                } catch (IOException | RuntimeException e) {
                    // ended below in any case
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            List<ProcessHandle> started = new ArrayList<>(driver.descendants().toList());
            driver.destroy();
            try {
                if (!driver.waitFor(5, TimeUnit.SECONDS)) {
                    driver.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                driver.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            String mark = dir.toString();
            ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(mark)).orElse(false))
                    .forEach(started::add);
            for (ProcessHandle p : started) {
                p.destroyForcibly();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (started.stream().anyMatch(p -> !ended(p)) && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }

    /** Gone, or a zombie (its new parent may never reap it: nothing is left to end). */
    private static boolean ended(ProcessHandle p) {
        if (!p.isAlive()) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }
}
