package io.ferrymq.amqp;

import io.ferrymq.amqp.codec.method.AccessRequest;
import io.ferrymq.amqp.codec.method.AccessRequestOk;
import io.ferrymq.amqp.codec.method.AmqpMethod;
import io.ferrymq.amqp.codec.method.BasicAck;
import io.ferrymq.amqp.codec.method.BasicNack;
import io.ferrymq.amqp.codec.method.BasicQos;
import io.ferrymq.amqp.codec.method.BasicQosOk;
import io.ferrymq.amqp.codec.method.BasicRecover;
import io.ferrymq.amqp.codec.method.BasicRecoverAsync;
import io.ferrymq.amqp.codec.method.BasicRecoverOk;
import io.ferrymq.amqp.codec.method.BasicReject;
import io.ferrymq.amqp.codec.method.ExchangeBind;
import io.ferrymq.amqp.codec.method.ExchangeBindOk;
import io.ferrymq.amqp.codec.method.ExchangeDeclare;
import io.ferrymq.amqp.codec.method.ExchangeDeclareOk;
import io.ferrymq.amqp.codec.method.ExchangeDelete;
import io.ferrymq.amqp.codec.method.ExchangeDeleteOk;
import io.ferrymq.amqp.codec.method.ExchangeUnbind;
import io.ferrymq.amqp.codec.method.ExchangeUnbindOk;
import io.ferrymq.amqp.codec.method.QueueBind;
import io.ferrymq.amqp.codec.method.QueueBindOk;
import io.ferrymq.amqp.codec.method.QueueDeclare;
import io.ferrymq.amqp.codec.method.QueueDeclareOk;
import io.ferrymq.amqp.codec.method.QueueDelete;
import io.ferrymq.amqp.codec.method.QueueDeleteOk;
import io.ferrymq.amqp.codec.method.QueuePurge;
import io.ferrymq.amqp.codec.method.QueuePurgeOk;
import io.ferrymq.amqp.codec.method.QueueUnbind;
import io.ferrymq.amqp.codec.method.QueueUnbindOk;
import io.ferrymq.core.ExchangeDeclaration;
import io.ferrymq.core.QueueDeclaration;
import io.ferrymq.core.Session;
import io.ferrymq.core.SettleOp;

import java.util.concurrent.CompletionStage;

/**
 * Owned by the connection's event loop; one per channel. The channel methods that map one to one
 * onto a {@link Session} call: exchange.*, queue.*, basic.qos, settlements, basic.recover and the
 * obsolete access.request. A method with a {@code nowait} bit set gets no -ok, but still waits for
 * its stage so that later methods see its effect and a failure still closes the channel.
 */
final class ChannelMethods {
    private final AmqpChannel channel;

    ChannelMethods(AmqpChannel channel) {
        this.channel = channel;
    }

    void ack(BasicAck ack) {
        session().settle(ack.deliveryTag(), ack.multiple(), SettleOp.ACK);
    }

    void handle(AmqpMethod method) {
        if (method instanceof BasicNack nack) {
            session().settle(nack.deliveryTag(), nack.multiple(), nack.requeue() ? SettleOp.REQUEUE : SettleOp.DISCARD);
        } else if (method instanceof BasicReject reject) {
            session().settle(reject.deliveryTag(), false, reject.requeue() ? SettleOp.REQUEUE : SettleOp.DISCARD);
        } else if (method instanceof BasicQos qos) {
            qos(qos);
        } else if (method instanceof QueueDeclare declare) {
            queueDeclare(declare);
        } else if (method instanceof QueueBind bind) {
            reply(session().bindQueue(bind.queue(), bind.exchange(), bind.routingKey(), bind.arguments()), bind,
                    bind.nowait() ? null : new QueueBindOk());
        } else if (method instanceof QueueUnbind unbind) {
            reply(session().unbindQueue(unbind.queue(), unbind.exchange(), unbind.routingKey(), unbind.arguments()),
                    unbind, new QueueUnbindOk());
        } else if (method instanceof QueuePurge purge) {
            channel.await(session().purgeQueue(purge.queue()), purge, count -> {
                if (!purge.nowait()) {
                    channel.reply(new QueuePurgeOk(count));
                }
            });
        } else if (method instanceof QueueDelete delete) {
            channel.await(session().deleteQueue(delete.queue(), delete.ifUnused(), delete.ifEmpty()), delete, count -> {
                if (!delete.nowait()) {
                    channel.reply(new QueueDeleteOk(count));
                }
            });
        } else if (method instanceof ExchangeDeclare declare) {
            ExchangeDeclaration declaration = new ExchangeDeclaration(declare.exchange(), declare.type(),
                    declare.passive(), declare.durable(), declare.autoDelete(), declare.internal(),
                    declare.arguments());
            reply(session().declareExchange(declaration), declare, declare.nowait() ? null : new ExchangeDeclareOk());
        } else if (method instanceof ExchangeDelete delete) {
            reply(session().deleteExchange(delete.exchange(), delete.ifUnused()), delete,
                    delete.nowait() ? null : new ExchangeDeleteOk());
        } else if (method instanceof ExchangeBind bind) {
            reply(session().bindExchange(bind.destination(), bind.source(), bind.routingKey(), bind.arguments()), bind,
                    bind.nowait() ? null : new ExchangeBindOk());
        } else if (method instanceof ExchangeUnbind unbind) {
            reply(session().unbindExchange(unbind.destination(), unbind.source(), unbind.routingKey(),
                    unbind.arguments()), unbind, unbind.nowait() ? null : new ExchangeUnbindOk());
        } else if (method instanceof BasicRecoverAsync recover) {
            refuseRecoverWithoutRequeue(recover.requeue(), recover);
            reply(session().recover(true), recover, null);
        } else if (method instanceof BasicRecover recover) {
            refuseRecoverWithoutRequeue(recover.requeue(), recover);
            reply(session().recover(true), recover, new BasicRecoverOk());
        } else if (method instanceof AccessRequest) {
            // access tickets are gone from 0-9-1; old clients still ask, and get the dummy ticket 1
            channel.reply(new AccessRequestOk(1));
        } else {
            throw AmqpError.of(ReplyCode.COMMAND_INVALID, "method '" + method.name() + "' is not valid on channel "
                    + channel.number + " (a client may not send it, or it belongs on channel 0)", method);
        }
    }

    private void qos(BasicQos qos) {
        if (qos.prefetchSize() != 0) {
            throw AmqpError.of(ReplyCode.NOT_IMPLEMENTED, "prefetch_size!=0 (" + Integer.toUnsignedString(
                    qos.prefetchSize()) + ")", qos);
        }
        reply(session().qos(qos.prefetchCount(), qos.global()), qos, new BasicQosOk());
    }

    private void queueDeclare(QueueDeclare declare) {
        QueueDeclaration declaration = new QueueDeclaration(declare.queue(), declare.passive(), declare.durable(),
                declare.exclusive(), declare.autoDelete(), declare.arguments());
        channel.await(session().declareQueue(declaration), declare, result -> {
            if (!declare.nowait()) {
                channel.reply(new QueueDeclareOk(result.queue(), result.messageCount(), result.consumerCount()));
            }
        });
    }

    /** Waits for the stage, then sends {@code ok} unless it is null (nowait, or no reply exists). */
    private void reply(CompletionStage<?> stage, AmqpMethod cause, AmqpMethod ok) {
        channel.await(stage, cause, done -> {
            if (ok != null) {
                channel.reply(ok);
            }
        });
    }

    private Session session() {
        return channel.session();
    }

    /**
     * Redelivering to the same consumer without requeueing (requeue=false) is not implemented, as
     * in RabbitMQ, which closes the connection with 540 rather than silently requeueing.
     */
    private static void refuseRecoverWithoutRequeue(boolean requeue, AmqpMethod method) {
        if (!requeue) {
            throw AmqpError.of(ReplyCode.NOT_IMPLEMENTED, "requeue=false", method);
        }
    }
}
