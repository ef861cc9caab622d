package org.ncf4j.server.compute;

/**
 * One user's logits for a set of items: what re-ranks retrieval's candidates. The fused kernel computes them with the
 * user's part once for all items; {@link #of(PairScorer, int)} scores them as pairs. Implementations are
 * thread-safe.
 */
public interface CandidateScorer {
    /** The user's logits for {@code items} (dense indices, any order), in that order. */
    float[] logits(int user, int[] items);

    /** The user's logits for every item of the catalogue. */
    float[] all(int user);

    /** Candidates scored as (user, item) pairs by {@code pairs}, over a catalogue of {@code items} items. */
    static CandidateScorer of(PairScorer pairs, int items) {
        return new CandidateScorer() {
            /**
             * Pairs per scoring run: a catalogue is scored in runs of this many, no larger than Score's own batches
             * (ncf.max-batch-pairs, 10,000 by default). ONNX Runtime's memory arena keeps its largest run's tensors
             * for good: runs of 65,536 pairs, scoring the item term's 32 users at load, left GMF at factor 256
             * with about 580 MB more resident than serving needs.
             */
            private static final int RUN = 8192;

            @Override
            public float[] logits(int user, int[] some) {
                long[] users = new long[some.length];
                long[] which = new long[some.length];
                for (int i = 0; i < some.length; i++) {
                    users[i] = user;
                    which[i] = some[i];
                }
                return pairs.score(users, which).logits();
            }

            @Override
            public float[] all(int user) {
                float[] out = new float[items];
                for (int from = 0; from < items; from += RUN) {
                    int[] some = new int[Math.min(RUN, items - from)];
                    for (int i = 0; i < some.length; i++) {
                        some[i] = from + i;
                    }
                    System.arraycopy(logits(user, some), 0, out, from, some.length);
                }
                return out;
            }
        };
    }
}
