package org.ncf4j.server.inference;

/** The server's name, version and extensions, as ServerMetadata and {@code GET /v2} give them. */
public final class ServerIdentity {
    public static final String NAME = "ncf4j";
    /** The protocol extensions it speaks: Triton's model configuration (ModelConfig, {@code .../config}). */
    public static final java.util.List<String> EXTENSIONS = java.util.List.of("model_configuration");

    private ServerIdentity() {
    }

    /** The version in the server jar's manifest, or "dev" when run from classes. */
    public static String version() {
        String v = ServerIdentity.class.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? "dev" : v;
    }
}
