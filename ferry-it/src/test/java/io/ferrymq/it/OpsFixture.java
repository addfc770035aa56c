package io.ferrymq.it;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.ferrymq.testkit.FerryBrokerExtension;

import java.util.ArrayList;
import java.util.List;

import static io.ferrymq.it.Amqp.unique;
import static io.ferrymq.it.ManagementHttp.enc;
import static org.assertj.core.api.Assertions.assertThat;

/** Vhosts and users for the operations tests (policies, redrive, trace), made through the management API. */
final class OpsFixture {
    private final FerryBrokerExtension broker;
    final ManagementHttp admin;
    private final List<Connection> connections = new ArrayList<>();

    OpsFixture(FerryBrokerExtension broker) {
        this.broker = broker;
        this.admin = new ManagementHttp(broker, "guest", "guest");
    }

    /** A fresh vhost where guest has every permission (the creator gets them). */
    String vhost() throws Exception {
        String vhost = unique("ops");
        assertThat(admin.put("/api/vhosts/" + enc(vhost), "{}").status()).isEqualTo(201);
        return vhost;
    }

    /** A user with these tags and password {@code pw}, with the given permissions in {@code vhost} (null: none). */
    String user(String tags, String vhost, String configure, String write, String read) throws Exception {
        String name = unique("user");
        assertThat(admin.put("/api/users/" + name, "{\"password\": \"pw\", \"tags\": \"" + tags + "\"}").status())
                .isEqualTo(201);
        if (vhost != null) {
            assertThat(admin.put("/api/permissions/" + enc(vhost) + "/" + name, "{\"configure\": \"" + configure
                    + "\", \"write\": \"" + write + "\", \"read\": \"" + read + "\"}").status()).isEqualTo(201);
        }
        return name;
    }

    Connection connect(String vhost) throws Exception {
        ConnectionFactory f = Amqp.factory(broker);
        f.setVirtualHost(vhost);
        return f.newConnection("ferry-it-ops");
    }

    /** A channel on a new connection to {@code vhost}; the connection is closed by {@link #closeConnections}. */
    Channel channel(String vhost) throws Exception {
        Connection conn = connect(vhost);
        connections.add(conn);
        return conn.createChannel();
    }

    /** Closes every connection {@link #channel} opened (the tests' {@code @AfterEach}). */
    void closeConnections() {
        connections.forEach(Amqp::closeQuietly);
        connections.clear();
    }
}
