package org.ncf4j.trainer.settings;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The optimizers a run can train with, by the words {@code --optimizer} takes and the report records. */
public enum OptimizerKind {
    /**
     * The default: Adam computed on the embedding rows each batch uses, the steps a row skipped caught up when it is
     * next used, so the result is dense Adam's while a step costs the same whatever the number of users and items.
     */
    ADAM("adam"),
    /** Adam on the rows a batch uses only (rows skip the steps of batches that do not use them), as SparseAdam. */
    LAZY_ADAM("lazy-adam"),
    /** Adam on every row of every table at every step. */
    DENSE_ADAM("dense-adam"),
    /** Plain SGD on every parameter. */
    SGD("sgd");

    private final String word;

    OptimizerKind(String word) {
        this.word = word;
    }

    /** The word users type and the report records. */
    public String word() {
        return word;
    }

    /** Whether it updates only the embedding rows a batch uses, so that several workers may share the tables. */
    public boolean byRows() {
        return this == ADAM || this == LAZY_ADAM;
    }

    /** The optimizer {@code word} names (exactly, as typed). */
    public static OptimizerKind parse(String word) {
        for (OptimizerKind o : values()) {
            if (o.word.equals(word)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown optimizer '" + word + "', expected one of "
                + Arrays.stream(values()).map(OptimizerKind::word).collect(Collectors.joining(", ")));
    }

    /** The word, so that messages read as the flag's value. */
    @Override
    public String toString() {
        return word;
    }
}
