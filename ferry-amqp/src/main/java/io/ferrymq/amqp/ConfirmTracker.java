package io.ferrymq.amqp;

import io.ferrymq.amqp.codec.method.BasicAck;
import io.ferrymq.amqp.codec.method.BasicNack;

import java.util.Arrays;

/**
 * Owned by the connection's event loop; one per channel in confirm mode. Numbers publishes from 1
 * and turns their outcomes, which may arrive in any order, into as few {@code basic.ack} /
 * {@code basic.nack} frames as possible.
 *
 * <p>Outcomes are recorded as they come ({@link #complete}) and written once per event-loop pass
 * ({@link #emit}): a run of settled numbers starting at the lowest unreported one becomes one
 * frame with {@code multiple=true} (split where acks turn into nacks); a number settled while an
 * earlier one is still pending is reported alone, at once, rather than waiting for the slow one.
 *
 * <p>State per number lives in a ring indexed by sequence number, covering the window from the
 * lowest unreported number ({@code base}) to the next number to hand out.
 */
final class ConfirmTracker {
    private static final byte PENDING = 0;
    private static final byte ACK = 1;
    private static final byte NACK = 2;
    /** Already reported on its own (it was settled out of order). */
    private static final byte REPORTED = 3;

    private byte[] states = new byte[64];
    private long base = 1;
    private long next = 1;
    /** Numbers settled while an earlier one was pending, since the last emit. */
    private long[] outOfOrder = new long[16];
    private int outOfOrderCount;
    private boolean dirty;

    /** The number of the publish being processed. */
    long next() {
        if (next - base == states.length) {
            grow();
        }
        states[slot(next)] = PENDING;
        return next++;
    }

    void complete(long seq, boolean ack) {
        states[slot(seq)] = ack ? ACK : NACK;
        if (seq != base) {
            if (outOfOrderCount == outOfOrder.length) {
                outOfOrder = Arrays.copyOf(outOfOrder, outOfOrderCount * 2);
            }
            outOfOrder[outOfOrderCount++] = seq;
        }
        dirty = true;
    }

    /** Whether {@link #emit} has something to write. */
    boolean dirty() {
        return dirty;
    }

    void emit(int channel, FrameWriter out) {
        dirty = false;
        emitInOrderRun(channel, out);
        for (int i = 0; i < outOfOrderCount; i++) {
            long seq = outOfOrder[i];
            if (seq < base) {
                continue; // covered by the run just written
            }
            int slot = slot(seq);
            byte state = states[slot];
            if (state == ACK) {
                out.method(channel, new BasicAck(seq, false));
                states[slot] = REPORTED;
            } else if (state == NACK) {
                out.method(channel, new BasicNack(seq, false, false));
                states[slot] = REPORTED;
            }
        }
        outOfOrderCount = 0;
    }

    private void emitInOrderRun(int channel, FrameWriter out) {
        byte runKind = PENDING; // ACK or NACK while a run is open
        long runStart = 0;
        long runEnd = 0;
        while (base < next) {
            byte state = states[slot(base)];
            if (state == PENDING) {
                break;
            }
            if (state == REPORTED) {
                // a multiple must not cover a number already told on its own: end the run here
                writeRun(channel, out, runKind, runStart, runEnd);
                runKind = PENDING;
            } else if (state == runKind) {
                runEnd = base;
            } else {
                writeRun(channel, out, runKind, runStart, runEnd);
                runKind = state;
                runStart = base;
                runEnd = base;
            }
            base++;
        }
        writeRun(channel, out, runKind, runStart, runEnd);
    }

    private static void writeRun(int channel, FrameWriter out, byte kind, long start, long end) {
        if (kind == ACK) {
            out.method(channel, new BasicAck(end, end > start));
        } else if (kind == NACK) {
            out.method(channel, new BasicNack(end, end > start, false));
        }
    }

    private int slot(long seq) {
        return (int) (seq & (states.length - 1));
    }

    private void grow() {
        byte[] bigger = new byte[states.length * 2];
        for (long seq = base; seq < next; seq++) {
            bigger[(int) (seq & (bigger.length - 1))] = states[slot(seq)];
        }
        states = bigger;
    }
}
