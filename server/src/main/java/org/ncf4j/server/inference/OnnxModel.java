package org.ncf4j.server.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.LongBuffer;
import java.util.Map;
import java.util.Set;
import org.ncf4j.contract.GraphIO;

/**
 * A bundle's two ONNX graphs opened in ONNX Runtime: pair scoring and whole-catalogue ranking. Sessions are
 * thread-safe; {@link #close} closes both, and must not run while a call is in progress (callers hold a
 * {@link RefCounted} handle for that).
 */
public final class OnnxModel implements Ranker, PairScorer, AutoCloseable {
    /** The k best items of each user of a ranking run, best first, as dense indices with their probabilities. */
    public record Ranked(long[][] items, float[][] scores) {
    }

    /** Probabilities and logits of scored pairs. */
    public record Scored(float[] scores, float[] logits) {
    }

    private static final Set<String> SCORE_OUTPUTS = Set.of(GraphIO.SCORE, GraphIO.LOGIT);

    private final OrtEnvironment env;
    private final OrtSession scoring;
    private final OrtSession ranking;

    private OnnxModel(OrtEnvironment env, OrtSession scoring, OrtSession ranking) {
        this.env = env;
        this.scoring = scoring;
        this.ranking = ranking;
    }

    /** Opens both graphs from their serialized bytes; closes whatever it opened when one fails. */
    public static OnnxModel open(byte[] scoreGraph, byte[] rankGraph, ExecutionProvider.Choice choice,
                                 int intraOpThreads) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = ExecutionProvider.options(choice, intraOpThreads)) {
            OrtSession scoring = env.createSession(scoreGraph, options);
            try {
                return new OnnxModel(env, scoring, env.createSession(rankGraph, options));
            } catch (OrtException | RuntimeException e) {
                scoring.close();
                throw e;
            }
        }
    }

    /** The scoring graph's answer (see {@link PairScorer#score}). */
    @Override
    public Scored score(long[] users, long[] items) throws OrtException {
        try (OnnxTensor u = OnnxTensor.createTensor(env, LongBuffer.wrap(users), new long[] {users.length});
             OnnxTensor i = OnnxTensor.createTensor(env, LongBuffer.wrap(items), new long[] {items.length});
             OrtSession.Result r = scoring.run(Map.of(GraphIO.USER, u, GraphIO.ITEM, i), SCORE_OUTPUTS)) {
            return new Scored((float[]) r.get(GraphIO.SCORE).get().getValue(),
                    (float[]) r.get(GraphIO.LOGIT).get().getValue());
        }
    }

    /** The ranking graph's answer (see {@link Ranker#rank}). */
    @Override
    public Ranked rank(long[] users, long[] exclude, int k) throws OrtException {
        try (OnnxTensor u = OnnxTensor.createTensor(env, LongBuffer.wrap(users), new long[] {users.length});
             OnnxTensor e = OnnxTensor.createTensor(env, LongBuffer.wrap(exclude), new long[] {exclude.length / 2,
                 2});
             OnnxTensor kt = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {k}), new long[] {1});
             OrtSession.Result r = ranking.run(Map.of(GraphIO.USER, u, GraphIO.EXCLUDE, e, GraphIO.K, kt))) {
            return new Ranked((long[][]) r.get(GraphIO.ITEMS).get().getValue(),
                    (float[][]) r.get(GraphIO.SCORES).get().getValue());
        }
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
