package io.ferrymq.core.queue;

import io.ferrymq.core.queue.QueueCommand.AddConsumer;
import io.ferrymq.core.queue.QueueCommand.Delete;
import io.ferrymq.core.queue.QueueCommand.Dispatch;
import io.ferrymq.core.queue.QueueCommand.Enqueue;
import io.ferrymq.core.queue.QueueCommand.Get;
import io.ferrymq.core.queue.QueueCommand.Purge;
import io.ferrymq.core.queue.QueueCommand.RemoveConsumer;
import io.ferrymq.core.queue.QueueCommand.Restore;
import io.ferrymq.core.queue.QueueCommand.Return;
import io.ferrymq.core.queue.QueueCommand.Settle;
import io.ferrymq.core.queue.QueueEffect.Deliver;
import io.ferrymq.core.queue.QueueEffect.Drop;
import io.ferrymq.core.queue.QueueEffect.DropReason;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The logic of one queue as a pure state machine. Not thread-safe: owned by whoever runs it (a
 * {@link ClassicQueue} under its lock). It reads no clock and starts no thread; commands carry the
 * time, and the only outside input is the {@link CreditGate} of a {@link Dispatch}.
 *
 * <p>State: ready entries in FIFO order by sequence (a requeued entry returns to its original
 * place), unacknowledged deliveries by delivery id, consumers by priority and turn, and the body
 * bytes held (ready plus unacknowledged). Invariant: every enqueued entry is exactly one of ready,
 * unacknowledged, or dropped (acknowledged, rejected, purged, deleted, or delivered without ack).
 */
public final class QueueMachine {
    /** The consumer id of a basic.get delivery. Consumer ids given to the machine must differ from it. */
    public static final long NO_CONSUMER = 0;

    private final ReadyList ready = new ReadyList();
    private final Map<Long, QueueEntry> unacked = new HashMap<>();
    private final ConsumerRing consumers = new ConsumerRing();
    private long nextSequence = 1;
    private long nextDeliveryId = 1;
    private long heldBytes;
    private boolean hadConsumers;
    private QueueEntry lastEnqueued;

    /** Applies one command, appending its effects, in the order they must happen, to {@code effects}. */
    public void apply(QueueCommand command, List<QueueEffect> effects) {
        if (command instanceof Enqueue enqueue) {
            QueueEntry entry = new QueueEntry(nextSequence++, enqueue.message());
            heldBytes += entry.bodySize();
            ready.append(entry);
            lastEnqueued = entry;
        } else if (command instanceof Restore restore) {
            if (restore.sequence() < nextSequence) {
                throw new IllegalArgumentException("restored sequence " + restore.sequence()
                        + " is not above the last one, " + (nextSequence - 1));
            }
            QueueEntry entry = new QueueEntry(restore.sequence(), restore.message(), restore.deliveryCount());
            nextSequence = restore.sequence() + 1;
            heldBytes += entry.bodySize();
            ready.append(entry);
            lastEnqueued = entry;
        } else if (command instanceof Dispatch dispatch) {
            dispatch(dispatch.credit(), effects);
        } else if (command instanceof Settle settle) {
            for (long id : settle.deliveryIds()) {
                settle(id, settle, effects);
            }
        } else if (command instanceof AddConsumer add) {
            if (add.consumerId() == NO_CONSUMER) {
                throw new IllegalArgumentException("consumer id " + NO_CONSUMER + " is reserved for basic.get");
            }
            consumers.add(new ConsumerRing.Member(add.consumerId(), add.priority(), add.noAck()));
            hadConsumers = true;
        } else if (command instanceof RemoveConsumer remove) {
            consumers.remove(remove.consumerId());
        } else if (command instanceof Get get) {
            if (!ready.isEmpty()) {
                deliver(NO_CONSUMER, get.noAck(), ready.poll(), effects);
            }
        } else if (command instanceof Return returned) {
            QueueEntry entry = returned.entry();
            if (unacked.remove(returned.deliveryId()) == null) {
                heldBytes += entry.bodySize();
            }
            entry.undelivered();
            ready.requeue(entry);
        } else if (command instanceof Purge) {
            ready.drain(entry -> drop(entry, DropReason.PURGED, effects));
        } else if (command instanceof Delete) {
            ready.drain(entry -> drop(entry, DropReason.QUEUE_DELETED, effects));
            unacked.values().forEach(entry -> drop(entry, DropReason.QUEUE_DELETED, effects));
            unacked.clear();
            consumers.clear();
        } else {
            throw new IllegalArgumentException("unknown queue command " + command);
        }
    }

    private void dispatch(CreditGate credit, List<QueueEffect> effects) {
        while (!ready.isEmpty() && !consumers.isEmpty()) {
            ConsumerRing.Member consumer = consumers.reserveNext(credit);
            if (consumer == null) {
                return;
            }
            deliver(consumer.id(), consumer.noAck(), ready.poll(), effects);
        }
    }

    private void deliver(long consumerId, boolean noAck, QueueEntry entry, List<QueueEffect> effects) {
        long deliveryId = nextDeliveryId++;
        int before = entry.deliveryCount();
        entry.delivered();
        if (noAck) {
            heldBytes -= entry.bodySize();
        } else {
            unacked.put(deliveryId, entry);
        }
        effects.add(new Deliver(consumerId, deliveryId, entry, before, noAck));
    }

    private void settle(long deliveryId, Settle settle, List<QueueEffect> effects) {
        QueueEntry entry = unacked.remove(deliveryId);
        if (entry == null) {
            return;
        }
        switch (settle.op()) {
            case ACK -> drop(entry, DropReason.ACKED, effects);
            case DISCARD -> drop(entry, DropReason.REJECTED, effects);
            case REQUEUE -> ready.requeue(entry);
        }
    }

    private void drop(QueueEntry entry, DropReason reason, List<QueueEffect> effects) {
        heldBytes -= entry.bodySize();
        effects.add(new Drop(entry, reason));
    }

    /** The entry the last {@code Enqueue} or {@code Restore} appended, or null. */
    public QueueEntry lastEnqueued() {
        return lastEnqueued;
    }

    public int readyCount() {
        return ready.size();
    }

    public int unackedCount() {
        return unacked.size();
    }

    public int consumerCount() {
        return consumers.size();
    }

    /** Body bytes of the ready and unacknowledged entries. */
    public long heldBytes() {
        return heldBytes;
    }

    /** Whether a consumer was ever added: an auto-delete queue goes away only after it had one. */
    public boolean hadConsumers() {
        return hadConsumers;
    }
}
