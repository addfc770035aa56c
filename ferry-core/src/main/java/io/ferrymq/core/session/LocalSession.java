package io.ferrymq.core.session;

import io.ferrymq.common.message.FieldValues;
import io.ferrymq.core.BrokerException;
import io.ferrymq.core.BrokerView;
import io.ferrymq.core.ConnectionInfo;
import io.ferrymq.core.Condition;
import io.ferrymq.core.ConsumeSpec;
import io.ferrymq.core.DeliverySink;
import io.ferrymq.core.ExchangeDeclaration;
import io.ferrymq.core.GetResult;
import io.ferrymq.core.Message;
import io.ferrymq.core.PublishOutcome;
import io.ferrymq.core.PublishRequest;
import io.ferrymq.core.QueueDeclaration;
import io.ferrymq.core.QueueDeclareResult;
import io.ferrymq.core.Session;
import io.ferrymq.core.SettleOp;
import io.ferrymq.core.auth.Access;
import io.ferrymq.core.auth.Resource;
import io.ferrymq.core.dedup.Deduplicator;
import io.ferrymq.core.exchange.Destination;
import io.ferrymq.core.exchange.Exchange;
import io.ferrymq.core.exchange.FieldEquality;
import io.ferrymq.core.persist.Persistence;
import io.ferrymq.core.queue.Expiry;
import io.ferrymq.core.queue.Queue;
import io.ferrymq.core.queue.QueueFullException;
import io.ferrymq.core.trace.TraceEvent;
import io.ferrymq.core.vhost.VirtualHost;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A session of a {@link LocalConnection}, running every operation on the caller's thread. Called
 * by one thread at a time (the channel's); the fields below {@link #ledger} are that thread's
 * alone. What queue threads touch too (tags, unacked deliveries, consumers, credit) lives in the
 * {@link SessionLedger} under the session lock.
 *
 * <p>Without a store, every stage returned here is already complete when the method returns, except publishes
 * in a transaction (they complete at {@link #txCommit()}, or with REJECTED at rollback or close). With one
 * (G1, G1b): a publish completes once every stored copy of it is durable; a reply completes once the topology
 * writes made so far are durable and, when this session dropped stored messages since its last reply (ack,
 * reject, purge...), once those deletes are durable too.
 */
public final class LocalSession implements Session {
    private static final long[] NO_IDS = new long[0];
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LocalSession.class);

    private final LocalConnection connection;
    private final int number;
    private final VirtualHost vhost;
    private final SessionServices services;
    private final SessionLedger ledger;
    private final Persistence persistence;
    /** Told when the broker ends this session (an ack timed out); set by the adapter. */
    private volatile Consumer<BrokerException> closedByBroker;
    /** Stored messages were dropped since the last reply: the next reply waits until that is durable. */
    private boolean deletesOutstanding;
    private int consumerPrefetch;
    private String lastDeclaredQueue;
    private Transaction transaction;
    /** The direct reply-to consumer's tag and reply token, or null when there is none. */
    private String replyConsumerTag;
    private String replyToken;

    LocalSession(LocalConnection connection, int number, VirtualHost vhost, SessionServices services) {
        this.connection = connection;
        this.number = number;
        this.vhost = vhost;
        this.services = services;
        this.persistence = vhost.persistence();
        this.ledger = new SessionLedger(services, this::checkAckTimeouts);
    }

    @Override
    public void onClosedByBroker(Consumer<BrokerException> listener) {
        closedByBroker = listener;
    }

    /** On the scheduler's thread: an ack timed out ends the session through its adapter (which closes it). */
    private void checkAckTimeouts() {
        BrokerException timedOut = ledger.ackTimedOut();
        if (timedOut == null) {
            return;
        }
        Consumer<BrokerException> listener = closedByBroker;
        if (listener != null) {
            listener.accept(timedOut);
        } else {
            LOG.warn("{}; no adapter listens, so the session stays open", timedOut.getMessage());
        }
    }

    // ---- topology

    @Override
    public CompletionStage<Void> declareExchange(ExchangeDeclaration declaration) {
        return run(() -> {
            if (!declaration.passive()) {
                permit(exchange(declaration.name()), Access.CONFIGURE);
                Object alternate = argument(declaration.arguments(), "alternate-exchange");
                if (alternate != null) {
                    // messages will flow from this exchange into the alternate one
                    permit(exchange(declaration.name()), Access.READ);
                    permit(exchange(alternate.toString()), Access.WRITE);
                }
            }
            vhost.declareExchange(declaration);
        });
    }

    @Override
    public CompletionStage<Void> deleteExchange(String exchange, boolean ifUnused) {
        return run(() -> {
            permit(exchange(exchange), Access.CONFIGURE);
            vhost.deleteExchange(exchange, ifUnused);
        });
    }

    @Override
    public CompletionStage<Void> bindExchange(String destination, String source, String routingKey,
                                              Map<String, Object> arguments) {
        return run(() -> {
            permitBinding(exchange(destination), source);
            vhost.bind(new Destination.ToExchange(vhost.bindable(destination)), source, routingKey, arguments);
        });
    }

    @Override
    public CompletionStage<Void> unbindExchange(String destination, String source, String routingKey,
                                                Map<String, Object> arguments) {
        return run(() -> {
            permitBinding(exchange(destination), source);
            vhost.unbind(new Destination.ToExchange(vhost.bindable(destination)), source, routingKey, arguments);
        });
    }

    @Override
    public CompletionStage<QueueDeclareResult> declareQueue(QueueDeclaration declaration) {
        return call(() -> {
            if (declaration.passive() && DirectReplyTo.isPseudoQueue(declaration.name())) {
                return new QueueDeclareResult(declaration.name(), 0, 0);
            }
            QueueDeclaration effective = declaration;
            boolean serverNamed = false;
            if (declaration.name().isEmpty()) {
                // a passive declare names the last declared queue; an active one gets a fresh name checked below
                serverNamed = !declaration.passive();
                effective = new QueueDeclaration(serverNamed ? vhost.newQueueName() : lastDeclaredQueue(),
                        declaration.passive(), declaration.durable(), declaration.exclusive(),
                        declaration.autoDelete(), declaration.arguments());
            }
            if (!effective.passive()) {
                permit(queue(effective.name()), Access.CONFIGURE);
                Object deadLetterExchange = argument(effective.arguments(), "x-dead-letter-exchange");
                if (deadLetterExchange != null) {
                    // messages will flow from this queue into the dead-letter exchange
                    permit(queue(effective.name()), Access.READ);
                    permit(exchange(deadLetterExchange.toString()), Access.WRITE);
                }
            }
            Queue queue = vhost.declareQueue(effective, connection.id(), serverNamed);
            if (queue.settings().exclusive()) {
                connection.ownExclusive(queue);
            }
            lastDeclaredQueue = queue.name();
            return new QueueDeclareResult(queue.name(), queue.readyCount(), queue.consumerCount());
        });
    }

    @Override
    public CompletionStage<Void> bindQueue(String queue, String exchange, String routingKey,
                                           Map<String, Object> arguments) {
        return run(() -> {
            Queue target = useQueue(queue);
            permitBinding(queue(target.name()), exchange);
            vhost.bind(new Destination.ToQueue(target), exchange, bindingKey(queue, routingKey, target), arguments);
        });
    }

    @Override
    public CompletionStage<Void> unbindQueue(String queue, String exchange, String routingKey,
                                             Map<String, Object> arguments) {
        return run(() -> {
            Queue target = useQueue(queue);
            permitBinding(queue(target.name()), exchange);
            vhost.unbind(new Destination.ToQueue(target), exchange, bindingKey(queue, routingKey, target), arguments);
        });
    }

    /** AMQP: with the queue name empty (the last declared queue), an empty key means that queue's name. */
    private static String bindingKey(String queueName, String routingKey, Queue queue) {
        return queueName.isEmpty() && routingKey.isEmpty() ? queue.name() : routingKey;
    }

    @Override
    public CompletionStage<Integer> purgeQueue(String queue) {
        return call(() -> {
            Queue target = useQueue(queue);
            permit(queue(target.name()), Access.READ);
            long before = persistence.deletesRequested();
            int count = target.purge();
            noteDeletes(before);
            return count;
        });
    }

    @Override
    public CompletionStage<Integer> deleteQueue(String queue, boolean ifUnused, boolean ifEmpty) {
        return call(() -> {
            String name = queue.isEmpty() ? lastDeclaredQueue() : queue;
            permit(queue(name), Access.CONFIGURE);
            Queue target = vhost.existingQueue(name);
            if (target == null) {
                return 0;
            }
            vhost.checkExclusiveAccess(target, connection.id());
            long before = persistence.deletesRequested();
            int count = vhost.deleteQueue(target, ifUnused, ifEmpty);
            connection.forgetExclusive(target);
            noteDeletes(before);
            return count;
        });
    }

    // ---- publishing

    @Override
    public CompletionStage<PublishOutcome> publish(PublishRequest request) {
        try {
            checkOpen();
            Message message = request.message();
            if (message.body().length > services.maxMessageSizeBytes()) {
                throw new BrokerException(Condition.PRECONDITION_FAILED, "message size " + message.body().length
                        + " is larger than configured max size " + services.maxMessageSizeBytes());
            }
            checkUserId(message);
            Expiry.checkExpiration(message);
            message = rewriteReplyTo(message);
            if (message.exchange().isEmpty() && DirectReplyTo.isReplyAddress(message.routingKey())) {
                permit(exchange(""), Access.WRITE);
                return CompletableFuture.completedFuture(reply(message));
            }
            permit(exchange(message.exchange()), Access.WRITE);
            Exchange exchange = vhost.exchangeForPublish(message.exchange());
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

    /** A request asking for a direct reply gets this session's reply address as its reply-to. */
    private Message rewriteReplyTo(Message message) {
        if (!DirectReplyTo.isPseudoQueue(message.properties().replyTo())) {
            return message;
        }
        if (replyToken == null) {
            throw new BrokerException(Condition.PRECONDITION_FAILED, "fast reply consumer does not exist: consume '"
                    + DirectReplyTo.QUEUE + "' with no-ack on this channel before publishing with it as reply-to");
        }
        return new Message(message.exchange(), message.routingKey(),
                message.properties().withReplyTo(DirectReplyTo.PREFIX + replyToken), message.body());
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

    /** RabbitMQ's user-id validation: a publisher may only claim to be the user it logged in as. */
    private void checkUserId(Message message) {
        String claimed = message.properties().userId();
        String user = connection.info().user();
        if (claimed != null && !claimed.equals(user)) {
            throw new BrokerException(Condition.PRECONDITION_FAILED, "user_id property set to '" + claimed
                    + "' but authenticated user was '" + user + "'");
        }
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

    // ---- consuming

    /**
     * Starts a consumer. Deliveries may begin before this method returns, from this thread: the
     * sink must queue them behind the consume-ok (as its contract says, it hands events over).
     */
    @Override
    public CompletionStage<String> consume(ConsumeSpec spec, DeliverySink sink) {
        return call(() -> {
            String tag = spec.consumerTag() == null || spec.consumerTag().isEmpty()
                    ? services.names().generate("amq.ctag-") : spec.consumerTag();
            if (DirectReplyTo.isPseudoQueue(spec.queue())) {
                return consumeReplies(tag, spec, sink);
            }
            Queue queue = useQueue(spec.queue());
            permit(queue(queue.name()), Access.READ);
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
        });
    }

    private String consumeReplies(String tag, ConsumeSpec spec, DeliverySink sink) {
        if (!spec.noAck()) {
            throw new BrokerException(Condition.PRECONDITION_FAILED, "reply consumer cannot acknowledge: consume '"
                    + DirectReplyTo.QUEUE + "' with no-ack");
        }
        if (replyToken != null) {
            throw new BrokerException(Condition.PRECONDITION_FAILED, "reply consumer already set on this channel");
        }
        if (ledger.consumer(tag) != null) {
            throw new BrokerException(Condition.NOT_ALLOWED, "attempt to reuse consumer tag '" + tag
                    + "' on this channel: cancel it first or use another tag");
        }
        replyToken = services.names().generate("");
        replyConsumerTag = tag;
        services.directReplies().register(replyToken, new DirectReplyTo.Target(vhost.name(), ledger, tag, sink));
        return tag;
    }

    private void stopReplies() {
        if (replyToken != null) {
            services.directReplies().unregister(replyToken);
            replyToken = null;
            replyConsumerTag = null;
        }
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

    @Override
    public CompletionStage<Void> cancel(String consumerTag) {
        return run(() -> {
            if (consumerTag.equals(replyConsumerTag)) {
                stopReplies();
                return;
            }
            SessionConsumer consumer = ledger.consumer(consumerTag);
            if (consumer != null) {
                boolean autoDelete = consumer.queue().removeConsumer(consumer);
                ledger.removeConsumer(consumer);
                if (autoDelete) {
                    autoDelete(consumer.queue());
                }
            }
        });
    }

    @Override
    public CompletionStage<GetResult> get(String queue, boolean noAck) {
        return call(() -> {
            Queue source = useQueue(queue);
            permit(queue(source.name()), Access.READ);
            long before = persistence.deletesRequested();
            GetResult result = source.get(noAck, ledger::deliverGet);
            noteDeletes(before);
            return result;
        });
    }

    @Override
    public CompletionStage<Void> qos(int prefetchCount, boolean global) {
        return run(() -> {
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
        });
    }

    // ---- settling

    @Override
    public void settle(long deliveryTag, boolean multiple, SettleOp op) {
        List<UnackedDelivery> taken = ledger.take(deliveryTag, multiple);
        if (transaction != null) {
            transaction.add(new Transaction.Settle(taken, op));
        } else {
            apply(taken, op);
        }
    }

    /** basic.recover: RabbitMQ requeues whether or not requeue was asked, and so do we. */
    @Override
    public CompletionStage<Void> recover(boolean requeue) {
        return run(() -> apply(ledger.take(0, true), SettleOp.REQUEUE));
    }

    /** Releases the credit the deliveries held, settles them queue by queue, then lets queues dispatch. */
    private void apply(List<UnackedDelivery> deliveries, SettleOp op) {
        if (deliveries.isEmpty()) {
            return;
        }
        ledger.release(deliveries);
        long before = persistence.deletesRequested();
        Map<Queue, long[]> byQueue = groupByQueue(deliveries);
        byQueue.forEach((queue, ids) -> queue.settle(ids, op));
        noteDeletes(before);
        if (ledger.hasGlobalPrefetch()) {
            for (Queue queue : ledger.consumedQueues()) {
                if (!byQueue.containsKey(queue)) {
                    queue.dispatch();
                }
            }
        }
    }

    private static Map<Queue, long[]> groupByQueue(List<UnackedDelivery> deliveries) {
        Map<Queue, long[]> byQueue = new LinkedHashMap<>();
        for (UnackedDelivery delivery : deliveries) {
            long[] ids = byQueue.getOrDefault(delivery.queue(), NO_IDS);
            long[] grown = Arrays.copyOf(ids, ids.length + 1);
            grown[ids.length] = delivery.deliveryId();
            byQueue.put(delivery.queue(), grown);
        }
        return byQueue;
    }

    // ---- transactions

    @Override
    public CompletionStage<Void> txSelect() {
        return run(() -> {
            if (transaction == null) {
                transaction = new Transaction();
            }
        });
    }

    /**
     * Commits the transaction atomically ({@link TransactionCommit}): completes once every publish and settlement
     * is durable and applied, and what this session dropped before is durable too (G1b).
     */
    @Override
    public CompletionStage<Void> txCommit() {
        CompletableFuture<Void> committed;
        try {
            checkOpen();
            List<Transaction.Op> ops = requireTransaction().drain();
            committed = new TransactionCommit(vhost, persistence, services.stats(), this::apply, this::giveBack)
                    .commit(ops);
        } catch (BrokerException e) {
            return durable(CompletableFuture.failedFuture(e));
        }
        // The channel sends nothing else on this session until the commit completes, so the session's state may
        // be touched where the store write completed.
        return committed.thenCompose(done -> durable(CompletableFuture.completedFuture(null)));
    }

    /** Deliveries whose settlement did not happen are unacked again (requeued if the session closed meanwhile). */
    private void giveBack(List<UnackedDelivery> deliveries) {
        if (ledger.isClosed()) {
            groupByQueue(deliveries).forEach((queue, ids) -> queue.settle(ids, SettleOp.REQUEUE));
        } else {
            ledger.restore(deliveries);
        }
    }

    /** Discards buffered publishes (their stages complete with REJECTED); settled deliveries become unacked again. */
    @Override
    public CompletionStage<Void> txRollback() {
        return run(() -> {
            for (Transaction.Op op : requireTransaction().drain()) {
                if (op instanceof Transaction.Publish publish) {
                    publish.outcome().complete(PublishOutcome.REJECTED);
                } else if (op instanceof Transaction.Settle settle) {
                    ledger.restore(settle.deliveries());
                }
            }
        });
    }

    private Transaction requireTransaction() {
        if (transaction == null) {
            throw new BrokerException(Condition.PRECONDITION_FAILED,
                    "channel is not transactional: send tx.select first");
        }
        return transaction;
    }

    // ---- flow and life cycle

    @Override
    public void resume() {
        ledger.consumedQueues().forEach(Queue::dispatch);
    }

    @Override
    public void close() {
        terminate(null);
    }

    /**
     * Closes the session: consumers are removed (and, when {@code reason} is not null, their sinks
     * told, as on broker shutdown), unacked and uncommitted deliveries requeued to their places,
     * buffered publishes completed with REJECTED.
     */
    void terminate(String reason) {
        stopReplies();
        SessionLedger.Closing closing = ledger.close();
        if (closing == null) {
            return;
        }
        List<UnackedDelivery> requeue = new ArrayList<>(closing.unacked());
        if (transaction != null) {
            for (Transaction.Op op : transaction.drain()) {
                if (op instanceof Transaction.Publish publish) {
                    publish.outcome().complete(PublishOutcome.REJECTED);
                } else if (op instanceof Transaction.Settle settle) {
                    requeue.addAll(settle.deliveries());
                }
            }
        }
        for (SessionConsumer consumer : closing.consumers()) {
            boolean autoDelete = consumer.queue().removeConsumer(consumer);
            if (reason != null) {
                SessionLedger.tellCancelled(consumer, reason);
            }
            if (autoDelete) {
                autoDelete(consumer.queue());
            }
        }
        groupByQueue(requeue).forEach((queue, ids) -> queue.settle(ids, SettleOp.REQUEUE));
        connection.sessionClosed(this);
    }

    private void autoDelete(Queue queue) {
        try {
            vhost.deleteQueue(queue, true, false);
            connection.forgetExclusive(queue);
        } catch (BrokerException inUseAgain) {
            // a consumer arrived since the last one left: the queue stays
        }
    }

    // ---- views (called from any thread: they read the ledger under its lock, and volatile-free fields that
    // may lag, which a listing tolerates)

    public int number() {
        return number;
    }

    public BrokerView.ChannelSnapshot snapshot() {
        ConnectionInfo info = connection.info();
        return new BrokerView.ChannelSnapshot(info.id(), number, info.user(), vhost.name(),
                ledger.consumers().size(), ledger.unackedCount(), consumerPrefetch, ledger.globalPrefetchCount(),
                transaction != null);
    }

    public List<BrokerView.ConsumerSnapshot> consumerSnapshots() {
        ConnectionInfo info = connection.info();
        List<BrokerView.ConsumerSnapshot> all = new ArrayList<>();
        for (SessionConsumer c : ledger.consumers()) {
            all.add(new BrokerView.ConsumerSnapshot(vhost.name(), c.queue().name(), c.tag(), info.id(), number,
                    info.user(), !c.noAck(), c.exclusive(), c.prefetch(), c.priority()));
        }
        return all;
    }

    // ---- permissions (RabbitMQ's model: see docs/OPERATIONS.md)

    /** @throws BrokerException ACCESS_REFUSED when this connection's user may not */
    private void permit(Resource resource, Access access) {
        services.authorizer().check(connection.info().user(), resource, access);
    }

    /** A binding lets messages flow from the source exchange into the destination: write there, read here. */
    private void permitBinding(Resource destination, String source) {
        permit(destination, Access.WRITE);
        permit(exchange(source), Access.READ);
    }

    private Resource queue(String name) {
        return Resource.queue(vhost.name(), name);
    }

    private Resource exchange(String name) {
        return Resource.exchange(vhost.name(), name);
    }

    private static Object argument(Map<String, Object> arguments, String name) {
        return arguments == null ? null : arguments.get(name);
    }

    // ---- helpers

    /** The queue named (the last declared one for ""), usable by this connection. */
    private Queue useQueue(String name) {
        Queue queue = vhost.queue(name.isEmpty() ? lastDeclaredQueue() : name);
        vhost.checkExclusiveAccess(queue, connection.id());
        return queue;
    }

    private String lastDeclaredQueue() {
        if (lastDeclaredQueue == null) {
            throw new BrokerException(Condition.NOT_FOUND,
                    "no previously declared queue on this channel: name the queue explicitly");
        }
        return lastDeclaredQueue;
    }

    private void checkOpen() {
        if (ledger.isClosed()) {
            throw new BrokerException(Condition.COMMAND_INVALID, "the session is closed");
        }
    }

    /** Runs an operation that answers the client; refused once the session is closed. */
    private CompletionStage<Void> run(Runnable action) {
        return call(() -> {
            action.run();
            return null;
        });
    }

    private <T> CompletionStage<T> call(Supplier<T> action) {
        T value;
        try {
            checkOpen();
            value = action.get();
        } catch (BrokerException e) {
            // what the failed operation may have changed before it failed must be durable before its error too
            return durable(CompletableFuture.failedFuture(e));
        }
        return durable(CompletableFuture.completedFuture(value));
    }

    /** Stored messages were dropped since {@code before} (by this session, or by chance another one). */
    private void noteDeletes(long before) {
        if (persistence.deletesRequested() != before) {
            deletesOutstanding = true;
        }
    }

    /**
     * The reply, once it may be sent (G1b): after the topology writes so far and, when this session dropped
     * stored messages since its last reply, after those deletes are durable.
     */
    private <T> CompletableFuture<T> durable(CompletableFuture<T> reply) {
        if (!persistence.durable()) {
            return reply;
        }
        CompletableFuture<Void> wait = vhost.topologyBarrier();
        if (wait.isDone() && !wait.isCompletedExceptionally()) {
            wait = null;
        }
        if (deletesOutstanding) {
            deletesOutstanding = false;
            CompletableFuture<Void> deletes = persistence.barrier();
            wait = wait == null ? deletes : CompletableFuture.allOf(wait, deletes);
        }
        if (wait == null) {
            return reply;
        }
        return wait.handle((done, error) -> error).thenCompose(error -> {
            if (error != null) {
                LOG.error("a store write failed; the reply is an error", error);
                return CompletableFuture.failedFuture(new BrokerException(Condition.INTERNAL_ERROR,
                        "the broker could not write to its store: see the broker log"));
            }
            return reply;
        });
    }
}
