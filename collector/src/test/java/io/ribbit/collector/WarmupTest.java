package io.ribbit.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ribbit.collector.config.ConfigLoader;
import io.ribbit.collector.config.RibbitConfig;
import io.ribbit.rib.AttributeStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JIT warm-up runs the real ingest path into a throwaway daemon on loopback, bounded in time, and leaves nothing. */
class WarmupTest {
    @Test
    @Timeout(120)
    void runsARealSessionIntoAThrowawayDaemonAndLeavesNothing() throws Exception {
        RibbitConfig real = ConfigLoader.parse("""
                name: w
                router-id: 192.0.2.1
                local-as: 64512
                loc-rib:
                  enabled: true
                events:
                  - type: stdout
                """, "w.yaml");
        long setsBefore = AttributeStore.shared().size();
        // Shorter than the table takes: the warm-up still waits for the whole table once.
        long prefixes = Warmup.run(0.5, real);
        assertTrue(prefixes >= Warmup.IPV4 + Warmup.IPV6,
                "at least the whole table over the session, got " + prefixes);
        assertEquals(setsBefore, AttributeStore.shared().size(), "the warm-up's sets are released");
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertFalse(t.getName().startsWith("ribbit-blast") || t.getName().startsWith("ribbit-loc-rib"),
                    "still running: " + t.getName());
        }
    }

    @Test
    void theThrowawayConfigurationStaysOnLoopbackAndFollowsTheRealOne() throws Exception {
        RibbitConfig plain = ConfigLoader.parse("name: w\nrouter-id: 192.0.2.1\nlocal-as: 64512\n", "a.yaml");
        RibbitConfig c = ConfigLoader.parse(Warmup.config(plain), "warm-up");
        assertEquals("w-warm-up", c.name());
        assertEquals("127.0.0.1:0", c.listen().get(0).toString());
        assertNull(c.http());
        assertEquals(1, c.neighbors().size());
        assertEquals("127.0.0.1", c.neighbors().get(0).address().getHostAddress());
        assertFalse(c.locRib().enabled());
        assertTrue(c.events().isEmpty());
        assertEquals(0, c.warmup(), "no warm-up of the warm-up");
        // A name with quotes and a backslash stays one YAML string (it used to be pasted in raw).
        RibbitConfig odd = ConfigLoader.parse("name: 'rrc \"00\" \\ east'\nrouter-id: 192.0.2.1\nlocal-as: 64512\n",
                "b.yaml");
        assertEquals("rrc \"00\" \\ east-warm-up", ConfigLoader.parse(Warmup.config(odd), "warm-up").name());
    }

    @Test
    void configKey() throws Exception {
        String base = "name: w\nrouter-id: 192.0.2.1\nlocal-as: 64512\n";
        assertEquals(0, ConfigLoader.parse(base, "a.yaml").warmup());
        assertEquals(3, ConfigLoader.parse(base + "warmup: 3\n", "b.yaml").warmup());
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.ribbit.collector.config.ConfigException.class,
                () -> ConfigLoader.parse(base + "warmup: 600\n", "c.yaml"));
        assertTrue(e.getMessage().contains("c.yaml:4: warmup: must be between 0 and 60"), e.getMessage());
    }

    /** Past the set time the warm-up goes on until a whole window compiled at most the quiet amount. */
    @Test
    void settlesOnTheFirstQuietWindow() {
        long[] compiled = {1_000};
        Warmup.Settle s = new Warmup.Settle(() -> compiled[0], 500, 20);
        assertFalse(s.settled(0), "the first call opens a window");
        compiled[0] += 300;
        assertFalse(s.settled(499), "the window is not over");
        assertFalse(s.settled(500), "300 ms compiled in it: busy, a new window opens");
        compiled[0] += 21;
        assertFalse(s.settled(1000), "21 ms: still busy");
        compiled[0] += 20;
        assertFalse(s.settled(1400), "window not over yet");
        assertTrue(s.settled(1500), "20 ms in the window: quiet");
        assertEquals(1500, s.settledAt());
        compiled[0] += 1_000;
        assertTrue(s.settled(2000), "settled stays settled");
        assertEquals(1500, s.settledAt());
    }

    @Test
    void settledAtOnceWithoutACompilationCounter() {
        Warmup.Settle s = new Warmup.Settle(() -> -1, 500, 20);
        assertTrue(s.settled(7));
        assertEquals(7, s.settledAt());
    }

    @Test
    void thisJvmReportsCompilationTime() {
        // HotSpot (the JDKs Ribbit runs on) has the counter; without it the warm-up would end at N seconds.
        assertTrue(Warmup.compilationMillis() >= 0);
    }
}
