package io.ferrymq.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.ferrymq.cli.ApiClient.enc;

/** {@code ferry users list|add|delete|passwd}: the broker's users (administrators only). */
@Command(name = "users", description = "List, add, change or delete broker users.",
        subcommands = {UsersCommand.ListUsers.class, UsersCommand.Add.class, UsersCommand.Passwd.class,
                UsersCommand.Tags.class, UsersCommand.Delete.class})
final class UsersCommand {

    @Command(name = "list", description = "List users and their tags.")
    static final class ListUsers extends ApiCommand {
        @Override
        void run(ApiClient api, Output out) {
            print(out, api.get("/api/users"), Listing.users.columns);
        }
    }

    @Command(name = "add", description = "Add a user (or replace its password and tags).")
    static final class Add extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--new-password", required = true, paramLabel = "PASSWORD", description = "The user's"
                + " password (--password is the password of the user running the command).")
        String newPassword;
        @Option(names = "--tags", split = ",", paramLabel = "TAG", description = "administrator, monitoring,"
                + " policymaker, management (comma-separated).")
        List<String> tags = List.of();

        @Override
        void run(ApiClient api, Output out) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("password", newPassword);
            body.put("tags", tags);
            api.put("/api/users/" + enc(name), body);
            done(out, "added user '" + name + "'" + (tags.isEmpty() ? "" : " with tags " + String.join(",", tags)),
                    api.get("/api/users/" + enc(name)));
        }
    }

    @Command(name = "passwd", description = "Change a user's password.")
    static final class Passwd extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--new-password", required = true, paramLabel = "PASSWORD")
        String newPassword;

        @Override
        void run(ApiClient api, Output out) {
            api.get("/api/users/" + enc(name)); // a typo must not create a user
            api.put("/api/users/" + enc(name), Map.of("password", newPassword));
            done(out, "changed the password of '" + name + "'", api.get("/api/users/" + enc(name)));
        }
    }

    @Command(name = "tags", description = "Set a user's tags (none to clear them).")
    static final class Tags extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1..*", arity = "0..*", paramLabel = "TAG")
        List<String> tags = List.of();

        @Override
        void run(ApiClient api, Output out) {
            api.get("/api/users/" + enc(name));
            api.put("/api/users/" + enc(name), Map.of("tags", tags));
            done(out, "tags of '" + name + "': " + (tags.isEmpty() ? "none" : String.join(",", tags)),
                    api.get("/api/users/" + enc(name)));
        }
    }

    @Command(name = "delete", description = "Delete a user.")
    static final class Delete extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        void run(ApiClient api, Output out) {
            api.get("/api/users/" + enc(name));
            api.delete("/api/users/" + enc(name));
            done(out, "deleted user '" + name + "'",
                    ApiClient.JSON.createObjectNode().put("deleted", "user").put("name", name));
        }
    }
}
