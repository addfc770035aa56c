package io.ferrymq.amqp;

import io.ferrymq.core.Delivery;
import io.ferrymq.core.DeliverySink;
import io.netty.channel.Channel;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The core's way up into one AMQP channel; shared by every consumer of the channel. Called from
 * queue threads (possibly under a queue lock): it only enqueues and, when the queue was idle,
 * schedules one drain on the connection's event loop ({@link ChannelConsumers#drain}), which
 * writes everything queued with a single flush.
 *
 * <p>One queue per channel, not per consumer, because delivery tags are per channel: writing them
 * out of order would let a client's {@code ack multiple} settle a message it has not seen yet.
 * Server-side consumer cancellations travel in the same queue so they follow the consumer's last
 * delivery.
 */
final class ChannelDeliverySink implements DeliverySink, Runnable {
    /** A consumer ended by the broker; queued like a delivery to keep its place in the stream. */
    record ServerCancel(String consumerTag) {
    }

    /**
     * Deliveries queued but not yet written beyond which the sink reports no credit, so that a
     * slow event loop cannot let the queue grow without bound while the socket is still writable.
     *
     * <p>Small on purpose: every delivery queued here (and in the socket's outbound buffer, see
     * {@code AmqpServer}'s water marks) waits behind the ones before it, so with a consumer that
     * cannot keep up this is latency. 512 one-kilobyte messages are about 6 ms at 80k msg/s; the
     * former 4,096 could add 50 ms (PerfTest's scenario a). Messages beyond it wait in the queue,
     * where they stay visible (ready count) and can go to another consumer.
     */
    private static final int MAX_QUEUED = 512;

    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final ChannelConsumers channel;
    private final ConnectionInbox inbox;
    private final Channel socket;
    /** hasCredit said no: the core waits for Session.resume(). */
    private volatile boolean creditRefused;
    /** The channel is closed: no credit, nothing more is written. */
    private volatile boolean closed;

    ChannelDeliverySink(ChannelConsumers channel, ConnectionInbox inbox, Channel socket) {
        this.channel = channel;
        this.inbox = inbox;
        this.socket = socket;
    }

    @Override
    public void deliver(Delivery delivery) {
        queued.incrementAndGet();
        queue.offer(delivery);
        scheduleDrain();
    }

    @Override
    public void cancelled(String consumerTag, String reason) {
        queue.offer(new ServerCancel(consumerTag));
        scheduleDrain();
    }

    @Override
    public boolean hasCredit() {
        if (closed) {
            return false;
        }
        if (canTakeMore()) {
            return true;
        }
        creditRefused = true;
        // look again now that the flag is visible: a drain or a writability change that happened
        // between the first look and the flag would not have seen it, and nobody would resume us
        return canTakeMore();
    }

    private boolean canTakeMore() {
        return socket.isWritable() && queued.get() < MAX_QUEUED;
    }

    /** Event loop: the next queued delivery or cancellation, or null. */
    Object poll() {
        Object item = queue.poll();
        if (item instanceof Delivery) {
            queued.decrementAndGet();
        }
        return item;
    }

    /**
     * Event loop: the channel closed. Drops everything queued: the deliveries are unacked in the
     * core, which requeues them when the session closes.
     */
    void close() {
        closed = true;
        while (poll() != null) {
            // discard
        }
    }

    /**
     * Event loop, after a drain: whether the core was told "no credit" since the last call, and so
     * needs {@code Session.resume()} now that the queue is empty again.
     */
    boolean takeCreditRefused() {
        if (creditRefused) {
            creditRefused = false;
            return true;
        }
        return false;
    }

    void scheduleDrain() {
        if (!drainScheduled.get() && drainScheduled.compareAndSet(false, true)) {
            inbox.submit(this);
        }
    }

    /** Runs in the inbox pass on the event loop. */
    @Override
    public void run() {
        // cleared first, so an item offered during the drain schedules another one
        drainScheduled.set(false);
        channel.drain();
    }
}
