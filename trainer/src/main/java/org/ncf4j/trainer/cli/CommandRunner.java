package org.ncf4j.trainer.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.ncf4j.data.DataException;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Runs a command the way every ncf4j command behaves: exit code 0 when done, 1 with a one-line message for bad
 * data or a failed run (never a stack trace), 2 with a one-line message for bad usage (an unknown flag, a value
 * out of range, a missing or doubled data source, a bad {@code --config} file); {@code --config FILE} supplies
 * defaults for any flag from a properties file.
 */
final class CommandRunner {
    /** Exit code of bad usage. */
    static final int USAGE = 2;

    private CommandRunner() {
    }

    static int run(Object command, String name, PrintStream out, PrintStream err, String... args) {
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        ConfigFile found;
        try {
            found = ConfigFile.find(args);
            if (found != null) {
                found.check(cli.getCommandSpec());
                cli.setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(found.properties()));
            }
        } catch (IOException | IllegalArgumentException e) {
            err.println(name + ": " + e.getMessage() + " (see " + name + " --help)");
            return USAGE;
        }
        ConfigFile config = found;
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof UsageError) {
                String from = config == null ? "" : config.suppliedKeys(args);
                err.println(name + ": " + e.getMessage() + (from.isEmpty() ? "" : " (" + config.file() + " sets "
                        + from + ")") + " (see " + name + " --help)");
                return USAGE;
            }
            err.println(name + ": " + message(e));
            return 1;
        });
        cli.setParameterExceptionHandler((e, given) -> {
            err.println(name + ": " + usage(e, config, given) + " (see " + name + " --help)");
            return USAGE;
        });
        return cli.execute(args);
    }

    /** Bad usage in one line: what was wrong, and for a missing or doubled data source what to pass. */
    private static String usage(CommandLine.ParameterException e, ConfigFile config, String[] given) {
        List<String> flags = Arrays.stream(given).filter(a -> a.startsWith("--"))
                .map(a -> a.contains("=") ? a.substring(0, a.indexOf('=')) : a).toList();
        List<String> sources = flags.stream().filter(DataOptions.Source.FLAGS::contains).distinct().toList();
        if (e instanceof CommandLine.MissingParameterException missing && sources.isEmpty()
                && missing.getMissing().stream().anyMatch(a -> a.group() != null)) {
            return "no data source: pass one of " + String.join(", ", names(DataOptions.Source.FLAGS.stream()
                    .map(f -> (ArgSpec) e.getCommandLine().getCommandSpec().findOption(f)).toList()));
        }
        if (sources.size() > 1 && (e instanceof CommandLine.MutuallyExclusiveArgsException
                || e instanceof CommandLine.MaxValuesExceededException)) {
            // picocli words this as the whole option group matched twice
            return "more than one data source (" + String.join(", ", sources) + "): pass exactly one of "
                    + String.join(", ", DataOptions.Source.FLAGS);
        }
        if (e instanceof CommandLine.MaxValuesExceededException) {
            // an option of the data group given twice, which picocli also words as the group matched twice
            for (String f : flags) {
                if (flags.indexOf(f) != flags.lastIndexOf(f)) {
                    return f + " is given more than once";
                }
            }
        }
        String text = e.getMessage() == null ? "bad usage" : firstLine(e.getMessage().replaceFirst("^Error: ", ""));
        ArgSpec arg = e.getArgSpec();
        if (config != null && arg instanceof OptionSpec option && config.supplied(option, given)) {
            return config.file() + ", key " + ConfigFile.key(option) + ": " + text;
        }
        return text;
    }

    private static List<String> names(List<ArgSpec> args) {
        return args.stream().filter(a -> a instanceof OptionSpec).map(a -> {
            OptionSpec o = (OptionSpec) a;
            return o.longestName() + (o.arity().max() > 0 ? " " + o.paramLabel() : "");
        }).collect(Collectors.toList());
    }

    private static String message(Exception e) {
        if (e instanceof DataException || e instanceof IllegalArgumentException
                || e instanceof java.nio.file.FileAlreadyExistsException || e instanceof IllegalStateException) {
            return firstLine(e.getMessage());
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "not found: " + e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + firstLine(String.valueOf(e.getMessage()));
    }

    /** Native errors carry a backtrace in their message; the user gets its first line. */
    private static String firstLine(String message) {
        return message == null ? null : message.lines().findFirst().orElse("");
    }
}
