package io.ferrymq.core.queue;

/**
 * A kind of queue ({@code x-queue-type}): {@code classic} now, {@code quorum} later. Thread-safe.
 */
public interface QueueType {

    /** The value of {@code x-queue-type} that selects this type. */
    String name();

    Queue create(QueueSettings settings, QueueContext context);
}
