package org.ncf4j.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ncf4j.contract.GraphIO;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.Variant;
import org.ncf4j.onnx.OnnxProto.GraphProto;
import org.ncf4j.onnx.OnnxProto.TensorProto;
import org.ncf4j.onnx.OnnxProto.ValueInfoProto;

/** The graphs are built as the contract says: its input and output names, its weights' names and shapes. */
class GraphContractTest {
    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(new ModelShape(Variant.GMF, 7, 5, 3, new int[0])),
                Arguments.of(new ModelShape(Variant.MLP, 7, 5, 0, new int[] {8, 4, 2})),
                Arguments.of(new ModelShape(Variant.MLP, 7, 5, 0, new int[] {4})),
                Arguments.of(new ModelShape(Variant.NEUMF, 7, 5, 3, new int[] {8, 4, 2})),
                Arguments.of(new ModelShape(Variant.NEUMF, 7, 5, 3, new int[] {6})));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void theScoringGraphHoldsTheParametersAndTheContractsInputsAndOutputs(ModelShape shape) {
        GraphProto g = ScoringGraph.build(RandomWeights.of(shape, 1), "test", Map.of()).getGraph();
        assertEquals(GraphIO.SCORING_INPUTS, names(g.getInputList()));
        assertEquals(GraphIO.SCORING_OUTPUTS, names(g.getOutputList()));
        assertEquals(describe(shape.parameters()), describe(floatInitializers(g)));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void theRankingGraphHoldsTheRankingConstantsAndTheContractsInputsAndOutputs(ModelShape shape) {
        GraphProto g = RankingGraph.build(RandomWeights.of(shape, 1), "test", Map.of()).getGraph();
        assertEquals(GraphIO.RANKING_INPUTS, names(g.getInputList()));
        assertEquals(GraphIO.RANKING_OUTPUTS, names(g.getOutputList()));
        assertEquals(describe(shape.rankingConstants()), describe(floatInitializers(g)));
    }

    private static List<String> names(List<ValueInfoProto> values) {
        return values.stream().map(ValueInfoProto::getName).toList();
    }

    private static Map<String, long[]> floatInitializers(GraphProto g) {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            if (t.getDataType() == TensorProto.DataType.FLOAT.getNumber()) {
                out.put(t.getName(), t.getDimsList().stream().mapToLong(Long::longValue).toArray());
            }
        }
        return out;
    }

    /** Name and shape of each tensor, sorted by name: the order in a graph is the builder's own. */
    private static String describe(Map<String, long[]> tensors) {
        return tensors.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + java.util.Arrays.toString(e.getValue())).toList().toString();
    }
}
