package io.ferrymq.amqp;

import io.ferrymq.amqp.codec.BodyFrame;
import io.ferrymq.amqp.codec.Frame;
import io.ferrymq.amqp.codec.MethodFrame;
import io.ferrymq.amqp.codec.method.AmqpMethod;
import io.ferrymq.amqp.codec.method.ChannelOpen;
import io.netty.util.collection.IntObjectHashMap;

/**
 * Owned by the connection's event loop. The channels of one connection by number: routes frames
 * on channels other than 0, opens channels within the negotiated channel-max, and lets go of a
 * number only once its close handshake is over (a closing channel still counts, as in RabbitMQ).
 */
final class ChannelTable {
    private final IntObjectHashMap<AmqpChannel> channels = new IntObjectHashMap<>();
    private final AmqpConnection connection;
    private int channelMax;

    ChannelTable(AmqpConnection connection) {
        this.connection = connection;
    }

    void channelMax(int negotiated) {
        channelMax = negotiated;
    }

    void onFrame(Frame frame) {
        AmqpChannel channel = channels.get(frame.channel());
        if (channel != null) {
            channel.onFrame(frame);
            return;
        }
        if (frame instanceof MethodFrame methodFrame && methodFrame.method() instanceof ChannelOpen open) {
            open(frame.channel(), open);
            return;
        }
        release(frame);
        AmqpMethod method = frame instanceof MethodFrame methodFrame ? methodFrame.method() : null;
        throw AmqpError.of(ReplyCode.CHANNEL_ERROR, "expected 'channel.open'", method);
    }

    private void open(int number, ChannelOpen open) {
        if (channels.size() >= channelMax) {
            throw AmqpError.of(ReplyCode.NOT_ALLOWED, "number of channels opened (" + channels.size()
                    + ") has reached the negotiated channel_max (" + channelMax + ")", open);
        }
        AmqpChannel channel = new AmqpChannel(number, connection);
        channels.put(number, channel);
        channel.open(open);
    }

    /** The channel's close handshake is over: its number is free again. */
    void remove(AmqpChannel channel) {
        channels.remove(channel.number);
    }

    /** The socket can take more: every session may deliver again. */
    void resumeAll() {
        for (AmqpChannel channel : channels.values()) {
            channel.resume();
        }
    }

    /** The connection is gone: every channel lets go of its session, without a frame. */
    void disposeAll() {
        for (AmqpChannel channel : channels.values()) {
            channel.dispose();
        }
        channels.clear();
    }

    /** Frames hold no resources except a body frame's payload. */
    static void release(Frame frame) {
        if (frame instanceof BodyFrame body) {
            body.payload().release();
        }
    }
}
