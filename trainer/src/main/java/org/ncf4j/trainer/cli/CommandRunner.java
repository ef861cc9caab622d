package org.ncf4j.trainer.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.ncf4j.data.DataException;
import picocli.CommandLine;

/**
 * Runs a command the way every ncf4j command behaves: exit code 0 when done, 1 with a one-line message for bad
 * data or a failed run (never a stack trace), 2 for bad usage; {@code --config FILE} supplies defaults for any
 * flag from a properties file.
 */
final class CommandRunner {
    private CommandRunner() {
    }

    static int run(Object command, String name, PrintStream out, PrintStream err, String... args) {
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            err.println(name + ": " + message(e));
            return 1;
        });
        try {
            Properties defaults = configFile(args);
            if (defaults != null) {
                cli.setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(defaults));
            }
        } catch (IOException e) {
            err.println(name + ": " + e.getMessage());
            return 2;
        }
        return cli.execute(args);
    }

    private static String message(Exception e) {
        if (e instanceof DataException || e instanceof IllegalArgumentException
                || e instanceof java.nio.file.FileAlreadyExistsException || e instanceof IllegalStateException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** Finds {@code --config FILE} before parsing, since its values are the parser's defaults. */
    private static Properties configFile(String[] args) throws IOException {
        for (int i = 0; i < args.length; i++) {
            String path = null;
            if (args[i].equals("--config") && i + 1 < args.length) {
                path = args[i + 1];
            } else if (args[i].startsWith("--config=")) {
                path = args[i].substring("--config=".length());
            }
            if (path != null) {
                Path file = Path.of(path);
                if (!Files.isRegularFile(file)) {
                    throw new IOException("config file not found: " + file);
                }
                Properties p = new Properties();
                try (InputStream in = Files.newInputStream(file)) {
                    p.load(in);
                }
                return p;
            }
        }
        return null;
    }
}
