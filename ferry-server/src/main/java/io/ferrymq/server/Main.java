package io.ferrymq.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The {@code ferry} command line. Expected failures (bad configuration, taken port, unusable data directory) print
 * one line to stderr and exit 1; a malformed command line exits 2, as picocli programs do.
 */
@Command(name = "ferry", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "FerryMQ, a message broker speaking AMQP 0-9-1.",
        subcommands = CommandLine.HelpCommand.class)
public final class Main implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs the command line and returns the exit code; the streams and environment are parameters for tests. */
    static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        var commandLine = new CommandLine(new Main())
                .addSubcommand(new ServerCommand(environment, out))
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        commandLine.setParameterExceptionHandler((invalid, arguments) -> {
            String command = invalid.getCommandLine().getCommandSpec().qualifiedName();
            err.println("ferry: " + invalid.getMessage() + " (see '" + command + " --help')");
            return 2;
        });
        commandLine.setExecutionExceptionHandler((failure, command, parsed) -> {
            if (failure instanceof StartupException expected) {
                err.println("ferry: " + expected.getMessage());
                return 1;
            }
            throw failure;
        });
        return commandLine.execute(args);
    }

    /** Without a subcommand there is nothing to do but say what there is; that is a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** Picocli's hook for {@code --version}. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"FerryMQ " + FerryVersion.current()};
        }
    }
}
