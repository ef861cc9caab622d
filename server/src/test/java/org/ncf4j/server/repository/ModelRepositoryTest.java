package org.ncf4j.server.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.bundle.BundleFiles;
import org.ncf4j.data.Directories;
import org.ncf4j.contract.ModelShape;
import org.ncf4j.contract.Variant;
import org.ncf4j.server.TestBundles;
import org.ncf4j.server.config.VersionPolicy;
import org.ncf4j.server.error.ServingError;
import org.ncf4j.server.error.ServingException;
import org.ncf4j.server.model.ModelLoaders;
import org.ncf4j.server.model.ServedModel;
import org.ncf4j.server.model.VersionLoader;

/** The repository against real bundle directories, loaded for real (small bundles load in milliseconds). */
class ModelRepositoryTest {
    @TempDir
    Path root;
    private final List<ModelRepository> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(ModelRepository::close);
    }

    private ModelRepository repository(String policy) {
        return repository(policy, ModelLoaders.cpu(), new RepositoryScanner(root)::scan);
    }

    private ModelRepository repository(String policy, VersionLoader loader,
                                       Supplier<RepositoryScanner.DiskState> disk) {
        ModelRepository r = new ModelRepository(disk, loader, VersionPolicy.parse(policy), "", List.of());
        opened.add(r);
        return r;
    }

    private Path version(long v) {
        return root.resolve("demo").resolve(Long.toString(v));
    }

    private static List<Long> loaded(ModelSnapshot s) {
        return new ArrayList<>(s.entry("demo").loaded().keySet());
    }

    /** Copies a bundle file by file, as cp does: the directory exists, and fills up, before it is complete. */
    private static void copyOnly(Path from, Path to, List<String> files) throws IOException {
        Files.createDirectories(to);
        for (String f : files) {
            Files.copy(from.resolve(f), to.resolve(f));
        }
    }

    @Test
    void aVersionSeenHalfCopiedIsLoadedOnceTheCopyCompletes() throws Exception {
        TestBundles.write(version(1), 1);
        Path source = TestBundles.write(root.resolve("staging"), 2);
        ModelRepository r = repository("latest:1");
        assertEquals(List.of(1L), loaded(r.scan(null, false)));

        // the poll meets the copy half-way: card and graphs there, the rest not yet
        copyOnly(source, version(2), List.of(BundleFiles.CARD, BundleFiles.SCORE_GRAPH, BundleFiles.RANK_GRAPH));
        ModelSnapshot half = r.scan(null, false);
        assertEquals(List.of(1L), loaded(half), "version 1 keeps serving");
        assertTrue(half.entry("demo").failed().get(2L).reason().contains("is missing"),
                half.entry("demo").failures().toString());

        ServedModel one = half.entry("demo").loaded().get(1L);
        copyOnly(source, version(2), List.of(BundleFiles.WEIGHTS, BundleFiles.USERS, BundleFiles.ITEMS,
                BundleFiles.SEEN, BundleFiles.POPULARITY));
        ModelSnapshot done = r.scan(null, false); // a poll, not a reload: the files changed
        assertEquals(List.of(2L), loaded(done));
        assertTrue(done.entry("demo").failed().isEmpty());
        assertTrue(one.awaitClosed(5000), "version 1, swapped out, closes");
    }

    @Test
    void aVersionRepairedInPlaceIsLoaded() throws Exception {
        TestBundles.write(version(1), 1);
        Path good = TestBundles.write(root.resolve("staging"), 2);
        copyOnly(good, version(2), BundleFiles.REQUIRED);
        Files.copy(good.resolve(BundleFiles.CARD), version(2).resolve(BundleFiles.CARD));
        Files.writeString(version(2).resolve(BundleFiles.USERS), "tampered\n");
        ModelRepository r = repository("latest:1");
        ModelSnapshot broken = r.scan(null, false);
        assertEquals(List.of(1L), loaded(broken));
        assertTrue(broken.entry("demo").failed().get(2L).reason().contains("does not match its SHA-256"));
        // the same files again: still refused, not retried on every poll
        assertEquals(broken.entry("demo").failed(), r.scan(null, false).entry("demo").failed());

        Files.copy(good.resolve(BundleFiles.USERS), version(2).resolve(BundleFiles.USERS),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(List.of(2L), loaded(r.scan(null, false)));
    }

    @Test
    void aReloadRetriesAVersionWhoseFilesDidNotChange() throws Exception {
        TestBundles.write(version(1), 1);
        AtomicInteger attempts = new AtomicInteger();
        VersionLoader real = ModelLoaders.cpu();
        // the first attempt fails for a reason outside the files (say, memory), later ones succeed
        VersionLoader flaky = (name, version, dir) -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("not enough memory right now");
            }
            return real.load(name, version, dir);
        };
        ModelRepository r = repository("latest:1", flaky, new RepositoryScanner(root)::scan);
        ModelSnapshot first = r.scan(null, false);
        assertEquals("not enough memory right now", first.entry("demo").failed().get(1L).reason());
        assertTrue(r.scan(null, false).entry("demo").loaded().isEmpty(), "a poll does not retry unchanged files");
        assertEquals(List.of(1L), loaded(r.scan(null, true)), "a reload does");
    }

    @Test
    void aVersionTooLargeForTheMachineIsRefusedWhileThePreviousOneKeepsServing() throws Exception {
        TestBundles.write(version(1), 1);
        // a catalogue whose ranking run at load alone takes about 80 MiB, on a machine with 32 MiB available
        TestBundles.write(version(2), new ModelShape(Variant.NEUMF, 100, 50_000, 8, new int[] {32, 16, 8}), 2);
        ModelRepository r = repository("latest:1", ModelLoaders.cpuWithAvailable(32L << 20),
                new RepositoryScanner(root)::scan);
        ModelSnapshot first = r.scan(null, false);
        String reason = first.entry("demo").failed().get(2L).reason();
        assertTrue(reason.matches("needs about \\d+ MiB \\(\\d+ MiB data file mapped, \\d+ MiB in the heap, \\d+ MiB "
                + "for a ranking run at load\\), more than the 32 MiB available \\(the machine's available memory; a "
                + "swap holds the serving version and the new one at once\\)"), reason);
        assertEquals(List.of(1L), loaded(first), "version 1 serves instead");
        ServedModel one = first.find("demo", 1);
        assertEquals(3, one.rank(new ServedModel.RankQuery(0, new long[0], 3), 5_000_000_000L)
                .get(5, TimeUnit.SECONDS).items().length);
        assertEquals(first.entry("demo").failed(), r.scan(null, true).entry("demo").failed(),
                "refused again on a reload, while the machine has no more room");
        assertFalse(one.isClosed());
    }

    @Test
    void aRemovedModelDirectoryIsUnloaded() throws Exception {
        TestBundles.write(version(1), 1);
        ModelRepository r = repository("latest:1");
        ServedModel m = r.scan(null, false).entry("demo").loaded().get(1L);
        Directories.deleteTree(root.resolve("demo"));
        ModelSnapshot after = r.scan(null, false);
        assertEquals(null, after.entry("demo"));
        assertTrue(m.awaitClosed(5000));
        ServingException e = assertThrows(ServingException.class, () -> r.acquire("demo", 0));
        assertEquals(ServingError.NOT_FOUND, e.error());
    }

    @Test
    void listingErrorsUnloadNothing() throws Exception {
        TestBundles.write(version(1), 1);
        RepositoryScanner scanner = new RepositoryScanner(root);
        String[] failure = {null, null};
        Supplier<RepositoryScanner.DiskState> disk = () -> {
            if (failure[0] != null) {
                return new RepositoryScanner.DiskState(Map.of(), failure[0]);
            }
            RepositoryScanner.DiskState s = scanner.scan();
            if (failure[1] == null) {
                return s;
            }
            return new RepositoryScanner.DiskState(Map.of("demo", new RepositoryScanner.ModelDir("demo",
                    new TreeMap<>(), failure[1])), null);
        };
        ModelRepository r = repository("latest:1", ModelLoaders.cpu(), disk);
        assertEquals(List.of(1L), loaded(r.scan(null, false)));
        failure[1] = "cannot list demo: Input/output error";
        ModelSnapshot modelError = r.scan(null, false);
        assertEquals(List.of(1L), loaded(modelError), "a model directory that cannot be listed keeps its versions");
        assertEquals("cannot list demo: Input/output error", modelError.entry("demo").error());
        failure[0] = "cannot list the repository: Stale file handle";
        ModelSnapshot rootError = r.scan(null, false);
        assertEquals(List.of(1L), loaded(rootError), "a repository that cannot be listed keeps everything");
        assertEquals("cannot list the repository: Stale file handle", rootError.error());
        failure[0] = null;
        failure[1] = null;
        ModelSnapshot fine = r.scan(null, false);
        assertEquals(List.of(1L), loaded(fine));
        assertEquals(null, fine.entry("demo").error());
    }

    @Test
    void aBrokenNewestVersionLeavesThePreviousOneServingUnderLatestOne() throws Exception {
        TestBundles.write(version(1), 1);
        TestBundles.write(version(2), 2);
        Files.createDirectories(version(3)); // empty: card.json is missing
        ModelRepository r = repository("latest:1");
        ModelSnapshot s = r.scan(null, false);
        assertEquals(List.of(2L), loaded(s));
        assertEquals(List.of(1L), List.copyOf(s.entry("demo").available()));
        assertTrue(s.entry("demo").failed().get(3L).reason().contains("card.json is missing"));
        ServingException e = assertThrows(ServingException.class, () -> s.find("demo", 1));
        assertEquals(ServingError.NOT_FOUND, e.error());
        assertTrue(e.getMessage().contains("the version policy does not load it"), e.getMessage());
    }

    @Test
    void thePolicyDecidesWhatIsLoaded() throws Exception {
        for (int v = 1; v <= 3; v++) {
            TestBundles.write(version(v), v);
        }
        assertEquals(List.of(2L, 3L), loaded(repository("latest:2").scan(null, false)));
        assertEquals(List.of(1L, 2L, 3L), loaded(repository("all").scan(null, false)));
        assertEquals(List.of(1L, 3L), loaded(repository("specific:1,3").scan(null, false)));
    }

    @Test
    void aSymbolicallyLinkedVersionDirectoryLoads() throws Exception {
        Path bundle = TestBundles.write(root.resolve("elsewhere"), 1);
        Files.createDirectories(root.resolve("demo"));
        Files.createSymbolicLink(version(1), bundle);
        assertEquals(List.of(1L), loaded(repository("latest:1").scan(null, false)));
    }

    @Test
    void onceClosedAScanLoadsNothing() throws Exception {
        TestBundles.write(version(1), 1);
        ModelRepository r = repository("latest:1");
        ServedModel m = r.scan(null, false).entry("demo").loaded().get(1L);
        assertTrue(r.close(5000));
        assertTrue(m.isClosed());
        ModelSnapshot after = r.scan(null, false);
        assertFalse(after.anyLoaded(), "a poll running after close must not load models again");
    }
}
