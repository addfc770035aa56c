package io.ferrymq.bench;

import io.ferrymq.core.ConsumeSpec;
import io.ferrymq.core.LocalBroker;
import io.ferrymq.core.Message;
import io.ferrymq.core.PublishRequest;
import io.ferrymq.core.Session;
import io.ferrymq.core.SettleOp;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;

/**
 * Message trace's cost as CPU time of the one thread doing the work, which a loaded machine distorts less than
 * wall time: {@code java -cp ferry-bench/target/benchmarks.jar io.ferrymq.bench.TraceCost off|on}. The same
 * publish → deliver → ack round as {@link TraceBenchmark}, 100,000 times per round, 10 rounds (the first ones warm
 * up); trace {@code on} keeps its events in memory (no files).
 */
public final class TraceCost {
    private static final int ROUND = 100_000;

    private TraceCost() {
    }

    public static void main(String[] args) {
        boolean on = args.length > 0 && args[0].equals("on");
        try (BenchBroker broker = new BenchBroker()) {
            if (on) {
                broker.broker().tracer().enableVhost(LocalBroker.DEFAULT_VHOST, true);
            }
            Session session = broker.openSession();
            session.declareQueue(BenchBroker.transientQueue("bench.cost")).toCompletableFuture().join();
            BenchBroker.LastTagSink sink = new BenchBroker.LastTagSink();
            session.consume(new ConsumeSpec("bench.cost", "cost", false, false, false, Map.of()), sink)
                    .toCompletableFuture().join();
            PublishRequest request = new PublishRequest(new Message("", "bench.cost",
                    CodecBenchmark.TYPICAL_PROPERTIES, new byte[1000]), false);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            for (int round = 0; round < 10; round++) {
                long cpu = threads.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                for (int i = 0; i < ROUND; i++) {
                    session.publish(request);
                    session.settle(sink.lastTag, false, SettleOp.ACK);
                }
                System.out.printf("trace %s: %d ns CPU, %d ns wall per publish-deliver-ack%n", on ? "on" : "off",
                        (threads.getCurrentThreadCpuTime() - cpu) / ROUND, (System.nanoTime() - wall) / ROUND);
            }
        }
    }
}
