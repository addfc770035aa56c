package io.ferrymq.core.queue;

/** The default queue type: one node, messages in memory, persistent ones also in the store when durable. */
public final class ClassicQueueType implements QueueType {
    public static final String NAME = "classic";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Queue create(QueueSettings settings, QueueContext context) {
        ClassicQueue queue = new ClassicQueue(settings, context);
        queue.start();
        return queue;
    }
}
