package io.ferrymq.core.exchange;

import io.ferrymq.core.queue.Queue;

/** Where a binding leads: a queue, or another exchange (exchange-to-exchange binding). */
public sealed interface Destination {

    String describe();

    record ToQueue(Queue queue) implements Destination {
        @Override
        public String describe() {
            return queue.settings().describe();
        }
    }

    record ToExchange(Exchange exchange) implements Destination {
        @Override
        public String describe() {
            return exchange.describe();
        }
    }
}
