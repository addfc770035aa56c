package io.ferrymq.amqp.codec;

import io.ferrymq.amqp.codec.method.AmqpMethod;

/** A method frame (type 1): one command with its arguments. */
public record MethodFrame(int channel, AmqpMethod method) implements Frame {
}
