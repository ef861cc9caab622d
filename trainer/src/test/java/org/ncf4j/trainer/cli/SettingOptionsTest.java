package org.ncf4j.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.ncf4j.trainer.settings.TrainConfig;
import org.ncf4j.trainer.settings.TrainSetting;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The command's options of the training settings follow from the list, and each reaches its component. */
class SettingOptionsTest {
    /**
     * Two command lines that between them give every setting of the config a value other than its default (a NeuMF
     * from pretrained parts cannot have another variant).
     */
    private static final List<List<String>> EVERY_SETTING = List.of(
            List.of("--model", "gmf", "--factor", "4", "--layers", "16,8", "--epochs", "3", "--batch-size", "64",
                    "--lr", "0.01", "--optimizer", "lazy-adam", "--negatives", "2", "--embedding-l2", "0.1",
                    "--layer-l2", "0.2", "--seed", "7", "--top-k", "5", "--no-full-ranking", "--device", "auto",
                    "--threads", "2", "--average-from", "2", "--eval-users", "500", "--full-ranking-users", "50"),
            List.of("--pretrained-gmf", "g", "--pretrained-mlp", "m", "--alpha", "0.3", "--fine-tune", "output"));

    private static CommandSpec parsed(List<String> args) {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        CommandLine cli = new CommandLine(new TrainCommand(quiet, quiet));
        List<String> all = new ArrayList<>(List.of("--interactions", "ratings.csv"));
        all.addAll(args);
        cli.parseArgs(all.toArray(String[]::new));
        return cli.getCommandSpec();
    }

    @Test
    void everySettingIsAnOptionWithItsLabelDefaultAndHelpListedFirstInTheListsOrder() {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        CommandLine cli = new CommandLine(new TrainCommand(quiet, quiet));
        String help = cli.getUsageMessage(CommandLine.Help.Ansi.OFF);
        int last = -1;
        for (TrainSetting s : TrainSetting.values()) {
            OptionSpec o = cli.getCommandSpec().findOption(s.flag());
            assertNotNull(o, s.flag());
            assertEquals(s.paramLabel(), o.paramLabel());
            assertEquals(s.defaultValue(), o.defaultValue());
            assertEquals(List.of(s.description().replace("${DEFAULT-VALUE}", String.valueOf(s.defaultValue()))),
                    Arrays.asList(o.description()));
            int at = help.indexOf("      " + s.flag());
            assertTrue(at > last, s.flag() + " out of the list's order in:\n" + help);
            last = at;
        }
        assertTrue(last < help.indexOf("  -o, --output"), "the settings come before the run's own options");
        assertTrue(help.contains("--lr=<learningRate>    Learning rate (default: 0.001)."), help);
    }

    @Test
    void theCommandsDefaultsAreTheBuildersDefaults() {
        assertEquals(components(TrainConfig.builder().build()), components(SettingOptions.config(parsed(List.of()))));
        assertEquals("cpu", SettingOptions.device(parsed(List.of())));
    }

    @Test
    void eachSettingGivenOnTheCommandLineReachesItsComponentAndNoOther() {
        Map<String, Object> defaults = components(TrainConfig.builder().build());
        Set<String> covered = new TreeSet<>();
        for (List<String> args : EVERY_SETTING) {
            Set<String> given = new TreeSet<>();
            for (TrainSetting s : TrainSetting.values()) {
                if (args.contains(s.flag()) && s.inConfig()) {
                    given.add(s.key());
                }
            }
            Map<String, Object> config = components(SettingOptions.config(parsed(args)));
            Set<String> changed = new TreeSet<>();
            config.forEach((k, v) -> {
                if (!v.equals(defaults.get(k))) {
                    changed.add(k);
                }
            });
            assertEquals(given, changed, String.join(" ", args));
            covered.addAll(changed);
        }
        assertEquals("auto", SettingOptions.device(parsed(EVERY_SETTING.get(0))));
        Set<String> missing = new TreeSet<>(defaults.keySet());
        missing.removeAll(covered);
        assertEquals(Set.of(), missing, "settings of the config none of the command lines gives: add them to one");
    }

    /** A flag a config file turns on stays on when the command line gives it too (picocli would toggle it back). */
    @Test
    void aFlagOnInAConfigFileAndOnTheCommandLineIsOn() {
        for (List<String> args : List.of(List.<String>of(), List.of("--no-full-ranking"))) {
            PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
            CommandLine cli = new CommandLine(new TrainCommand(quiet, quiet));
            java.util.Properties file = new java.util.Properties();
            file.setProperty("no-full-ranking", "true");
            cli.setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(file));
            List<String> all = new ArrayList<>(List.of("--interactions", "ratings.csv"));
            all.addAll(args);
            cli.parseArgs(all.toArray(String[]::new));
            assertEquals(false, SettingOptions.config(cli.getCommandSpec()).fullRanking(), args.toString());
        }
    }

    /** The config's components by name, arrays as lists, null as "null", so that configs compare by value. */
    private static Map<String, Object> components(TrainConfig config) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (RecordComponent c : TrainConfig.class.getRecordComponents()) {
            try {
                Object v = c.getAccessor().invoke(config);
                values.put(c.getName(), v instanceof int[] a ? Arrays.toString(a) : String.valueOf(v));
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return values;
    }
}
