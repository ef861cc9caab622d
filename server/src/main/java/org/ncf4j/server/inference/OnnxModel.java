package org.ncf4j.server.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.ncf4j.bundle.Bundle;

/**
 * One model version loaded for serving: the bundle's data and an ONNX Runtime session per graph. Sessions are
 * thread-safe. The model counts its users ({@link #retain}/{@link #release}), so a version swapped out of the
 * repository is closed only after its in-flight calls have finished.
 */
public final class OnnxModel implements AutoCloseable {
    /** The k best items of one ranking call, best first, as dense indices with their probabilities. */
    public record Ranked(long[] items, float[] scores) {
    }

    private final String name;
    private final long version;
    private final Bundle bundle;
    private final String provider;
    private final OrtEnvironment env;
    private final OrtSession scoring;
    private final OrtSession ranking;
    private final int[] byPopularity;
    private final AtomicInteger users = new AtomicInteger(1);
    private final DynamicBatcher<RankQuery, Ranked> rankBatcher;
    private final DynamicBatcher<long[][], float[]> scoreBatcher;

    /** One user's ranking request in a batch. */
    private record RankQuery(long user, long[] exclude, int k) {
    }

    /**
     * How concurrent calls are combined.
     *
     * @param maxUsers users per ranking call
     * @param maxPairs pairs per scoring call
     * @param maxDelayMicros how long a batch waits for more requests
     * @param maxQueue requests allowed to wait
     * @param workers threads per batcher
     */
    public record Batching(int maxUsers, int maxPairs, long maxDelayMicros, int maxQueue, int workers,
                           BatchMetrics metrics) {
    }

    /** Told about each model run of the batchers, by call type ("recommend" or "score"). */
    @FunctionalInterface
    public interface BatchMetrics {
        void batch(String call, int requests, long queuedNanos);
    }

    private OnnxModel(String name, long version, Bundle bundle, String provider, OrtEnvironment env,
                      OrtSession scoring, OrtSession ranking, Batching batching) {
        this.name = name;
        this.version = version;
        this.bundle = bundle;
        this.provider = provider;
        this.env = env;
        this.scoring = scoring;
        this.ranking = ranking;
        this.byPopularity = popularityOrder(bundle.popularity());
        String label = "model " + name + " version " + version;
        // every model run holds a reference, so the sessions outlive runs whose callers gave up and let go
        DynamicBatcher.Guard sessions = new DynamicBatcher.Guard() {
            @Override
            public boolean enter() {
                return retain();
            }

            @Override
            public void exit() {
                release();
            }
        };
        this.rankBatcher = new DynamicBatcher<>(label + " Recommend", batching.maxUsers(), batching.maxDelayMicros(),
                batching.maxQueue(), batching.workers(), q -> 1, this::rankBatch,
                (n, t) -> batching.metrics().batch("recommend", n, t), sessions);
        this.scoreBatcher = new DynamicBatcher<>(label + " Score", batching.maxPairs(), batching.maxDelayMicros(),
                batching.maxQueue(), batching.workers(), q -> q[0].length, this::scoreBatch,
                (n, t) -> batching.metrics().batch("score", n, t), sessions);
    }

    /** Opens both graphs of a validated bundle and runs one call of each, so the model is warm when served. */
    public static OnnxModel load(String name, long version, Bundle bundle, ExecutionProvider.Choice choice,
                                 int intraOpThreads, Batching batching) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = ExecutionProvider.options(choice, intraOpThreads)) {
            OrtSession scoring = env.createSession(bundle.scoreGraph().toString(), options);
            OrtSession ranking;
            try {
                ranking = env.createSession(bundle.rankGraph().toString(), options);
            } catch (OrtException e) {
                scoring.close();
                throw e;
            }
            OnnxModel model = new OnnxModel(name, version, bundle, choice.name(), env, scoring, ranking, batching);
            try {
                model.score(new long[] {0}, new long[] {0});
                model.rank(0, new long[0], 1);
            } catch (OrtException | RuntimeException e) {
                model.close();
                throw e;
            }
            return model;
        }
    }

    public String name() {
        return name;
    }

    public long version() {
        return version;
    }

    public Bundle bundle() {
        return bundle;
    }

    public String provider() {
        return provider;
    }

    /** Item indices from the most to the least popular in training. */
    public int[] byPopularity() {
        return byPopularity;
    }

    /** Probabilities of (users[i], items[i]), dense indices, in order. */
    public float[] score(long[] users, long[] items) throws OrtException {
        try (OnnxTensor u = OnnxTensor.createTensor(env, LongBuffer.wrap(users), new long[] {users.length});
             OnnxTensor i = OnnxTensor.createTensor(env, LongBuffer.wrap(items), new long[] {items.length});
             OrtSession.Result r = scoring.run(Map.of("user", u, "item", i), java.util.Set.of("score"))) {
            return (float[]) r.get(0).getValue();
        }
    }

    /**
     * The k best items for a user over the whole catalogue, leaving out {@code exclude} (dense indices). When
     * exclusions leave fewer than k items, the excluded ones fill the end with score 0; callers drop them.
     */
    public Ranked rank(long user, long[] exclude, int k) throws OrtException {
        long[] pairs = new long[2 * exclude.length];
        for (int j = 0; j < exclude.length; j++) {
            pairs[2 * j + 1] = exclude[j];
        }
        try (OnnxTensor u = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {user}), new long[] {1});
             OnnxTensor e = OnnxTensor.createTensor(env, LongBuffer.wrap(pairs), new long[] {exclude.length, 2});
             OnnxTensor kt = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {k}), new long[] {1});
             OrtSession.Result r = ranking.run(Map.of("user", u, "exclude", e, "k", kt))) {
            long[] items = ((long[][]) r.get("items").get().getValue())[0];
            float[] scores = ((float[][]) r.get("scores").get().getValue())[0];
            return new Ranked(items, scores);
        }
    }

    /** {@link #score} through the dynamic batcher: concurrent calls share model runs. */
    public CompletableFuture<float[]> scoreBatched(long[] users, long[] items, long timeoutNanos) {
        return scoreBatcher.submitAsync(new long[][] {users, items}, timeoutNanos);
    }

    /** {@link #rank} through the dynamic batcher: concurrent users are ranked in one model run. */
    public CompletableFuture<Ranked> rankBatched(long user, long[] exclude, int k, long timeoutNanos) {
        return rankBatcher.submitAsync(new RankQuery(user, exclude, k), timeoutNanos);
    }

    private List<float[]> scoreBatch(List<long[][]> batch) throws OrtException {
        int n = 0;
        for (long[][] q : batch) {
            n += q[0].length;
        }
        long[] users = new long[n];
        long[] items = new long[n];
        int at = 0;
        for (long[][] q : batch) {
            System.arraycopy(q[0], 0, users, at, q[0].length);
            System.arraycopy(q[1], 0, items, at, q[1].length);
            at += q[0].length;
        }
        float[] all = score(users, items);
        List<float[]> out = new ArrayList<>(batch.size());
        at = 0;
        for (long[][] q : batch) {
            out.add(Arrays.copyOfRange(all, at, at + q[0].length));
            at += q[0].length;
        }
        return out;
    }

    private List<Ranked> rankBatch(List<RankQuery> batch) throws OrtException {
        int b = batch.size();
        long[] users = new long[b];
        int pairs = 0;
        int k = 0;
        for (int i = 0; i < b; i++) {
            users[i] = batch.get(i).user();
            pairs += batch.get(i).exclude().length;
            k = Math.max(k, batch.get(i).k());
        }
        long[] exclude = new long[2 * pairs];
        int at = 0;
        for (int i = 0; i < b; i++) {
            for (long item : batch.get(i).exclude()) {
                exclude[at++] = i;
                exclude[at++] = item;
            }
        }
        long[][] items;
        float[][] scores;
        try (OnnxTensor u = OnnxTensor.createTensor(env, LongBuffer.wrap(users), new long[] {b});
             OnnxTensor e = OnnxTensor.createTensor(env, LongBuffer.wrap(exclude), new long[] {pairs, 2});
             OnnxTensor kt = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {k}), new long[] {1});
             OrtSession.Result r = ranking.run(Map.of("user", u, "exclude", e, "k", kt))) {
            items = (long[][]) r.get("items").get().getValue();
            scores = (float[][]) r.get("scores").get().getValue();
        }
        List<Ranked> out = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            int ki = batch.get(i).k();
            out.add(new Ranked(Arrays.copyOf(items[i], ki), Arrays.copyOf(scores[i], ki)));
        }
        return out;
    }

    /** Takes a reference for a call; false when the model has already been closed. */
    public boolean retain() {
        while (true) {
            int n = users.get();
            if (n == 0) {
                return false;
            }
            if (users.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one closes the sessions. */
    public void release() {
        if (users.decrementAndGet() == 0) {
            rankBatcher.close();
            scoreBatcher.close();
            try {
                scoring.close();
                ranking.close();
            } catch (OrtException e) {
                throw new IllegalStateException("closing the sessions of " + name + " version " + version, e);
            }
        }
    }

    /** Drops the owner's reference (the repository's), closing once in-flight calls are done. */
    @Override
    public void close() {
        release();
    }

    private static int[] popularityOrder(int[] popularity) {
        Integer[] order = new Integer[popularity.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> popularity[b] != popularity[a]
                ? Integer.compare(popularity[b], popularity[a]) : Integer.compare(a, b));
        int[] out = new int[order.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = order[i];
        }
        return out;
    }
}
