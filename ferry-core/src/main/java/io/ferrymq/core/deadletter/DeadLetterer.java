package io.ferrymq.core.deadletter;

import io.ferrymq.common.Clock;
import io.ferrymq.core.Message;
import io.ferrymq.core.exchange.Exchange;
import io.ferrymq.core.queue.Queue;
import io.ferrymq.core.queue.QueueArguments;
import io.ferrymq.core.queue.QueueSettings;
import io.ferrymq.core.stats.BrokerStats;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Publishes the messages that leave a queue unacknowledged to its dead-letter exchange (guarantee G7), routed like
 * any publish: a persistent message reaching a durable queue is stored there. Thread-safe; called with no queue
 * lock held.
 *
 * <p>What cannot be dead-lettered (the exchange is missing, nothing matched, or every target is a cycle) is
 * dropped and counted, as RabbitMQ drops it.
 */
public final class DeadLetterer {
    private final Function<String, Exchange> exchanges;
    private final BiFunction<Exchange, Message, List<Queue>> router;
    private final Clock clock;
    private final BrokerStats stats;

    /**
     * @param exchanges the exchange of a name in the queue's vhost, or null
     * @param router    the queues a message published to an exchange reaches
     */
    public DeadLetterer(Function<String, Exchange> exchanges, BiFunction<Exchange, Message, List<Queue>> router,
                        Clock clock, BrokerStats stats) {
        this.exchanges = exchanges;
        this.router = router;
        this.clock = clock;
        this.stats = stats;
    }

    public void deadLetter(QueueSettings queue, QueueArguments arguments, Message message, String reason) {
        Exchange exchange = arguments.deadLetterExchange() == null ? null
                : exchanges.apply(arguments.deadLetterExchange());
        if (exchange == null) {
            stats.lost(reason);
            return;
        }
        Message dead = DeathHeaders.died(message, queue.name(), reason, clock.millis(), exchange.name(),
                arguments.deadLetterRoutingKey());
        boolean taken = false;
        for (Queue target : router.apply(exchange, dead)) {
            if (!DeathHeaders.isCycle(dead, reason, target.name())) {
                CompletableFuture<Void> offered = target.offer(dead);
                // a full target refuses at once; a store failure later is logged by the store
                taken |= offered != null && !offered.isCompletedExceptionally();
            }
        }
        if (taken) {
            stats.deadLettered(reason);
        } else {
            stats.lost(reason);
        }
    }
}
