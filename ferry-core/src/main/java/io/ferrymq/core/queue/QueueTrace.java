package io.ferrymq.core.queue;

import io.ferrymq.core.Message;
import io.ferrymq.core.SettleOp;
import io.ferrymq.core.queue.QueueEffect.Deliver;
import io.ferrymq.core.trace.TraceEvent;
import io.ferrymq.core.trace.Tracer;

import java.util.function.LongFunction;

/**
 * One queue's message-trace events (OPERATIONS.md, "Message trace"). Every method first reads the tracer's one
 * volatile flag, so with trace off a queue pays that read and nothing else: no event, no allocation. Thread-safe
 * as the {@link Tracer} is; called under the queue's lock, except {@link #deadLettered}.
 */
final class QueueTrace {
    private final Tracer tracer;
    private final QueueSettings settings;

    QueueTrace(Tracer tracer, QueueSettings settings) {
        this.tracer = tracer;
        this.settings = settings;
    }

    /** Whether this queue's messages are traced now (by vhost, by hand or by policy). */
    boolean traced() {
        return tracer.on() && tracer.traces(settings.vhost(), settings.name());
    }

    void enqueued(Message message) {
        if (tracer.on()) {
            tracer.queueEvent("enqueued", settings, message);
        }
    }

    void deduplicated(Message message) {
        if (tracer.on()) {
            tracer.queueEvent("deduplicated", settings, message);
        }
    }

    /** @param message the expired message's body, loaded by the caller only when {@link #traced()} */
    void expired(Message message) {
        tracer.queueEvent("expired", settings, message);
    }

    /** Recorded with or without a dead-letter exchange: without one, the trace is where the message ends. */
    void deadLettered(Message message, String reason) {
        if (traced()) {
            tracer.record(TraceEvent.of("dead_lettered", settings.vhost(), message).inQueue(settings.name())
                    .withReason(reason));
        }
    }

    /** @param consumerTag null for basic.get */
    void delivered(Deliver deliver, String consumerTag) {
        if (!tracer.on()) {
            return;
        }
        Message message = deliver.entry().message();
        if (message != null && tracer.traces(settings.vhost(), settings.name())) {
            tracer.record(TraceEvent.of("delivered", settings.vhost(), message).inQueue(settings.name())
                    .byConsumer(consumerTag, null).withAttempt(deliver.deliveryCount() + 1));
        }
    }

    /**
     * Only when {@link #traced()}, before the settlement runs, while {@code unacked} still finds the entries: ack:
     * acked; reject or nack without requeue: rejected; with requeue: nacked (then requeued or a retry, see
     * {@link #requeued}).
     */
    void settling(long[] deliveryIds, SettleOp op, LongFunction<QueueEntry> unacked) {
        for (long id : deliveryIds) {
            QueueEntry entry = unacked.apply(id);
            if (entry == null || entry.message() == null) {
                continue;
            }
            TraceEvent event = TraceEvent.of(switch (op) {
                case ACK -> "acked";
                case DISCARD -> "rejected";
                case REQUEUE -> "nacked";
            }, settings.vhost(), entry.message()).inQueue(settings.name());
            tracer.record(op == SettleOp.DISCARD ? event.withReason("requeue=false") : event);
        }
    }

    void requeued(QueueEffect.Requeued requeued) {
        Message message = requeued.entry().message();
        if (message == null || !traced()) {
            return;
        }
        TraceEvent event = TraceEvent.of(requeued.retryAt() < 0 ? "requeued" : "retry_scheduled", settings.vhost(),
                message).inQueue(settings.name());
        tracer.record(requeued.retryAt() < 0 ? event : event.withRetryAt(requeued.retryAt()));
    }

    /** A policy with or without {@code trace: true} now applies to the queue. */
    void policy(boolean enabled) {
        tracer.policyTrace(settings.vhost(), settings.name(), enabled);
    }
}
