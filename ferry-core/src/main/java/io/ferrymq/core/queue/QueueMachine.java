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

import io.ferrymq.core.queue.MessageGroups.Group;

import java.util.ArrayList;
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
 *
 * <p>Ordering (see {@link OrderingArguments}, docs/ORDERING.md): ready entries sit in one list per priority level
 * used ({@link ReadyLevels}); with {@code x-single-active-consumer} only {@link #active} is served, and it changes
 * only when nothing is unacknowledged; with {@code x-message-groups} an entry of a group goes only to the group's
 * owner while the group has unacknowledged entries, and entries of blocked groups are parked
 * ({@link MessageGroups}).
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

    /** Chooses, and reserves credit with, the consumer for an entry of {@code group} (null: ungrouped); or null. */
    private interface Picker {
        ConsumerRing.Member pick(Group group);
    }

    /** The pseudo-member a basic.get delivers to. */
    private static final ConsumerRing.Member GETTER = new ConsumerRing.Member(NO_CONSUMER, 0, false, 0);
    private static final ConsumerRing.Member NO_ACK_GETTER = new ConsumerRing.Member(NO_CONSUMER, 0, true, 0);

    /** Changed only by {@link #reconfigure} (a policy). */
    private QueueArguments arguments;
    private final OrderingArguments ordering;
    private final BodyLoader loader;
    private final ReadyLevels ready = new ReadyLevels();
    /** Null unless {@code x-message-groups}. */
    private final MessageGroups groups;
    /** The ready entries that expire, earliest first: always a subset of {@link #ready}. */
    private final TreeSet<QueueEntry> expiring = new TreeSet<>(BY_EXPIRY);
    private final PriorityQueue<Waiting> waiting = new PriorityQueue<>(
            Comparator.comparingLong(Waiting::dueAt).thenComparingLong(w -> w.entry().sequence()));
    private final Map<Long, QueueEntry> unacked = new HashMap<>();
    private final ConsumerRing consumers = new ConsumerRing();
    /** {@code x-single-active-consumer}: the consumer being served, or null. */
    private ConsumerRing.Member active;
    private long joined;
    private long nextSequence = 1;
    private long nextDeliveryId = 1;
    /** Body bytes of the ready, waiting and unacknowledged entries, in memory or not. */
    private long messageBytes;
    /** Messages that have left the queue for good (acknowledged, delivered without ack, dropped): its drain. */
    private long left;
    private boolean hadConsumers;
    private boolean dispatchCutShort;
    private QueueEntry lastEnqueued;
    /** Whether failed deliveries are reported as {@link QueueEffect.Requeued} (message trace is on). */
    private boolean reportRequeues;

    public QueueMachine() {
        this(QueueArguments.DEFAULTS);
    }

    /** A machine whose entries never leave memory. */
    public QueueMachine(QueueArguments arguments) {
        this(arguments, BodyLoader.NONE);
    }

    /** A machine that may page entries out; {@code loader} reads them back for delivery. */
    public QueueMachine(QueueArguments arguments, BodyLoader loader) {
        this(arguments, OrderingArguments.DEFAULTS, loader);
    }

    /** A machine with ordering rules, that may page entries out. */
    public QueueMachine(QueueArguments arguments, OrderingArguments ordering, BodyLoader loader) {
        this.arguments = arguments;
        this.ordering = ordering;
        this.loader = loader;
        this.groups = ordering.messageGroups() ? new MessageGroups() : null;
    }

    /** Applies one command, appending its effects, in the order they must happen, to {@code effects}. */
    public void apply(QueueCommand command, List<QueueEffect> effects) {
        if (command instanceof Enqueue enqueue) {
            enqueue(enqueue.message(), enqueue.now(), effects);
        } else if (command instanceof Insert insert) {
            insert(insert.sequence(), insert.message(), insert.now(), effects);
        } else if (command instanceof Restore restore) {
            long expiresAt = Expiry.expiresAt(arguments, restore.expiration(), restore.now());
            int group = groups == null ? QueueEntry.NO_GROUP : groups.join(restore.groupId());
            QueueEntry entry = ready.restore(restore.sequence(), restore.address(), restore.size(),
                    restore.deliveryCount(), expiresAt, ordering.levelOf(restore.priority()), group);
            if (entry != null && expiresAt != Expiry.NEVER) {
                expiring.add(entry);
            }
            nextSequence = Math.max(nextSequence, restore.sequence() + 1);
            messageBytes += restore.size();
            lastEnqueued = null;
        } else if (command instanceof QueueCommand.RestoreDeliveries restore) {
            restoreDeliveries(restore.states(), restore.now(), effects);
        } else if (command instanceof Dispatch dispatch) {
            dispatchCutShort = dispatch(consumerPicker(dispatch.credit()), DISPATCH_BATCH, dispatch.now(), effects);
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
            consumers.add(new ConsumerRing.Member(add.consumerId(), add.priority(), add.noAck(), ++joined));
            hadConsumers = true;
        } else if (command instanceof RemoveConsumer remove) {
            consumers.remove(remove.consumerId());
        } else if (command instanceof Get get) {
            ConsumerRing.Member getter = get.noAck() ? NO_ACK_GETTER : GETTER;
            dispatch(group -> group == null || group.owner == MessageGroups.NO_OWNER ? getter : null, 1, get.now(),
                    effects);
        } else if (command instanceof Return returned) {
            QueueEntry entry = returned.entry();
            if (unacked.remove(returned.deliveryId()) == null) {
                messageBytes += entry.size();
                if (groups != null) {
                    groups.rejoin(entry);
                }
            } else if (groups != null) {
                groups.settled(entry);
            }
            entry.undelivered();
            putBack(entry, returned.now(), effects);
        } else if (command instanceof Purge) {
            dropAllQueued(DropReason.PURGED, effects);
        } else if (command instanceof Delete) {
            dropAllQueued(DropReason.QUEUE_DELETED, effects);
            unacked.values().forEach(entry -> {
                if (groups != null) {
                    groups.settled(entry);
                }
                drop(entry, DropReason.QUEUE_DELETED, effects);
            });
            unacked.clear();
            consumers.clear();
            active = null;
        } else {
            throw new IllegalArgumentException("unknown queue command " + command);
        }
    }

    private void enqueue(Message message, long now, List<QueueEffect> effects) {
        lastEnqueued = null;
        if (LengthLimit.refuses(arguments, readyOnly(), readyBytes(), message.body().length)) {
            effects.add(new Refused(message, arguments.overflow() == Overflow.REJECT_PUBLISH_DLX));
            return;
        }
        int group = groups == null ? QueueEntry.NO_GROUP : groups.join(MessageGroups.groupIdOf(message));
        QueueEntry entry = new QueueEntry(nextSequence++, message, 0, Expiry.expiresAt(arguments, message, now),
                ordering.levelOf(message.properties().priority()), group);
        messageBytes += entry.size();
        append(entry);
        lastEnqueued = entry;
        while (LengthLimit.over(arguments, readyOnly(), readyBytes())) {
            drop(takeForLimit(), DropReason.MAXLEN, effects);
        }
    }

    /** A committed transaction's message at its reserved sequence: as an enqueue, but at its place. */
    private void insert(long sequence, Message message, long now, List<QueueEffect> effects) {
        int group = groups == null ? QueueEntry.NO_GROUP : groups.join(MessageGroups.groupIdOf(message));
        QueueEntry entry = new QueueEntry(sequence, message, 0, Expiry.expiresAt(arguments, message, now),
                ordering.levelOf(message.properties().priority()), group);
        messageBytes += entry.size();
        ready.insert(entry);
        if (entry.expiresAt() != Expiry.NEVER) {
            expiring.add(entry);
        }
        lastEnqueued = entry;
        while (LengthLimit.over(arguments, readyOnly(), readyBytes())) {
            drop(takeForLimit(), DropReason.MAXLEN, effects);
        }
    }

    /** Whether a length limit with {@code x-overflow} reject-publish(-dlx) would refuse a body of this size now. */
    public boolean refuses(int bodySize) {
        return LengthLimit.refuses(arguments, readyOnly(), readyBytes(), bodySize);
    }

    /** Ready entries, main and parked (not those waiting for a retry): what length limits count. */
    private int readyOnly() {
        return ready.size() + (groups == null ? 0 : groups.parkedCount());
    }

    private long readyBytes() {
        return ready.bytes() + (groups == null ? 0 : groups.parkedBytes());
    }

    /**
     * drop-head: the entry that would be delivered next goes, as in RabbitMQ (in a priority queue, the head of the
     * highest priority); with message groups, a parked entry only once the main list is empty.
     */
    private QueueEntry takeForLimit() {
        if (!ready.isEmpty()) {
            return take();
        }
        return takeParked(groups.parkedGroups().get(0));
    }

    /**
     * Hands out ready entries, parked ones first, to the consumers {@code picker} chooses, at most {@code limit}.
     *
     * @return whether it stopped at the limit with entries left that a consumer may take
     */
    private boolean dispatch(Picker picker, int limit, long now, List<QueueEffect> effects) {
        int delivered = 0;
        if (groups != null) {
            for (Group group : groups.parkedGroups()) {
                while (group.hasParked() && !group.heldBack()) {
                    if (delivered == limit) {
                        return true;
                    }
                    QueueEntry head = liveParkedHead(group, now, effects);
                    if (head == null) {
                        break;
                    }
                    ConsumerRing.Member consumer = picker.pick(group);
                    if (consumer == null) {
                        break;
                    }
                    deliver(consumer, takeParked(group), effects);
                    delivered++;
                }
            }
        }
        while (!ready.isEmpty()) {
            if (delivered == limit) {
                return true;
            }
            Group group = groups == null ? null : groups.get(ready.peekGroup());
            if (group != null && (group.hasParked() || group.heldBack()
                    || group.owner != MessageGroups.NO_OWNER && !consumers.contains(group.owner)
                    && group.owner != NO_CONSUMER)) {
                // its group cannot take it now: parked as it is (a paged slot is not read)
                groups.park(group, ready);
                continue;
            }
            QueueEntry head = liveHead(now, effects);
            if (head == null) {
                return false;
            }
            if (head.group() != (group == null ? QueueEntry.NO_GROUP : group.handle)) {
                continue; // the head expired or was lost: look at the new one
            }
            ConsumerRing.Member consumer = picker.pick(group);
            if (consumer == null) {
                if (group == null || group.owner == MessageGroups.NO_OWNER) {
                    return false; // nobody can take anything now
                }
                groups.park(group, ready);
                continue;
            }
            deliver(consumer, take(), effects);
            delivered++;
        }
        return false;
    }

    /** Chooses among the consumers: the group's owner while it has one, else the next in turn (or the active one). */
    private Picker consumerPicker(CreditGate credit) {
        return group -> {
            if (consumers.isEmpty()) {
                return null;
            }
            if (group != null && group.owner != MessageGroups.NO_OWNER) {
                if (ordering.singleActiveConsumer() && (active == null || active.id() != group.owner)) {
                    return null;
                }
                return consumers.contains(group.owner) && credit.tryReserve(group.owner)
                        ? consumers.get(group.owner) : null;
            }
            if (!ordering.singleActiveConsumer()) {
                return consumers.reserveNext(credit);
            }
            ConsumerRing.Member serving = activeConsumer();
            return serving != null && credit.tryReserve(serving.id()) ? serving : null;
        };
    }

    /**
     * The single active consumer: the senior one (highest priority, then earliest), but a change of consumer waits
     * until nothing is unacknowledged, so that the next one sees every message, redeliveries included, in order.
     */
    private ConsumerRing.Member activeConsumer() {
        ConsumerRing.Member senior = consumers.senior();
        if (active != null && active.equals(senior)) {
            return active;
        }
        if (!unacked.isEmpty()) {
            return null;
        }
        active = senior;
        return active;
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
            if (entry.parked) {
                groups.removeParked(entry);
            } else {
                ready.remove(entry);
            }
            drop(entry, DropReason.EXPIRED, effects);
        }
        while (!waiting.isEmpty() && waiting.peek().dueAt() <= now) {
            QueueEntry entry = waiting.poll().entry();
            if (groups != null && groups.of(entry) != null) {
                groups.of(entry).waiting--;
            }
            putBack(entry, now, effects);
        }
    }

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

    /** {@link #liveHead} of a group's parked entries. */
    private QueueEntry liveParkedHead(Group group, long now, List<QueueEffect> effects) {
        while (group.hasParked()) {
            if (Expiry.expired(groups.peekParked(group), now)) {
                drop(takeParked(group), DropReason.EXPIRED, effects);
                continue;
            }
            try {
                return groups.peekLoadedParked(group, loader);
            } catch (RuntimeException unreadable) {
                drop(takeParked(group), DropReason.LOST, effects);
            }
        }
        return null;
    }

    private QueueEntry takeParked(Group group) {
        QueueEntry entry = groups.pollParked(group);
        if (entry.expiresAt() != Expiry.NEVER) {
            expiring.remove(entry);
        }
        return entry;
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
        Group group = groups == null ? null : groups.of(entry);
        if (group != null && group.hasParked()) {
            groups.requeueParked(group, entry);
        } else {
            ready.requeue(entry);
        }
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
        long readyAt = readyAtAfterFailure(entry, now);
        if (readyAt == DROPPED) {
            drop(entry, DropReason.DELIVERY_LIMIT, effects);
        } else if (readyAt > now) {
            waitForRetry(entry, readyAt);
            if (reportRequeues) {
                effects.add(new QueueEffect.Requeued(entry, readyAt));
            }
        } else {
            if (reportRequeues) {
                effects.add(new QueueEffect.Requeued(entry, -1));
            }
            putBack(entry, now, effects);
        }
    }

    /** {@link #readyAtAfterFailure}: the failure takes the entry over its delivery limit. */
    public static final long DROPPED = -1;

    /**
     * When an unacknowledged entry whose delivery fails at {@code now} is ready again: {@code now}, or later with a
     * retry delay; {@link #DROPPED} when the failure takes it over its delivery limit.
     */
    public long readyAtAfterFailure(QueueEntry entry, long now) {
        if (arguments.deliveryLimit() != QueueArguments.NONE && entry.deliveryCount() > arguments.deliveryLimit()) {
            return DROPPED;
        }
        return arguments.retries() ? now + RetrySchedule.delayAfter(arguments, entry.deliveryCount()) : now;
    }

    private void waitForRetry(QueueEntry entry, long readyAt) {
        if (groups != null && groups.of(entry) != null) {
            groups.of(entry).waiting++;
        }
        waiting.add(new Waiting(readyAt, entry));
    }

    private void restoreDeliveries(Map<Long, DeliveryState> states, long now, List<QueueEffect> effects) {
        List<QueueEntry> taken = new ArrayList<>();
        ready.takeOut(states::containsKey, taken::add);
        for (QueueEntry entry : taken) {
            if (entry.expiresAt() != Expiry.NEVER) {
                expiring.remove(entry);
            }
            DeliveryState state = states.remove(entry.sequence());
            boolean waits = state.readyAt() > now;
            entry.restoreDeliveryCount(state.deliveryCount() + (waits ? 0 : 1));
            if (waits) {
                waitForRetry(entry, state.readyAt());
            } else {
                putBack(entry, now, effects);
            }
        }
    }

    private void dropAllQueued(DropReason reason, List<QueueEffect> effects) {
        expiring.clear();
        ready.drain(entry -> drop(entry, reason, effects));
        if (groups != null) {
            groups.drainParked(entry -> drop(entry, reason, effects));
            waiting.forEach(w -> groups.of(w.entry()).waiting--);
        }
        waiting.forEach(w -> drop(w.entry(), reason, effects));
        waiting.clear();
    }

    private void deliver(ConsumerRing.Member consumer, QueueEntry entry, List<QueueEffect> effects) {
        long deliveryId = nextDeliveryId++;
        int before = entry.deliveryCount();
        entry.delivered();
        Group group = groups == null ? null : groups.of(entry);
        if (consumer.noAck()) {
            messageBytes -= entry.size();
            left++;
            if (group != null) {
                groups.leave(entry);
            }
        } else {
            unacked.put(deliveryId, entry);
            if (group != null) {
                groups.delivered(group, consumer.id());
            }
        }
        effects.add(new Deliver(consumer.id(), deliveryId, entry, before, consumer.noAck()));
    }

    private void settle(long deliveryId, Settle settle, List<QueueEffect> effects) {
        QueueEntry entry = unacked.remove(deliveryId);
        if (entry == null) {
            return;
        }
        if (groups != null) {
            groups.settled(entry);
        }
        switch (settle.op()) {
            case ACK -> drop(entry, DropReason.ACKED, effects);
            case DISCARD -> drop(entry, DropReason.REJECTED, effects);
            case REQUEUE -> failed(entry, settle.now(), effects);
        }
    }

    private void drop(QueueEntry entry, DropReason reason, List<QueueEffect> effects) {
        messageBytes -= entry.size();
        left++;
        if (groups != null) {
            groups.leave(entry);
        }
        effects.add(new Drop(entry, reason));
    }

    /** Whether the next commands report failed deliveries going back as {@link QueueEffect.Requeued} effects. */
    public void reportRequeues(boolean on) {
        reportRequeues = on;
    }

    /**
     * New arguments (a policy changed): they apply from now on (a message's TTL stays what it was at enqueue); a
     * lower length limit drops from the head at once.
     */
    public void reconfigure(QueueArguments next, List<QueueEffect> effects) {
        arguments = next;
        while (LengthLimit.over(arguments, readyOnly(), readyBytes())) {
            drop(takeForLimit(), DropReason.MAXLEN, effects);
        }
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
        return readyOnly() + waiting.size();
    }

    public int unackedCount() {
        return unacked.size();
    }

    public int consumerCount() {
        return consumers.size();
    }

    /** Body bytes of the ready, waiting and unacknowledged entries held in memory (not those paged out). */
    public long heldBytes() {
        return messageBytes - ready.pagedBytes() - (groups == null ? 0 : groups.parkedPagedBytes());
    }

    /** How many messages have left the queue for good so far: grows while its consumers drain it. */
    public long leftTotal() {
        return left;
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
