package io.ferrymq.amqp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class if Netty's leak detector (paranoid in surefire) reports a ByteBuf that was collected
 * without being released. Netty tracks pooled and direct buffers, and those of {@link TrackingAllocator}, but
 * not plain {@code Unpooled} heap buffers. The detector only sees leaks once the garbage collector has run, so
 * this is a backstop behind the deterministic reference-count checks of {@link TrackingAllocator}.
 *
 * <p>The listener has to be installed before Netty creates its ByteBuf leak detector, i.e. before the first
 * buffer exists in this JVM; every test class of this module therefore installs it first thing.
 */
final class NettyLeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static volatile boolean byteBufDetectorIsOurs;
    private static final boolean INSTALLED = install();

    @Override
    public void beforeAll(ExtensionContext context) {
        ensureInstalled();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        assertNoLeaks();
    }

    static void assertNoLeaks() {
        // Leaks surface when a collected buffer's reference is polled, which happens on the next tracked allocation
        // (a direct one: Netty does not track unpooled heap buffers).
        for (int round = 0; round < 3; round++) {
            System.gc();
            for (int i = 0; i < 10; i++) {
                Unpooled.directBuffer(1).release();
            }
        }
        List<String> leaks = List.copyOf(LEAKS);
        LEAKS.clear();
        assertThat(leaks).as("ByteBufs collected without release").isEmpty();
    }

    /** For test classes run by jqwik rather than Jupiter: call from a static initializer. */
    static void ensureInstalled() {
        assertThat(INSTALLED).as("leak listener installed before the first ByteBuf").isTrue();
    }

    private static boolean install() {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            @SuppressWarnings("deprecation")
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                    long maxActive) {
                byteBufDetectorIsOurs |= resource == ByteBuf.class;
                ResourceLeakDetector<T> detector = new ResourceLeakDetector<>(resource, samplingInterval);
                detector.setLeakListener((type, records) -> LEAKS.add(type + ": " + records));
                return detector;
            }
        });
        // The first buffer makes Netty build its ByteBuf detector, through the factory above unless it already has.
        Unpooled.buffer(1).release();
        return byteBufDetectorIsOurs;
    }
}
