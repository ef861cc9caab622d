package org.ncf4j.server;

import io.micronaut.context.annotation.Context;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Routes java.util.logging (which gRPC and ONNX Runtime's Java binding log through) into SLF4J, so every line the
 * server writes has one format and obeys logback's levels.
 */
@Context
public final class LoggingBridge {
    public LoggingBridge() {
        install();
    }

    /** Idempotent; the server's main calls it first, before anything logs. */
    public static synchronized void install() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }
}
