package io.ferrymq.core.exchange;

import io.ferrymq.core.Message;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** direct: a binding matches when its key equals the routing key. One hash look-up per message. */
final class DirectBindings implements Bindings {
    private final Map<String, Set<Binding>> byKey = new HashMap<>();

    @Override
    public boolean add(Binding binding) {
        return byKey.computeIfAbsent(binding.routingKey(), k -> new LinkedHashSet<>()).add(binding);
    }

    @Override
    public boolean remove(Binding binding) {
        Set<Binding> bindings = byKey.get(binding.routingKey());
        if (bindings == null || !bindings.remove(binding)) {
            return false;
        }
        if (bindings.isEmpty()) {
            byKey.remove(binding.routingKey());
        }
        return true;
    }

    @Override
    public void match(Message message, List<Destination> out) {
        Set<Binding> bindings = byKey.get(message.routingKey());
        if (bindings != null) {
            for (Binding binding : bindings) {
                out.add(binding.destination());
            }
        }
    }

    @Override
    public boolean isEmpty() {
        return byKey.isEmpty();
    }

    @Override
    public Collection<Binding> all() {
        List<Binding> all = new ArrayList<>();
        byKey.values().forEach(all::addAll);
        return all;
    }
}
