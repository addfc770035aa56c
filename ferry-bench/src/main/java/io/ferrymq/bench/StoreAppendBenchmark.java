package io.ferrymq.bench;

import io.ferrymq.store.Durability;
import io.ferrymq.store.StoreConfig;
import io.ferrymq.store.file.DiskFiles;
import io.ferrymq.store.journal.RelocationListener;
import io.ferrymq.store.journal.ReplayHandler;
import io.ferrymq.store.journal.SegmentJournal;
import io.ferrymq.store.journal.StoredEntry;
import io.ferrymq.store.log.LogStats;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The store's durable append with group commit: each benchmark thread adds one 1,000-octet entry with
 * {@link Durability#SYNC} and waits until it is on disk, as a publisher waiting for its confirm does, then the
 * next. Run with JMH's {@code -t} at 1, 4 and 64 threads: the throughput shows how far one fsync is shared, and
 * the records per fsync of each measured iteration are printed from the writer's own counters.
 *
 * <p>{@code for t in 1 4 64; do java -jar ferry-bench/target/benchmarks.jar StoreAppendBenchmark -t $t; done}
 * (the journal lives in a temporary directory under {@code java.io.tmpdir}; put that on the disk to measure)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class StoreAppendBenchmark {
    private static final ByteBuffer BODY = ByteBuffer.wrap(new byte[1000]).asReadOnlyBuffer();

    private Path dir;
    private SegmentJournal journal;
    private final AtomicLong nextStream = new AtomicLong();
    private LogStats atIterationStart;

    /** Each thread writes its own stream, so entries never collide. */
    @State(Scope.Thread)
    public static class Appender {
        long stream;
        long entry;

        @Setup
        public void setUp(StoreAppendBenchmark benchmark) {
            stream = benchmark.nextStream.incrementAndGet();
        }
    }

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("ferry-store-bench");
        journal = SegmentJournal.open(new DiskFiles(dir), StoreConfig.defaults(), new ReplayHandler() {
            @Override
            public void metadata(long key, ByteBuffer value) {
            }

            @Override
            public void entry(StoredEntry entry) {
            }
        }, RelocationListener.NONE);
    }

    @Setup(Level.Iteration)
    public void markIteration() {
        atIterationStart = journal.stats().log();
    }

    @Benchmark
    public long appendDurable(Appender appender) {
        return journal.add(appender.stream, ++appender.entry, BODY.duplicate(), Durability.SYNC).join();
    }

    @TearDown(Level.Iteration)
    public void reportBatching() {
        LogStats now = journal.stats().log();
        long fsyncs = now.fsyncs() - atIterationStart.fsyncs();
        long records = now.records() - atIterationStart.records();
        System.out.printf("  [%d fsyncs, %.1f records per fsync]", fsyncs, fsyncs == 0 ? 0.0 : records / (double) fsyncs);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        journal.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
