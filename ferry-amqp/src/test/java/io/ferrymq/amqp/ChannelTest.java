package io.ferrymq.amqp;

import io.ferrymq.amqp.codec.method.AmqpMethod;
import io.ferrymq.amqp.codec.method.BasicAck;
import io.ferrymq.amqp.codec.method.BasicCancel;
import io.ferrymq.amqp.codec.method.BasicCancelOk;
import io.ferrymq.amqp.codec.method.BasicConsume;
import io.ferrymq.amqp.codec.method.BasicConsumeOk;
import io.ferrymq.amqp.codec.method.BasicDeliver;
import io.ferrymq.amqp.codec.method.BasicGet;
import io.ferrymq.amqp.codec.method.BasicGetEmpty;
import io.ferrymq.amqp.codec.method.BasicGetOk;
import io.ferrymq.amqp.codec.method.BasicPublish;
import io.ferrymq.amqp.codec.method.BasicQos;
import io.ferrymq.amqp.codec.method.BasicQosOk;
import io.ferrymq.amqp.codec.method.BasicReturn;
import io.ferrymq.amqp.codec.method.ChannelClose;
import io.ferrymq.amqp.codec.method.ChannelCloseOk;
import io.ferrymq.amqp.codec.method.ChannelFlow;
import io.ferrymq.amqp.codec.method.ChannelFlowOk;
import io.ferrymq.amqp.codec.method.ChannelOpen;
import io.ferrymq.amqp.codec.method.ConfirmSelect;
import io.ferrymq.amqp.codec.method.ConfirmSelectOk;
import io.ferrymq.amqp.codec.method.ConnectionClose;
import io.ferrymq.amqp.codec.method.ExchangeDeclare;
import io.ferrymq.amqp.codec.method.ExchangeDeclareOk;
import io.ferrymq.amqp.codec.method.QueueBind;
import io.ferrymq.amqp.codec.method.QueueBindOk;
import io.ferrymq.amqp.codec.method.QueueDeclare;
import io.ferrymq.amqp.codec.method.QueueDeclareOk;
import io.ferrymq.amqp.codec.method.QueueDelete;
import io.ferrymq.amqp.codec.method.QueueDeleteOk;
import io.ferrymq.amqp.codec.method.TxCommit;
import io.ferrymq.amqp.codec.method.TxCommitOk;
import io.ferrymq.amqp.codec.method.TxSelect;
import io.ferrymq.amqp.codec.method.TxSelectOk;
import io.ferrymq.core.LocalBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Channel methods end to end through the state machine into a real {@link LocalBroker}. */
class ChannelTest {
    private final LocalBroker broker = Brokers.local();
    private final TestPeer peer = new TestPeer(broker);

    @AfterEach
    void tearDown() {
        peer.close();
        broker.shutdown();
    }

    private void declare(int channel, String queue) {
        peer.send(channel, new QueueDeclare(0, queue, false, false, false, false, false, Map.of()));
        assertThat(peer.expect(QueueDeclareOk.class).queue()).isEqualTo(queue);
    }

    @Test
    void consumeOkComesBeforeDeliveriesOfMessagesAlreadyQueued() {
        peer.open();
        peer.openChannel(1);
        declare(1, "q");
        peer.publish(1, "", "q", false, "one");
        peer.publish(1, "", "q", false, "two");

        peer.send(1, new BasicConsume(0, "q", "c1", false, false, false, false, Map.of()));

        assertThat(peer.expect(BasicConsumeOk.class).consumerTag()).isEqualTo("c1");
        BasicDeliver first = peer.expect(BasicDeliver.class);
        assertThat(first.consumerTag()).isEqualTo("c1");
        assertThat(first.deliveryTag()).isEqualTo(1);
        assertThat(first.routingKey()).isEqualTo("q");
        assertThat(peer.expectContent(first)).isEqualTo("one");
        BasicDeliver second = peer.expect(BasicDeliver.class);
        assertThat(second.deliveryTag()).isEqualTo(2);
        assertThat(peer.expectContent(second)).isEqualTo("two");
    }

    @Test
    void deliveriesFollowPublishesAndAcksSettle() {
        peer.open();
        peer.openChannel(1);
        declare(1, "q");
        peer.send(1, new BasicConsume(0, "q", "", false, false, false, false, Map.of()));
        String tag = peer.expect(BasicConsumeOk.class).consumerTag();
        assertThat(tag).startsWith("amq.ctag-");

        peer.publish(1, "", "q", false, "hello");
        BasicDeliver deliver = peer.expect(BasicDeliver.class);
        assertThat(peer.expectContent(deliver)).isEqualTo("hello");
        peer.send(1, new BasicAck(deliver.deliveryTag(), false));

        peer.send(1, new QueueDelete(0, "q", false, false, false));
        // the consumer is cancelled by the deletion; this client did not ask to be told
        assertThat(peer.expect(QueueDeleteOk.class).messageCount()).isZero();
    }

    @Test
    void emptyBodyCompletesAtTheHeaderAndBodiesMaySpanFrames() {
        peer.open();
        peer.openChannel(1);
        declare(1, "q");
        peer.send(1, new BasicPublish(0, "", "q", false, false));
        peer.sendHeaderFrame(1, 0);
        peer.send(1, new BasicPublish(0, "", "q", false, false));
        peer.sendHeaderFrame(1, 6);
        peer.sendBodyFrame(1, "abc".getBytes());
        peer.sendBodyFrame(1, "def".getBytes());

        peer.send(1, new BasicGet(0, "q", true));
        BasicGetOk empty = peer.expect(BasicGetOk.class);
        assertThat(peer.expectContent(empty)).isEmpty();
        assertThat(empty.messageCount()).isEqualTo(1);
        peer.send(1, new BasicGet(0, "q", true));
        assertThat(peer.expectContent(peer.expect(BasicGetOk.class))).isEqualTo("abcdef");
        peer.send(1, new BasicGet(0, "q", true));
        peer.expect(BasicGetEmpty.class);
    }

    @Test
    void confirmsAreCoalescedIntoOneMultipleAck() {
        peer.open();
        peer.openChannel(1);
        declare(1, "q");
        peer.send(1, new ConfirmSelect(false));
        peer.expect(ConfirmSelectOk.class);

        io.netty.buffer.ByteBuf batch = io.netty.buffer.Unpooled.buffer();
        for (int i = 0; i < 3; i++) {
            io.ferrymq.amqp.codec.FrameEncoder.writeContent(batch, 1, new BasicPublish(0, "", "q", false, false),
                    io.ferrymq.common.message.MessageProperties.EMPTY, new byte[] {(byte) i}, TestPeer.FRAME_MAX);
        }
        peer.write(batch);

        BasicAck ack = peer.expect(BasicAck.class);
        assertThat(ack.deliveryTag()).isEqualTo(3);
        assertThat(ack.multiple()).isTrue();
        peer.expectNothing();
    }

    @Test
    void confirmSelectNowaitHasNoReply() {
        peer.open();
        peer.openChannel(1);
        peer.send(1, new ConfirmSelect(true));
        peer.publish(1, "amq.direct", "nowhere", false, "x");

        BasicAck ack = peer.expect(BasicAck.class);
        assertThat(ack.deliveryTag()).isEqualTo(1);
        assertThat(ack.multiple()).isFalse();
    }

    @Test
    void unroutableMandatoryIsReturnedBeforeItsConfirm() {
        peer.open();
        peer.openChannel(1);
        peer.send(1, new ConfirmSelect(false));
        peer.expect(ConfirmSelectOk.class);
        peer.publish(1, "amq.direct", "nowhere", true, "lost");

        BasicReturn returned = peer.expect(BasicReturn.class);
        assertThat(returned.replyCode()).isEqualTo(312);
        assertThat(returned.replyText()).isEqualTo("NO_ROUTE");
        assertThat(returned.exchange()).isEqualTo("amq.direct");
        assertThat(returned.routingKey()).isEqualTo("nowhere");
        assertThat(peer.expectContent(returned)).isEqualTo("lost");
        assertThat(peer.expect(BasicAck.class).deliveryTag()).isEqualTo(1);
    }

    @Test
    void txAndConfirmDoNotMix() {
        peer.open();
        peer.openChannel(1);
        peer.send(1, new ConfirmSelect(false));
        peer.expect(ConfirmSelectOk.class);
        peer.send(1, new TxSelect());
        ChannelClose close = peer.expect(ChannelClose.class);
        assertThat(close.replyCode()).isEqualTo(406);
        assertThat(close.replyText()).contains("cannot switch from confirm to tx mode");

        peer.openChannel(2);
        peer.send(2, new TxSelect());
        peer.expect(TxSelectOk.class);
        peer.send(2, new ConfirmSelect(false));
        assertThat(peer.expect(ChannelClose.class).replyCode()).isEqualTo(406);
    }

    @Test
    void transactionalMandatoryReturnPrecedesCommitOk() {
        peer.open();
        peer.openChannel(1);
        peer.send(1, new TxSelect());
        peer.expect(TxSelectOk.class);
        peer.publish(1, "amq.direct", "nowhere", true, "tx");
        peer.expectNothing();

        peer.send(1, new TxCommit());
        assertThat(peer.expectContent(peer.expect(BasicReturn.class))).isEqualTo("tx");
        peer.expect(TxCommitOk.class);
    }

    @Test
    void unknownDeliveryTagClosesTheChannelWith406() {
        peer.open();
        peer.openChannel(1);
        peer.send(1, new BasicAck(42, false));

        ChannelClose close = peer.expect(ChannelClose.class);
        assertThat(close.replyCode()).isEqualTo(406);
        assertThat(close.replyText()).startsWith("PRECONDITION_FAILED - ");
        assertThat(close.failingClassId()).isEqualTo(60);
        assertThat(close.failingMethodId()).isEqualTo(80);
    }

    @Test
    void afterChannelCloseOnlyCloseOkCountsThenTheNumberIsFree() {
        peer.open();
        peer.openChannel(1);
        peer.send(1, new QueueDeclare(0, "missing", true, false, false, false, false, Map.of()));
        ChannelClose close = peer.expect(ChannelClose.class);
        assertThat(close.replyCode()).isEqualTo(404);
        assertThat(close.replyText()).startsWith("NOT_FOUND - ").contains("missing");
        assertThat(close.failingClassId()).isEqualTo(50);
        assertThat(close.failingMethodId()).isEqualTo(10);

        peer.send(1, new QueueDeclare(0, "other", false, false, false, false, false, Map.of()));
        peer.publish(1, "", "other", false, "ignored");
        peer.expectNothing();

        peer.send(1, new ChannelCloseOk());
        peer.openChannel(1);
        declare(1, "q");
    }

    @Test
    void clientChannelCloseRequeuesUnacked() {
        peer.open();
        peer.openChannel(1);
        declare(1, "q");
        peer.publish(1, "", "q", false, "m");
        peer.openChannel(2);
        peer.send(2, new BasicGet(0, "q", false));
        peer.expectContent(peer.expect(BasicGetOk.class));

        peer.send(2, new ChannelClose(200, "bye", 0, 0));
        peer.expect(ChannelCloseOk.class);

        peer.send(1, new BasicGet(0, "q", true));
        BasicGetOk again = peer.expect(BasicGetOk.class);
        assertThat(again.redelivered()).isTrue();
        assertThat(peer.expectContent(again)).isEqualTo("m");
    }

    @Test
    void prefetchSizeIsNotImplemented() {
        peer.open();
        peer.openChannel(1);
        peer.send(1, new BasicQos(1024, 10, false));

        assertThat(peer.expect(ConnectionClose.class).replyCode()).isEqualTo(540);
    }

    @Test
    void qosWithCountIsAccepted() {
        peer.open();
        peer.openChannel(1);
        peer.send(1, new BasicQos(0, 10, false));

        peer.expect(BasicQosOk.class);
    }

    @Test
    void flowActiveIsAcknowledgedAndPausingIsRefused() {
        peer.open();
        peer.openChannel(1);
        peer.send(1, new ChannelFlow(true));
        assertThat(peer.expect(ChannelFlowOk.class).active()).isTrue();

        peer.send(1, new ChannelFlow(false));
        ConnectionClose close = peer.expect(ConnectionClose.class);
        assertThat(close.replyCode()).isEqualTo(540);
        assertThat(close.replyText()).isEqualTo("NOT_IMPLEMENTED - active=false");
    }

    @Test
    void nowaitMethodsGetNoReply() {
        peer.open();
        peer.openChannel(1);
        peer.send(1, new ExchangeDeclare(0, "x", "direct", false, false, false, false, true, Map.of()));
        peer.send(1, new QueueDeclare(0, "q", false, false, false, false, true, Map.of()));
        peer.send(1, new QueueBind(0, "q", "x", "k", true, Map.of()));
        peer.expectNothing();

        peer.send(1, new ExchangeDeclare(0, "x", "direct", true, false, false, false, false, Map.of()));
        peer.expect(ExchangeDeclareOk.class);
        peer.send(1, new QueueBind(0, "q", "x", "k2", false, Map.of()));
        peer.expect(QueueBindOk.class);
    }

    @Test
    void consumerCancelledByTheServerIsNotifiedWhenTheClientAsked() {
        peer.open("consumer_cancel_notify");
        peer.openChannel(1);
        declare(1, "q");
        peer.send(1, new BasicConsume(0, "q", "c1", false, true, false, false, Map.of()));
        peer.expect(BasicConsumeOk.class);

        peer.openChannel(2);
        peer.send(2, new QueueDelete(0, "q", false, false, false));

        AmqpMethod first = peer.nextMethod();
        AmqpMethod second = peer.nextMethod();
        assertThat(java.util.List.of(first, second)).anySatisfy(m -> {
            assertThat(m).isInstanceOf(BasicCancel.class);
            assertThat(((BasicCancel) m).consumerTag()).isEqualTo("c1");
        }).anySatisfy(m -> assertThat(m).isInstanceOf(QueueDeleteOk.class));
    }

    @Test
    void cancelOfAnUnknownConsumerIsAnsweredAnyway() {
        peer.open();
        peer.openChannel(1);
        peer.send(1, new BasicCancel("nobody", false));

        assertThat(peer.expect(BasicCancelOk.class).consumerTag()).isEqualTo("nobody");
    }

    @Test
    void cancelOkFollowsDeliveriesAlreadyQueued() {
        peer.open();
        peer.openChannel(1);
        declare(1, "q");
        peer.send(1, new BasicConsume(0, "q", "c1", false, true, false, false, Map.of()));
        peer.expect(BasicConsumeOk.class);
        peer.publish(1, "", "q", false, "a");
        peer.send(1, new BasicCancel("c1", false));

        assertThat(peer.expectContent(peer.expect(BasicDeliver.class))).isEqualTo("a");
        peer.expect(BasicCancelOk.class);
        peer.publish(1, "", "q", false, "b");
        peer.expectNothing();
    }

    @Test
    void socketClosedAbruptlyRequeuesUnacked() {
        peer.open();
        peer.openChannel(1);
        declare(1, "q");
        peer.publish(1, "", "q", false, "keep");
        peer.send(1, new BasicGet(0, "q", false));
        peer.expectContent(peer.expect(BasicGetOk.class));

        peer.server.close();

        try (TestPeer other = new TestPeer(broker)) {
            other.open();
            other.openChannel(1);
            other.send(1, new BasicGet(0, "q", true));
            assertThat(other.expectContent(other.expect(BasicGetOk.class))).isEqualTo("keep");
        }
    }

    @Test
    void channelsAreIndependent() {
        peer.open();
        peer.openChannel(1);
        peer.send(2, new ChannelOpen(""));
        peer.expect(io.ferrymq.amqp.codec.method.ChannelOpenOk.class);
        declare(1, "q");
    }
}
