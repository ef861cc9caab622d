package org.ncf4j.trainer.train;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resume states as the code before the list of settings wrote them: the headers of the {@code resume.state} of a GMF
 * run (2 epochs, no validation items) and of a NeuMF pretrained from GMF and MLP with validation items, {@code
 * --fine-tune output}, {@code --alpha 0.3} and {@code --average-from 2} (3 epochs, none better than the initialised
 * model), copied from the files. The lines of each are joined without a separator.
 */
final class SavedStates {
    static final String GMF_FINGERPRINT = "sha256:d6cd9c39f5f931e6fccfdbeefe961252d8053a0eb8ee9efbffdab17939197f64";
    static final String GMF = """
            {"epochsDone":2,"bestEpoch":2,"bestScore":0.4666666666666667,"bestHitRate":0.4666666666666667,
            "bestNdcg":0.23891243395159065,"records":[{"epoch":1,"loss":0.6509546041488647,
            "hitRate":0.38333333333333336,"ndcg":0.21220805518116495,"validationHitRate":null,
            "validationNdcg":null,"samplesPerSecond":47574.385790538974,"trainSeconds":0.042459823,
            "evalSeconds":0.004387981,"samplingWaitSeconds":1.8646E-5,"elapsedSeconds":0.365010589},{"epoch":2,
            "loss":0.5668410016223788,"hitRate":0.4666666666666667,"ndcg":0.23891243395159065,
            "validationHitRate":null,"validationNdcg":null,"samplesPerSecond":107382.46470931114,
            "trainSeconds":0.018811265,"evalSeconds":3.83056E-4,"samplingWaitSeconds":3.095E-6,
            "elapsedSeconds":0.421153611}],"initial":null,"elapsedSeconds":0.421155564,
            "started":"2026-12-06T17:56:56.493677456Z","settings":{"variant":"gmf","factor":4,"layers":"[16, 8,
             4]","batchSize":64,"learningRate":0.01,"optimizer":"adam","negatives":4,"embeddingL2":0.0,
            "layerL2":0.0,"seed":1,"topK":10,"device":"cpu()"},
            "dataFingerprint":"sha256:d6cd9c39f5f931e6fccfdbeefe961252d8053a0eb8ee9efbffdab17939197f64",
            "averaged":0}
            """.replace("\n", "");

    static final String PRETRAINED_FINGERPRINT =
            "sha256:44cb1e90274fdaab8ef56c3180accb880631c156b0032ea0917fe942c882a0b4";
    static final String PRETRAINED = """
            {"epochsDone":3,"bestEpoch":0,"bestScore":0.18333333333333332,"bestHitRate":0.2,
            "bestNdcg":0.10661897030796069,"records":[{"epoch":1,"loss":0.5139760717197701,"hitRate":0.2,
            "ndcg":0.10661897030796069,"validationHitRate":0.18333333333333332,
            "validationNdcg":0.0817848922561934,"samplesPerSecond":30686.599278062073,
            "trainSeconds":0.056050525,"evalSeconds":0.002372866,"samplingWaitSeconds":7.2438E-5,
            "elapsedSeconds":0.942658174},{"epoch":2,"loss":0.5139937334590488,"hitRate":0.2,
            "ndcg":0.10661897030796069,"validationHitRate":0.18333333333333332,
            "validationNdcg":0.0817848922561934,"samplesPerSecond":56175.03775974995,"trainSeconds":0.030618582,
            "evalSeconds":0.006719928,"samplingWaitSeconds":4.068E-6,"elapsedSeconds":1.040458865},{"epoch":3,
            "loss":0.5123036536905501,"hitRate":0.2,"ndcg":0.10661897030796069,
            "validationHitRate":0.18333333333333332,"validationNdcg":0.0817848922561934,
            "samplesPerSecond":42110.65868268165,"trainSeconds":0.040844766,"evalSeconds":9.490410000000001E-4,
            "samplingWaitSeconds":4.068E-6,"elapsedSeconds":1.08917139}],"initial":{"epoch":0,"loss":0.0,
            "hitRate":0.2,"ndcg":0.10661897030796069,"validationHitRate":0.18333333333333332,
            "validationNdcg":0.0817848922561934,"samplesPerSecond":0.0,"trainSeconds":0.0,
            "evalSeconds":0.085096852,"samplingWaitSeconds":0.0,"elapsedSeconds":0.840199439},
            "elapsedSeconds":1.089173564,"started":"2026-12-06T17:57:13.895116450Z",
            "settings":{"variant":"neumf","factor":4,"layers":"[16, 8, 4]","batchSize":64,"learningRate":0.01,
            "optimizer":"sgd","negatives":4,"embeddingL2":0.0,"layerL2":0.0,"seed":1,"topK":10,"device":"cpu()",
            "pretrainedGmf":"vgmf/model","pretrainedMlp":"vmlp/model","alpha":0.3,"fineTune":"output",
            "averageFrom":2},
            "dataFingerprint":"sha256:44cb1e90274fdaab8ef56c3180accb880631c156b0032ea0917fe942c882a0b4",
            "averaged":2}
            """.replace("\n", "");

    private SavedStates() {
    }

    /** Writes {@code header} as the state's header in {@code dir}, as {@link TrainingState} does, no arrays after. */
    static void write(Path dir, String header) throws IOException {
        Files.createDirectories(dir);
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve("resume.state")))) {
            out.writeUTF("ncf4j-training-state-1");
            byte[] bytes = header.getBytes(StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }
}
