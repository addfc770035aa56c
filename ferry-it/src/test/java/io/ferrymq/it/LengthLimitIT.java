package io.ferrymq.it;

import static io.ferrymq.it.Amqp.TIMEOUT;
import static io.ferrymq.it.Amqp.unique;
import static io.ferrymq.it.Amqp.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import java.util.Map;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.Test;

/** x-max-length, x-max-length-bytes and x-overflow (dead-lettering on overflow is in DeadLetterIT). */
class LengthLimitIT extends WithChannel {

    @Test
    void dropHeadKeepsTheNewestMessages() throws Exception {
        String q = unique("len");
        ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 3));
        Amqp.publishConfirmed(conn, "", q, "1", "2", "3", "4", "5");
        assertThat(Amqp.drain(ch, q)).containsExactly("3", "4", "5");
    }

    @Test
    void theByteLimitCountsBodyBytes() throws Exception {
        String q = unique("bytes");
        ch.queueDeclare(q, false, false, false, Map.of("x-max-length-bytes", 10));
        Amqp.publishConfirmed(conn, "", q, "aaaa", "bbbb", "cccc");
        assertThat(Amqp.drain(ch, q)).containsExactly("bbbb", "cccc");
    }

    @Test
    void rejectPublishNacksWhatDoesNotFitAndAcksTheRest() throws Exception {
        String q = unique("reject");
        ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 2, "x-overflow", "reject-publish"));
        SortedSet<Long> unconfirmed = new ConcurrentSkipListSet<>(java.util.List.of(1L, 2L, 3L, 4L));
        SortedSet<Long> acked = new ConcurrentSkipListSet<>();
        SortedSet<Long> nacked = new ConcurrentSkipListSet<>();
        try (Channel confirms = conn.createChannel()) {
            confirms.confirmSelect();
            confirms.addConfirmListener((tag, multiple) -> record(unconfirmed, acked, tag, multiple),
                    (tag, multiple) -> record(unconfirmed, nacked, tag, multiple));
            for (int i = 1; i <= 4; i++) {
                confirms.basicPublish("", q, null, utf8("m" + i));
            }
            confirms.waitForConfirms(TIMEOUT.toMillis());
        }
        assertThat(acked).containsExactly(1L, 2L);
        assertThat(nacked).containsExactly(3L, 4L);
        // consuming makes room again
        assertThat(Amqp.drain(ch, q)).containsExactly("m1", "m2");
        Amqp.publishConfirmed(conn, "", q, "m5");
        assertThat(Amqp.drain(ch, q)).containsExactly("m5");
    }

    /** A confirm settles its tag, or with multiple every tag up to it not settled yet. */
    private static void record(SortedSet<Long> unconfirmed, SortedSet<Long> into, long tag, boolean multiple) {
        SortedSet<Long> settled = multiple ? unconfirmed.headSet(tag + 1) : unconfirmed.subSet(tag, tag + 1);
        into.addAll(settled);
        settled.clear();
    }
}
