package io.ferrymq.core.session;

import io.ferrymq.common.Clock;
import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.queue.Queue;
import io.ferrymq.core.queue.QueueArguments;
import io.ferrymq.core.timer.Scheduler;

import java.util.Collection;

/**
 * The consumer ack timeout of one session, as RabbitMQ's {@code consumer_timeout}: a delivery unacknowledged for
 * longer than its queue's {@code x-consumer-timeout} (else the broker's) ends the session's channel with
 * PRECONDITION_FAILED, which requeues its unacknowledged messages. Guarded by the session's ledger lock.
 *
 * <p>One timer per session, for the earliest deadline known when it was armed; when it fires the ledger scans its
 * unacknowledged deliveries (deadlines differ by queue, so the oldest tag is not always the first due) and arms
 * again for the earliest one left. A scan per timeout period costs far less than a timer per delivery.
 */
final class AckTimeouts {
    private static final long NEVER = Long.MAX_VALUE;

    private final Clock clock;
    private final Scheduler scheduler;
    private final long brokerTimeout;
    private final Runnable check;
    private Scheduler.Timer timer;
    private long timerAt = NEVER;

    /** @param check runs on the scheduler's thread when a deadline may have passed */
    AckTimeouts(Clock clock, Scheduler scheduler, long brokerTimeout, Runnable check) {
        this.clock = clock;
        this.scheduler = scheduler;
        this.brokerTimeout = brokerTimeout;
        this.check = check;
    }

    /** The deadline of a delivery from {@code queue} made now; arms the timer for it. */
    long deliveredNow(Queue queue) {
        long timeout = timeout(queue);
        long deadline = timeout <= 0 ? NEVER : clock.millis() + timeout;
        if (deadline < timerAt) {
            cancel();
            timerAt = deadline;
            timer = scheduler.at(deadline, check);
        }
        return deadline;
    }

    /**
     * The timer fired: the first delivery (lowest tag) whose deadline passed, as the error that ends the session,
     * or null, having armed the timer for the earliest deadline left.
     */
    BrokerException expired(Collection<UnackedDelivery> unacked) {
        timer = null;
        timerAt = NEVER;
        long now = clock.millis();
        long earliest = NEVER;
        for (UnackedDelivery delivery : unacked) {
            if (delivery.deadline() <= now) {
                long timeout = timeout(delivery.queue());
                return new BrokerException(Condition.PRECONDITION_FAILED, "delivery acknowledgement timed out for "
                        + "delivery tag " + delivery.tag() + ". Timeout value used: " + timeout + " ms. Acknowledge "
                        + "sooner, or raise consumer_timeout (broker) or x-consumer-timeout (queue)");
            }
            earliest = Math.min(earliest, delivery.deadline());
        }
        if (earliest != NEVER) {
            timerAt = earliest;
            timer = scheduler.at(earliest, check);
        }
        return null;
    }

    void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        timerAt = NEVER;
    }

    private long timeout(Queue queue) {
        long own = queue.arguments().consumerTimeout();
        return own == QueueArguments.NONE ? brokerTimeout : own;
    }
}
