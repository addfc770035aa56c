package io.ferrymq.core.queue;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class QueueFlowTest {

    private static final long MIB = 1L << 20;

    @Test
    void pausesAboveFourMibWithConsumersAndLetsGoAtHalf() {
        QueueFlow flow = new QueueFlow(8 * MIB);
        assertThat(flow.update(4 * MIB, 1, false)).isNull();
        assertThat(flow.congested()).as("at the mark, not above it").isFalse();
        flow.update(4 * MIB + 1, 1, false);
        assertThat(flow.congested()).isTrue();

        List<String> resumed = new ArrayList<>();
        assertThat(flow.await(() -> resumed.add("publisher"))).isTrue();
        assertThat(flow.update(2 * MIB + 1, 1, false)).as("still above half").isNull();
        List<Runnable> released = flow.update(2 * MIB, 1, false);
        assertThat(flow.congested()).isFalse();
        released.forEach(Runnable::run);
        assertThat(resumed).containsExactly("publisher");
    }

    @Test
    void aSmallerResidentBudgetIsTheMark() {
        QueueFlow flow = new QueueFlow(MIB);
        flow.update(MIB + 1, 2, false);
        assertThat(flow.congested()).isTrue();
        flow.update(MIB / 2, 2, false);
        assertThat(flow.congested()).isFalse();
    }

    @Test
    void neverPausesWithoutConsumersAndLetsGoWhenTheyLeaveOrTheQueueIsDeleted() {
        QueueFlow flow = new QueueFlow(8 * MIB);
        flow.update(100 * MIB, 0, false);
        assertThat(flow.congested()).isFalse();
        assertThat(flow.await(() -> { })).as("nothing to wait for").isFalse();

        flow.update(100 * MIB, 1, false);
        assertThat(flow.congested()).isTrue();
        flow.update(100 * MIB, 0, false);
        assertThat(flow.congested()).isFalse();

        flow.update(100 * MIB, 1, false);
        flow.update(100 * MIB, 1, true);
        assertThat(flow.congested()).isFalse();
    }
}
