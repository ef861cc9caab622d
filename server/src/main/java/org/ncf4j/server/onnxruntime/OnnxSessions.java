package org.ncf4j.server.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.LongBuffer;
import java.util.Map;
import java.util.Set;
import org.ncf4j.contract.GraphIO;
import org.ncf4j.server.compute.PairScorer;
import org.ncf4j.server.compute.PairScores;
import org.ncf4j.server.compute.Ranker;
import org.ncf4j.server.compute.Rankings;
import org.ncf4j.server.error.ServingError;
import org.ncf4j.server.error.ServingException;

/**
 * A bundle's two ONNX graphs opened in ONNX Runtime: pair scoring and whole-catalogue ranking. Sessions are
 * thread-safe; {@link #close} closes both, and must not run while a call is in progress (callers hold a handle on
 * the served model for that). A run that fails in ONNX Runtime is a {@link ServingException} INTERNAL whose cause
 * is ONNX Runtime's exception, so that nothing above this package meets ONNX Runtime's types.
 */
public final class OnnxSessions implements Ranker, PairScorer, AutoCloseable {
    private static final Set<String> SCORE_OUTPUTS = Set.of(GraphIO.SCORE, GraphIO.LOGIT);

    private final OrtEnvironment env;
    private final OrtSession scoring;
    private final OrtSession ranking;

    private OnnxSessions(OrtEnvironment env, OrtSession scoring, OrtSession ranking) {
        this.env = env;
        this.scoring = scoring;
        this.ranking = ranking;
    }

    /** Opens both graphs from their serialized bytes; closes whatever it opened when one fails. */
    public static OnnxSessions open(byte[] scoreGraph, byte[] rankGraph, ExecutionProvider.Choice choice,
                                    int intraOpThreads) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = ExecutionProvider.options(choice, intraOpThreads)) {
            OrtSession scoring = env.createSession(scoreGraph, options);
            try {
                return new OnnxSessions(env, scoring, env.createSession(rankGraph, options));
            } catch (OrtException | RuntimeException e) {
                scoring.close();
                throw e;
            }
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

    /** Closes both sessions, the second even when closing the first fails. */
    @Override
    public void close() throws OrtException {
        try {
            scoring.close();
        } finally {
            ranking.close();
        }
    }
}
