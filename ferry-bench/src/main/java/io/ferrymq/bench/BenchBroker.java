package io.ferrymq.bench;

import io.ferrymq.common.Clock;
import io.ferrymq.core.BrokerConfig;
import io.ferrymq.core.BrokerConnection;
import io.ferrymq.core.ConnectionInfo;
import io.ferrymq.core.Delivery;
import io.ferrymq.core.DeliverySink;
import io.ferrymq.core.LocalBroker;
import io.ferrymq.core.QueueDeclaration;
import io.ferrymq.core.Session;

import java.util.Map;

/**
 * An in-memory {@link LocalBroker} with one connection to the default virtual host, as the benchmarks of the core
 * use it: everything runs on the benchmark thread (the core's publish path is synchronous for transient
 * messages), and deliveries end in a {@link LastTagSink} instead of a socket.
 */
final class BenchBroker implements AutoCloseable {
    private final LocalBroker broker;
    private final BrokerConnection connection;

    BenchBroker() {
        BrokerConfig defaults = BrokerConfig.defaults();
        // no memory alarm: a benchmark never keeps messages, and an alarm would only add noise
        broker = new LocalBroker(new BrokerConfig(defaults.defaultUser(), defaults.defaultPassword(), Long.MAX_VALUE,
                defaults.maxMessageSizeBytes()), Clock.system());
        connection = broker.connect(new ConnectionInfo("bench", defaults.defaultUser(), "127.0.0.1:0", "AMQP 0-9-1",
                Map.of()), LocalBroker.DEFAULT_VHOST);
    }

    /** The broker itself, for settings the benchmarks vary (message trace). */
    LocalBroker broker() {
        return broker;
    }

    Session openSession() {
        return connection.openSession();
    }

    /** A transient, non-exclusive queue without arguments. */
    static QueueDeclaration transientQueue(String name) {
        return new QueueDeclaration(name, false, false, false, false, Map.of());
    }

    @Override
    public void close() {
        connection.close();
        broker.shutdown();
    }

    /**
     * Takes every delivery and remembers the last tag, so that a benchmark can settle it: the cheapest transport
     * there is, which leaves the core's own cost.
     */
    static final class LastTagSink implements DeliverySink {
        long lastTag;
        long deliveries;

        @Override
        public void deliver(Delivery delivery) {
            lastTag = delivery.deliveryTag();
            deliveries++;
        }

        @Override
        public void cancelled(String consumerTag, String reason) {
            // the benchmark's consumers end with the broker
        }

        @Override
        public boolean hasCredit() {
            return true;
        }
    }
}
