package org.ncf4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Reads the split files of the NCF paper ({@code <prefix>.train.rating}, {@code <prefix>.test.rating},
 * {@code <prefix>.test.negative}), so results compare with published numbers: same held-out items, same
 * negatives. Ids in these files are dense 0-based integers already; the item table is sized from all three
 * files, since some items occur only in the test files.
 */
public final class NcfSplitFiles {
    private final Path prefix;

    /**
     * @param location a directory holding exactly one {@code *.train.rating} file, or the common prefix of the
     *     three files (for example {@code data/ml-1m})
     */
    public NcfSplitFiles(Path location) {
        this.prefix = resolvePrefix(location);
    }

    public Path prefix() {
        return prefix;
    }

    static Path resolvePrefix(Path location) {
        if (Files.isDirectory(location)) {
            List<Path> found = new ArrayList<>();
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(location, "*.train.rating")) {
                dir.forEach(found::add);
            } catch (IOException e) {
                throw new DataException("cannot list " + location + ": " + e.getMessage(), e);
            }
            if (found.size() != 1) {
                throw new DataException(location + ": expected exactly one *.train.rating file, found "
                        + found.size());
            }
            String file = found.get(0).toString();
            return Path.of(file.substring(0, file.length() - ".train.rating".length()));
        }
        return location;
    }

    /** The paper's split as it is: training pairs, test items and their negatives, no validation items. */
    public Split read() {
        return read(0, 0);
    }

    /**
     * The paper's split with, when {@code validationNegatives > 0}, a validation item for each user with two or
     * more training items: one of the user's training items drawn at random with {@code seed} (the files'
     * timestamps are not usable: the public training file has them all 0), taken out of training, with that many
     * negatives drawn from the items the user never interacted with (test item included). The test items and
     * their negatives stay the paper's, so the best epoch can be chosen without looking at them.
     */
    public Split read(int validationNegatives, long seed) {
        Path trainFile = file(".train.rating");
        Path testFile = file(".test.rating");
        Path negFile = file(".test.negative");
        int[][] train = readPairs(trainFile);
        int[][] test = readPairs(testFile);
        int[] negUsers;
        int[] negPositives;
        int[][] negatives;
        List<int[]> rows = new ArrayList<>();
        for (HeldOutFile.Row row : HeldOutFile.read(negFile)) {
            int[] ids = new int[2 + row.negatives().length];
            ids[0] = parseInt(negFile, row.line(), row.user());
            ids[1] = parseInt(negFile, row.line(), row.item());
            for (int k = 0; k < row.negatives().length; k++) {
                ids[2 + k] = parseInt(negFile, row.line(), row.negatives()[k]);
            }
            rows.add(ids);
        }
        if (train[0].length == 0) {
            throw new DataException(trainFile + ": no interactions found");
        }
        negUsers = new int[rows.size()];
        negPositives = new int[rows.size()];
        negatives = new int[rows.size()][];
        int maxUser = max(train[0]);
        int maxItem = max(train[1]);
        maxUser = Math.max(maxUser, max(test[0]));
        maxItem = Math.max(maxItem, max(test[1]));
        for (int i = 0; i < rows.size(); i++) {
            int[] row = rows.get(i);
            negUsers[i] = row[0];
            negPositives[i] = row[1];
            negatives[i] = Arrays.copyOfRange(row, 2, row.length);
            maxUser = Math.max(maxUser, row[0]);
            for (int k = 1; k < row.length; k++) {
                maxItem = Math.max(maxItem, row[k]);
            }
        }
        checkTestMatches(testFile, test, negFile, negUsers, negPositives);
        int numUsers = maxUser + 1;
        int numItems = maxItem + 1;
        UserItems trainItems = UserItems.of(numUsers, numItems, train[0], train[1], train[0].length);
        String name = prefix.getFileName().toString();
        EvalSet testSet = new EvalSet(negUsers, negPositives, negatives);
        if (validationNegatives <= 0) {
            return new Split(name, IdMap.identity(numUsers), IdMap.identity(numItems), trainItems, testSet, null, 0);
        }
        int n = train[0].length;
        int[] u = Arrays.copyOf(train[0], n + test[0].length);
        int[] it = Arrays.copyOf(train[1], n + test[1].length);
        System.arraycopy(test[0], 0, u, n, test[0].length);
        System.arraycopy(test[1], 0, it, n, test[1].length);
        UserItems everything = UserItems.of(numUsers, numItems, u, it, u.length);
        SplittableRandom random = new SplittableRandom(seed);
        int[] offsets = trainItems.offsets();
        int[] flat = trainItems.flatItems();
        int[] keptOffsets = new int[numUsers + 1];
        int[] kept = new int[flat.length];
        int[] valUsers = new int[numUsers];
        int[] valItems = new int[numUsers];
        int nVal = 0;
        int at = 0;
        for (int user = 0; user < numUsers; user++) {
            int from = offsets[user];
            int count = offsets[user + 1] - from;
            int drop = count >= 2 ? from + random.nextInt(count) : -1;
            for (int k = from; k < from + count; k++) {
                if (k == drop) {
                    valUsers[nVal] = user;
                    valItems[nVal++] = flat[k];
                } else {
                    kept[at++] = flat[k];
                }
            }
            keptOffsets[user + 1] = at;
        }
        int[][] valNegatives = new int[nVal][];
        for (int i = 0; i < nVal; i++) {
            valNegatives[i] = EvalNegatives.sample(everything, valUsers[i], validationNegatives, random);
        }
        return new Split(name, IdMap.identity(numUsers), IdMap.identity(numItems),
                UserItems.fromCsr(numItems, keptOffsets, Arrays.copyOf(kept, at)), testSet,
                new EvalSet(Arrays.copyOf(valUsers, nVal), Arrays.copyOf(valItems, nVal), valNegatives), 0);
    }

    private static void checkTestMatches(Path testFile, int[][] test, Path negFile, int[] users, int[] items) {
        if (test[0].length != users.length) {
            throw new DataException(String.format("%s has %d lines but %s has %d: they must list the same "
                    + "(user, item) pairs", testFile, test[0].length, negFile, users.length));
        }
        for (int i = 0; i < users.length; i++) {
            if (test[0][i] != users[i] || test[1][i] != items[i]) {
                throw new DataException(String.format("%s line %d is (%d,%d) but %s line %d is (%d,%d)",
                        testFile, i + 1, test[0][i], test[1][i], negFile, i + 1, users[i], items[i]));
            }
        }
    }

    private Path file(String suffix) {
        Path p = Path.of(prefix + suffix);
        if (!Files.isRegularFile(p)) {
            throw new DataException("NCF split file not found: " + p);
        }
        return p;
    }

    /** Reads {@code user<TAB>item[<TAB>...]} lines into [users, items]. */
    private static int[][] readPairs(Path file) {
        int[] users = new int[1 << 16];
        int[] items = new int[1 << 16];
        int n = 0;
        int lineNo = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                int t1 = line.indexOf('\t');
                if (t1 < 0) {
                    throw new DataException(String.format("%s:%d: expected 'user<TAB>item<TAB>rating<TAB>"
                            + "timestamp', found '%s'", file, lineNo, DataException.abbreviate(line)));
                }
                int t2 = line.indexOf('\t', t1 + 1);
                if (n == users.length) {
                    users = Arrays.copyOf(users, n * 2);
                    items = Arrays.copyOf(items, n * 2);
                }
                users[n] = parseInt(file, lineNo, line.substring(0, t1));
                items[n] = parseInt(file, lineNo, t2 < 0 ? line.substring(t1 + 1) : line.substring(t1 + 1, t2));
                n++;
            }
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return new int[][] {Arrays.copyOf(users, n), Arrays.copyOf(items, n)};
    }

    private static int parseInt(Path file, int lineNo, String s) {
        try {
            int v = Integer.parseInt(s.strip());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new DataException(String.format("%s:%d: '%s' is not a non-negative integer id", file, lineNo,
                    DataException.abbreviate(s)));
        }
    }

    private static int max(int[] a) {
        int m = -1;
        for (int v : a) {
            m = Math.max(m, v);
        }
        return m;
    }
}
