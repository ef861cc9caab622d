package org.ncf4j.server;

import io.micronaut.runtime.Micronaut;

/** Starts the server; configuration comes from application.yml and NCF_* environment variables. */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
