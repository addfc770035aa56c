package io.ferrymq.core.exchange;

import io.ferrymq.core.Message;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** topic: binding keys are patterns of words ({@code *} one word, {@code #} zero or more), kept in a trie. */
final class TopicBindings implements Bindings {
    private final TopicTrie<Binding> trie = new TopicTrie<>();
    private final Set<Binding> all = new LinkedHashSet<>();

    @Override
    public boolean add(Binding binding) {
        if (!all.add(binding)) {
            return false;
        }
        trie.add(binding.routingKey(), binding);
        return true;
    }

    @Override
    public boolean remove(Binding binding) {
        if (!all.remove(binding)) {
            return false;
        }
        trie.remove(binding.routingKey(), binding);
        return true;
    }

    @Override
    public void match(Message message, List<Destination> out) {
        trie.match(message.routingKey(), binding -> out.add(binding.destination()));
    }

    @Override
    public boolean isEmpty() {
        return all.isEmpty();
    }

    @Override
    public Collection<Binding> all() {
        return List.copyOf(all);
    }
}
