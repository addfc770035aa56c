package io.ferrymq.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.ferrymq.it.Amqp.str;
import static io.ferrymq.it.Amqp.unique;
import static io.ferrymq.it.Amqp.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ferry} CLI against a real broker: every command through the management API, checked with what an AMQP
 * client sees, with {@code --json}, and its errors and exit codes (0 ok, 1 API error, 2 usage).
 */
class CliIT extends WithChannel {
    private final Cli cli = new Cli(broker);

    @Test
    void statusShowsTheVersionListenersTotalsRatesAndAlarms() throws Exception {
        Cli.Run status = ok(cli.run("status"));
        assertThat(status.out()).contains("FerryMQ ", "listeners  amqp " + broker.amqpPort(),
                "http " + broker.httpPort(), "objects    connections ", "rates/s    publish ", "alarms     none");

        JsonNode json = ok(cli.run("status", "--json")).json();
        assertThat(json.path("product_name").asText()).isEqualTo("FerryMQ");
        assertThat(json.path("alarms").path("status").asText()).isEqualTo("ok");
    }

    @Test
    void declaresListsAndDeletesQueuesExchangesAndBindings() throws Exception {
        String queue = unique("cli-q");
        String exchange = unique("cli-x");

        assertThat(ok(cli.run("declare", "queue", queue, "--arg", "x-max-length=10")).out())
                .contains("declared queue '" + queue + "'");
        ok(cli.run("declare", "exchange", exchange, "--type", "topic"));
        ok(cli.run("declare", "binding", "--source", exchange, "--destination", queue, "-k", "a.*"));
        ch.basicPublish(exchange, "a.b", null, utf8("routed"));

        Cli.Run queues = ok(cli.run("list", "queues"));
        String header = queues.lines().get(0);
        assertThat(header).startsWith("vhost").contains("name", "ready", "unacked", "consumers");
        String row = line(queues, queue);
        // aligned: each column starts where its header does; numbers end where theirs ends
        assertThat(row.indexOf(queue)).isEqualTo(header.indexOf("name"));
        assertThat(row.substring(0, header.indexOf("ready") + "ready".length())).endsWith(" 1");
        JsonNode listed = find(ok(cli.run("list", "queues", "--json")).json(), "name", queue);
        assertThat(listed.path("arguments").path("x-max-length").asInt()).isEqualTo(10);
        assertThat(listed.path("durable").asBoolean()).isTrue();

        assertThat(line(ok(cli.run("list", "exchanges", "--vhost", "/")), exchange)).contains("topic");
        assertThat(line(ok(cli.run("list", "exchanges")), "(default)")).contains("direct");
        assertThat(line(ok(cli.run("list", "bindings")), exchange)).contains(queue, "a.*");

        ok(cli.run("delete", "binding", "--source", exchange, "--destination", queue, "-k", "a.*"));
        assertThat(ok(cli.run("list", "bindings")).out()).doesNotContain(exchange);
        ok(cli.run("delete", "exchange", exchange));
        assertThat(ok(cli.run("delete", "queue", queue)).out()).contains("deleted queue '" + queue + "'");
        assertThat(ok(cli.run("list", "queues")).out()).doesNotContain(queue);
        assertThat(ok(cli.run("list", "exchanges")).out()).doesNotContain(exchange);
    }

    @Test
    void listsConnectionsChannelsConsumersUsersVhostsAndPermissions() throws Exception {
        String queue = unique("cli-consumed");
        ch.queueDeclare(queue, false, false, true, null);
        String tag = ch.basicConsume(queue, false, new DefaultConsumer(ch));

        assertThat(line(ok(cli.run("list", "connections")), "guest")).contains("/", "AMQP 0-9-1");
        assertThat(ok(cli.run("list", "channels")).out()).contains("guest");
        assertThat(line(ok(cli.run("list", "consumers", "--vhost", "/")), tag)).contains(queue);
        assertThat(line(ok(cli.run("list", "users")), "guest")).contains("administrator");
        assertThat(ok(cli.run("list", "vhosts")).lines()).anySatisfy(l -> assertThat(l).startsWith("/ "));
        assertThat(line(ok(cli.run("list", "permissions")), "guest")).contains(".*");
        JsonNode connections = ok(cli.run("list", "connections", "--json")).json();
        assertThat(connections.isArray()).isTrue();
        assertThat(connections.get(0).has("peer_port")).isTrue();
    }

    @Test
    void publishesGetsPeeksTakesAndPurges() throws Exception {
        String queue = unique("cli-msgs");
        ch.queueDeclare(queue, true, false, false, null);

        assertThat(ok(cli.run("publish", "-k", queue, "--message-id", "m-1", "-H", "tenant=acme",
                "--property", "priority=3", "hello\nworld")).out()).contains("published: routed");
        assertThat(ok(cli.run("publish", "-k", "no-such-queue-" + queue, "lost")).out()).contains("not routed");
        GetResponse got = ch.basicGet(queue, false);
        assertThat(str(got.getBody())).isEqualTo("hello\nworld");
        assertThat(got.getProps().getMessageId()).isEqualTo("m-1");
        assertThat(got.getProps().getPriority()).isEqualTo(3);
        assertThat(got.getProps().getHeaders().get("tenant").toString()).isEqualTo("acme");
        ch.basicReject(got.getEnvelope().getDeliveryTag(), true);

        Cli.Run peek = ok(cli.run("get", queue));
        assertThat(line(peek, "m-1")).contains("hello world"); // the newline does not break the table
        assertThat(ch.messageCount(queue)).isEqualTo(1); // a get requeues by default
        JsonNode json = ok(cli.run("get", queue, "--json")).json();
        assertThat(json.get(0).path("payload").asText()).isEqualTo("hello\nworld");

        ok(cli.run("get", queue, "--ack"));
        assertThat(ch.messageCount(queue)).isZero();
        assertThat(ok(cli.run("get", queue)).err()).contains("is empty");

        Path body = Files.write(tempDir.resolve("body.bin"), new byte[]{0, 1, 2, (byte) 0xff});
        ok(cli.run("publish", "-k", queue, "--file", body.toString()));
        assertThat(ch.basicGet(queue, true).getBody()).containsExactly(0, 1, 2, 0xff);

        for (int i = 0; i < 3; i++) {
            ch.basicPublish("", queue, null, utf8("x" + i));
        }
        assertThat(ok(cli.run("purge", queue)).out()).contains("purged queue '" + queue + "' (3 ready before)");
        assertThat(ch.messageCount(queue)).isZero();
    }

    @TempDir
    Path tempDir;

    @Test
    void definitionsExportAndImportInBatchesWithProgress() throws Exception {
        String vhost = unique("cli-vhost");
        ok(cli.run("declare", "vhost", vhost));
        ok(cli.run("permissions", "set", "guest", "--vhost", vhost));
        // enough queues that the import takes several requests (each under the API's 64 KiB request limit)
        String longArgument = "y".repeat(400);
        for (int i = 0; i < 120; i++) {
            ok(cli.run("declare", "queue", "q" + i, "--vhost", vhost, "--arg", "x-note=" + longArgument));
        }
        Path file = tempDir.resolve("defs.json");
        assertThat(ok(cli.run("definitions", "export", file.toString(), "--vhost", vhost)).out())
                .contains("120 queues");
        ok(cli.run("delete", "vhost", vhost));
        ok(cli.run("declare", "vhost", vhost));

        Cli.Run imported = ok(cli.run("definitions", "import", file.toString(), "--vhost", vhost));

        assertThat(imported.out()).contains("imported");
        List<String> progress = imported.err().lines().filter(l -> l.startsWith("definitions import:")).toList();
        assertThat(progress.size()).isGreaterThan(1);
        assertThat(progress.get(progress.size() - 1)).contains("of " + countDefinitions(file));
        assertThat(ok(cli.run("list", "queues", "--vhost", vhost, "--json")).json().size()).isEqualTo(120);
        assertThat(ok(cli.run("definitions", "export")).json().path("queues").isArray()).isTrue();
        ok(cli.run("delete", "vhost", vhost));
    }

    private static int countDefinitions(Path file) throws Exception {
        JsonNode defs = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
        int total = 0;
        for (String section : List.of("vhosts", "users", "permissions", "policies", "exchanges", "queues",
                "bindings")) {
            total += defs.path(section).size();
        }
        return total;
    }

    @Test
    void managesUsersTheirTagsPasswordsAndPermissions() throws Exception {
        String user = unique("cli-user");
        ok(cli.run("users", "add", user, "--new-password", "s3cret", "--tags", "management"));
        assertThat(line(ok(cli.run("users", "list")), user)).contains("management");
        ok(cli.run("permissions", "set", user, "--configure", "^$", "--write", ".*", "--read", ".*"));
        assertThat(line(ok(cli.run("permissions", "list", "--vhost", "/")), user)).contains("^$");

        // the new user logs in with the CLI, by option and by environment
        assertThat(ok(cli.run("list", "queues", "--user", user, "--password", "s3cret")).code()).isZero();
        assertThat(cli.withEnv("FERRY_USER", user).withEnv("FERRY_PASSWORD", "s3cret").run("status").code())
                .isZero();
        // a management user may not list users: 403, exit 1, one line
        Cli.Run forbidden = cli.run("users", "list", "--user", user, "--password", "s3cret");
        assertThat(forbidden.code()).isEqualTo(1);
        assertThat(forbidden.err().trim()).startsWith("ferry: 403").doesNotContain("\n");

        ok(cli.run("users", "passwd", user, "--new-password", "changed"));
        assertThat(cli.run("status", "--user", user, "--password", "s3cret").code()).isEqualTo(1);
        ok(cli.run("users", "tags", user, "monitoring"));
        assertThat(line(ok(cli.run("users", "list")), user)).contains("monitoring");
        ok(cli.run("permissions", "clear", user));
        assertThat(ok(cli.run("permissions", "list")).out()).doesNotContain(user);
        ok(cli.run("users", "delete", user));
        assertThat(ok(cli.run("users", "list")).out()).doesNotContain(user);
        assertThat(cli.run("users", "delete", user).code()).isEqualTo(1);
    }

    @Test
    void apiErrorsAreOneLineOnStderrWithExitCode1() throws Exception {
        Cli.Run refused = cli.run("list", "queues", "--password", "wrong");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err()).startsWith("ferry: 401 not authorized: user 'guest' was refused")
                .hasLineCount(1);

        Cli.Run missing = cli.run("purge", "no-such-queue");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("ferry: 404 not found: no queue 'no-such-queue' in vhost '/'"
                + System.lineSeparator());
        assertThat(cli.run("get", "q", "--vhost", "no-such-vhost").code()).isEqualTo(1);

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Cli.Run unreachable = cli.raw("status", "--url", "http://127.0.0.1:" + closedPort);
        assertThat(unreachable.code()).isEqualTo(1);
        assertThat(unreachable.err()).startsWith("ferry: cannot reach http://127.0.0.1:" + closedPort
                + ": connection refused").hasLineCount(1);
    }

    @Test
    void usageErrorsExitWith2AndPointToHelp() {
        for (String[] args : List.of(new String[]{"list", "nonsense"}, new String[]{"frobnicate"},
                new String[]{"declare", "queue"}, new String[]{"get", "q", "--count", "0"},
                new String[]{"declare", "binding", "-s", "x", "-d", "q", "--destination-type", "topic"},
                new String[]{"trace"}, new String[]{"users"}, new String[]{})) {
            Cli.Run run = cli.run(args);
            assertThat(run.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.err()).as(String.join(" ", args)).isNotEmpty();
            assertThat(run.out()).isEmpty();
        }
        assertThat(cli.run("list", "nonsense").err()).contains("Try 'ferry list --help'.");
        Cli.Run help = cli.raw("help", "list");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--json", "--vhost", "queues");
    }

    @Test
    void theScriptsHelpNamesEveryCommand() throws Exception {
        String script = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("ferry"),
                StandardCharsets.UTF_8);
        String usage = script.substring(script.indexOf("usage() {"), script.indexOf("USAGE\n}"));
        Matcher commands = Pattern.compile("(?m)^  (\\S+)\\s{2,}").matcher(cli.raw("--help").out()
                .substring(cli.raw("--help").out().indexOf("Commands:")));
        int found = 0;
        while (commands.find()) {
            assertThat(usage).as("./ferry help names " + commands.group(1)).contains("  " + commands.group(1) + " ");
            found++;
        }
        assertThat(found).isGreaterThan(10);
    }

    private static Cli.Run ok(Cli.Run run) {
        assertThat(run.code()).as("exit code; stderr: " + run.err()).isZero();
        return run;
    }

    private static String line(Cli.Run run, String containing) {
        return run.lines().stream().filter(l -> l.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + containing + "' in:\n" + run.out()));
    }

    private static JsonNode find(JsonNode rows, String field, String value) {
        for (JsonNode row : rows) {
            if (row.path(field).asText().equals(value)) {
                return row;
            }
        }
        throw new AssertionError("no row with " + field + "=" + value + " in " + rows);
    }
}
