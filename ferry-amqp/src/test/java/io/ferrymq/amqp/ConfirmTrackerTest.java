package io.ferrymq.amqp;

import io.ferrymq.amqp.codec.FrameDecoder;
import io.ferrymq.amqp.codec.MethodFrame;
import io.ferrymq.amqp.codec.method.AmqpMethod;
import io.ferrymq.amqp.codec.method.BasicAck;
import io.ferrymq.amqp.codec.method.BasicNack;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConfirmTrackerTest {
    private final EmbeddedChannel socket = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final EmbeddedChannel decoder = new EmbeddedChannel(new FrameDecoder(0));
    private final FrameWriter out = new FrameWriter(socket.pipeline().firstContext(), 131072);
    private final ConfirmTracker tracker = new ConfirmTracker();

    @AfterEach
    void tearDown() {
        socket.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
    }

    private List<AmqpMethod> emit() {
        tracker.emit(1, out);
        out.flush();
        ByteBuf bytes;
        while ((bytes = socket.readOutbound()) != null) {
            decoder.writeInbound(bytes);
        }
        List<AmqpMethod> methods = new ArrayList<>();
        Object frame;
        while ((frame = decoder.readInbound()) != null) {
            methods.add(((MethodFrame) frame).method());
        }
        return methods;
    }

    @Test
    void aRunOfAcksIsOneMultipleAck() {
        for (int i = 0; i < 3; i++) {
            tracker.complete(tracker.next(), true);
        }

        assertThat(emit()).containsExactly(new BasicAck(3, true));
        assertThat(tracker.dirty()).isFalse();
    }

    @Test
    void aSingleConfirmIsNotMultiple() {
        tracker.complete(tracker.next(), true);

        assertThat(emit()).containsExactly(new BasicAck(1, false));
    }

    @Test
    void acksAndNacksSplitTheRun() {
        boolean[] outcomes = {true, true, false, false, true};
        for (boolean ack : outcomes) {
            tracker.complete(tracker.next(), ack);
        }

        assertThat(emit()).containsExactly(new BasicAck(2, true), new BasicNack(4, true, false),
                new BasicAck(5, false));
    }

    @Test
    void aConfirmBehindAPendingOneIsSentAloneAndNotCoveredAgain() {
        long first = tracker.next();
        long second = tracker.next();
        long third = tracker.next();
        tracker.complete(second, true);
        assertThat(emit()).containsExactly(new BasicAck(2, false));

        tracker.complete(first, true);
        assertThat(emit()).containsExactly(new BasicAck(1, false));

        tracker.complete(third, false);
        assertThat(emit()).containsExactly(new BasicNack(3, false, false));
    }

    @Test
    void manyOutstandingCompletingInReverseBecomeOneAck() {
        long[] seqs = new long[1000];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = tracker.next();
        }
        for (int i = seqs.length - 1; i >= 0; i--) {
            tracker.complete(seqs[i], true);
        }

        assertThat(emit()).containsExactly(new BasicAck(1000, true));
        tracker.complete(tracker.next(), true);
        assertThat(emit()).containsExactly(new BasicAck(1001, false));
    }
}
