package io.ferrymq.amqp;

import io.ferrymq.common.Clock;
import io.ferrymq.core.BrokerConfig;
import io.ferrymq.core.LocalBroker;

/** Real brokers for the tests, with the test user of {@link TestPeer}. */
final class Brokers {
    private Brokers() {
    }

    static LocalBroker local() {
        return new LocalBroker(new BrokerConfig(TestPeer.USER, TestPeer.PASSWORD, Long.MAX_VALUE,
                BrokerConfig.DEFAULT_MAX_MESSAGE_SIZE), Clock.system());
    }
}
