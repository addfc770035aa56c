package io.ferrymq.core.delay;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.GetResult;
import io.ferrymq.core.Message;
import io.ferrymq.core.SettleOp;
import io.ferrymq.core.exchange.Exchange;
import io.ferrymq.core.persist.Persistence;
import io.ferrymq.core.persist.StoredChange;
import io.ferrymq.core.queue.Expiry;
import io.ferrymq.core.queue.GetReceiver;
import io.ferrymq.core.queue.Queue;
import io.ferrymq.core.queue.QueueConsumer;
import io.ferrymq.core.queue.QueueContext;
import io.ferrymq.core.queue.QueueReservation;
import io.ferrymq.core.queue.QueueSettings;
import io.ferrymq.core.timer.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;

/**
 * The messages a delayed exchange ({@link DelayedType}) holds until they are due. Guarded by its own lock; the
 * due messages are routed on the scheduler's thread.
 *
 * <p>It takes part in routing as a queue would: when routing reaches its exchange with a message whose
 * {@code x-delay} is positive, the exchange's bindings are not followed; this pseudo-queue is the target instead,
 * so publishes, transactions and dead-lettering into a delayed exchange need nothing of their own. Its
 * {@link #offer} completes once the message is durable (a persistent message to a durable exchange), which is
 * what the publisher confirm waits for. It is never listed among the vhost's queues.
 *
 * <p>Memory: a persistent message's body is in memory only until its store write completes; afterwards the index
 * keeps its due time, sequence, address and size ({@link PendingMessage}), and the body is read back when due.
 * Time: one {@link Scheduler} timer, for the earliest due time. When due, a message is routed through the
 * exchange's bindings with its {@code x-delay} negated ({@link DelayHeader#delivered}), in due order (ties in
 * publish order); its stored record is deleted once every routed copy is durable, so a crash in between delivers
 * it again rather than never.
 */
public final class DelayedMessages implements Queue {
    private static final Logger LOG = LoggerFactory.getLogger(DelayedMessages.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** Due messages routed per timer run; more are left to the next run so other timers get their turn. */
    private static final int BATCH = 512;
    /**
     * Due messages routed whose copies are not yet durable, at most: routing waits for the store rather than pile
     * up writes in memory when many messages fall due at once (after a restart, say).
     */
    private static final int MAX_IN_FLIGHT = 4096;

    private final QueueSettings settings;
    private final QueueContext context;
    private final BiFunction<Exchange, Message, List<Queue>> router;
    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<PendingMessage> pending = new PriorityQueue<>();
    private Exchange exchange;
    /** The stream of its stored records: the exchange's store key; 0 when it stores nothing. */
    private long storeKey;
    private long nextSequence = 1;
    private Scheduler.Timer timer;
    private long timerAt = Expiry.NEVER;
    /** Timers are armed only once the store is open (after recovery) and the exchange is known. */
    private boolean started;
    private boolean deleted;
    private volatile int count;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Routing stopped at {@link #MAX_IN_FLIGHT}: the timer is re-armed once half of those are durable. */
    private volatile boolean throttled;

    /**
     * @param router the queues a message published to an exchange reaches (the vhost's routing)
     */
    public DelayedMessages(String vhost, String exchangeName, QueueContext context,
                           BiFunction<Exchange, Message, List<Queue>> router) {
        // an amq. name, so it is no queue a client can declare or name as a dead-letter cycle
        this.settings = new QueueSettings(vhost, "amq.delayed." + exchangeName, "delayed", true,
                QueueSettings.NOT_EXCLUSIVE, false, null);
        this.context = context;
        this.router = router;
    }

    /** Routes due messages from {@code owner} from now on; for a restored exchange, call after recovery. */
    public void start(Exchange owner) {
        locked(() -> {
            exchange = owner;
            started = true;
            rearm();
        });
    }

    /** The messages held and not yet due (or due and not yet routed). */
    public int pendingCount() {
        return count;
    }

    @Override
    public QueueSettings settings() {
        return settings;
    }

    @Override
    public long storeKey() {
        return storeKey;
    }

    @Override
    public void storeAs(long key) {
        storeKey = key;
    }

    // ---- taking messages

    @Override
    public CompletableFuture<Void> offer(Message message) {
        long dueAt = now() + DelayHeader.delayOf(message);
        byte[] payload = stores(message) ? DelayedRecords.encode(dueAt, message) : null;
        lock.lock();
        try {
            if (deleted) {
                return null;
            }
            PendingMessage held = hold(dueAt, nextSequence++, message);
            if (payload == null) {
                return DONE;
            }
            CompletableFuture<Long> address = context.persistence().add(storeKey, held.sequence, payload);
            writing(held, address);
            return address.thenApply(at -> null);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public QueueReservation reserve(Message message) {
        byte[] payload = stores(message) ? DelayedRecords.encode(now() + DelayHeader.delayOf(message), message)
                : null;
        lock.lock();
        try {
            return deleted ? null : new QueueReservation(this, nextSequence++, message, payload, null);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void insert(QueueReservation reserved, long address, long keyAddress) {
        long dueAt = reserved.payload() != null ? DelayedRecords.dueAt(reserved.payload())
                : now() + DelayHeader.delayOf(reserved.message());
        lock.lock();
        try {
            if (deleted) {
                if (address >= 0) {
                    context.persistence().delete(storeKey, reserved.sequence(),
                            CompletableFuture.completedFuture(address));
                }
                return;
            }
            PendingMessage held = hold(dueAt, reserved.sequence(), reserved.message());
            if (address >= 0) {
                held.address = address;
                held.message = null;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void cancel(QueueReservation reserved) {
        // a gap in the sequences is all a cancelled reservation leaves
    }

    /** At start, on the recovering thread: a stored pending message ({@link DelayedRecords}), body left stored. */
    public void restore(long sequence, long address, ByteBuffer record) {
        long dueAt = DelayedRecords.dueAt(record);
        int size = DelayedRecords.bodySize(record);
        locked(() -> {
            PendingMessage held = new PendingMessage(dueAt, sequence, size, null);
            held.address = address;
            pending.add(held);
            nextSequence = Math.max(nextSequence, sequence + 1);
            count = pending.size();
        });
    }

    /** Under the lock. */
    private PendingMessage hold(long dueAt, long sequence, Message message) {
        PendingMessage held = new PendingMessage(dueAt, sequence, message.body().length, message);
        pending.add(held);
        count = pending.size();
        rearm();
        return held;
    }

    /** Under the lock: once written, the body leaves memory; a failed write keeps it there (as a transient one). */
    private void writing(PendingMessage held, CompletableFuture<Long> address) {
        held.writing = address;
        address.whenComplete((at, error) -> locked(() -> {
            if (held.writing != address) {
                return;
            }
            held.writing = null;
            if (error == null) {
                held.address = at;
                held.message = null;
            }
        }));
    }

    private boolean stores(Message message) {
        return storeKey != 0 && message.properties().persistent() && context.persistence().durable();
    }

    // ---- when due

    /** Under the lock: one timer, for the earliest due time. */
    private void rearm() {
        if (!started || deleted || throttled || pending.isEmpty()) {
            return;
        }
        long next = pending.peek().dueAt;
        if (next >= timerAt) {
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        timerAt = next;
        timer = context.scheduler().at(next, this::due);
    }

    /** A due message as taken from the index: what routing it needs, read under the lock. */
    private record Due(long sequence, long address, CompletableFuture<Long> writing, Message message) {
    }

    /** On the scheduler's thread: routes what is due, in due order. */
    private void due() {
        List<Due> leaving = new ArrayList<>();
        locked(() -> {
            timer = null;
            timerAt = Expiry.NEVER;
            if (deleted) {
                return;
            }
            long now = now();
            int room = MAX_IN_FLIGHT - inFlight.get();
            while (leaving.size() < Math.min(BATCH, room) && !pending.isEmpty() && pending.peek().dueAt <= now) {
                PendingMessage held = pending.poll();
                leaving.add(new Due(held.sequence, held.address, held.writing, held.message));
            }
            inFlight.addAndGet(leaving.size());
            throttled = leaving.size() == room && room < BATCH && !pending.isEmpty() && pending.peek().dueAt <= now;
            count = pending.size();
        });
        for (Due message : leaving) {
            try {
                route(message).whenComplete((done, error) -> released());
            } catch (RuntimeException e) {
                // its record stays: it is routed again after a restart rather than never
                LOG.error("{}: a due message could not be routed", describe(), e);
                released();
            }
        }
        locked(this::rearm);
    }

    /** A routed message's copies are durable (or failed): routing may go on if it waited for that. */
    private void released() {
        if (inFlight.decrementAndGet() <= MAX_IN_FLIGHT / 2 && throttled) {
            locked(() -> {
                if (throttled) {
                    throttled = false;
                    rearm();
                }
            });
        }
    }

    /** Routes a due message; completes once its copies are durable and its record deleted (asked for). */
    private CompletableFuture<Void> route(Due due) {
        Message message;
        try {
            message = due.message() != null ? due.message()
                    : DelayedRecords.readMessage(context.persistence().read(due.address()));
        } catch (RuntimeException e) {
            LOG.error("{}: the delayed message stored at {} cannot be read back and is dropped", describe(),
                    due.address(), e);
            context.stats().lost("lost");
            unstore(due);
            return DONE;
        }
        Message out = DelayHeader.delivered(message, DelayHeader.delayOf(message));
        List<CompletableFuture<Void>> copies = new ArrayList<>(2);
        boolean taken = false;
        for (Queue target : router.apply(exchange, out)) {
            CompletableFuture<Void> copy = target.offer(out);
            if (copy != null) {
                taken |= !copy.isCompletedExceptionally();
                copies.add(copy);
            }
        }
        if (!taken) {
            // what the plugin does with a message no binding matches when due: drop it (counted here)
            context.stats().lost("unroutable");
        }
        return CompletableFuture.allOf(copies.toArray(new CompletableFuture<?>[0]))
                .handle((done, error) -> {
                    unstore(due);
                    return null;
                });
    }

    private void unstore(Due due) {
        if (due.writing() != null) {
            context.persistence().delete(storeKey, due.sequence(), due.writing());
        } else if (due.address() != PendingMessage.NO_ADDRESS) {
            context.persistence().delete(storeKey, due.sequence(), CompletableFuture.completedFuture(due.address()));
        }
    }

    // ---- the exchange goes

    /** The exchange was deleted: its pending messages are dropped, their records deleted. */
    @Override
    public int delete(boolean ifUnused, boolean ifEmpty) {
        List<Due> dropped = new ArrayList<>();
        locked(() -> {
            deleted = true;
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
            for (PendingMessage held : pending) {
                dropped.add(new Due(held.sequence, held.address, held.writing, null));
            }
            pending.clear();
            count = 0;
        });
        dropped.forEach(this::unstore);
        return dropped.size();
    }

    @Override
    public boolean isDeleted() {
        return deleted;
    }

    // ---- not a queue anyone consumes from

    @Override
    public StoredChange.Delete detachStored(long deliveryId) {
        return null;
    }

    @Override
    public void addConsumer(QueueConsumer consumer) {
        throw notAQueue();
    }

    @Override
    public boolean removeConsumer(QueueConsumer consumer) {
        return false;
    }

    @Override
    public GetResult get(boolean noAck, GetReceiver receiver) {
        throw notAQueue();
    }

    @Override
    public void settle(long[] deliveryIds, SettleOp op) {
    }

    @Override
    public void dispatch() {
    }

    @Override
    public int purge() {
        throw notAQueue();
    }

    @Override
    public int readyCount() {
        return count;
    }

    @Override
    public int unackedCount() {
        return 0;
    }

    @Override
    public int consumerCount() {
        return 0;
    }

    private BrokerException notAQueue() {
        return new BrokerException(Condition.NOT_FOUND, "no queue '" + settings.name() + "' in vhost '"
                + settings.vhost() + "': it holds the messages of a delayed exchange");
    }

    private String describe() {
        return "delayed exchange '" + settings.name().substring("amq.delayed.".length()) + "' in vhost '"
                + settings.vhost() + "'";
    }

    @Override
    public String toString() {
        return describe();
    }

    private long now() {
        return context.clock().millis();
    }

    private void locked(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }
}
