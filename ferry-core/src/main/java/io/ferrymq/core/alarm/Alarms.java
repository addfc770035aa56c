package io.ferrymq.core.alarm;

import io.ferrymq.core.AlarmListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The resource alarms in effect (memory, disk) and the listeners that block publishers while any is on. Each
 * monitor raises and clears its own resource; listeners see the combined state. Thread-safe: transitions and
 * listener calls are serialised on this object, so every listener sees them in one order.
 */
public final class Alarms {
    private static final Logger LOG = LoggerFactory.getLogger(Alarms.class);

    /** What can run out. */
    public enum Resource { MEMORY, DISK }

    /** Reason per resource whose alarm is on; guarded by {@code this}. */
    private final Map<Resource, String> active = new EnumMap<>(Resource.class);
    private final List<AlarmListener> listeners = new CopyOnWriteArrayList<>();

    /** Turns on the alarm of {@code resource}; listeners hear of it unless it was on already. */
    public synchronized void raise(Resource resource, String reason) {
        if (active.putIfAbsent(resource, reason) == null) {
            LOG.warn("{} alarm on: {}", resource.name().toLowerCase(Locale.ROOT), reason);
            listeners.forEach(this::tell);
        }
    }

    /** Turns off the alarm of {@code resource}; publishers are unblocked once no alarm is left. */
    public synchronized void clear(Resource resource) {
        if (active.remove(resource) != null) {
            LOG.info("{} alarm off", resource.name().toLowerCase(Locale.ROOT));
            listeners.forEach(this::tell);
        }
    }

    public synchronized boolean isOn(Resource resource) {
        return active.containsKey(resource);
    }

    /** Registers a listener; it is told at once when an alarm is on. */
    public synchronized void addListener(AlarmListener listener) {
        listeners.add(listener);
        if (!active.isEmpty()) {
            tell(listener);
        }
    }

    public void removeListener(AlarmListener listener) {
        listeners.remove(listener);
    }

    /** Tells {@code listener} the current state: blocked with every alarm's reason, or unblocked. */
    private void tell(AlarmListener listener) {
        try {
            if (active.isEmpty()) {
                listener.unblocked();
            } else {
                listener.blocked(String.join("; ", active.values()));
            }
        } catch (RuntimeException e) {
            LOG.error("alarm listener {} failed", listener, e);
        }
    }
}
