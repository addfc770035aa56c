package io.ferrymq.amqp.codec;

import io.ferrymq.amqp.codec.method.AmqpMethod;
import io.netty.buffer.ByteBuf;

/** Encodes a method's class id, method id and arguments: the payload of a method frame. */
public final class MethodEncoder {
    private MethodEncoder() {
    }

    /**
     * Writes the payload of {@code method}'s frame.
     *
     * @throws IllegalArgumentException if an argument cannot be encoded (a shortstr over 255 octets, a table value
     *     with no AMQP type); {@code out} may then hold part of the payload, which {@link FrameEncoder} undoes
     */
    public static void write(ByteBuf out, AmqpMethod method) {
        out.writeShort(method.classId());
        out.writeShort(method.methodId());
        switch (method.classId()) {
            case ConnectionMethodCodec.CLASS_ID -> ConnectionMethodCodec.write(out, method);
            case ChannelMethodCodec.CLASS_ID -> ChannelMethodCodec.write(out, method);
            case AccessMethodCodec.CLASS_ID -> AccessMethodCodec.write(out, method);
            case ExchangeMethodCodec.CLASS_ID -> ExchangeMethodCodec.write(out, method);
            case QueueMethodCodec.CLASS_ID -> QueueMethodCodec.write(out, method);
            case BasicMethodCodec.CLASS_ID -> BasicMethodCodec.write(out, method);
            case TxMethodCodec.CLASS_ID -> TxMethodCodec.write(out, method);
            case ConfirmMethodCodec.CLASS_ID -> ConfirmMethodCodec.write(out, method);
            default -> throw new IllegalArgumentException("unknown method class " + method.classId());
        }
    }
}
