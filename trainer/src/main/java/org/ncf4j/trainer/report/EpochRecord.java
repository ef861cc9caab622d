package org.ncf4j.trainer.report;

/**
 * One epoch of a training run.
 *
 * @param epoch 1-based epoch number
 * @param loss mean training loss over the epoch's batches
 * @param hitRate test HR@K after the epoch
 * @param ndcg test NDCG@K after the epoch
 * @param validationHitRate validation HR@K, or null without a validation split
 * @param validationNdcg validation NDCG@K, or null without a validation split
 * @param samplesPerSecond training examples per second (positives and negatives, training steps only)
 * @param trainSeconds time spent in training steps
 * @param evalSeconds time spent evaluating
 * @param samplingWaitSeconds time the epoch waited for its examples (0 when sampling kept ahead)
 * @param elapsedSeconds wall time from the start of the run (data already loaded) to the end of this epoch's
 *     evaluation
 */
public record EpochRecord(int epoch, double loss, double hitRate, double ndcg, Double validationHitRate,
                          Double validationNdcg, double samplesPerSecond, double trainSeconds, double evalSeconds,
                          double samplingWaitSeconds, double elapsedSeconds) {
    /**
     * The first of {@code candidates} with the best test HR (the paper's protocol, which picks the epoch on the test
     * set), or null when there are none.
     */
    public static EpochRecord bestByTest(java.util.List<EpochRecord> candidates) {
        EpochRecord best = null;
        for (EpochRecord r : candidates) {
            if (best == null || r.hitRate() > best.hitRate()) {
                best = r;
            }
        }
        return best;
    }
}
