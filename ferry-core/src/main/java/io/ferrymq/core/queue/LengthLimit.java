package io.ferrymq.core.queue;

/**
 * {@code x-max-length} and {@code x-max-length-bytes}: limits on the ready messages of a queue (unacknowledged
 * ones and ones waiting for a retry do not count, as in RabbitMQ).
 */
final class LengthLimit {
    private LengthLimit() {
    }

    /** Whether {@code count} ready messages of {@code bytes} body bytes are over a limit. */
    static boolean over(QueueArguments arguments, long count, long bytes) {
        return (arguments.maxLength() != QueueArguments.NONE && count > arguments.maxLength())
                || (arguments.maxLengthBytes() != QueueArguments.NONE && bytes > arguments.maxLengthBytes());
    }

    /**
     * Whether a queue that refuses publishes when full, holding {@code count} ready messages of {@code bytes}, must
     * refuse one more message of {@code size} bytes.
     */
    static boolean refuses(QueueArguments arguments, int count, long bytes, long size) {
        return arguments.overflow() != Overflow.DROP_HEAD && over(arguments, count + 1L, bytes + size);
    }
}
