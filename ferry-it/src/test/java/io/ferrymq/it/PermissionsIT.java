package io.ferrymq.it;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.ShutdownSignalException;
import io.ferrymq.core.BrokerAdmin;
import io.ferrymq.core.auth.Permission;
import io.ferrymq.core.vhost.VirtualHostInfo;
import io.ferrymq.testkit.FerryBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.ferrymq.it.Amqp.closeQuietly;
import static io.ferrymq.it.Amqp.expectChannelClose;
import static io.ferrymq.it.Amqp.unique;
import static io.ferrymq.it.Amqp.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every permission check of RabbitMQ's model, seen by the RabbitMQ Java client: user {@code bob} gets patterns
 * that allow only {@code bob-*} names, the admin (guest) sets up what bob may not touch.
 */
class PermissionsIT {
    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension();

    private final String bob = unique("bob");
    private Connection admin;
    private Connection bobs;
    private Channel adminChannel;

    @BeforeEach
    void setUp() throws Exception {
        admin().access().putUser(bob, "pw", Set.of()).join();
        // configure, write and read only on bob-* names (and write on the default exchange)
        permit("^bob-", "^bob-|^amq\\.default$", "^bob-");
        admin = Amqp.connect(broker);
        adminChannel = admin.createChannel();
        bobs = connectAs(bob, "/");
    }

    @AfterEach
    void tearDown() {
        closeQuietly(bobs);
        closeQuietly(admin);
    }

    @Test
    void openingAVhostWithoutAnyPermissionIs530() {
        String vhost = unique("vh");
        admin().putVirtualHost(new VirtualHostInfo(vhost, "", List.of())).join();

        Throwable t = catchThrowable(() -> connectAs(bob, vhost));

        ShutdownSignalException sse = Amqp.shutdownSignal(t);
        AMQP.Connection.Close close = Amqp.assertConnectionClose(sse, AMQP.NOT_ALLOWED);
        assertThat(close.getReplyText()).isEqualTo("NOT_ALLOWED - access to vhost '" + vhost
                + "' refused for user '" + bob + "'");
    }

    @Test
    void threeEmptyPatternsStillAdmitToTheVhostButAllowNothing() throws Exception {
        permit("", "", "");
        try (Connection c = connectAs(bob, "/")) {
            Channel ch = c.createChannel();
            expectRefused(ch, "access to queue 'bob-q' in vhost '/'", () -> ch.queueDeclare("bob-q",
                    false, false, false, null));
        }
    }

    @Test
    void declaringAnExchangeNeedsConfigure() throws Exception {
        Channel ch = bobs.createChannel();
        ch.exchangeDeclare("bob-x", BuiltinExchangeType.FANOUT);
        expectRefused(ch, "access to exchange 'other-x' in vhost '/'",
                () -> ch.exchangeDeclare("other-x", BuiltinExchangeType.FANOUT));
    }

    @Test
    void aPassiveDeclareNeedsNoPermission() throws Exception {
        String queue = unique("other-q");
        adminChannel.queueDeclare(queue, false, false, false, null);
        Channel ch = bobs.createChannel();
        ch.queueDeclarePassive(queue);
        ch.exchangeDeclarePassive("amq.fanout");
    }

    @Test
    void deletingAnExchangeNeedsConfigure() throws Exception {
        adminChannel.exchangeDeclare("other-del-x", BuiltinExchangeType.FANOUT);
        Channel ch = bobs.createChannel();
        expectRefused(ch, "access to exchange 'other-del-x' in vhost '/'",
                () -> ch.exchangeDelete("other-del-x"));
    }

    @Test
    void declaringAQueueNeedsConfigureOnItsNameAndServerNamedQueuesAreChecked() throws Exception {
        Channel ch = bobs.createChannel();
        ch.queueDeclare("bob-q1", false, false, true, null);
        expectRefused(ch, "access to queue 'other-q' in vhost '/'",
                () -> ch.queueDeclare("other-q", false, false, false, null));
        Channel again = bobs.createChannel();
        AMQP.Channel.Close close = expectChannelClose(again, AMQP.ACCESS_REFUSED, again::queueDeclare);
        assertThat(close.getReplyText()).matches("ACCESS_REFUSED - access to queue 'amq\\.gen-.*' in"
                + " vhost '/' refused for user '" + bob + "'");
    }

    @Test
    void deletingAQueueNeedsConfigure() throws Exception {
        String queue = unique("other-q");
        adminChannel.queueDeclare(queue, false, false, false, null);
        Channel ch = bobs.createChannel();
        expectRefused(ch, "access to queue '" + queue + "' in vhost '/'", () -> ch.queueDelete(queue));
    }

    @Test
    void bindingAQueueNeedsWriteOnTheQueueAndReadOnTheExchange() throws Exception {
        String otherQueue = unique("other-q");
        adminChannel.queueDeclare(otherQueue, false, false, false, null);
        adminChannel.exchangeDeclare("other-bind-x", BuiltinExchangeType.DIRECT);
        Channel ch = bobs.createChannel();
        ch.queueDeclare("bob-bq", false, false, true, null);
        ch.exchangeDeclare("bob-bx", BuiltinExchangeType.DIRECT);
        ch.queueBind("bob-bq", "bob-bx", "k");

        expectRefused(ch, "access to queue '" + otherQueue + "' in vhost '/'",
                () -> ch.queueBind(otherQueue, "bob-bx", "k"));
        Channel ch2 = bobs.createChannel();
        expectRefused(ch2, "access to exchange 'other-bind-x' in vhost '/'",
                () -> ch2.queueBind("bob-bq", "other-bind-x", "k"));
        Channel ch3 = bobs.createChannel();
        expectRefused(ch3, "access to exchange 'other-bind-x' in vhost '/'",
                () -> ch3.queueUnbind("bob-bq", "other-bind-x", "k"));
    }

    @Test
    void bindingAnExchangeNeedsWriteOnTheDestinationAndReadOnTheSource() throws Exception {
        adminChannel.exchangeDeclare("other-src-x", BuiltinExchangeType.FANOUT);
        adminChannel.exchangeDeclare("other-dst-x", BuiltinExchangeType.FANOUT);
        Channel ch = bobs.createChannel();
        ch.exchangeDeclare("bob-src-x", BuiltinExchangeType.FANOUT);
        ch.exchangeDeclare("bob-dst-x", BuiltinExchangeType.FANOUT);
        ch.exchangeBind("bob-dst-x", "bob-src-x", "");

        expectRefused(ch, "access to exchange 'other-dst-x' in vhost '/'",
                () -> ch.exchangeBind("other-dst-x", "bob-src-x", ""));
        Channel ch2 = bobs.createChannel();
        expectRefused(ch2, "access to exchange 'other-src-x' in vhost '/'",
                () -> ch2.exchangeBind("bob-dst-x", "other-src-x", ""));
        Channel ch3 = bobs.createChannel();
        expectRefused(ch3, "access to exchange 'other-src-x' in vhost '/'",
                () -> ch3.exchangeUnbind("bob-dst-x", "other-src-x", ""));
    }

    @Test
    void publishingNeedsWriteOnTheExchangeAndTheDefaultExchangeIsAmqDefault() throws Exception {
        Channel ch = bobs.createChannel();
        ch.queueDeclare("bob-pq", false, false, true, null);
        ch.confirmSelect();
        ch.basicPublish("", "bob-pq", null, utf8("hello"));
        ch.waitForConfirmsOrDie(Amqp.TIMEOUT.toMillis());
        expectRefused(ch, "access to exchange 'amq.fanout' in vhost '/'",
                () -> ch.basicPublish("amq.fanout", "", null, utf8("no")));

        permit("^bob-", "^bob-", "^bob-");
        Channel ch2 = bobs.createChannel();
        expectRefused(ch2, "access to exchange 'amq.default' in vhost '/'",
                () -> ch2.basicPublish("", "bob-pq", null, utf8("no")));
    }

    @Test
    void consumingGettingAndPurgingNeedRead() throws Exception {
        String queue = unique("other-q");
        adminChannel.queueDeclare(queue, false, false, false, null);
        Channel ch = bobs.createChannel();
        expectRefused(ch, "access to queue '" + queue + "' in vhost '/'",
                () -> ch.basicConsume(queue, new DefaultConsumer(ch)));
        Channel ch2 = bobs.createChannel();
        expectRefused(ch2, "access to queue '" + queue + "' in vhost '/'", () -> ch2.basicGet(queue, true));
        Channel ch3 = bobs.createChannel();
        expectRefused(ch3, "access to queue '" + queue + "' in vhost '/'", () -> ch3.queuePurge(queue));

        Channel mine = bobs.createChannel();
        mine.queueDeclare("bob-cq", false, false, true, null);
        mine.basicConsume("bob-cq", new DefaultConsumer(mine));
        mine.basicGet("bob-cq", true);
        mine.queuePurge("bob-cq");
    }

    @Test
    void anAlternateExchangeNeedsWriteOnItAndReadOnTheDeclaredOne() throws Exception {
        Channel ch = bobs.createChannel();
        expectRefused(ch, "access to exchange 'amq.fanout' in vhost '/'",
                () -> ch.exchangeDeclare("bob-ae-x", "direct", false, false,
                        Map.of("alternate-exchange", "amq.fanout")));
    }

    @Test
    void aDeadLetterExchangeNeedsWriteOnItAndReadOnTheQueue() throws Exception {
        Channel ch = bobs.createChannel();
        expectRefused(ch, "access to exchange 'amq.fanout' in vhost '/'",
                () -> ch.queueDeclare("bob-dlq", false, false, true,
                        Map.of("x-dead-letter-exchange", "amq.fanout")));
    }

    @Test
    void aChangedPermissionAppliesToOpenConnections() throws Exception {
        Channel ch = bobs.createChannel();
        ch.queueDeclare("bob-later", false, false, true, null);
        permit("^nothing$", "", "");
        expectRefused(ch, "access to queue 'bob-later2' in vhost '/'",
                () -> ch.queueDeclare("bob-later2", false, false, true, null));
    }

    @Test
    void usersAndPermissionsSurviveARestart() throws Exception {
        closeQuietly(bobs);
        closeQuietly(admin);
        broker.restart();
        try (Connection c = connectAs(bob, "/")) {
            Channel ch = c.createChannel();
            ch.queueDeclare("bob-after-restart", false, false, true, null);
            expectRefused(ch, "access to queue 'other-after-restart' in vhost '/'",
                    () -> ch.queueDeclare("other-after-restart", false, false, true, null));
        }
        admin = Amqp.connect(broker);
    }

    private void expectRefused(Channel ch, String what, Amqp.ThrowingRunnable action) throws Exception {
        AMQP.Channel.Close close = expectChannelClose(ch, AMQP.ACCESS_REFUSED, action);
        assertThat(close.getReplyText()).isEqualTo("ACCESS_REFUSED - " + what + " refused for user '" + bob + "'");
    }

    private void permit(String configure, String write, String read) {
        admin().access().setPermission(new Permission(bob, "/", configure, write, read)).join();
    }

    private static BrokerAdmin admin() {
        return broker.server().admin();
    }

    private static Connection connectAs(String user, String vhost) throws Exception {
        ConnectionFactory f = Amqp.factory(broker);
        f.setUsername(user);
        f.setPassword("pw");
        f.setVirtualHost(vhost);
        return f.newConnection("permissions-it");
    }
}
