package io.ferrymq.core;

/** How a consumer settles delivered messages. */
public enum SettleOp {
    /** basic.ack: done, remove the message. */
    ACK,
    /** basic.nack/reject with requeue: put it back in its original place, redelivered=true. */
    REQUEUE,
    /** basic.nack/reject without requeue: drop it (dead-letter it when configured). */
    DISCARD
}
