package org.ncf4j.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.trainer.report.EpochRecord;
import org.ncf4j.trainer.report.TrainingReport;
import org.ncf4j.trainer.settings.TrainConfig;
import org.ncf4j.trainer.settings.TrainSetting;

class TrainCommandTest {
    @TempDir
    static Path shared;
    static Path csv;

    @TempDir
    Path dir;

    /** What a run printed and returned. */
    record Result(int code, String out, String err) {
    }

    @BeforeAll
    static void data() throws Exception {
        csv = SyntheticData.write(shared, 80, 48, 14, 3);
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TrainCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> csvArgs(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("--interactions", csv.toString(), "--header", "--user-col", "user",
                "--item-col", "item", "--timestamp-col", "ts", "--factor", "4", "--layers", "16,8,4",
                "--batch-size", "64", "--lr", "0.01", "-o", out.toString()));
        a.addAll(List.of(more));
        return a;
    }

    private static Result train(Path out, String... more) {
        return run(csvArgs(out, more).toArray(String[]::new));
    }

    @Test
    void trainsAndWritesTheBestModelAReportAndAChart() throws Exception {
        Path out = dir.resolve("gmf");
        Result r = train(out, "--model", "gmf", "--epochs", "6");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("epoch  1/6"), r.out());
        assertTrue(r.out().contains("best epoch"), r.out());
        TrainingReport report = TrainingReport.read(out.resolve("report.json"));
        assertEquals(6, report.epochs().size());
        assertEquals("test HR@10", report.selectedBy());
        assertEquals(List.copyOf(TrainSetting.report(TrainConfig.builder().build(), ai.djl.Device.cpu()).keySet()),
                List.copyOf(report.settings().keySet()), "the report's settings are TrainSetting's, in its order");
        EpochRecord best = report.epochs().get(report.bestEpoch() - 1);
        assertEquals(best.hitRate(), report.bestHitRate());
        for (EpochRecord e : report.epochs()) {
            assertTrue(best.hitRate() >= e.hitRate());
            assertTrue(e.samplesPerSecond() > 0);
        }
        // four user groups make the task learnable: far above the ~0.25 of random ranking
        assertTrue(report.bestHitRate() > 0.5, "HR@10 " + report.bestHitRate());
        assertTrue(report.epochs().get(5).loss() < report.epochs().get(0).loss());
        assertNotNull(report.fullRanking());
        assertTrue(Files.isRegularFile(out.resolve("model/model.json")));
        assertTrue(Files.isRegularFile(out.resolve("model/parameters.bin")));
        assertEquals(1280, ImageIO.read(out.resolve("training.png").toFile()).getWidth());
        try (var files = Files.list(out.resolve("model"))) {
            assertEquals(2, files.count(), "temporary files left in the model folder");
        }
        org.ncf4j.bundle.Bundle bundle = org.ncf4j.bundle.Bundle.read(out.resolve("bundle"));
        assertEquals("gmf", bundle.card().variant());
        assertEquals(report.bestHitRate(), ((Number) bundle.card().metrics().get("hitRate")).doubleValue());
        assertEquals("U0", bundle.users().id(0));
        assertTrue(r.out().contains("bundle in"), r.out());
        // the test set, in external ids, for evaluating the bundle through a server (ncf evaluate)
        var test = org.ncf4j.data.HeldOutFile.read(out.resolve("test.negative"));
        assertEquals(bundle.users().size(), test.size());
        for (var row : test) {
            int user = bundle.users().indexOf(row.user());
            assertTrue(user >= 0 && bundle.items().indexOf(row.item()) >= 0, row.user() + "," + row.item());
            assertFalse(bundle.seen().contains(user, bundle.items().indexOf(row.item())), "a held-out item is unseen");
            assertTrue(row.negatives().length > 0);
            for (String neg : row.negatives()) {
                assertFalse(bundle.seen().contains(user, bundle.items().indexOf(neg)), "a negative is unseen");
            }
        }
        assertFalse(Files.exists(out.resolve("validation.negative")), "no validation items in this run");
        // what reproduces the run besides its settings, in the report and on the card
        @SuppressWarnings("unchecked")
        var data = (java.util.Map<String, Object>) report.provenance().get("data");
        assertTrue(((String) data.get("source")).startsWith("--interactions " + csv.toAbsolutePath() + " "),
                data.toString());
        assertEquals(bundle.card().dataset().get("fingerprint"), data.get("fingerprint"));
        java.time.Instant.parse((String) report.provenance().get("date"));
        assertNotNull(((java.util.Map<?, ?>) report.provenance().get("code")).get("commit"));
        assertEquals(report.provenance(), bundle.card().training().get("provenance"));
    }

    @Test
    void exportGoesWhereToldOrNowhereAndNeverOverAnExistingVersion() throws Exception {
        Path versions = dir.resolve("models/gmf");
        Result first = train(dir.resolve("e1"), "--model", "gmf", "--epochs", "1", "--export-dir",
                versions.resolve("1").toString());
        assertEquals(0, first.code(), first.err());
        assertEquals("gmf", org.ncf4j.bundle.Bundle.read(versions.resolve("1")).card().variant());
        Result again = train(dir.resolve("e2"), "--model", "gmf", "--epochs", "1", "--export-dir",
                versions.resolve("1").toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("exists"), again.err());
        assertFalse(Files.exists(dir.resolve("e2")), "training started although the export would fail");
        Result none = train(dir.resolve("e3"), "--model", "gmf", "--epochs", "1", "--no-export");
        assertEquals(0, none.code(), none.err());
        assertFalse(Files.exists(dir.resolve("e3/bundle")));
    }

    @Test
    void theSameSeedGivesTheSameNumbers() throws Exception {
        Result a = train(dir.resolve("a"), "--model", "neumf", "--epochs", "2", "--seed", "7");
        Result b = train(dir.resolve("b"), "--model", "neumf", "--epochs", "2", "--seed", "7");
        assertEquals(0, a.code(), a.err());
        assertEquals(0, b.code(), b.err());
        TrainingReport ra = TrainingReport.read(dir.resolve("a/report.json"));
        TrainingReport rb = TrainingReport.read(dir.resolve("b/report.json"));
        for (int e = 0; e < 2; e++) {
            assertEquals(ra.epochs().get(e).loss(), rb.epochs().get(e).loss());
            assertEquals(ra.epochs().get(e).hitRate(), rb.epochs().get(e).hitRate());
            assertEquals(ra.epochs().get(e).ndcg(), rb.epochs().get(e).ndcg());
        }
        // so do two runs of the other optimizers, each with its own numbers
        for (String optimizer : List.of("lazy-adam", "dense-adam")) {
            Result x = train(dir.resolve(optimizer + "-x"), "--model", "neumf", "--epochs", "1", "--seed", "7",
                    "--optimizer", optimizer);
            Result y = train(dir.resolve(optimizer + "-y"), "--model", "neumf", "--epochs", "1", "--seed", "7",
                    "--optimizer", optimizer);
            assertEquals(0, x.code(), x.err());
            assertEquals(0, y.code(), y.err());
            double lx = TrainingReport.read(dir.resolve(optimizer + "-x/report.json")).epochs().get(0).loss();
            assertEquals(lx, TrainingReport.read(dir.resolve(optimizer + "-y/report.json")).epochs().get(0).loss());
            assertNotEquals(ra.epochs().get(0).loss(), lx, optimizer);
        }
        Result hogwild = train(dir.resolve("h"), "--model", "neumf", "--epochs", "1", "--seed", "7", "--threads",
                "2");
        assertEquals(0, hogwild.code(), hogwild.err());
        assertTrue(hogwild.err().contains("2 Hogwild workers"), hogwild.err());
        assertEquals(2, TrainingReport.read(dir.resolve("h/report.json")).settings().get("threads"));
        Result c = train(dir.resolve("c"), "--model", "neumf", "--epochs", "1", "--seed", "8");
        assertEquals(0, c.code(), c.err());
        assertFalse(TrainingReport.read(dir.resolve("c/report.json")).epochs().get(0).loss()
                == ra.epochs().get(0).loss());
    }

    @Test
    void validationItemsChooseTheBestEpoch() throws Exception {
        Path out = dir.resolve("val");
        Result r = train(out, "--model", "mlp", "--epochs", "2", "--validation", "--no-full-ranking");
        assertEquals(0, r.code(), r.err());
        TrainingReport report = TrainingReport.read(out.resolve("report.json"));
        assertEquals("validation HR@10", report.selectedBy());
        assertNotNull(report.epochs().get(0).validationHitRate());
        assertNull(report.fullRanking());
        assertTrue(r.out().contains("val HR"), r.out());
        assertEquals(org.ncf4j.data.HeldOutFile.read(out.resolve("test.negative")).size(),
                org.ncf4j.data.HeldOutFile.read(out.resolve("validation.negative")).size());
    }

    @Test
    void neumfStartsFromPretrainedGmfAndMlp() throws Exception {
        assertEquals(0, train(dir.resolve("g"), "--model", "gmf", "--epochs", "1").code());
        assertEquals(0, train(dir.resolve("m"), "--model", "mlp", "--epochs", "1").code());
        Result r = train(dir.resolve("n"), "--model", "neumf", "--epochs", "1", "--pretrained-gmf",
                dir.resolve("g/model").toString(), "--pretrained-mlp", dir.resolve("m/model").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("initialised from GMF"), r.err());
        assertTrue(r.err().contains("the initialised model, before training: HR@10 "), r.err());
        TrainingReport report = TrainingReport.read(dir.resolve("n/report.json"));
        assertEquals(0.5, ((Number) report.settings().get("alpha")).doubleValue());
    }

    @Test
    void aConfigFileGivesDefaultsThatFlagsOverride() throws Exception {
        Path props = dir.resolve("run.properties");
        Files.writeString(props, "epochs = 3\nmodel = gmf\nnegatives = 2\n");
        Path out = dir.resolve("cfg");
        Result r = train(out, "--config", props.toString(), "--epochs", "1");
        assertEquals(0, r.code(), r.err());
        TrainingReport report = TrainingReport.read(out.resolve("report.json"));
        assertEquals(1, report.epochs().size());
        assertEquals("gmf", report.settings().get("variant"));
        assertEquals(2, report.settings().get("negatives"));
    }

    @Test
    void aMalformedLineFailsWithFileAndLineAndWritesNothing() throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "user,item,rating,ts\nU1,I1,5,100\nU1;I2;4;200\n");
        Path out = dir.resolve("out");
        Result r = run("--interactions", bad.toString(), "--header", "--timestamp-col", "ts", "-o", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("bad.csv:3:"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(out), "the output folder was created for a failed run");
    }

    @Test
    void inputErrorsGetOneLineMessagesAndExitCodeOne() {
        Path out = dir.resolve("out");
        Result missing = run("--interactions", dir.resolve("nope.csv").toString(), "-o", out.toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("not found"), missing.err());
        Result column = run("--interactions", csv.toString(), "--header", "--user-col", "customer", "-o",
                out.toString());
        assertEquals(1, column.code());
        assertTrue(column.err().contains("unknown user column 'customer'"), column.err());
        Result gpu = train(out, "--device", "gpu", "--epochs", "1");
        assertEquals(1, gpu.code());
        assertTrue(gpu.err().contains("no GPU"), gpu.err());
        Result pretrained = train(out, "--model", "neumf", "--pretrained-gmf", dir.toString(), "--pretrained-mlp",
                dir.toString());
        assertEquals(1, pretrained.code());
        assertTrue(pretrained.err().contains("model.json is missing"), pretrained.err());
        for (Result r : List.of(missing, column, gpu, pretrained)) {
            assertEquals(1, r.err().lines().filter(l -> l.startsWith("ncf-train: ")).count(), r.err());
            assertFalse(r.err().contains("\tat "), "a stack trace reached the user: " + r.err());
        }
        assertFalse(Files.exists(out.resolve("report.json")));
    }

    @Test
    void aDatasetWhereNoUserCanHoldOutAnItemIsRefused() throws Exception {
        Path single = dir.resolve("single.csv");
        Files.writeString(single, "a,x\nb,y\nc,x\n");
        Result r = run("--interactions", single.toString(), "-o", dir.resolve("o").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no user has two or more distinct items"), r.err());
    }

    @Test
    void readsMovieLensRatingsFromAZipAndShowsTheLicenceAndTheFilesName() throws Exception {
        Path zip = dir.resolve("ml-sample.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new java.util.zip.ZipEntry("ml-1m/ratings.dat"));
            for (String line : Files.readAllLines(csv).subList(1, 400)) {
                String[] f = line.split(",");
                out.write((f[0] + "::" + f[1] + "::" + f[2] + "::" + f[3] + "\n").getBytes(StandardCharsets.UTF_8));
            }
            out.closeEntry();
        }
        Path out = dir.resolve("ml");
        Result r = run("--movielens", zip.toString(), "--min-rating", "2", "--model", "gmf", "--epochs", "1",
                "--factor", "4", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("GroupLens"), "licence notice not shown: " + r.err());
        assertTrue(TrainingReport.read(out.resolve("report.json")).dataset().startsWith("ml-sample: "),
                "the dataset is named by its file");
    }

    @Test
    void aFailingRunLeavesThePreviousResultsOfTheFolderAlone() throws Exception {
        Path out = dir.resolve("kept");
        assertEquals(0, train(out, "--model", "gmf", "--epochs", "1").code());
        Result typo = train(out, "--model", "neumf", "--pretrained-gmf", dir.resolve("no-such").toString(),
                "--pretrained-mlp", out.resolve("model").toString());
        assertEquals(1, typo.code());
        assertTrue(Files.isRegularFile(out.resolve("report.json")));
        assertEquals("gmf", org.ncf4j.bundle.Bundle.read(out.resolve("bundle")).card().variant());
    }

    @Test
    void splitOptionsThatTheNcfFilesFixAreRefused() {
        Result r = run("--ncf-split", dir.toString(), "--min-rating", "3", "-o", dir.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--min-rating does not apply to --ncf-split"), r.err());
        r = run("--ncf-split", dir.toString(), "--eval-negatives", "50", "-o", dir.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("add --validation"), r.err());
    }

    @Test
    void usageErrorsExitWithTwoAndOneLineSayingWhatToPass() {
        Result none = run("--epochs", "3");
        assertTrue(none.err().contains("no data source: pass one of --ncf-split PATH, --movielens PATH, "
                + "--download-movielens, --interactions FILE"), none.err());
        Result two = run("--interactions", csv.toString(), "--ncf-split", "x");
        assertTrue(two.err().contains("more than one data source (--interactions, --ncf-split): pass exactly one"),
                two.err());
        Result notInt = run("--interactions", csv.toString(), "--epochs", "many");
        assertTrue(notInt.err().contains("'many' is not an int"), notInt.err());
        Result noConfig = run("--interactions", csv.toString(), "--config", dir.resolve("none").toString());
        assertTrue(noConfig.err().contains("config file not found"), noConfig.err());
        List<Result> all = new ArrayList<>(List.of(none, two, notInt, noConfig));
        String[][] outOfRange = {{"--epochs", "0", "epochs must be >= 1"}, {"--batch-size", "-1", "batch size"},
            {"--factor", "0", "factor must be >= 1"}, {"--model", "foo", "unknown model variant 'foo'"},
            {"--layers", "15,8", "must be even"}, {"--optimizer", "adamw", "expected one of adam, lazy-adam"},
            {"--threads", "0", "threads must be >= 1"}, {"--average-from", "-1", "--average-from must be >= 0"},
            {"--average-from", "21", "--average-from 21 is after the last epoch (--epochs 20)"}};
        for (String[] c : outOfRange) {
            Result r = run("--interactions", csv.toString(), c[0], c[1], "-o", dir.resolve("o").toString());
            assertTrue(r.err().contains(c[2]), c[0] + " " + c[1] + ": " + r.err());
            all.add(r);
        }
        Result evalNegatives = run("--interactions", csv.toString(), "--eval-negatives", "0", "-o",
                dir.resolve("o").toString());
        assertTrue(evalNegatives.err().contains("--eval-negatives must be >= 1"), evalNegatives.err());
        Result device = run("--interactions", csv.toString(), "--device", "tpu", "-o", dir.resolve("o").toString());
        assertTrue(device.err().contains("unknown device 'tpu'"), device.err());
        Result delimiter = run("--interactions", csv.toString(), "--delimiter", "", "-o",
                dir.resolve("o").toString());
        Result noValue = run("--ncf-split", dir.toString(), "--cache-dir");
        assertTrue(noValue.err().contains("--cache-dir") && !noValue.err().contains("no data source"),
                noValue.err());
        Result twice = run("--movielens", "a.zip", "--movielens", "b.zip");
        assertTrue(twice.err().contains("--movielens is given more than once"), twice.err());
        all.addAll(List.of(evalNegatives, device, delimiter, noValue, twice));
        Result dense = train(dir.resolve("o"), "--optimizer", "dense-adam", "--threads", "2");
        assertTrue(dense.err().contains("--threads 2 needs --optimizer adam or lazy-adam"), dense.err());
        all.add(dense);
        for (Result r : all) {
            assertEquals(2, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), "not one line: " + r.err());
            assertTrue(r.err().startsWith("ncf-train: ") && r.err().strip().endsWith("(see ncf-train --help)"),
                    r.err());
        }
        assertFalse(Files.exists(dir.resolve("o")), "a refused run created its output folder");
    }

    @Test
    void theTowerOfTheFactorIsTheDefaultMlp() throws Exception {
        Result r = run("--interactions", csv.toString(), "--header", "--model", "mlp", "--factor", "2",
                "--epochs", "1", "--no-export", "-o", dir.resolve("t").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("[16, 8, 4, 2]", TrainingReport.read(dir.resolve("t/report.json")).settings().get("layers"));
    }

    @Test
    void aConfigFileWithAnUnknownKeyOrABadValueIsRefusedNamingFileAndKey() throws Exception {
        Path typo = dir.resolve("typo.properties");
        Files.writeString(typo, "epoch = 7\n");
        Result r = train(dir.resolve("o"), "--config", typo.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("config file " + typo + ": unknown key 'epoch'") && r.err().contains(
                "did you mean 'epochs'?"), r.err());
        Path bad = dir.resolve("bad.properties");
        Files.writeString(bad, "negatives = 2\nepochs = many\n");
        r = train(dir.resolve("o"), "--config", bad.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(bad + ", key epochs: ") && r.err().contains("'many' is not an int"), r.err());
        Files.writeString(bad, "epochs = 0\n");
        r = train(dir.resolve("o"), "--config", bad.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("epochs must be >= 1, got 0 (" + bad + " sets epochs = 0)"), r.err());
        Path flags = dir.resolve("flags.properties");
        Files.writeString(flags, "header = true\nepochs = 1\nno-export = true\n");
        r = run("--interactions", csv.toString(), "--header", "--no-export", "--config", flags.toString(), "-o",
                dir.resolve("f").toString());
        assertEquals(0, r.code(), "a flag given both in the file and on the command line stays on: " + r.err());
        assertFalse(Files.exists(dir.resolve("f/bundle")));
        Files.walk(dir.resolve("f")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        Path source = dir.resolve("source.properties");
        Files.writeString(source, "interactions = " + csv + "\n");
        r = train(dir.resolve("o"), "--config", source.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("key interactions: the data source is given on the command line"), r.err());
        for (Path f : List.of(typo, bad, source)) {
            assertEquals(1, run(csvArgs(dir.resolve("o"), "--config", f.toString()).toArray(String[]::new)).err()
                    .strip().lines().count());
        }
        assertFalse(Files.exists(dir.resolve("o")));
    }

    @Test
    void pretrainedModelsOfOtherDataAreRefused() throws Exception {
        assertEquals(0, train(dir.resolve("g"), "--model", "gmf", "--epochs", "1", "--no-export").code());
        assertEquals(0, train(dir.resolve("m"), "--model", "mlp", "--epochs", "1", "--no-export").code());
        // the same users and items, other interactions: sizes agree, the data does not
        Path other = SyntheticData.write(Files.createDirectories(dir.resolve("other")), 80, 48, 14, 4);
        Result r = run("--interactions", other.toString(), "--header", "--user-col", "user", "--item-col", "item",
                "--timestamp-col", "ts", "--factor", "4", "--layers", "16,8,4", "--epochs", "1", "-o",
                dir.resolve("n").toString(), "--pretrained-gmf", dir.resolve("g/model").toString(),
                "--pretrained-mlp", dir.resolve("m/model").toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("the pretrained GMF model " + dir.resolve("g/model") + " was trained on other "
                + "data than the data given"), r.err());
        assertFalse(Files.exists(dir.resolve("n/report.json")));
    }

    @Test
    void aDamagedCheckpointGetsOneLineNamingTheFile() throws Exception {
        assertEquals(0, train(dir.resolve("g"), "--model", "gmf", "--epochs", "1", "--no-export").code());
        assertEquals(0, train(dir.resolve("m"), "--model", "mlp", "--epochs", "1", "--no-export").code());
        Path params = dir.resolve("g/model/parameters.bin");
        byte[] bytes = Files.readAllBytes(params);
        Files.write(params, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        String[] pretrained = {"--model", "neumf", "--epochs", "1", "--pretrained-gmf",
            dir.resolve("g/model").toString(), "--pretrained-mlp", dir.resolve("m/model").toString()};
        Result truncated = train(dir.resolve("n"), pretrained);
        assertEquals(1, truncated.code(), truncated.err());
        assertTrue(truncated.err().contains("cannot load the gmf parameters saved in " + dir.resolve("g/model")
                + ": the parameter file ends early (truncated)"), truncated.err());
        Files.writeString(dir.resolve("m/model/model.json"), "{\"variant\": \"mlp\",");
        Result json = train(dir.resolve("n"), pretrained);
        assertEquals(1, json.code(), json.err());
        assertTrue(json.err().contains(dir.resolve("m/model/model.json") + ": not valid JSON"), json.err());
        for (Result r : List.of(truncated, json)) {
            assertEquals(1, r.err().lines().filter(l -> l.startsWith("ncf-train: ")).count(), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
    }

    /**
     * A run stopped after epoch 2 (its state is saved after every epoch; a kill during epoch 3 leaves the same)
     * and resumed to epoch 4 gives the uninterrupted run's figures to the last digit and its best model, for every
     * optimizer whose state can be saved.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"adam", "lazy-adam", "dense-adam", "sgd"})
    void aResumedRunEqualsTheUninterruptedOne(String optimizer) throws Exception {
        String[] common = {"--model", "neumf", "--validation", "--optimizer", optimizer, "--no-export"};
        Path whole = dir.resolve("whole");
        assertEquals(0, train(whole, concat(common, "--epochs", "4")).code());
        Path stopped = dir.resolve("stopped");
        assertEquals(0, train(stopped, concat(common, "--epochs", "2")).code());
        assertEquals(2, TrainingReport.read(stopped.resolve("report.json")).epochs().size());
        Result resumed = train(stopped, concat(common, "--epochs", "4", "--resume"));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("resuming " + stopped.resolve("resume.state") + " after epoch 2 of 4"),
                resumed.err());
        assertFalse(resumed.out().contains("epoch  1/4"), resumed.out());
        TrainingReport a = TrainingReport.read(whole.resolve("report.json"));
        TrainingReport b = TrainingReport.read(stopped.resolve("report.json"));
        assertEquals(4, b.epochs().size());
        for (int e = 0; e < 4; e++) {
            EpochRecord x = a.epochs().get(e);
            EpochRecord y = b.epochs().get(e);
            assertEquals(x.epoch(), y.epoch());
            assertEquals(x.loss(), y.loss(), optimizer + " epoch " + (e + 1));
            assertEquals(x.hitRate(), y.hitRate());
            assertEquals(x.ndcg(), y.ndcg());
            assertEquals(x.validationHitRate(), y.validationHitRate());
        }
        assertEquals(a.bestEpoch(), b.bestEpoch());
        assertEquals(a.bestNdcg(), b.bestNdcg());
        assertEquals(a.fullRanking().get("hitRate"), b.fullRanking().get("hitRate"));
        assertEquals(a.fullRanking().get("ndcg"), b.fullRanking().get("ndcg"));
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(whole.resolve("model/parameters.bin")),
                Files.readAllBytes(stopped.resolve("model/parameters.bin"))), "the best models differ");
        // resuming a finished run trains nothing more
        Result again = train(stopped, concat(common, "--epochs", "4", "--resume"));
        assertEquals(0, again.code(), again.err());
        assertFalse(again.out().contains("epoch  4/4"), again.out());
        assertEquals(4, TrainingReport.read(stopped.resolve("report.json")).epochs().size());
    }

    /**
     * With --average-from 2, epoch 2's model is epoch 2's parameters (a mean of one) and later epochs' the mean since;
     * a run stopped after epoch 3 (a mean of two in its state) and resumed to epoch 4 gives the uninterrupted run's
     * figures and best models to the last digit; another --average-from is refused on resume.
     */
    @Test
    void anAveragedRunEvaluatesTheMeanAndResumesToTheUninterruptedOne() throws Exception {
        String[] common = {"--model", "neumf", "--validation", "--no-export", "--no-full-ranking"};
        Path plain = dir.resolve("plain");
        assertEquals(0, train(plain, concat(common, "--epochs", "4")).code());
        Path whole = dir.resolve("whole");
        Result r = train(whole, concat(common, "--epochs", "4", "--average-from", "2"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("from epoch 2 on, the model evaluated, chosen and saved is the mean of the "
                + "parameters after each epoch since (--average-from 2)"), r.err());
        TrainingReport p = TrainingReport.read(plain.resolve("report.json"));
        TrainingReport a = TrainingReport.read(whole.resolve("report.json"));
        for (int e = 0; e < 4; e++) { // training goes on from the parameters themselves: the same losses
            assertEquals(p.epochs().get(e).loss(), a.epochs().get(e).loss(), "epoch " + (e + 1));
        }
        for (int e = 0; e < 2; e++) {
            assertEquals(p.epochs().get(e).validationHitRate(), a.epochs().get(e).validationHitRate());
            assertEquals(p.epochs().get(e).ndcg(), a.epochs().get(e).ndcg());
        }
        assertNotEquals(figures(p.epochs().get(3)), figures(a.epochs().get(3)), "epoch 4 is not the mean of 2 to 4");
        assertTrue(Files.readString(whole.resolve("report.json")).contains("\"averageFrom\""));
        assertFalse(Files.readString(plain.resolve("report.json")).contains("averageFrom"));

        Path stopped = dir.resolve("stopped");
        assertEquals(0, train(stopped, concat(common, "--epochs", "3", "--average-from", "2")).code());
        Result other = train(stopped, concat(common, "--epochs", "4", "--average-from", "3", "--resume"));
        assertEquals(2, other.code(), other.err());
        assertTrue(other.err().contains("averageFrom (2, now 3)"), other.err());
        Result resumed = train(stopped, concat(common, "--epochs", "4", "--average-from", "2", "--resume"));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("after epoch 3 of 4"), resumed.err());
        TrainingReport b = TrainingReport.read(stopped.resolve("report.json"));
        for (int e = 0; e < 4; e++) {
            assertEquals(a.epochs().get(e).hitRate(), b.epochs().get(e).hitRate(), "epoch " + (e + 1));
            assertEquals(a.epochs().get(e).ndcg(), b.epochs().get(e).ndcg(), "epoch " + (e + 1));
            assertEquals(a.epochs().get(e).validationNdcg(), b.epochs().get(e).validationNdcg());
        }
        assertEquals(a.bestEpoch(), b.bestEpoch());
        for (String m : List.of("model", "model-by-test")) {
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(whole.resolve(m + "/parameters.bin")),
                    Files.readAllBytes(stopped.resolve(m + "/parameters.bin"))), m + " differs");
        }
    }

    private static List<Double> figures(EpochRecord r) {
        return List.of(r.hitRate(), r.ndcg(), r.validationHitRate(), r.validationNdcg());
    }

    @Test
    void resumeRefusesOtherSettingsOtherDataAndADamagedStateAndStartsAfreshWithout() throws Exception {
        Path out = dir.resolve("run");
        assertEquals(0, train(out, "--model", "gmf", "--epochs", "1", "--no-export").code());
        List<String> faster = csvArgs(out, "--model", "gmf", "--epochs", "2", "--no-export", "--resume");
        faster.set(faster.indexOf("0.01"), "0.02");
        Result lr = run(faster.toArray(String[]::new));
        assertEquals(2, lr.code(), lr.err());
        assertTrue(lr.err().contains("--resume: " + out.resolve("resume.state") + " was saved with other "
                + "settings: learningRate (0.01, now 0.02); only --epochs and --threads may change"), lr.err());

        Path otherCsv = SyntheticData.write(Files.createDirectories(dir.resolve("other")), 80, 48, 14, 4);
        List<String> args = csvArgs(out, "--model", "gmf", "--epochs", "2", "--no-export", "--resume");
        args.set(1, otherCsv.toString());
        Result data = run(args.toArray(String[]::new));
        assertEquals(2, data.code(), data.err());
        assertTrue(data.err().contains("was saved by a run on other data than the data given"), data.err());

        Path state = out.resolve("resume.state");
        byte[] bytes = Files.readAllBytes(state);
        Files.write(state, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        Result truncated = train(out, "--model", "gmf", "--epochs", "2", "--no-export", "--resume");
        assertEquals(1, truncated.code(), truncated.err());
        assertTrue(truncated.err().contains(state + ": the file ends early (truncated); start the run again "
                + "without --resume"), truncated.err());
        assertFalse(truncated.err().contains("Exception"), truncated.err());

        Result none = train(dir.resolve("fresh"), "--model", "gmf", "--epochs", "1", "--no-export", "--resume");
        assertEquals(0, none.code(), none.err());
        assertTrue(none.err().contains("nothing to resume in " + dir.resolve("fresh") + " (no resume.state): "
                + "starting at epoch 1"), none.err());
        // without --resume the saved state is discarded with the rest of the old run
        assertEquals(0, train(out, "--model", "gmf", "--epochs", "1", "--no-export").code());
        assertEquals(1, TrainingReport.read(out.resolve("report.json")).epochs().size());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * A pretrained NeuMF's initialised model is epoch 0, kept when no epoch beats it; {@code --fine-tune output}
     * runs (what it leaves alone is {@code SparseTrainerTest}'s) and is refused without pretraining.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"adam", "dense-adam", "sgd"})
    void theInitialisedModelIsEpochZeroAndTheOutputLayerCanTrainAlone(String optimizer) throws Exception {
        assertEquals(0, train(dir.resolve("g"), "--model", "gmf", "--epochs", "1", "--no-export").code());
        assertEquals(0, train(dir.resolve("m"), "--model", "mlp", "--epochs", "1", "--no-export").code());
        String[] pretrained = {"--model", "neumf", "--no-export", "--optimizer", optimizer, "--pretrained-gmf",
            dir.resolve("g/model").toString(), "--pretrained-mlp", dir.resolve("m/model").toString()};
        Path start = dir.resolve("start");
        // the initialised model itself: one epoch of plain SGD at a negligible rate
        List<String> startArgs = csvArgs(start, concat(pretrained, "--epochs", "1"));
        startArgs.set(startArgs.indexOf("0.01"), "1e-30");
        startArgs.set(startArgs.indexOf(optimizer), "sgd");
        Result initial = run(startArgs.toArray(String[]::new));
        assertEquals(0, initial.code(), initial.err());
        // an epoch that changed nothing does not beat the initialised model, which is kept as epoch 0
        TrainingReport startReport = TrainingReport.read(start.resolve("report.json"));
        assertEquals(0, startReport.bestEpoch());
        assertEquals(startReport.initial(), startReport.chosen());
        assertEquals(startReport.initial().hitRate(), startReport.bestHitRate());
        assertEquals(startReport.initial().hitRate(), startReport.epochs().get(0).hitRate());
        assertTrue(initial.out().contains("best epoch 0, the initialised model: no epoch of training beat it (by "
                + "test HR@10): HR@10 "), initial.out());
        Path tuned = dir.resolve("tuned");
        Result r = train(tuned, concat(pretrained, "--epochs", "2", "--fine-tune", "output"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("only the output layer trains"), r.err());
        Result refused = train(dir.resolve("n"), "--model", "neumf", "--epochs", "1", "--fine-tune", "output");
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("--fine-tune output trains the output layer of a NeuMF initialised "
                + "from GMF and MLP: give --pretrained-gmf and --pretrained-mlp"), refused.err());
    }
}
