package io.ferrymq.core.queue;

/**
 * A queue at its length limit with {@code x-overflow} reject-publish(-dlx) refused a message: the failure of the
 * future {@link Queue#offer} returns. An expected outcome (the publisher gets a nack), so it has no stack trace.
 */
public final class QueueFullException extends RuntimeException {

    QueueFullException(QueueSettings queue) {
        super(queue.describe() + " is full and refuses publishes (x-overflow)", null, false, false);
    }
}
