package io.ferrymq.amqp.codec;

import static io.ferrymq.amqp.codec.FrameFormat.BODY;
import static io.ferrymq.amqp.codec.FrameFormat.FRAME_END;
import static io.ferrymq.amqp.codec.FrameFormat.FRAME_HEADER_SIZE;
import static io.ferrymq.amqp.codec.FrameFormat.FRAME_OVERHEAD;
import static io.ferrymq.amqp.codec.FrameFormat.HEADER;
import static io.ferrymq.amqp.codec.FrameFormat.HEARTBEAT;
import static io.ferrymq.amqp.codec.FrameFormat.METHOD;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Splits the byte stream after the protocol header into {@link Frame}s. Runs on its channel's event loop, which
 * must also be the thread calling {@link #setMaxFrameSize}.
 *
 * <p>Method and header frames are decoded into values; a body frame's payload is a retained slice of the
 * received bytes. Malformed input throws {@link FrameDecodingException} (Netty wraps it in a
 * {@link io.netty.handler.codec.DecoderException}); after that the decoder discards everything it receives,
 * since the connection is about to close and nothing after a bad frame can be trusted.
 *
 * <p>Problems visible in a frame's first 7 octets (unknown type, size over frame-max, a heartbeat with a
 * payload or a channel) are reported before waiting for the rest of the frame, so a peer cannot make us buffer
 * a frame we would refuse anyway.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private long maxFrameSize;
    private boolean failed;

    /** @param maxFrameSize the largest frame accepted, framing octets included; 0 means no limit */
    public FrameDecoder(int maxFrameSize) {
        setMaxFrameSize(maxFrameSize);
    }

    /** Applies a newly negotiated frame-max (framing octets included; 0 means no limit) to the next frames. */
    public void setMaxFrameSize(int maxFrameSize) {
        if (maxFrameSize < 0) {
            throw new IllegalArgumentException("frame-max must not be negative: " + maxFrameSize);
        }
        // Without a limit, a frame must still fit the int-indexed buffer holding it.
        this.maxFrameSize = maxFrameSize == 0 ? Integer.MAX_VALUE : maxFrameSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            Frame frame = decodeFrame(in);
            if (frame != null) {
                out.add(frame);
            }
        } catch (FrameDecodingException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    /** Decodes one frame if it has fully arrived, else returns null and leaves {@code in} as it was. */
    private Frame decodeFrame(ByteBuf in) {
        int start = in.readerIndex();
        int type = in.getUnsignedByte(start);
        if (type != METHOD && type != HEADER && type != BODY && type != HEARTBEAT) {
            throw FrameDecodingException.frameError("unknown frame type " + type);
        }
        if (in.readableBytes() < FRAME_HEADER_SIZE) {
            return null;
        }
        int channel = in.getUnsignedShort(start + 1);
        long size = in.getUnsignedInt(start + 3);
        if (size + FRAME_OVERHEAD > maxFrameSize) {
            throw FrameDecodingException.frameError("frame of " + (size + FRAME_OVERHEAD)
                    + " octets is larger than the negotiated frame-max of " + maxFrameSize).onChannel(channel);
        }
        if (type == HEARTBEAT && (size != 0 || channel != 0)) {
            throw FrameDecodingException.frameError("heartbeat frame on channel " + channel + " with " + size
                    + " octets of payload; heartbeats have neither");
        }
        int payloadSize = (int) size;
        if (in.readableBytes() < payloadSize + FRAME_OVERHEAD) {
            return null;
        }
        int payloadStart = start + FRAME_HEADER_SIZE;
        int end = in.getUnsignedByte(payloadStart + payloadSize);
        if (end != FRAME_END) {
            throw FrameDecodingException.frameError(String.format(
                    "frame end octet is 0x%02x where 0x%02x was expected", end, FRAME_END)).onChannel(channel);
        }
        Frame frame = switch (type) {
            case METHOD -> method(channel, in.slice(payloadStart, payloadSize));
            case HEADER -> ContentHeaderDecoder.decode(channel, in.slice(payloadStart, payloadSize));
            case BODY -> new BodyFrame(channel, in.retainedSlice(payloadStart, payloadSize));
            default -> HeartbeatFrame.INSTANCE;
        };
        in.readerIndex(payloadStart + payloadSize + 1);
        return frame;
    }

    private static MethodFrame method(int channel, ByteBuf payload) {
        try {
            return new MethodFrame(channel, MethodDecoder.decode(payload));
        } catch (FrameDecodingException e) {
            throw e.onChannel(channel);
        }
    }
}
