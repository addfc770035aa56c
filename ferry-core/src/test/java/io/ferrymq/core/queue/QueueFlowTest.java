package io.ferrymq.core.queue;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class QueueFlowTest {

    private static final long MIB = 1L << 20;

    @Test
    void pausesAboveFourMibWhileConsumersDrainAndLetsGoAtHalf() {
        QueueFlow flow = new QueueFlow(8 * MIB);
        assertThat(flow.update(4 * MIB, 1, false, 1, 0)).isNull();
        assertThat(flow.congested()).as("at the mark, not above it").isFalse();
        flow.update(4 * MIB + 1, 1, false, 2, 10);
        assertThat(flow.congested()).isTrue();

        List<String> resumed = new ArrayList<>();
        assertThat(flow.await(() -> resumed.add("publisher"))).isTrue();
        assertThat(flow.update(2 * MIB + 1, 1, false, 3, 20)).as("still above half").isNull();
        List<Runnable> released = flow.update(2 * MIB, 1, false, 4, 30);
        assertThat(flow.congested()).isFalse();
        released.forEach(Runnable::run);
        assertThat(resumed).containsExactly("publisher");
    }

    @Test
    void aSmallerResidentBudgetIsTheMark() {
        QueueFlow flow = new QueueFlow(MIB);
        flow.update(MIB + 1, 2, false, 1, 0);
        assertThat(flow.congested()).isTrue();
        flow.update(MIB / 2, 2, false, 2, 1);
        assertThat(flow.congested()).isFalse();
    }

    @Test
    void consumersThatDrainNothingForASecondLetThePublishersGoUntilMessagesLeaveAgain() {
        QueueFlow flow = new QueueFlow(8 * MIB);
        flow.update(10 * MIB, 1, false, 5, 1_000);
        assertThat(flow.congested()).isTrue();
        assertThat(flow.recheckAt()).isEqualTo(1_000 + QueueFlow.STALL_MILLIS);
        List<String> resumed = new ArrayList<>();
        flow.await(() -> resumed.add("publisher"));

        assertThat(flow.update(10 * MIB, 1, false, 5, 1_999)).isNull();
        List<Runnable> released = flow.update(10 * MIB, 1, false, 5, 2_000);
        released.forEach(Runnable::run);
        assertThat(resumed).containsExactly("publisher");
        assertThat(flow.recheckAt()).isEqualTo(Long.MAX_VALUE);

        flow.update(30 * MIB, 1, false, 5, 3_000);
        assertThat(flow.congested()).as("still nothing left the queue: the publishers stay free").isFalse();
        flow.update(31 * MIB, 1, false, 6, 3_001);
        assertThat(flow.congested()).as("draining again, slowly: over the mark, so paused again").isTrue();
        assertThat(flow.recheckAt()).isEqualTo(3_001 + QueueFlow.STALL_MILLIS);
    }

    @Test
    void aStallEndsAtHalfTheMarkToo() {
        QueueFlow flow = new QueueFlow(8 * MIB);
        flow.update(10 * MIB, 1, false, 5, 0);
        flow.update(10 * MIB, 1, false, 5, QueueFlow.STALL_MILLIS);
        assertThat(flow.congested()).isFalse();
        flow.update(2 * MIB, 1, false, 5, QueueFlow.STALL_MILLIS + 1);
        flow.update(5 * MIB, 1, false, 5, QueueFlow.STALL_MILLIS + 2);
        assertThat(flow.congested()).as("shrunk to half (a consumer left, a purge), then over the mark").isTrue();
    }

    @Test
    void neverPausesWithoutConsumersAndLetsGoWhenTheyLeaveOrTheQueueIsDeleted() {
        QueueFlow flow = new QueueFlow(8 * MIB);
        flow.update(100 * MIB, 0, false, 1, 0);
        assertThat(flow.congested()).isFalse();
        assertThat(flow.await(() -> { })).as("nothing to wait for").isFalse();

        flow.update(100 * MIB, 1, false, 2, 1);
        assertThat(flow.congested()).isTrue();
        flow.update(100 * MIB, 0, false, 3, 2);
        assertThat(flow.congested()).isFalse();

        flow.update(100 * MIB, 1, false, 4, 3);
        flow.update(100 * MIB, 1, true, 5, 4);
        assertThat(flow.congested()).isFalse();
    }
}
