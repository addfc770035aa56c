package io.ferrymq.amqp;

import io.ferrymq.amqp.codec.FrameDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Owned by the connection's event loop; first in the pipeline. Reads the 8-octet protocol
 * header. {@code AMQP 0 0 9 1} (and {@code AMQP 1 1 0 9}, the AMQP 0-9 header, which RabbitMQ also
 * serves as 0-9-1) lets the connection start and puts the frame decoder in this handler's place;
 * the bytes that came after the header go on to it. Anything else is refused as RabbitMQ does:
 * our own header, then close.
 */
final class ProtocolHeaderHandler extends ByteToMessageDecoder {
    static final String NAME = "protocol-header";
    static final String FRAME_DECODER = "frame-decoder";
    private static final int LENGTH = 8;

    private final AmqpConnection connection;
    private final int frameMax;

    ProtocolHeaderHandler(AmqpConnection connection, int frameMax) {
        this.connection = connection;
        this.frameMax = frameMax;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < LENGTH) {
            return;
        }
        int start = in.readerIndex();
        boolean accepted = in.getByte(start) == 'A' && in.getByte(start + 1) == 'M' && in.getByte(start + 2) == 'Q'
                && in.getByte(start + 3) == 'P' && isSupportedVersion(in.getInt(start + 4));
        in.skipBytes(LENGTH);
        if (!accepted) {
            in.skipBytes(in.readableBytes());
            connection.refuseProtocol();
            return;
        }
        // connection.start goes out before any frame that followed the header is decoded
        connection.protocolHeaderAccepted();
        ctx.pipeline().replace(this, FRAME_DECODER, new FrameDecoder(frameMax));
    }

    private static boolean isSupportedVersion(int version) {
        return version == 0x00000901 || version == 0x01010009;
    }
}
