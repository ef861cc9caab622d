package org.ncf4j.trainer.model;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ncf4j.graph.ModelShape;
import org.ncf4j.graph.Variant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.ncf4j.data.Directories;

/**
 * A saved model directory: {@code model.json} (variant, sizes) and the DJL parameter file. Saving is atomic per
 * file, so a crash mid-save leaves the previous checkpoint readable.
 */
public final class SavedModel {
    public static final String SPEC_FILE = "model.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SavedModel() {
    }

    /**
     * Saves the model with a fingerprint of the data it was trained on (or null), so a later export can check it
     * is given the same data.
     */
    public static void save(NcfModel model, Path dir, String dataFingerprint) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempDirectory(dir, ".saving-");
        try {
            model.save(tmp);
            ModelShape spec = model.spec();
            ObjectNode json = JSON.createObjectNode();
            json.put("variant", spec.variant().label());
            json.put("numUsers", spec.numUsers());
            json.put("numItems", spec.numItems());
            json.put("factor", spec.factor());
            json.putPOJO("layers", spec.layers());
            if (dataFingerprint != null) {
                json.put("dataFingerprint", dataFingerprint);
            }
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.resolve(SPEC_FILE).toFile(), json);
            try (Stream<Path> files = Files.list(tmp)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.move(f, dir.resolve(f.getFileName()), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } finally {
            Directories.deleteTree(tmp);
        }
    }

    /** Reads the shape saved in {@code dir/model.json}. */
    public static ModelShape readSpec(Path dir) throws IOException {
        Path file = dir.resolve(SPEC_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException("not a saved model: " + file + " is missing");
        }
        JsonNode json = JSON.readTree(file.toFile());
        JsonNode layers = json.path("layers");
        int[] sizes = new int[layers.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = layers.get(i).asInt();
        }
        try {
            return new ModelShape(Variant.parse(json.path("variant").asText()), json.path("numUsers").asInt(),
                    json.path("numItems").asInt(), json.path("factor").asInt(), sizes);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** The fingerprint of the training data saved with the model, or null when none was saved. */
    public static String readDataFingerprint(Path dir) throws IOException {
        readSpec(dir);
        JsonNode f = JSON.readTree(dir.resolve(SPEC_FILE).toFile()).get("dataFingerprint");
        return f == null ? null : f.asText();
    }

    public static NcfModel load(Path dir, Device device) throws IOException {
        return NcfModel.load(readSpec(dir), device, dir);
    }
}
