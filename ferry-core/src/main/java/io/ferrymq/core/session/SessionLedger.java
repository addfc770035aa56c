package io.ferrymq.core.session;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.Delivery;
import io.ferrymq.core.DeliverySink;
import io.ferrymq.core.Message;
import io.ferrymq.core.queue.Queue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A session's delivery state, guarded by {@link #lock} (the session lock): delivery tags, the
 * unacknowledged deliveries, the consumers and their credit. Queue threads call in while holding
 * their queue lock (reserve, deliver, cancel); the session's own thread calls in holding no lock.
 * Lock order: queue lock, then this lock; nothing here calls a queue.
 *
 * <p>Tags are assigned and the sink is called under the same lock, so each sink sees its
 * deliveries in increasing tag order even when several queues dispatch at once.
 */
final class SessionLedger {
    private static final Logger LOG = LoggerFactory.getLogger(SessionLedger.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final TreeMap<Long, UnackedDelivery> unacked = new TreeMap<>();
    private final Map<String, SessionConsumer> consumers = new HashMap<>();
    private final AckTimeouts ackTimeouts;
    private long nextTag = 1;
    private int globalPrefetch;
    /** Deliveries to this session's consumers awaiting settlement (reserved ones included). */
    private int globalInFlight;
    private boolean closed;
    /** An ack timed out: the session is being closed by its adapter; no second error. */
    private boolean timedOut;

    /** @param ackTimeoutCheck runs on the scheduler's thread when an ack may have timed out */
    SessionLedger(SessionServices services, Runnable ackTimeoutCheck) {
        this.ackTimeouts = new AckTimeouts(services.clock(), services.scheduler(), services.consumerTimeoutMillis(),
                ackTimeoutCheck);
    }

    /** What a closing session must undo. */
    record Closing(List<SessionConsumer> consumers, List<UnackedDelivery> unacked) {
    }

    /** Registers a consumer; false when its tag is in use on this session. */
    boolean addConsumer(SessionConsumer consumer) {
        lock.lock();
        try {
            requireOpen();
            return consumers.putIfAbsent(consumer.tag(), consumer) == null;
        } finally {
            lock.unlock();
        }
    }

    SessionConsumer consumer(String tag) {
        lock.lock();
        try {
            return consumers.get(tag);
        } finally {
            lock.unlock();
        }
    }

    void removeConsumer(SessionConsumer consumer) {
        lock.lock();
        try {
            consumers.remove(consumer.tag(), consumer);
        } finally {
            lock.unlock();
        }
    }

    /** The queue ended the consumer: forget it and tell its sink (in order with its deliveries). */
    void cancelled(SessionConsumer consumer, String reason) {
        lock.lock();
        try {
            if (consumers.remove(consumer.tag(), consumer)) {
                tellCancelled(consumer, reason);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Credit for one delivery: sink writable, under the consumer's and the session's prefetch. */
    boolean reserve(SessionConsumer consumer) {
        lock.lock();
        try {
            if (closed || !consumer.sink().hasCredit()) {
                return false;
            }
            if (consumer.noAck()) {
                return true;
            }
            if ((consumer.prefetch() > 0 && consumer.inFlight >= consumer.prefetch())
                    || (globalPrefetch > 0 && globalInFlight >= globalPrefetch)) {
                return false;
            }
            consumer.inFlight++;
            globalInFlight++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Numbers a reserved delivery and hands it to the sink; false (credit released) once closed. */
    boolean deliver(SessionConsumer consumer, Queue queue, long deliveryId, Message message, int deliveryCount,
                    boolean settled) {
        lock.lock();
        try {
            if (closed) {
                if (!consumer.noAck()) {
                    consumer.inFlight--;
                    globalInFlight--;
                }
                return false;
            }
            long tag = nextTag++;
            if (!settled) {
                long deadline = ackTimeouts.deliveredNow(queue);
                unacked.put(tag, new UnackedDelivery(tag, queue, deliveryId, consumer, deadline));
            }
            Delivery delivery = new Delivery(consumer.tag(), tag, deliveryCount > 0, deliveryCount,
                    DeliveryCountHeader.apply(message, deliveryCount));
            try {
                consumer.sink().deliver(delivery);
            } catch (RuntimeException e) {
                // the delivery stays unacked and is requeued when the session closes
                LOG.error("delivery sink of {} failed on delivery tag {}", consumer, tag, e);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Numbers a direct reply-to delivery (no-ack, no queue, no prefetch); false once closed. */
    boolean deliverReply(String consumerTag, DeliverySink sink, Message message) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            sink.deliver(new Delivery(consumerTag, nextTag++, false, 0, message));
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Numbers a basic.get delivery; it takes no prefetch. */
    Delivery deliverGet(Queue queue, long deliveryId, Message message, int deliveryCount, boolean settled) {
        lock.lock();
        try {
            long tag = nextTag++;
            if (!settled) {
                unacked.put(tag, new UnackedDelivery(tag, queue, deliveryId, null, ackTimeouts.deliveredNow(queue)));
            }
            return new Delivery(null, tag, deliveryCount > 0, deliveryCount,
                    DeliveryCountHeader.apply(message, deliveryCount));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes deliveries out of the unacked table for settlement: {@code tag} alone, or with
     * {@code multiple} every one up to it (all for 0). Credit stays taken until {@link #release}.
     *
     * @throws BrokerException PRECONDITION_FAILED when the tag is not awaiting settlement
     */
    List<UnackedDelivery> take(long tag, boolean multiple) {
        lock.lock();
        try {
            requireOpen();
            if (multiple && tag == 0) {
                List<UnackedDelivery> all = new ArrayList<>(unacked.values());
                unacked.clear();
                return all;
            }
            if (!unacked.containsKey(tag)) {
                throw new BrokerException(Condition.PRECONDITION_FAILED, "unknown delivery tag " + tag);
            }
            if (!multiple) {
                return List.of(unacked.remove(tag));
            }
            NavigableMap<Long, UnackedDelivery> upTo = unacked.headMap(tag, true);
            List<UnackedDelivery> taken = new ArrayList<>(upTo.values());
            upTo.clear();
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** Returns the consumers' credit held by settled deliveries. */
    void release(Collection<UnackedDelivery> settled) {
        lock.lock();
        try {
            for (UnackedDelivery delivery : settled) {
                if (delivery.consumer() != null) {
                    delivery.consumer().inFlight--;
                    globalInFlight--;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Puts back deliveries taken for a settlement that was rolled back. */
    void restore(Collection<UnackedDelivery> deliveries) {
        lock.lock();
        try {
            if (!closed) {
                deliveries.forEach(delivery -> unacked.put(delivery.tag(), delivery));
            }
        } finally {
            lock.unlock();
        }
    }

    void globalPrefetch(int prefetch) {
        lock.lock();
        try {
            globalPrefetch = prefetch;
        } finally {
            lock.unlock();
        }
    }

    /** The consumers, for listings. */
    List<SessionConsumer> consumers() {
        lock.lock();
        try {
            return List.copyOf(consumers.values());
        } finally {
            lock.unlock();
        }
    }

    int unackedCount() {
        lock.lock();
        try {
            return unacked.size();
        } finally {
            lock.unlock();
        }
    }

    int globalPrefetchCount() {
        lock.lock();
        try {
            return globalPrefetch;
        } finally {
            lock.unlock();
        }
    }

    /** Whether settling frees credit for every consumer of the session, not just the delivery's. */
    boolean hasGlobalPrefetch() {
        lock.lock();
        try {
            return globalPrefetch > 0;
        } finally {
            lock.unlock();
        }
    }

    /** The queues this session consumes from, each once. */
    List<Queue> consumedQueues() {
        lock.lock();
        try {
            LinkedHashSet<Queue> queues = new LinkedHashSet<>();
            consumers.values().forEach(consumer -> queues.add(consumer.queue()));
            return List.copyOf(queues);
        } finally {
            lock.unlock();
        }
    }

    /** On the scheduler's thread: the error that ends the session when a delivery's ack timed out, else null. */
    BrokerException ackTimedOut() {
        lock.lock();
        try {
            if (closed || timedOut) {
                return null;
            }
            BrokerException expired = ackTimeouts.expired(unacked.values());
            timedOut = expired != null;
            return expired;
        } finally {
            lock.unlock();
        }
    }

    /** Marks the session closed (no delivery after this) and hands over what it held; null if closed already. */
    Closing close() {
        lock.lock();
        try {
            if (closed) {
                return null;
            }
            closed = true;
            ackTimeouts.cancel();
            Closing closing = new Closing(List.copyOf(consumers.values()), List.copyOf(unacked.values()));
            consumers.clear();
            unacked.clear();
            return closing;
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    static void tellCancelled(SessionConsumer consumer, String reason) {
        try {
            consumer.sink().cancelled(consumer.tag(), reason);
        } catch (RuntimeException e) {
            LOG.error("delivery sink of {} failed on cancel", consumer, e);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new BrokerException(Condition.COMMAND_INVALID, "the session is closed");
        }
    }
}
