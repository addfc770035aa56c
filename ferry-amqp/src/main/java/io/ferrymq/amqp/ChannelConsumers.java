package io.ferrymq.amqp;

import io.ferrymq.amqp.codec.method.BasicCancel;
import io.ferrymq.amqp.codec.method.BasicCancelOk;
import io.ferrymq.amqp.codec.method.BasicConsume;
import io.ferrymq.amqp.codec.method.BasicConsumeOk;
import io.ferrymq.amqp.codec.method.BasicDeliver;
import io.ferrymq.amqp.codec.method.BasicGet;
import io.ferrymq.amqp.codec.method.BasicGetEmpty;
import io.ferrymq.amqp.codec.method.BasicGetOk;
import io.ferrymq.core.BrokerException;
import io.ferrymq.core.ConsumeSpec;
import io.ferrymq.core.Delivery;
import io.ferrymq.core.Message;
import io.ferrymq.core.SettleOp;

import java.util.HashSet;
import java.util.Set;

/**
 * Owned by the connection's event loop; one per channel. The consuming side of a channel:
 * {@code basic.consume}, {@code basic.cancel} both ways, {@code basic.get}, and writing what the
 * core delivers through the channel's {@link ChannelDeliverySink}.
 *
 * <p>Order guarantees: {@code consume-ok} goes out before the consumer's first delivery (the core
 * may deliver from another thread before the consume stage completes: the drain is held until
 * consume-ok is written); {@code cancel-ok} and a {@code get-ok} come after every delivery queued
 * before them; a server-side cancel follows the consumer's last delivery.
 */
final class ChannelConsumers {
    private static final String CONSUMER_CANCEL_NOTIFY = "consumer_cancel_notify";

    private final AmqpChannel channel;
    private final ChannelDeliverySink sink;
    /** Tags of consumers whose consume-ok was written and that are not cancelled yet. */
    private final Set<String> active = new HashSet<>();
    /** A consume stage is in flight: deliveries stay queued until its consume-ok is written. */
    private boolean holdDeliveries;

    ChannelConsumers(AmqpChannel channel) {
        this.channel = channel;
        AmqpConnection connection = channel.connection();
        this.sink = new ChannelDeliverySink(this, connection.inbox(), connection.socket());
    }

    void consume(BasicConsume consume) {
        // the core refuses a tag already in use on this session (530 NOT_ALLOWED)
        ConsumeSpec spec = new ConsumeSpec(consume.queue(), consume.consumerTag(), consume.noLocal(), consume.noAck(),
                consume.exclusive(), consume.arguments());
        holdDeliveries = true;
        channel.await(channel.session().consume(spec, sink), consume, tag -> {
            holdDeliveries = false;
            active.add(tag);
            if (!consume.nowait()) {
                channel.reply(new BasicConsumeOk(tag));
            }
            drain();
        });
    }

    void cancel(BasicCancel cancel) {
        String tag = cancel.consumerTag();
        if (!active.contains(tag)) {
            // the spec asks to treat cancelling an unknown consumer as success
            if (!cancel.nowait()) {
                channel.reply(new BasicCancelOk(tag));
            }
            return;
        }
        channel.await(channel.session().cancel(tag), cancel, done -> {
            drain();
            active.remove(tag);
            if (!cancel.nowait()) {
                channel.reply(new BasicCancelOk(tag));
            }
        });
    }

    void get(BasicGet get) {
        channel.await(channel.session().get(get.queue(), get.noAck()), get, result -> {
            if (result.isEmpty()) {
                channel.reply(new BasicGetEmpty(""));
                return;
            }
            drain(); // earlier delivery tags first
            Delivery delivery = result.delivery();
            Message message = delivery.message();
            channel.out().content(channel.number, new BasicGetOk(delivery.deliveryTag(), delivery.redelivered(),
                    message.exchange(), message.routingKey(), result.messageCount()), message.properties(),
                    message.body());
        });
    }

    /** Writes every queued delivery and cancellation (flushed at the end of the pass). */
    void drain() {
        assert channel.connection().inEventLoop();
        if (!channel.isOpen()) {
            sink.close();
            return;
        }
        if (holdDeliveries) {
            return;
        }
        Object item;
        while ((item = sink.poll()) != null) {
            if (item instanceof Delivery delivery) {
                write(delivery);
            } else {
                cancelledByServer(((ChannelDeliverySink.ServerCancel) item).consumerTag());
            }
        }
        if (sink.takeCreditRefused()) {
            channel.resume();
        }
    }

    private void write(Delivery delivery) {
        if (!active.contains(delivery.consumerTag())) {
            returnStray(delivery);
            return;
        }
        Message message = delivery.message();
        channel.out().content(channel.number, new BasicDeliver(delivery.consumerTag(), delivery.deliveryTag(),
                delivery.redelivered(), message.exchange(), message.routingKey()), message.properties(),
                message.body());
    }

    /**
     * A delivery for a consumer whose cancel-ok is already written. Clients fail on deliveries
     * for unknown consumers (the Java client throws), so it is not sent; it goes back to its queue.
     * For a no-ack consumer the core has settled it already and refuses the tag: nothing to undo.
     */
    private void returnStray(Delivery delivery) {
        try {
            channel.session().settle(delivery.deliveryTag(), false, SettleOp.REQUEUE);
        } catch (BrokerException alreadySettled) {
            // no-ack delivery: gone either way
        }
    }

    /**
     * The core ended a consumer (queue deleted...). Only clients that announced
     * {@code consumer_cancel_notify} are told; the others would not understand a server's
     * {@code basic.cancel}.
     */
    private void cancelledByServer(String tag) {
        if (active.remove(tag) && channel.connection().clientHas(CONSUMER_CANCEL_NOTIFY)) {
            channel.reply(new BasicCancel(tag, true));
        }
    }

    /** The channel closed: nothing more is written; the core requeues what was delivered. */
    void release() {
        holdDeliveries = false;
        active.clear();
        sink.close();
    }
}
