package io.ribbit.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Turns Netty leak reports into test failures. Registered for every test of the module through
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} and
 * {@code junit.jupiter.extensions.autodetection.enabled=true} in {@code junit-platform.properties}.
 *
 * <p>How it hears about leaks: Netty's {@link ResourceLeakDetector} calls a
 * {@link ResourceLeakDetector.LeakListener} for every leak it reports (after the {@code LEAK:}
 * log line, once per distinct record). When this class loads it installs a
 * {@link ResourceLeakDetectorFactory} that attaches {@link #collector} to every detector Netty
 * creates from then on, then initializes {@code AbstractByteBuf} so the ByteBuf detector is one of
 * them. If something initialized Netty's buffers earlier, the existing ByteBuf detector gets the
 * listener by reflection; if neither works the extension throws, so a run never silently loses
 * leak detection.
 *
 * <p>Netty reports each distinct leak record once per JVM, and it does not track unpooled heap
 * buffers at all (use pooled or direct buffers where a leak must be seen).
 *
 * <p>When leaks are checked:
 * <ul>
 *   <li>After each test: {@link #provokeDetection()} (allocate and release a few tracked buffers,
 *       which makes the detector poll its queue of collected-but-unreleased buffers); any leak
 *       reported since the test started fails that test. Reports are only as timely as the GC, so
 *       a leak can surface one test late, or only at the class check; the record's "Created at"
 *       trace names the real site. {@code -Dribbit.leaks.gcEachTest=true} forces a GC after every
 *       test to pin each leak on its test (slower).</li>
 *   <li>After each class: {@link #forceDetection()} (GC, then provoke, a few rounds); any leak
 *       reported fails the class.</li>
 * </ul>
 * The level defaults to PARANOID when {@code io.netty.leakDetection.level} is not set (surefire
 * sets it), so every buffer is tracked.
 *
 * <p>Other modules: copy this file with its two resource files, or build codec's test-jar
 * ({@code maven-jar-plugin} goal {@code test-jar}) and depend on it with
 * {@code <type>test-jar</type><scope>test</scope>} plus the same two resource files.
 */
public final class NettyLeakExtension implements AfterEachCallback, AfterAllCallback {

    /** One reported leak: the resource type ({@code ByteBuf}) and Netty's access records. */
    public record Leak(String resourceType, String records) {
        @Override
        public String toString() {
            return "LEAK of " + resourceType + ":" + (records.isEmpty() ? " (no records; level below ADVANCED)" : records);
        }
    }

    private static final ConcurrentLinkedQueue<Leak> LEAKS = new ConcurrentLinkedQueue<>();
    private static final ResourceLeakDetector.LeakListener COLLECTOR =
            (resourceType, records) -> LEAKS.add(new Leak(resourceType, records));
    private static final Set<String> HOOKED = ConcurrentHashMap.newKeySet();
    /** {@code -Dribbit.leaks.gcEachTest=true}: GC after every test, to pin a leak on its test. */
    private static final boolean GC_EACH_TEST = Boolean.getBoolean("ribbit.leaks.gcEachTest");

    static {
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        }
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ListeningFactory());
        hookByteBufDetector();
    }

    /** Every leak reported and not yet {@link #drainLeaks() drained}. */
    public static List<Leak> leaks() {
        return new ArrayList<>(LEAKS);
    }

    /** Returns and forgets every leak reported so far. */
    public static List<Leak> drainLeaks() {
        List<Leak> out = new ArrayList<>();
        for (Leak l; (l = LEAKS.poll()) != null; ) {
            out.add(l);
        }
        return out;
    }

    /**
     * Makes the ByteBuf detector report what the GC has already found: each tracked allocation
     * polls the detector's reference queue (every allocation at PARANOID). Pooled buffers are
     * tracked; unpooled <em>heap</em> buffers never are, so they would not do.
     */
    public static void provokeDetection() {
        for (int i = 0; i < 4; i++) {
            ByteBuf b = PooledByteBufAllocator.DEFAULT.heapBuffer(1);
            b.release();
        }
    }

    /**
     * Runs the GC and provokes detection until nothing new shows up: {@code rounds} rounds at most,
     * stopping early once a leak is seen.
     */
    public static void forceDetection(int rounds) {
        for (int i = 0; i < rounds; i++) {
            System.gc();
            try {
                Thread.sleep(10); // the reference handler thread enqueues the phantom references
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            provokeDetection();
            if (!LEAKS.isEmpty()) {
                return;
            }
        }
    }

    /** {@link #forceDetection(int)} with the class-level default of 3 rounds. */
    public static void forceDetection() {
        forceDetection(3);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (GC_EACH_TEST) {
            forceDetection();
        }
        provokeDetection();
        failIfLeaked(context.getRequiredTestClass().getSimpleName() + "#" + context.getRequiredTestMethod().getName()
                + " " + context.getDisplayName() + " (a leak can surface one test late: see its 'Created at' record)");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        forceDetection();
        failIfLeaked(context.getDisplayName() + " (found by a GC after its last test)");
    }

    /**
     * The check run after each test and class: throws an AssertionError listing every leak
     * reported and not yet drained (and drains them), else does nothing.
     */
    public static void failIfLeaked(String where) {
        List<Leak> leaks = drainLeaks();
        if (leaks.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder()
                .append(leaks.size()).append(" Netty resource leak(s) reported in ").append(where).append(':');
        for (Leak l : leaks) {
            sb.append(System.lineSeparator()).append(l);
        }
        throw new AssertionError(sb.toString());
    }

    /** Whether the ByteBuf leak detector reports to {@link #leaks()}. */
    public static boolean hooked() {
        return HOOKED.contains(ByteBuf.class.getSimpleName());
    }

    private static void hookByteBufDetector() {
        try {
            Class<?> c = Class.forName("io.netty.buffer.AbstractByteBuf", true,
                    NettyLeakExtension.class.getClassLoader());
            if (hooked()) {
                return; // created by ListeningFactory during the class initialization above
            }
            // AbstractByteBuf was initialized before this extension loaded: hook its detector.
            Field f = c.getDeclaredField("leakDetector");
            f.setAccessible(true);
            ((ResourceLeakDetector<?>) f.get(null)).setLeakListener(COLLECTOR);
            HOOKED.add(ByteBuf.class.getSimpleName());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot attach a leak listener to Netty's ByteBuf leak detector; "
                    + "leaks would go unnoticed", e);
        }
    }

    /** Netty's default detectors, each with {@link #COLLECTOR} attached. */
    private static final class ListeningFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation") // the (Class, int, long) constructor is the one the default factory uses
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                long maxActive) {
            ResourceLeakDetector<T> d = new ResourceLeakDetector<>(resource, samplingInterval, maxActive);
            d.setLeakListener(COLLECTOR);
            HOOKED.add(resource.getSimpleName());
            return d;
        }

        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
            ResourceLeakDetector<T> d = new ResourceLeakDetector<>(resource, samplingInterval);
            d.setLeakListener(COLLECTOR);
            HOOKED.add(resource.getSimpleName());
            return d;
        }
    }
}
