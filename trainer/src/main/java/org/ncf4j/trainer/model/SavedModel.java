package org.ncf4j.trainer.model;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.Variant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.ncf4j.data.DataException;
import org.ncf4j.data.Directories;

/**
 * A saved model directory: {@code model.json} (variant, sizes) and the parameters ({@code parameters.bin}, or DJL's
 * parameter file in checkpoints of earlier versions). Saving is atomic per file, so a crash mid-save leaves the
 * previous checkpoint readable.
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
            // a checkpoint of an earlier version, in DJL's file, is replaced by the one just saved
            Files.deleteIfExists(dir.resolve(NcfModel.NAME + "-0000.params"));
        } finally {
            Directories.deleteTree(tmp);
        }
    }

    /** Reads the shape saved in {@code dir/model.json}. */
    public static ModelShape readSpec(Path dir) throws IOException {
        Path file = dir.resolve(SPEC_FILE);
        JsonNode json = readJson(file);
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
        JsonNode f = readJson(dir.resolve(SPEC_FILE)).get("dataFingerprint");
        return f == null ? null : f.asText();
    }

    /**
     * Refuses a saved model trained on other data than {@code fingerprint}'s (checkpoints saved before
     * fingerprints were recorded pass).
     *
     * @param what how the model is named in the message, e.g. "the pretrained GMF model"
     */
    public static void requireTrainedOn(Path dir, String fingerprint, String what) throws IOException {
        String saved = readDataFingerprint(dir);
        if (saved != null && !saved.equals(fingerprint)) {
            throw new IllegalArgumentException(what + " " + dir + " was trained on other data than the data "
                    + "given (the training pairs differ); give the data flags it was trained with (with "
                    + "--validation on --ncf-split, also its --seed, which draws the validation items)");
        }
    }

    public static NcfModel load(Path dir, Device device) throws IOException {
        return NcfModel.load(readSpec(dir), device, dir);
    }

    private static JsonNode readJson(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataException("not a saved model: " + file + " is missing");
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DataException(file + ": not valid JSON (" + e.getOriginalMessage().lines().findFirst()
                    .orElse("") + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()) + ")", e);
        }
    }
}
