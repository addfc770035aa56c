package io.ferrymq.amqp;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import io.ferrymq.amqp.codec.FrameEncoder;
import io.ferrymq.core.LocalBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The listener on a real socket, driven by RabbitMQ's Java client and by raw bytes. */
class AmqpServerTest {
    private final LocalBroker broker = Brokers.local();
    private AmqpServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() {
        server = new AmqpServer(broker, config(0));
        address = server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        broker.shutdown();
    }

    /** Loopback, a free port, the given number of I/O threads (0 for the default). */
    private static AmqpServerConfig config(int ioThreads) {
        return new AmqpServerConfig("127.0.0.1", 0, 2047, 131072, 60, 10_000, "test", "ferrymq@test-node", ioThreads);
    }

    private ConnectionFactory factory() {
        return factory(address);
    }

    private static ConnectionFactory factory(InetSocketAddress address) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(address.getPort());
        factory.setUsername(TestPeer.USER);
        factory.setPassword(TestPeer.PASSWORD);
        factory.setAutomaticRecoveryEnabled(false);
        return factory;
    }

    @Test
    void javaClientPublishesWithConfirmsAndConsumes() throws Exception {
        try (Connection connection = factory().newConnection(); Channel channel = connection.createChannel()) {
            assertThat(connection.getServerProperties().get("product").toString()).isEqualTo("FerryMQ");
            assertThat(connection.getServerProperties().get("cluster_name").toString())
                    .isEqualTo("ferrymq@test-node");
            channel.queueDeclare("q", false, false, false, null);
            channel.confirmSelect();
            int count = 500;
            for (int i = 0; i < count; i++) {
                channel.basicPublish("", "q", null, ("m" + i).getBytes());
            }
            channel.waitForConfirmsOrDie(10_000);

            List<String> received = new CopyOnWriteArrayList<>();
            CountDownLatch all = new CountDownLatch(count);
            channel.basicQos(50);
            DeliverCallback onDeliver = (tag, delivery) -> {
                received.add(new String(delivery.getBody()));
                channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
                all.countDown();
            };
            channel.basicConsume("q", false, onDeliver, tag -> { });

            assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(received).hasSize(count).startsWith("m0", "m1");
            assertThat(server.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void byDefaultHalfTheCoresServeConnectionsAtLeastOne() {
        int cores = Runtime.getRuntime().availableProcessors();

        assertThat(server.ioThreadCount()).isEqualTo(Math.max(1, cores / 2));
    }

    @Test
    void theConfiguredNumberOfIoThreadsServesConnections() throws Exception {
        AmqpServer twoLoops = new AmqpServer(broker, config(2));
        try {
            Set<String> before = ioThreadNames();
            InetSocketAddress bound = twoLoops.start();
            // Netty starts a loop's thread when it is given its first connection, and hands connections to the
            // loops in turn: three connections (each open once newConnection returns) start every loop there is.
            try (Connection first = factory(bound).newConnection();
                 Connection second = factory(bound).newConnection();
                 Connection third = factory(bound).newConnection()) {
                Set<String> started = ioThreadNames();
                started.removeAll(before);

                assertThat(twoLoops.ioThreadCount()).isEqualTo(2);
                assertThat(started).hasSize(2);
                assertThat(twoLoops.connectionCount()).isEqualTo(3);
            }
        } finally {
            twoLoops.close();
        }
    }

    /** The names of the live threads of every AMQP server's I/O loops in this JVM. */
    private static Set<String> ioThreadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("ferry-amqp-io-")).collect(Collectors.toCollection(HashSet::new));
    }

    @Test
    void largeMessagesSpanManyFramesBothWays() throws Exception {
        try (Connection connection = factory().newConnection(); Channel channel = connection.createChannel()) {
            channel.queueDeclare("big", false, false, false, null);
            byte[] body = new byte[1_000_000];
            Arrays.fill(body, (byte) 7);
            body[body.length - 1] = 42;
            channel.basicPublish("", "big", null, body);

            GetResponse response = null;
            for (int i = 0; i < 100 && response == null; i++) {
                response = channel.basicGet("big", true);
            }
            assertThat(response).isNotNull();
            assertThat(response.getBody()).isEqualTo(body);
        }
    }

    @Test
    void channelErrorsReachTheJavaClientAsChannelShutdown() throws Exception {
        try (Connection connection = factory().newConnection()) {
            Channel channel = connection.createChannel();
            assertThatThrownBy(() -> channel.queueDeclarePassive("missing"))
                    .isInstanceOf(IOException.class)
                    .cause().isInstanceOf(ShutdownSignalException.class)
                    .hasMessageContaining("404").hasMessageContaining("NOT_FOUND");
            assertThat(connection.isOpen()).isTrue();
            assertThat(connection.createChannel().queueDeclare().getQueue()).startsWith("amq.gen-");
        }
    }

    @Test
    void wrongPasswordIsAnAuthenticationFailure() {
        ConnectionFactory factory = factory();
        factory.setPassword("wrong");

        assertThatThrownBy(factory::newConnection).isInstanceOf(AuthenticationFailureException.class)
                .hasMessageContaining("ACCESS_REFUSED");
    }

    @Test
    void closingTheServerClosesConnectionsWithConnectionForced() throws Exception {
        Connection connection = factory().newConnection();
        connection.createChannel();

        server.close();

        ShutdownSignalException reason = connection.getCloseReason();
        assertThat(reason).isNotNull();
        assertThat(reason.getMessage()).contains("320").contains("CONNECTION_FORCED - broker shutting down");
        assertThat(server.connectionCount()).isZero();
    }

    @Test
    void unsupportedProtocolHeaderIsAnsweredWithOursAndClosed() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", address.getPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {'A', 'M', 'Q', 'P', 1, 1, 0, 10});
            out.flush();
            InputStream in = socket.getInputStream();
            assertThat(in.readNBytes(8)).isEqualTo(FrameEncoder.PROTOCOL_HEADER);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void aPortInUseIsReportedWithTheAddress() {
        AmqpServer second = new AmqpServer(broker,
                config(0).withPort(address.getPort()));

        assertThatThrownBy(second::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.0.0.1:" + address.getPort()).hasMessageContaining("in use");
        second.close();
    }
}
