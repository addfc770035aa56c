package io.ferrymq.core.alarm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Thread-safe (readings are serialised on this object; {@link #start} runs them on its own daemon thread). Raises
 * the disk alarm while the free space of the data directory's disk is below the limit ({@code
 * disk_free_limit.absolute}), as RabbitMQ does, so that publishers are blocked before the store's writes fail.
 * The node checks once before it takes clients, then periodically.
 */
public final class DiskMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiskMonitor.class);

    private final FreeSpace freeSpace;
    private final Alarms alarms;
    private volatile long limit;
    private volatile long lastFree = -1;
    /** Guarded by {@code this}. */
    private boolean readFailed;
    private ScheduledExecutorService timer;

    public DiskMonitor(FreeSpace freeSpace, long limitBytes, Alarms alarms) {
        this.freeSpace = freeSpace;
        this.limit = limitBytes;
        this.alarms = alarms;
    }

    /** Reads the free space once and raises or clears the alarm. A failed reading leaves the alarm as it was. */
    public synchronized void check() {
        long free;
        try {
            free = freeSpace.usableBytes();
        } catch (Exception unreadable) {
            if (!readFailed) {
                LOG.warn("cannot read the free disk space; the disk alarm stays as it is until a reading works",
                        unreadable);
            }
            readFailed = true;
            return;
        }
        readFailed = false;
        lastFree = free;
        long limitNow = limit;
        if (free < limitNow) {
            alarms.raise(Alarms.Resource.DISK, "low on disk: " + free + " bytes free on the data directory's disk, "
                    + "below disk_free_limit " + limitNow + " bytes: publishers are blocked until space is freed");
        } else {
            alarms.clear(Alarms.Resource.DISK);
        }
    }

    /** Changes the limit (as {@code rabbitmqctl set_disk_free_limit} does) and checks against it at once. */
    public void setLimit(long limitBytes) {
        limit = limitBytes;
        check();
    }

    public long limitBytes() {
        return limit;
    }

    /** The last reading, or -1 before the first one worked. */
    public long freeBytes() {
        return lastFree;
    }

    /** Checks every {@code interval} from now on, on a daemon thread, until {@link #close()}. */
    public synchronized void start(Duration interval) {
        if (timer != null) {
            throw new IllegalStateException("the disk monitor is already running");
        }
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "ferry-disk-monitor");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
