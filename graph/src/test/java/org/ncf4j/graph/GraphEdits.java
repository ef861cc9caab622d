package org.ncf4j.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.ncf4j.bundle.BundleFiles;
import org.ncf4j.bundle.Sha256;
import org.ncf4j.onnx.OnnxProto.ModelProto;
import org.ncf4j.onnx.OnnxProto.StringStringEntryProto;
import org.ncf4j.onnx.OnnxProto.TensorProto;

/** Hand-made damage to a bundle's graphs, with the card's hash of the graph made to match, so that only it shows. */
final class GraphEdits {
    private GraphEdits() {
    }

    /** Rewrites graph {@code file} of bundle {@code b} as {@code edit} changes it, and its hash in the card. */
    static void edit(Path b, String file, Consumer<ModelProto.Builder> edit) throws Exception {
        Path graph = b.resolve(file);
        ModelProto.Builder m = ModelProto.parseFrom(Files.readAllBytes(graph)).toBuilder();
        edit.accept(m);
        Files.write(graph, m.build().toByteArray());
        ObjectMapper json = new ObjectMapper();
        ObjectNode card = (ObjectNode) json.readTree(b.resolve(BundleFiles.CARD).toFile());
        ((ObjectNode) card.get("files")).put(file, Sha256.of(graph));
        json.writeValue(b.resolve(BundleFiles.CARD).toFile(), card);
    }

    /** Sets one external data entry of initializer {@code tensor} in graph {@code file}. */
    static void editExternal(Path b, String file, String tensor, String key, String value) throws Exception {
        edit(b, file, m -> {
            for (TensorProto.Builder t : m.getGraphBuilder().getInitializerBuilderList()) {
                if (t.getName().equals(tensor)) {
                    for (StringStringEntryProto.Builder e : t.getExternalDataBuilderList()) {
                        if (e.getKey().equals(key)) {
                            e.setValue(value);
                        }
                    }
                }
            }
        });
    }

    /** An external data entry of an initializer, as a number. */
    static long external(TensorProto t, String key) {
        return t.getExternalDataList().stream().filter(e -> e.getKey().equals(key))
                .mapToLong(e -> Long.parseLong(e.getValue())).findFirst().orElseThrow();
    }
}
