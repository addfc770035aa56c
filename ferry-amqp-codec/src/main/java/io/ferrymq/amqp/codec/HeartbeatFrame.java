package io.ferrymq.amqp.codec;

/** A heartbeat frame (type 8). Always on channel 0; the decoder rejects any other. */
public record HeartbeatFrame(int channel) implements Frame {
    public static final HeartbeatFrame INSTANCE = new HeartbeatFrame(0);
}
