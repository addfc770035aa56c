package io.ferrymq.amqp.codec;

import io.ferrymq.amqp.codec.method.AmqpMethod;
import io.netty.buffer.ByteBuf;

/** Decodes a method frame's payload into its {@link AmqpMethod} record. Pure: needs no Netty pipeline. */
public final class MethodDecoder {
    private MethodDecoder() {
    }

    /**
     * Decodes class id, method id and arguments, consuming the whole payload.
     *
     * @throws FrameDecodingException 501 if the payload is shorter or longer than the method's arguments, 502 if
     *     an argument cannot be decoded, 540 for an unknown class or method id
     */
    public static AmqpMethod decode(ByteBuf payload) {
        if (payload.readableBytes() < 4) {
            throw FrameDecodingException.frameError("method frame payload of " + payload.readableBytes()
                    + " octets is too short to hold a class and method id");
        }
        int classId = payload.readUnsignedShort();
        int methodId = payload.readUnsignedShort();
        AmqpMethod method;
        try {
            method = readArguments(classId, methodId, payload);
        } catch (IndexOutOfBoundsException e) {
            // Fixed-size arguments are read with ByteBuf's bounds checks; variable-size ones check their lengths.
            throw FrameDecodingException.frameError("method frame ends before all arguments are read")
                    .inMethod(classId, methodId);
        } catch (FrameDecodingException e) {
            throw e.inMethod(classId, methodId);
        }
        if (payload.isReadable()) {
            throw FrameDecodingException.frameError("method frame has " + payload.readableBytes()
                    + " octets after its arguments").inMethod(classId, methodId);
        }
        return method;
    }

    /** The dotted name of a method, e.g. "basic.publish", or "class/method" if the ids are unknown. */
    public static String methodName(int classId, int methodId) {
        String name = switch (classId) {
            case ConnectionMethodCodec.CLASS_ID -> ConnectionMethodCodec.name(methodId);
            case ChannelMethodCodec.CLASS_ID -> ChannelMethodCodec.name(methodId);
            case AccessMethodCodec.CLASS_ID -> AccessMethodCodec.name(methodId);
            case ExchangeMethodCodec.CLASS_ID -> ExchangeMethodCodec.name(methodId);
            case QueueMethodCodec.CLASS_ID -> QueueMethodCodec.name(methodId);
            case BasicMethodCodec.CLASS_ID -> BasicMethodCodec.name(methodId);
            case TxMethodCodec.CLASS_ID -> TxMethodCodec.name(methodId);
            case ConfirmMethodCodec.CLASS_ID -> ConfirmMethodCodec.name(methodId);
            default -> null;
        };
        return name != null ? name : classId + "/" + methodId;
    }

    private static AmqpMethod readArguments(int classId, int methodId, ByteBuf in) {
        return switch (classId) {
            case ConnectionMethodCodec.CLASS_ID -> ConnectionMethodCodec.read(methodId, in);
            case ChannelMethodCodec.CLASS_ID -> ChannelMethodCodec.read(methodId, in);
            case AccessMethodCodec.CLASS_ID -> AccessMethodCodec.read(methodId, in);
            case ExchangeMethodCodec.CLASS_ID -> ExchangeMethodCodec.read(methodId, in);
            case QueueMethodCodec.CLASS_ID -> QueueMethodCodec.read(methodId, in);
            case BasicMethodCodec.CLASS_ID -> BasicMethodCodec.read(methodId, in);
            case TxMethodCodec.CLASS_ID -> TxMethodCodec.read(methodId, in);
            case ConfirmMethodCodec.CLASS_ID -> ConfirmMethodCodec.read(methodId, in);
            default -> throw FrameDecodingException.unknownMethod(classId, methodId);
        };
    }
}
