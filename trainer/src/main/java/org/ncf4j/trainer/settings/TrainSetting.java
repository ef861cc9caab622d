package org.ncf4j.trainer.settings;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.ncf4j.contract.Variant;
import org.ncf4j.eval.UserSample;

/**
 * Every setting that decides a training run's result, once: its flag, the type the flag takes, its default as
 * typed, its help, where it goes in {@link TrainConfig} and how the report's settings record it. The command's
 * options, the defaults of {@link TrainConfig#builder()} and {@link #report} follow from this list; a test checks
 * the config's components and the documentation's flag table against it.
 *
 * <p>The order is that of the report's settings (which runs saved before this list compare with on
 * {@code --resume}, and readers of {@code report.json} see) and of {@code --help}. A setting's {@link #key()}, the
 * constant's name in camel case, is both its component of {@link TrainConfig} and its key in the report.
 *
 * <p>A new setting is an entry here, a component of {@link TrainConfig} with its builder method and its checks,
 * and a row in the documentation's flag table; the tests fail while one of them is missing. A setting the report
 * records whatever its value changes the settings a resumed run compares: recorded only when it is not off (as
 * {@link #AVERAGE_FROM}), runs saved before it still resume.
 */
public enum TrainSetting {
    VARIANT("--model", "<model>", String.class, Variant.NEUMF.label(), "gmf, mlp or neumf (default: "
            + "${DEFAULT-VALUE}).", (b, v) -> b.optVariant(Variant.parse((String) v)),
            always(c -> c.variant().label())),
    FACTOR("--factor", int.class, "8", "Predictive factors: GMF's embedding size and the MLP's last layer "
            + "(default: ${DEFAULT-VALUE}).", (b, v) -> b.optFactor((Integer) v), always(TrainConfig::factor)),
    /** No default: the paper's tower of the factor, {@link TrainConfig#tower}. */
    LAYERS("--layers", int[].class, null, "MLP layer sizes; user and item embeddings are half the first (default: "
            + "the paper's tower for --factor f: 8f,4f,2f,f, so 64,32,16,8 at 8 and 512,256,128,64 at 64).",
            (b, v) -> b.optLayers((int[]) v), always(c -> Arrays.toString(c.layers()))),
    EPOCHS("--epochs", int.class, "20", "Default: ${DEFAULT-VALUE}.", (b, v) -> b.optEpochs((Integer) v),
            always(TrainConfig::epochs)),
    BATCH_SIZE("--batch-size", int.class, "256", "Default: ${DEFAULT-VALUE}.", (b, v) -> b.optBatchSize((Integer) v),
            always(TrainConfig::batchSize)),
    LEARNING_RATE("--lr", float.class, "0.001", "Learning rate (default: ${DEFAULT-VALUE}).",
            (b, v) -> b.optLearningRate((Float) v), always(TrainConfig::learningRate)),
    OPTIMIZER("--optimizer", String.class, OptimizerKind.ADAM.word(), "adam: Adam computed on the embedding rows "
            + "each batch uses, the steps a row skipped caught up when it is next used (dense Adam's result; a step's "
            + "cost does not grow with the catalogue); lazy-adam: the rows a batch uses only (as PyTorch's "
            + "SparseAdam); dense-adam: every row every step; sgd (default: ${DEFAULT-VALUE}).",
            (b, v) -> b.optOptimizer(OptimizerKind.parse((String) v)), always(c -> c.optimizer().word())),
    NEGATIVES("--negatives", int.class, "4", "Negatives per positive, sampled afresh every epoch "
            + "(default: ${DEFAULT-VALUE}).", (b, v) -> b.optNegatives((Integer) v), always(TrainConfig::negatives)),
    EMBEDDING_L2("--embedding-l2", float.class, "0", "L2 weight on the batch's embeddings "
            + "(default: ${DEFAULT-VALUE}).", (b, v) -> b.optEmbeddingL2((Float) v), always(TrainConfig::embeddingL2)),
    LAYER_L2("--layer-l2", float.class, "0", "L2 weight on layer weights (default: ${DEFAULT-VALUE}).",
            (b, v) -> b.optLayerL2((Float) v), always(TrainConfig::layerL2)),
    SEED("--seed", long.class, "1", "Seeds the split, initialisation, sampling and shuffling "
            + "(default: ${DEFAULT-VALUE}).", (b, v) -> b.optSeed((Long) v), always(TrainConfig::seed)),
    TOP_K("--top-k", int.class, "10", "Cut-off of HR and NDCG (default: ${DEFAULT-VALUE}).",
            (b, v) -> b.optTopK((Integer) v), always(TrainConfig::topK)),
    /** A flag, so its default is off: the config holds the opposite, {@link TrainConfig#fullRanking()}. */
    FULL_RANKING("--no-full-ranking", boolean.class, "false", "Skip the full-ranking evaluation at the end.",
            (b, v) -> b.optFullRanking(!(Boolean) v), null),
    /** In the report only when not the default, so that states saved before it was a setting still resume. */
    EVAL_USERS("--eval-users", "N", int.class, "100000", "The per-epoch evaluation ranks a seeded sample of this "
            + "many test (and validation) users when there are more; 0 ranks them all (default: ${DEFAULT-VALUE}).",
            (b, v) -> b.optEvalUsers((Integer) v),
            new Report(c -> c.evalUsers() != UserSample.DEFAULT_USERS, (c, device) -> c.evalUsers())),
    /** In the report only when not the default, as {@link #EVAL_USERS}. */
    FULL_RANKING_USERS("--full-ranking-users", "N", int.class, "10000", "The full ranking at the end ranks a "
            + "seeded sample of this many test users when there are more (those of the per-epoch sample first); 0 "
            + "ranks them all (default: ${DEFAULT-VALUE}).", (b, v) -> b.optFullRankingUsers((Integer) v),
            new Report(c -> c.fullRankingUsers() != UserSample.DEFAULT_FULL_RANKING_USERS,
                    (c, device) -> c.fullRankingUsers())),
    /**
     * Not in the config: the command picks the device from the word and the GPUs PyTorch sees ({@code
     * DeviceChoice}), and the report records the device the run had.
     */
    DEVICE("--device", String.class, "cpu", "cpu, gpu or auto (default: ${DEFAULT-VALUE}).", null,
            new Report(c -> true, (c, device) -> device.toString())),
    THREADS("--threads", int.class, "1", "Training workers sharing the parameters (Hogwild; needs adam or "
            + "lazy-adam); 1 gives the same result for the same seed (default: ${DEFAULT-VALUE}).",
            (b, v) -> b.optThreads((Integer) v), always(TrainConfig::threads)),
    PRETRAINED_GMF("--pretrained-gmf", "DIR", Path.class, null, "NeuMF only: start from this saved GMF model (the "
            + "model/ folder of a GMF run).", (b, v) -> b.optPretrainedGmf((Path) v),
            pretrained(c -> c.pretrainedGmf().toString())),
    PRETRAINED_MLP("--pretrained-mlp", "DIR", Path.class, null, "NeuMF only: start from this saved MLP model.",
            (b, v) -> b.optPretrainedMlp((Path) v), pretrained(c -> c.pretrainedMlp().toString())),
    ALPHA("--alpha", float.class, "0.5", "Weight of GMF in the pretrained output layer (default: ${DEFAULT-VALUE}).",
            (b, v) -> b.optAlpha((Float) v), pretrained(TrainConfig::alpha)),
    FINE_TUNE("--fine-tune", String.class, FineTune.ALL.word(), "What trains in a NeuMF initialised from GMF and "
            + "MLP: all (every parameter, the paper's way) or output (the output layer only, weighing the pretrained "
            + "GMF and MLP features; embeddings and hidden layers stay as pretrained) (default: ${DEFAULT-VALUE}).",
            (b, v) -> b.optFineTune(FineTune.parse((String) v)), pretrained(c -> c.fineTune().word())),
    /** In the report only when on, so that states saved before it was a setting still resume. */
    AVERAGE_FROM("--average-from", "EPOCH", int.class, "0", "From this epoch on, the model evaluated, chosen and "
            + "saved is the mean of the parameters after each epoch since (tail averaging of the weights, as in "
            + "stochastic weight averaging; training goes on from the parameters themselves); 0 averages nothing "
            + "(default: ${DEFAULT-VALUE}).", (b, v) -> b.optAverageFrom((Integer) v),
            new Report(c -> c.averageFrom() > 0, (c, device) -> c.averageFrom()));

    /** Whether and how the report's settings record a setting. */
    private record Report(Predicate<TrainConfig> when, BiFunction<TrainConfig, Device, Object> value) {
    }

    private final String flag;
    private final String paramLabel;
    private final Class<?> type;
    private final String defaultValue;
    private final String description;
    private final BiConsumer<TrainConfig.Builder, Object> apply;
    private final Report report;

    TrainSetting(String flag, Class<?> type, String defaultValue, String description,
                 BiConsumer<TrainConfig.Builder, Object> apply, Report report) {
        this(flag, null, type, defaultValue, description, apply, report);
    }

    TrainSetting(String flag, String paramLabel, Class<?> type, String defaultValue, String description,
                 BiConsumer<TrainConfig.Builder, Object> apply, Report report) {
        this.flag = flag;
        this.paramLabel = paramLabel;
        this.type = type;
        this.defaultValue = defaultValue;
        this.description = description;
        this.apply = apply;
        this.report = report;
    }

    /** The component of {@link TrainConfig} and the key in the report's settings: the name in camel case. */
    public String key() {
        StringBuilder b = new StringBuilder();
        for (String word : name().toLowerCase(Locale.ROOT).split("_")) {
            b.append(b.length() == 0 ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        return b.toString();
    }

    /** The command-line flag; its name without the dashes is the key in a {@code --config} file. */
    public String flag() {
        return flag;
    }

    /** What the help shows for the flag's value: {@code <key>} unless a setting names it otherwise. */
    public String paramLabel() {
        return paramLabel != null ? paramLabel : "<" + key() + ">";
    }

    /**
     * The type of the flag's value, as the command parses it: {@code int}, {@code long}, {@code float},
     * {@code boolean} (a flag without a value), {@code String}, {@link Path}, or {@code int[]} (comma-separated).
     */
    public Class<?> type() {
        return type;
    }

    /** The default as it would be typed, or null when there is none (the config's builder decides). */
    public String defaultValue() {
        return defaultValue;
    }

    /** The help text, with picocli's {@code ${DEFAULT-VALUE}} where the default goes. */
    public String description() {
        return description;
    }

    /** Whether the setting is a component of {@link TrainConfig} (all but {@link #DEVICE}). */
    public boolean inConfig() {
        return apply != null;
    }

    /** Whether the report records the setting at all (all but {@link #FULL_RANKING}). */
    public boolean inReport() {
        return report != null;
    }

    /** Whether a resumed run may give another value than the run that saved its state. */
    public boolean mayChangeOnResume() {
        return this == EPOCHS || this == THREADS;
    }

    /**
     * Sets {@code value}, of {@link #type()} as the command parsed it (a word for the enums), on {@code builder}.
     *
     * @throws IllegalArgumentException when the value is not one the setting takes (an unknown word)
     * @throws IllegalStateException for {@link #DEVICE}, which is not in the config
     */
    public void applyTo(TrainConfig.Builder builder, Object value) {
        if (apply == null) {
            throw new IllegalStateException(flag + " is not a setting of the config");
        }
        apply.accept(builder, value);
    }

    /**
     * The report's settings of a run with this config on this device, in the list's order: what {@code report.json}
     * holds and, but the settings that {@link #mayChangeOnResume()}, what a resumed run must match.
     */
    public static Map<String, Object> report(TrainConfig config, Device device) {
        Map<String, Object> settings = new LinkedHashMap<>();
        for (TrainSetting s : values()) {
            if (s.report != null && s.report.when().test(config)) {
                settings.put(s.key(), s.report.value().apply(config, device));
            }
        }
        return settings;
    }

    /** Sets every default of the list on {@code builder}: the builder's defaults are the command's. */
    static void applyDefaults(TrainConfig.Builder builder) {
        for (TrainSetting s : values()) {
            if (s.inConfig() && s.defaultValue != null) {
                s.apply.accept(builder, s.parseDefault());
            }
        }
    }

    /** The default converted as the command converts what is typed (the list's defaults are simple literals). */
    private Object parseDefault() {
        if (type == int.class) {
            return Integer.valueOf(defaultValue);
        } else if (type == long.class) {
            return Long.valueOf(defaultValue);
        } else if (type == float.class) {
            return Float.valueOf(defaultValue);
        } else if (type == boolean.class) {
            return Boolean.valueOf(defaultValue);
        } else if (type == String.class) {
            return defaultValue;
        }
        throw new IllegalStateException(flag + ": a default of " + type.getSimpleName() + " is not supported");
    }

    private static Report always(Function<TrainConfig, Object> value) {
        return new Report(c -> true, (c, device) -> value.apply(c));
    }

    /** Recorded with the other pretraining settings, when the run starts from pretrained GMF and MLP models. */
    private static Report pretrained(Function<TrainConfig, Object> value) {
        return new Report(TrainConfig::pretrained, (c, device) -> value.apply(c));
    }
}
