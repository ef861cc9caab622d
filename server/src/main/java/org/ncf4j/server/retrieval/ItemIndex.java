package org.ncf4j.server.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.Version;
import org.apache.lucene.util.hnsw.HnswConcurrentMergeBuilder;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * A maximum-inner-product index over item vectors: Lucene's HNSW graph ({@link HnswGraphBuilder}), kept in the heap.
 * The search is turned into a nearest-neighbour one (Bachrach et al., RecSys 2014): each item vector {@code x} gets
 * one more value, {@code sqrt(R^2 - |x|^2)} with R the largest norm, and each query a 0, so that every item vector
 * has norm R and the squared Euclidean distance {@code |q|^2 + R^2 - 2 q.x} orders items by their inner product
 * with the query, as the model's GMF logit does. Lucene's own {@link VectorSimilarityFunction#MAXIMUM_INNER_PRODUCT}
 * builds its graph on the raw inner product, which is not a distance: on MovieLens 1M's NeuMF it found 0.94 of the
 * best ten that a scan of the same vectors finds, where this transform finds (see docs/serving.md). Vector ordinals
 * are item indices. Once built, the graph is kept in a compact form ({@link CompactGraph}) and the vectors as
 * bytes ({@link ByteVectors}): about 100 and 34 bytes per item at M 16 and 33 dimensions, where the builder's graph
 * and float vectors take about 450. Searches are thread-safe: each reads the graph through its own cursor and the
 * vectors through its own copy.
 */
public final class ItemIndex {
    /** The graph's settings: neighbours per node (Lucene's M) and the beam width while building. */
    public record Params(int maxConn, int beamWidth) {
        /**
         * Lucene's M (16) and half its beam width (50): the graph builds in half the time (6.5 s against 13.1 s for
         * 100,000 items of 33 dimensions on two threads), and recall@10 after re-ranking is the same from C = 100
         * on (0.9994 and 1.0 at 100,000 items; 0.9917 at C = 370 on MovieLens 1M's NeuMF at factor 8, either way).
         */
        public static final Params DEFAULT = new Params(HnswGraphBuilder.DEFAULT_MAX_CONN, 50);

        public Params {
            if (maxConn < 2 || maxConn > 512 || beamWidth < 1 || beamWidth > 3200) {
                throw new IllegalArgumentException("HNSW max-conn must be in 2..512 and beam-width in 1..3200, got "
                        + maxConn + " and " + beamWidth);
            }
        }
    }

    private static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.EUCLIDEAN;
    /** Catalogues from this size on are indexed by several threads when given (smaller ones take a second). */
    static final int CONCURRENT_FROM = 20_000;
    /** Fixed, so that the same vectors give the same graph on every load. */
    private static final long SEED = 42;

    private final ByteVectors vectors;
    private final CompactGraph graph;
    private final Params params;
    private final long buildNanos;
    private final double radius;

    private ItemIndex(ByteVectors vectors, CompactGraph graph, Params params, long buildNanos, double radius) {
        this.radius = radius;
        this.vectors = vectors;
        this.graph = graph;
        this.params = params;
        this.buildNanos = buildNanos;
    }

    /** Builds the graph on one thread (see {@link #build(List, Params, int)}). */
    public static ItemIndex build(List<float[]> vectors, Params params) {
        return build(vectors, params, 1);
    }

    /**
     * Builds the graph over {@code vectors} (one per item, all of one dimension) with {@code threads} threads:
     * Lucene's concurrent builder, whose workers insert batches of items into one graph; with one thread, or for
     * fewer than {@link #CONCURRENT_FROM} items, its single-threaded builder, whose graph is the same on every load.
     * About 25 s per hundred thousand items of 33 dimensions on one core of a 2-core VM.
     */
    public static ItemIndex build(List<float[]> vectors, Params params, int threads) {
        if (vectors.isEmpty()) {
            throw new IllegalArgumentException("no item vectors to index");
        }
        int dim = vectors.get(0).length;
        long t0 = System.nanoTime();
        double most = 0;
        for (float[] v : vectors) {
            most = Math.max(most, squaredNorm(v));
        }
        List<float[]> lifted = new ArrayList<>(vectors.size());
        for (float[] v : vectors) {
            float[] w = Arrays.copyOf(v, dim + 1);
            w[dim] = (float) Math.sqrt(Math.max(0, most - squaredNorm(v)));
            lifted.add(w);
        }
        try {
            RandomAccessVectorValues.Floats values = RandomAccessVectorValues.fromFloats(lifted, dim + 1);
            RandomVectorScorerSupplier scorers = DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorerSupplier(
                    SIMILARITY, values);
            int n = vectors.size();
            HnswGraphBuilder builder = HnswGraphBuilder.create(scorers, params.maxConn(), params.beamWidth(), SEED,
                    n);
            OnHeapHnswGraph graph;
            if (threads <= 1 || n < CONCURRENT_FROM) {
                graph = builder.build(n);
            } else {
                ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                    Thread t = new Thread(r, "item-index-build");
                    t.setDaemon(true);
                    return t;
                });
                try {
                    // the single-threaded builder's graph, empty and sized for every item, filled by the workers
                    graph = new HnswConcurrentMergeBuilder(new TaskExecutor(pool), threads, scorers,
                            params.maxConn(), params.beamWidth(), builder.getGraph(), null).build(n);
                } finally {
                    pool.shutdownNow();
                }
            }
            double radius = Math.sqrt(most);
            return new ItemIndex(ByteVectors.of(lifted, dim + 1, radius), CompactGraph.of(graph), params,
                    System.nanoTime() - t0, radius);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the vectors are in the heap: no I/O happens
        }
    }

    private static double squaredNorm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return s;
    }

    /** Items of the index. */
    public int size() {
        return vectors.size();
    }

    /** The vectors' dimension: what a query must have. */
    public int dimension() {
        return vectors.dimension() - 1;
    }

    public Params params() {
        return params;
    }

    public long buildNanos() {
        return buildNanos;
    }

    /** The heap the index keeps, in bytes: its graph and its vectors. */
    public long bytes() {
        return graph.bytes() + vectors.bytes();
    }

    /** The library and settings, for logs and model info. */
    public String describe() {
        return "Lucene " + Version.LATEST + " HNSW, inner product as Euclidean distance, M " + params.maxConn()
                + ", beam width " + params.beamWidth() + ", a byte per value";
    }

    /**
     * Up to {@code n} items with the largest inner product with {@code query}, best first, among those
     * {@code accept} lets through (null: all). The search visits about {@code n} candidates per level, so a larger n
     * also finds the best few more surely.
     */
    public int[] search(float[] query, int n, Bits accept) {
        if (query.length != dimension()) {
            throw new IllegalArgumentException("a query of dimension " + query.length + " for an index of "
                    + dimension());
        }
        try {
            byte[] q = vectors.query(onSphere(query));
            RandomVectorScorer scorer = DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorer(SIMILARITY,
                    vectors.copy(), q);
            TopKnnCollector collector = new TopKnnCollector(n, Integer.MAX_VALUE);
            HnswGraphSearcher.search(scorer, collector, graph.cursor(), accept);
            ScoreDoc[] docs = collector.topDocs().scoreDocs;
            int[] items = new int[docs.length];
            for (int i = 0; i < docs.length; i++) {
                items[i] = docs[i].doc;
            }
            return items;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The query scaled to the items' norm R, with a 0 appended: the same order of items (scaling a query scales every
     * inner product alike), and a query among the items rather than far from all of them, where the graph's
     * neighbourhoods guide the search.
     */
    private float[] onSphere(float[] query) {
        double norm = Math.sqrt(squaredNorm(query));
        float[] q = new float[query.length + 1];
        double scale = norm > 0 ? radius / norm : 1;
        for (int j = 0; j < query.length; j++) {
            q[j] = (float) (query[j] * scale);
        }
        return q;
    }
}
