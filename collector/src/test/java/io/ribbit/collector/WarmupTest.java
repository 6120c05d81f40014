package io.ribbit.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.ribbit.codec.SessionOptions;
import io.ribbit.codec.attr.UpdateDecodeContext;
import io.ribbit.codec.message.MessageCodec;
import io.ribbit.codec.message.UpdateMessage;
import io.ribbit.collector.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JIT warm-up runs the real ingest path on throwaway objects, bounded in time, and leaks nothing. */
class WarmupTest {
    @Test
    @Timeout(60)
    void runsTheSyntheticTableThroughThePipeline() {
        long updates = Warmup.run(0.2, "test");
        assertTrue(updates >= 20_000, "at least one pass of 20,000 UPDATEs, got " + updates);
    }

    @Test
    void theSyntheticStreamIsValidBgp() {
        ByteBuf s = Warmup.stream(500, 1);
        try {
            UpdateDecodeContext ctx = new UpdateDecodeContext();
            int n = 0;
            for (int idx = 0; idx < s.writerIndex(); n++) {
                int len = s.getUnsignedShort(idx + 16);
                UpdateMessage u = (UpdateMessage) MessageCodec.decode(s.slice(idx, len), SessionOptions.AS4, ctx);
                assertTrue(u.problems().isEmpty(), u.problems().toString());
                assertTrue(u.nlri().size() >= 1);
                idx += len;
            }
            assertEquals(500, n);
        } finally {
            s.release();
        }
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
}
