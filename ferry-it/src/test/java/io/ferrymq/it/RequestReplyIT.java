package io.ferrymq.it;

import static io.ferrymq.it.Amqp.str;
import static io.ferrymq.it.Amqp.unique;
import static io.ferrymq.it.Amqp.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import io.ferrymq.testkit.FerryBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * Request/reply: Spring AMQP's {@code convertSendAndReceive} with direct reply-to and with a fixed reply queue, the
 * Java client with direct reply-to, and a request's {@code expiration} as its time-out (dead-lettered when the
 * request queue has a dead-letter exchange).
 */
class RequestReplyIT {

    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension();

    Connection conn;
    CachingConnectionFactory cf;

    @BeforeEach
    void open() throws Exception {
        conn = Amqp.connect(broker);
        cf = new CachingConnectionFactory(broker.host(), broker.amqpPort());
        cf.setUsername("guest");
        cf.setPassword("guest");
        cf.getRabbitConnectionFactory().setAutomaticRecoveryEnabled(false);
    }

    @AfterEach
    void close() {
        cf.destroy();
        Amqp.closeQuietly(conn);
    }

    /** A server answering every request on {@code queue} with its body in upper case, to its reply-to. */
    private SimpleMessageListenerContainer upperCaseServer(String queue, CompletableFuture<String> seenReplyTo) {
        RabbitTemplate replier = new RabbitTemplate(cf);
        SimpleMessageListenerContainer server = new SimpleMessageListenerContainer(cf);
        server.setQueueNames(queue);
        server.setMessageListener(request -> {
            seenReplyTo.complete(request.getMessageProperties().getReplyTo());
            MessageProperties props = new MessageProperties();
            props.setCorrelationId(request.getMessageProperties().getCorrelationId());
            props.setContentType(MessageProperties.CONTENT_TYPE_TEXT_PLAIN);
            String reply = new String(request.getBody(), StandardCharsets.UTF_8).toUpperCase();
            replier.send("", request.getMessageProperties().getReplyTo(),
                    new Message(reply.getBytes(StandardCharsets.UTF_8), props));
        });
        server.start();
        return server;
    }

    @Test
    void springConvertSendAndReceiveWithDirectReplyTo() throws Exception {
        String requests = unique("rpc");
        conn.createChannel().queueDeclare(requests, false, false, true, null);
        CompletableFuture<String> replyTo = new CompletableFuture<>();
        SimpleMessageListenerContainer server = upperCaseServer(requests, replyTo);
        RabbitTemplate client = new RabbitTemplate(cf);
        client.setReplyTimeout(Amqp.TIMEOUT.toMillis());
        try {
            for (int i = 0; i < 5; i++) {
                assertThat(client.convertSendAndReceive("", requests, "ping-" + i)).isEqualTo("PING-" + i);
            }
            assertThat(replyTo.getNow(null)).startsWith("amq.rabbitmq.reply-to.");
        } finally {
            client.stop();
            server.stop();
        }
    }

    @Test
    void springConvertSendAndReceiveWithAFixedReplyQueue() throws Exception {
        Channel ch = conn.createChannel();
        String requests = unique("rpc");
        String replies = unique("replies");
        ch.queueDeclare(requests, false, false, true, null);
        ch.queueDeclare(replies, false, false, false, null);
        CompletableFuture<String> replyTo = new CompletableFuture<>();
        SimpleMessageListenerContainer server = upperCaseServer(requests, replyTo);
        RabbitTemplate client = new RabbitTemplate(cf);
        client.setReplyTimeout(Amqp.TIMEOUT.toMillis());
        client.setReplyAddress(replies);
        SimpleMessageListenerContainer replyListener = new SimpleMessageListenerContainer(cf);
        replyListener.setQueueNames(replies);
        replyListener.setMessageListener(client);
        replyListener.start();
        try {
            for (int i = 0; i < 5; i++) {
                assertThat(client.convertSendAndReceive("", requests, "fixed-" + i)).isEqualTo("FIXED-" + i);
            }
            assertThat(replyTo.getNow(null)).isEqualTo(replies);
        } finally {
            replyListener.stop();
            server.stop();
            ch.queueDelete(replies);
        }
    }

    @Test
    void javaClientRequestReplyWithDirectReplyToKeepsTheCorrelationId() throws Exception {
        Channel server = conn.createChannel();
        String requests = unique("rpc");
        server.queueDeclare(requests, false, false, true, null);
        server.basicConsume(requests, true, (tag, request) -> server.basicPublish("", request.getProperties()
                .getReplyTo(), new AMQP.BasicProperties.Builder().correlationId(request.getProperties()
                .getCorrelationId()).build(), utf8("re:" + str(request.getBody()))), tag -> { });
        Channel client = conn.createChannel();
        Recorder replies = new Recorder(client);
        client.basicConsume("amq.rabbitmq.reply-to", true, replies);
        for (int i = 0; i < 3; i++) {
            client.basicPublish("", requests, new AMQP.BasicProperties.Builder().replyTo("amq.rabbitmq.reply-to")
                    .correlationId("c" + i).build(), utf8("q" + i));
        }
        List<Delivery> answers = replies.next(3);
        assertThat(answers).extracting(d -> d.getProperties().getCorrelationId()).containsExactly("c0", "c1", "c2");
        assertThat(answers).extracting(d -> str(d.getBody())).containsExactly("re:q0", "re:q1", "re:q2");
    }

    @Test
    void anUnansweredRequestExpiresAndIsDeadLetteredWithReasonExpired() throws Exception {
        Channel ch = conn.createChannel();
        String requests = unique("rpc");
        String dead = unique("rpc-dead");
        ch.queueDeclare(dead, false, false, false, null);
        ch.queueDeclare(requests, false, false, false, Map.of("x-dead-letter-exchange", "",
                "x-dead-letter-routing-key", dead));
        Recorder replies = new Recorder(ch);
        ch.basicConsume("amq.rabbitmq.reply-to", true, replies);
        ch.basicPublish("", requests, new AMQP.BasicProperties.Builder().replyTo("amq.rabbitmq.reply-to")
                .correlationId("late").expiration("200").build(), utf8("anyone?"));
        Awaitility.await().atMost(Amqp.TIMEOUT).until(() -> Amqp.messageCount(ch, dead) == 1);
        assertThat(Amqp.messageCount(ch, requests)).isZero();
        com.rabbitmq.client.GetResponse deadLettered = ch.basicGet(dead, true);
        assertThat(str(deadLettered.getBody())).isEqualTo("anyone?");
        assertThat(deadLettered.getProps().getHeaders().get("x-first-death-reason").toString()).isEqualTo("expired");
        assertThat(deadLettered.getProps().getCorrelationId()).isEqualTo("late");
        assertThat(replies.count()).isZero();
    }

    @Test
    void anUnansweredRequestWithoutADeadLetterExchangeJustDisappears() throws Exception {
        Channel ch = conn.createChannel();
        String requests = unique("rpc");
        ch.queueDeclare(requests, false, false, false, null);
        ch.basicPublish("", requests, new AMQP.BasicProperties.Builder().expiration("100").build(), utf8("gone"));
        Awaitility.await().atMost(Amqp.TIMEOUT).until(() -> Amqp.messageCount(ch, requests) == 0);
        assertThat(ch.basicGet(requests, true)).isNull();
    }
}
