package org.ncf4j.trainer.settings;

import java.nio.file.Path;
import java.util.Objects;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.TensorNames;
import org.ncf4j.contract.Variant;

/**
 * Everything that decides a training run's result, as recorded in its report, each value checked here once. Built
 * with {@link #builder()}, whose defaults are those of {@code ncf-train} ({@link TrainSetting}, which also says
 * what each component is).
 *
 * @param variant GMF, MLP or NeuMF
 * @param factor GMF embedding size
 * @param layers MLP layer sizes
 * @param epochs number of passes over the training positives
 * @param batchSize examples per optimizer step
 * @param learningRate optimizer step size
 * @param optimizer the optimizer ({@link OptimizerKind})
 * @param negatives sampled negatives per positive, fresh every epoch
 * @param embeddingL2 L2 weight on the batch's embeddings
 * @param layerL2 L2 weight on the layer weights
 * @param seed seeds initialisation, sampling and shuffling
 * @param topK the cut-off of HR and NDCG
 * @param fullRanking whether to compute full-ranking metrics at the end
 * @param evalUsers how many held-out users the per-epoch evaluation ranks at most (a seeded sample); 0: all
 * @param fullRankingUsers how many test users the full ranking ranks at most (a seeded sample); 0: all
 * @param threads training workers sharing the parameters (more than one needs an optimizer that updates by rows;
 *     one is reproducible)
 * @param pretrainedGmf a saved GMF model to start NeuMF from, or null
 * @param pretrainedMlp a saved MLP model to start NeuMF from, or null
 * @param alpha the weight of GMF in the pretrained NeuMF output layer (1 - alpha for MLP)
 * @param fineTune what of a pretrained NeuMF trains ({@link FineTune})
 * @param averageFrom 0, or the epoch from which the model evaluated, chosen and saved is the mean of the
 *     parameters after each epoch since (tail averaging of the weights; training goes on from the parameters
 *     themselves)
 */
public record TrainConfig(Variant variant, int factor, int[] layers, int epochs, int batchSize, float learningRate,
                          OptimizerKind optimizer, int negatives, float embeddingL2, float layerL2, long seed, int topK,
                          boolean fullRanking, int evalUsers, int fullRankingUsers, int threads, Path pretrainedGmf, Path pretrainedMlp, float alpha,
                          FineTune fineTune, int averageFrom) {

    public TrainConfig {
        layers = layers.clone();
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        }
        if (negatives < 0) {
            throw new IllegalArgumentException("negatives must be >= 0, got " + negatives);
        }
        if (embeddingL2 < 0 || layerL2 < 0) {
            throw new IllegalArgumentException("L2 weights must be >= 0");
        }
        if (evalUsers < 0 || fullRankingUsers < 0) {
            throw new IllegalArgumentException("--eval-users and --full-ranking-users must be >= 0 (0: all users), "
                    + "got " + evalUsers + " and " + fullRankingUsers);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (threads > 1 && !optimizer.byRows()) {
            throw new IllegalArgumentException("--threads " + threads + " needs --optimizer " + OptimizerKind.ADAM
                    + " or " + OptimizerKind.LAZY_ADAM + " (" + optimizer + " trains with one thread)");
        }
        if (topK < 1) {
            throw new IllegalArgumentException("top-k must be >= 1, got " + topK);
        }
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(fineTune, "fineTune");
        if ((pretrainedGmf == null) != (pretrainedMlp == null)) {
            throw new IllegalArgumentException("pretraining needs both a GMF and an MLP model");
        }
        if (pretrainedGmf != null && variant != Variant.NEUMF) {
            throw new IllegalArgumentException("pretrained GMF and MLP models initialise NeuMF only");
        }
        if (fineTune == FineTune.OUTPUT && pretrainedGmf == null) {
            throw new IllegalArgumentException("--fine-tune " + FineTune.OUTPUT + " trains the output layer of a "
                    + "NeuMF initialised from GMF and MLP: give --pretrained-gmf and --pretrained-mlp");
        }
        if (alpha < 0 || alpha > 1) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        if (averageFrom < 0) {
            throw new IllegalArgumentException("--average-from must be >= 0 (0: no averaging), got " + averageFrom);
        }
        if (averageFrom > epochs) {
            throw new IllegalArgumentException("--average-from " + averageFrom + " is after the last epoch (--epochs "
                    + epochs + "): no epoch would be averaged");
        }
        new ModelShape(variant, 1, 1, factor, layers); // the shape's own rules: factor and layer sizes
    }

    /**
     * The NCF paper's MLP tower for {@code factor} predictive factors: the input (the two embeddings) is 8 x
     * factor wide and every layer halves it, down to the factor: 64-32-16-8 at 8, 512-256-128-64 at 64.
     */
    public static int[] tower(int factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("factor must be >= 1, got " + factor);
        }
        return new int[] {8 * factor, 4 * factor, 2 * factor, factor};
    }

    /** A builder starting from {@code ncf-train}'s defaults (the paper's settings, for NeuMF). */
    public static Builder builder() {
        return new Builder();
    }

    public boolean pretrained() {
        return pretrainedGmf != null;
    }

    /** Whether the model evaluated after {@code epoch} is the mean of the parameters since {@code averageFrom}. */
    public boolean averages(int epoch) {
        return averageFrom > 0 && epoch >= averageFrom;
    }

    /** Whether parameter {@code name} trains (all do, but with {@code --fine-tune output}). */
    public boolean trains(String name) {
        return fineTune != FineTune.OUTPUT || TensorNames.isOutput(name);
    }

    @Override
    public int[] layers() {
        return layers.clone();
    }

    /**
     * Builds a config by naming its settings; every one is optional, with {@code ncf-train}'s default, and
     * {@link #build()} checks them together.
     */
    public static final class Builder {
        private Variant variant;
        private int factor;
        private int[] layers;
        private int epochs;
        private int batchSize;
        private float learningRate;
        private OptimizerKind optimizer;
        private int negatives;
        private float embeddingL2;
        private float layerL2;
        private long seed;
        private int topK;
        private boolean fullRanking;
        private int evalUsers;
        private int fullRankingUsers;
        private int threads;
        private Path pretrainedGmf;
        private Path pretrainedMlp;
        private float alpha;
        private FineTune fineTune;
        private int averageFrom;

        private Builder() {
            TrainSetting.applyDefaults(this);
        }

        public Builder optVariant(Variant variant) {
            this.variant = variant;
            return this;
        }

        public Builder optFactor(int factor) {
            this.factor = factor;
            return this;
        }

        /** The MLP's layer sizes; without them, the paper's {@link #tower} of the factor. */
        public Builder optLayers(int... layers) {
            this.layers = layers.clone();
            return this;
        }

        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder optLearningRate(float learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        public Builder optOptimizer(OptimizerKind optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        public Builder optNegatives(int negatives) {
            this.negatives = negatives;
            return this;
        }

        public Builder optEmbeddingL2(float embeddingL2) {
            this.embeddingL2 = embeddingL2;
            return this;
        }

        public Builder optLayerL2(float layerL2) {
            this.layerL2 = layerL2;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optTopK(int topK) {
            this.topK = topK;
            return this;
        }

        public Builder optFullRanking(boolean fullRanking) {
            this.fullRanking = fullRanking;
            return this;
        }

        /** At most how many held-out users each epoch's evaluation ranks (a seeded sample); 0: all. */
        public Builder optEvalUsers(int evalUsers) {
            this.evalUsers = evalUsers;
            return this;
        }

        /** At most how many test users the full ranking ranks (a seeded sample); 0: all. */
        public Builder optFullRankingUsers(int fullRankingUsers) {
            this.fullRankingUsers = fullRankingUsers;
            return this;
        }

        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        /** A saved GMF model to start a NeuMF from; needs {@link #optPretrainedMlp} too. */
        public Builder optPretrainedGmf(Path pretrainedGmf) {
            this.pretrainedGmf = pretrainedGmf;
            return this;
        }

        /** A saved MLP model to start a NeuMF from; needs {@link #optPretrainedGmf} too. */
        public Builder optPretrainedMlp(Path pretrainedMlp) {
            this.pretrainedMlp = pretrainedMlp;
            return this;
        }

        public Builder optAlpha(float alpha) {
            this.alpha = alpha;
            return this;
        }

        public Builder optFineTune(FineTune fineTune) {
            this.fineTune = fineTune;
            return this;
        }

        public Builder optAverageFrom(int averageFrom) {
            this.averageFrom = averageFrom;
            return this;
        }

        /** The config; an {@link IllegalArgumentException} says which value is out of range or clashes. */
        public TrainConfig build() {
            return new TrainConfig(variant, factor, layers != null ? layers : tower(factor), epochs, batchSize,
                    learningRate, optimizer, negatives, embeddingL2, layerL2, seed, topK, fullRanking, evalUsers,
                    fullRankingUsers, threads, pretrainedGmf, pretrainedMlp, alpha, fineTune, averageFrom);
        }
    }
}
