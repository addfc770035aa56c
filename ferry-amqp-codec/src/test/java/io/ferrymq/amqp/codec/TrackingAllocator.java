package io.ferrymq.amqp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap allocator that remembers every buffer it hands out, so a test can assert that all of them (inputs,
 * the decoder's cumulation, and thus every slice of it) were released: a deterministic leak check that does
 * not wait for the garbage collector. Optionally its buffers are also handed to Netty's leak detector, which
 * ignores unpooled heap buffers, so that {@link NettyLeakCheck} watches them too.
 */
final class TrackingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> allocated = new ArrayList<>();
    private final boolean leakDetection;

    /**
     * @param leakDetection whether Netty's leak detector tracks the buffers too; at paranoid level it records a
     *     stack trace on every access, which makes decoding many times slower
     */
    TrackingAllocator(boolean leakDetection) {
        super(false);
        this.leakDetection = leakDetection;
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        ByteBuf buf = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
        allocated.add(buf);
        return leakDetection ? toLeakAwareBuffer(buf) : buf;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return newHeapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    ByteBuf copyOf(byte[] bytes, int offset, int length) {
        return heapBuffer(length).writeBytes(bytes, offset, length);
    }

    /** Asserts every buffer allocated so far has been released, then forgets them. */
    void assertAllReleased() {
        for (ByteBuf buf : allocated) {
            assertThat(buf.refCnt()).as("reference count of an allocated buffer").isZero();
        }
        allocated.clear();
    }
}
