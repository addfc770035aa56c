package io.ferrymq.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.ferrymq.cli.ApiClient.enc;

/** {@code ferry declare queue|exchange|binding|vhost|policy}: creates (or updates) one object through the API. */
@Command(name = "declare", description = "Declare a queue, exchange, binding, vhost or policy.",
        subcommands = {DeclareCommand.Queue.class, DeclareCommand.Exchange.class, DeclareCommand.Binding.class,
                DeclareCommand.Vhost.class, DeclareCommand.Policy.class})
final class DeclareCommand {

    @Command(name = "queue", description = "Declare a queue.")
    static final class Queue extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--durable", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Survives a restart (default: true; --no-durable for a transient queue).")
        boolean durable;
        @Option(names = "--auto-delete", description = "Deleted when its last consumer goes.")
        boolean autoDelete;
        @Option(names = "--type", paramLabel = "TYPE", description = "Queue type: classic or quorum (x-queue-type).")
        String type;
        @Option(names = "--arg", paramLabel = "KEY=VALUE", description = "A queue argument, e.g."
                + " x-message-ttl=60000 (repeatable; numbers and true/false are typed).")
        Map<String, String> arguments;

        @Override
        void run(ApiClient api, Output out) {
            Map<String, Object> args = Values.typed(arguments);
            if (type != null) {
                args.put("x-queue-type", type);
            }
            Map<String, Object> body = Map.of("durable", durable, "auto_delete", autoDelete, "arguments", args);
            api.put("/api/queues/" + vhost() + "/" + enc(name), body);
            done(out, "declared queue '" + name + "' in vhost '" + options.vhost() + "'",
                    api.get("/api/queues/" + vhost() + "/" + enc(name)));
        }
    }

    @Command(name = "exchange", description = "Declare an exchange.")
    static final class Exchange extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = {"-t", "--type"}, paramLabel = "TYPE", defaultValue = "direct",
                description = "direct, fanout, topic, headers, or a plugin type (default: ${DEFAULT-VALUE}).")
        String type;
        @Option(names = "--durable", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Survives a restart (default: true).")
        boolean durable;
        @Option(names = "--auto-delete", description = "Deleted when its last binding goes.")
        boolean autoDelete;
        @Option(names = "--internal", description = "Takes no publishes, only exchange-to-exchange bindings.")
        boolean internal;
        @Option(names = "--arg", paramLabel = "KEY=VALUE", description = "An exchange argument (repeatable).")
        Map<String, String> arguments;

        @Override
        void run(ApiClient api, Output out) {
            Map<String, Object> body = Map.of("type", type, "durable", durable, "auto_delete", autoDelete,
                    "internal", internal, "arguments", Values.typed(arguments));
            api.put("/api/exchanges/" + vhost() + "/" + enc(name), body);
            done(out, "declared exchange '" + name + "' (" + type + ") in vhost '" + options.vhost() + "'",
                    api.get("/api/exchanges/" + vhost() + "/" + enc(name)));
        }
    }

    @Command(name = "binding", description = "Bind a queue (or an exchange) to an exchange.")
    static final class Binding extends ApiCommand {
        @Option(names = {"-s", "--source"}, required = true, paramLabel = "EXCHANGE")
        String source;
        @Option(names = {"-d", "--destination"}, required = true, paramLabel = "NAME")
        String destination;
        @Option(names = "--destination-type", paramLabel = "queue|exchange", defaultValue = "queue",
                description = "What the destination is (default: ${DEFAULT-VALUE}).")
        String destinationType;
        @Option(names = {"-k", "--routing-key"}, paramLabel = "KEY", defaultValue = "")
        String routingKey;
        @Option(names = "--arg", paramLabel = "KEY=VALUE", description = "A binding argument (repeatable).")
        Map<String, String> arguments;

        @Override
        void run(ApiClient api, Output out) {
            String path = Bindings.path(vhost(), source, destinationType, destination);
            api.post(path, Map.of("routing_key", routingKey, "arguments", Values.typed(arguments)));
            done(out, "bound " + destinationType + " '" + destination + "' to exchange '" + source + "' with key '"
                    + routingKey + "'", api.get(path));
        }
    }

    @Command(name = "vhost", description = "Declare a virtual host.")
    static final class Vhost extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--description", paramLabel = "TEXT", defaultValue = "")
        String description;

        @Override
        void run(ApiClient api, Output out) {
            api.put("/api/vhosts/" + enc(name), Map.of("description", description));
            done(out, "declared vhost '" + name + "'", api.get("/api/vhosts/" + enc(name)));
        }
    }

    @Command(name = "policy", description = "Declare a policy: a definition applied to the queues and/or exchanges"
            + " whose names match a pattern.")
    static final class Policy extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--pattern", required = true, paramLabel = "REGEX")
        String pattern;
        @Option(names = "--apply-to", paramLabel = "queues|exchanges|all", defaultValue = "queues",
                description = "Default: ${DEFAULT-VALUE}.")
        String applyTo;
        @Option(names = "--priority", defaultValue = "0", description = "Higher wins (default: ${DEFAULT-VALUE}).")
        int priority;
        @Option(names = "--definition", required = true, paramLabel = "KEY=VALUE", description = "e.g."
                + " dead-letter-exchange=dlx, message-ttl=60000, trace=true (repeatable).")
        Map<String, String> definition;

        @Override
        void run(ApiClient api, Output out) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("pattern", pattern);
            body.put("apply-to", applyTo);
            body.put("priority", priority);
            body.put("definition", Values.typed(definition));
            String path = "/api/policies/" + vhost() + "/" + enc(name);
            api.put(path, body);
            done(out, "declared policy '" + name + "' in vhost '" + options.vhost() + "'", api.get(path));
        }
    }
}
