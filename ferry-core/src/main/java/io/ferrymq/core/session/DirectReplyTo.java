package io.ferrymq.core.session;

import io.ferrymq.core.DeliverySink;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RabbitMQ's direct reply-to: a requester consumes the pseudo-queue {@value #QUEUE} (no-ack) and
 * publishes with {@code reply-to: amq.rabbitmq.reply-to}; the broker rewrites that into
 * {@code amq.rabbitmq.reply-to.<token>}, and a reply published to the default exchange with that
 * routing key goes straight to the requester's channel, without a queue. Broker-wide; thread-safe.
 */
public final class DirectReplyTo {
    public static final String QUEUE = "amq.rabbitmq.reply-to";
    static final String PREFIX = QUEUE + ".";

    private final Map<String, Target> targets = new ConcurrentHashMap<>();

    /** A requester's reply consumer. */
    record Target(String vhost, SessionLedger ledger, String consumerTag, DeliverySink sink) {
    }

    static boolean isPseudoQueue(String name) {
        return QUEUE.equals(name);
    }

    static boolean isReplyAddress(String routingKey) {
        return routingKey.startsWith(PREFIX);
    }

    void register(String token, Target target) {
        targets.put(token, target);
    }

    void unregister(String token) {
        targets.remove(token);
    }

    /** The reply consumer a reply address leads to in {@code vhost}, or null when it is gone. */
    Target target(String vhost, String routingKey) {
        Target target = targets.get(routingKey.substring(PREFIX.length()));
        return target != null && target.vhost().equals(vhost) ? target : null;
    }
}
