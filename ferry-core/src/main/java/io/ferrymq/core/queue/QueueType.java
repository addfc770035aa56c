package io.ferrymq.core.queue;

/**
 * A kind of queue ({@code x-queue-type}): {@code classic}, and {@code quorum} (on one node, the classic
 * implementation under quorum rules; replicated later). Thread-safe.
 */
public interface QueueType {

    /** The value of {@code x-queue-type} that selects this type. */
    String name();

    /**
     * A new queue of this type; also called for a queue recovered from the store.
     *
     * @throws io.ferrymq.core.BrokerException PRECONDITION_FAILED when {@code settings} break a rule of the type
     */
    Queue create(QueueSettings settings, QueueContext context);
}
