package org.ncf4j.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.Variant;
import org.ncf4j.data.Split;
import org.ncf4j.trainer.eval.EvalUsers;
import org.ncf4j.trainer.eval.SampledEvaluator;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.trainer.optim.EpochTrainer;
import org.ncf4j.trainer.report.EpochRecord;
import org.ncf4j.trainer.sampling.NegativeSampler;
import org.ncf4j.trainer.settings.TrainConfig;

class EpochLoopTest {
    private final Split split = GroupedData.small(true);
    private final List<String> messages = new ArrayList<>();
    private final List<Long> started = new ArrayList<>();
    private final TrainingRun.Listener listener = new TrainingRun.Listener() {
        @Override
        public void message(String line) {
            messages.add(line);
        }

        @Override
        public void epochStarted(int epoch, int epochs, long examples) {
            started.add(examples);
        }
    };

    private final TrainConfig config = TrainConfig.builder().optVariant(Variant.GMF).optFactor(4).optEpochs(3)
            .optBatchSize(32).optLearningRate(0.05f).optAverageFrom(2).build();

    @Test
    void eachEpochTrainsOnItsSampleAndIsEvaluatedFromTheMeanOnceAveraging() throws Exception {
        ModelShape shape = new ModelShape(Variant.GMF, split.numUsers(), split.numItems(), 4, config.layers());
        try (NcfModel model = NcfModel.create(shape, Device.cpu(), 1, 0, 0);
             WeightAverage average = new WeightAverage(model, 1);
             EpochTrainer trainer = new EpochTrainer(model, config.optimizer(), config.learningRate(),
                     config.batchSize(), 1);
             EpochLoop loop = new EpochLoop(split, EvalUsers.of(split, 0, 0, 1), config, model, trainer, average, 0, RunClock.start(), listener)) {
            EpochRecord initial = loop.initial();
            assertEquals(0, initial.epoch());
            assertEquals(0, initial.loss());
            assertEquals(new SampledEvaluator(split.test(), 10, EpochLoop.EVAL_BATCH).evaluate(model).hitRate(),
                    initial.hitRate());
            assertNotNull(initial.validationHitRate());
            assertTrue(messages.get(0).startsWith("each epoch ranks all " + split.test().size() + " users"),
                    messages.get(0));
            assertTrue(messages.get(1).startsWith("the initialised model, before training: HR@10 "), messages.get(1));

            EpochLoop.Epoch first = loop.train(1);
            assertSame(model, first.evaluated(), "before --average-from, the trained model");
            EpochLoop.Epoch second = loop.train(2);
            assertNotSame(model, second.evaluated(), "from --average-from on, the mean of the parameters");
            assertEquals(1, average.count());
            assertEquals(List.of(1, 2), List.of(first.record().epoch(), second.record().epoch()));
            assertTrue(first.record().samplesPerSecond() > 0 && Double.isFinite(first.record().loss()));
            long perEpoch = new NegativeSampler(split.train(), config.negatives(), config.seed()).examplesPerEpoch();
            assertEquals(List.of(perEpoch, perEpoch), started);
        }
    }
}
