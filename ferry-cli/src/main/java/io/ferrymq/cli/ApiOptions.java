package io.ferrymq.cli;

import picocli.CommandLine.Option;

/**
 * Where the management API is and who talks to it; mixed into every command that calls the API, so the options work
 * after any subcommand ({@code ferry list queues --url ...}).
 */
final class ApiOptions {
    static final String DEFAULT_URL = "http://127.0.0.1:15672";

    @Option(names = "--url", paramLabel = "URL", description = "Management API base URL (default: ${DEFAULT-VALUE}).",
            defaultValue = DEFAULT_URL)
    String url = DEFAULT_URL;

    @Option(names = {"-u", "--user"}, paramLabel = "USER",
            description = "Broker user (default: $FERRY_USER, else guest).")
    String user;

    @Option(names = {"-p", "--password"}, paramLabel = "PASSWORD",
            description = "Its password (default: $FERRY_PASSWORD, else guest).")
    String password;

    @Option(names = "--vhost", paramLabel = "VHOST", description = "Virtual host (default: /; lists show every"
            + " vhost unless given).")
    String vhost;

    @Option(names = "--json", description = "Print the API's JSON instead of a table.")
    boolean json;

    String vhost() {
        return vhost == null ? "/" : vhost;
    }

    boolean vhostGiven() {
        return vhost != null;
    }

    ApiClient client(Environment env) {
        String u = user != null ? user : env.get("FERRY_USER", "guest");
        String p = password != null ? password : env.get("FERRY_PASSWORD", "guest");
        return new ApiClient(url, u, p);
    }
}
