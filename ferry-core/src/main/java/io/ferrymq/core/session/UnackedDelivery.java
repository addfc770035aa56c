package io.ferrymq.core.session;

import io.ferrymq.core.queue.Queue;

/**
 * A delivery waiting for its settlement: which queue it came from, the queue's id for it, and the
 * consumer whose prefetch it occupies (null for basic.get, which takes no prefetch).
 */
record UnackedDelivery(long tag, Queue queue, long deliveryId, SessionConsumer consumer) {
}
