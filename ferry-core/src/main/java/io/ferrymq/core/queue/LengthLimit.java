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

    /** Whether a queue that refuses publishes when full must refuse one more message of {@code size} bytes. */
    static boolean refuses(QueueArguments arguments, ReadyList ready, long size) {
        return arguments.overflow() != Overflow.DROP_HEAD && over(arguments, ready.size() + 1L, ready.bytes() + size);
    }
}
