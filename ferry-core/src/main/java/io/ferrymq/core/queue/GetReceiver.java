package io.ferrymq.core.queue;

import io.ferrymq.core.Delivery;
import io.ferrymq.core.Message;

/**
 * Takes the message of a basic.get, called by the queue under its lock: the session numbers the
 * delivery and records it as unacknowledged unless {@code settled}.
 */
@FunctionalInterface
public interface GetReceiver {

    Delivery received(Queue queue, long deliveryId, Message message, int deliveryCount, boolean settled);
}
