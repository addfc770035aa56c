package io.ferrymq.bench;

import io.ferrymq.common.Clock;
import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.BrokerConfig;
import io.ferrymq.core.ConnectionInfo;
import io.ferrymq.core.ConsumeSpec;
import io.ferrymq.core.Delivery;
import io.ferrymq.core.DeliverySink;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Heap bytes per queued persistent message, and restart time, measured in-process on a real store (no network):
 * publishes {@code count} persistent messages of {@code size} bytes to one durable queue, measures the heap after
 * a full GC, restarts the broker on the same store (timing the recovery), measures again, then drains the queue
 * checking the order.
 *
 * <p>{@code java -Xmx512m -cp ferry-bench/target/benchmarks.jar io.ferrymq.bench.QueueFootprint 1000000 1024 DIR}
 * (add {@code --restart-only} to skip publishing and measure the restart and drain of what DIR holds)
 */
public final class QueueFootprint {
    private static final MessageProperties PERSISTENT = new MessageProperties(null, null, null, 2, null, null, null,
            null, null, null, null, null, null, null);

    private QueueFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        int size = Integer.parseInt(args[1]);
        Path dir = Files.createDirectories(Path.of(args[2]));
        boolean restartOnly = args.length > 3 && args[3].equals("--restart-only");
        long empty = heapAfterGc();
        // each phase in its own frame, so that the first broker is garbage before the second one starts
        if (!restartOnly) {
            publishPhase(count, size, dir, empty);
        }
        restartPhase(dir, empty);
    }

    private static BrokerConfig config() {
        BrokerConfig defaults = BrokerConfig.defaults();
        return new BrokerConfig(defaults.defaultUser(), defaults.defaultPassword(), Long.MAX_VALUE,
                defaults.maxMessageSizeBytes());
    }

    private static void publishPhase(int count, int size, Path dir, long empty) throws Exception {
        long start = System.nanoTime();
        try (JournalPersistence store = JournalPersistence.at(dir, StoreConfig.defaults())) {
            LocalBroker broker = new LocalBroker(config(), Clock.system(), store);
            Session session = session(broker);
            session.declareQueue(new QueueDeclaration("backlog", false, true, false, false, Map.of()))
                    .toCompletableFuture().join();
            publish(session, count, size);
            double seconds = (System.nanoTime() - start) / 1e9;
            long used = heapAfterGc();
            System.out.printf("published %,d x %d B persistent in %.1f s (%,.0f msg/s, confirmed after fsync)%n",
                    count, size, seconds, count / seconds);
            System.out.printf("heap after publish: %,d bytes over the empty broker = %.1f bytes per message%n",
                    used - empty, (double) (used - empty) / count);
            broker.shutdown();
        }
    }

    private static void restartPhase(Path dir, long empty) throws Exception {
        int count;
        long start = System.nanoTime();
        try (JournalPersistence store = JournalPersistence.at(dir, StoreConfig.defaults())) {
            LocalBroker broker = new LocalBroker(config(), Clock.system(), store);
            double recovery = (System.nanoTime() - start) / 1e9;
            long used = heapAfterGc();
            // a drain cut short before leaves fewer
            count = broker.queues().get(0).messagesReady();
            System.out.printf("restart with %,d messages queued: %.1f s%n", count, recovery);
            System.out.printf("heap after restart: %,d bytes over the empty broker = %.1f bytes per message%n",
                    used - empty, (double) (used - empty) / count);
            Session session = session(broker);
            start = System.nanoTime();
            OrderCheck check = new OrderCheck(count);
            session.consume(new ConsumeSpec("backlog", "drain", false, true, false, Map.of()), check)
                    .toCompletableFuture().join();
            long drained = check.done.get();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (drained != count) {
                throw new IllegalStateException("drained " + drained + " of " + count);
            }
            System.out.printf("drained %,d in order in %.1f s (%,.0f msg/s, one no-ack consumer)%n", drained,
                    seconds, drained / seconds);
            broker.shutdown();
        }
    }

    /** A no-ack consumer that checks each body's number against the next expected one. */
    private static final class OrderCheck implements DeliverySink {
        final CompletableFuture<Long> done = new CompletableFuture<>();
        private final long count;
        private long expected = -1;
        private long delivered;

        OrderCheck(long count) {
            this.count = count;
        }

        @Override
        public void deliver(Delivery delivery) {
            long seen = ByteBuffer.wrap(delivery.message().body()).getLong();
            if (expected < 0) {
                expected = seen;
            }
            if (seen != expected++) {
                done.completeExceptionally(new IllegalStateException("message " + seen + " where " + (expected - 1)
                        + " was expected"));
            }
            if (++delivered == count) {
                done.complete(delivered);
            }
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

    private static Session session(LocalBroker broker) {
        return broker.connect(new ConnectionInfo("footprint", "guest", "127.0.0.1:0", "AMQP 0-9-1", Map.of()),
                LocalBroker.DEFAULT_VHOST).openSession();
    }

    /** Publishes with up to 10 000 unconfirmed at a time, as a pipelining publisher with confirms would. */
    private static void publish(Session session, int count, int size) throws InterruptedException {
        ConfirmWindow window = new ConfirmWindow();
        for (long i = 0; i < count; i++) {
            byte[] body = new byte[size];
            ByteBuffer.wrap(body).putLong(i);
            window.publish(session, new PublishRequest(new Message("", "backlog", PERSISTENT,
                    body), false));
        }
        window.awaitConfirms();
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
