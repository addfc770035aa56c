package io.ferrymq.core.alarm;

import io.ferrymq.core.AlarmListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the body bytes held by all queues and raises the memory alarm above the high watermark.
 * Thread-safe: the count is atomic; alarm transitions and listener calls are serialised by
 * {@link #transitions}, so listeners see blocked and unblocked strictly alternating. Callers must
 * not hold a queue lock when they call {@link #add} (listeners are called from inside it).
 */
public final class MemoryMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryMonitor.class);

    private final long highWatermark;
    private final AtomicLong used = new AtomicLong();
    private final List<AlarmListener> listeners = new CopyOnWriteArrayList<>();
    private final Object transitions = new Object();
    /** Written under {@link #transitions}; read without it to keep {@link #add} lock-free when nothing changes. */
    private volatile boolean blocked;

    public MemoryMonitor(long highWatermarkBytes) {
        this.highWatermark = highWatermarkBytes;
    }

    /** Adds (or with a negative delta, removes) held bytes, and starts or stops the alarm on a crossing. */
    public void add(long delta) {
        if (delta == 0) {
            return;
        }
        long now = used.addAndGet(delta);
        if ((now > highWatermark) != blocked) {
            settle();
        }
    }

    private void settle() {
        synchronized (transitions) {
            long now = used.get();
            boolean over = now > highWatermark;
            if (over == blocked) {
                return;
            }
            blocked = over;
            for (AlarmListener listener : listeners) {
                tell(listener, over, now);
            }
        }
    }

    private void tell(AlarmListener listener, boolean on, long now) {
        try {
            if (on) {
                listener.blocked(reason(now));
            } else {
                listener.unblocked();
            }
        } catch (RuntimeException e) {
            LOG.error("alarm listener {} failed", listener, e);
        }
    }

    private String reason(long now) {
        return "memory high watermark reached (" + now + " bytes of messages held, limit " + highWatermark
                + "): publishers are blocked until consumers drain queues";
    }

    /** Registers a listener; it is told at once when the alarm is on. */
    public void addListener(AlarmListener listener) {
        synchronized (transitions) {
            listeners.add(listener);
            if (blocked) {
                tell(listener, true, used.get());
            }
        }
    }

    public void removeListener(AlarmListener listener) {
        listeners.remove(listener);
    }

    /** The high watermark: above it, publishers are blocked. */
    public long limitBytes() {
        return highWatermark;
    }

    public long usedBytes() {
        return used.get();
    }

    public boolean alarmOn() {
        return blocked;
    }
}
