package io.ribbit.codec;

import static io.ribbit.codec.MessageBytes.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.ribbit.codec.ErrorVectors.Row;
import io.ribbit.codec.error.BgpError;
import io.ribbit.codec.message.BgpMessage;
import io.ribbit.codec.message.KeepaliveMessage;
import io.ribbit.codec.message.MalformedMessage;
import io.ribbit.codec.message.MessageHeader;
import io.ribbit.codec.message.UpdateMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The error table and some well-formed streams fed through a real pipeline
 * ({@link BgpFrameDecoder} + {@link BgpMessageDecoder} in an {@link EmbeddedChannel}): whole, in
 * two fragments split at every byte boundary, and one byte at a time. Every way must give the
 * same decoded objects; a header error yields exactly one {@link MalformedMessage} and everything
 * after it is discarded. Every buffer the pipeline or the test allocates must be released by
 * the end (checked per buffer, not left to the paranoid leak detector's sampling at GC time).
 */
class FrameSplitTest {
    private static final byte[] KEEPALIVE = MessageBytes.keepalive();
    /** Above this size a vector is split at a sample of boundaries (the whole header region, then a stride). */
    private static final int SPLIT_EVERY_BOUNDARY_UP_TO = 8192;

    static Stream<Row> rows() {
        return ErrorVectors.rows();
    }

    static Stream<Row> headerErrorRows() {
        return rows().filter(r -> headerError(r.wire(), r.options()));
    }

    // ------------------------------------------------------------------ the table

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    @DisplayName("KEEPALIVE + vector + KEEPALIVE + UPDATE: the same objects whole, split anywhere, byte by byte")
    void sameObjectsHoweverTheBytesArrive(Row row) {
        SessionOptions o = row.options();
        byte[] good = goodUpdate(o);
        byte[] stream = concat(KEEPALIVE, row.wire(), KEEPALIVE, good);
        List<Object> want = new ArrayList<>();
        want.add(KeepaliveMessage.INSTANCE);
        want.add(ErrorTableTest.decode(row.wire(), o));
        if (!headerError(row.wire(), o)) {
            want.add(KeepaliveMessage.INSTANCE);
            want.add(ErrorTableTest.decode(good, o));
        }
        List<Object> expected = keys(want);

        assertEquals(expected, keys(feed(o, List.of(stream))), "whole");
        for (int k : splitPoints(stream.length)) {
            List<Object> got = keys(feed(o, List.of(Arrays.copyOfRange(stream, 0, k),
                    Arrays.copyOfRange(stream, k, stream.length))));
            if (!expected.equals(got)) {
                assertEquals(expected, got, "split at " + k);
            }
        }
        assertEquals(expected, keys(feed(o, bytewise(stream))), "one byte at a time");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headerErrorRows")
    @DisplayName("After a header error: exactly one MalformedMessage, all later input discarded and released")
    void headerErrorDiscardsAllLaterInput(Row row) {
        SessionOptions o = row.options();
        TrackingAllocator alloc = new TrackingAllocator();
        BgpFrameDecoder frames = new BgpFrameDecoder(o);
        EmbeddedChannel ch = channel(frames, o, alloc);
        byte[] good = goodUpdate(o);
        List<Object> got = new ArrayList<>();
        write(ch, alloc, concat(good, row.wire(), KEEPALIVE, MessageBytes.open().bytes()), got);
        assertEquals(2, got.size(), () -> "got " + got);
        assertInstanceOf(UpdateMessage.class, got.get(0));
        MalformedMessage bad = assertInstanceOf(MalformedMessage.class, got.get(1));
        assertEquals(row.outcome().error(), bad.error());
        assertTrue(frames.discarding());

        write(ch, alloc, KEEPALIVE, got);
        write(ch, alloc, good, got);
        write(ch, alloc, new byte[] {0, 1, 2}, got);
        assertEquals(2, got.size(), () -> "input after the header error was decoded: " + got);
        assertTrue(ch.isOpen(), "closing is the FSM handler's job, not the decoder's");
        assertFalse(ch.finish());
        alloc.assertAllReleased();
    }

    // ------------------------------------------------------------- well-formed streams

    /** Several messages coalesced in one buffer, of every type, including RFC 7606 outcomes. */
    private static final List<byte[]> MESSAGES = List.of(
            MessageBytes.open().capability(65, "0000fde9").capability(1, "0001 00 01").capability(2, "").bytes(),
            KEEPALIVE,
            MessageBytes.announce().bytes(),
            MessageBytes.announce().nlri("08 0a 18 c00002 20 c6336401").attr("c0 08 08 fde90001 fde90002").bytes(),
            MessageBytes.update().bytes(),
            MessageBytes.update().attr(MessageBytes.MP_UNREACH_V6_EMPTY).bytes(),
            MessageBytes.update().attr(MessageBytes.ORIGIN_IGP).attr(MessageBytes.AS_PATH_2)
                    .attr(MessageBytes.MP_REACH_V6).bytes(),
            MessageBytes.update().withdrawn("08 0a").bytes(),
            MessageBytes.announce().replace(1, "40 01 01 03").bytes(),
            MessageBytes.announce().attr("40 06 01 00").bytes(),
            MessageBytes.announce().attr("c0 fa 02 0102").bytes(),
            MessageBytes.notification(6, 2, "05 68656c6c6f"),
            MessageBytes.routeRefresh(1, 0, 1, ""),
            MessageBytes.routeRefresh(2, 1, 1, ""),
            KEEPALIVE);

    @Test
    @DisplayName("Coalesced well-formed messages: whole, every split, byte by byte, and in chunks")
    void coalescedMessages() {
        SessionOptions o = ErrorVectors.TWO_OCTET;
        byte[] stream = concat(MESSAGES.toArray(new byte[0][]));
        List<Object> want = new ArrayList<>();
        for (byte[] m : MESSAGES) {
            BgpMessage decoded = ErrorTableTest.decode(m, o);
            assertFalse(decoded instanceof MalformedMessage, () -> "not well-formed: " + decoded);
            want.add(decoded);
        }
        List<Object> expected = keys(want);
        assertEquals(MESSAGES.size(), expected.size());

        assertEquals(expected, keys(feed(o, List.of(stream))), "whole");
        for (int k = 1; k < stream.length; k++) {
            List<Object> got = keys(feed(o, List.of(Arrays.copyOfRange(stream, 0, k),
                    Arrays.copyOfRange(stream, k, stream.length))));
            if (!expected.equals(got)) {
                assertEquals(expected, got, "split at " + k);
            }
        }
        for (int chunk : new int[] {2, 3, 5, 7, 11, 19, 64}) {
            assertEquals(expected, keys(feed(o, chunks(stream, chunk))), "chunks of " + chunk);
        }
        assertEquals(expected, keys(feed(o, bytewise(stream))), "one byte at a time");
    }

    @Test
    @DisplayName("Byte by byte, each message comes out exactly when its last byte arrives")
    void eachMessageEmittedOnItsLastByte() {
        SessionOptions o = ErrorVectors.TWO_OCTET;
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel ch = channel(new BgpFrameDecoder(o), o, alloc);
        List<Object> got = new ArrayList<>();
        List<Integer> ends = new ArrayList<>();
        int total = 0;
        for (byte[] m : MESSAGES) {
            total += m.length;
            ends.add(total);
        }
        byte[] stream = concat(MESSAGES.toArray(new byte[0][]));
        for (int written = 1; written <= stream.length; written++) {
            write(ch, alloc, new byte[] {stream[written - 1]}, got);
            int done = written;
            long complete = ends.stream().filter(e -> e <= done).count();
            assertEquals(complete, got.size(), "after byte " + written);
        }
        assertFalse(ch.finish());
        alloc.assertAllReleased();
    }

    @Test
    @DisplayName("RFC 4271 §6.1: a bad marker octet is rejected as soon as it arrives")
    void badMarkerRejectedBeforeTheHeaderIsComplete() {
        SessionOptions o = ErrorVectors.TWO_OCTET;
        TrackingAllocator alloc = new TrackingAllocator();
        BgpFrameDecoder frames = new BgpFrameDecoder(o);
        EmbeddedChannel ch = channel(frames, o, alloc);
        List<Object> got = new ArrayList<>();
        write(ch, alloc, MessageBytes.hex("ffff"), got);
        assertEquals(List.of(), got);
        write(ch, alloc, MessageBytes.hex("fe"), got);
        assertEquals(1, got.size());
        MalformedMessage bad = assertInstanceOf(MalformedMessage.class, got.get(0));
        assertEquals(BgpError.CONNECTION_NOT_SYNCHRONIZED, bad.error());
        assertEquals(0, bad.data().length);
        assertTrue(frames.discarding());
        write(ch, alloc, concat(MessageBytes.hex("ff".repeat(13) + "0013 04"), KEEPALIVE), got);
        assertEquals(1, got.size());
        assertFalse(ch.finish());
        alloc.assertAllReleased();
    }

    @Test
    @DisplayName("RFC 8654 §4: the pipeline's length limit follows the session options per message type")
    void extendedMessageLimitInThePipeline() {
        byte[] big = MessageBytes.announce().padTo(5000).bytes();
        List<Object> plain = feed(ErrorVectors.TWO_OCTET, List.of(big));
        assertEquals(1, plain.size());
        assertEquals(BgpError.BAD_MESSAGE_LENGTH, assertInstanceOf(MalformedMessage.class, plain.get(0)).error());
        List<Object> extended = feed(ErrorVectors.EXTENDED, List.of(big));
        assertEquals(1, extended.size());
        assertFalse(assertInstanceOf(UpdateMessage.class, extended.get(0)).treatAsWithdraw());
    }

    /**
     * A full table arrives in reads that almost all end inside a message, up to 16 reads per
     * wake-up of the event loop (epoll's default) before the read-complete that compacts. The
     * decoder compacts its buffer after every read, so it stays about one read long; compacting
     * only every 16th read (Netty's default) lets it grow to many reads (and, at full-table read
     * sizes, past the pooled sizes: a fresh zeroed buffer per growth).
     */
    @Test
    void theBufferStaysAboutOneReadLongWhenReadsEndInsideMessages() {
        byte[] stream = new byte[KEEPALIVE.length * 4000];
        for (int i = 0; i < 4000; i++) {
            System.arraycopy(KEEPALIVE, 0, stream, i * KEEPALIVE.length, KEEPALIVE.length);
        }
        int read = 1000; // not a multiple of 19: reads end inside a KEEPALIVE
        TrackingAllocator alloc = new TrackingAllocator();
        BgpFrameDecoder frames = new BgpFrameDecoder();
        EmbeddedChannel ch = channel(frames, SessionOptions.DEFAULT, alloc);
        List<Object> out = new ArrayList<>();
        int largest = 0;
        for (int off = 0, n = 0; off < stream.length; off += read, n++) {
            byte[] chunk = Arrays.copyOfRange(stream, off, Math.min(stream.length, off + read));
            ch.pipeline().fireChannelRead(alloc.buffer(chunk.length).writeBytes(chunk));
            largest = Math.max(largest, frames.bufferedCapacity());
            if (n % 16 == 15) {
                ch.pipeline().fireChannelReadComplete();
            }
            for (Object m = ch.readInbound(); m != null; m = ch.readInbound()) {
                out.add(m);
            }
        }
        assertEquals(4000, out.size());
        assertTrue(largest <= 4 * read, "the decoder's buffer grew to " + largest + " bytes for reads of " + read);
        assertFalse(ch.finish());
        alloc.assertAllReleased();
    }

    // ------------------------------------------------------------------ plumbing

    static byte[] goodUpdate(SessionOptions o) {
        return (o.fourOctetAs() ? MessageBytes.announce4() : MessageBytes.announce()).bytes();
    }

    static boolean headerError(byte[] wire, SessionOptions o) {
        ByteBuf b = Unpooled.wrappedBuffer(wire);
        try {
            return MessageHeader.check(b, 0, o) != null;
        } finally {
            b.release();
        }
    }

    private static int[] splitPoints(int length) {
        if (length <= SPLIT_EVERY_BOUNDARY_UP_TO) {
            return java.util.stream.IntStream.range(1, length).toArray();
        }
        return java.util.stream.IntStream.range(1, length)
                .filter(k -> k < 512 || k > length - 512 || k % 509 == 0).toArray();
    }

    private static List<byte[]> bytewise(byte[] stream) {
        return chunks(stream, 1);
    }

    private static List<byte[]> chunks(byte[] stream, int size) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < stream.length; i += size) {
            out.add(Arrays.copyOfRange(stream, i, Math.min(stream.length, i + size)));
        }
        return out;
    }

    /**
     * What equality of decoded objects means here: the object itself (its equals), plus for an
     * UPDATE its problems and for a MalformedMessage its description, which equals leaves out.
     */
    private static List<Object> keys(List<Object> decoded) {
        List<Object> out = new ArrayList<>();
        for (Object m : decoded) {
            if (m instanceof UpdateMessage u) {
                out.add(List.of(u, u.problems()));
            } else if (m instanceof MalformedMessage bad) {
                out.add(List.of(bad, bad.detail()));
            } else {
                out.add(m);
            }
        }
        return out;
    }

    private static EmbeddedChannel channel(BgpFrameDecoder frames, SessionOptions o, TrackingAllocator alloc) {
        EmbeddedChannel ch = new EmbeddedChannel(frames, new BgpMessageDecoder(o));
        ch.config().setAllocator(alloc);
        return ch;
    }

    /** Feeds the chunks one write at a time into a fresh pipeline; returns what came out. */
    static List<Object> feed(SessionOptions o, List<byte[]> chunks) {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel ch = channel(new BgpFrameDecoder(o), o, alloc);
        List<Object> out = new ArrayList<>();
        for (byte[] c : chunks) {
            write(ch, alloc, c, out);
        }
        assertFalse(ch.finish(), "nothing may be left in the channel");
        alloc.assertAllReleased();
        return out;
    }

    private static void write(EmbeddedChannel ch, TrackingAllocator alloc, byte[] bytes, List<Object> out) {
        ch.writeInbound(alloc.buffer(bytes.length).writeBytes(bytes));
        for (Object m = ch.readInbound(); m != null; m = ch.readInbound()) {
            if (!(m instanceof BgpMessage)) {
                ReferenceCountUtil.release(m);
                fail("the pipeline emitted " + m.getClass().getName() + ", not a BgpMessage");
            }
            out.add(m);
        }
        assertNull(ch.readInbound());
    }

    /**
     * Allocates unpooled heap buffers and remembers every one, so a test can assert that each was
     * released: the input buffers, the decoder's cumulation buffers, and through them every
     * retained slice the frame decoder emitted.
     */
    static final class TrackingAllocator extends AbstractByteBufAllocator {
        private final List<ByteBuf> allocated = new ArrayList<>();

        TrackingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf b = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
            allocated.add(b);
            return b;
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf b = new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity);
            allocated.add(b);
            return b;
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }

        void assertAllReleased() {
            assertTrue(!allocated.isEmpty(), "nothing was allocated through the tracking allocator");
            for (int i = 0; i < allocated.size(); i++) {
                int refCnt = allocated.get(i).refCnt();
                if (refCnt != 0) {
                    fail("buffer " + i + " of " + allocated.size() + " leaked, refCnt " + refCnt);
                }
            }
        }
    }
}
