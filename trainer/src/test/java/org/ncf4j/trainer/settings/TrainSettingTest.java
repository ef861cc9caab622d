package org.ncf4j.trainer.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.ncf4j.contract.Variant;

/**
 * The list of settings against the config it builds and the report it writes. The command's options follow from
 * the list ({@code SettingOptionsTest}) and the documentation's flag table is checked against it
 * ({@code FlagTableTest}).
 */
class TrainSettingTest {

    @Test
    void everyComponentOfTheConfigIsASettingAndEverySettingOfTheConfigAComponent() {
        Set<String> components = new TreeSet<>();
        for (RecordComponent c : TrainConfig.class.getRecordComponents()) {
            components.add(c.getName());
        }
        Set<String> settings = new TreeSet<>();
        for (TrainSetting s : TrainSetting.values()) {
            if (s.inConfig()) {
                settings.add(s.key());
            }
        }
        List<String> wrong = new ArrayList<>();
        components.stream().filter(c -> !settings.contains(c)).forEach(c -> wrong.add("TrainConfig's component "
                + c + " is no TrainSetting (add it to the list, with its flag, default, help and report)"));
        settings.stream().filter(s -> !components.contains(s)).forEach(s -> wrong.add("TrainSetting " + s
                + " is not a component of TrainConfig"));
        assertEquals(List.of(), wrong);
    }

    @Test
    void keysAndFlagsAreUniqueAndFlagsAreLongLowerCaseNames() {
        assertEquals(TrainSetting.values().length, Arrays.stream(TrainSetting.values()).map(TrainSetting::key)
                .distinct().count());
        assertEquals(TrainSetting.values().length, Arrays.stream(TrainSetting.values()).map(TrainSetting::flag)
                .distinct().count());
        for (TrainSetting s : TrainSetting.values()) {
            assertTrue(s.flag().matches("--[a-z][a-z0-9]*(-[a-z0-9]+)*"), s.flag());
        }
        assertEquals("learningRate", TrainSetting.LEARNING_RATE.key());
        assertEquals("embeddingL2", TrainSetting.EMBEDDING_L2.key());
        assertEquals("<topK>", TrainSetting.TOP_K.paramLabel());
    }

    /**
     * The report's settings as the code before the list wrote them (copied from a report.json of a GMF run and of a
     * pretrained, averaged NeuMF run): the same keys in the same order with the same values, since reports are read
     * ({@code PaperTable}) and a resumed run compares them with the saved ones.
     */
    @Test
    void theReportRecordsTheSettingsAsBefore() throws Exception {
        ObjectMapper json = new ObjectMapper();
        TrainConfig gmf = TrainConfig.builder().optVariant(Variant.GMF).optFactor(4).optLayers(16, 8, 4).optEpochs(2)
                .optBatchSize(64).optLearningRate(0.01f).build();
        assertEquals("{\"variant\":\"gmf\",\"factor\":4,\"layers\":\"[16, 8, 4]\",\"epochs\":2,\"batchSize\":64,"
                + "\"learningRate\":0.01,\"optimizer\":\"adam\",\"negatives\":4,\"embeddingL2\":0.0,\"layerL2\":0.0,"
                + "\"seed\":1,\"topK\":10,\"device\":\"cpu()\",\"threads\":1}",
                json.writeValueAsString(TrainSetting.report(gmf, Device.cpu())));
        TrainConfig pretrained = TrainConfig.builder().optFactor(4).optLayers(16, 8, 4).optEpochs(3).optBatchSize(64)
                .optLearningRate(0.01f).optOptimizer(OptimizerKind.SGD).optPretrainedGmf(Path.of("vgmf/model"))
                .optPretrainedMlp(Path.of("vmlp/model")).optAlpha(0.3f).optFineTune(FineTune.OUTPUT)
                .optAverageFrom(2).optFullRanking(false).build();
        assertEquals("{\"variant\":\"neumf\",\"factor\":4,\"layers\":\"[16, 8, 4]\",\"epochs\":3,\"batchSize\":64,"
                + "\"learningRate\":0.01,\"optimizer\":\"sgd\",\"negatives\":4,\"embeddingL2\":0.0,\"layerL2\":0.0,"
                + "\"seed\":1,\"topK\":10,\"device\":\"cpu()\",\"threads\":1,\"pretrainedGmf\":\"vgmf/model\","
                + "\"pretrainedMlp\":\"vmlp/model\",\"alpha\":0.3,\"fineTune\":\"output\",\"averageFrom\":2}",
                json.writeValueAsString(TrainSetting.report(pretrained, Device.cpu())));
    }

    @Test
    void onlyEpochsAndThreadsMayChangeOnResume() {
        assertEquals(List.of(TrainSetting.EPOCHS, TrainSetting.THREADS), Arrays.stream(TrainSetting.values())
                .filter(TrainSetting::mayChangeOnResume).toList());
    }
}
