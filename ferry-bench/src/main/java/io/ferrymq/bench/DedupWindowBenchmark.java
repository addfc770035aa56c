package io.ferrymq.bench;

import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.Message;
import io.ferrymq.core.dedup.DedupSettings;
import io.ferrymq.core.dedup.Deduplicator;
import io.ferrymq.core.persist.Persistence;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The deduplication window's own cost per message, without the store and the network: {@link Deduplicator#admit}
 * on a full window of 100,000 keys (the default {@code x-cache-size}), so that every new key also evicts the oldest.
 * <ul>
 *   <li>{@code admitNewKey}: a message-id never seen (enters, the oldest leaves);</li>
 *   <li>{@code admitDuplicate}: a message-id in the window (found, nothing changes).</li>
 * </ul>
 * The heap a window holds per key is measured by {@link #main}: {@code java -cp ferry-bench/target/benchmarks.jar
 * io.ferrymq.bench.DedupWindowBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DedupWindowBenchmark {
    private static final int WINDOW = DedupSettings.DEFAULT_CACHE_SIZE;

    private Deduplicator window;
    private Message[] fresh;
    private Message[] seen;
    private int next;

    @Setup
    public void setUp() {
        window = new Deduplicator(new DedupSettings(WINDOW, 0), Persistence.NONE);
        seen = messages(0, WINDOW);
        for (Message message : seen) {
            window.admit(message, 0);
        }
        // new ids are made ahead so the benchmark measures the window, not Long.toString; 2^20 of them cycle, and an
        // id seen 2^20 admissions ago left the window of 100,000 long since, so each is new again
        fresh = messages(WINDOW, 1 << 20);
    }

    @Benchmark
    public Object admitNewKey() {
        Message message = fresh[next++ & (fresh.length - 1)];
        return window.admit(message, 0);
    }

    @Benchmark
    public Object admitDuplicate() {
        // the newest keys are in the window whatever admitNewKey did before in this fork
        return window.admit(seen[next++ % WINDOW], 0);
    }

    private static Message[] messages(long firstId, int count) {
        Message[] messages = new Message[count];
        for (int i = 0; i < count; i++) {
            messages[i] = message(firstId + i);
        }
        return messages;
    }

    private static Message message(long id) {
        MessageProperties properties = new MessageProperties(null, null, null, 2, null, null, null, null,
                "order-" + id, null, null, null, null, null);
        return new Message("", "q", properties, new byte[0]);
    }

    /** Heap held per key by a window of 1,000,000 keys like "order-123456" (a 12-character message-id). */
    public static void main(String[] args) {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Deduplicator window = new Deduplicator(new DedupSettings(keys, 0), Persistence.NONE);
        long before = usedAfterGc();
        for (int i = 0; i < keys; i++) {
            window.admit(message(100_000 + i), 0);
        }
        long after = usedAfterGc();
        System.out.printf("deduplication window of %,d keys: %.1f bytes of heap per key (window size %d)%n",
                keys, (after - before) / (double) keys, window.size());
    }

    private static long usedAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
