package io.ferrymq.core;

/**
 * One {@code basic.publish} with its content. {@code mandatory}: the publisher wants to know when
 * no queue took the message ({@link PublishOutcome#UNROUTED}).
 */
public record PublishRequest(Message message, boolean mandatory) {
}
