package io.ferrymq.core.session;

import io.ferrymq.core.queue.Queue;

/**
 * A delivery waiting for its settlement: which queue it came from, the queue's id for it, the
 * consumer whose prefetch it occupies (null for basic.get, which takes no prefetch), and when its
 * acknowledgement times out (ms since the epoch, see {@link AckTimeouts}).
 */
record UnackedDelivery(long tag, Queue queue, long deliveryId, SessionConsumer consumer, long deadline) {
}
