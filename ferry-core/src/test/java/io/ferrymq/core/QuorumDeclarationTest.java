package io.ferrymq.core;

import io.ferrymq.common.message.LongString;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.ferrymq.core.Fixtures.broker;
import static io.ferrymq.core.Fixtures.connect;
import static io.ferrymq.core.Fixtures.failure;
import static io.ferrymq.core.Fixtures.join;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code x-queue-type: quorum} on one node: RabbitMQ's rules for the type, and its place in equivalence. */
class QuorumDeclarationTest {
    private static final Map<String, Object> QUORUM = Map.of("x-queue-type", "quorum");

    private final LocalBroker broker = broker(new ManualClock());
    private final Session session = connect(broker, "c1").openSession();

    private QueueDeclareResult declare(String name, boolean durable, boolean exclusive, boolean autoDelete,
                                       Map<String, Object> args) {
        return join(session.declareQueue(new QueueDeclaration(name, false, durable, exclusive, autoDelete, args)));
    }

    @Test
    void aDurableQuorumQueueIsAcceptedAndReportedAsQuorum() {
        declare("orders", true, false, false, QUORUM);
        declare("orders", true, false, false, Map.of("x-queue-type", LongString.of("quorum")));
        assertThat(broker.queues()).extracting(BrokerView.QueueSnapshot::type).containsExactly("quorum");
    }

    @Test
    void aQuorumQueueIsNeverTransientExclusiveOrAutoDeleteWithRabbitMqsTexts() {
        assertThat(failure(Condition.PRECONDITION_FAILED, () -> declare("q", false, false, false, QUORUM)))
                .startsWith("invalid property 'non-durable' for queue 'q' in vhost '/'");
        assertThat(failure(Condition.PRECONDITION_FAILED, () -> declare("q", true, true, false, QUORUM)))
                .startsWith("invalid property 'exclusive-owner' for queue 'q' in vhost '/'");
        assertThat(failure(Condition.PRECONDITION_FAILED, () -> declare("q", true, false, true, QUORUM)))
                .startsWith("invalid property 'auto-delete' for queue 'q' in vhost '/'");
        assertThat(failure(Condition.PRECONDITION_FAILED, () -> declare("q", false, true, true, QUORUM)))
                .as("checked in RabbitMQ's order").startsWith("invalid property 'auto-delete'");
        assertThat(broker.queues()).isEmpty();
    }

    @Test
    void theQueueTypeTakesPartInEquivalence() {
        declare("work", true, false, false, QUORUM);
        assertThat(failure(Condition.PRECONDITION_FAILED, () -> declare("work", true, false, false, Map.of())))
                .startsWith("inequivalent arg 'x-queue-type' for queue 'work' in vhost '/': "
                        + "received 'classic' but current is 'quorum'");
        declare("plain", true, false, false, Map.of());
        assertThat(failure(Condition.PRECONDITION_FAILED, () -> declare("plain", true, false, false, QUORUM)))
                .startsWith("inequivalent arg 'x-queue-type' for queue 'plain' in vhost '/': "
                        + "received 'quorum' but current is 'classic'");
    }

    @Test
    void streamsAreRefusedSayingSo() {
        assertThat(failure(Condition.PRECONDITION_FAILED,
                () -> declare("events", true, false, false, Map.of("x-queue-type", "stream"))))
                .isEqualTo("queue 'events' in vhost '/' is declared with x-queue-type 'stream', but FerryMQ has no "
                        + "streams: declare it as 'quorum' or 'classic'");
    }
}
