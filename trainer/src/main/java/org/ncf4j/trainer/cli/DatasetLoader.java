package org.ncf4j.trainer.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import org.ncf4j.data.DataException;
import org.ncf4j.data.DelimitedFormat;
import org.ncf4j.data.DelimitedReader;
import org.ncf4j.data.Interactions;
import org.ncf4j.data.LeaveOneOut;
import org.ncf4j.data.MovieLens;
import org.ncf4j.data.NcfSplitFiles;
import org.ncf4j.data.Split;

/** Turns {@link DataOptions} into a split, downloading MovieLens when asked to. */
final class DatasetLoader {
    /** The NCF protocol's negatives per held-out item; DataOptions' default. */
    static final int DEFAULT_EVAL_NEGATIVES = 99;

    private DatasetLoader() {
    }

    static Split load(DataOptions o, long seed, PrintStream err) {
        DataOptions.Source s = o.source;
        if (o.evalNegatives < 1) {
            throw new UsageError("--eval-negatives must be >= 1, got " + o.evalNegatives);
        }
        if ((o.downloadUrl != null || o.downloadMd5 != null) && !s.download) {
            throw new UsageError("--download-url and --download-md5 apply to --download-movielens");
        }
        if ((o.downloadUrl == null) != (o.downloadMd5 == null)) {
            throw new UsageError("--download-url and --download-md5 go together: a mirror's file is "
                    + "checked against the MD5 you give");
        }
        if (s.ncfSplit != null) {
            if (o.minRating != null) {
                throw new UsageError("--min-rating does not apply to --ncf-split: the paper's files fix the "
                        + "interactions");
            }
            if (o.evalNegatives != DEFAULT_EVAL_NEGATIVES && !o.validation) {
                throw new UsageError("--eval-negatives applies to --ncf-split's validation items only (the test "
                        + "items' negatives are the paper's): add --validation");
            }
            return new NcfSplitFiles(s.ncfSplit).read(o.validation ? o.evalNegatives : 0, seed);
        }
        LeaveOneOut splitter = new LeaveOneOut(o.validation, o.evalNegatives, seed);
        if (s.interactions != null) {
            DelimitedFormat format;
            try {
                format = new DelimitedFormat(unescape(o.delimiter), o.header, o.userCol, o.itemCol, o.ratingCol,
                        o.timestampCol, o.minRating);
            } catch (DataException | IllegalArgumentException e) {
                throw new UsageError(e.getMessage());
            }
            Interactions data = new DelimitedReader(format).read(s.interactions);
            return splitter.split(name(s.interactions), data);
        }
        Path location = s.movieLens;
        err.println(MovieLens.LICENSE_NOTICE);
        if (s.download) {
            try (DownloadProgress progress = new DownloadProgress(err)) {
                location = o.downloadUrl == null ? MovieLens.downloadMl1m(o.cacheDir, progress)
                        : MovieLens.download(o.downloadUrl, o.cacheDir, o.downloadMd5, progress);
            } catch (MovieLens.ChecksumMismatch e) {
                throw e;
            } catch (DataException e) {
                if (o.downloadUrl != null) {
                    throw e; // a mirror the user chose: its own error says enough
                }
                throw new DataException(e.getMessage() + "; without network access, download ml-1m.zip elsewhere "
                        + "and pass --movielens PATH/ml-1m.zip", e);
            }
        }
        Interactions data = MovieLens.read(location, DelimitedFormat.movieLens().withMinRating(o.minRating));
        return splitter.split(movieLensName(location), data);
    }

    /** A dataset's name for logs and cards: the file's name without its extension. */
    static String name(Path file) {
        String n = file.toAbsolutePath().normalize().getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /**
     * MovieLens data is named by where it was read from: {@code ml-1m.zip} and {@code ml-1m/ratings.dat} are
     * "ml-1m", a directory its own name.
     */
    static String movieLensName(Path location) {
        Path p = location.toAbsolutePath().normalize();
        if (p.getFileName() != null && p.getFileName().toString().endsWith(".dat") && p.getParent() != null) {
            p = p.getParent();
        }
        return p.getFileName() == null ? "movielens" : name(p);
    }

    /** Lets a shell user write {@code '\t'} for a tab. */
    static String unescape(String delimiter) {
        return delimiter.replace("\\t", "\t");
    }
}
