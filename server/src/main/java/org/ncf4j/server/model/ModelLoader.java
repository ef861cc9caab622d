package org.ncf4j.server.model;

import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;
import org.ncf4j.bundle.Bundle;
import org.ncf4j.bundle.BundleCard;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.data.MachineMemory;
import org.ncf4j.server.batching.BatchSettings;
import org.ncf4j.server.batching.IoLoops;
import org.ncf4j.server.compute.CandidateScorer;
import org.ncf4j.server.compute.PairScorer;
import org.ncf4j.server.compute.Ranker;
import org.ncf4j.server.config.RankingKernel;
import org.ncf4j.server.config.RetrievalMode;
import org.ncf4j.server.error.ServingException;
import org.ncf4j.server.kernel.FusedRanker;
import org.ncf4j.server.kernel.InnerProductPart;
import org.ncf4j.server.kernel.KernelWarmUp;
import org.ncf4j.server.onnxruntime.ExecutionProvider;
import org.ncf4j.server.onnxruntime.OnnxSessions;
import org.ncf4j.server.retrieval.RecallCheck;
import org.ncf4j.server.retrieval.Retrieval;
import org.ncf4j.server.retrieval.RetrievalSettings;
import org.ncf4j.server.retrieval.RetrievingRanker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads one version directory for serving: reads and validates the bundle (each file once, size-capped), opens its
 * graphs on the chosen execution provider, runs each once so the model is warm, picks what ranks the catalogue
 * (the ranking graph, or {@link FusedRanker} when it agrees with the graph on a probe and is faster once the
 * kernel's code is warm, see {@link RankingKernel} and {@link KernelWarmUp}; Score then uses it too when its pairs
 * agree with the scoring graph's), and how many users one ranking run takes: the fastest per user among powers of
 * two up to {@code max-batch-size}, timed here, within the ranking memory budget. On any failure whatever was
 * opened is closed again.
 */
public final class ModelLoader implements VersionLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);
    /** How long the graph and the fused kernel are timed against each other at load. */
    private static final long RACE_NANOS = 300_000_000L;
    /**
     * Users per run of the fused kernel. Its cost per user does not grow with the batch (a user's intermediate
     * values are one tile's, whatever the batch), and a batch reads each tile's constants once, so batches are
     * never worse per user; their timings at load differ by noise only (MovieLens 1M's NeuMF: 0.19, 0.17 and
     * 0.21 ms per user at 1, 4 and 8), which must not decide whether concurrent calls share runs. Eight keeps a
     * batch's wait short and leaves work for the other workers.
     */
    static final int FUSED_CHUNK = 8;
    /**
     * Models whose ranking run's tensors take more than this run without ONNX Runtime's memory arena and its packed
     * copies of constants ({@link OnnxSessions#open(org.ncf4j.bundle.Bundle, ExecutionProvider.Choice, int, boolean)}).
     */
    static final long ARENA_MAX_RUN_BYTES = 64L << 20;
    /** Catalogues from this size on are followed by a full collection once their item index is built. */
    static final int GIVE_BACK_FROM = 100_000;

    /**
     * What loading needs to know.
     *
     * @param intraOpThreads ONNX Runtime threads per session
     * @param maxFileBytes the largest bundle file accepted
     * @param rankingMemoryBytes what one ranking run's intermediate tensors may take
     * @param ranking batching of Recommend calls (its batch size is the most users a run may take)
     * @param scoring batching of Score calls
     * @param kernel what ranks the catalogue
     * @param retrieval whether and how models rank through an item index
     */
    public record Settings(int intraOpThreads, long maxFileBytes, long rankingMemoryBytes, BatchSettings ranking,
                           BatchSettings scoring, RankingKernel kernel, RetrievalSettings retrieval) {
        /** With the default kernel choice ({@link RankingKernel#AUTO}) and retrieval settings. */
        public Settings(int intraOpThreads, long maxFileBytes, long rankingMemoryBytes, BatchSettings ranking,
                        BatchSettings scoring) {
            this(intraOpThreads, maxFileBytes, rankingMemoryBytes, ranking, scoring, RankingKernel.AUTO);
        }

        /** With the default retrieval settings. */
        public Settings(int intraOpThreads, long maxFileBytes, long rankingMemoryBytes, BatchSettings ranking,
                        BatchSettings scoring, RankingKernel kernel) {
            this(intraOpThreads, maxFileBytes, rankingMemoryBytes, ranking, scoring, kernel,
                    RetrievalSettings.DEFAULT);
        }
    }

    /** Timed ranking runs: the fastest chunk, its time per user, and one user's run. */
    private record Timing(int chunk, double perUserNanos, long oneUserNanos, String text) {
    }

    private final ExecutionProvider.Choice provider;
    private final Settings settings;
    private final KernelWarmUp warmUp;
    private final IoLoops loops;
    private final BatchObserver observer;
    private final Supplier<Optional<MachineMemory>> memory;

    /**
     * @param warmUp the fused kernel's warm-up, run before the kernel is first timed (one for the process: the
     *     JIT's code is shared by every model)
     * @param loops the transport's I/O loops, where calls arrive ({@link IoLoops#NONE}: none)
     * @param observer told about every model run of every loaded model
     */
    public ModelLoader(ExecutionProvider.Choice provider, Settings settings, KernelWarmUp warmUp, IoLoops loops,
                       BatchObserver observer) {
        this(provider, settings, warmUp, loops, observer, MachineMemory::now);
    }

    /** As above, with what the machine has available read from {@code memory} at each load (tests: a figure). */
    ModelLoader(ExecutionProvider.Choice provider, Settings settings, KernelWarmUp warmUp, IoLoops loops,
                BatchObserver observer, Supplier<Optional<MachineMemory>> memory) {
        this.provider = provider;
        this.settings = settings;
        this.warmUp = warmUp;
        this.loops = loops;
        this.observer = observer;
        this.memory = memory;
    }

    public ExecutionProvider.Choice provider() {
        return provider;
    }

    /**
     * Loads {@code dir} as version {@code version} of model {@code name}.
     *
     * @throws OrtException when ONNX Runtime cannot open the graphs or run them at load: the version is refused
     *     with ONNX Runtime's message
     */
    @Override
    public ServedModel load(String name, long version, Path dir) throws OrtException, IOException {
        long t0 = System.nanoTime();
        BundleCard card = Bundle.card(dir, settings.maxFileBytes());
        int memoryChunk = memoryChunk(card, settings.rankingMemoryBytes());
        int max = Math.min(memoryChunk, settings.ranking().maxBatchUnits());
        MemoryCheck.Need need = MemoryCheck.need(dir, card, max, settings.retrieval().mode() != RetrievalMode.OFF
                && card.shape().variant().hasGmf());
        Optional<MachineMemory> room = memory.get();
        String refusal = MemoryCheck.refusal(need, room, MemoryCheck.heapLeft());
        if (refusal != null) {
            throw new IllegalStateException(refusal);
        }
        LOG.info("model {} version {}: loading {} with {} users and {} items; needs about {}, {}",
                name, version, card.shape(), card.numUsers(), card.numItems(), need.describe(),
                room.map(m -> MemoryCheck.mib(m.availableBytes()) + " MiB available").orElse("memory not known"));
        Bundle bundle = Bundle.read(dir, settings.maxFileBytes());
        LOG.info("model {} version {}: files read, mapped and hashed in {} ms", name, version,
                (System.nanoTime() - t0) / 1_000_000);
        // ONNX Runtime's arena keeps the largest run's tensors for good, and it packs a copy of GMF's item side: for
        // a large catalogue, give the tensors back after each run and keep one copy of the tables
        boolean large = perUserBytes(card) > ARENA_MAX_RUN_BYTES;
        OnnxSessions onnx = OnnxSessions.open(bundle, provider, settings.intraOpThreads(), large);
        LOG.info("model {} version {}: ONNX Runtime sessions open; checking and timing the ranking kernels", name,
                version);
        try {
            long scoreNanos = onePairNanos(onnx);
            onnx.rank(new long[] {0}, new long[0], 1);
            Timing graph = fastestChunk(onnx, bundle.card(), max, false);
            Ranker ranker = onnx;
            PairScorer scorer = onnx;
            RankingKernel kernel = RankingKernel.ONNX;
            Timing chosen = graph;
            String note = "";
            RankingKernel wanted = settings.kernel();
            if (triesFused(wanted, provider.cuda())) {
                StringBuilder whyNot = new StringBuilder();
                Optional<FusedRanker> fused = FusedRanker.of(bundle.rankModel(), bundle.tables(), bundle.card(), whyNot);
                String disagreement = fused.isEmpty() ? whyNot.toString()
                        : RankerCheck.disagreement(fused.get(), onnx, bundle, memoryChunk);
                if (disagreement != null) {
                    note = "; the fused kernel is not used: " + disagreement;
                    if (wanted == RankingKernel.FUSED) {
                        LOG.warn("model {} version {}: ncf.ranking-kernel is fused, but {}; ranking with the ONNX "
                                + "graph", name, version, disagreement);
                    }
                } else {
                    warmUp.warmUp(fused.get());
                    Timing f = fastestChunk(fused.get(), bundle.card(), Math.min(max, FUSED_CHUNK), true);
                    double[] raced = race(onnx, graph.chunk(), fused.get(), f.chunk(), bundle.card());
                    String times = String.format("at best %.3f ms per user for the fused kernel and %.3f for the "
                            + "ONNX graph, timed alternately", raced[1] / 1e6, raced[0] / 1e6);
                    if (wanted == RankingKernel.FUSED || raced[1] <= raced[0]) {
                        ranker = fused.get();
                        kernel = RankingKernel.FUSED;
                        chosen = f;
                        note = "; " + times;
                        // Score follows the ranking without a race of its own: on an AVX-512 machine a loop of
                        // 100-pair runs took 0.031 ms in the scoring graph against 0.048 in the kernel, yet end to
                        // end the kernel's Score answered sooner (p50 0.185 against 0.22 ms, same build, side by
                        // side): runs in a loop at load do not show what the graph costs among the server's work
                        String scoring = RankerCheck.scoreDisagreement(fused.get(), onnx, bundle);
                        if (scoring == null) {
                            scorer = fused.get();
                            scoreNanos = onePairNanos(scorer);
                            note += "; Score with the fused kernel too";
                        } else {
                            note += "; Score with the scoring graph: the fused kernel's pairs disagree: " + scoring;
                        }
                    } else {
                        note = "; the fused kernel is slower here: " + times;
                    }
                }
            }
            LOG.info("model {} version {}: ranking with the {}, up to {} users per run (per user,{}){}", name,
                    version, kernel == RankingKernel.FUSED ? "fused Java kernel (" + ((FusedRanker) ranker).tileCode()
                    + ")" : "ONNX graph", chosen.chunk(), chosen.text(), note);
            if (memoryChunk == 1 && perUserBytes(bundle.card()) > settings.rankingMemoryBytes()) {
                LOG.warn("model {} version {}: ranking one user takes about {} MiB, more than ncf.ranking-memory-mb "
                        + "({} MiB); users are ranked one at a time", name, version,
                        perUserBytes(bundle.card()) >> 20, settings.rankingMemoryBytes() >> 20);
            }
            Retrieval retrieval = retrieval(name, version, bundle, scorer, ranker);
            return new ServedModel(name, version, bundle.withoutModels(), provider.name(), onnx, ranker, kernel,
                    scorer, chosen.chunk(), settings.ranking(), settings.scoring(), chosen.oneUserNanos(), scoreNanos,
                    observer, loops, retrieval);
        } catch (RuntimeException | Error e) {
            try {
                onnx.close();
            } catch (OrtException | RuntimeException closing) {
                e.addSuppressed(closing);
            }
            if (e instanceof ServingException s && s.getCause() instanceof OrtException runtime) {
                // a run at load failed: the version is refused with ONNX Runtime's own words, which say why
                throw runtime;
            }
            throw e;
        }
    }

    /**
     * The model's item index, built before the version serves (so a version swap keeps the old one answering
     * meanwhile), or none: the model has no GMF part, or ncf.retrieval is off.
     */
    private Retrieval retrieval(String name, long version, Bundle bundle, PairScorer scorer, Ranker ranker) {
        RetrievalSettings r = settings.retrieval();
        if (r.mode() == RetrievalMode.OFF) {
            return Retrieval.none("ncf.retrieval is off");
        }
        StringBuilder whyNot = new StringBuilder();
        Optional<InnerProductPart> part = InnerProductPart.of(bundle.rankModel(), bundle.tables(), bundle.card(),
                whyNot);
        if (part.isEmpty()) {
            LOG.info("model {} version {}: no item index, Recommend ranks exactly: {}", name, version, whyNot);
            return Retrieval.none(whyNot.toString());
        }
        LOG.info("model {} version {}: building the item index over {} items", name, version,
                bundle.card().numItems());
        long t0 = System.nanoTime();
        // the fused kernel re-ranks candidates with the user's part computed once; otherwise they are scored as pairs
        CandidateScorer exact = ranker instanceof CandidateScorer c ? c : scorer instanceof CandidateScorer c ? c
                : CandidateScorer.of(scorer, bundle.card().numItems());
        RetrievingRanker retriever = RetrievingRanker.build(part.get(), exact, ranker, r.index(), true);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        if (bundle.card().numItems() >= GIVE_BACK_FROM) {
            // the build's graph and float vectors (about 450 bytes an item) are garbage now: a full collection
            // lets the serial collector shrink the heap they grew (jvm.sh), which serving would not do for long
            System.gc();
        }
        boolean byDefault = r.mode().retrievesByDefault(bundle.card().numItems(), r.minItems());
        LOG.info("model {} version {}: item index built in {} ms (item term {} ms, {} MiB kept in the heap): {}; Recommend ranks "
                + "{} by default, C {}", name, version, millis, retriever.termNanos() / 1_000_000,
                retriever.index().bytes() >> 20, retriever.describe(),
                byDefault ? "through retrieval" : "exactly", r.candidates());
        return new Retrieval(retriever, byDefault, r.candidates(), retriever.describe(), millis,
                new RecallCheck(r.recallCheckNanos()));
    }

    /**
     * Each ranker's best time per user over runs that alternate between the two ({@code a} with {@code chunkA}
     * users, {@code b} with {@code chunkB}) for about {@link #RACE_NANOS}. At load the server is starting and the
     * JIT compiling on the same cores: a burst of that work during one ranker's few timed runs would decide the
     * choice, where alternating runs see the same machine and the best run shows what each costs without it.
     */
    private static double[] race(Ranker a, int chunkA, Ranker b, int chunkB, BundleCard card) {
        int k = Math.min(10, card.numItems());
        double bestA = Double.MAX_VALUE;
        double bestB = Double.MAX_VALUE;
        long start = System.nanoTime();
        for (int r = 0; r < 5 || (r < 500 && System.nanoTime() - start < RACE_NANOS); r++) {
            long[] usersA = users((long) r * chunkA, chunkA, card);
            long[] usersB = users((long) r * chunkB, chunkB, card);
            long t0 = System.nanoTime();
            a.rank(usersA, new long[0], k);
            long t1 = System.nanoTime();
            b.rank(usersB, new long[0], k);
            long t2 = System.nanoTime();
            bestA = Math.min(bestA, (t1 - t0) / (double) chunkA);
            bestB = Math.min(bestB, (t2 - t1) / (double) chunkB);
        }
        return new double[] {bestA, bestB};
    }

    /** {@code n} user indices from {@code from} on, wrapping around the card's users: a timed run's batch. */
    private static long[] users(long from, int n, BundleCard card) {
        long[] users = new long[n];
        for (int i = 0; i < n; i++) {
            users[i] = (from + i) % card.numUsers();
        }
        return users;
    }

    /** The time of a second scoring run of one pair (the first warms the scorer up). */
    private static long onePairNanos(PairScorer scorer) {
        long[] zero = {0};
        scorer.score(zero, zero);
        long t0 = System.nanoTime();
        scorer.score(zero, zero);
        return System.nanoTime() - t0;
    }

    /** Whether the fused kernel is considered: when asked for, or by auto on the CPU (on CUDA the graph runs there). */
    static boolean triesFused(RankingKernel kernel, boolean cuda) {
        return kernel == RankingKernel.FUSED || (kernel == RankingKernel.AUTO && !cuda);
    }

    /**
     * Bytes of the intermediate tensors of ranking one user: each MLP layer's output, GMF's item products and the
     * logits (masked and not), one float per item each.
     */
    static long perUserBytes(BundleCard card) {
        ModelShape shape = card.shape();
        long floatsPerItem = 3;
        if (shape.variant().hasGmf()) {
            floatsPerItem += 1;
        }
        if (shape.variant().hasMlp()) {
            int[] layers = shape.layers();
            for (int i = 1; i < layers.length; i++) {
                floatsPerItem += 2L * layers[i]; // the linear output and its ReLU
            }
            floatsPerItem += 1;
        }
        return 4L * card.numItems() * floatsPerItem;
    }

    /** The most users whose ranking stays within the memory budget (at least one). */
    static int memoryChunk(BundleCard card, long budgetBytes) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, budgetBytes / perUserBytes(card)));
    }

    /**
     * Times ranking runs of 1, 2, 4, ... users (up to {@code max}) and returns the size with the lowest time per
     * user. Large batches can be slower per user than small ones, once their intermediate tensors no longer fit
     * the processor's caches; how large depends on the machine and the model, so it is measured, not assumed.
     * With {@code largest}, the largest size timed is returned whatever the timings (for the fused kernel, see
     * {@link #FUSED_CHUNK}).
     */
    private static Timing fastestChunk(Ranker ranker, BundleCard card, int max, boolean largest) {
        int k = Math.min(10, card.numItems());
        int best = 1;
        double bestPerUser = Double.MAX_VALUE;
        long oneUser = 0;
        int lastB = 1;
        double lastPerUser = 0;
        StringBuilder timings = new StringBuilder();
        for (int b = 1; b <= max; b = b >= max ? max + 1 : Math.min(max, b * 2)) {
            long[] users = users(0, b, card);
            ranker.rank(users, new long[0], k);
            long[] runs = new long[5];
            for (int r = 0; r < runs.length; r++) {
                long t0 = System.nanoTime();
                ranker.rank(users, new long[0], k);
                runs[r] = System.nanoTime() - t0;
            }
            Arrays.sort(runs);
            double perUser = runs[runs.length / 2] / (double) b;
            if (b == 1) {
                oneUser = runs[runs.length / 2];
            }
            timings.append(String.format(" %d: %.3f ms", b, perUser / 1e6));
            lastB = b;
            lastPerUser = perUser;
            if (perUser < bestPerUser * 0.97) {
                best = b;
                bestPerUser = perUser;
            }
            if (runs[runs.length / 2] > 20_000_000L) {
                break; // runs this long are too slow to time more of at load
            }
        }
        return largest ? new Timing(lastB, lastPerUser, oneUser, timings.toString())
                : new Timing(best, bestPerUser, oneUser, timings.toString());
    }
}
