package org.ncf4j.server;

import io.grpc.ManagedChannel;
import io.micronaut.test.support.TestPropertyProvider;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * A test of the real server: {@link #createServer} prepares its repository and configuration before Micronaut
 * starts it, {@link #channel} reaches it, and the channel is closed after the tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerTestBase implements TestPropertyProvider {
    protected ManagedChannel channel;

    /** The repository and configuration this test's server runs with (see {@link TestServers#create}). */
    protected abstract TestServers.Setup createServer();

    @Override
    public final Map<String, String> getProperties() {
        TestServers.Setup setup = createServer();
        channel = setup.channel();
        return setup.properties();
    }

    @AfterAll
    void closeChannel() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
