package io.ferrymq.core;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The way down from a protocol adapter into the core: one session per AMQP channel (or per
 * session of another protocol). Methods are called from one thread at a time (the channel's
 * event loop), in the order the client sent them.
 *
 * <p>Operations that answer the client return a {@link CompletionStage}. A failure completes it
 * exceptionally with a {@link BrokerException}; the adapter turns the condition into a protocol
 * error. Stages may complete on the calling thread (in-memory state) or on another thread (once
 * a write must reach the disk first); the adapter must cope with both and keep replies in
 * order. Methods without a reply throw {@link BrokerException} directly.
 */
public interface Session {

    CompletionStage<Void> declareExchange(ExchangeDeclaration declaration);

    CompletionStage<Void> deleteExchange(String exchange, boolean ifUnused);

    /** exchange.bind: messages routed by {@code source} with the key go on to {@code destination}. */
    CompletionStage<Void> bindExchange(String destination, String source, String routingKey,
                                       Map<String, Object> arguments);

    CompletionStage<Void> unbindExchange(String destination, String source, String routingKey,
                                         Map<String, Object> arguments);

    CompletionStage<QueueDeclareResult> declareQueue(QueueDeclaration declaration);

    /** An empty {@code queue} name means the last queue this session declared (AMQP's rule). */
    CompletionStage<Void> bindQueue(String queue, String exchange, String routingKey, Map<String, Object> arguments);

    CompletionStage<Void> unbindQueue(String queue, String exchange, String routingKey,
                                      Map<String, Object> arguments);

    /** Removes every ready message; returns how many. Unacked messages are left alone. */
    CompletionStage<Integer> purgeQueue(String queue);

    /** Returns the number of messages deleted with the queue. */
    CompletionStage<Integer> deleteQueue(String queue, boolean ifUnused, boolean ifEmpty);

    /**
     * Routes and enqueues a message. The stage completes once the broker is responsible for the
     * message (durable where it must be): that is when a publisher confirm may be sent.
     *
     * <p>After {@link #txSelect()} the message is only buffered: the stage completes at
     * {@link #txCommit()}, with the outcome of routing it then (so a mandatory message is returned
     * at commit, before the commit stage completes), or with {@link PublishOutcome#REJECTED} when
     * the transaction is rolled back or the session closes first.
     */
    CompletionStage<PublishOutcome> publish(PublishRequest request);

    /**
     * Starts a consumer; completes with its tag (the broker's choice when the spec's tag was empty).
     * Deliveries may reach the sink before this method returns, on the calling thread: as the
     * {@link DeliverySink} contract says, the sink hands them over to its own thread, where they
     * must follow the consume-ok.
     */
    CompletionStage<String> consume(ConsumeSpec spec, DeliverySink sink);

    /** Stops a consumer. Its unacked messages stay unacked until settled or the session closes. */
    CompletionStage<Void> cancel(String consumerTag);

    CompletionStage<GetResult> get(String queue, boolean noAck);

    /**
     * basic.qos as RabbitMQ reads it: with {@code global=false} the count applies to each
     * consumer started afterwards on this session; with {@code global=true} it is shared by all
     * consumers of the session. 0 means unlimited.
     */
    CompletionStage<Void> qos(int prefetchCount, boolean global);

    /**
     * Settles deliveries of this session: {@code deliveryTag} alone, or with {@code multiple}
     * every unsettled one up to it (0 with multiple means all).
     *
     * @throws BrokerException PRECONDITION_FAILED when the tag is unknown or already settled
     */
    void settle(long deliveryTag, boolean multiple, SettleOp op);

    /** basic.recover: requeue (or redeliver to the same consumers) every unacked delivery. */
    CompletionStage<Void> recover(boolean requeue);

    CompletionStage<Void> txSelect();

    CompletionStage<Void> txCommit();

    CompletionStage<Void> txRollback();

    /** The transport can take deliveries again ({@link DeliverySink#hasCredit()} turned true). */
    void resume();

    /** Cancels every consumer and requeues every unacked delivery to its original place. */
    void close();

    /**
     * Registers who is told when the broker ends this session on its own (a delivery's acknowledgement timed out):
     * the adapter closes its channel with the exception's condition, which closes the session and requeues its
     * unacknowledged messages. Called from a broker thread; the listener must only hand the event over.
     */
    default void onClosedByBroker(Consumer<BrokerException> listener) {
    }
}
