package io.ferrymq.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * The {@code ferry} command line: every command talks to a node's management HTTP API, never to its files. Exit
 * codes: 0 done, 1 the API refused or could not be reached (one line on stderr says why), 2 bad usage.
 */
@Command(name = "ferry", mixinStandardHelpOptions = true, versionProvider = FerryCli.Version.class,
        description = "Operate a FerryMQ node through its management HTTP API.",
        footer = {"", "Options common to the commands: --url URL (default " + ApiOptions.DEFAULT_URL + "),"
                + " --user/--password (default $FERRY_USER/$FERRY_PASSWORD, else guest/guest), --vhost VHOST,"
                + " --json.", "Exit codes: 0 ok, 1 API error or broker unreachable, 2 usage error."},
        subcommands = {StatusCommand.class, ListCommand.class, DeclareCommand.class, DeleteCommand.class,
                PublishCommand.class, GetCommand.class, PurgeCommand.class, RedriveCommand.class,
                TraceCommand.class, DefinitionsCommand.class, UsersCommand.class, PermissionsCommand.class,
                CommandLine.HelpCommand.class})
final class FerryCli implements Callable<Integer> {
    static final int OK = 0;
    static final int API_ERROR = 1;
    static final int USAGE = 2;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    final Output output;
    final Environment environment;

    private FerryCli(Output output, Environment environment) {
        this.output = output;
        this.environment = environment;
    }

    /** Runs one command line; returns its exit code. */
    static int run(String[] args, PrintWriter out, PrintWriter err, Environment environment) {
        CommandLine commandLine = commandLine(out, err, environment);
        try {
            return commandLine.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err, Environment environment) {
        CommandLine commandLine = new CommandLine(new FerryCli(new Output(out, err), environment));
        commandLine.setOut(out).setErr(err);
        commandLine.setExitCodeExceptionMapper(failure -> failure instanceof UsageFailure ? USAGE : API_ERROR);
        commandLine.setParameterExceptionHandler((failure, args) -> {
            CommandLine failed = failure.getCommandLine();
            err.println("ferry: " + failure.getMessage());
            err.println("Try '" + failed.getCommandSpec().qualifiedName(" ") + " --help'.");
            return USAGE;
        });
        commandLine.setExecutionExceptionHandler((failure, failed, parseResult) -> {
            if (failure instanceof ApiFailure || failure instanceof UsageFailure) {
                err.println("ferry: " + failure.getMessage());
                return failure instanceof UsageFailure ? USAGE : API_ERROR;
            }
            throw failure;
        });
        return commandLine;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /** The CLI's own version, from its jar's manifest (absent when run from classes). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = FerryCli.class.getPackage().getImplementationVersion();
            return new String[]{"ferry " + (version == null ? "(development build)" : version)};
        }
    }
}
