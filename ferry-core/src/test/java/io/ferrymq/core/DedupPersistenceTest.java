package io.ferrymq.core;

import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.persist.JournalPersistence;
import io.ferrymq.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.ferrymq.core.Fixtures.connect;
import static io.ferrymq.core.Fixtures.join;
import static org.assertj.core.api.Assertions.assertThat;

/** The deduplication window through a real journal: kept across a restart with its keys' ages (G4). */
class DedupPersistenceTest {
    private static final BrokerConfig CONFIG = new BrokerConfig("guest", "guest", 1L << 40, 1024 * 1024);
    private static final StoreConfig STORE = StoreConfig.defaults().withSegmentBytes(1 << 20);
    private static final Map<String, Object> WINDOW = Map.of("x-message-deduplication", true,
            "x-cache-size", 3, "x-cache-ttl", 60_000);

    private final ManualClock clock = new ManualClock();

    @Test
    void keysSurviveARestartAndStillExpireByTheirOriginalAge(@TempDir Path dir) {
        try (JournalPersistence store = JournalPersistence.at(dir, STORE)) {
            LocalBroker broker = new LocalBroker(CONFIG, clock, store);
            Session session = connect(broker, "c").openSession();
            join(session.declareQueue(new QueueDeclaration("q", false, true, false, false, WINDOW)));
            publish(session, "old", 2);
            clock.advance(30_000);
            publish(session, "young", 2);
            publish(session, "transient", 1);
            GetResult consumed = join(session.get("q", false));
            session.settle(consumed.delivery().deliveryTag(), false, SettleOp.ACK);
            join(session.qos(1, false));
            broker.shutdown();
        }

        try (JournalPersistence store = JournalPersistence.at(dir, STORE)) {
            Session session = connect(new LocalBroker(CONFIG, clock, store), "c").openSession();
            for (String key : new String[]{"old", "young", "transient"}) {
                assertThat(join(session.publish(request(key, 2)))).isEqualTo(PublishOutcome.ROUTED);
            }
            assertThat(join(session.declareQueue(new QueueDeclaration("q", true, true, false, false, WINDOW)))
                    .messageCount()).as("only the unconsumed 'young' and 'transient' came back: none taken again")
                    .isEqualTo(1);
            clock.advance(30_000); // "old" is 60 s old now, "young" 30 s
            publish(session, "old", 2);
            publish(session, "young", 2);
            assertThat(join(session.declareQueue(new QueueDeclaration("q", true, true, false, false, WINDOW)))
                    .messageCount()).isEqualTo(2);
        }
    }

    private static void publish(Session session, String key, int deliveryMode) {
        join(session.publish(request(key, deliveryMode)));
    }

    private static PublishRequest request(String key, int deliveryMode) {
        MessageProperties props = new MessageProperties(null, null, null, deliveryMode, null, null, null, null, key,
                null, null, null, null, null);
        return new PublishRequest(new Message("", "q", props, key.getBytes()), false);
    }
}
