package io.ferrymq.core.session;

import io.ferrymq.core.DeliverySink;
import io.ferrymq.core.Message;
import io.ferrymq.core.queue.Queue;
import io.ferrymq.core.queue.QueueConsumer;

/**
 * One basic.consume of a session. Its fields are fixed; {@link #inFlight} (deliveries awaiting
 * settlement, counted against {@link #prefetch}) is guarded by the session's ledger lock.
 */
final class SessionConsumer implements QueueConsumer {
    private final SessionLedger ledger;
    private final long id;
    private final String tag;
    private final Queue queue;
    private final DeliverySink sink;
    private final int priority;
    private final boolean noAck;
    private final boolean exclusive;
    private final int prefetch;
    int inFlight;

    SessionConsumer(SessionLedger ledger, long id, String tag, Queue queue, DeliverySink sink, int priority,
                    boolean noAck, boolean exclusive, int prefetch) {
        this.ledger = ledger;
        this.id = id;
        this.tag = tag;
        this.queue = queue;
        this.sink = sink;
        this.priority = priority;
        this.noAck = noAck;
        this.exclusive = exclusive;
        this.prefetch = prefetch;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String tag() {
        return tag;
    }

    Queue queue() {
        return queue;
    }

    DeliverySink sink() {
        return sink;
    }

    /** 0: unlimited. */
    int prefetch() {
        return prefetch;
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public boolean noAck() {
        return noAck;
    }

    @Override
    public boolean exclusive() {
        return exclusive;
    }

    @Override
    public boolean tryReserve() {
        return ledger.reserve(this);
    }

    @Override
    public boolean deliver(Queue from, long deliveryId, Message message, int deliveryCount, boolean settled) {
        return ledger.deliver(this, from, deliveryId, message, deliveryCount, settled);
    }

    @Override
    public void cancelledByQueue(String reason) {
        ledger.cancelled(this, reason);
    }

    @Override
    public String toString() {
        return "consumer '" + tag + "' on " + queue.settings().describe();
    }
}
