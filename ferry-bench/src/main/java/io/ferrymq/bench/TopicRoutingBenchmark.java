package io.ferrymq.bench;

import io.ferrymq.core.ConsumeSpec;
import io.ferrymq.core.ExchangeDeclaration;
import io.ferrymq.core.Message;
import io.ferrymq.core.PublishOutcome;
import io.ferrymq.core.PublishRequest;
import io.ferrymq.core.Session;
import io.ferrymq.core.exchange.Binding;
import io.ferrymq.core.exchange.Bindings;
import io.ferrymq.core.exchange.Destination;
import io.ferrymq.core.exchange.Exchange;
import io.ferrymq.core.exchange.ExchangeType;
import io.ferrymq.common.message.MessageProperties;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A topic exchange with 10,000 bindings: the match alone (the exchange's binding table, as the virtual host
 * consults it under its read lock) and a whole publish through a {@code Session} (route, enqueue into the matched
 * queues, deliver to their no-op auto-ack consumers).
 *
 * <p>Binding keys have three words, {@code r<i mod 16>.s<i/16 mod 64>.e<i>}: six in eight are exact keys, one in
 * eight replaces the middle word with {@code *}, one in eight replaces the last with {@code #}. Routing keys are
 * drawn (fixed seed) from the same space plus one in eight that no exact binding has, so a message matches one
 * binding, or about ten when its first word is {@code r7} or {@code r15} (the {@code #} bindings), or none.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TopicRoutingBenchmark {
    static final int BINDINGS = 10_000;
    private static final int QUEUES = 1_000;
    private static final int KEYS = 4_096;
    private static final String EXCHANGE = "bench.topic";

    private Bindings table;
    private Message[] messages;
    private PublishRequest[] requests;
    private final List<Destination> matched = new ArrayList<>();
    private int next;
    private BenchBroker broker;
    private Session session;

    @Setup(Level.Trial)
    public void setUp() {
        Exchange source = exchange(EXCHANGE);
        table = ExchangeType.TOPIC.newBindings();
        List<Destination> destinations = new ArrayList<>(QUEUES);
        for (int q = 0; q < QUEUES; q++) {
            destinations.add(new Destination.ToExchange(exchange("dest." + q)));
        }
        for (int i = 0; i < BINDINGS; i++) {
            table.add(new Binding(source, destinations.get(i % QUEUES), bindingKey(i), Map.of()));
        }

        broker = new BenchBroker();
        session = broker.openSession();
        session.declareExchange(new ExchangeDeclaration(EXCHANGE, "topic", false, false, false, false, Map.of()))
                .toCompletableFuture().join();
        for (int q = 0; q < QUEUES; q++) {
            String queue = "q" + q;
            session.declareQueue(BenchBroker.transientQueue(queue)).toCompletableFuture().join();
            session.consume(new ConsumeSpec(queue, "c" + q, false, true, false, Map.of()),
                    new BenchBroker.LastTagSink()).toCompletableFuture().join();
        }
        for (int i = 0; i < BINDINGS; i++) {
            session.bindQueue("q" + (i % QUEUES), EXCHANGE, bindingKey(i), Map.of()).toCompletableFuture().join();
        }

        SplittableRandom random = new SplittableRandom(42);
        messages = new Message[KEYS];
        requests = new PublishRequest[KEYS];
        byte[] body = new byte[16];
        for (int k = 0; k < KEYS; k++) {
            int i = random.nextInt(BINDINGS);
            String key = "r" + (i % 16) + ".s" + (i / 16 % 64) + ".e" + (k % 8 == 0 ? i + BINDINGS : i);
            messages[k] = new Message(EXCHANGE, key, MessageProperties.EMPTY, body);
            requests[k] = new PublishRequest(messages[k], false);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        broker.close();
    }

    /** The binding table's match for one routing key. */
    @Benchmark
    public int match() {
        matched.clear();
        table.match(messages[next++ & (KEYS - 1)], matched);
        return matched.size();
    }

    /** One publish to the topic exchange: route, then enqueue and deliver to each matched queue's consumer. */
    @Benchmark
    public CompletionStage<PublishOutcome> publish() {
        return session.publish(requests[next++ & (KEYS - 1)]);
    }

    private static String bindingKey(int i) {
        String first = "r" + (i % 16);
        String middle = "s" + (i / 16 % 64);
        return switch (i % 8) {
            case 6 -> first + ".*.e" + i;
            case 7 -> first + "." + middle + ".#";
            default -> first + "." + middle + ".e" + i;
        };
    }

    private static Exchange exchange(String name) {
        return new Exchange("/", name, ExchangeType.TOPIC, false, false, false, Map.of(), null,
                ExchangeType.TOPIC.newBindings(), null);
    }
}
