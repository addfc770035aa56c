package io.ferrymq.cli;

import static io.ferrymq.cli.ApiClient.enc;

/** The API's binding paths: {@code /api/bindings/{vhost}/e/{source}/q|e/{destination}}. */
final class Bindings {
    private Bindings() {
    }

    static String path(String encodedVhost, String source, String destinationType, String destination) {
        String kind = switch (destinationType) {
            case "queue", "q" -> "q";
            case "exchange", "e" -> "e";
            default -> throw new UsageFailure("--destination-type must be queue or exchange, not '"
                    + destinationType + "'");
        };
        return "/api/bindings/" + encodedVhost + "/e/" + enc(exchange(source)) + "/" + kind + "/" + enc(destination);
    }

    /** The default exchange, named "" in AMQP, is {@code amq.default} in the API's paths. */
    static String exchange(String name) {
        return name.isEmpty() ? "amq.default" : name;
    }
}
