package io.ferrymq.amqp.codec;

import static io.ferrymq.amqp.codec.FrameFormat.BODY;
import static io.ferrymq.amqp.codec.FrameFormat.FRAME_END;
import static io.ferrymq.amqp.codec.FrameFormat.FRAME_OVERHEAD;
import static io.ferrymq.amqp.codec.FrameFormat.HEADER;
import static io.ferrymq.amqp.codec.FrameFormat.HEARTBEAT;
import static io.ferrymq.amqp.codec.FrameFormat.METHOD;

import io.ferrymq.amqp.codec.method.AmqpMethod;
import io.ferrymq.common.message.MessageProperties;
import io.netty.buffer.ByteBuf;

/**
 * Writes whole frames into a caller's buffer. Sizes are not computed ahead: each frame's size field is written
 * as a placeholder and patched once its payload is in place. If encoding fails (an argument that cannot be
 * encoded) the buffer's writer index is put back where it was, so no partial frame is ever left behind.
 */
public final class FrameEncoder {
    /** The 8 octets a client sends before any frame, and the server sends back to refuse a connection. */
    public static final byte[] PROTOCOL_HEADER = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};

    private FrameEncoder() {
    }

    /**
     * Writes a method frame. A content-bearing method must be followed by its header and body frames;
     * {@link #writeContent} writes all of them.
     */
    public static void writeMethod(ByteBuf out, int channel, AmqpMethod method) {
        int start = out.writerIndex();
        try {
            int sizeIndex = beginFrame(out, METHOD, channel);
            MethodEncoder.write(out, method);
            endFrame(out, sizeIndex);
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw e;
        }
    }

    /** Writes a content header frame for {@code bodySize} octets of content of class {@code classId}. */
    public static void writeHeader(ByteBuf out, int channel, int classId, long bodySize, MessageProperties properties) {
        int start = out.writerIndex();
        try {
            int sizeIndex = beginFrame(out, HEADER, channel);
            ContentHeaderEncoder.write(out, classId, bodySize, properties);
            endFrame(out, sizeIndex);
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw e;
        }
    }

    /**
     * Writes a content-bearing method, its content header and the body split into body frames of at most
     * {@code frameMax - 8} octets (none for an empty body).
     *
     * @param frameMax the negotiated frame-max, including the 8 framing octets; 0 means no limit
     */
    public static void writeContent(ByteBuf out, int channel, AmqpMethod method, MessageProperties properties,
            byte[] body, int frameMax) {
        int start = out.writerIndex();
        try {
            int chunk = beginContent(out, channel, method, properties, body.length, frameMax);
            for (int offset = 0; offset < body.length; offset += chunk) {
                int length = Math.min(chunk, body.length - offset);
                out.writeByte(BODY).writeShort(channel).writeInt(length);
                out.writeBytes(body, offset, length).writeByte(FRAME_END);
            }
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw e;
        }
    }

    /**
     * As {@link #writeContent(ByteBuf, int, AmqpMethod, MessageProperties, byte[], int)}, with the body being
     * {@code body}'s readable bytes. The body is copied, not consumed: its reader index and reference count are
     * left alone.
     */
    public static void writeContent(ByteBuf out, int channel, AmqpMethod method, MessageProperties properties,
            ByteBuf body, int frameMax) {
        int start = out.writerIndex();
        try {
            int bodySize = body.readableBytes();
            int chunk = beginContent(out, channel, method, properties, bodySize, frameMax);
            for (int offset = 0; offset < bodySize; offset += chunk) {
                int length = Math.min(chunk, bodySize - offset);
                out.writeByte(BODY).writeShort(channel).writeInt(length);
                out.writeBytes(body, body.readerIndex() + offset, length).writeByte(FRAME_END);
            }
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw e;
        }
    }

    /** Writes a heartbeat frame: type 8, channel 0, no payload. */
    public static void writeHeartbeat(ByteBuf out) {
        out.writeByte(HEARTBEAT).writeShort(0).writeInt(0).writeByte(FRAME_END);
    }

    /** Writes the method and header frames and returns the largest body-frame payload. */
    private static int beginContent(ByteBuf out, int channel, AmqpMethod method, MessageProperties properties,
            int bodySize, int frameMax) {
        if (!method.hasContent()) {
            throw new IllegalArgumentException(method.name() + " carries no content; use writeMethod");
        }
        if (frameMax != 0 && frameMax <= FRAME_OVERHEAD) {
            throw new IllegalArgumentException("frame-max " + frameMax + " leaves no room for a body frame payload");
        }
        int chunk = frameMax == 0 ? Integer.MAX_VALUE : frameMax - FRAME_OVERHEAD;
        writeMethod(out, channel, method);
        writeHeader(out, channel, method.classId(), bodySize, properties);
        int bodyFrames = bodySize == 0 ? 0 : (bodySize - 1) / chunk + 1;
        out.ensureWritable(bodySize + bodyFrames * FRAME_OVERHEAD);
        return chunk;
    }

    private static int beginFrame(ByteBuf out, int type, int channel) {
        out.writeByte(type).writeShort(channel);
        int sizeIndex = out.writerIndex();
        out.writeInt(0);
        return sizeIndex;
    }

    private static void endFrame(ByteBuf out, int sizeIndex) {
        out.setInt(sizeIndex, out.writerIndex() - sizeIndex - Integer.BYTES);
        out.writeByte(FRAME_END);
    }
}
