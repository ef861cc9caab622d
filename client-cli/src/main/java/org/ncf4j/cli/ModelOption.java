package org.ncf4j.cli;

import org.ncf4j.api.v1.ModelSpec;
import picocli.CommandLine.Option;

/** {@code --model NAME[:VERSION]}, shared by the commands that call a model (a picocli mixin). */
final class ModelOption {
    @Option(names = "--model", paramLabel = "NAME[:VERSION]", description = "The model, and a version of it "
            + "(default: the server's default model, its highest loaded version).")
    String model;

    ModelSpec spec() {
        return ModelRef.parse(model);
    }
}
