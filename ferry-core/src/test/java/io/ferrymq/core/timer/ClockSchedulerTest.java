package io.ferrymq.core.timer;

import io.ferrymq.common.Clock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ClockSchedulerTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final Clock clock = new Clock() {
        @Override
        public long millis() {
            return now.get();
        }

        @Override
        public long nanos() {
            return now.get() * 1_000_000;
        }
    };

    @Test
    void runsWhatIsDueInDueOrderAndNothingEarly() {
        ClockScheduler scheduler = ClockScheduler.manual(clock);
        List<String> ran = new ArrayList<>();
        scheduler.at(1_020, () -> ran.add("b"));
        scheduler.at(1_010, () -> ran.add("a"));
        scheduler.at(1_020, () -> ran.add("c"));
        now.set(1_009);
        assertThat(scheduler.runDue()).isZero();
        now.set(1_020);
        assertThat(scheduler.runDue()).isEqualTo(3);
        assertThat(ran).containsExactly("a", "b", "c");
    }

    @Test
    void aCancelledTaskDoesNotRunAndATaskMayScheduleAnother() {
        ClockScheduler scheduler = ClockScheduler.manual(clock);
        List<String> ran = new ArrayList<>();
        scheduler.at(1_000, () -> ran.add("cancelled")).cancel();
        scheduler.at(1_000, () -> scheduler.at(1_000, () -> ran.add("follow-up")));
        assertThat(scheduler.runDue()).isEqualTo(2);
        assertThat(ran).containsExactly("follow-up");
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void theThreadedSchedulerRunsTasksOnItsOwnThreadAndStopsOnClose() throws Exception {
        ClockScheduler scheduler = ClockScheduler.threaded(Clock.system());
        CountDownLatch ran = new CountDownLatch(1);
        List<String> threads = new ArrayList<>();
        scheduler.at(Clock.system().millis() + 20, () -> {
            threads.add(Thread.currentThread().getName());
            ran.countDown();
        });
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(threads).containsExactly("ferry-scheduler");
        scheduler.close();
        scheduler.at(0, () -> threads.add("after close"));
        assertThat(scheduler.pending()).isZero();
    }
}
