package io.ferrymq.bench;

import io.ferrymq.core.ConsumeSpec;
import io.ferrymq.core.LocalBroker;
import io.ferrymq.core.Message;
import io.ferrymq.core.PublishOutcome;
import io.ferrymq.core.PublishRequest;
import io.ferrymq.core.Session;
import io.ferrymq.core.SettleOp;
import io.ferrymq.core.trace.Tracer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What message trace costs: {@link QueueDeliveryBenchmark#publishDeliverAck}'s publish → deliver → ack round, with
 * trace {@code off} (the default: one volatile read per recording point), {@code other} (on for another vhost, so
 * every point also looks the queue up and records nothing), {@code on} for the queue's vhost, writing its five
 * events per message (published, routed, enqueued, delivered, acked) to files in a temporary directory, and
 * {@code memory}, the same without files.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TraceBenchmark {
    @Param({"off", "other", "memory", "on"})
    public String trace;

    private BenchBroker broker;
    private Session session;
    private Path dir;
    private final BenchBroker.LastTagSink sink = new BenchBroker.LastTagSink();
    private PublishRequest request;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        broker = new BenchBroker();
        Tracer tracer = broker.broker().tracer();
        dir = Files.createTempDirectory("ferry-trace-bench");
        if (!trace.equals("memory")) {
            tracer.open(dir, Tracer.DEFAULT_MAX_EVENTS, Tracer.DEFAULT_MAX_AGE_MILLIS);
        }
        if (trace.equals("other")) {
            broker.broker().addVirtualHost("elsewhere");
            tracer.enableVhost("elsewhere", true);
        } else if (trace.equals("on") || trace.equals("memory")) {
            tracer.enableVhost(LocalBroker.DEFAULT_VHOST, true);
        }
        session = broker.openSession();
        session.declareQueue(BenchBroker.transientQueue("bench.trace")).toCompletableFuture().join();
        session.consume(new ConsumeSpec("bench.trace", "traced", false, false, false, Map.of()), sink)
                .toCompletableFuture().join();
        request = new PublishRequest(new Message("", "bench.trace", CodecBenchmark.TYPICAL_PROPERTIES,
                new byte[1000]), false);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (sink.deliveries == 0) {
            throw new IllegalStateException("no delivery reached the sink: the benchmark measured nothing");
        }
        broker.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
    }

    @Benchmark
    public CompletionStage<PublishOutcome> publishDeliverAck() {
        CompletionStage<PublishOutcome> outcome = session.publish(request);
        session.settle(sink.lastTag, false, SettleOp.ACK);
        return outcome;
    }
}
