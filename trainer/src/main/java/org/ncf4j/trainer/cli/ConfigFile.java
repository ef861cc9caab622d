package org.ncf4j.trainer.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A {@code --config FILE}: a properties file whose keys are long flag names without dashes, giving defaults that
 * flags on the command line override. Every key must name a flag of the command (a typo such as {@code epoch}
 * is refused, never ignored), and the data source is given on the command line only.
 */
final class ConfigFile {
    private static final Set<String> NOT_CONFIGURABLE = Set.of("config", "help", "version");

    private final Path file;
    private final Properties properties;

    private ConfigFile(Path file, Properties properties) {
        this.file = file;
        this.properties = properties;
    }

    /** The {@code --config FILE} among the arguments, read, or null when there is none. */
    static ConfigFile find(String[] args) throws IOException {
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
                } catch (IllegalArgumentException e) {
                    throw new IOException("config file " + file + ": " + e.getMessage(), e);
                }
                return new ConfigFile(file, p);
            }
        }
        return null;
    }

    /** Refuses keys that name no flag of the command, and data sources. */
    void check(CommandSpec spec) {
        Set<String> keys = new TreeSet<>();
        for (OptionSpec o : spec.options()) {
            keys.add(key(o));
        }
        keys.removeAll(NOT_CONFIGURABLE);
        for (String name : new TreeSet<>(properties.stringPropertyNames())) {
            if (DataOptions.Source.FLAGS.contains("--" + name)) {
                throw new IllegalArgumentException("config file " + file + ", key " + name + ": the data source is "
                        + "given on the command line, not in a config file");
            }
            if (!keys.contains(name)) {
                throw new IllegalArgumentException("config file " + file + ": unknown key '" + name + "' (keys are "
                        + "long flag names without the dashes" + closest(name, keys) + ")");
            }
        }
    }

    Path file() {
        return file;
    }

    Properties properties() {
        return properties;
    }

    /** Whether the option's value came from this file: it is set here and not on the command line. */
    boolean supplied(OptionSpec option, String[] args) {
        return properties.containsKey(key(option)) && Arrays.stream(option.names())
                .noneMatch(n -> onCommandLine(n, args));
    }

    private static boolean onCommandLine(String flag, String[] args) {
        return Arrays.stream(args).anyMatch(a -> a.equals(flag) || a.startsWith(flag + "="));
    }

    /** The keys whose values this file gave (not overridden on the command line), as "k = v, ...". */
    String suppliedKeys(String[] args) {
        StringBuilder b = new StringBuilder();
        for (String name : new TreeSet<>(properties.stringPropertyNames())) {
            if (!onCommandLine("--" + name, args)) {
                b.append(b.length() == 0 ? "" : ", ").append(name).append(" = ").append(properties.getProperty(name));
            }
        }
        return b.toString();
    }

    /** The key of an option: its long name without the dashes. */
    static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^-+", "");
    }

    private static String closest(String name, Set<String> keys) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : keys) {
            int d = distance(name, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= Math.max(2, name.length() / 3) ? "; did you mean '" + best + "'?"
                : "";
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
