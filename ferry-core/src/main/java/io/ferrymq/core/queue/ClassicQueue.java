package io.ferrymq.core.queue;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.Delivery;
import io.ferrymq.core.GetResult;
import io.ferrymq.core.Message;
import io.ferrymq.core.SettleOp;
import io.ferrymq.core.dedup.DedupSettings;
import io.ferrymq.core.dedup.Deduplicator;
import io.ferrymq.core.persist.BrokerRecords;
import io.ferrymq.core.persist.Persistence;
import io.ferrymq.core.persist.StoredChange;
import io.ferrymq.core.policy.Policy;
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
import io.ferrymq.core.queue.QueueEffect.Refused;
import io.ferrymq.core.timer.Scheduler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
    /** Its own arguments over its policy's; changed by {@link #applyPolicy} under the lock. */
    private volatile QueueArguments arguments;
    private volatile Policy policy;
    private final QueueContext context;
    private final QueueTrace trace;
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
    /** The deduplication window ({@code x-message-deduplication}), or null. */
    private final Deduplicator dedup;
    /** Delivery counts and retry due times that must survive a restart; under the lock. */
    private final DeliveryStates deliveryStates;
    private final QueueFlow flow;
    private QueueConsumer exclusiveConsumer;
    /** See {@link #storeKey()}; written before the queue is published, read under the lock. */
    private long storeKey;
    private volatile boolean deleted;
    private volatile int readyCount;
    private volatile int unackedCount;
    private volatile int consumerCount;
    /** Counters for per-queue rates: written under the lock, published by {@link #publishCounts()}. */
    private long published;
    private long delivered;
    private long acked;
    private volatile long publishedTotal;
    private volatile long deliveredTotal;
    private volatile long ackedTotal;

    ClassicQueue(QueueSettings settings, QueueContext context) {
        this.settings = settings;
        this.arguments = QueueArguments.of(settings);
        this.context = context;
        this.trace = new QueueTrace(context.tracer(), settings);
        this.machine = new QueueMachine(arguments, OrderingArguments.of(settings), this::load);
        this.lastUsed = now();
        DedupSettings dedupSettings = DedupSettings.parse(settings.arguments(), settings.describe());
        this.dedup = dedupSettings == null ? null : new Deduplicator(dedupSettings, context.persistence());
        this.deliveryStates = new DeliveryStates(context.persistence());
        this.flow = new QueueFlow(context.residentBytes());
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
        byte[] payload = stores(message) ? BrokerRecords.message(message) : null;
        return locked(() -> {
            if (deleted) {
                return null;
            }
            Deduplicator.Admission admission = dedup == null ? null : dedup.admit(message, now());
            if (admission != null && admission.duplicate()) {
                context.stats().deduplicated();
                trace.deduplicated(message);
                return DONE;
            }
            machine.apply(new Enqueue(message, now()), effects);
            QueueEntry entry = machine.lastEnqueued();
            if (entry == null) {
                // refused by a length limit: its deduplication key must not keep a resend out
                if (admission != null) {
                    dedup.forget(admission);
                }
                runEffects();
                return CompletableFuture.failedFuture(new QueueFullException(settings));
            }
            published++;
            trace.enqueued(message);
            CompletableFuture<Void> safe = DONE;
            StoredChange.Add key = admission == null ? null : admission.record();
            // submitted under the queue lock, so the journal sees adds and deletes of this queue in order
            if (payload != null) {
                CompletableFuture<Long> address;
                if (key == null) {
                    address = store.add(storeKey, entry.sequence(), payload);
                } else {
                    // the message and its key durable together: a key kept without its message would make the
                    // publisher's resend after a crash look like a duplicate of a message that is gone
                    CompletableFuture<long[]> both = store.writeAtomically(List.of(
                            new StoredChange.Add(storeKey, entry.sequence(), payload), key));
                    address = both.thenApply(addresses -> addresses[0]);
                    dedup.stored(admission, both.thenApply(addresses -> addresses[1]));
                }
                entry.stored(address);
                safe = address.thenApply(at -> null);
            } else if (key != null) {
                // a transient message's key: durable soon, the confirm does not wait for it
                dedup.stored(admission, store.add(key.stream(), key.entry(), key.payload()));
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
    public QueueReservation reserve(Message message) {
        byte[] payload = stores(message) ? BrokerRecords.message(message) : null;
        return locked(() -> {
            if (deleted) {
                return null;
            }
            // a length limit with x-overflow reject-publish refuses here, so the transaction fails whole
            if (machine.refuses(message.body().length)) {
                throw new BrokerException(Condition.PRECONDITION_FAILED, settings.describe()
                        + " is full and refuses publishes (x-overflow): the transaction is not committed");
            }
            Deduplicator.Admission admission = dedup == null ? null : dedup.admit(message, now());
            if (admission != null && admission.duplicate()) {
                context.stats().deduplicated();
                return QueueReservation.duplicate(this, message);
            }
            return new QueueReservation(this, machine.reserveSequence(), message, payload, admission);
        });
    }

    @Override
    public void insert(QueueReservation reserved, long address, long keyAddress) {
        locked(() -> {
            if (reserved.keyRecord() != null) {
                dedup.stored(reserved.admission(), CompletableFuture.completedFuture(keyAddress));
            }
            if (deleted) {
                if (address >= 0) {
                    context.persistence().delete(storeKey, reserved.sequence(), CompletableFuture.completedFuture(
                            address));
                }
                return null;
            }
            machine.apply(new Insert(reserved.sequence(), reserved.message(), now()), effects);
            published++;
            trace.enqueued(reserved.message());
            if (address >= 0) {
                machine.lastEnqueued().stored(CompletableFuture.completedFuture(address));
            }
            dispatchLocked();
            if (address >= 0) {
                machine.pageOut(context.residentBytes(), KEEP_HEAD);
            }
            return null;
        });
    }

    @Override
    public void cancel(QueueReservation reserved) {
        if (reserved.admission() != null && !reserved.deduplicated()) {
            dedup.forget(reserved.admission());
        }
    }

    @Override
    public StoredChange.Delete detachStored(long deliveryId) {
        return locked(() -> {
            QueueEntry entry = machine.unacked(deliveryId);
            CompletableFuture<Long> stored = entry == null ? null : entry.detachStored();
            if (stored != null) {
                deliveryStates.gone(storeKey, entry.sequence());
            }
            return stored == null ? null : new StoredChange.Delete(storeKey, entry.sequence(), stored);
        });
    }

    /** Whether this queue writes {@code message} to the store: a persistent message on a stored queue. */
    private boolean stores(Message message) {
        return storeKey != 0 && message.properties().persistent() && context.persistence().durable();
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
        if (dedup != null) {
            dedup.storeAs(key);
        }
    }

    @Override
    public Deduplicator deduplicator() {
        return dedup;
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
    public void restoreDeliveryState(long entry, long address, ByteBuffer record) {
        locked(() -> {
            deliveryStates.restore(entry, address, record);
            return null;
        });
    }

    @Override
    public void restored() {
        locked(() -> {
            Map<Long, DeliveryState> states = deliveryStates.restored();
            if (!states.isEmpty()) {
                run(new QueueCommand.RestoreDeliveries(states, now()));
            }
            deliveryStates.finishRestore(storeKey, states.keySet());
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
            trace.delivered(deliver, null);
            if (deliver.settled()) {
                unstore(deliver.entry());
            }
            context.stats().delivered(deliver.redelivered());
            delivered++;
            return new GetResult(delivery, machine.readyCount());
        });
    }

    @Override
    public void settle(long[] deliveryIds, SettleOp op) {
        locked(() -> {
            if (!deleted) {
                boolean traced = trace.traced();
                if (traced) {
                    // checked here, not inside: the method reference would be allocated on every settle
                    trace.settling(deliveryIds, op, machine::unacked);
                }
                machine.reportRequeues(traced);
                long now = now();
                List<QueueEntry> failing = op == SettleOp.REQUEUE && storeKey != 0 ? failing(deliveryIds) : null;
                long[] readyAt = failing == null ? null : new long[failing.size()];
                for (int i = 0; readyAt != null && i < readyAt.length; i++) {
                    readyAt[i] = machine.readyAtAfterFailure(failing.get(i), now);
                }
                run(new Settle(deliveryIds, op, now));
                for (int i = 0; readyAt != null && i < readyAt.length; i++) {
                    if (readyAt[i] != QueueMachine.DROPPED) {
                        deliveryStates.failed(storeKey, failing.get(i), readyAt[i]);
                    }
                }
                dispatchLocked();
            }
            return null;
        });
    }

    /** Under the lock: the stored unacknowledged entries of these deliveries, whose state a failure changes. */
    private List<QueueEntry> failing(long[] deliveryIds) {
        List<QueueEntry> failing = new ArrayList<>(deliveryIds.length);
        for (long id : deliveryIds) {
            QueueEntry entry = machine.unacked(id);
            if (entry != null && entry.stored() != null) {
                failing.add(entry);
            }
        }
        return failing;
    }

    @Override
    public void giveBack(long[] deliveryIds) {
        locked(() -> {
            if (!deleted) {
                for (long id : deliveryIds) {
                    QueueEntry entry = machine.unacked(id);
                    if (entry != null) {
                        run(new Return(id, entry, now()));
                    }
                }
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
        List<Runnable> released;
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
            if (dedup != null) {
                dedup.clear();
            }
        } finally {
            long delta = machine.heldBytes() - before;
            publishCounts();
            released = flow.update(machine.heldBytes(), machine.consumerCount(), deleted, machine.leftTotal(), now());
            lock.unlock();
            context.memory().add(delta);
        }
        letGo(released);
        String reason = settings.describe() + " was deleted";
        for (QueueConsumer consumer : cancelled) {
            consumer.cancelledByQueue(reason);
        }
        return count;
    }

    @Override
    public boolean congested() {
        return flow.congested();
    }

    @Override
    public boolean whenUncongested(Runnable resume) {
        return locked(() -> flow.await(resume));
    }

    /** Unlocked: the publishers queue flow control let go. */
    private static void letGo(List<Runnable> released) {
        if (released != null) {
            released.forEach(Runnable::run);
        }
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
        List<Runnable> released;
        try {
            return action.get();
        } finally {
            released = flow.update(machine.heldBytes(), machine.consumerCount(), deleted, machine.leftTotal(), now());
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
            letGo(released);
        }
    }

    /** Under the lock: one timer, for the earliest deadline. A timer already due sooner stays. */
    private void rearm() {
        long next = Math.min(machine.nextDeadline(), flow.recheckAt());
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
        QueueArguments now = arguments;
        for (DeadLetter letter : leaving) {
            trace.deadLettered(letter.message(), letter.reason());
            context.host().deadLetter(settings, now, letter.message(), letter.reason());
            if (letter.entry() != null) {
                unstore(letter.entry());
            }
        }
    }

    private void publishCounts() {
        readyCount = machine.readyCount();
        unackedCount = machine.unackedCount();
        consumerCount = machine.consumerCount();
        publishedTotal = published;
        deliveredTotal = delivered;
        ackedTotal = acked;
    }

    @Override
    public long publishedTotal() {
        return publishedTotal;
    }

    @Override
    public long deliveredTotal() {
        return deliveredTotal;
    }

    @Override
    public long ackedTotal() {
        return ackedTotal;
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
                trace.delivered(deliver, consumer.tag());
                context.stats().delivered(deliver.redelivered());
                delivered++;
                if (deliver.settled()) {
                    unstore(deliver.entry());
                }
            } else {
                machine.apply(new Return(deliver.deliveryId(), deliver.entry(), now()), effects);
            }
        } else if (effect instanceof Drop drop) {
            if (drop.reason() == QueueEffect.DropReason.EXPIRED && trace.traced()) {
                trace.expired(bodyOf(drop.entry()));
            }
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
                    acked++;
                } else if (drop.reason() == QueueEffect.DropReason.LOST) {
                    LOG.error("{}: message {} was lost: its body could not be read back from the store",
                            settings.describe(), drop.entry().sequence());
                }
            }
        } else if (effect instanceof Refused refused && refused.deadLetter()) {
            deadLetters.add(new DeadLetter(null, refused.message(), QueueEffect.DropReason.MAXLEN.deathReason()));
        } else if (effect instanceof QueueEffect.Requeued requeued) {
            trace.requeued(requeued);
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
            deliveryStates.gone(storeKey, entry.sequence());
        }
    }

    private long now() {
        return context.clock().millis();
    }

    // ---- policies

    @Override
    public Policy policy() {
        return policy;
    }

    @Override
    public void applyPolicy(Policy next) {
        QueueArguments configured = configuredBy(next);
        locked(() -> {
            policy = next;
            arguments = configured;
            machine.reconfigure(configured, effects);
            runEffects();
            dispatchLocked();
            return null;
        });
        trace.policy(next != null && next.trace());
    }

    /** The queue's own arguments over the policy's; its own alone when the two do not fit together (logged). */
    private QueueArguments configuredBy(Policy next) {
        if (next == null) {
            return QueueArguments.of(settings);
        }
        Map<String, Object> merged = new LinkedHashMap<>(next.queueArguments());
        merged.putAll(settings.arguments());
        try {
            return QueueArguments.of(new QueueSettings(settings.vhost(), settings.name(), settings.type(),
                    settings.durable(), settings.exclusiveOwner(), settings.autoDelete(), merged));
        } catch (BrokerException e) {
            LOG.warn("policy '{}' does not fit {}: {}; its own arguments apply", next.name(), settings.describe(),
                    e.getMessage());
            return QueueArguments.of(settings);
        }
    }
}
