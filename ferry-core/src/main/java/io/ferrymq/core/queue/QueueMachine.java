package io.ferrymq.core.queue;

import io.ferrymq.core.queue.QueueCommand.AddConsumer;
import io.ferrymq.core.queue.QueueCommand.Delete;
import io.ferrymq.core.queue.QueueCommand.Dispatch;
import io.ferrymq.core.queue.QueueCommand.Enqueue;
import io.ferrymq.core.queue.QueueCommand.Get;
import io.ferrymq.core.queue.QueueCommand.Insert;
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
    /**
     * Deliveries one {@code Dispatch} emits at most: their bodies are held by the effects until the runner executes
     * them, so a consumer with unlimited credit must not pull a paged backlog into memory in one go.
     */
    public static final int DISPATCH_BATCH = 256;

    private final BodyLoader loader;
    private final ReadyList ready = new ReadyList();
    private final Map<Long, QueueEntry> unacked = new HashMap<>();
    private final ConsumerRing consumers = new ConsumerRing();
    private long nextSequence = 1;
    private long nextDeliveryId = 1;
    /** Body bytes of the ready and unacknowledged entries, in memory or not. */
    private long messageBytes;
    private boolean hadConsumers;
    private boolean dispatchCutShort;
    private QueueEntry lastEnqueued;

    /** A machine whose entries never leave memory. */
    public QueueMachine() {
        this(BodyLoader.NONE);
    }

    /** A machine that may page entries out; {@code loader} reads them back for delivery. */
    public QueueMachine(BodyLoader loader) {
        this.loader = loader;
    }

    /** Applies one command, appending its effects, in the order they must happen, to {@code effects}. */
    public void apply(QueueCommand command, List<QueueEffect> effects) {
        if (command instanceof Enqueue enqueue) {
            QueueEntry entry = new QueueEntry(nextSequence++, enqueue.message());
            messageBytes += entry.size();
            ready.append(entry);
            lastEnqueued = entry;
        } else if (command instanceof Insert insert) {
            QueueEntry entry = new QueueEntry(insert.sequence(), insert.message());
            messageBytes += entry.size();
            ready.insert(entry);
            lastEnqueued = entry;
        } else if (command instanceof Restore restore) {
            ready.restore(restore.sequence(), restore.address(), restore.size(), restore.deliveryCount());
            nextSequence = Math.max(nextSequence, restore.sequence() + 1);
            messageBytes += restore.size();
            lastEnqueued = null;
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
            if (loadedHead(effects) != null) {
                deliver(NO_CONSUMER, get.noAck(), ready.poll(), effects);
            }
        } else if (command instanceof Return returned) {
            QueueEntry entry = returned.entry();
            if (unacked.remove(returned.deliveryId()) == null) {
                messageBytes += entry.size();
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
        dispatchCutShort = false;
        int delivered = 0;
        while (!consumers.isEmpty() && !ready.isEmpty()) {
            if (delivered == DISPATCH_BATCH) {
                dispatchCutShort = true;
                return;
            }
            if (loadedHead(effects) == null) {
                return;
            }
            ConsumerRing.Member consumer = consumers.reserveNext(credit);
            if (consumer == null) {
                return;
            }
            deliver(consumer.id(), consumer.noAck(), ready.poll(), effects);
            delivered++;
        }
    }

    /**
     * Whether the last {@code Dispatch} stopped at {@link #DISPATCH_BATCH} deliveries with consumers and messages
     * left: the runner executes the effects, then dispatches again.
     */
    public boolean dispatchCutShort() {
        return dispatchCutShort;
    }

    /**
     * The head entry with its body in memory, or null when none is ready. An entry whose body cannot be read back
     * from the store is dropped ({@link DropReason#LOST}) and the next one tried.
     */
    private QueueEntry loadedHead(List<QueueEffect> effects) {
        while (!ready.isEmpty()) {
            try {
                return ready.peekLoaded(loader);
            } catch (RuntimeException unreadable) {
                drop(ready.poll(), DropReason.LOST, effects);
            }
        }
        return null;
    }

    /**
     * Pages out ready bodies that are in the store until at most {@code limit} body bytes stay in memory (or no
     * more can go), keeping the first {@code keepHead} ready entries, which are delivered next.
     */
    public void pageOut(long limit, int keepHead) {
        long resident = heldBytes();
        if (resident > limit) {
            ready.pageOut(resident - limit, keepHead);
        }
    }

    private void deliver(long consumerId, boolean noAck, QueueEntry entry, List<QueueEffect> effects) {
        long deliveryId = nextDeliveryId++;
        int before = entry.deliveryCount();
        entry.delivered();
        if (noAck) {
            messageBytes -= entry.size();
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
        messageBytes -= entry.size();
        effects.add(new Drop(entry, reason));
    }

    /**
     * Takes the next sequence for a message that an {@link Insert} adds later (a transaction's, once durable);
     * messages enqueued meanwhile get higher ones.
     */
    public long reserveSequence() {
        return nextSequence++;
    }

    /** The entry of an unacknowledged delivery, or null when the id is not awaiting settlement. */
    public QueueEntry unacked(long deliveryId) {
        return unacked.get(deliveryId);
    }

    /** The entry the last {@code Enqueue} or {@code Insert} added, or null. */
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

    /** Body bytes of the ready and unacknowledged entries held in memory (not those paged out to the store). */
    public long heldBytes() {
        return messageBytes - ready.pagedBytes();
    }

    /** Body bytes of the ready and unacknowledged entries, in memory or in the store. */
    public long messageBytes() {
        return messageBytes;
    }

    /** Whether a consumer was ever added: an auto-delete queue goes away only after it had one. */
    public boolean hadConsumers() {
        return hadConsumers;
    }
}
