package org.ncf4j.trainer.settings;

/** What of a NeuMF initialised from GMF and MLP trains, by the words {@code --fine-tune} takes. */
public enum FineTune {
    /** Every parameter trains (the paper's way). */
    ALL("all"),
    /** Only the output layer trains, on the GMF and MLP features as pretrained; embeddings and hidden layers stay. */
    OUTPUT("output");

    private final String word;

    FineTune(String word) {
        this.word = word;
    }

    /** The word users type and the report records. */
    public String word() {
        return word;
    }

    /** The mode {@code word} names (exactly, as typed). */
    public static FineTune parse(String word) {
        for (FineTune f : values()) {
            if (f.word.equals(word)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown fine-tuning '" + word + "', expected " + ALL.word + " or "
                + OUTPUT.word);
    }

    /** The word, so that messages read as the flag's value. */
    @Override
    public String toString() {
        return word;
    }
}
