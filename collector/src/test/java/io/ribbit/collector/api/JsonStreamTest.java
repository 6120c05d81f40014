package io.ribbit.collector.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link JsonStream} under Netty's ChunkedWriteHandler: bounded chunks, one valid document, every buffer released. */
class JsonStreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {"items": [0, 1, …, n-1]}; counts releases. */
    private static final class Numbers extends JsonStream {
        private final int n;
        private int next = -1;
        int releases;

        Numbers(int n) {
            super(new JsonFactory());
            this.n = n;
        }

        @Override
        protected boolean writeNext(JsonGenerator g) throws IOException {
            if (next < 0) {
                next = 0;
                g.writeStartObject();
                g.writeArrayFieldStart("items");
                return false;
            }
            if (next == n) {
                g.writeEndArray();
                g.writeEndObject();
                return true;
            }
            g.writeStartObject();
            g.writeNumberField("i", next++);
            g.writeStringField("pad", "0123456789abcdef0123456789abcdef");
            g.writeEndObject();
            return false;
        }

        @Override
        protected void release() {
            releases++;
        }
    }

    @Test
    @DisplayName("a large document comes out in chunks of about 32 KiB that concatenate to valid JSON")
    void chunks() throws Exception {
        Numbers in = new Numbers(20_000);
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkedWriteHandler());
        ch.writeAndFlush(in);
        StringBuilder all = new StringBuilder();
        int chunks = 0;
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            assertTrue(b.readableBytes() <= JsonStream.CHUNK + 8 * 1024, "chunk of " + b.readableBytes());
            all.append(b.toString(StandardCharsets.UTF_8));
            b.release();
            chunks++;
        }
        assertTrue(chunks > 20, chunks + " chunks");
        JsonNode doc = JSON.readTree(all.toString());
        assertEquals(20_000, doc.get("items").size());
        assertEquals(19_999, doc.get("items").get(19_999).get("i").asInt());
        assertTrue(in.isEndOfInput());
        assertEquals(1, in.releases);
        assertFalse(ch.finish());
    }

    @Test
    @DisplayName("closed before the end (the client went away): the subclass releases what it holds, nothing leaks")
    void closedEarly() throws Exception {
        Numbers in = new Numbers(100_000);
        ByteBuf first = in.readChunk(ByteBufAllocator.DEFAULT);
        first.release();
        in.close();
        in.close();
        assertEquals(1, in.releases);
        assertFalse(in.isEndOfInput());
    }

    @Test
    @DisplayName("a failure while writing a chunk releases that chunk's buffer")
    void failure() {
        JsonStream broken = new JsonStream(new JsonFactory()) {
            private int calls;

            @Override
            protected boolean writeNext(JsonGenerator g) throws IOException {
                if (++calls == 3) {
                    throw new IllegalStateException("bug");
                }
                g.writeStartArray();
                return false;
            }
        };
        assertThrows(IllegalStateException.class, () -> broken.readChunk(ByteBufAllocator.DEFAULT));
        broken.close();
        // the paranoid leak detector (NettyLeakExtension) fails the test if the chunk was not released
    }

    @Test
    @DisplayName("after the end there is no further chunk")
    void endOfInput() throws Exception {
        Numbers in = new Numbers(1);
        ByteBuf b = in.readChunk(ByteBufAllocator.DEFAULT);
        assertEquals("{\"items\":[{\"i\":0,\"pad\":\"0123456789abcdef0123456789abcdef\"}]}", b.toString(StandardCharsets.UTF_8));
        b.release();
        assertTrue(in.isEndOfInput());
        assertNull(in.readChunk(ByteBufAllocator.DEFAULT));
        in.close();
        assertEquals(1, in.releases);
    }
}
