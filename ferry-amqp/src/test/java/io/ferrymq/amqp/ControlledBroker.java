package io.ferrymq.amqp;

import io.ferrymq.core.AlarmListener;
import io.ferrymq.core.Broker;
import io.ferrymq.core.BrokerConnection;
import io.ferrymq.core.ConnectionInfo;
import io.ferrymq.core.ConsumeSpec;
import io.ferrymq.core.DeliverySink;
import io.ferrymq.core.ExchangeDeclaration;
import io.ferrymq.core.GetResult;
import io.ferrymq.core.PublishOutcome;
import io.ferrymq.core.PublishRequest;
import io.ferrymq.core.QueueDeclaration;
import io.ferrymq.core.QueueDeclareResult;
import io.ferrymq.core.Session;
import io.ferrymq.core.SettleOp;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real broker seen through a test's hands: queue declarations and publishes can be held back
 * (their stages complete only when the test opens the gate, as a disk write would), and alarm
 * listeners are captured so the test can raise alarms.
 */
final class ControlledBroker implements Broker {
    private final Broker delegate;
    final List<AlarmListener> alarmListeners = new CopyOnWriteArrayList<>();
    /** While not null, queue declarations and publishes complete only once it completes. */
    volatile CompletableFuture<Void> gate;

    ControlledBroker(Broker delegate) {
        this.delegate = delegate;
    }

    private <T> CompletionStage<T> gated(CompletionStage<T> stage) {
        CompletableFuture<Void> current = gate;
        return current == null ? stage : current.thenCompose(ignored -> stage);
    }

    @Override
    public void authenticate(String username, String password, boolean fromLoopback) {
        delegate.authenticate(username, password, fromLoopback);
    }

    @Override
    public BrokerConnection connect(ConnectionInfo info, String vhost) {
        BrokerConnection connection = delegate.connect(info, vhost);
        return new BrokerConnection() {
            @Override
            public String vhost() {
                return connection.vhost();
            }

            @Override
            public Session openSession(int number) {
                return new GatedSession(connection.openSession(number));
            }

            @Override
            public void onForcedClose(java.util.function.Consumer<String> listener) {
                connection.onForcedClose(listener);
            }

            @Override
            public void onPublisherFlow(io.ferrymq.core.PublisherFlow flow) {
                connection.onPublisherFlow(flow);
            }

            @Override
            public void close() {
                connection.close();
            }
        };
    }

    @Override
    public void addAlarmListener(AlarmListener listener) {
        alarmListeners.add(listener);
    }

    @Override
    public void removeAlarmListener(AlarmListener listener) {
        alarmListeners.remove(listener);
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }

    private final class GatedSession implements Session {
        private final Session session;

        GatedSession(Session session) {
            this.session = session;
        }

        @Override
        public CompletionStage<Void> declareExchange(ExchangeDeclaration declaration) {
            return session.declareExchange(declaration);
        }

        @Override
        public CompletionStage<Void> deleteExchange(String exchange, boolean ifUnused) {
            return session.deleteExchange(exchange, ifUnused);
        }

        @Override
        public CompletionStage<Void> bindExchange(String destination, String source, String routingKey,
                                                  Map<String, Object> arguments) {
            return session.bindExchange(destination, source, routingKey, arguments);
        }

        @Override
        public CompletionStage<Void> unbindExchange(String destination, String source, String routingKey,
                                                    Map<String, Object> arguments) {
            return session.unbindExchange(destination, source, routingKey, arguments);
        }

        @Override
        public CompletionStage<QueueDeclareResult> declareQueue(QueueDeclaration declaration) {
            return gated(session.declareQueue(declaration));
        }

        @Override
        public CompletionStage<Void> bindQueue(String queue, String exchange, String routingKey,
                                               Map<String, Object> arguments) {
            return session.bindQueue(queue, exchange, routingKey, arguments);
        }

        @Override
        public CompletionStage<Void> unbindQueue(String queue, String exchange, String routingKey,
                                                 Map<String, Object> arguments) {
            return session.unbindQueue(queue, exchange, routingKey, arguments);
        }

        @Override
        public CompletionStage<Integer> purgeQueue(String queue) {
            return session.purgeQueue(queue);
        }

        @Override
        public CompletionStage<Integer> deleteQueue(String queue, boolean ifUnused, boolean ifEmpty) {
            return session.deleteQueue(queue, ifUnused, ifEmpty);
        }

        @Override
        public CompletionStage<PublishOutcome> publish(PublishRequest request) {
            return gated(session.publish(request));
        }

        @Override
        public CompletionStage<String> consume(ConsumeSpec spec, DeliverySink sink) {
            return session.consume(spec, sink);
        }

        @Override
        public CompletionStage<Void> cancel(String consumerTag) {
            return session.cancel(consumerTag);
        }

        @Override
        public CompletionStage<GetResult> get(String queue, boolean noAck) {
            return session.get(queue, noAck);
        }

        @Override
        public CompletionStage<Void> qos(int prefetchCount, boolean global) {
            return session.qos(prefetchCount, global);
        }

        @Override
        public void settle(long deliveryTag, boolean multiple, SettleOp op) {
            session.settle(deliveryTag, multiple, op);
        }

        @Override
        public CompletionStage<Void> recover(boolean requeue) {
            return session.recover(requeue);
        }

        @Override
        public CompletionStage<Void> txSelect() {
            return session.txSelect();
        }

        @Override
        public CompletionStage<Void> txCommit() {
            return session.txCommit();
        }

        @Override
        public CompletionStage<Void> txRollback() {
            return session.txRollback();
        }

        @Override
        public void resume() {
            session.resume();
        }

        @Override
        public void close() {
            session.close();
        }
    }
}
