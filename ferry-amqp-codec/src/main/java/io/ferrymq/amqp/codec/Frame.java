package io.ferrymq.amqp.codec;

/**
 * One AMQP 0-9-1 frame as {@link FrameDecoder} emits it. A {@link BodyFrame} holds a buffer that its consumer
 * must release; the other frames are plain values.
 */
public sealed interface Frame permits MethodFrame, HeaderFrame, BodyFrame, HeartbeatFrame {
    /** The channel the frame travels on; 0 is the connection itself. */
    int channel();
}
