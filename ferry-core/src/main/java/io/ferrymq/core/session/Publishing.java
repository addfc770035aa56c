package io.ferrymq.core.session;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.Message;
import io.ferrymq.core.PublishOutcome;
import io.ferrymq.core.PublishRequest;
import io.ferrymq.core.auth.Access;
import io.ferrymq.core.dedup.Deduplicator;
import io.ferrymq.core.exchange.Exchange;
import io.ferrymq.core.persist.Persistence;
import io.ferrymq.core.queue.Expiry;
import io.ferrymq.core.queue.Queue;
import io.ferrymq.core.queue.QueueFullException;
import io.ferrymq.core.trace.TraceEvent;
import io.ferrymq.core.vhost.VirtualHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A session's publish path: checks (size, user id, expiration, permission), direct replies, deduplication,
 * routing and enqueueing, trace events, and the outcome a publisher confirm waits for; in a transaction, the
 * publish is buffered until commit instead. Session thread only.
 */
final class Publishing {
    private static final Logger LOG = LoggerFactory.getLogger(Publishing.class);

    private final LocalConnection connection;
    private final VirtualHost vhost;
    private final Persistence persistence;
    private final SessionServices services;
    private final SessionPermissions permissions;
    private final SessionReplies replies;
    private final DirectReplyConsumer directReply;
    private final TransactionControl transactions;

    Publishing(LocalConnection connection, VirtualHost vhost, SessionServices services,
               SessionPermissions permissions, SessionReplies replies, DirectReplyConsumer directReply,
               TransactionControl transactions) {
        this.connection = connection;
        this.vhost = vhost;
        this.persistence = vhost.persistence();
        this.services = services;
        this.permissions = permissions;
        this.replies = replies;
        this.directReply = directReply;
        this.transactions = transactions;
    }

    /**
     * Completes once every stored copy of the message is durable (G1), or at commit in a transaction; fails with
     * the refusal otherwise.
     */
    CompletionStage<PublishOutcome> publish(PublishRequest request) {
        try {
            replies.checkOpen();
            Message message = request.message();
            if (message.body().length > services.maxMessageSizeBytes()) {
                throw new BrokerException(Condition.PRECONDITION_FAILED, "message size " + message.body().length
                        + " is larger than configured max size " + services.maxMessageSizeBytes());
            }
            checkUserId(message);
            Expiry.checkExpiration(message);
            message = directReply.rewriteReplyTo(message);
            if (message.exchange().isEmpty() && DirectReplyTo.isReplyAddress(message.routingKey())) {
                permissions.permit(permissions.exchange(""), Access.WRITE);
                return CompletableFuture.completedFuture(reply(message));
            }
            permissions.permit(permissions.exchange(message.exchange()), Access.WRITE);
            Exchange exchange = vhost.exchangeForPublish(message.exchange());
            Transaction transaction = transactions.current();
            if (transaction != null) {
                CompletableFuture<PublishOutcome> outcome = new CompletableFuture<>();
                transaction.add(new Transaction.Publish(exchange, message, outcome));
                return outcome;
            }
            return enqueue(exchange, message);
        } catch (BrokerException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** RabbitMQ's user-id validation: a publisher may only claim to be the user it logged in as. */
    private void checkUserId(Message message) {
        String claimed = message.properties().userId();
        String user = connection.info().user();
        if (claimed != null && !claimed.equals(user)) {
            throw new BrokerException(Condition.PRECONDITION_FAILED, "user_id property set to '" + claimed
                    + "' but authenticated user was '" + user + "'");
        }
    }

    /** Delivers a reply straight to the requester's channel; UNROUTED when the requester is gone. */
    private PublishOutcome reply(Message message) {
        services.stats().published();
        DirectReplyTo.Target target = services.directReplies().target(vhost.name(), message.routingKey());
        if (target != null && target.ledger().deliverReply(target.consumerTag(), target.sink(), message)) {
            return PublishOutcome.ROUTED;
        }
        return PublishOutcome.UNROUTED;
    }

    /**
     * Checks the exchange's deduplication window, routes and enqueues; completes once every stored copy (and the
     * key's record) is durable (REJECTED when the store failed).
     */
    private CompletableFuture<PublishOutcome> enqueue(Exchange exchange, Message message) {
        services.stats().published();
        Deduplicator.Admission key = vhost.deduplicate(exchange, message);
        if (key != null && key.duplicate()) {
            services.stats().deduplicated();
            if (vhost.tracer().on() && vhost.tracer().tracesVhost(vhost.name())) {
                vhost.tracer().record(TraceEvent.of("deduplicated", vhost.name(), message));
            }
            return CompletableFuture.completedFuture(PublishOutcome.ROUTED);
        }
        CompletableFuture<PublishOutcome> routed = route(exchange, message);
        if (key == null || key.record() == null) {
            return routed;
        }
        // The key's record after the messages': a crash in between lets the publisher's resend through (a
        // duplicate) rather than drop it as a duplicate of a message that is gone.
        Deduplicator window = exchange.deduplicator();
        return routed.thenCompose(outcome -> {
            if (outcome == PublishOutcome.REJECTED) {
                window.forget(key);
                return CompletableFuture.completedFuture(outcome);
            }
            CompletableFuture<Long> stored = persistence.add(key.record().stream(), key.record().entry(),
                    key.record().payload());
            window.stored(key, stored);
            return stored.handle((address, error) -> {
                if (error != null) {
                    LOG.error("the deduplication key of a message to {} could not be stored", exchange, error);
                }
                return outcome;
            });
        });
    }

    /** Routes and enqueues; completes once every stored copy is durable (REJECTED when the store failed). */
    private CompletableFuture<PublishOutcome> route(Exchange exchange, Message message) {
        boolean taken = false;
        List<CompletableFuture<Void>> writes = null;
        List<Queue> targets = vhost.route(exchange, message);
        if (vhost.tracer().on()) {
            vhost.tracer().published(vhost.name(), message, targets, connection.info().id());
        }
        for (Queue queue : targets) {
            CompletableFuture<Void> safe = queue.offer(message);
            if (safe == null) {
                continue;
            }
            if (queue.congested()) {
                connection.awaitFlow(queue);
            }
            taken = true;
            if (!safe.isDone() || safe.isCompletedExceptionally()) {
                if (writes == null) {
                    writes = new ArrayList<>(2);
                }
                writes.add(safe);
            }
        }
        PublishOutcome outcome = taken ? PublishOutcome.ROUTED : PublishOutcome.UNROUTED;
        if (writes == null) {
            return CompletableFuture.completedFuture(outcome);
        }
        CompletableFuture<Void> all = writes.size() == 1 ? writes.get(0)
                : CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0]));
        return all.handle((done, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                if (!(cause instanceof QueueFullException)) {
                    LOG.error("a persistent message could not be stored; its publisher gets a nack", error);
                }
                return PublishOutcome.REJECTED;
            }
            return outcome;
        });
    }
}
