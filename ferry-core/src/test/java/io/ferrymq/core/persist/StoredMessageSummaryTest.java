package io.ferrymq.core.persist;

import io.ferrymq.common.message.LongString;
import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.Message;
import io.ferrymq.core.queue.StoredMessage;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Recovery reads what ordering needs (priority, group) from a stored message without decoding its body. */
class StoredMessageSummaryTest {

    private static StoredMessage summary(MessageProperties properties) {
        return BrokerRecords.readMessageSummary(ByteBuffer.wrap(BrokerRecords.message(
                new Message("x", "k", properties, new byte[]{1, 2, 3}))));
    }

    @Test
    void priorityExpirationAndGroupComeBack() {
        MessageProperties properties = new MessageProperties("text/plain", null,
                Map.of("x-group-id", LongString.of("order-7"), "other", 1), 2, 4, "c", null, "500", null, null,
                null, null, null, null);
        assertThat(summary(properties)).isEqualTo(new StoredMessage(3, "500", 4, "order-7"));
    }

    @Test
    void absentPropertiesAreNull() {
        assertThat(summary(MessageProperties.EMPTY)).isEqualTo(new StoredMessage(3, null, null, null));
    }
}
