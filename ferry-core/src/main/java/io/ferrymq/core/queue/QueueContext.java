package io.ferrymq.core.queue;

import io.ferrymq.common.Clock;
import io.ferrymq.core.alarm.MemoryMonitor;
import io.ferrymq.core.persist.Persistence;
import io.ferrymq.core.stats.BrokerStats;

/** The broker services a queue needs: time, memory accounting, counters, and the store. */
public record QueueContext(Clock clock, MemoryMonitor memory, BrokerStats stats, Persistence persistence) {

    public QueueContext(Clock clock, MemoryMonitor memory, BrokerStats stats) {
        this(clock, memory, stats, Persistence.NONE);
    }
}
