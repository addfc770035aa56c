package io.ferrymq.core.queue;

import io.ferrymq.common.Clock;
import io.ferrymq.core.alarm.MemoryMonitor;
import io.ferrymq.core.persist.Persistence;
import io.ferrymq.core.stats.BrokerStats;

/**
 * The broker services a queue needs: time, memory accounting, counters, and the store.
 *
 * @param residentBytes how many body bytes a queue keeps in memory before it pages stored (persistent) ones out to
 *                      the store, reading them back when they are delivered
 */
public record QueueContext(Clock clock, MemoryMonitor memory, BrokerStats stats, Persistence persistence,
                           long residentBytes) {

    /** 8 MiB: enough for a consumer that keeps up to never wait for the disk. */
    public static final long DEFAULT_RESIDENT_BYTES = 8L * 1024 * 1024;

    public QueueContext(Clock clock, MemoryMonitor memory, BrokerStats stats) {
        this(clock, memory, stats, Persistence.NONE, DEFAULT_RESIDENT_BYTES);
    }
}
