package org.ncf4j.cli;

import org.ncf4j.api.v1.ModelSpec;

/** A model named on the command line as {@code NAME[:VERSION]}; empty for the server's default model. */
public final class ModelRef {
    private ModelRef() {
    }

    public static ModelSpec parse(String ref) {
        if (ref == null || ref.isBlank()) {
            return ModelSpec.getDefaultInstance();
        }
        int colon = ref.lastIndexOf(':');
        if (colon < 0) {
            return ModelSpec.newBuilder().setName(ref.strip()).build();
        }
        String version = ref.substring(colon + 1).strip();
        long v;
        try {
            v = Long.parseLong(version);
        } catch (NumberFormatException e) {
            throw new UsageException("--model " + ref + ": the version after ':' must be a number, got '" + version
                    + "'");
        }
        if (v < 1) {
            throw new UsageException("--model " + ref + ": versions start at 1");
        }
        return ModelSpec.newBuilder().setName(ref.substring(0, colon).strip()).setVersion(v).build();
    }

    /** "neumf version 3" for messages. */
    public static String describe(ModelSpec spec) {
        return spec.getName() + " version " + spec.getVersion();
    }
}
