package io.ribbit.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ribbit.codec.attr.AttributeCode;
import io.ribbit.codec.attr.Communities;
import io.ribbit.codec.attr.LargeCommunities;
import io.ribbit.codec.attr.Uint32Attribute;
import io.ribbit.collector.config.ConfigLoader;
import io.ribbit.collector.peer.Peer;
import io.ribbit.collector.peer.SessionState;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The looking glass in a real browser: headless Chromium (through chromedriver) opens the page of
 * a running daemon fed by two real BGP speakers, types a prefix into the form and submits it as a
 * user would, and the rendered paths are checked in the DOM: AS paths, attributes, one best
 * marker. Skips when Chromium or chromedriver is not installed, unless {@code RIBBIT_REQUIRE_BROWSER=1}.
 */
@Timeout(180)
class LookingGlassBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** An operator-written string that is also valid HTML: it must show as text, never become an element. */
    private static final String HOSTILE = "<img src=x id=injected onerror=alert(1)>feeder & co";

    @TempDir
    Path dir;

    private final Closer open = new Closer();

    @BeforeEach
    void requireBrowser() {
        if (!Browser.available()) {
            String why = "headless browser test needs " + Browser.CHROMIUM + " and " + Browser.CHROMEDRIVER
                    + " (Debian packages chromium, chromium-driver)";
            if ("1".equals(System.getenv(Browser.REQUIRE_ENV))) {
                fail(why + "; " + Browser.REQUIRE_ENV + "=1 makes their absence a failure");
            }
            Assumptions.abort(why + ": skipped");
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        open.close();
    }

    @Test
    @DisplayName("a prefix typed into the form shows every path, its AS path and attributes, and one best marker")
    void lookup() throws Exception {
        String y = """
                name: lg
                router-id: 192.0.2.1
                local-as: 64512
                listen: ["127.0.0.1:0"]
                http: "127.0.0.1:0"
                neighbors:
                  - address: 127.0.0.5
                    remote-as: 64500
                    description: "%s"
                  - address: 127.0.0.6
                    remote-as: 64512
                """.formatted(HOSTILE.replace("\"", "\\\""));
        Daemon d = open.push(new Daemon(ConfigLoader.parse(y, "lg.yaml")));
        d.start();
        InetSocketAddress bgp = d.peers().listenAddresses().get(0);
        TestTable a = TestTable.generate(40, 4, 64500);
        TestTable b = TestTable.generate(20, 20, 64999);
        open.push(TestSpeaker.connect(a, dir, 64500, "127.0.0.5", bgp));
        open.push(TestSpeaker.connect(b, dir, 64512, "127.0.0.6", bgp, s -> s.attributes(List.of(
                new Uint32Attribute(AttributeCode.LOCAL_PREF, 200),
                Communities.of(64512 << 16 | 100, Communities.NO_EXPORT),
                LargeCommunities.of(64512, 1, 2)))));
        awaitTable(d, "127.0.0.5", a);
        awaitTable(d, "127.0.0.6", b);

        Browser browser = open.push(Browser.start(dir.resolve("browser")));
        InetSocketAddress http = d.httpAddress();
        browser.navigate("http://" + http.getHostString() + ":" + http.getPort() + "/");

        // The peers table fills itself from /api/peers.
        browser.await("two established peers in the table", WAIT, () -> {
            List<String> states = browser.findAll("#peers tbody tr.peer td.state").stream().map(browser::text).toList();
            return states.equals(List.of("established", "established")) ? states : null;
        });
        String description = browser.await("the description cell", WAIT, () -> browser.find(
                "#peers tbody tr.peer td.peer-description").map(browser::text).orElse(null));
        assertEquals(HOSTILE, description, "shown as text");
        assertTrue(browser.find("#injected").isEmpty(), "the description did not become an element");
        assertTrue(browser.findAll("#peers img").isEmpty(), "no element from data");

        // A lookup as a user does it: type, submit, read the rendered paths.
        String q = browser.find("#q").orElseThrow();
        browser.type(q, "10.0.0.0/24");
        browser.click(browser.find("#go").orElseThrow());
        List<String> rows = browser.await("two rendered paths", WAIT, () -> {
            List<String> r = browser.findAll("#results tr.path");
            return r.size() == 2 ? r : null;
        });
        assertEquals("10.0.0.0/24", browser.text(browser.find("#results .prefix-result .prefix").orElseThrow()));
        List<String> best = browser.findAll("#results tr.path.best");
        assertEquals(1, best.size(), "one best path");
        assertEquals(rows.get(0), best.get(0), "the best path comes first");
        assertEquals("true", browser.attribute(rows.get(0), "data-best"));
        assertEquals("false", browser.attribute(rows.get(1), "data-best"));
        assertEquals("★ best", browser.text(browser.findAllIn(rows.get(0), ".best-marker").get(0)));
        assertTrue(browser.findAllIn(rows.get(1), ".best-marker").isEmpty());

        assertEquals("127.0.0.6", cell(browser, rows.get(0), "td.peer-name"), "iBGP, LOCAL_PREF 200");
        assertEquals("64999 4200000000 65000", cell(browser, rows.get(0), "td.as-path"));
        assertEquals("200", cell(browser, rows.get(0), "td.local-pref"));
        assertEquals("64512:100 65535:65281 (NO_EXPORT)", cell(browser, rows.get(0), "td.community"));
        assertEquals("64512:1:2", cell(browser, rows.get(0), "td.large-community"));
        assertEquals("127.0.0.6", cell(browser, rows.get(0), "td.next-hop"));
        assertEquals("IGP", cell(browser, rows.get(0), "td.origin"));

        assertEquals("127.0.0.5", cell(browser, rows.get(1), "td.peer-name"));
        assertEquals("64500 4200000000 65000", cell(browser, rows.get(1), "td.as-path"));
        assertEquals("10", cell(browser, rows.get(1), "td.med"), "block 0 has MED 10");
        assertEquals("", cell(browser, rows.get(1), "td.local-pref"), "eBGP: no LOCAL_PREF");
        assertTrue(browser.currentUrl().endsWith("/?q=10.0.0.0%2F24"), browser.currentUrl());

        // An address: the longest match (one path); then a malformed prefix: the API's error, shown.
        browser.clear(q);
        browser.type(q, "10.0.0.37");
        browser.click(browser.find("#go").orElseThrow());
        browser.await("the longest match for 10.0.0.37 (127.0.0.5's 10.0.0.0/24 and 127.0.0.6's)", WAIT, () ->
                browser.findAll("#results tr.path").size() == 2
                        && browser.text(browser.find("#lookup-status").orElseThrow()).startsWith("1 prefix") ? true : null);
        browser.clear(q);
        browser.type(q, "10.0.0.1/24");
        browser.click(browser.find("#go").orElseThrow());
        String error = browser.await("the error message", WAIT, () -> browser.find("#lookup-status.error")
                .map(browser::text).orElse(null));
        assertTrue(error.contains("host bits set"), error);
        assertTrue(browser.findAll("#results tr.path").isEmpty());

        // The query string runs a lookup on load (a link to a result).
        browser.navigate("http://" + http.getHostString() + ":" + http.getPort() + "/?q=10.0.30.0%2F24");
        browser.await("the one path for 10.0.30.0/24 (127.0.0.5's)", WAIT, () -> {
            List<String> r = browser.findAll("#results tr.path");
            return r.size() == 1 && browser.text(browser.findAllIn(r.get(0), "td.as-path").get(0))
                    .equals("64500 4200000007 65007") ? true : null;
        });
        assertEquals(1, browser.findAll("#results tr.path.best").size());
    }

    private static String cell(Browser b, String row, String css) {
        return b.text(b.findAllIn(row, css).get(0));
    }

    private static void awaitTable(Daemon d, String ip, TestTable t) throws Exception {
        Peer p = d.peers().peer(InetAddress.getByName(ip));
        Await.until("Established with " + ip, WAIT, () -> p.state() == SessionState.ESTABLISHED, p::toString);
        Await.until(t.size() + " routes from " + ip, WAIT, () -> p.rib().size() == t.size(),
                () -> p.rib().size() + " routes, " + p);
    }
}
