package io.ferrymq.it;

import static io.ferrymq.it.Amqp.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferrymq.testkit.FerryBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/** Spring AMQP (spring-rabbit 3.2) used as an application would, against FerryMQ, with plain objects. */
class SpringAmqpIT {

    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension();

    CachingConnectionFactory cf;
    RabbitAdmin admin;
    RabbitTemplate template;
    final List<Confirm> confirms = new CopyOnWriteArrayList<>();
    final List<ReturnedMessage> returns = new CopyOnWriteArrayList<>();
    final List<String> declaredQueues = new CopyOnWriteArrayList<>();
    final List<String> declaredExchanges = new CopyOnWriteArrayList<>();

    record Confirm(String id, boolean ack, String cause) {
    }

    @BeforeEach
    void setUp() {
        cf = new CachingConnectionFactory(broker.host(), broker.amqpPort());
        cf.setUsername("guest");
        cf.setPassword("guest");
        cf.setVirtualHost("/");
        cf.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        cf.setPublisherReturns(true);
        cf.getRabbitConnectionFactory().setAutomaticRecoveryEnabled(false);
        admin = new RabbitAdmin(cf);
        template = new RabbitTemplate(cf);
        template.setMandatory(true);
        template.setConfirmCallback((correlation, ack, cause) ->
                confirms.add(new Confirm(correlation == null ? null : correlation.getId(), ack, cause)));
        template.setReturnsCallback(returns::add);
        template.setReplyTimeout(Amqp.TIMEOUT.toMillis());
    }

    @AfterEach
    void tearDown() {
        try {
            declaredQueues.forEach(admin::deleteQueue);
            declaredExchanges.forEach(admin::deleteExchange);
        } finally {
            cf.destroy();
        }
    }

    private String declareTopology(String exchange, String key) {
        TopicExchange x = new TopicExchange(exchange, false, false);
        declaredExchanges.add(exchange);
        // not auto-delete: receive() and the listener containers cancel their consumers
        Queue q = new Queue(unique("spring-q"), false, false, false);
        declaredQueues.add(q.getName());
        admin.declareExchange(x);
        admin.declareQueue(q);
        admin.declareBinding(BindingBuilder.bind(q).to(x).with(key));
        return q.getName();
    }

    @Test
    void rabbitAdminDeclaresQueueExchangeAndBinding() {
        String x = unique("spring-x");
        String q = declareTopology(x, "orders.#");
        QueueInformation info = admin.getQueueInfo(q);
        assertThat(info).as("queue declared").isNotNull();
        assertThat(info.getName()).isEqualTo(q);
        assertThat(info.getMessageCount()).isZero();
        // the binding routes
        template.convertAndSend(x, "orders.created", "routed-by-binding", new CorrelationData("b1"));
        assertThat(template.receiveAndConvert(q, Amqp.TIMEOUT.toMillis())).isEqualTo("routed-by-binding");
        // a server-named queue via the admin
        Queue anon = admin.declareQueue();
        assertThat(anon.getName()).startsWith("amq.gen-");
        // removing the binding stops routing (the message is returned instead)
        admin.removeBinding(new Binding(q, Binding.DestinationType.QUEUE, x, "orders.#", Map.of()));
        template.convertAndSend(x, "orders.created", "now-unroutable", new CorrelationData("b2"));
        org.awaitility.Awaitility.await().atMost(Amqp.TIMEOUT).until(() -> returns.size() == 1);
        assertThat(admin.deleteQueue(q)).isTrue();
        assertThat(admin.getQueueInfo(q)).as("queue deleted").isNull();
        assertThat(admin.deleteExchange(x)).isTrue();
    }

    @Test
    void convertAndSendIsConfirmed() throws Exception {
        String x = unique("spring-x");
        String q = declareTopology(x, "a.*");
        CorrelationData cd = new CorrelationData("msg-1");
        template.convertAndSend(x, "a.b", "hello ferry", cd);
        CorrelationData.Confirm confirm = cd.getFuture().get(Amqp.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(confirm.isAck()).isTrue();
        assertThat(cd.getReturned()).isNull();
        org.awaitility.Awaitility.await().atMost(Amqp.TIMEOUT).until(() -> !confirms.isEmpty());
        assertThat(confirms).containsExactly(new Confirm("msg-1", true, null));
        assertThat(returns).isEmpty();

        Message m = template.receive(q, Amqp.TIMEOUT.toMillis());
        assertThat(m).isNotNull();
        assertThat(new String(m.getBody(), StandardCharsets.UTF_8)).isEqualTo("hello ferry");
        assertThat(m.getMessageProperties().getContentType()).isEqualTo(MessageProperties.CONTENT_TYPE_TEXT_PLAIN);
        assertThat(m.getMessageProperties().getReceivedRoutingKey()).isEqualTo("a.b");
        assertThat(m.getMessageProperties().getReceivedExchange()).isEqualTo(x);
    }

    @Test
    void unroutableMandatoryMessageIsReturnedAndConfirmed() throws Exception {
        String x = unique("spring-x");
        declareTopology(x, "only.this");
        CorrelationData cd = new CorrelationData("lost-1");
        template.convertAndSend(x, "nobody.listens", "come back", cd);
        CorrelationData.Confirm confirm = cd.getFuture().get(Amqp.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(confirm.isAck()).as("RabbitMQ acks an unroutable message once it is returned").isTrue();
        org.awaitility.Awaitility.await().atMost(Amqp.TIMEOUT).until(() -> returns.size() == 1);
        ReturnedMessage r = returns.get(0);
        assertThat(r.getReplyCode()).isEqualTo(312);
        assertThat(r.getReplyText()).isEqualTo("NO_ROUTE");
        assertThat(r.getExchange()).isEqualTo(x);
        assertThat(r.getRoutingKey()).isEqualTo("nobody.listens");
        assertThat(new String(r.getMessage().getBody(), StandardCharsets.UTF_8)).isEqualTo("come back");
        assertThat(cd.getReturned()).as("the return is attached to the correlation").isNotNull();
    }

    @Test
    void listenerContainerRoundTrip() throws Exception {
        String x = unique("spring-x");
        String q = declareTopology(x, "#");
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(cf);
        container.setQueueNames(q);
        container.setAcknowledgeMode(AcknowledgeMode.AUTO);
        container.setPrefetchCount(5);
        container.setMessageListener(message -> received.add(new String(message.getBody(), StandardCharsets.UTF_8)));
        container.start();
        try {
            for (int i = 0; i < 20; i++) {
                template.convertAndSend(x, "k", "payload-" + i);
            }
            for (int i = 0; i < 20; i++) {
                String s = received.poll(Amqp.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(s).as("message %d", i).isEqualTo("payload-" + i);
            }
        } finally {
            container.stop();
        }
        // all acknowledged by the container
        assertThat(admin.getQueueInfo(q).getMessageCount()).isZero();
    }

    @Test
    void requestReplyThroughAListenerContainer() throws Exception {
        String x = unique("spring-x");
        String q = declareTopology(x, "rpc");
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(cf);
        container.setQueueNames(q);
        CompletableFuture<String> replyTo = new CompletableFuture<>();
        container.setMessageListener(message -> {
            replyTo.complete(message.getMessageProperties().getReplyTo());
            MessageProperties props = new MessageProperties();
            props.setCorrelationId(message.getMessageProperties().getCorrelationId());
            props.setContentType(MessageProperties.CONTENT_TYPE_TEXT_PLAIN);
            String reply = new String(message.getBody(), StandardCharsets.UTF_8).toUpperCase();
            template.send("", message.getMessageProperties().getReplyTo(),
                    new Message(reply.getBytes(StandardCharsets.UTF_8), props));
        });
        container.start();
        try {
            Object answer = template.convertSendAndReceive(x, "rpc", "ping");
            assertThat(answer).isEqualTo("PING");
            assertThat(replyTo.getNow(null)).isNotBlank();
        } finally {
            container.stop();
        }
    }
}
