package org.ncf4j.cli;

import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that talks to the server: opens the channel, runs, and shuts the channel down again. */
abstract class ServerCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Mixin
    Output output;

    @Spec
    CommandSpec spec;

    /** Runs against an open channel and returns the exit code. */
    abstract int run(ManagedChannel channel) throws Exception;

    @Override
    public final Integer call() throws Exception {
        ManagedChannel channel = connection.open();
        try {
            return run(channel);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
