package org.ncf4j.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ncf}: the command-line client of the ncf4j server. Exit codes: 0 done, 1 failed, 2 bad usage. */
@Command(name = "ncf", mixinStandardHelpOptions = true, version = "ncf 0.1.0",
        description = "Command-line client of the ncf4j gRPC server.", subcommands = {BenchCommand.class})
public final class Ncf implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand, e.g. ncf bench");
    }

    /** Runs with the given arguments and returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Ncf());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            boolean expected = e instanceof IllegalArgumentException || e instanceof IllegalStateException
                    || e instanceof org.ncf4j.data.DataException;
            err.println("ncf: " + (expected ? e.getMessage() : e.toString()));
            return 1;
        });
        return cli.execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }
}
