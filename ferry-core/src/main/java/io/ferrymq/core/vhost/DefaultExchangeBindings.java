package io.ferrymq.core.vhost;

import io.ferrymq.core.Message;
import io.ferrymq.core.exchange.Binding;
import io.ferrymq.core.exchange.Bindings;
import io.ferrymq.core.exchange.Destination;
import io.ferrymq.core.queue.Queue;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The default exchange's implicit bindings: every queue, by its name. Reads the virtual host's
 * queue map (thread-safe); refuses explicit bindings (the virtual host answers those with
 * ACCESS_REFUSED before they get here).
 */
final class DefaultExchangeBindings implements Bindings {
    private final Map<String, Queue> queues;

    DefaultExchangeBindings(Map<String, Queue> queues) {
        this.queues = queues;
    }

    @Override
    public boolean add(Binding binding) {
        throw new UnsupportedOperationException("the default exchange takes no bindings");
    }

    @Override
    public boolean remove(Binding binding) {
        return false;
    }

    @Override
    public void match(Message message, List<Destination> out) {
        Queue queue = queues.get(message.routingKey());
        if (queue != null) {
            out.add(new Destination.ToQueue(queue));
        }
    }

    /** Never empty in the sense that matters: it is never auto-deleted. */
    @Override
    public boolean isEmpty() {
        return false;
    }

    @Override
    public Collection<Binding> all() {
        return List.of();
    }
}
