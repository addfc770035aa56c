package io.ferrymq.core.queue;

import io.ferrymq.common.Clock;
import io.ferrymq.core.alarm.MemoryMonitor;
import io.ferrymq.core.persist.Persistence;
import io.ferrymq.core.policy.Policies;
import io.ferrymq.core.stats.BrokerStats;
import io.ferrymq.core.timer.Scheduler;
import io.ferrymq.core.trace.Tracer;

/**
 * The broker services a queue needs: time and timers, memory accounting, counters, the store, and the virtual host
 * it lives in.
 *
 * @param residentBytes how many body bytes a queue keeps in memory before it pages stored (persistent) ones out to
 *                      the store, reading them back when they are delivered
 * @param tracer        message trace: queues record their events there when it is on
 * @param policies      the policies a queue is configured by, besides its arguments
 */
public record QueueContext(Clock clock, MemoryMonitor memory, BrokerStats stats, Persistence persistence,
                           Scheduler scheduler, QueueHost host, long residentBytes, Tracer tracer,
                           Policies policies) {

    /** Without trace (never on) and without policies. */
    public QueueContext(Clock clock, MemoryMonitor memory, BrokerStats stats, Persistence persistence,
                        Scheduler scheduler, QueueHost host, long residentBytes) {
        this(clock, memory, stats, persistence, scheduler, host, residentBytes, new Tracer(clock),
                new Policies(Persistence.NONE));
    }

    /** 8 MiB: enough for a consumer that keeps up to never wait for the disk. */
    public static final long DEFAULT_RESIDENT_BYTES = 8L * 1024 * 1024;

    /** The same services for queues of another host. */
    public QueueContext withHost(QueueHost newHost) {
        return new QueueContext(clock, memory, stats, persistence, scheduler, newHost, residentBytes, tracer,
                policies);
    }
}
