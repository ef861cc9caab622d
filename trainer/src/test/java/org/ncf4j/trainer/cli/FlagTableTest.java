package org.ncf4j.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ncf4j.trainer.settings.TrainSetting;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The flag table of the training documentation ({@code | flag | default | meaning |}, the first cell naming one or
 * more flags in backticks) against {@code ncf-train}: every flag of the command but the data source's has a row,
 * every row names flags of the command, and the defaults it gives for training settings are the settings' own.
 */
class FlagTableTest {
    /** The document that holds the table, from the trainer's folder. */
    static final Path DOCUMENT = Path.of("..", "docs", "training.md");

    private static final Pattern HEADER = Pattern.compile("^\\|\\s*flag\\s*\\|\\s*default\\s*\\|\\s*meaning\\s*\\|\\s*$");
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");

    /** A row of the table: the flags its first cell names, and the values in backticks of its default cell. */
    private record Row(List<String> flags, List<String> defaults, String text) {
    }

    @Test
    void everyFlagHasARowEveryRowNamesFlagsAndTheDefaultsAreTheSettings() throws IOException {
        List<Row> rows = table(Files.readAllLines(DOCUMENT));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        CommandSpec spec = new CommandLine(new TrainCommand(quiet, quiet)).getCommandSpec();
        Set<String> names = new TreeSet<>();
        spec.options().forEach(o -> names.addAll(Arrays.asList(o.names())));
        Set<String> inRows = new TreeSet<>();
        List<String> wrong = new ArrayList<>();
        for (Row row : rows) {
            if (row.flags().isEmpty()) {
                wrong.add("a row names no flag: " + row.text());
            }
            for (String flag : row.flags()) {
                if (!names.contains(flag)) {
                    wrong.add("the row of " + flag + " names no flag of ncf-train: " + row.text());
                }
            }
            inRows.addAll(row.flags());
            wrong.addAll(defaults(row));
        }
        for (OptionSpec o : spec.options()) {
            if (o.group() != null || o.usageHelp() || o.versionHelp()) {
                continue;
            }
            boolean hasRow = Arrays.stream(o.names()).anyMatch(inRows::contains);
            if (!hasRow) {
                wrong.add(o.longestName() + " has no row in the flag table");
            }
        }
        assertEquals(List.of(), wrong, DOCUMENT.toString());
    }

    /** The defaults of a row whose flags are all training settings with a default, compared with theirs. */
    private static List<String> defaults(Row row) {
        List<String> expected = new ArrayList<>();
        for (String flag : row.flags()) {
            TrainSetting s = Arrays.stream(TrainSetting.values()).filter(t -> t.flag().equals(flag)).findFirst()
                    .orElse(null);
            if (s == null || s.defaultValue() == null || s.type() == boolean.class) {
                return List.of();
            }
            expected.add(s.defaultValue());
        }
        return expected.equals(row.defaults()) ? List.of() : List.of("the row of " + String.join(", ", row.flags())
                + " gives the defaults " + row.defaults() + ", the command " + expected);
    }

    /** The rows of the first table with the flag table's header. */
    private static List<Row> table(List<String> lines) {
        int header = 0;
        while (header < lines.size() && !HEADER.matcher(lines.get(header)).matches()) {
            header++;
        }
        assertFalse(header == lines.size(), DOCUMENT + " has no table headed | flag | default | meaning |");
        List<Row> rows = new ArrayList<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).substring(1).split("\\|");
            List<String> flags = new ArrayList<>();
            for (String code : codes(cells[0])) {
                for (String word : code.strip().split("\\s+")) {
                    if (word.startsWith("-")) {
                        flags.add(word);
                    }
                }
            }
            rows.add(new Row(flags, cells.length > 1 ? codes(cells[1]) : List.of(), lines.get(i)));
        }
        return rows;
    }

    private static List<String> codes(String cell) {
        List<String> codes = new ArrayList<>();
        Matcher m = CODE.matcher(cell);
        while (m.find()) {
            codes.add(m.group(1));
        }
        return codes;
    }
}
