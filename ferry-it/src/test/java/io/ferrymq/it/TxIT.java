package io.ferrymq.it;

import static io.ferrymq.it.Amqp.drain;
import static io.ferrymq.it.Amqp.publishConfirmed;
import static io.ferrymq.it.Amqp.str;
import static io.ferrymq.it.Amqp.unique;
import static io.ferrymq.it.Amqp.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.ferrymq.testkit.FerryBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** tx.select / commit / rollback, and its exclusion with confirm mode. */
class TxIT {

    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension();

    Connection conn;
    Channel tx;
    Channel observer;
    String q;

    @BeforeEach
    void open() throws Exception {
        conn = Amqp.connect(broker);
        tx = conn.createChannel();
        observer = conn.createChannel();
        q = unique("tx-q");
        observer.queueDeclare(q, false, false, false, null);
    }

    @AfterEach
    void close() throws Exception {
        try (Connection c = Amqp.connect(broker); Channel cc = c.createChannel()) {
            cc.queueDelete(q);
        } finally {
            Amqp.closeQuietly(conn);
        }
    }

    @Test
    void publishesAreInvisibleUntilCommit() throws Exception {
        tx.txSelect();
        tx.basicPublish("", q, null, utf8("t1"));
        tx.basicPublish("", q, null, utf8("t2"));
        tx.basicPublish("", q, null, utf8("t3"));
        tx.queueDeclarePassive(q); // round trip on the tx channel: the publishes have arrived
        assertThat(observer.queueDeclarePassive(q).getMessageCount()).isZero();
        assertThat(observer.basicGet(q, true)).isNull();
        tx.txCommit();
        assertThat(observer.queueDeclarePassive(q).getMessageCount()).isEqualTo(3);
        assertThat(drain(observer, q)).containsExactly("t1", "t2", "t3");
    }

    @Test
    void rollbackDiscardsPublishes() throws Exception {
        tx.txSelect();
        tx.basicPublish("", q, null, utf8("discard-me"));
        tx.txRollback();
        assertThat(observer.queueDeclarePassive(q).getMessageCount()).isZero();
        // the channel stays transactional and usable
        tx.basicPublish("", q, null, utf8("keep-me"));
        tx.txCommit();
        assertThat(drain(observer, q)).containsExactly("keep-me");
    }

    @Test
    void closingTheChannelDiscardsUncommittedPublishes() throws Exception {
        tx.txSelect();
        tx.basicPublish("", q, null, utf8("uncommitted"));
        tx.close();
        assertThat(observer.queueDeclarePassive(q).getMessageCount()).isZero();
    }

    @Test
    void acksTakeEffectAtCommit() throws Exception {
        publishConfirmed(conn, "", q, "a1", "a2");
        tx.txSelect();
        GetResponse r1 = tx.basicGet(q, false);
        GetResponse r2 = tx.basicGet(q, false);
        assertThat(str(r1.getBody())).isEqualTo("a1");
        tx.basicAck(r1.getEnvelope().getDeliveryTag(), false);
        tx.txCommit(); // a1 acked for good
        tx.basicAck(r2.getEnvelope().getDeliveryTag(), false);
        tx.txRollback(); // the ack of a2 is discarded: a2 is still unacked
        tx.close(); // ... and comes back
        GetResponse back = observer.basicGet(q, true);
        assertThat(back).isNotNull();
        assertThat(str(back.getBody())).isEqualTo("a2");
        assertThat(back.getEnvelope().isRedeliver()).isTrue();
        assertThat(observer.basicGet(q, true)).isNull();
    }

    @Test
    void commitWithoutSelectIs406() throws Exception {
        AMQP.Channel.Close close = Amqp.expectChannelClose(tx, AMQP.PRECONDITION_FAILED, () -> tx.txCommit());
        Amqp.assertCausedBy(close, 90, 20);
    }

    @Test
    void rollbackWithoutSelectIs406() throws Exception {
        Amqp.expectChannelClose(tx, AMQP.PRECONDITION_FAILED, () -> tx.txRollback());
    }

    @Test
    void confirmSelectAfterTxSelectIs406() throws Exception {
        tx.txSelect();
        AMQP.Channel.Close close = Amqp.expectChannelClose(tx, AMQP.PRECONDITION_FAILED, () -> tx.confirmSelect());
        Amqp.assertCausedBy(close, 85, 10);
    }

    @Test
    void txSelectAfterConfirmSelectIs406() throws Exception {
        tx.confirmSelect();
        AMQP.Channel.Close close = Amqp.expectChannelClose(tx, AMQP.PRECONDITION_FAILED, () -> tx.txSelect());
        Amqp.assertCausedBy(close, 90, 10);
    }

    @Test
    void transactionSpansSeveralQueues() throws Exception {
        String q2 = observer.queueDeclare().getQueue();
        tx.txSelect();
        tx.basicPublish("", q, null, utf8("to-q1"));
        tx.basicPublish("", q2, null, utf8("to-q2"));
        tx.queueDeclarePassive(q);
        assertThat(observer.queueDeclarePassive(q).getMessageCount()).isZero();
        assertThat(observer.queueDeclarePassive(q2).getMessageCount()).isZero();
        tx.txCommit();
        assertThat(drain(observer, q)).containsExactly("to-q1");
        assertThat(drain(observer, q2)).containsExactly("to-q2");
    }
}
