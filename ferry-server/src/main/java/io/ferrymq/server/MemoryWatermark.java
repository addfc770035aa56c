package io.ferrymq.server;

/**
 * Where publishers get blocked: a fraction of the JVM's maximum heap, or a fixed number of bytes. Kept unresolved in
 * the configuration so that a relative value follows whatever {@code -Xmx} the JVM was started with.
 */
public sealed interface MemoryWatermark {

    /** The watermark in bytes for a JVM whose maximum heap is {@code maxHeapBytes}. */
    long bytes(long maxHeapBytes);

    /** @param fraction of the maximum heap, from 0 (block every publish) to 1 */
    record Relative(double fraction) implements MemoryWatermark {
        @Override
        public long bytes(long maxHeapBytes) {
            return (long) (maxHeapBytes * fraction);
        }
    }

    record Absolute(long bytes) implements MemoryWatermark {
        @Override
        public long bytes(long maxHeapBytes) {
            return bytes;
        }
    }
}
