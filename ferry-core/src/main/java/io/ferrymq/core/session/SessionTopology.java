package io.ferrymq.core.session;

import io.ferrymq.core.BrokerException;
import io.ferrymq.core.Condition;
import io.ferrymq.core.ExchangeDeclaration;
import io.ferrymq.core.QueueDeclaration;
import io.ferrymq.core.QueueDeclareResult;
import io.ferrymq.core.auth.Access;
import io.ferrymq.core.exchange.Destination;
import io.ferrymq.core.queue.Queue;
import io.ferrymq.core.vhost.VirtualHost;

import java.util.Map;

/**
 * A session's exchange and queue declarations, bindings, purges and deletions, with the permissions each needs,
 * and AMQP's "last declared queue" that an empty queue name stands for. Session thread only.
 */
final class SessionTopology {
    private final LocalConnection connection;
    private final VirtualHost vhost;
    private final SessionPermissions permissions;
    private final SessionReplies replies;
    private String lastDeclaredQueue;

    SessionTopology(LocalConnection connection, VirtualHost vhost, SessionPermissions permissions,
                    SessionReplies replies) {
        this.connection = connection;
        this.vhost = vhost;
        this.permissions = permissions;
        this.replies = replies;
    }

    void declareExchange(ExchangeDeclaration declaration) {
        if (!declaration.passive()) {
            permissions.permit(permissions.exchange(declaration.name()), Access.CONFIGURE);
            Object alternate = argument(declaration.arguments(), "alternate-exchange");
            if (alternate != null) {
                // messages will flow from this exchange into the alternate one
                permissions.permit(permissions.exchange(declaration.name()), Access.READ);
                permissions.permit(permissions.exchange(alternate.toString()), Access.WRITE);
            }
        }
        vhost.declareExchange(declaration);
    }

    void deleteExchange(String exchange, boolean ifUnused) {
        permissions.permit(permissions.exchange(exchange), Access.CONFIGURE);
        vhost.deleteExchange(exchange, ifUnused);
    }

    void bindExchange(String destination, String source, String routingKey, Map<String, Object> arguments) {
        permissions.permitBinding(permissions.exchange(destination), source);
        vhost.bind(new Destination.ToExchange(vhost.bindable(destination)), source, routingKey, arguments);
    }

    void unbindExchange(String destination, String source, String routingKey, Map<String, Object> arguments) {
        permissions.permitBinding(permissions.exchange(destination), source);
        vhost.unbind(new Destination.ToExchange(vhost.bindable(destination)), source, routingKey, arguments);
    }

    QueueDeclareResult declareQueue(QueueDeclaration declaration) {
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
            permissions.permit(permissions.queue(effective.name()), Access.CONFIGURE);
            Object deadLetterExchange = argument(effective.arguments(), "x-dead-letter-exchange");
            if (deadLetterExchange != null) {
                // messages will flow from this queue into the dead-letter exchange
                permissions.permit(permissions.queue(effective.name()), Access.READ);
                permissions.permit(permissions.exchange(deadLetterExchange.toString()), Access.WRITE);
            }
        }
        Queue queue = vhost.declareQueue(effective, connection.id(), serverNamed);
        if (queue.settings().exclusive()) {
            connection.ownExclusive(queue);
        }
        lastDeclaredQueue = queue.name();
        return new QueueDeclareResult(queue.name(), queue.readyCount(), queue.consumerCount());
    }

    void bindQueue(String queue, String exchange, String routingKey, Map<String, Object> arguments) {
        Queue target = useQueue(queue);
        permissions.permitBinding(permissions.queue(target.name()), exchange);
        vhost.bind(new Destination.ToQueue(target), exchange, bindingKey(queue, routingKey, target), arguments);
    }

    void unbindQueue(String queue, String exchange, String routingKey, Map<String, Object> arguments) {
        Queue target = useQueue(queue);
        permissions.permitBinding(permissions.queue(target.name()), exchange);
        vhost.unbind(new Destination.ToQueue(target), exchange, bindingKey(queue, routingKey, target), arguments);
    }

    /** AMQP: with the queue name empty (the last declared queue), an empty key means that queue's name. */
    private static String bindingKey(String queueName, String routingKey, Queue queue) {
        return queueName.isEmpty() && routingKey.isEmpty() ? queue.name() : routingKey;
    }

    int purgeQueue(String queue) {
        Queue target = useQueue(queue);
        permissions.permit(permissions.queue(target.name()), Access.READ);
        long before = replies.deletesRequested();
        int count = target.purge();
        replies.noteDeletes(before);
        return count;
    }

    int deleteQueue(String queue, boolean ifUnused, boolean ifEmpty) {
        String name = queue.isEmpty() ? lastDeclaredQueue() : queue;
        permissions.permit(permissions.queue(name), Access.CONFIGURE);
        Queue target = vhost.existingQueue(name);
        if (target == null) {
            return 0;
        }
        vhost.checkExclusiveAccess(target, connection.id());
        long before = replies.deletesRequested();
        int count = vhost.deleteQueue(target, ifUnused, ifEmpty);
        connection.forgetExclusive(target);
        replies.noteDeletes(before);
        return count;
    }

    /** An auto-delete queue lost its last consumer: deleted, unless a new consumer came meanwhile. */
    void autoDelete(Queue queue) {
        try {
            vhost.deleteQueue(queue, true, false);
            connection.forgetExclusive(queue);
        } catch (BrokerException inUseAgain) {
            // a consumer arrived since the last one left: the queue stays
        }
    }

    /** The queue named (the last declared one for ""), usable by this connection. */
    Queue useQueue(String name) {
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

    private static Object argument(Map<String, Object> arguments, String name) {
        return arguments == null ? null : arguments.get(name);
    }
}
