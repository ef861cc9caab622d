package org.ncf4j.trainer.train;

import java.nio.file.Path;
import java.util.List;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.TensorNames;
import org.ncf4j.contract.Variant;

/**
 * Everything that decides a training run's result, as recorded in its report.
 *
 * @param variant GMF, MLP or NeuMF
 * @param factor GMF embedding size
 * @param layers MLP layer sizes
 * @param epochs number of passes over the training positives
 * @param batchSize examples per optimizer step
 * @param learningRate optimizer step size
 * @param optimizer "adam" (the default: Adam computed on the embedding rows each batch uses, the steps a row
 *     skipped caught up when it is next used, so the result is dense Adam's), "lazy-adam" (the rows a batch uses
 *     only, as PyTorch's SparseAdam), "dense-adam" (every parameter every step) or "sgd"
 * @param negatives sampled negatives per positive, fresh every epoch
 * @param embeddingL2 L2 weight on the batch's embeddings
 * @param layerL2 L2 weight on the layer weights
 * @param seed seeds initialisation, sampling and shuffling
 * @param threads training workers sharing the parameters (more than one needs adam or lazy-adam; one is
 *     reproducible)
 * @param topK the cut-off of HR and NDCG
 * @param fullRanking whether to compute full-ranking metrics at the end
 * @param pretrainedGmf a saved GMF model to start NeuMF from, or null
 * @param pretrainedMlp a saved MLP model to start NeuMF from, or null
 * @param alpha the weight of GMF in the pretrained NeuMF output layer (1 - alpha for MLP)
 * @param fineTune what of a pretrained NeuMF trains: {@link #FINE_TUNE_ALL} (every parameter) or
 *     {@link #FINE_TUNE_OUTPUT} (the output layer only, on the GMF and MLP features as pretrained)
 * @param averageFrom 0, or the epoch from which the model evaluated, chosen and saved is the mean of the
 *     parameters after each epoch since (tail averaging of the weights; training goes on from the parameters
 *     themselves)
 */
public record TrainConfig(Variant variant, int factor, int[] layers, int epochs, int batchSize, float learningRate,
                          String optimizer, int negatives, float embeddingL2, float layerL2, long seed, int threads, int topK,
                          boolean fullRanking, Path pretrainedGmf, Path pretrainedMlp, float alpha, String fineTune,
                          int averageFrom) {

    /** Fine-tuning of a pretrained NeuMF: every parameter trains (the paper's way). */
    public static final String FINE_TUNE_ALL = "all";
    /** Fine-tuning of a pretrained NeuMF: only the output layer trains; embeddings and hidden layers stay. */
    public static final String FINE_TUNE_OUTPUT = "output";

    /** The default optimizer: dense Adam's result, a step costing the same whatever the number of users and items. */
    public static final String ADAM = "adam";
    /** Adam on the rows a batch uses only (rows skip the steps of batches that do not use them). */
    public static final String LAZY_ADAM = "lazy-adam";
    /** Adam on every row of every table at every step. */
    public static final String DENSE_ADAM = "dense-adam";
    /** The optimizers, the default first. */
    public static final List<String> OPTIMIZERS = List.of(ADAM, LAZY_ADAM, DENSE_ADAM, "sgd");

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
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (threads > 1 && !optimizer.equals(ADAM) && !optimizer.equals(LAZY_ADAM)) {
            throw new IllegalArgumentException("--threads " + threads + " needs --optimizer " + ADAM + " or "
                    + LAZY_ADAM + " (" + optimizer + " trains with one thread)");
        }
        if (topK < 1) {
            throw new IllegalArgumentException("top-k must be >= 1, got " + topK);
        }
        if (!OPTIMIZERS.contains(optimizer)) {
            throw new IllegalArgumentException("unknown optimizer '" + optimizer + "', expected one of "
                    + String.join(", ", OPTIMIZERS));
        }
        if ((pretrainedGmf == null) != (pretrainedMlp == null)) {
            throw new IllegalArgumentException("pretraining needs both a GMF and an MLP model");
        }
        if (pretrainedGmf != null && variant != Variant.NEUMF) {
            throw new IllegalArgumentException("pretrained GMF and MLP models initialise NeuMF only");
        }
        if (!fineTune.equals(FINE_TUNE_ALL) && !fineTune.equals(FINE_TUNE_OUTPUT)) {
            throw new IllegalArgumentException("unknown fine-tuning '" + fineTune + "', expected " + FINE_TUNE_ALL
                    + " or " + FINE_TUNE_OUTPUT);
        }
        if (fineTune.equals(FINE_TUNE_OUTPUT) && pretrainedGmf == null) {
            throw new IllegalArgumentException("--fine-tune " + FINE_TUNE_OUTPUT + " trains the output layer of a "
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

    /** The paper's settings for a variant: factor 8, MLP 64-32-16-8, 4 negatives, batch 256, Adam 0.001. */
    public static TrainConfig paper(Variant variant, int epochs) {
        return new TrainConfig(variant, 8, new int[] {64, 32, 16, 8}, epochs, 256, 0.001f, ADAM, 4, 0f, 0f, 1L,
                1, 10, true, null, null, 0.5f, FINE_TUNE_ALL, 0);
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
        return !fineTune.equals(FINE_TUNE_OUTPUT) || TensorNames.isOutput(name);
    }

    @Override
    public int[] layers() {
        return layers.clone();
    }
}
