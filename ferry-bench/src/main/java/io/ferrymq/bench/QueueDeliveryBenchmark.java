package io.ferrymq.bench;

import io.ferrymq.core.ConsumeSpec;
import io.ferrymq.core.Message;
import io.ferrymq.core.PublishOutcome;
import io.ferrymq.core.PublishRequest;
import io.ferrymq.core.Session;
import io.ferrymq.core.SettleOp;
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

import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A classic queue's enqueue → deliver → settle round through the core's public API ({@code Session}), one
 * transient 1,000-octet message per operation, published to the default exchange and delivered to one consumer
 * whose sink does nothing ({@link BenchBroker.LastTagSink}): what the broker spends per message outside the
 * codec and the socket.
 * <ul>
 *   <li>{@code publishDeliverAck}: manual ack, each delivery acked on its own (basic.ack, multiple=false);</li>
 *   <li>{@code publishDeliverAckEvery50}: manual ack of 50 deliveries at once (multiple=true), as PerfTest's
 *       scenarios b–d do;</li>
 *   <li>{@code publishDeliverAutoAck}: a no-ack consumer (scenario a).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class QueueDeliveryBenchmark {
    private static final int ACK_BATCH = 50;

    private BenchBroker broker;
    private Session manualSession;
    private Session autoSession;
    private final BenchBroker.LastTagSink manualSink = new BenchBroker.LastTagSink();
    private final BenchBroker.LastTagSink autoSink = new BenchBroker.LastTagSink();
    private PublishRequest toManual;
    private PublishRequest toAuto;
    private int unacked;

    @Setup(Level.Trial)
    public void setUp() {
        broker = new BenchBroker();
        manualSession = broker.openSession();
        autoSession = broker.openSession();
        manualSession.declareQueue(BenchBroker.transientQueue("bench.manual")).toCompletableFuture().join();
        autoSession.declareQueue(BenchBroker.transientQueue("bench.auto")).toCompletableFuture().join();
        manualSession.consume(new ConsumeSpec("bench.manual", "manual", false, false, false, Map.of()), manualSink)
                .toCompletableFuture().join();
        autoSession.consume(new ConsumeSpec("bench.auto", "auto", false, true, false, Map.of()), autoSink)
                .toCompletableFuture().join();
        byte[] body = new byte[1000];
        toManual = new PublishRequest(new Message("", "bench.manual", CodecBenchmark.TYPICAL_PROPERTIES, body), false);
        toAuto = new PublishRequest(new Message("", "bench.auto", CodecBenchmark.TYPICAL_PROPERTIES, body), false);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (manualSink.deliveries == 0 && autoSink.deliveries == 0) {
            throw new IllegalStateException("no delivery reached a sink: the benchmark measured nothing");
        }
        broker.close();
    }

    @Benchmark
    public CompletionStage<PublishOutcome> publishDeliverAck() {
        CompletionStage<PublishOutcome> outcome = manualSession.publish(toManual);
        manualSession.settle(manualSink.lastTag, false, SettleOp.ACK);
        return outcome;
    }

    @Benchmark
    public CompletionStage<PublishOutcome> publishDeliverAckEvery50() {
        CompletionStage<PublishOutcome> outcome = manualSession.publish(toManual);
        if (++unacked == ACK_BATCH) {
            unacked = 0;
            manualSession.settle(manualSink.lastTag, true, SettleOp.ACK);
        }
        return outcome;
    }

    @Benchmark
    public CompletionStage<PublishOutcome> publishDeliverAutoAck() {
        return autoSession.publish(toAuto);
    }
}
