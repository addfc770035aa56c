package io.ferrymq.it;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.ferrymq.testkit.FerryBrokerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.ferrymq.it.Amqp.str;
import static io.ferrymq.it.Amqp.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RabbitMQ's own management CLI, {@code rabbitmqadmin} (from Debian's rabbitmq-server package, installed by
 * tools/ensure-rabbitmqadmin.sh when missing), driving FerryMQ's management API: lists, declares, publishes, gets,
 * purges and deletes, with what AMQP clients see checked alongside.
 */
class RabbitmqadminIT {
    @RegisterExtension
    static final FerryBrokerExtension broker = new FerryBrokerExtension();

    private static String rabbitmqadmin;

    @BeforeAll
    static void install() throws Exception {
        Path script = Path.of("").toAbsolutePath().getParent().resolve("tools/ensure-rabbitmqadmin.sh");
        Process ensure = new ProcessBuilder("bash", script.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        rabbitmqadmin = new String(ensure.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(ensure.waitFor(15, TimeUnit.MINUTES)).isTrue();
        assertThat(ensure.exitValue()).as("tools/ensure-rabbitmqadmin.sh failed: see its output above").isZero();
    }

    @Test
    void declaresListsPublishesGetsPurgesAndDeletes() throws Exception {
        String queue = unique("admin-q");
        String exchange = unique("admin-x");

        run("declare", "queue", "name=" + queue, "durable=true");
        run("declare", "exchange", "name=" + exchange, "type=direct");
        run("declare", "binding", "source=" + exchange, "destination=" + queue, "routing_key=k");
        assertThat(run("-f", "tsv", "list", "queues", "name", "messages")).contains(queue + "\t0");
        assertThat(run("-f", "tsv", "list", "exchanges", "name", "type")).contains(exchange + "\tdirect");
        assertThat(run("-f", "tsv", "list", "bindings", "source", "destination", "routing_key"))
                .contains(exchange + "\t" + queue + "\tk");

        assertThat(run("publish", "exchange=" + exchange, "routing_key=k", "payload=hello from rabbitmqadmin"))
                .contains("Message published");
        assertThat(run("-f", "tsv", "list", "queues", "name", "messages")).contains(queue + "\t1");
        assertThat(run("-f", "raw_json", "get", "queue=" + queue, "ackmode=ack_requeue_true"))
                .contains("\"payload\":\"hello from rabbitmqadmin\"");

        try (Connection c = Amqp.connect(broker)) {
            Channel ch = c.createChannel();
            assertThat(str(ch.basicGet(queue, false).getBody())).isEqualTo("hello from rabbitmqadmin");
        }
        run("purge", "queue", "name=" + queue);
        assertThat(run("-f", "tsv", "list", "queues", "name", "messages")).contains(queue + "\t0");

        run("delete", "binding", "source=" + exchange, "destination_type=queue", "destination=" + queue,
                "properties_key=k");
        run("delete", "exchange", "name=" + exchange);
        run("delete", "queue", "name=" + queue);
        assertThat(run("-f", "tsv", "list", "queues", "name")).doesNotContain(queue);
    }

    @Test
    void showsTheOverviewAndManagesUsersVhostsAndPermissions() throws Exception {
        assertThat(run("-f", "tsv", "show", "overview")).contains("ferrymq@");
        String user = unique("cli-user");
        String vhost = unique("cli-vhost");
        run("declare", "vhost", "name=" + vhost);
        run("declare", "user", "name=" + user, "password=pw", "tags=monitoring");
        run("declare", "permission", "vhost=" + vhost, "user=" + user, "configure=.*", "write=.*", "read=.*");
        assertThat(run("-f", "tsv", "list", "users", "name", "tags")).contains(user + "\t");
        assertThat(run("-f", "tsv", "list", "vhosts", "name")).contains(vhost);
        assertThat(run("-f", "tsv", "list", "permissions", "user", "vhost")).contains(user + "\t" + vhost);
        assertThat(runAs(user, "pw", "-f", "tsv", "-V", vhost, "list", "queues")).isNotNull();
        run("delete", "vhost", "name=" + vhost);
        run("delete", "user", "name=" + user);
        assertThat(run("-f", "tsv", "list", "users", "name")).doesNotContain(user);
    }

    @Test
    void exportsAndImportsDefinitions(@TempDir Path dir) throws Exception {
        String queue = unique("exported-q");
        run("declare", "queue", "name=" + queue, "durable=true");
        Path file = dir.resolve("definitions.json");
        run("export", file.toString());
        String exported = Files.readString(file);
        assertThat(exported).contains(queue).contains("\"users\"");

        run("delete", "queue", "name=" + queue);
        run("import", file.toString());
        assertThat(run("-f", "tsv", "list", "queues", "name")).contains(queue);
    }

    private String run(String... args) throws IOException, InterruptedException {
        return runAs("guest", "guest", args);
    }

    /** Runs rabbitmqadmin against the node and returns its standard output; fails on a non-zero exit. */
    private String runAs(String user, String password, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", rabbitmqadmin, "-H", broker.host(),
                "-P", Integer.toString(broker.httpPort()), "-u", user, "-p", password));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("rabbitmqadmin %s said:%n%s", String.join(" ", args), output).isZero();
        return output;
    }
}
