package org.ncf4j.server.model;

import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.server.batching.BatchSettings;
import org.ncf4j.server.batching.Bulk;
import org.ncf4j.server.batching.DynamicBatcher;
import org.ncf4j.server.batching.IoLoops;
import org.ncf4j.server.batching.RunGuard;
import org.ncf4j.server.compute.PairScorer;
import org.ncf4j.server.compute.PairScores;
import org.ncf4j.server.compute.Ranker;
import org.ncf4j.server.compute.Rankings;
import org.ncf4j.server.config.RankingKernel;
import org.ncf4j.server.error.ServingException;
import org.ncf4j.server.onnxruntime.OnnxSessions;
import org.ncf4j.server.retrieval.RecallCheck;
import org.ncf4j.server.retrieval.Retrieval;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model version as it is served: the bundle's data, its ONNX sessions, what ranks and scores with them, and a
 * dynamic batcher per call type. It is reference-counted: the repository owns one handle, every call takes its own
 * ({@link #acquire}) and every model run another, and the sessions close only when the last is released. A run
 * that fails is a {@link ServingException} (INTERNAL, with the runtime's exception as its cause).
 */
public final class ServedModel {
    private static final Logger LOG = LoggerFactory.getLogger(ServedModel.class);

    /** One user's k best items, best first, with non-increasing probabilities. */
    public record Ranked(long[] items, float[] scores) {
    }

    /**
     * One user's ranking request: dense user index, dense item indices to leave out, how many items, and C when
     * ranked through retrieval (0: the whole catalogue exactly).
     */
    public record RankQuery(long user, long[] exclude, int k, int retrieve) {
        /** An exact ranking of the whole catalogue. */
        public RankQuery(long user, long[] exclude, int k) {
            this(user, exclude, k, 0);
        }
    }

    /** A Score request: pairs of dense indices. */
    private record ScoreQuery(long[] users, long[] items) {
    }

    private final String name;
    private final long version;
    private final Bundle bundle;
    private final String provider;
    private final OnnxSessions onnx;
    private final Ranker rankWith;
    private final PairScorer scoreWith;
    private final RankingKernel kernel;
    private final Retrieval retrieval;
    private final BatchObserver observer;
    private final int[] byPopularity;
    private final int rankChunk;
    private final RefCounted<ServedModel> refs;
    private final DynamicBatcher<RankQuery, Ranked> ranker;
    private final DynamicBatcher<ScoreQuery, PairScores> scorer;

    /**
     * @param onnx the opened graphs; from here on this model closes them
     * @param rankWith what ranks the catalogue: {@code onnx}, or the fused kernel of its ranking graph
     * @param kernel which of the two it is (onnx or fused)
     * @param scoreWith what scores pairs: {@code onnx}, or the same fused kernel
     * @param rankChunk the most users one ranking run takes
     * @param ranking batching of Recommend calls (its batch size is overridden by {@code rankChunk})
     * @param scoring batching of Score calls
     * @param rankRunNanos the warm-up ranking run's time, until runs are timed
     * @param scoreRunNanos the warm-up scoring run's time
     * @param loops the transport's I/O loops, where calls arrive
     * @param retrieval ranking through the item index, when the model has one
     */
    ServedModel(String name, long version, Bundle bundle, String provider, OnnxSessions onnx, Ranker rankWith,
                RankingKernel kernel, PairScorer scoreWith, int rankChunk, BatchSettings ranking,
                BatchSettings scoring, long rankRunNanos, long scoreRunNanos, BatchObserver observer,
                IoLoops loops, Retrieval retrieval) {
        this.name = name;
        this.version = version;
        this.bundle = bundle;
        this.provider = provider;
        this.onnx = onnx;
        this.rankWith = rankWith;
        this.kernel = kernel;
        this.retrieval = retrieval;
        this.observer = observer;
        this.scoreWith = scoreWith;
        this.byPopularity = popularityOrder(bundle.popularity());
        this.rankChunk = rankChunk;
        this.refs = new RefCounted<>(this, this::closeNow);
        String label = "model " + name + " version " + version;
        // every model run holds a handle, so the sessions outlive runs whose callers gave up and let go
        RunGuard sessions = refs::tryAcquire;
        BatchSettings r = new BatchSettings(rankChunk, ranking.maxQueueDelayNanos(), ranking.maxQueueSize(),
                ranking.workers(), ranking.maxInlineNanos(), ranking.maxQueueWaitNanos());
        this.ranker = new DynamicBatcher<>(label + " Recommend", r, rankRunNanos, q -> 1, this::rankBatch,
                observer.forCall("recommend"), sessions, loops);
        DynamicBatcher<ScoreQuery, PairScores> s;
        try {
            s = new DynamicBatcher<>(label + " Score", scoring, scoreRunNanos, q -> q.users().length,
                    this::scoreBatch, observer.forCall("score"), sessions, loops);
        } catch (RuntimeException | Error e) {
            ranker.close();
            throw e;
        }
        this.scorer = s;
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

    /** The execution provider serving it: "cpu" or "cuda:N". */
    public String provider() {
        return provider;
    }

    /** What ranks the catalogue: the ranking graph (onnx) or the fused Java kernel (fused), never auto. */
    public RankingKernel rankingKernel() {
        return kernel;
    }

    /** What scores pairs for Score: the scoring graph (onnx) or the fused kernel of the ranking graph (fused). */
    public RankingKernel scoringKernel() {
        return scoreWith == onnx ? RankingKernel.ONNX : RankingKernel.FUSED;
    }

    /** Ranking through retrieval: whether the model has an index, whether it is the default, C. */
    public Retrieval retrieval() {
        return retrieval;
    }

    /** Item indices from the most to the least popular in training (ties by index). */
    public int[] byPopularity() {
        return byPopularity;
    }

    /** The most users one ranking run takes (chosen at load, within the ranking memory budget). */
    public int rankChunk() {
        return rankChunk;
    }

    /** A handle for one call, or null when this version has already closed (swapped out meanwhile). */
    public RefCounted<ServedModel>.Handle acquire() {
        return refs.tryAcquire();
    }

    /** The owner's handle: releasing it closes the model once every call and run holding it is done. */
    public RefCounted<ServedModel>.Handle owner() {
        return refs.owner();
    }

    public boolean isClosed() {
        return refs.isClosed();
    }

    /** Waits until the sessions have closed. */
    public boolean awaitClosed(long millis) throws InterruptedException {
        return refs.awaitClosed(millis, TimeUnit.MILLISECONDS);
    }

    /** One user's k best items, through the batcher (concurrent calls share runs). */
    public CompletableFuture<Ranked> rank(RankQuery query, long timeoutNanos) {
        return ranker.submitAsync(query, timeoutNanos);
    }

    /**
     * Many users' k best items, queued together so that they share runs (bulk calls): admits the queries whole, or
     * refuses them all at once (OVERLOADED), before any is queued; the caller then queues them in parts
     * ({@link Bulk#submit}) and closes the admission.
     */
    public Bulk<RankQuery, Ranked> admitRanking(List<RankQuery> queries, long timeoutNanos) {
        return ranker.admitAll(queries, timeoutNanos);
    }

    /** Why any Recommend call (a ranking) would be refused now, whatever its size, or null. */
    public ServingException rankingBusy() {
        return ranker.busy();
    }

    /** Why any Score call would be refused now, whatever its size, or null. */
    public ServingException scoringBusy() {
        return scorer.busy();
    }

    /** Probabilities and logits of pairs, through the batcher. */
    public CompletableFuture<PairScores> score(long[] users, long[] items, long timeoutNanos) {
        return scorer.submitAsync(new ScoreQuery(users, items), timeoutNanos);
    }

    /**
     * Probabilities and logits of pairs, run at once in the caller's thread (which holds a handle).
     *
     * @throws ServingException INTERNAL when the run fails
     */
    public PairScores scoreNow(long[] users, long[] items) {
        return scoreWith.score(users, items);
    }

    private List<PairScores> scoreBatch(List<ScoreQuery> batch) {
        if (batch.size() == 1) {
            return List.of(scoreWith.score(batch.get(0).users(), batch.get(0).items()));
        }
        int n = 0;
        for (ScoreQuery q : batch) {
            n += q.users().length;
        }
        long[] users = new long[n];
        long[] items = new long[n];
        int at = 0;
        for (ScoreQuery q : batch) {
            System.arraycopy(q.users(), 0, users, at, q.users().length);
            System.arraycopy(q.items(), 0, items, at, q.items().length);
            at += q.users().length;
        }
        PairScores all = scoreWith.score(users, items);
        List<PairScores> out = new ArrayList<>(batch.size());
        at = 0;
        for (ScoreQuery q : batch) {
            int len = q.users().length;
            out.add(new PairScores(Arrays.copyOfRange(all.scores(), at, at + len),
                    Arrays.copyOfRange(all.logits(), at, at + len)));
            at += len;
        }
        return out;
    }

    private List<Ranked> rankBatch(List<RankQuery> batch) {
        List<RankQuery> retrieving = batch.stream().filter(q -> q.retrieve() > 0).toList();
        if (retrieving.isEmpty()) {
            return rankExactly(batch);
        }
        if (retrieving.size() == batch.size()) {
            return retrieve(batch);
        }
        List<RankQuery> exact = batch.stream().filter(q -> q.retrieve() == 0).toList();
        java.util.Iterator<Ranked> byIndex = retrieve(retrieving).iterator();
        java.util.Iterator<Ranked> whole = rankExactly(exact).iterator();
        List<Ranked> out = new ArrayList<>(batch.size());
        for (RankQuery q : batch) {
            out.add(q.retrieve() > 0 ? byIndex.next() : whole.next());
        }
        return out;
    }

    /** The queries' k best items through the item index (each query's C candidates, re-ranked exactly). */
    private List<Ranked> retrieve(List<RankQuery> batch) {
        if (!retrieval.available()) {
            throw new IllegalStateException("model " + name + " version " + version + " has no item index");
        }
        int b = batch.size();
        long[] users = new long[b];
        int[] candidates = new int[b];
        int pairs = 0;
        int k = 0;
        for (int i = 0; i < b; i++) {
            users[i] = batch.get(i).user();
            candidates[i] = batch.get(i).retrieve();
            pairs += batch.get(i).exclude().length;
            k = Math.max(k, batch.get(i).k());
        }
        long[] exclude = exclusions(batch, pairs);
        Rankings r = retrieval.ranker().rank(users, exclude, k, candidates);
        if (retrieval.check().due()) {
            checkRecall(batch.get(0), r.items()[0]);
        }
        return ranked(batch, r);
    }

    /**
     * Ranks {@code query}'s user over the whole catalogue on the checks' thread, holding a handle so that the model
     * stays open, and reports the recall of {@code retrieved} (the user's retrieved items) against it.
     */
    private void checkRecall(RankQuery query, long[] retrieved) {
        RefCounted<ServedModel>.Handle h = refs.tryAcquire();
        if (h == null) {
            return;
        }
        long[] exclude = new long[2 * query.exclude().length];
        for (int i = 0; i < query.exclude().length; i++) {
            exclude[2 * i + 1] = query.exclude()[i];
        }
        boolean started = RecallCheck.start(() -> {
            try (h) {
                long[] exact = rankWith.rank(new long[] {query.user()}, exclude, query.k()).items()[0];
                observer.recall(name, RecallCheck.recall(Arrays.copyOf(retrieved, query.k()), exact));
            } catch (RuntimeException e) {
                LOG.warn("model {} version {}: checking retrieval's recall failed: {}", name, version, e.toString());
            }
        });
        if (!started) {
            h.close();
        }
    }

    /** Exclusions as (row, item) pairs, ordered by row. */
    private static long[] exclusions(List<RankQuery> batch, int pairs) {
        long[] exclude = new long[2 * pairs];
        int at = 0;
        for (int i = 0; i < batch.size(); i++) {
            for (long item : batch.get(i).exclude()) {
                exclude[at++] = i;
                exclude[at++] = item;
            }
        }
        return exclude;
    }

    private List<Ranked> rankExactly(List<RankQuery> batch) {
        int b = batch.size();
        long[] users = new long[b];
        int pairs = 0;
        int k = 0;
        for (int i = 0; i < b; i++) {
            users[i] = batch.get(i).user();
            pairs += batch.get(i).exclude().length;
            k = Math.max(k, batch.get(i).k());
        }
        return ranked(batch, rankWith.rank(users, exclusions(batch, pairs), k));
    }

    /** Each query's k best of a run's rankings, with probabilities made non-increasing. */
    private static List<Ranked> ranked(List<RankQuery> batch, Rankings r) {
        int b = batch.size();
        List<Ranked> out = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            int ki = batch.get(i).k();
            float[] scores = Arrays.copyOf(r.scores()[i], ki);
            // the graph orders by logit; its float sigmoid can differ by an ulp against that order, so the
            // probabilities are made non-increasing, as callers who sort by score expect
            for (int j = 1; j < ki; j++) {
                scores[j] = Math.min(scores[j], scores[j - 1]);
            }
            out.add(new Ranked(Arrays.copyOf(r.items()[i], ki), scores));
        }
        return out;
    }

    /** Releases the owner's handle (see {@link #owner}). */
    public void close() {
        refs.owner().close();
    }

    /** The last handle is gone: stop the batchers and close the sessions. */
    private void closeNow() {
        ranker.close();
        scorer.close();
        try {
            onnx.close();
            LOG.info("closed model {} version {}: its last call is done", name, version);
        } catch (OrtException | RuntimeException e) {
            LOG.warn("closing the sessions of model {} version {}: {}", name, version, e.getMessage());
        }
    }

    private static int[] popularityOrder(int[] popularity) {
        Integer[] order = new Integer[popularity.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> popularity[b] != popularity[a]
                ? Integer.compare(popularity[b], popularity[a]) : Integer.compare(a, b));
        int[] out = new int[order.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = order[i];
        }
        return out;
    }
}
