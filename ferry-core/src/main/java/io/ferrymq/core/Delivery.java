package io.ferrymq.core;

/**
 * A message handed to a consumer or to {@code basic.get}.
 *
 * @param consumerTag   the consumer it is for; null for {@code basic.get}
 * @param deliveryTag   the session-wide number to settle it with (1, 2, 3... per session)
 * @param redelivered   true when this message was delivered before (to anyone)
 * @param deliveryCount how many times it was delivered before this delivery (0 the first time)
 */
public record Delivery(String consumerTag, long deliveryTag, boolean redelivered, int deliveryCount, Message message) {
}
