package io.ferrymq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import static io.ferrymq.cli.ApiClient.enc;

/** {@code ferry delete queue|exchange|binding|vhost|policy|connection}: removes one object through the API. */
@Command(name = "delete", description = "Delete a queue, exchange, binding, vhost, policy or connection.",
        subcommands = {DeleteCommand.Queue.class, DeleteCommand.Exchange.class, DeleteCommand.Binding.class,
                DeleteCommand.Vhost.class, DeleteCommand.Policy.class, DeleteCommand.Connection.class})
final class DeleteCommand {

    private static JsonNode deleted(String kind, String name) {
        return ApiClient.JSON.createObjectNode().put("deleted", kind).put("name", name);
    }

    @Command(name = "queue", description = "Delete a queue and its messages.")
    static final class Queue extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--if-empty", description = "Only when it holds no messages.")
        boolean ifEmpty;
        @Option(names = "--if-unused", description = "Only when it has no consumers.")
        boolean ifUnused;

        @Override
        void run(ApiClient api, Output out) {
            api.delete("/api/queues/" + vhost() + "/" + enc(name) + "?if-empty=" + ifEmpty + "&if-unused="
                    + ifUnused);
            done(out, "deleted queue '" + name + "'", deleted("queue", name));
        }
    }

    @Command(name = "exchange", description = "Delete an exchange.")
    static final class Exchange extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--if-unused", description = "Only when nothing is bound to it.")
        boolean ifUnused;

        @Override
        void run(ApiClient api, Output out) {
            api.delete("/api/exchanges/" + vhost() + "/" + enc(name) + "?if-unused=" + ifUnused);
            done(out, "deleted exchange '" + name + "'", deleted("exchange", name));
        }
    }

    @Command(name = "binding", description = "Delete the bindings from an exchange to a destination with a key.")
    static final class Binding extends ApiCommand {
        @Option(names = {"-s", "--source"}, required = true, paramLabel = "EXCHANGE")
        String source;
        @Option(names = {"-d", "--destination"}, required = true, paramLabel = "NAME")
        String destination;
        @Option(names = "--destination-type", paramLabel = "queue|exchange", defaultValue = "queue")
        String destinationType;
        @Option(names = {"-k", "--routing-key"}, paramLabel = "KEY", defaultValue = "")
        String routingKey;

        @Override
        void run(ApiClient api, Output out) {
            String path = Bindings.path(vhost(), source, destinationType, destination);
            int count = 0;
            // a binding is addressed by its properties key, which the API computes; find it by routing key
            for (JsonNode binding : api.get(path)) {
                if (binding.path("routing_key").asText().equals(routingKey)) {
                    api.delete(path + "/" + enc(binding.path("properties_key").asText()));
                    count++;
                }
            }
            if (count == 0) {
                throw new ApiFailure(404, "404 not found: no binding from exchange '" + source + "' to "
                        + destinationType + " '" + destination + "' with key '" + routingKey + "'");
            }
            done(out, "deleted " + count + " binding" + (count == 1 ? "" : "s") + " from '" + source + "' to '"
                    + destination + "'", deleted("binding", source + " -> " + destination));
        }
    }

    @Command(name = "vhost", description = "Delete a virtual host and everything in it.")
    static final class Vhost extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(ApiClient api, Output out) {
            api.delete("/api/vhosts/" + enc(name));
            done(out, "deleted vhost '" + name + "'", deleted("vhost", name));
        }
    }

    @Command(name = "policy", description = "Delete a policy.")
    static final class Policy extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(ApiClient api, Output out) {
            api.delete("/api/policies/" + vhost() + "/" + enc(name));
            done(out, "deleted policy '" + name + "'", deleted("policy", name));
        }
    }

    @Command(name = "connection", description = "Close a client connection (its name as 'list connections' shows"
            + " it).")
    static final class Connection extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(ApiClient api, Output out) {
            api.delete("/api/connections/" + enc(name));
            done(out, "closed connection '" + name + "'", deleted("connection", name));
        }
    }
}
