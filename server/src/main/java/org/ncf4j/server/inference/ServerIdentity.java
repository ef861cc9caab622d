package org.ncf4j.server.inference;

/** The server's name and version, as ServerMetadata and {@code GET /v2} give them. */
public final class ServerIdentity {
    public static final String NAME = "ncf4j";

    private ServerIdentity() {
    }

    /** The version in the server jar's manifest, or "dev" when run from classes. */
    public static String version() {
        String v = ServerIdentity.class.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? "dev" : v;
    }
}
