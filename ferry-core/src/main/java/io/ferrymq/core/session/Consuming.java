package io.ferrymq.core.session;

import io.ferrymq.common.message.FieldValues;
import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.ConsumeSpec;
import io.ferrymq.core.DeliverySink;
import io.ferrymq.core.GetResult;
import io.ferrymq.core.auth.Access;
import io.ferrymq.core.exchange.FieldEquality;
import io.ferrymq.core.queue.Queue;

import java.util.List;

/**
 * A session's consumers and what they take: basic.consume and cancel (the direct reply-to consumer included),
 * basic.get, basic.qos, and resuming deliveries. The consumers themselves, their deliveries and credit live in the
 * {@link SessionLedger}, which queue threads call; this class runs on the session's thread (and a closing
 * session's), and {@link #consumerPrefetch} is read by listings from any thread, which may see it lag.
 */
final class Consuming {
    private final SessionServices services;
    private final SessionLedger ledger;
    private final SessionPermissions permissions;
    private final SessionTopology topology;
    private final SessionReplies replies;
    private final DirectReplyConsumer directReply;
    /** The prefetch of consumers started from now on (basic.qos without global). */
    private int consumerPrefetch;

    Consuming(SessionServices services, SessionLedger ledger, SessionPermissions permissions,
              SessionTopology topology, SessionReplies replies, DirectReplyConsumer directReply) {
        this.services = services;
        this.ledger = ledger;
        this.permissions = permissions;
        this.topology = topology;
        this.replies = replies;
        this.directReply = directReply;
    }

    /**
     * Starts a consumer; returns its tag. Deliveries may begin before this method returns, from this thread: the
     * sink must queue them behind the consume-ok (as its contract says, it hands events over).
     */
    String consume(ConsumeSpec spec, DeliverySink sink) {
        String tag = spec.consumerTag() == null || spec.consumerTag().isEmpty()
                ? services.names().generate("amq.ctag-") : spec.consumerTag();
        if (DirectReplyTo.isPseudoQueue(spec.queue())) {
            return directReply.start(tag, spec, sink);
        }
        Queue queue = topology.useQueue(spec.queue());
        permissions.permit(permissions.queue(queue.name()), Access.READ);
        SessionConsumer consumer = new SessionConsumer(ledger, services.consumerIds().getAsLong(), tag, queue,
                sink, priority(spec, queue), spec.noAck(), spec.exclusive(), consumerPrefetch);
        if (!ledger.addConsumer(consumer)) {
            throw new BrokerException(Condition.NOT_ALLOWED, "attempt to reuse consumer tag '" + tag
                    + "' on this channel: cancel it first or use another tag");
        }
        try {
            queue.addConsumer(consumer);
        } catch (BrokerException e) {
            ledger.removeConsumer(consumer);
            throw e;
        }
        return tag;
    }

    private static int priority(ConsumeSpec spec, Queue queue) {
        Object value = spec.arguments() == null ? null : spec.arguments().get("x-priority");
        if (value == null) {
            return 0;
        }
        long priority = FieldValues.asLong(value).orElseThrow(() -> invalidPriority(value, queue));
        if (priority < Integer.MIN_VALUE || priority > Integer.MAX_VALUE) {
            throw invalidPriority(value, queue);
        }
        return (int) priority;
    }

    private static BrokerException invalidPriority(Object value, Queue queue) {
        return new BrokerException(Condition.PRECONDITION_FAILED, "invalid arg 'x-priority' "
                + FieldEquality.render(value) + " for a consumer of " + queue.settings().describe()
                + ": it must be an integer");
    }

    void cancel(String consumerTag) {
        if (directReply.hasTag(consumerTag)) {
            directReply.stop();
            return;
        }
        SessionConsumer consumer = ledger.consumer(consumerTag);
        if (consumer != null) {
            boolean autoDelete = consumer.queue().removeConsumer(consumer);
            ledger.removeConsumer(consumer);
            if (autoDelete) {
                topology.autoDelete(consumer.queue());
            }
        }
    }

    GetResult get(String queue, boolean noAck) {
        Queue source = topology.useQueue(queue);
        permissions.permit(permissions.queue(source.name()), Access.READ);
        long before = replies.deletesRequested();
        GetResult result = source.get(noAck, ledger::deliverGet);
        replies.noteDeletes(before);
        return result;
    }

    void qos(int prefetchCount, boolean global) {
        if (prefetchCount < 0) {
            throw new BrokerException(Condition.PRECONDITION_FAILED, "prefetch count " + prefetchCount
                    + " is negative: use 0 for no limit");
        }
        if (global) {
            ledger.globalPrefetch(prefetchCount);
            ledger.consumedQueues().forEach(Queue::dispatch);
        } else {
            consumerPrefetch = prefetchCount;
        }
    }

    int consumerPrefetch() {
        return consumerPrefetch;
    }

    /** The transport can take deliveries again: every queue consumed from dispatches. */
    void resume() {
        ledger.consumedQueues().forEach(Queue::dispatch);
    }

    /**
     * The session closes: the consumers it held leave their queues (their sinks told {@code reason} when not
     * null, as on broker shutdown), and auto-delete queues left without consumers go.
     */
    void removeAll(List<SessionConsumer> consumers, String reason) {
        for (SessionConsumer consumer : consumers) {
            boolean autoDelete = consumer.queue().removeConsumer(consumer);
            if (reason != null) {
                SessionLedger.tellCancelled(consumer, reason);
            }
            if (autoDelete) {
                topology.autoDelete(consumer.queue());
            }
        }
    }
}
