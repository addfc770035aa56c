package io.ferrymq.core.trace;

import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.common.Clock;
import io.ferrymq.core.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Message trace's retention (count and age), its files across a restart, and its cost-free off state. */
class TracerTest {
    /** A clock moved by hand. */
    private static final class ManualClock implements Clock {
        private volatile long millis = 1_700_000_000_000L;

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public long nanos() {
            return millis * 1_000_000;
        }

        void advance(long ms) {
            millis += ms;
        }
    }

    private final ManualClock clock = new ManualClock();

    private static Message message(String id) {
        return new Message("", "q", new MessageProperties(null, null, null, null, null, "corr-" + id, null, null,
                id, null, null, null, null, null), new byte[0]);
    }

    @Test
    void keepsAtMostMaxEventsAndNoneOlderThanMaxAgeAcrossARestart(@TempDir Path dir) throws Exception {
        Tracer tracer = new Tracer(clock);
        tracer.open(dir, 10, 60_000);
        tracer.enableVhost("/", true);
        for (int i = 0; i < 25; i++) {
            tracer.record(TraceEvent.of("enqueued", "/", message("m" + (i % 5))).inQueue("q"));
        }
        assertThat(tracer.size()).isEqualTo(10);
        assertThat(tracer.query("/", "m4", null, 100)).extracting(TraceEvent::seq).containsExactly(20L, 25L);
        assertThat(tracer.query("/", null, "corr-m0", 100)).extracting(TraceEvent::seq).containsExactly(16L, 21L);
        assertThat(tracer.query("/", "m4", null, 1)).extracting(TraceEvent::seq).containsExactly(25L);
        assertThat(tracer.query("other", "m4", null, 100)).isEmpty();
        tracer.close();

        Tracer restarted = new Tracer(clock);
        restarted.open(dir, 10, 60_000);
        assertThat(restarted.size()).isEqualTo(10);
        assertThat(restarted.vhostEnabled("/")).isTrue();
        assertThat(restarted.on()).isTrue();
        restarted.record(TraceEvent.of("acked", "/", message("m4")).inQueue("q"));
        assertThat(restarted.query("/", "m4", null, 100)).extracting(TraceEvent::seq).containsExactly(20L, 25L, 26L);

        clock.advance(60_001);
        assertThat(restarted.query("/", "m4", null, 100)).isEmpty();
        restarted.close();
    }

    @Test
    void oldFilesGoOnceEveryEventInThemAgedOut(@TempDir Path dir) throws Exception {
        Tracer tracer = new Tracer(clock);
        tracer.open(dir, 1_000_000, 1_000);
        tracer.enableVhost("/", true);
        // about 100 bytes an event: more than one 4 MiB file
        for (int i = 0; i < 60_000; i++) {
            tracer.record(TraceEvent.of("enqueued", "/", message("id-" + i)).inQueue("q").withReason("x".repeat(40)));
        }
        assertThat(segments(dir)).hasSizeGreaterThan(1);
        clock.advance(1_001);
        tracer.record(TraceEvent.of("enqueued", "/", message("last")).inQueue("q"));
        assertThat(tracer.size()).isEqualTo(1);
        assertThat(segments(dir)).hasSize(1);
        tracer.close();
    }

    @Test
    void offRecordsNothingAndAQueueOrPolicyTracesOnlyItself() {
        Tracer tracer = new Tracer(clock);
        assertThat(tracer.on()).isFalse();
        assertThat(tracer.traces("/", "q")).isFalse();
        tracer.enableQueue("/", "q", true);
        tracer.policyTrace("/", "p", true);
        assertThat(tracer.traces("/", "q")).isTrue();
        assertThat(tracer.traces("/", "p")).isTrue();
        assertThat(tracer.traces("/", "other")).isFalse();
        assertThat(tracer.queuesEnabled("/")).isEqualTo(List.of("p", "q"));
        tracer.enableQueue("/", "q", false);
        tracer.policyTrace("/", "p", false);
        assertThat(tracer.on()).isFalse();
    }

    private static List<Path> segments(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).toList();
        }
    }
}
