package io.ferrymq.core.alarm;

import io.ferrymq.core.AlarmListener;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The disk alarm over a simulated disk, and how it combines with the memory alarm. */
class DiskMonitorTest {
    private static final long LIMIT = 50_000_000;

    private final AtomicLong free = new AtomicLong(10 * LIMIT);
    private final Alarms alarms = new Alarms();
    private final List<String> events = new ArrayList<>();
    private final DiskMonitor disk = new DiskMonitor(free::get, LIMIT, alarms);

    DiskMonitorTest() {
        alarms.addListener(new AlarmListener() {
            @Override
            public void blocked(String reason) {
                events.add("blocked: " + reason);
            }

            @Override
            public void unblocked() {
                events.add("unblocked");
            }
        });
    }

    @Test
    void belowTheLimitPublishersAreBlockedUntilSpaceReturns() {
        disk.check();
        assertThat(events).isEmpty();
        free.set(LIMIT - 1);
        disk.check();
        disk.check();
        assertThat(events).singleElement().asString().startsWith("blocked: low on disk: 49999999 bytes free")
                .contains("disk_free_limit 50000000");
        assertThat(alarms.isOn(Alarms.Resource.DISK)).isTrue();
        assertThat(disk.freeBytes()).isEqualTo(LIMIT - 1);
        free.set(LIMIT);
        disk.check();
        assertThat(events).hasSize(2).last().isEqualTo("unblocked");
        assertThat(alarms.isOn(Alarms.Resource.DISK)).isFalse();
    }

    @Test
    void changingTheLimitChecksAtOnce() {
        disk.setLimit(Long.MAX_VALUE);
        assertThat(events).singleElement().asString().startsWith("blocked: low on disk");
        disk.setLimit(LIMIT);
        assertThat(events).last().isEqualTo("unblocked");
        assertThat(disk.limitBytes()).isEqualTo(LIMIT);
    }

    @Test
    void aFailedReadingKeepsTheAlarmAsItWas() {
        free.set(0);
        disk.check();
        DiskMonitor unreadable = new DiskMonitor(() -> {
            throw new IOException("the file store is gone");
        }, LIMIT, alarms);
        unreadable.check();
        assertThat(events).hasSize(1);
        assertThat(alarms.isOn(Alarms.Resource.DISK)).isTrue();
    }

    @Test
    void publishersStayBlockedUntilEveryAlarmIsOff() {
        MemoryMonitor memory = new MemoryMonitor(100, alarms);
        memory.add(101);
        free.set(0);
        disk.check();
        assertThat(events).hasSize(2);
        assertThat(events.get(1)).contains("memory high watermark").contains("low on disk");
        memory.add(-101);
        assertThat(events).hasSize(3).last().asString().startsWith("blocked: low on disk");
        free.set(LIMIT);
        disk.check();
        assertThat(events).hasSize(4).last().isEqualTo("unblocked");
    }

    @Test
    void aListenerAddedDuringAnAlarmIsToldAtOnce() {
        free.set(0);
        disk.check();
        List<String> late = new ArrayList<>();
        alarms.addListener(new AlarmListener() {
            @Override
            public void blocked(String reason) {
                late.add("blocked");
            }

            @Override
            public void unblocked() {
                late.add("unblocked");
            }
        });
        assertThat(late).containsExactly("blocked");
    }
}
