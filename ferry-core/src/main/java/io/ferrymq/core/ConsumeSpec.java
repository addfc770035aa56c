package io.ferrymq.core;

import java.util.Map;

/**
 * basic.consume. An empty {@code consumerTag} asks the broker to choose one
 * ({@code amq.ctag-...}). {@code noAck}: deliveries are settled as they are sent.
 * {@code arguments} may carry {@code x-priority}.
 */
public record ConsumeSpec(String queue, String consumerTag, boolean noLocal, boolean noAck, boolean exclusive,
                          Map<String, Object> arguments) {
}
