package io.ferrymq.core;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.ferrymq.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class BasicPathTest {
    private final ManualClock clock = new ManualClock();
    private final LocalBroker broker = broker(clock);

    @Test
    void declarePublishConsumeAck() {
        Session session = connect(broker, "c1").openSession();
        String queue = declareQueue(session, "orders");
        assertThat(publish(session, "", queue, "one")).isEqualTo(PublishOutcome.ROUTED);
        assertThat(publish(session, "", "nowhere", "lost")).isEqualTo(PublishOutcome.UNROUTED);
        RecordingSink sink = new RecordingSink();
        String tag = consume(session, queue, sink);
        assertThat(tag).startsWith("amq.ctag-");
        assertThat(sink.bodies()).containsExactly("one");
        Delivery first = sink.last();
        assertThat(first.deliveryTag()).isEqualTo(1);
        assertThat(first.redelivered()).isFalse();
        publish(session, "", queue, "two");
        assertThat(sink.bodies()).containsExactly("one", "two");
        assertThat(broker.queues()).singleElement().satisfies(q -> assertThat(q.messagesUnacknowledged()).isEqualTo(2));
        session.settle(2, true, SettleOp.ACK);
        assertThat(broker.queues()).singleElement().satisfies(q -> assertThat(q.messagesUnacknowledged()).isZero());
        assertThat(broker.stats().acked()).isEqualTo(2);
        assertThat(broker.memoryUsedBytes()).isZero();
    }

    @Test
    void getReturnsMessagesAndCounts() {
        Session session = connect(broker, "c1").openSession();
        declareQueue(session, "q");
        publish(session, "", "q", "a");
        publish(session, "", "q", "b");
        GetResult got = join(session.get("q", false));
        assertThat(new String(got.delivery().message().body())).isEqualTo("a");
        assertThat(got.delivery().consumerTag()).isNull();
        assertThat(got.messageCount()).isEqualTo(1);
        session.settle(got.delivery().deliveryTag(), false, SettleOp.ACK);
        GetResult second = join(session.get("", true));
        assertThat(second.delivery().deliveryTag()).isEqualTo(2);
        assertThat(second.messageCount()).isZero();
        assertThat(join(session.get("q", false)).isEmpty()).isTrue();
        assertThat(join(session.declareQueue(new QueueDeclaration("q", true, false, false, false, Map.of())))
                .messageCount()).isZero();
    }
}
