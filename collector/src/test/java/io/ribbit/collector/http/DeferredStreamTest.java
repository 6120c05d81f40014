package io.ribbit.collector.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.ribbit.collector.peer.Transport;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link HttpServer} streaming a {@link DeferredInput}, over a real loopback connection. */
class DeferredStreamTest {
    private static final int PIECES = 200;

    /**
     * Each piece first says "not yet" and wakes its listener at once, on the event loop, from
     * inside {@code readChunk}: what a table pass that finished before its completion was hooked
     * does. The transfer must resume from a task of its own, not inside the read in progress.
     */
    private static final class WakesInsideRead implements DeferredInput {
        private Runnable listener;
        private int next;
        private boolean waited;
        private boolean reading;
        /** Reads entered while another was in progress (a real input such as JsonStream breaks then). */
        final java.util.concurrent.atomic.AtomicInteger reentered = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void whenReady(Runnable l) {
            listener = l;
            if (waited) {
                l.run(); // ready already (the contract: no wake-up lost)
            }
        }

        @Override
        public ByteBuf readChunk(ByteBufAllocator alloc) {
            if (reading) {
                reentered.incrementAndGet();
            }
            reading = true;
            try {
                return read(alloc);
            } finally {
                reading = false;
            }
        }

        private ByteBuf read(ByteBufAllocator alloc) {
            if (next == PIECES) {
                return null;
            }
            if (!waited) {
                waited = true;
                if (listener != null) {
                    listener.run(); // the work is already done: wake up while still in this call
                }
                return null;
            }
            waited = false;
            return alloc.buffer().writeBytes(("piece " + next++ + "\n").getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        @Deprecated
        public ByteBuf readChunk(ChannelHandlerContext ctx) {
            return readChunk(ctx.alloc());
        }

        @Override
        public boolean isEndOfInput() {
            return next == PIECES;
        }

        @Override
        public void close() {
        }

        @Override
        public long length() {
            return -1;
        }

        @Override
        public long progress() {
            return next;
        }
    }

    @Test
    @DisplayName("a deferred stream woken from inside its own read arrives whole and in order")
    void wakeInsideRead() throws Exception {
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < PIECES; i++) {
            expected.append("piece ").append(i).append('\n');
        }
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newGroup(1, "test-http");
        HttpServer server = new HttpServer();
        try {
            java.util.List<WakesInsideRead> inputs = new java.util.concurrent.CopyOnWriteArrayList<>();
            server.get("/stream", () -> {
                WakesInsideRead in = new WakesInsideRead();
                inputs.add(in);
                return HttpServer.Response.stream(200, "text/plain", in);
            });
            InetSocketAddress a = server.start(new InetSocketAddress("127.0.0.1", 0), group, transport);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int round = 0; round < 20; round++) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + a.getPort() + "/stream")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertEquals(expected.toString(), r.body(), "round " + round);
            }
            assertEquals(20, inputs.size());
            for (WakesInsideRead in : inputs) {
                assertEquals(0, in.reentered.get(), "a read entered while another was in progress");
            }
        } finally {
            server.close();
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }
}
