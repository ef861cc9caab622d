package org.ncf4j.trainer.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.bundle.BundleFiles;
import org.ncf4j.bundle.WeightsFile;
import org.ncf4j.trainer.model.NcfModel;
import org.ncf4j.contract.TensorNames;
import org.ncf4j.contract.Variant;
import org.ncf4j.data.Split;
import org.ncf4j.graph.BundleBuilder;
import org.ncf4j.graph.ModelWeights;
import org.ncf4j.graph.ScoringGraph;
import org.ncf4j.graph.RankingGraph;
import org.ncf4j.graph.TablePieces;
import org.ncf4j.onnx.OnnxProto.ModelProto;

/**
 * Every exported graph passes the reference checker, {@code onnx.checker.check_model(path, full_check=True)}
 * of Debian's python3-onnx (run with /usr/bin/python3), as a bundle holds them: the tables as external data in
 * the data file beside them, which the checker resolves from the graph's path. When CI=true a missing checker fails
 * the test; .ci/run installs it.
 */
class OnnxCheckerTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String CHECK = "import onnx, sys\n"
            + "for path in sys.argv[1:]:\n"
            + "    onnx.checker.check_model(path, full_check=True)\n"
            + "print('ok')\n";

    static boolean checkerAvailable() throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import onnx").redirectErrorStream(true).start();
        return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void exportedGraphsPassTheOnnxChecker(Variant variant, @TempDir Path dir) throws Exception {
        requireChecker();
        Path score = dir.resolve("score.onnx");
        Path rank = dir.resolve("rank.onnx");
        try (NcfModel model = ExportFixtures.model(variant, 1)) {
            ModelWeights w = model.weights();
            WeightsFile tables = new WeightsFile();
            Files.write(score, ScoringGraph.build(w, "test", Map.of("variant", variant.label()), tables)
                    .toByteArray());
            Files.write(rank, RankingGraph.build(w, "test", Map.of("variant", variant.label()), tables)
                    .toByteArray());
            tables.write(dir.resolve(BundleFiles.WEIGHTS));
        }
        check(score, rank);
    }

    /**
     * A bundle whose gathered tables are declared in pieces (of 4 rows here: the users' in 4, the items' in 10),
     * checked on a copy of its files, since the checker writes the shapes it infers back into the graph file; the
     * bundle itself still reads.
     */
    @ParameterizedTest
    @EnumSource(Variant.class)
    void aBundleWithTablesInPiecesPassesTheOnnxCheckerOnACopy(Variant variant, @TempDir Path dir) throws Exception {
        requireChecker();
        Path bundle = dir.resolve("bundle");
        Split split = BundleValidationTest.split();
        try (NcfModel model = ExportFixtures.model(variant, 1)) {
            BundleBuilder.write(bundle, model.weights(), split.users(), split.items(), split.train(),
                    Map.of("name", "tiny", "fingerprint", "f"), Map.of(), Map.of(), TablePieces.ofRows(4));
        }
        Path copy = Files.createDirectories(dir.resolve("copy"));
        for (String file : List.of(BundleFiles.SCORE_GRAPH, BundleFiles.RANK_GRAPH, BundleFiles.WEIGHTS)) {
            Files.copy(bundle.resolve(file), copy.resolve(file));
        }
        String lastPiece = TensorNames.piece(variant.hasGmf() ? TensorNames.GMF_USER_EMBEDDING
                : TensorNames.MLP_USER_EMBEDDING, 3);
        assertTrue(ModelProto.parseFrom(Files.readAllBytes(copy.resolve(BundleFiles.SCORE_GRAPH))).getGraph()
                .getInitializerList().stream().anyMatch(t -> t.getName().equals(lastPiece)), "the users' table in 4 "
                + "pieces");
        check(copy.resolve(BundleFiles.SCORE_GRAPH), copy.resolve(BundleFiles.RANK_GRAPH));
        Bundle.read(bundle);
    }

    private static void requireChecker() throws Exception {
        boolean available = checkerAvailable();
        if (!available && "true".equals(System.getenv("CI"))) {
            fail("python3-onnx is not installed (apt-get install -y python3-onnx); .ci/run installs it");
        }
        assumeTrue(available, "python3-onnx not installed");
    }

    /** Runs the checker on the graphs, each with its data file beside it. */
    private static void check(Path... graphs) throws Exception {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-c", CHECK));
        for (Path g : graphs) {
            command.add(g.toString());
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("the ONNX checker did not finish in 120 s");
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
    }
}
