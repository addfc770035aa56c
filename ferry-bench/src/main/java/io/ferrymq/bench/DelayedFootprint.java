package io.ferrymq.bench;

import io.ferrymq.common.Clock;
import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.BrokerConfig;
import io.ferrymq.core.BrokerView;
import io.ferrymq.core.ConnectionInfo;
import io.ferrymq.core.ConsumeSpec;
import io.ferrymq.core.Delivery;
import io.ferrymq.core.DeliverySink;
import io.ferrymq.core.ExchangeDeclaration;
import io.ferrymq.core.LocalBroker;
import io.ferrymq.core.Message;
import io.ferrymq.core.PublishRequest;
import io.ferrymq.core.QueueDeclaration;
import io.ferrymq.core.Session;
import io.ferrymq.core.persist.JournalPersistence;
import io.ferrymq.store.StoreConfig;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * Heap used by pending delayed messages, and how late they are delivered, in-process on a real store (no network):
 * publishes {@code count} persistent messages of {@code size} bytes to a durable {@code x-delayed-message} exchange,
 * each due at a random time between {@code minMs} and {@code maxMs} after the publishing started, measures the heap
 * after a full GC against the empty broker, then consumes them (no-ack) from the durable queue the exchange routes
 * to and reports the lateness (delivery time minus due time) percentiles.
 *
 * <p>{@code java -Xmx512m -cp ferry-bench/target/benchmarks.jar io.ferrymq.bench.DelayedFootprint 1000000 1024
 * 60000 120000 DIR}
 */
public final class DelayedFootprint {

    private DelayedFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        int size = Integer.parseInt(args[1]);
        long minMs = Long.parseLong(args[2]);
        long maxMs = Long.parseLong(args[3]);
        Path dir = Files.createDirectories(Path.of(args[4]));
        long empty = heapAfterGc();
        BrokerConfig defaults = BrokerConfig.defaults();
        BrokerConfig config = new BrokerConfig(defaults.defaultUser(), defaults.defaultPassword(), Long.MAX_VALUE,
                defaults.maxMessageSizeBytes());
        try (JournalPersistence store = JournalPersistence.at(dir, StoreConfig.defaults())) {
            LocalBroker broker = new LocalBroker(config, Clock.system(), store);
            Session session = broker.connect(new ConnectionInfo("delayed", "guest", "127.0.0.1:0", "AMQP 0-9-1",
                    Map.of()), LocalBroker.DEFAULT_VHOST).openSession();
            session.declareExchange(new ExchangeDeclaration("later", "x-delayed-message", false, true, false, false,
                    Map.of("x-delayed-type", "direct"))).toCompletableFuture().join();
            session.declareQueue(new QueueDeclaration("due", false, true, false, false, Map.of()))
                    .toCompletableFuture().join();
            session.bindQueue("due", "later", "k", Map.of()).toCompletableFuture().join();
            Lateness lateness = new Lateness(count);
            session.consume(new ConsumeSpec("due", "late", false, true, false, Map.of()), lateness)
                    .toCompletableFuture().join();

            long start = System.currentTimeMillis();
            publish(session, count, size, start + minMs, start + maxMs);
            double seconds = (System.currentTimeMillis() - start) / 1e3;
            long used = heapAfterGc();
            long pending = broker.exchanges().stream().filter(x -> x.name().equals("later"))
                    .mapToLong(BrokerView.ExchangeSnapshot::messagesDelayed).sum();
            System.out.printf("published %,d x %d B persistent delayed in %.1f s (%,.0f msg/s, confirmed after "
                    + "fsync), %,d pending, %,d delivered already%n", count, size, seconds, count / seconds, pending,
                    lateness.delivered());
            System.out.printf("heap after publish: %,d bytes over the empty broker = %.1f bytes per pending "
                    + "message%n", used - empty, (double) (used - empty) / Math.max(1, pending));
            lateness.done.get();
            System.out.printf("delivered %,d; lateness (delivery - due) ms: p50 %d, p99 %d, p99.9 %d, max %d; "
                    + "last delivery %.1f s after publishing started%n", count, lateness.percentile(0.50),
                    lateness.percentile(0.99), lateness.percentile(0.999), lateness.percentile(1.0),
                    (System.currentTimeMillis() - start) / 1e3);
            broker.shutdown();
        }
    }

    /**
     * Publishes with up to 10 000 unconfirmed at a time; each body holds its number and its due time (ms since the
     * epoch), random between {@code firstDue} and {@code lastDue}.
     */
    private static void publish(Session session, int count, int size, long firstDue, long lastDue)
            throws InterruptedException {
        SplittableRandom random = new SplittableRandom(42);
        ConfirmWindow window = new ConfirmWindow();
        for (long i = 0; i < count; i++) {
            long due = random.nextLong(firstDue, lastDue + 1);
            long now = System.currentTimeMillis();
            byte[] body = new byte[size];
            ByteBuffer.wrap(body).putLong(i).putLong(due);
            MessageProperties properties = new MessageProperties(null, null, Map.of("x-delay", due - now), 2, null,
                    null, null, null, null, null, null, null, null, null);
            window.publish(session, new PublishRequest(new Message("later", "k", properties,
                    body), false));
        }
        window.awaitConfirms();
    }

    /** A no-ack consumer that notes how late each message came. */
    private static final class Lateness implements DeliverySink {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final int[] lateMs;
        private int delivered;

        Lateness(int count) {
            this.lateMs = new int[count];
        }

        @Override
        public synchronized void deliver(Delivery delivery) {
            long due = ByteBuffer.wrap(delivery.message().body()).getLong(8);
            lateMs[delivered++] = (int) (System.currentTimeMillis() - due);
            if (delivered == lateMs.length) {
                done.complete(null);
            }
        }

        synchronized int delivered() {
            return delivered;
        }

        synchronized long percentile(double p) {
            int[] sorted = Arrays.copyOf(lateMs, delivered);
            Arrays.sort(sorted);
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
        }

        @Override
        public void cancelled(String consumerTag, String reason) {
            done.completeExceptionally(new IllegalStateException("cancelled: " + reason));
        }

        @Override
        public boolean hasCredit() {
            return true;
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
