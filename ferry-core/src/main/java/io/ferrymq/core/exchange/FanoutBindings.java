package io.ferrymq.core.exchange;

import io.ferrymq.core.Message;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** fanout: every binding matches, whatever the routing key. */
final class FanoutBindings implements Bindings {
    private final Set<Binding> bindings = new LinkedHashSet<>();

    @Override
    public boolean add(Binding binding) {
        return bindings.add(binding);
    }

    @Override
    public boolean remove(Binding binding) {
        return bindings.remove(binding);
    }

    @Override
    public void match(Message message, List<Destination> out) {
        for (Binding binding : bindings) {
            out.add(binding.destination());
        }
    }

    @Override
    public boolean isEmpty() {
        return bindings.isEmpty();
    }

    @Override
    public Collection<Binding> all() {
        return List.copyOf(bindings);
    }
}
