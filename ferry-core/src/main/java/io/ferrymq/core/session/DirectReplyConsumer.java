package io.ferrymq.core.session;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.ConsumeSpec;
import io.ferrymq.core.DeliverySink;
import io.ferrymq.core.Message;
import io.ferrymq.core.vhost.VirtualHost;

/**
 * A session's consumer of the direct reply-to pseudo-queue ({@link DirectReplyTo}), if it has one: its tag and the
 * reply token its requests carry. Session thread only (and a closing session's).
 */
final class DirectReplyConsumer {
    private final SessionServices services;
    private final VirtualHost vhost;
    private final SessionLedger ledger;
    /** The consumer's tag and reply token, or null when there is none. */
    private String consumerTag;
    private String token;

    DirectReplyConsumer(SessionServices services, VirtualHost vhost, SessionLedger ledger) {
        this.services = services;
        this.vhost = vhost;
        this.ledger = ledger;
    }

    /** Starts the reply consumer; returns its tag. */
    String start(String tag, ConsumeSpec spec, DeliverySink sink) {
        if (!spec.noAck()) {
            throw new BrokerException(Condition.PRECONDITION_FAILED, "reply consumer cannot acknowledge: consume '"
                    + DirectReplyTo.QUEUE + "' with no-ack");
        }
        if (token != null) {
            throw new BrokerException(Condition.PRECONDITION_FAILED, "reply consumer already set on this channel");
        }
        if (ledger.consumer(tag) != null) {
            throw new BrokerException(Condition.NOT_ALLOWED, "attempt to reuse consumer tag '" + tag
                    + "' on this channel: cancel it first or use another tag");
        }
        token = services.names().generate("");
        consumerTag = tag;
        services.directReplies().register(token, new DirectReplyTo.Target(vhost.name(), ledger, tag, sink));
        return tag;
    }

    boolean hasTag(String tag) {
        return tag.equals(consumerTag);
    }

    void stop() {
        if (token != null) {
            services.directReplies().unregister(token);
            token = null;
            consumerTag = null;
        }
    }

    /** A request asking for a direct reply gets this session's reply address as its reply-to. */
    Message rewriteReplyTo(Message message) {
        if (!DirectReplyTo.isPseudoQueue(message.properties().replyTo())) {
            return message;
        }
        if (token == null) {
            throw new BrokerException(Condition.PRECONDITION_FAILED, "fast reply consumer does not exist: consume '"
                    + DirectReplyTo.QUEUE + "' with no-ack on this channel before publishing with it as reply-to");
        }
        return new Message(message.exchange(), message.routingKey(),
                message.properties().withReplyTo(DirectReplyTo.PREFIX + token), message.body());
    }
}
