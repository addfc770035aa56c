package io.ferrymq.core.queue;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.Delivery;
import io.ferrymq.core.GetResult;
import io.ferrymq.core.Message;
import io.ferrymq.core.SettleOp;
import io.ferrymq.core.persist.BrokerRecords;
import io.ferrymq.core.persist.Persistence;
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
import io.ferrymq.core.queue.QueueCommand.Tick;
import io.ferrymq.core.queue.QueueEffect.Deliver;
import io.ferrymq.core.queue.QueueEffect.Drop;
import io.ferrymq.core.queue.QueueEffect.Refused;
import io.ferrymq.core.timer.Scheduler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The classic queue: a {@link QueueMachine} in memory, guarded by this queue's own {@link #lock}.
 * Every operation runs on the caller's thread: take the lock, apply commands, execute their
 * effects (deliveries go to consumers while the lock is held, so they leave in the machine's
 * order), release, then report the change in held bytes to the memory monitor.
 *
 * <p>Lock order: queue lock, then a session lock inside {@link QueueConsumer} calls; never the
 * reverse, and never a second queue lock. So messages leaving for the dead-letter exchange are collected under the
 * lock and published into their next queues after it is released (their stored copies here are deleted after
 * that, so a crash in between leaves a copy in both queues rather than in none).
 *
 * <p>Time: one {@link Scheduler} timer per queue at a time, for the machine's next deadline (expiry, retry) or the
 * queue's idle expiry, whichever comes first; re-armed after every operation.
 */
public final class ClassicQueue implements Queue {
    private static final Logger LOG = LoggerFactory.getLogger(ClassicQueue.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** Ready entries at the head that stay in memory when the queue pages out: they are delivered next. */
    private static final int KEEP_HEAD = 128;

    /** A message to publish to the dead-letter exchange; {@code entry} (null when never enqueued) is then unstored. */
    private record DeadLetter(QueueEntry entry, Message message, String reason) {
    }

    private final QueueSettings settings;
    private final QueueArguments arguments;
    private final QueueContext context;
    private final ReentrantLock lock = new ReentrantLock();
    private final QueueMachine machine;
    /** Under the lock; published once it is released. */
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    /** The pending timer and its due time; under the lock. */
    private Scheduler.Timer timer;
    private long timerAt = Expiry.NEVER;
    /** When a consumer, basic.get or redeclare last used the queue (x-expires). */
    private volatile long lastUsed;
    private final Map<Long, QueueConsumer> consumers = new HashMap<>();
    /** Reused for every command; emptied after its effects ran. */
    private final List<QueueEffect> effects = new ArrayList<>();
    private final CreditGate credit = id -> consumers.get(id).tryReserve();
    private QueueConsumer exclusiveConsumer;
    /** See {@link #storeKey()}; written before the queue is published, read under the lock. */
    private long storeKey;
    private volatile boolean deleted;
    private volatile int readyCount;
    private volatile int unackedCount;
    private volatile int consumerCount;

    ClassicQueue(QueueSettings settings, QueueContext context) {
        this.settings = settings;
        this.arguments = QueueArguments.of(settings);
        this.context = context;
        this.machine = new QueueMachine(arguments, OrderingArguments.of(settings), this::load);
        this.lastUsed = now();
    }

    /** Arms the idle-expiry timer; called once the queue is built. */
    void start() {
        locked(() -> null);
    }

    /** Reads a paged message back from the store (under the lock); a failure is logged and the entry dropped. */
    private Message load(long address) {
        try {
            return BrokerRecords.readMessage(context.persistence().read(address));
        } catch (RuntimeException e) {
            LOG.error("{}: the message stored at {} cannot be read back", settings.describe(), address, e);
            throw e;
        }
    }

    @Override
    public QueueSettings settings() {
        return settings;
    }

    @Override
    public QueueArguments arguments() {
        return arguments;
    }

    @Override
    public void touch() {
        lastUsed = now();
    }

    @Override
    public CompletableFuture<Void> offer(Message message) {
        Persistence store = context.persistence();
        byte[] payload = storeKey != 0 && message.properties().persistent() && store.durable()
                ? BrokerRecords.message(message) : null;
        return locked(() -> {
            if (deleted) {
                return null;
            }
            machine.apply(new Enqueue(message, now()), effects);
            QueueEntry entry = machine.lastEnqueued();
            CompletableFuture<Void> safe = entry == null ? CompletableFuture.failedFuture(new QueueFullException(
                    settings)) : DONE;
            if (entry != null && payload != null) {
                // submitted under the queue lock, so the journal sees adds and deletes of this queue in order
                CompletableFuture<Long> address = store.add(storeKey, entry.sequence(), payload);
                entry.stored(address);
                safe = address.thenApply(at -> null);
            }
            runEffects();
            dispatchLocked();
            if (payload != null) {
                machine.pageOut(context.residentBytes(), KEEP_HEAD);
            }
            return safe;
        });
    }

    @Override
    public long storeKey() {
        return storeKey;
    }

    @Override
    public void storeAs(long key) {
        if (storeKey != 0) {
            throw new IllegalStateException(settings.describe() + " is stored already, as " + storeKey);
        }
        storeKey = key;
    }

    @Override
    public void restore(long sequence, long address, StoredMessage stored) {
        locked(() -> {
            machine.apply(new Restore(sequence, address, stored.bodySize(), 1, stored.expiration(), stored.priority(),
                    stored.groupId(), now()), effects);
            return null;
        });
    }

    @Override
    public void addConsumer(QueueConsumer consumer) {
        locked(() -> {
            requireLive();
            if (exclusiveConsumer != null || (consumer.exclusive() && !consumers.isEmpty())) {
                throw new BrokerException(Condition.ACCESS_REFUSED, settings.describe() + " in exclusive use"
                        + (exclusiveConsumer != null ? " by an exclusive consumer" : ": it already has consumers"));
            }
            consumers.put(consumer.id(), consumer);
            if (consumer.exclusive()) {
                exclusiveConsumer = consumer;
            }
            lastUsed = now();
            run(new AddConsumer(consumer.id(), consumer.priority(), consumer.noAck()));
            dispatchLocked();
            return null;
        });
    }

    @Override
    public boolean removeConsumer(QueueConsumer consumer) {
        return locked(() -> {
            if (consumers.remove(consumer.id()) == null) {
                return false;
            }
            if (exclusiveConsumer == consumer) {
                exclusiveConsumer = null;
            }
            lastUsed = now();
            run(new RemoveConsumer(consumer.id()));
            // a delivery handed back by a closing session may wait for another consumer
            dispatchLocked();
            return settings.autoDelete() && machine.consumerCount() == 0 && !deleted;
        });
    }

    @Override
    public GetResult get(boolean noAck, GetReceiver receiver) {
        return locked(() -> {
            requireLive();
            lastUsed = now();
            machine.apply(new Get(noAck, now()), effects);
            Deliver deliver = null;
            try {
                for (QueueEffect effect : effects) {
                    if (effect instanceof Deliver taken) {
                        deliver = taken;
                    } else {
                        execute(effect);
                    }
                }
            } finally {
                effects.clear();
            }
            if (deliver == null) {
                return GetResult.EMPTY;
            }
            Delivery delivery = receiver.received(this, deliver.deliveryId(), deliver.entry().message(),
                    deliver.deliveryCount(), deliver.settled());
            if (deliver.settled()) {
                unstore(deliver.entry());
            }
            context.stats().delivered(deliver.redelivered());
            return new GetResult(delivery, machine.readyCount());
        });
    }

    @Override
    public void settle(long[] deliveryIds, SettleOp op) {
        locked(() -> {
            if (!deleted) {
                run(new Settle(deliveryIds, op, now()));
                dispatchLocked();
            }
            return null;
        });
    }

    @Override
    public void dispatch() {
        locked(() -> {
            if (!deleted) {
                dispatchLocked();
            }
            return null;
        });
    }

    @Override
    public int purge() {
        return locked(() -> {
            requireLive();
            int count = machine.readyCount();
            run(new Purge(now()));
            return count;
        });
    }

    @Override
    public int delete(boolean ifUnused, boolean ifEmpty) {
        List<QueueConsumer> cancelled;
        int count;
        lock.lock();
        long before = machine.heldBytes();
        try {
            if (deleted) {
                return -1;
            }
            if (ifUnused && !consumers.isEmpty()) {
                throw new BrokerException(Condition.PRECONDITION_FAILED, settings.describe() + " in use: it has "
                        + consumers.size() + " consumer(s) and if-unused was set; cancel them first");
            }
            if (ifEmpty && machine.readyCount() > 0) {
                throw new BrokerException(Condition.PRECONDITION_FAILED, settings.describe() + " not empty: it has "
                        + machine.readyCount() + " ready message(s) and if-empty was set; purge it first");
            }
            deleted = true;
            if (timer != null) {
                timer.cancel();
            }
            count = machine.readyCount();
            cancelled = new ArrayList<>(consumers.values());
            consumers.clear();
            exclusiveConsumer = null;
            run(new Delete(now()));
        } finally {
            long delta = machine.heldBytes() - before;
            publishCounts();
            lock.unlock();
            context.memory().add(delta);
        }
        String reason = settings.describe() + " was deleted";
        for (QueueConsumer consumer : cancelled) {
            consumer.cancelledByQueue(reason);
        }
        return count;
    }

    @Override
    public boolean isDeleted() {
        return deleted;
    }

    @Override
    public int readyCount() {
        return readyCount;
    }

    @Override
    public int unackedCount() {
        return unackedCount;
    }

    @Override
    public int consumerCount() {
        return consumerCount;
    }

    @Override
    public String toString() {
        return "ClassicQueue[" + settings.describe() + "]";
    }

    /**
     * Runs {@code action} under the lock and re-arms the timer; then, unlocked, publishes the counts and the
     * held-bytes change, and the dead letters.
     */
    private <T> T locked(Supplier<T> action) {
        lock.lock();
        long before = machine.heldBytes();
        long delta;
        List<DeadLetter> leaving = null;
        try {
            return action.get();
        } finally {
            if (!deleted) {
                rearm();
            }
            if (!deadLetters.isEmpty()) {
                leaving = new ArrayList<>(deadLetters);
                deadLetters.clear();
            }
            delta = machine.heldBytes() - before;
            publishCounts();
            lock.unlock();
            context.memory().add(delta);
            if (leaving != null) {
                deadLetter(leaving);
            }
        }
    }

    /** Under the lock: one timer, for the earliest deadline. A timer already due sooner stays. */
    private void rearm() {
        long next = machine.nextDeadline();
        if (arguments.expires() != QueueArguments.NONE && consumers.isEmpty()) {
            next = Math.min(next, lastUsed + arguments.expires());
        }
        if (next >= timerAt) {
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        timerAt = next;
        timer = context.scheduler().at(next, this::tick);
    }

    /** On the scheduler's thread: expiry, retries, and idle expiry of the queue itself. */
    private void tick() {
        boolean unused = locked(() -> {
            timer = null;
            timerAt = Expiry.NEVER;
            if (deleted) {
                return false;
            }
            long now = now();
            run(new Tick(now));
            dispatchLocked();
            return arguments.expires() != QueueArguments.NONE && consumers.isEmpty()
                    && now >= lastUsed + arguments.expires();
        });
        if (unused) {
            context.host().expired(this);
        }
    }

    /** Unlocked: the next queues take the messages first, then their copies here are deleted. */
    private void deadLetter(List<DeadLetter> leaving) {
        for (DeadLetter letter : leaving) {
            context.host().deadLetter(settings, arguments, letter.message(), letter.reason());
            if (letter.entry() != null) {
                unstore(letter.entry());
            }
        }
    }

    private void publishCounts() {
        readyCount = machine.readyCount();
        unackedCount = machine.unackedCount();
        consumerCount = machine.consumerCount();
    }

    private void requireLive() {
        if (deleted) {
            throw new BrokerException(Condition.NOT_FOUND, "no " + settings.describe() + ": it was deleted");
        }
    }

    private void dispatchLocked() {
        if (!consumers.isEmpty() && machine.readyCount() > 0) {
            Dispatch dispatch = new Dispatch(credit, now());
            do {
                run(dispatch);
            } while (machine.dispatchCutShort());
        }
    }

    /** Applies a command and executes its effects (a {@link Return} from an effect may add more). */
    private void run(QueueCommand command) {
        machine.apply(command, effects);
        runEffects();
    }

    private void runEffects() {
        try {
            for (int i = 0; i < effects.size(); i++) {
                execute(effects.get(i));
            }
        } finally {
            effects.clear();
        }
    }

    private void execute(QueueEffect effect) {
        if (effect instanceof Deliver deliver) {
            QueueConsumer consumer = consumers.get(deliver.consumerId());
            boolean taken = consumer.deliver(this, deliver.deliveryId(), deliver.entry().message(),
                    deliver.deliveryCount(), deliver.settled());
            if (taken) {
                context.stats().delivered(deliver.redelivered());
                if (deliver.settled()) {
                    unstore(deliver.entry());
                }
            } else {
                machine.apply(new Return(deliver.deliveryId(), deliver.entry(), now()), effects);
            }
        } else if (effect instanceof Drop drop) {
            if (drop.reason() == QueueEffect.DropReason.REJECTED) {
                context.stats().discarded();
            }
            Message message = drop.reason().deadLetters() ? bodyOf(drop.entry()) : null;
            if (message != null) {
                deadLetters.add(new DeadLetter(drop.entry(), message, drop.reason().deathReason()));
            } else {
                unstore(drop.entry());
                if (drop.reason() == QueueEffect.DropReason.ACKED) {
                    context.stats().acked();
                } else if (drop.reason() == QueueEffect.DropReason.LOST) {
                    LOG.error("{}: message {} was lost: its body could not be read back from the store",
                            settings.describe(), drop.entry().sequence());
                }
            }
        } else if (effect instanceof Refused refused && refused.deadLetter()) {
            deadLetters.add(new DeadLetter(null, refused.message(), QueueEffect.DropReason.MAXLEN.deathReason()));
        }
    }

    /** The entry's message, read back from the store if it was paged; null (logged) when it cannot be read. */
    private Message bodyOf(QueueEntry entry) {
        if (entry.message() != null) {
            return entry.message();
        }
        try {
            return load(entry.address());
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** The entry left the queue for good: its stored copy goes too (without an fsync of its own). */
    private void unstore(QueueEntry entry) {
        if (entry.stored() != null) {
            context.persistence().delete(storeKey, entry.sequence(), entry.stored());
        }
    }

    private long now() {
        return context.clock().millis();
    }
}
