package io.ribbit.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proves {@link NettyLeakExtension} sees a real leak: a pooled ByteBuf is dropped without release,
 * the GC collects it, and Netty's detector reports it to the extension's collector. The leak is
 * drained inside the test, so the extension itself (auto-registered for this class too) does not
 * fail the build.
 */
class NettyLeakExtensionTest {

    @BeforeEach
    void startClean() {
        NettyLeakExtension.forceDetection(1);
        NettyLeakExtension.drainLeaks();
    }

    @AfterEach
    void nothingLeftForTheExtension() {
        assertTrue(NettyLeakExtension.leaks().isEmpty(), "test left leaks behind");
    }

    @Test
    void byteBufDetectorReportsToTheExtension() {
        assertTrue(NettyLeakExtension.hooked(), "ByteBuf leak detector has no listener");
        assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel(),
                "tests must run with -Dio.netty.leakDetection.level=paranoid");
    }

    @Test
    void leakedPooledBufferIsReported() {
        leakPooledBuffer();
        List<NettyLeakExtension.Leak> leaks = awaitLeaks();

        assertFalse(leaks.isEmpty(), "the deliberately leaked pooled ByteBuf was not reported within 50 GCs");
        NettyLeakExtension.Leak leak = leaks.get(0);
        assertEquals("ByteBuf", leak.resourceType());
        // PARANOID records the allocation site, so the report points at the leaking method.
        assertTrue(leak.records().contains("leakPooledBuffer"), leak::toString);
    }

    @Test
    void releasedPooledBufferIsNotReported() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        b.writeLong(42);
        assertTrue(b.release());
        NettyLeakExtension.forceDetection(3);
        assertTrue(NettyLeakExtension.drainLeaks().isEmpty());
    }

    @Test
    void extensionCheckFailsWhileALeakIsPending() {
        leakPooledBuffer();
        assertFalse(awaitLeaksKeepingThem().isEmpty(), "leak not reported");
        // The check the extension runs after every test: it must throw while a leak is pending …
        AssertionError e = assertThrows(AssertionError.class, () -> NettyLeakExtension.failIfLeaked("LeakyTest"));
        assertTrue(e.getMessage().contains("Netty resource leak"), e.getMessage());
        assertTrue(e.getMessage().contains("leakPooledBuffer"), e.getMessage());
        // … and it consumed the leak, so this test (and the build) stays green.
        assertTrue(NettyLeakExtension.leaks().isEmpty());
    }

    /** Allocated in its own frame so no local keeps the buffer reachable. */
    private static void leakPooledBuffer() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        b.writeLong(0xdeadbeefL);
        b.readByte(); // an access record besides the creation record
    }

    private static List<NettyLeakExtension.Leak> awaitLeaks() {
        awaitLeaksKeepingThem();
        return NettyLeakExtension.drainLeaks();
    }

    private static List<NettyLeakExtension.Leak> awaitLeaksKeepingThem() {
        for (int i = 0; i < 50 && NettyLeakExtension.leaks().isEmpty(); i++) {
            NettyLeakExtension.forceDetection(1);
        }
        return NettyLeakExtension.leaks();
    }
}
