package io.ferrymq.core.alarm;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the body bytes held by all queues and raises the memory alarm above the high watermark.
 * Thread-safe: the count is atomic; crossings are serialised by {@link #transitions}, so the alarm
 * is raised and cleared strictly alternating. Callers must not hold a queue lock when they call
 * {@link #add} (alarm listeners are called from inside it).
 */
public final class MemoryMonitor {
    private final long highWatermark;
    private final Alarms alarms;
    private final AtomicLong used = new AtomicLong();
    private final Object transitions = new Object();
    /** Written under {@link #transitions}; read without it to keep {@link #add} lock-free when nothing changes. */
    private volatile boolean blocked;

    public MemoryMonitor(long highWatermarkBytes, Alarms alarms) {
        this.highWatermark = highWatermarkBytes;
        this.alarms = alarms;
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
            if (over) {
                alarms.raise(Alarms.Resource.MEMORY, reason(now));
            } else {
                alarms.clear(Alarms.Resource.MEMORY);
            }
        }
    }

    private String reason(long now) {
        return "memory high watermark reached (" + now + " bytes of messages held, limit " + highWatermark
                + "): publishers are blocked until consumers drain queues";
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
