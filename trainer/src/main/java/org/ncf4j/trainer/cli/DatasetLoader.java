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
        if (s.ncfSplit != null) {
            if (o.validation || o.minRating != null || o.evalNegatives != DEFAULT_EVAL_NEGATIVES) {
                throw new IllegalArgumentException("--validation, --min-rating and --eval-negatives do not apply to "
                        + "--ncf-split: the paper's files fix the interactions, held-out items and negatives");
            }
            return new NcfSplitFiles(s.ncfSplit).read();
        }
        LeaveOneOut splitter = new LeaveOneOut(o.validation, o.evalNegatives, seed);
        if (s.interactions != null) {
            DelimitedFormat format = new DelimitedFormat(unescape(o.delimiter), o.header, o.userCol, o.itemCol,
                    o.ratingCol, o.timestampCol, o.minRating);
            Interactions data = new DelimitedReader(format).read(s.interactions);
            return splitter.split(name(s.interactions), data);
        }
        Path location = s.movieLens;
        err.println(MovieLens.LICENSE_NOTICE);
        if (s.download) {
            try (DownloadProgress progress = new DownloadProgress(err)) {
                location = MovieLens.downloadMl1m(o.cacheDir, progress);
            } catch (DataException e) {
                throw new DataException(e.getMessage() + "; without network access, download ml-1m.zip elsewhere "
                        + "and pass --movielens PATH/ml-1m.zip", e);
            }
        }
        Interactions data = MovieLens.read(location, DelimitedFormat.movieLens().withMinRating(o.minRating));
        return splitter.split("ml-1m", data);
    }

    private static String name(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** Lets a shell user write {@code '\t'} for a tab. */
    static String unescape(String delimiter) {
        return delimiter.replace("\\t", "\t");
    }
}
