package org.ncf4j.server.health;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import org.ncf4j.server.repository.ModelSnapshot;
import org.ncf4j.server.repository.RepositoryListener;

/**
 * Whether the server serves, for the gRPC health service (as the server, {@code ""}, as the recommender service
 * and as the Open Inference Protocol's) and for HTTP health: SERVING while at least one model is loaded and the
 * server is not stopping.
 */
public final class ServingHealth implements RepositoryListener {
    /** The service names health reports for, besides the server as a whole. */
    public static final String RECOMMENDER = "ncf.v1.Recommender";
    /** The Open Inference Protocol's service, reported as the recommender is. */
    public static final String INFERENCE = "inference.GRPCInferenceService";

    private final HealthService health;
    private volatile boolean stopping;

    public ServingHealth(HealthService health) {
        this.health = health;
        report(false);
    }

    @Override
    public void changed(ModelSnapshot snapshot) {
        report(snapshot.anyLoaded());
    }

    private synchronized void report(boolean loaded) {
        if (stopping) {
            return;
        }
        ServingStatus s = loaded ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        health.setStatus("", s);
        health.setStatus(RECOMMENDER, s);
        health.setStatus(INFERENCE, s);
    }

    /** The server begins to stop: NOT_SERVING for good, and open watches are closed. */
    public synchronized void beginShutdown() {
        stopping = true;
        health.shutdown();
    }

    /** What gRPC health says for the server as a whole. */
    public boolean serving() {
        return health.status("") == ServingStatus.SERVING;
    }

    public boolean stopping() {
        return stopping;
    }
}
