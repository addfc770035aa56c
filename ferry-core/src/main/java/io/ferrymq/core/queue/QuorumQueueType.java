package io.ferrymq.core.queue;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;

/**
 * {@code x-queue-type: quorum} on a single node: RabbitMQ's declaration rules for the type (always durable, never
 * exclusive, never auto-delete), and for now the classic implementation behind them, stored through the same
 * journal. Applications written for RabbitMQ's quorum queues declare them unchanged; replication (Raft) can later
 * replace the implementation behind this type without a change visible to clients.
 */
public final class QuorumQueueType implements QueueType {
    public static final String NAME = "quorum";

    @Override
    public String name() {
        return NAME;
    }

    /**
     * @throws BrokerException PRECONDITION_FAILED with RabbitMQ's text when the declaration breaks a rule of the
     *                         type, checked in RabbitMQ's order: auto-delete, exclusive, non-durable
     */
    @Override
    public Queue create(QueueSettings settings, QueueContext context) {
        if (settings.autoDelete()) {
            throw invalidProperty("auto-delete", settings);
        }
        if (settings.exclusive()) {
            throw invalidProperty("exclusive-owner", settings);
        }
        if (!settings.durable()) {
            throw invalidProperty("non-durable", settings);
        }
        return new ClassicQueue(settings, context);
    }

    private static BrokerException invalidProperty(String property, QueueSettings settings) {
        return new BrokerException(Condition.PRECONDITION_FAILED, "invalid property '" + property + "' for "
                + settings.describe() + ": a quorum queue is always durable, never exclusive and never auto-delete");
    }
}
