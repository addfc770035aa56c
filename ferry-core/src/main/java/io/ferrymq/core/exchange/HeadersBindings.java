package io.ferrymq.core.exchange;

import io.ferrymq.core.Message;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** headers: each binding's {@link HeadersMatch} is tested against the message headers; the key is ignored. */
final class HeadersBindings implements Bindings {
    private final Map<Binding, HeadersMatch> bindings = new LinkedHashMap<>();

    @Override
    public boolean add(Binding binding) {
        if (bindings.containsKey(binding)) {
            return false;
        }
        bindings.put(binding, HeadersMatch.parse(binding.arguments(), binding.toString()));
        return true;
    }

    @Override
    public boolean remove(Binding binding) {
        return bindings.remove(binding) != null;
    }

    @Override
    public void match(Message message, List<Destination> out) {
        Map<String, Object> headers = message.properties() == null ? null : message.properties().headers();
        for (Map.Entry<Binding, HeadersMatch> entry : bindings.entrySet()) {
            if (entry.getValue().matches(headers)) {
                out.add(entry.getKey().destination());
            }
        }
    }

    @Override
    public boolean isEmpty() {
        return bindings.isEmpty();
    }

    @Override
    public Collection<Binding> all() {
        return List.copyOf(bindings.keySet());
    }
}
