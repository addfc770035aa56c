package io.ferrymq.core.queue;

import io.ferrymq.core.Message;
import io.ferrymq.core.SettleOp;

/**
 * What a {@link QueueMachine} can be told to do. Every command that may depend on time carries
 * {@code now} (milliseconds since the epoch, from the broker's clock): the machine never reads a
 * clock, so replaying the same commands gives the same state.
 */
public sealed interface QueueCommand {

    /** Appends a message at the tail. */
    record Enqueue(Message message, long now) implements QueueCommand {
    }

    /**
     * Adds a message of a committed transaction at the {@code sequence} reserved for it
     * ({@link QueueMachine#reserveSequence()}): at the tail, or at its place if later messages arrived meanwhile.
     */
    record Insert(long sequence, Message message, long now) implements QueueCommand {
    }

    /**
     * Adds a message recovered from the store at its old {@code sequence}, paged (its body stays in the store at
     * {@code address} until delivered), having been delivered {@code deliveryCount} times already. Its TTL (the
     * queue's, or its own {@code expiration} property, null when it has none) counts from {@code now}; its
     * {@code priority} property and {@code x-group-id} header (null when absent) place it as at its enqueue.
     */
    record Restore(long sequence, long address, int size, int deliveryCount, String expiration, Integer priority,
                   String groupId, long now) implements QueueCommand {
    }

    /**
     * At the end of recovery: the restored entries whose delivery state was stored apart ({@link DeliveryStates})
     * get their delivery counts back, plus one for a delivery that may have happened after the state was written;
     * one whose retry was still due at {@code now} waits for it again, with its count as stored. The machine removes
     * from {@code states} (mutable) each state it applied: what is left found no message.
     */
    record RestoreDeliveries(java.util.Map<Long, DeliveryState> states, long now) implements QueueCommand {
    }

    /**
     * Time passed: expires what is due, wherever it sits, and makes ready what waited for a retry. The runner sends
     * it at {@link QueueMachine#nextDeadline()}.
     */
    record Tick(long now) implements QueueCommand {
    }

    /** Adds a consumer; consumers of higher {@code priority} are served first. */
    record AddConsumer(long consumerId, int priority, boolean noAck) implements QueueCommand {
    }

    /** Removes a consumer. Its unacknowledged deliveries stay unacknowledged. */
    record RemoveConsumer(long consumerId) implements QueueCommand {
    }

    /** Hands ready messages to consumers while they have credit. */
    record Dispatch(CreditGate credit, long now) implements QueueCommand {
    }

    /** basic.get: takes the head, if any; emits a {@link QueueEffect.Deliver} with no consumer. */
    record Get(boolean noAck, long now) implements QueueCommand {
    }

    /** Settles deliveries; ids the machine does not know (already settled) are ignored. */
    record Settle(long[] deliveryIds, SettleOp op, long now) implements QueueCommand {
    }

    /**
     * A delivery emitted by the machine never reached its consumer (its session closed in
     * between): the entry goes back to its place as if it had not been delivered.
     */
    record Return(long deliveryId, QueueEntry entry, long now) implements QueueCommand {
    }

    /** Drops every ready message; unacknowledged ones are left alone. */
    record Purge(long now) implements QueueCommand {
    }

    /** The queue is deleted: drops everything and forgets its consumers. */
    record Delete(long now) implements QueueCommand {
    }
}
