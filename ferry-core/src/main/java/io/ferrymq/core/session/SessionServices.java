package io.ferrymq.core.session;

import io.ferrymq.common.Clock;
import io.ferrymq.core.auth.Authorizer;
import io.ferrymq.core.stats.BrokerStats;
import io.ferrymq.core.timer.Scheduler;
import io.ferrymq.core.vhost.Names;

import java.util.function.LongSupplier;

/**
 * What sessions need from the broker.
 *
 * @param consumerIds           hands out broker-unique consumer ids, never 0
 * @param directReplies         the reply consumers of direct reply-to, broker-wide
 * @param consumerTimeoutMillis the broker's consumer ack timeout, for queues without {@code x-consumer-timeout}
 * @param authorizer            what each user may do, checked on every operation
 */
public record SessionServices(BrokerStats stats, Names names, int maxMessageSizeBytes,
                              LongSupplier consumerIds, DirectReplyTo directReplies, Clock clock,
                              Scheduler scheduler, long consumerTimeoutMillis, Authorizer authorizer) {

    /** The same services for sessions whose every operation is allowed. */
    public SessionServices trusted() {
        return new SessionServices(stats, names, maxMessageSizeBytes, consumerIds, directReplies, clock, scheduler,
                consumerTimeoutMillis, Authorizer.TRUSTED);
    }
}
