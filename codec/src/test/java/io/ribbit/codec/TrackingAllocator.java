package io.ribbit.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * A test allocator that remembers every buffer it hands out, so a test can check right away,
 * without waiting for the GC, that all of them were released ({@link #assertAllReleased()}).
 * Unpooled, so a released buffer keeps {@code refCnt() == 0} (a pooled one would be recycled
 * and could look alive again), and direct by preference: Netty's leak detector tracks unpooled
 * direct buffers but not unpooled heap ones, so the PARANOID detector watches them too.
 * Not thread-safe: one channel, one event loop.
 */
final class TrackingAllocator implements ByteBufAllocator {
    private final ByteBufAllocator delegate = new UnpooledByteBufAllocator(true);
    private final List<ByteBuf> allocated = new ArrayList<>();

    private <T extends ByteBuf> T track(T buf) {
        allocated.add(buf);
        return buf;
    }

    /** How many buffers were handed out. */
    int allocations() {
        return allocated.size();
    }

    /** Throws an AssertionError naming each buffer still referenced. */
    void assertAllReleased() {
        StringBuilder live = new StringBuilder();
        int n = 0;
        for (ByteBuf b : allocated) {
            if (b.refCnt() != 0) {
                n++;
                live.append(System.lineSeparator()).append("  ").append(b).append(" refCnt ").append(b.refCnt());
            }
        }
        if (n != 0) {
            throw new AssertionError(n + " of " + allocated.size() + " buffers not released:" + live);
        }
    }

    @Override
    public ByteBuf buffer() {
        return track(delegate.buffer());
    }

    @Override
    public ByteBuf buffer(int initialCapacity) {
        return track(delegate.buffer(initialCapacity));
    }

    @Override
    public ByteBuf buffer(int initialCapacity, int maxCapacity) {
        return track(delegate.buffer(initialCapacity, maxCapacity));
    }

    @Override
    public ByteBuf ioBuffer() {
        return track(delegate.ioBuffer());
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity) {
        return track(delegate.ioBuffer(initialCapacity));
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity, int maxCapacity) {
        return track(delegate.ioBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public ByteBuf heapBuffer() {
        return track(delegate.heapBuffer());
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity) {
        return track(delegate.heapBuffer(initialCapacity));
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity, int maxCapacity) {
        return track(delegate.heapBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public ByteBuf directBuffer() {
        return track(delegate.directBuffer());
    }

    @Override
    public ByteBuf directBuffer(int initialCapacity) {
        return track(delegate.directBuffer(initialCapacity));
    }

    @Override
    public ByteBuf directBuffer(int initialCapacity, int maxCapacity) {
        return track(delegate.directBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public CompositeByteBuf compositeBuffer() {
        return track(delegate.compositeBuffer());
    }

    @Override
    public CompositeByteBuf compositeBuffer(int maxNumComponents) {
        return track(delegate.compositeBuffer(maxNumComponents));
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer() {
        return track(delegate.compositeHeapBuffer());
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
        return track(delegate.compositeHeapBuffer(maxNumComponents));
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer() {
        return track(delegate.compositeDirectBuffer());
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
        return track(delegate.compositeDirectBuffer(maxNumComponents));
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    @Override
    public int calculateNewCapacity(int minNewCapacity, int maxCapacity) {
        return delegate.calculateNewCapacity(minNewCapacity, maxCapacity);
    }
}
