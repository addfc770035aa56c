package io.ferrymq.amqp;

import io.ferrymq.amqp.codec.FrameEncoder;
import io.ferrymq.amqp.codec.method.BasicAck;
import io.ferrymq.amqp.codec.method.BasicGet;
import io.ferrymq.amqp.codec.method.BasicGetOk;
import io.ferrymq.amqp.codec.method.BasicPublish;
import io.ferrymq.amqp.codec.method.ConfirmSelect;
import io.ferrymq.amqp.codec.method.ConfirmSelectOk;
import io.ferrymq.amqp.codec.method.ConnectionBlocked;
import io.ferrymq.amqp.codec.method.ConnectionUnblocked;
import io.ferrymq.amqp.codec.method.QueueDeclare;
import io.ferrymq.amqp.codec.method.QueueDeclareOk;
import io.ferrymq.common.message.MessageProperties;
import io.ferrymq.core.AlarmListener;
import io.ferrymq.core.LocalBroker;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stages that complete after the call returns (as disk writes will), and alarms raised from
 * outside: replies keep their order, confirms still coalesce, reading pauses and resumes.
 */
class AsyncStageTest {
    private final LocalBroker local = Brokers.local();
    private final ControlledBroker broker = new ControlledBroker(local);
    private final TestPeer peer = new TestPeer(broker);

    @AfterEach
    void tearDown() {
        peer.close();
        local.shutdown();
    }

    @Test
    void framesAfterAPendingStageWaitForIt() {
        peer.open();
        peer.openChannel(1);
        CompletableFuture<Void> gate = new CompletableFuture<>();
        broker.gate = gate;
        peer.send(1, new QueueDeclare(0, "q", false, false, false, false, false, Map.of()));
        broker.gate = null;
        peer.publish(1, "", "q", false, "after-declare");
        peer.send(1, new BasicGet(0, "q", true));
        peer.expectNothing();

        gate.complete(null);

        assertThat(peer.expect(QueueDeclareOk.class).queue()).isEqualTo("q");
        assertThat(peer.expectContent(peer.expect(BasicGetOk.class))).isEqualTo("after-declare");
    }

    @Test
    void otherChannelsGoOnWhileOneWaits() {
        peer.open();
        peer.openChannel(1);
        peer.openChannel(2);
        CompletableFuture<Void> gate = new CompletableFuture<>();
        broker.gate = gate;
        peer.send(1, new QueueDeclare(0, "slow", false, false, false, false, false, Map.of()));
        broker.gate = null;

        peer.send(2, new QueueDeclare(0, "fast", false, false, false, false, false, Map.of()));
        assertThat(peer.expect(QueueDeclareOk.class).queue()).isEqualTo("fast");

        gate.complete(null);
        assertThat(peer.expect(QueueDeclareOk.class).queue()).isEqualTo("slow");
    }

    @Test
    void lateConfirmsAreCoalesced() {
        peer.open();
        peer.openChannel(1);
        peer.send(1, new ConfirmSelect(false));
        peer.expect(ConfirmSelectOk.class);
        CompletableFuture<Void> gate = new CompletableFuture<>();
        broker.gate = gate;
        ByteBuf batch = Unpooled.buffer();
        for (int i = 0; i < 5; i++) {
            FrameEncoder.writeContent(batch, 1, new BasicPublish(0, "amq.direct", "k", false, false),
                    MessageProperties.EMPTY, new byte[] {1}, TestPeer.FRAME_MAX);
        }
        peer.write(batch);
        peer.expectNothing();

        gate.complete(null);

        BasicAck ack = peer.expect(BasicAck.class);
        assertThat(ack.deliveryTag()).isEqualTo(5);
        assertThat(ack.multiple()).isTrue();
        peer.expectNothing();
    }

    @Test
    void alarmBlocksPublishersAndTellsClientsThatAsked() {
        peer.open("connection.blocked");
        peer.openChannel(1);
        AlarmListener alarms = broker.alarmListeners.get(0);

        alarms.blocked("memory high watermark reached");
        assertThat(peer.expect(ConnectionBlocked.class).reason()).isEqualTo("memory high watermark reached");
        assertThat(peer.server.config().isAutoRead()).isTrue();

        peer.publish(1, "amq.direct", "k", false, "x");
        assertThat(peer.server.config().isAutoRead()).isFalse();

        alarms.unblocked();
        peer.expect(ConnectionUnblocked.class);
        assertThat(peer.server.config().isAutoRead()).isTrue();
    }

    @Test
    void clientsWithoutTheCapabilityAreBlockedSilently() {
        peer.open();
        peer.openChannel(1);
        AlarmListener alarms = broker.alarmListeners.get(0);

        alarms.blocked("memory");
        peer.expectNothing();
        peer.publish(1, "amq.direct", "k", false, "x");
        assertThat(peer.server.config().isAutoRead()).isFalse();

        alarms.unblocked();
        peer.expectNothing();
        assertThat(peer.server.config().isAutoRead()).isTrue();
    }

    @Test
    void closingRemovesTheAlarmListener() {
        peer.open();
        assertThat(broker.alarmListeners).hasSize(1);

        peer.server.close();

        assertThat(broker.alarmListeners).isEmpty();
    }
}
