package io.ferrymq.core.queue;

import io.ferrymq.core.Message;
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
import io.ferrymq.core.queue.QueueCommand.Tick;
import io.ferrymq.core.queue.QueueEffect.Deliver;
import io.ferrymq.core.queue.QueueEffect.Drop;
import io.ferrymq.core.queue.QueueEffect.DropReason;
import io.ferrymq.core.queue.QueueEffect.Refused;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * The logic of one queue as a pure state machine. Not thread-safe: owned by whoever runs it (a
 * {@link ClassicQueue} under its lock). It reads no clock and starts no thread; commands carry the
 * time, and the only outside input is the {@link CreditGate} of a {@link Dispatch}.
 *
 * <p>State: ready entries in FIFO order by sequence (a requeued entry returns to its original
 * place), unacknowledged deliveries by delivery id, entries waiting for a retry by due time, consumers by priority
 * and turn, and the body bytes held (ready, waiting and unacknowledged). Invariant: every enqueued entry is exactly
 * one of ready, waiting, unacknowledged, or dropped (acknowledged, rejected, expired, over a limit, purged, deleted,
 * or delivered without ack).
 *
 * <p>Expiry (see {@link Expiry}) does not wait for the head: every ready entry with an expiry is also in
 * {@link #expiring}, ordered by expiry, and a {@link Tick} takes out the ones due wherever they sit. An entry is
 * also checked when it is about to be delivered, so an expired message is never delivered, even before its tick.
 */
public final class QueueMachine {
    /** The consumer id of a basic.get delivery. Consumer ids given to the machine must differ from it. */
    public static final long NO_CONSUMER = 0;
    /**
     * Deliveries one {@code Dispatch} emits at most: their bodies are held by the effects until the runner executes
     * them, so a consumer with unlimited credit must not pull a paged backlog into memory in one go.
     */
    public static final int DISPATCH_BATCH = 256;

    private static final Comparator<QueueEntry> BY_EXPIRY =
            Comparator.comparingLong(QueueEntry::expiresAt).thenComparingLong(QueueEntry::sequence);

    /** An entry waiting for its retry delay to pass. */
    private record Waiting(long dueAt, QueueEntry entry) {
    }

    private final QueueArguments arguments;
    private final BodyLoader loader;
    private final ReadyList ready = new ReadyList();
    /** The ready entries that expire, earliest first: always a subset of {@link #ready}. */
    private final TreeSet<QueueEntry> expiring = new TreeSet<>(BY_EXPIRY);
    private final PriorityQueue<Waiting> waiting = new PriorityQueue<>(
            Comparator.comparingLong(Waiting::dueAt).thenComparingLong(w -> w.entry().sequence()));
    private final Map<Long, QueueEntry> unacked = new HashMap<>();
    private final ConsumerRing consumers = new ConsumerRing();
    private long nextSequence = 1;
    private long nextDeliveryId = 1;
    /** Body bytes of the ready, waiting and unacknowledged entries, in memory or not. */
    private long messageBytes;
    private boolean hadConsumers;
    private boolean dispatchCutShort;
    private QueueEntry lastEnqueued;

    public QueueMachine() {
        this(QueueArguments.DEFAULTS);
    }

    /** A machine whose entries never leave memory. */
    public QueueMachine(QueueArguments arguments) {
        this(arguments, BodyLoader.NONE);
    }

    /** A machine that may page entries out; {@code loader} reads them back for delivery. */
    public QueueMachine(QueueArguments arguments, BodyLoader loader) {
        this.arguments = arguments;
        this.loader = loader;
    }

    /** Applies one command, appending its effects, in the order they must happen, to {@code effects}. */
    public void apply(QueueCommand command, List<QueueEffect> effects) {
        if (command instanceof Enqueue enqueue) {
            enqueue(enqueue.message(), enqueue.now(), effects);
        } else if (command instanceof Insert insert) {
            insert(insert.sequence(), insert.message(), insert.now(), effects);
        } else if (command instanceof Restore restore) {
            long expiresAt = Expiry.expiresAt(arguments, restore.expiration(), restore.now());
            QueueEntry entry = ready.restore(restore.sequence(), restore.address(), restore.size(),
                    restore.deliveryCount(), expiresAt);
            if (entry != null && expiresAt != Expiry.NEVER) {
                expiring.add(entry);
            }
            nextSequence = Math.max(nextSequence, restore.sequence() + 1);
            messageBytes += restore.size();
            lastEnqueued = null;
        } else if (command instanceof Dispatch dispatch) {
            dispatch(dispatch.credit(), dispatch.now(), effects);
        } else if (command instanceof Tick tick) {
            tick(tick.now(), effects);
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
            if (liveHead(get.now(), effects) != null) {
                deliver(NO_CONSUMER, get.noAck(), take(), effects);
            }
        } else if (command instanceof Return returned) {
            QueueEntry entry = returned.entry();
            if (unacked.remove(returned.deliveryId()) == null) {
                messageBytes += entry.size();
            }
            entry.undelivered();
            putBack(entry, returned.now(), effects);
        } else if (command instanceof Purge) {
            dropAllQueued(DropReason.PURGED, effects);
        } else if (command instanceof Delete) {
            dropAllQueued(DropReason.QUEUE_DELETED, effects);
            unacked.values().forEach(entry -> drop(entry, DropReason.QUEUE_DELETED, effects));
            unacked.clear();
            consumers.clear();
        } else {
            throw new IllegalArgumentException("unknown queue command " + command);
        }
    }

    private void enqueue(Message message, long now, List<QueueEffect> effects) {
        lastEnqueued = null;
        if (LengthLimit.refuses(arguments, ready, message.body().length)) {
            effects.add(new Refused(message, arguments.overflow() == Overflow.REJECT_PUBLISH_DLX));
            return;
        }
        QueueEntry entry = new QueueEntry(nextSequence++, message, 0, Expiry.expiresAt(arguments, message, now));
        messageBytes += entry.size();
        append(entry);
        lastEnqueued = entry;
        while (LengthLimit.over(arguments, ready.size(), ready.bytes())) {
            drop(take(), DropReason.MAXLEN, effects);
        }
    }

    /** A committed transaction's message at its reserved sequence: as an enqueue, but at its place. */
    private void insert(long sequence, Message message, long now, List<QueueEffect> effects) {
        QueueEntry entry = new QueueEntry(sequence, message, 0, Expiry.expiresAt(arguments, message, now));
        messageBytes += entry.size();
        ready.insert(entry);
        if (entry.expiresAt() != Expiry.NEVER) {
            expiring.add(entry);
        }
        lastEnqueued = entry;
        while (LengthLimit.over(arguments, ready.size(), ready.bytes())) {
            drop(take(), DropReason.MAXLEN, effects);
        }
    }

    /** Whether a length limit with {@code x-overflow} reject-publish(-dlx) would refuse a body of this size now. */
    public boolean refuses(int bodySize) {
        return LengthLimit.refuses(arguments, ready, bodySize);
    }

    private void dispatch(CreditGate credit, long now, List<QueueEffect> effects) {
        dispatchCutShort = false;
        int delivered = 0;
        while (!consumers.isEmpty() && !ready.isEmpty()) {
            if (delivered == DISPATCH_BATCH) {
                dispatchCutShort = true;
                return;
            }
            if (liveHead(now, effects) == null) {
                return;
            }
            ConsumerRing.Member consumer = consumers.reserveNext(credit);
            if (consumer == null) {
                return;
            }
            deliver(consumer.id(), consumer.noAck(), take(), effects);
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
     * Pages out ready bodies that are in the store until at most {@code limit} body bytes stay in memory (or no
     * more can go), keeping the first {@code keepHead} ready entries, which are delivered next.
     */
    public void pageOut(long limit, int keepHead) {
        long resident = heldBytes();
        if (resident > limit) {
            ready.pageOut(resident - limit, keepHead);
        }
    }

    /** Expires what is due anywhere in the queue, and makes ready the retries that are due. */
    private void tick(long now, List<QueueEffect> effects) {
        while (!expiring.isEmpty() && Expiry.expired(expiring.first(), now)) {
            QueueEntry entry = expiring.pollFirst();
            ready.remove(entry);
            drop(entry, DropReason.EXPIRED, effects);
        }
        while (!waiting.isEmpty() && waiting.peek().dueAt() <= now) {
            putBack(waiting.poll().entry(), now, effects);
        }
    }

    /** The ready head after dropping the expired entries before it, or null when nothing is ready. */
    /**
     * The ready head, with its body in memory, after dropping the expired entries before it; null when nothing is
     * ready. A head whose body cannot be read back from the store is dropped ({@link DropReason#LOST}).
     */
    private QueueEntry liveHead(long now, List<QueueEffect> effects) {
        QueueEntry head;
        while ((head = ready.peek()) != null) {
            if (Expiry.expired(head, now)) {
                drop(take(), DropReason.EXPIRED, effects);
                continue;
            }
            try {
                return ready.peekLoaded(loader);
            } catch (RuntimeException unreadable) {
                drop(take(), DropReason.LOST, effects);
            }
        }
        return null;
    }

    private void append(QueueEntry entry) {
        ready.append(entry);
        if (entry.expiresAt() != Expiry.NEVER) {
            expiring.add(entry);
        }
    }

    /** An entry taken before goes back to its place, unless it expired meanwhile. */
    private void putBack(QueueEntry entry, long now, List<QueueEffect> effects) {
        if (Expiry.expired(entry, now)) {
            drop(entry, DropReason.EXPIRED, effects);
            return;
        }
        ready.requeue(entry);
        if (entry.expiresAt() != Expiry.NEVER) {
            expiring.add(entry);
        }
    }

    /** Takes the ready head (there must be one). */
    private QueueEntry take() {
        QueueEntry entry = ready.poll();
        if (entry.expiresAt() != Expiry.NEVER) {
            expiring.remove(entry);
        }
        return entry;
    }

    /**
     * A delivery failed (nack or reject with requeue, or its consumer went away): over the delivery limit the entry
     * leaves; with a retry delay it waits; otherwise it is ready again at its place.
     */
    private void failed(QueueEntry entry, long now, List<QueueEffect> effects) {
        if (arguments.deliveryLimit() != QueueArguments.NONE && entry.deliveryCount() > arguments.deliveryLimit()) {
            drop(entry, DropReason.DELIVERY_LIMIT, effects);
        } else if (arguments.retries()) {
            waiting.add(new Waiting(now + RetrySchedule.delayAfter(arguments, entry.deliveryCount()), entry));
        } else {
            putBack(entry, now, effects);
        }
    }

    private void dropAllQueued(DropReason reason, List<QueueEffect> effects) {
        expiring.clear();
        ready.drain(entry -> drop(entry, reason, effects));
        waiting.forEach(w -> drop(w.entry(), reason, effects));
        waiting.clear();
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
            case REQUEUE -> failed(entry, settle.now(), effects);
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

    /**
     * The earliest time (ms since the epoch) at which a {@link Tick} has something to do, or {@link Expiry#NEVER}.
     */
    public long nextDeadline() {
        long next = Expiry.NEVER;
        if (!expiring.isEmpty()) {
            next = expiring.first().expiresAt() + 1;
        }
        if (!waiting.isEmpty()) {
            next = Math.min(next, waiting.peek().dueAt());
        }
        return next;
    }

    /** Messages in the queue and not delivered: ready ones, and those waiting for a retry. */
    public int readyCount() {
        return ready.size() + waiting.size();
    }

    public int unackedCount() {
        return unacked.size();
    }

    public int consumerCount() {
        return consumers.size();
    }

    /** Body bytes of the ready, waiting and unacknowledged entries held in memory (not those paged out). */
    public long heldBytes() {
        return messageBytes - ready.pagedBytes();
    }

    /** Body bytes of the ready, waiting and unacknowledged entries, in memory or in the store. */
    public long messageBytes() {
        return messageBytes;
    }

    /** Whether a consumer was ever added: an auto-delete queue goes away only after it had one. */
    public boolean hadConsumers() {
        return hadConsumers;
    }
}
