package io.ferrymq.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Map;

import static io.ferrymq.cli.ApiClient.enc;

/** {@code ferry permissions list|set|clear}: what a user may configure, write and read in a vhost. */
@Command(name = "permissions", description = "List, set or clear users' permissions in a vhost.",
        subcommands = {PermissionsCommand.ListPermissions.class, PermissionsCommand.Set.class,
                PermissionsCommand.Clear.class})
final class PermissionsCommand {

    @Command(name = "list", description = "List permissions (every vhost's unless --vhost is given).")
    static final class ListPermissions extends ApiCommand {
        @Override
        void run(ApiClient api, Output out) {
            print(out, api.get(options.vhostGiven() ? "/api/vhosts/" + vhost() + "/permissions" : "/api/permissions"),
                    Listing.permissions.columns);
        }
    }

    @Command(name = "set", description = "Set a user's permissions in the vhost (regular expressions over names).")
    static final class Set extends ApiCommand {
        @Parameters(index = "0", paramLabel = "USER")
        String user;
        @Option(names = "--configure", defaultValue = ".*", paramLabel = "REGEX",
                description = "Default: ${DEFAULT-VALUE}.")
        String configure;
        @Option(names = "--write", defaultValue = ".*", paramLabel = "REGEX", description = "Default: ${DEFAULT-VALUE}.")
        String write;
        @Option(names = "--read", defaultValue = ".*", paramLabel = "REGEX", description = "Default: ${DEFAULT-VALUE}.")
        String read;

        @Override
        void run(ApiClient api, Output out) {
            String path = "/api/permissions/" + vhost() + "/" + enc(user);
            api.put(path, Map.of("configure", configure, "write", write, "read", read));
            done(out, "set permissions of '" + user + "' in vhost '" + options.vhost() + "': configure '" + configure
                    + "', write '" + write + "', read '" + read + "'", api.get(path));
        }
    }

    @Command(name = "clear", description = "Remove a user's permissions in the vhost.")
    static final class Clear extends ApiCommand {
        @Parameters(index = "0", paramLabel = "USER")
        String user;

        @Override
        void run(ApiClient api, Output out) {
            api.delete("/api/permissions/" + vhost() + "/" + enc(user));
            done(out, "cleared permissions of '" + user + "' in vhost '" + options.vhost() + "'",
                    ApiClient.JSON.createObjectNode().put("cleared", user).put("vhost", options.vhost()));
        }
    }
}
