package org.ncf4j.trainer.cli;

import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Where the interactions come from and how to read and split them. */
public final class DataOptions {

    /** Exactly one source. */
    public static final class Source {
        /** The flags that name a data source, exactly one of which is given. */
        static final java.util.List<String> FLAGS = java.util.List.of("--ncf-split", "--movielens",
                "--download-movielens", "--interactions");

        @Option(names = "--ncf-split", paramLabel = "PATH", description = "The NCF paper's split files "
                + "(*.train.rating, *.test.rating, *.test.negative): a directory holding them or their common "
                + "prefix. Uses the paper's held-out items and negatives, for comparison with published numbers.")
        Path ncfSplit;

        @Option(names = "--movielens", paramLabel = "PATH", description = "MovieLens 1M ratings.dat, a directory "
                + "holding it, or ml-1m.zip.")
        Path movieLens;

        @Option(names = "--download-movielens", fallbackValue = "true", description = "Download MovieLens 1M from GroupLens into the "
                + "cache directory (checksum-verified; reused when already there).")
        boolean download;

        @Option(names = "--interactions", paramLabel = "FILE", description = "Any delimited interactions file; "
                + "see --delimiter, --header and the column options.")
        Path interactions;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Where downloads are kept "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "${sys:user.home}/.cache/ncf4j")
    Path cacheDir;

    @Option(names = "--download-url", paramLabel = "URL", description = "Where --download-movielens fetches "
            + "ml-1m.zip from, e.g. a mirror (default: GroupLens); needs --download-md5.")
    java.net.URI downloadUrl;

    @Option(names = "--download-md5", paramLabel = "HEX", description = "The MD5 of the file at --download-url.")
    String downloadMd5;

    @Option(names = "--delimiter", description = "Field separator of --interactions, e.g. ',' '\\t' '::' "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = ",")
    String delimiter;

    @Option(names = "--header", fallbackValue = "true", description = "The first line of --interactions names the columns.")
    boolean header;

    @Option(names = "--user-col", description = "User column: 0-based index or header name "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "0")
    String userCol;

    @Option(names = "--item-col", description = "Item column (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    String itemCol;

    @Option(names = "--rating-col", description = "Rating column, if any (needed by --min-rating).")
    String ratingCol;

    @Option(names = "--timestamp-col", description = "Timestamp column (an integer), if any; without it the "
            + "file order decides which interaction is the latest.")
    String timestampCol;

    @Option(names = "--min-rating", description = "Keep only interactions rated at least this (default: all "
            + "interactions are positives).")
    Double minRating;

    @Option(names = "--validation", fallbackValue = "true", description = "Also hold out a validation item per user (the second-latest "
            + "interaction; with --ncf-split a random training item, its file having no timestamps); the best "
            + "epoch is then chosen by validation HR, without looking at the test items.")
    boolean validation;

    @Option(names = "--eval-negatives", description = "Sampled negatives per held-out item "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "99")
    int evalNegatives;

    /** The data flags as they would reproduce this data, paths made absolute: for the run's provenance. */
    String describe() {
        StringBuilder b = new StringBuilder();
        if (source.ncfSplit != null) {
            b.append("--ncf-split ").append(source.ncfSplit.toAbsolutePath().normalize());
            return validation ? b.append(" --validation --eval-negatives ").append(evalNegatives).toString()
                    : b.toString();
        } else if (source.movieLens != null) {
            b.append("--movielens ").append(source.movieLens.toAbsolutePath().normalize());
        } else if (source.download) {
            b.append("--download-movielens");
            if (downloadUrl != null) {
                b.append(" --download-url ").append(downloadUrl).append(" --download-md5 ").append(downloadMd5);
            }
        } else {
            b.append("--interactions ").append(source.interactions.toAbsolutePath().normalize())
                    .append(" --delimiter '").append(delimiter).append("'").append(header ? " --header" : "")
                    .append(" --user-col ").append(userCol).append(" --item-col ").append(itemCol);
            if (ratingCol != null) {
                b.append(" --rating-col ").append(ratingCol);
            }
            if (timestampCol != null) {
                b.append(" --timestamp-col ").append(timestampCol);
            }
        }
        if (minRating != null) {
            b.append(" --min-rating ").append(minRating);
        }
        if (validation) {
            b.append(" --validation");
        }
        return b.append(" --eval-negatives ").append(evalNegatives).toString();
    }
}
