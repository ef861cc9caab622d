package org.ncf4j.server.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.bundle.BundleFiles;
import org.ncf4j.contract.GraphIO;
import org.ncf4j.server.compute.PairScorer;
import org.ncf4j.server.compute.PairScores;
import org.ncf4j.server.compute.Ranker;
import org.ncf4j.server.compute.Rankings;
import org.ncf4j.server.error.ServingError;
import org.ncf4j.server.error.ServingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bundle's two ONNX graphs opened in ONNX Runtime: pair scoring and whole-catalogue ranking. Sessions are
 * thread-safe; {@link #close} closes both, and must not run while a call is in progress (callers hold a handle on
 * the served model for that). A run that fails in ONNX Runtime is a {@link ServingException} INTERNAL whose cause
 * is ONNX Runtime's exception, so that nothing above this package meets ONNX Runtime's types.
 */
public final class OnnxSessions implements Ranker, PairScorer, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxSessions.class);
    private static final Set<String> SCORE_OUTPUTS = Set.of(GraphIO.SCORE, GraphIO.LOGIT);

    /** ONNX Runtime's session option (onnxruntime_session_options_config_keys.h) to keep constants unpacked. */
    static final String DISABLE_PREPACKING = "session.disable_prepacking";

    private final OrtEnvironment env;
    private final OrtSession scoring;
    private final OrtSession ranking;
    /** The tensors over the bundle's mapped tables that the sessions use in place of their own copies. */
    private final List<OnnxTensor> shared;

    private OnnxSessions(OrtEnvironment env, OrtSession scoring, OrtSession ranking, List<OnnxTensor> shared) {
        this.env = env;
        this.scoring = scoring;
        this.ranking = ranking;
        this.shared = shared;
    }

    /**
     * Opens a bundle's two graphs from their verified bytes; closes whatever it opened when one fails. The tables a
     * graph stores as external data (whole, or in pieces) are handed to ONNX Runtime as initializers over the
     * bundle's mapped data file ({@link ExternalTables}), so that both sessions and the fused kernel read the same
     * pages and ONNX Runtime makes no copy of them.
     */
    public static OnnxSessions open(Bundle bundle, ExecutionProvider.Choice choice, int intraOpThreads)
            throws OrtException {
        return open(bundle, choice, intraOpThreads, true);
    }

    /**
     * As {@link #open(Bundle, ExecutionProvider.Choice, int)}; with {@code large} (models whose runs take hundreds
     * of MiB), the CPU's tensors are allocated per run and freed after it, instead of kept by ONNX Runtime's arena
     * at the largest run's size, and the graphs' constants are used as they are, without the packed copy ONNX
     * Runtime makes of a matrix multiplication's constant operand to speed it up (GMF's item side in the ranking
     * graph: a second copy of a table as large as the catalogue).
     */
    public static OnnxSessions open(Bundle bundle, ExecutionProvider.Choice choice, int intraOpThreads,
                                    boolean large) throws OrtException {
        boolean arena = !large;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<OnnxTensor> shared = new ArrayList<>();
        OrtSession scoring = null;
        try {
            scoring = session(env, bundle.scoreModel(), bundle.scoreGraph(), bundle, choice, intraOpThreads, arena,
                    shared);
            OrtSession ranking = session(env, bundle.rankModel(), bundle.rankGraph(), bundle, choice, intraOpThreads,
                    arena, shared);
            return new OnnxSessions(env, scoring, ranking, shared);
        } catch (OrtException | RuntimeException | Error e) {
            if (scoring != null) {
                scoring.close();
            }
            shared.forEach(OnnxTensor::close);
            throw e;
        }
    }

    private static OrtSession session(OrtEnvironment env, byte[] graph, Path file, Bundle bundle,
                                      ExecutionProvider.Choice choice, int intraOpThreads, boolean arena,
                                      List<OnnxTensor> shared) throws OrtException {
        try (OrtSession.SessionOptions options = ExecutionProvider.options(choice, intraOpThreads)) {
            options.setCPUArenaAllocator(arena);
            if (!arena) {
                options.addConfigEntry(DISABLE_PREPACKING, "1");
            }
            List<String> left = ExternalTables.add(env, options, graph, bundle.weights(), shared);
            if (left.isEmpty()) {
                return env.createSession(graph, options);
            }
            // a table the graph names whole over 2 GB, which no buffer holds: ONNX Runtime maps it from the
            // bundle's data file itself, which it finds beside the graph's file
            LOG.warn("{}: {} names {} whole, too large for one buffer: ONNX Runtime maps {} itself for this "
                    + "session, so such a table is resident once per session besides the server's mapping (bundles "
                    + "exported now declare the tables the graphs gather rows from in pieces, each taken in place)",
                    bundle.dir(), file.getFileName(), String.join(", ", left), BundleFiles.WEIGHTS);
            return env.createSession(file.toString(), options);
        }
    }

    /** The scoring graph's answer (see {@link PairScorer#score}). */
    @Override
    public PairScores score(long[] users, long[] items) {
        try (OnnxTensor u = OnnxTensor.createTensor(env, LongBuffer.wrap(users), new long[] {users.length});
             OnnxTensor i = OnnxTensor.createTensor(env, LongBuffer.wrap(items), new long[] {items.length});
             OrtSession.Result r = scoring.run(Map.of(GraphIO.USER, u, GraphIO.ITEM, i), SCORE_OUTPUTS)) {
            return new PairScores((float[]) r.get(GraphIO.SCORE).get().getValue(),
                    (float[]) r.get(GraphIO.LOGIT).get().getValue());
        } catch (OrtException e) {
            throw failed("scoring", e);
        }
    }

    /** The ranking graph's answer (see {@link Ranker#rank}). */
    @Override
    public Rankings rank(long[] users, long[] exclude, int k) {
        try (OnnxTensor u = OnnxTensor.createTensor(env, LongBuffer.wrap(users), new long[] {users.length});
             OnnxTensor e = OnnxTensor.createTensor(env, LongBuffer.wrap(exclude), new long[] {exclude.length / 2,
                 2});
             OnnxTensor kt = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {k}), new long[] {1});
             OrtSession.Result r = ranking.run(Map.of(GraphIO.USER, u, GraphIO.EXCLUDE, e, GraphIO.K, kt))) {
            return new Rankings((long[][]) r.get(GraphIO.ITEMS).get().getValue(),
                    (float[][]) r.get(GraphIO.SCORES).get().getValue());
        } catch (OrtException e) {
            throw failed("ranking", e);
        }
    }

    /** A failed run as the server's own error; ONNX Runtime's message stays in the cause, for the server's log. */
    private static ServingException failed(String graph, OrtException e) {
        return new ServingException(ServingError.INTERNAL, "ONNX Runtime failed to run the " + graph + " graph", e);
    }

    /** Closes both sessions, the second even when closing the first fails, then the tensors they shared. */
    @Override
    public void close() throws OrtException {
        try {
            scoring.close();
        } finally {
            try {
                ranking.close();
            } finally {
                shared.forEach(OnnxTensor::close);
            }
        }
    }
}
