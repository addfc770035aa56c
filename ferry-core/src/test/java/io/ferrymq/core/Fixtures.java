package io.ferrymq.core;

import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.persist.Persistence;
import io.ferrymq.core.timer.ClockScheduler;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Small helpers for driving the core in tests. */
final class Fixtures {
    private Fixtures() {
    }

    /** A broker on a fake clock; its timers run only when a test runs them (none of these tests does). */
    static LocalBroker broker(ManualClock clock) {
        return new LocalBroker(new BrokerConfig("guest", "guest", 1L << 40, 1024 * 1024), clock, Persistence.NONE,
                ClockScheduler.manual(clock));
    }

    static BrokerConnection connect(LocalBroker broker, String id) {
        return broker.connect(new ConnectionInfo(id, "guest", "127.0.0.1", "AMQP 0-9-1", Map.of()), "/");
    }

    static Message message(String exchange, String routingKey, String body) {
        return new Message(exchange, routingKey, MessageProperties.EMPTY, body.getBytes(StandardCharsets.UTF_8));
    }

    static Message message(String exchange, String routingKey, Map<String, Object> headers) {
        return new Message(exchange, routingKey, MessageProperties.EMPTY.withHeaders(headers), new byte[0]);
    }

    static PublishOutcome publish(Session session, String exchange, String routingKey, String body) {
        return join(session.publish(new PublishRequest(message(exchange, routingKey, body), false)));
    }

    static String declareQueue(Session session, String name) {
        return join(session.declareQueue(new QueueDeclaration(name, false, false, false, false, Map.of()))).queue();
    }

    static String consume(Session session, String queue, RecordingSink sink) {
        return join(session.consume(new ConsumeSpec(queue, "", false, false, false, Map.of()), sink));
    }

    static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof BrokerException be) {
                throw be;
            }
            throw e;
        }
    }

    /** Runs the action, expects a BrokerException with the condition, and returns its text. */
    static String failure(Condition condition, Runnable action) {
        Throwable thrown = catchThrowable(action::run);
        assertThat(thrown).isInstanceOf(BrokerException.class);
        assertThat(((BrokerException) thrown).condition()).as(thrown.getMessage()).isEqualTo(condition);
        return thrown.getMessage();
    }
}
