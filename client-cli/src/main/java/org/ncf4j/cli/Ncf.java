package org.ncf4j.cli;

import java.io.PrintWriter;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ncf}: the command-line client of the ncf4j server; it talks to the server only through its gRPC API. Exit
 * codes: 0 done, 1 the server answered with an error status, 2 bad usage, 3 server unreachable or deadline
 * exceeded (see {@link ExitCodes}).
 */
@Command(name = "ncf", mixinStandardHelpOptions = true, version = "ncf 0.1.0",
        description = "Command-line client of the ncf4j gRPC server. Exit codes: 0 done, 1 the server answered "
                + "with an error, 2 bad usage, 3 server unavailable or deadline exceeded.",
        subcommands = {RecommendCommand.class, ScoreCommand.class, BatchCommand.class, ModelsCommand.class,
            InfoCommand.class, ReloadCommand.class, HealthCommand.class, EvaluateCommand.class, RecallCommand.class,
            BenchCommand.class,
            AutoComplete.GenerateCompletion.class})
public final class Ncf implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand, e.g. ncf recommend USER");
    }

    /** Runs with the given arguments and returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Ncf());
        cli.setOut(out);
        cli.setErr(err);
        cli.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        cli.setParameterExceptionHandler((e, arguments) -> {
            err.println("ncf: " + e.getMessage());
            err.println("(see ncf " + (e.getCommandLine().getCommandName().equals("ncf") ? ""
                    : e.getCommandLine().getCommandName() + " ") + "--help)");
            err.flush();
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            CommandLine.Model.CommandSpec connection = cmd.getCommandSpec().mixins().get("connection");
            String target = connection != null ? ((Connection) connection.userObject()).target() : "the server";
            ExitCodes.Failure f = ExitCodes.of(e, target);
            err.println("ncf: " + f.message());
            err.flush();
            return f.code();
        });
        return cli.execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }
}
