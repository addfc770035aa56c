package io.ferrymq.core.exchange;

import io.ferrymq.core.Message;

import java.util.Collection;
import java.util.List;

/**
 * The bindings of one source exchange and how its type matches them against a message. Guarded
 * by the topology lock of the exchange's virtual host: writes under its write lock, matching
 * under its read lock.
 */
public interface Bindings {

    /** Adds a binding; false when the same binding exists already. */
    boolean add(Binding binding);

    /** Removes a binding; false when there was none. */
    boolean remove(Binding binding);

    /** Appends the destination of every binding that matches the message (duplicates allowed). */
    void match(Message message, List<Destination> out);

    boolean isEmpty();

    /** Every binding, for removal and for views. */
    Collection<Binding> all();
}
