package io.ferrymq.core.queue;

import io.ferrymq.common.Clock;
import io.ferrymq.core.alarm.MemoryMonitor;
import io.ferrymq.core.persist.Persistence;
import io.ferrymq.core.stats.BrokerStats;
import io.ferrymq.core.timer.Scheduler;

/**
 * The broker services a queue needs: time and timers, memory accounting, counters, the store, and the virtual host
 * it lives in.
 */
public record QueueContext(Clock clock, MemoryMonitor memory, BrokerStats stats, Persistence persistence,
                           Scheduler scheduler, QueueHost host) {

    /** The same services for queues of another host. */
    public QueueContext withHost(QueueHost newHost) {
        return new QueueContext(clock, memory, stats, persistence, scheduler, newHost);
    }
}
