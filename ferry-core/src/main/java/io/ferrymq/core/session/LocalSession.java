package io.ferrymq.core.session;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.BrokerView;
import io.ferrymq.core.ConnectionInfo;
import io.ferrymq.core.ConsumeSpec;
import io.ferrymq.core.DeliverySink;
import io.ferrymq.core.ExchangeDeclaration;
import io.ferrymq.core.GetResult;
import io.ferrymq.core.PublishOutcome;
import io.ferrymq.core.PublishRequest;
import io.ferrymq.core.QueueDeclaration;
import io.ferrymq.core.QueueDeclareResult;
import io.ferrymq.core.Session;
import io.ferrymq.core.SettleOp;
import io.ferrymq.core.queue.Queue;
import io.ferrymq.core.vhost.VirtualHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A session of a {@link LocalConnection}, running every operation on the caller's thread. Called by one thread at
 * a time (the channel's); the collaborators below keep that thread's state, each for one concern. What queue
 * threads touch too (tags, unacked deliveries, consumers, credit) lives in the {@link SessionLedger} under the
 * session lock.
 *
 * <p>Without a store, every stage returned here is already complete when the method returns, except publishes
 * in a transaction (they complete at {@link #txCommit()}, or with REJECTED at rollback or close). With one
 * (G1, G1b): a publish completes once every stored copy of it is durable; a reply completes once the topology
 * writes made so far are durable and, when this session dropped stored messages since its last reply (ack,
 * reject, purge...), once those deletes are durable too ({@link SessionReplies}).
 */
public final class LocalSession implements Session {
    private static final Logger LOG = LoggerFactory.getLogger(LocalSession.class);

    private final LocalConnection connection;
    private final int number;
    private final VirtualHost vhost;
    private final SessionLedger ledger;
    private final SessionReplies replies;
    private final SessionTopology topology;
    private final DirectReplyConsumer directReply;
    private final Settlement settlement;
    private final TransactionControl transactions;
    private final Publishing publishing;
    private final Consuming consuming;
    /** Told when the broker ends this session (an ack timed out); set by the adapter. */
    private volatile Consumer<BrokerException> closedByBroker;

    LocalSession(LocalConnection connection, int number, VirtualHost vhost, SessionServices services) {
        this.connection = connection;
        this.number = number;
        this.vhost = vhost;
        this.ledger = new SessionLedger(services, this::checkAckTimeouts);
        this.replies = new SessionReplies(vhost, ledger);
        SessionPermissions permissions = new SessionPermissions(connection, vhost, services);
        this.topology = new SessionTopology(connection, vhost, permissions, replies);
        this.directReply = new DirectReplyConsumer(services, vhost, ledger);
        this.settlement = new Settlement(ledger, replies);
        this.transactions = new TransactionControl(vhost, services.stats(), ledger, settlement, replies);
        this.publishing = new Publishing(connection, vhost, services, permissions, replies, directReply,
                transactions);
        this.consuming = new Consuming(services, ledger, permissions, topology, replies, directReply);
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
        return replies.run(() -> topology.declareExchange(declaration));
    }

    @Override
    public CompletionStage<Void> deleteExchange(String exchange, boolean ifUnused) {
        return replies.run(() -> topology.deleteExchange(exchange, ifUnused));
    }

    @Override
    public CompletionStage<Void> bindExchange(String destination, String source, String routingKey,
                                              Map<String, Object> arguments) {
        return replies.run(() -> topology.bindExchange(destination, source, routingKey, arguments));
    }

    @Override
    public CompletionStage<Void> unbindExchange(String destination, String source, String routingKey,
                                                Map<String, Object> arguments) {
        return replies.run(() -> topology.unbindExchange(destination, source, routingKey, arguments));
    }

    @Override
    public CompletionStage<QueueDeclareResult> declareQueue(QueueDeclaration declaration) {
        return replies.call(() -> topology.declareQueue(declaration));
    }

    @Override
    public CompletionStage<Void> bindQueue(String queue, String exchange, String routingKey,
                                           Map<String, Object> arguments) {
        return replies.run(() -> topology.bindQueue(queue, exchange, routingKey, arguments));
    }

    @Override
    public CompletionStage<Void> unbindQueue(String queue, String exchange, String routingKey,
                                             Map<String, Object> arguments) {
        return replies.run(() -> topology.unbindQueue(queue, exchange, routingKey, arguments));
    }

    @Override
    public CompletionStage<Integer> purgeQueue(String queue) {
        return replies.call(() -> topology.purgeQueue(queue));
    }

    @Override
    public CompletionStage<Integer> deleteQueue(String queue, boolean ifUnused, boolean ifEmpty) {
        return replies.call(() -> topology.deleteQueue(queue, ifUnused, ifEmpty));
    }

    // ---- publishing

    @Override
    public CompletionStage<PublishOutcome> publish(PublishRequest request) {
        return publishing.publish(request);
    }

    // ---- consuming

    @Override
    public CompletionStage<String> consume(ConsumeSpec spec, DeliverySink sink) {
        return replies.call(() -> consuming.consume(spec, sink));
    }

    @Override
    public CompletionStage<Void> cancel(String consumerTag) {
        return replies.run(() -> consuming.cancel(consumerTag));
    }

    @Override
    public CompletionStage<GetResult> get(String queue, boolean noAck) {
        return replies.call(() -> consuming.get(queue, noAck));
    }

    @Override
    public CompletionStage<Void> qos(int prefetchCount, boolean global) {
        return replies.run(() -> consuming.qos(prefetchCount, global));
    }

    // ---- settling

    /** Settles now, or, in a transaction, at its commit (the deliveries leave the unacked table either way). */
    @Override
    public void settle(long deliveryTag, boolean multiple, SettleOp op) {
        List<UnackedDelivery> taken = ledger.take(deliveryTag, multiple);
        Transaction transaction = transactions.current();
        if (transaction != null) {
            transaction.add(new Transaction.Settle(taken, op));
        } else {
            settlement.apply(taken, op);
        }
    }

    /** basic.recover: RabbitMQ requeues whether or not requeue was asked, and so do we. */
    @Override
    public CompletionStage<Void> recover(boolean requeue) {
        return replies.run(() -> settlement.apply(ledger.take(0, true), SettleOp.REQUEUE));
    }

    // ---- transactions

    @Override
    public CompletionStage<Void> txSelect() {
        return replies.run(transactions::select);
    }

    @Override
    public CompletionStage<Void> txCommit() {
        return transactions.commit();
    }

    @Override
    public CompletionStage<Void> txRollback() {
        return replies.run(transactions::rollback);
    }

    // ---- flow and life cycle

    @Override
    public void resume() {
        consuming.resume();
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
    /** Whether one of this session's consumers takes from {@code queue}. */
    boolean consumesFrom(Queue queue) {
        for (SessionConsumer consumer : ledger.consumers()) {
            if (consumer.queue() == queue) {
                return true;
            }
        }
        return false;
    }

    void terminate(String reason) {
        directReply.stop();
        SessionLedger.Closing closing = ledger.close();
        if (closing == null) {
            return;
        }
        List<UnackedDelivery> requeue = new ArrayList<>(closing.unacked());
        requeue.addAll(transactions.abandon());
        consuming.removeAll(closing.consumers(), reason);
        Settlement.requeue(requeue);
        connection.sessionClosed(this);
    }

    // ---- views (called from any thread: they read the ledger under its lock, and volatile-free fields that
    // may lag, which a listing tolerates)

    public int number() {
        return number;
    }

    public BrokerView.ChannelSnapshot snapshot() {
        ConnectionInfo info = connection.info();
        return new BrokerView.ChannelSnapshot(info.id(), number, info.user(), vhost.name(),
                ledger.consumers().size(), ledger.unackedCount(), consuming.consumerPrefetch(),
                ledger.globalPrefetchCount(), transactions.active());
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
}
