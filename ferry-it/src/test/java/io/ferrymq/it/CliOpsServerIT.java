package io.ferrymq.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.ferrymq.it.Amqp.unique;
import static io.ferrymq.it.Amqp.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI's policies, redrive and trace commands end to end. Their endpoints come with the server side of issue 8
 * (another branch): each test is skipped until the broker answers the endpoint, see {@link OpsServerEndpoints}.
 */
@Tag(OpsServerEndpoints.TAG)
class CliOpsServerIT extends WithChannel {
    private final Cli cli = new Cli(broker);
    private final ManagementHttp http = new ManagementHttp(broker, "guest", "guest");

    @Test
    void redriveMovesDeadLetteredMessagesBackInBatchesWithProgress() throws Exception {
        OpsServerEndpoints.assumeRedrive(http);
        String origin = unique("orders");
        String dlq = unique("orders-dlq");
        ch.queueDeclare(dlq, true, false, false, null);
        ch.queueDeclare(origin, true, false, false, Map.of("x-dead-letter-exchange", "",
                "x-dead-letter-routing-key", dlq));
        for (int i = 0; i < 5; i++) {
            ch.basicPublish("", origin, null, utf8("order " + i));
            GetResponse got = ch.basicGet(origin, false);
            ch.basicReject(got.getEnvelope().getDeliveryTag(), false);
        }
        ch.basicPublish("", dlq, null, utf8("never died")); // no x-death: stays
        assertThat(line(ok(cli.run("get", dlq, "-n", "5")), "order 0")).contains("rejected from " + origin);

        Cli.Run redrive = ok(cli.run("redrive", dlq, "--batch", "2"));

        assertThat(redrive.out()).contains("moved 5 messages out of '" + dlq + "'", "1 skipped");
        assertThat(redrive.err()).contains("redrive: moved 2 of", "redrive: moved 4 of", "redrive: moved 5 of");
        assertThat(ch.messageCount(origin)).isEqualTo(5);
        assertThat(ch.messageCount(dlq)).isEqualTo(1);
        JsonNode json = ok(cli.run("redrive", dlq, "--json")).json();
        assertThat(json.path("moved").asInt()).isZero();
        assertThat(json.path("skipped").asInt()).isEqualTo(1);
        assertThat(cli.run("redrive", "no-such-dlq").code()).isEqualTo(1);
    }

    @Test
    void traceShowsAMessagesLifeByMessageIdAndCorrelationId() throws Exception {
        OpsServerEndpoints.assumeTrace(http);
        String queue = unique("traced");
        String id = unique("msg");
        ch.queueDeclare(queue, false, false, true, null);
        assertThat(ok(cli.run("trace", "on")).out()).contains("tracing on for vhost '/'");
        try {
            ch.basicPublish("", queue, new AMQP.BasicProperties.Builder().messageId(id).correlationId("c-" + id)
                    .build(), utf8("traced"));
            GetResponse got = ch.basicGet(queue, false);
            ch.basicAck(got.getEnvelope().getDeliveryTag(), false);

            Cli.Run trace = ok(cli.run("trace", id));
            assertThat(trace.out()).contains("published", "routed", queue);
            JsonNode events = ok(cli.run("trace", "--correlation-id", "c-" + id, "--json")).json();
            List<String> names = events.findValuesAsText("event");
            assertThat(names).contains("published");
            assertThat(names.indexOf("published")).isLessThan(names.size() - 1);
            assertThat(ok(cli.run("trace", "status")).out()).contains("tracing on");
        } finally {
            ok(cli.run("trace", "off"));
        }
        assertThat(ok(cli.run("trace", "status")).out()).contains("tracing off");
        assertThat(ok(cli.run("trace", "no-such-message")).err()).contains("no trace events");
    }

    @Test
    void policiesAreDeclaredListedAppliedAndDeleted() throws Exception {
        OpsServerEndpoints.assumePolicies(http);
        String name = unique("cli-policy");
        String prefix = unique("pol");
        ok(cli.run("declare", "policy", name, "--pattern", "^" + prefix + "\\.", "--definition",
                "message-ttl=60000", "--definition", "max-length=5", "--priority", "3"));
        assertThat(line(ok(cli.run("list", "policies")), name)).contains("queues", "message-ttl");
        ch.queueDeclare(prefix + ".q", false, false, true, null);
        assertThat(line(ok(cli.run("list", "queues")), prefix + ".q")).contains(name);

        Cli.Run bad = cli.run("declare", "policy", name + "-bad", "--pattern", ".*", "--definition", "max-length=-1");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).startsWith("ferry: 400").contains("max-length");

        ok(cli.run("delete", "policy", name));
        assertThat(ok(cli.run("list", "policies")).out()).doesNotContain(name);
    }

    private static Cli.Run ok(Cli.Run run) {
        assertThat(run.code()).as("exit code; stderr: " + run.err()).isZero();
        return run;
    }

    private static String line(Cli.Run run, String containing) {
        return run.lines().stream().filter(l -> l.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + containing + "' in:\n" + run.out()));
    }
}
