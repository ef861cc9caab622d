package org.ncf4j.data;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ncf4j.eval.UserSample;

/**
 * Held-out items in the NCF {@code test.negative} format: one line per evaluated user, {@code (user,item)} then the
 * user's sampled negative items, tab-separated. The original files use dense integer ids; the trainer writes its
 * test set in the same format with external ids (as in a bundle's users.txt and items.txt), so that any run can be
 * evaluated through a server. Ids may not contain tabs, commas or line breaks in this format.
 */
public final class HeldOutFile {
    /** The test items of a training run, in its output folder. */
    public static final String TEST = "test.negative";
    /** The validation items of a training run, when its split has them. */
    public static final String VALIDATION = "validation.negative";

    /** One line (numbered from 1): a user's held-out item and the negatives it is ranked against. */
    public record Row(int line, String user, String item, String[] negatives) {
    }

    private HeldOutFile() {
    }

    /** Reads every row; a malformed line is a {@link DataException} naming the file and line. */
    public static List<Row> read(Path file) {
        return read(file, null);
    }

    /**
     * Reads the rows at {@code positions} (0-based among the file's rows, ascending), or every row when null; the
     * others are skipped unparsed, so a sample of a file of 10^7 users costs its rows only.
     */
    public static List<Row> read(Path file, int[] positions) {
        List<Row> rows = new ArrayList<>();
        int lineNo = 0;
        int row = -1;
        int next = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                row++;
                if (positions != null) {
                    if (next == positions.length) {
                        break;
                    }
                    if (positions[next] != row) {
                        continue;
                    }
                    next++;
                }
                rows.add(parse(file, lineNo, line));
            }
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (rows.isEmpty()) {
            throw new DataException(file + ": no held-out items found");
        }
        return rows;
    }

    /** The sample key ({@link UserSample#key}) of every row's user, in row order: what picks a sample's rows. */
    public static long[] userKeys(Path file, long seed) {
        long[] keys = new long[1024];
        int n = 0;
        int lineNo = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                int tab = line.indexOf('\t');
                Row head = parse(file, lineNo, tab < 0 ? line : line.substring(0, tab));
                if (n == keys.length) {
                    keys = Arrays.copyOf(keys, n * 2);
                }
                keys[n++] = UserSample.key(head.user(), seed);
            }
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return Arrays.copyOf(keys, n);
    }

    private static Row parse(Path file, int lineNo, String line) {
        String[] parts = line.split("\t");
        String head = parts[0].strip();
        int comma = head.indexOf(',');
        if (!head.startsWith("(") || !head.endsWith(")") || comma < 0 || comma == 1
                || comma == head.length() - 2) {
            throw new DataException(String.format("%s:%d: expected '(user,item)' then tab-separated "
                    + "negative items, found '%s'", file, lineNo, DataException.abbreviate(line)));
        }
        String[] negatives = new String[parts.length - 1];
        int n = 0;
        for (int k = 1; k < parts.length; k++) {
            String neg = parts[k].strip();
            if (!neg.isEmpty()) {
                negatives[n++] = neg;
            }
        }
        return new Row(lineNo, head.substring(1, comma).strip(), head.substring(comma + 1, head.length() - 1)
                .strip(), Arrays.copyOf(negatives, n));
    }

    /** Writes an evaluation set with external ids, atomically ({@link Directories#writeAtomically}). */
    public static void write(Path file, EvalSet set, IdMap users, IdMap items) {
        try {
            Directories.writeAtomically(file, tmp -> {
                try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    StringBuilder line = new StringBuilder();
                    for (int i = 0; i < set.size(); i++) {
                        line.setLength(0);
                        line.append('(').append(users.id(set.users()[i])).append(',')
                                .append(items.id(set.positives()[i])).append(')');
                        for (int neg : set.negatives(i)) {
                            line.append('\t').append(items.id(neg));
                        }
                        w.write(line.append('\n').toString());
                    }
                }
            });
        } catch (IOException e) {
            throw new DataException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
