package io.ferrymq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.ferrymq.cli.ApiClient.enc;

/** {@code ferry publish}: one message through the API's publish endpoint; says whether a queue got it. */
@Command(name = "publish", description = "Publish one message (the body from the argument, a file, or stdin).")
final class PublishCommand extends ApiCommand {
    @Option(names = {"-e", "--exchange"}, paramLabel = "EXCHANGE", defaultValue = "",
            description = "Default: the default exchange (routes to the queue named by the routing key).")
    String exchange;
    @Option(names = {"-k", "--routing-key"}, paramLabel = "KEY", defaultValue = "")
    String routingKey;
    @Option(names = "--message-id", paramLabel = "ID")
    String messageId;
    @Option(names = "--correlation-id", paramLabel = "ID")
    String correlationId;
    @Option(names = "--content-type", paramLabel = "TYPE")
    String contentType;
    @Option(names = "--persistent", description = "delivery_mode 2: written to disk on a durable queue.")
    boolean persistent;
    @Option(names = "--property", paramLabel = "KEY=VALUE", description = "Another AMQP property by the API's name,"
            + " e.g. expiration=60000, priority=5, reply_to=q (repeatable).")
    Map<String, String> properties;
    @Option(names = {"-H", "--header"}, paramLabel = "KEY=VALUE", description = "A message header (repeatable).")
    Map<String, String> headers;
    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read the body from FILE ('-' for stdin).")
    Path file;
    @Parameters(index = "0", arity = "0..1", paramLabel = "BODY")
    String body;

    @Override
    void run(ApiClient api, Output out) {
        if (body != null && file != null) {
            throw new UsageFailure("give the body as an argument or with --file, not both");
        }
        Map<String, Object> props = new LinkedHashMap<>();
        props.putAll(Values.typed(properties));
        // properties that are strings on the wire stay strings whatever they look like
        if (properties != null) {
            for (String text : new String[]{"message_id", "correlation_id", "expiration", "reply_to", "type",
                    "app_id", "user_id", "content_type", "content_encoding"}) {
                if (properties.containsKey(text)) {
                    props.put(text, properties.get(text));
                }
            }
        }
        put(props, "message_id", messageId);
        put(props, "correlation_id", correlationId);
        put(props, "content_type", contentType);
        if (persistent) {
            props.put("delivery_mode", 2);
        }
        if (headers != null) {
            props.put("headers", Values.typed(headers));
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("routing_key", routingKey);
        request.put("properties", props);
        if (file != null) {
            request.put("payload", Base64.getEncoder().encodeToString(read(file)));
            request.put("payload_encoding", "base64");
        } else {
            request.put("payload", body == null ? "" : body);
            request.put("payload_encoding", "string");
        }
        JsonNode answer = api.post("/api/exchanges/" + vhost() + "/" + enc(Bindings.exchange(exchange)) + "/publish",
                request);
        boolean routed = answer.path("routed").asBoolean();
        done(out, routed ? "published: routed to at least one queue"
                : "published, but not routed: no queue matched exchange '" + exchange + "' and key '"
                + routingKey + "'", answer);
    }

    private static void put(Map<String, Object> props, String name, String value) {
        if (value != null) {
            props.put(name, value);
        }
    }

    private static byte[] read(Path file) {
        try {
            return file.toString().equals("-") ? System.in.readAllBytes() : Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UsageFailure("cannot read " + file + ": " + e.getMessage());
        }
    }
}
