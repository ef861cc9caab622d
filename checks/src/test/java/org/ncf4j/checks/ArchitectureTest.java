package org.ncf4j.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The layering rules that keep the code easy to carry on: the module dependency rules of the design notes (what each
 * module may never use), packages that stack (in the server's and the trainer's main code every dependency between
 * packages points one way, so that the packages form floors with no arrow back up), no server package holding more
 * than a quarter of the server's lines, and no main source file over 400 lines.
 *
 * <p>Dependencies are read twice: from the compiled classes (ArchUnit, which sees fully qualified uses) and from the
 * sources' import lines (which see what the compiler inlines, such as constants).
 */
class ArchitectureTest {
    /** The longest main source file. */
    static final int MAX_FILE_LINES = 400;
    /** The largest share of the server's main lines one of its packages may hold. */
    static final double MAX_PACKAGE_SHARE = 0.25;
    private static final Path ROOT = Path.of("..");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.ncf4j");
    }

    /** A module's packages, and the packages outside it that they must never use. */
    private record Rule(String module, List<String> packages, List<String> forbidden) {
    }

    private static final List<Rule> MODULE_RULES = List.of(
            new Rule("contract", List.of("org.ncf4j.contract", "org.ncf4j.onnx"), List.of("org.ncf4j.bundle",
                    "org.ncf4j.data", "org.ncf4j.eval", "org.ncf4j.graph", "org.ncf4j.api", "org.ncf4j.trainer",
                    "org.ncf4j.server", "org.ncf4j.cli", "ai.djl", "ai.onnxruntime", "io.micronaut", "io.grpc",
                    "com.fasterxml")),
            new Rule("data", List.of("org.ncf4j.bundle", "org.ncf4j.data", "org.ncf4j.eval"), List.of(
                    "org.ncf4j.graph", "org.ncf4j.api", "org.ncf4j.trainer", "org.ncf4j.server", "org.ncf4j.cli",
                    "ai.djl", "ai.onnxruntime", "io.micronaut", "io.grpc")),
            new Rule("graph", List.of("org.ncf4j.graph"), List.of("org.ncf4j.api", "org.ncf4j.trainer",
                    "org.ncf4j.server", "org.ncf4j.cli", "ai.djl", "ai.onnxruntime", "io.micronaut", "io.grpc")),
            new Rule("trainer", List.of("org.ncf4j.trainer"), List.of("org.ncf4j.api", "org.ncf4j.server",
                    "org.ncf4j.cli", "ai.onnxruntime", "io.micronaut", "io.grpc")),
            new Rule("server", List.of("org.ncf4j.server"), List.of("org.ncf4j.trainer", "org.ncf4j.cli",
                    "org.ncf4j.graph", "ai.djl")),
            new Rule("client-cli", List.of("org.ncf4j.cli"), List.of("org.ncf4j.server", "org.ncf4j.graph",
                    "org.ncf4j.trainer", "ai.djl", "ai.onnxruntime", "io.micronaut")));

    @Test
    void modulesUseOnlyWhatTheDesignAllows() {
        List<String> broken = new ArrayList<>();
        for (Rule rule : MODULE_RULES) {
            for (JavaClass c : classes) {
                if (!in(c.getPackageName(), rule.packages())) {
                    continue;
                }
                for (Dependency d : c.getDirectDependenciesFromSelf()) {
                    String target = d.getTargetClass().getPackageName();
                    if (in(target, rule.forbidden())) {
                        broken.add(rule.module() + ": " + d.getDescription());
                    }
                }
            }
            for (Map.Entry<Path, List<String>> file : sourceImports(rule.module()).entrySet()) {
                for (String imported : file.getValue()) {
                    if (in(imported, rule.forbidden())) {
                        broken.add(rule.module() + ": " + ROOT.relativize(file.getKey()) + " imports " + imported);
                    }
                }
            }
        }
        assertEquals(List.of(), broken.stream().distinct().limit(20).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"server:org.ncf4j.server", "trainer:org.ncf4j.trainer"})
    void packagesStackWithEveryDependencyPointingDown(String moduleAndPackage) {
        String module = moduleAndPackage.split(":")[0];
        String base = moduleAndPackage.split(":")[1];
        Map<String, Map<String, String>> edges = packageDependencies(module, base);
        List<String> cycle = Cycles.find(edges);
        assertTrue(cycle.isEmpty(), () -> "the packages of " + module + " form a cycle: " + Cycles.describe(cycle,
                edges));
    }

    @Test
    void noServerPackageHoldsMoreThanAQuarterOfTheServer() throws IOException {
        Map<String, Long> lines = new TreeMap<>();
        long total = 0;
        for (Path f : mainSources("server")) {
            long n = lineCount(f);
            lines.merge(packageOf("server", f), n, Long::sum);
            total += n;
        }
        long all = total;
        List<String> large = lines.entrySet().stream().filter(e -> e.getValue() > MAX_PACKAGE_SHARE * all)
                .map(e -> e.getKey() + " holds " + e.getValue() + " of " + all + " lines").toList();
        assertEquals(List.of(), large);
    }

    @Test
    void noMainSourceFileIsLongerThan400Lines() throws IOException {
        List<String> long_ = new ArrayList<>();
        for (String module : List.of("contract", "data", "graph", "trainer", "server", "client-cli")) {
            for (Path f : mainSources(module)) {
                long n = lineCount(f);
                if (n > MAX_FILE_LINES) {
                    long_.add(ROOT.relativize(f) + ": " + n + " lines");
                }
            }
        }
        assertEquals(List.of(), long_);
    }

    /**
     * Dependencies between the packages of one module's main code, each with an example ("A -> B" by class), from
     * the compiled classes and from the sources' imports. Classes nested in a package's classes count as theirs.
     */
    private static Map<String, Map<String, String>> packageDependencies(String module, String base) {
        Map<String, Map<String, String>> edges = new TreeMap<>();
        for (JavaClass c : classes) {
            String from = c.getPackageName();
            if (!in(from, List.of(base))) {
                continue;
            }
            edges.computeIfAbsent(from, k -> new TreeMap<>());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String to = d.getTargetClass().getPackageName();
                if (!to.equals(from) && in(to, List.of(base))) {
                    edges.get(from).putIfAbsent(to, c.getSimpleName() + " -> " + d.getTargetClass().getSimpleName());
                }
            }
        }
        for (Map.Entry<Path, List<String>> file : sourceImports(module).entrySet()) {
            String from = packageOf(module, file.getKey());
            for (String imported : file.getValue()) {
                String to = importedPackage(imported);
                if (to != null && !to.equals(from) && in(to, List.of(base))) {
                    edges.computeIfAbsent(from, k -> new TreeMap<>()).putIfAbsent(to,
                            file.getKey().getFileName() + " imports " + imported);
                }
            }
        }
        return edges;
    }

    /** The package of an import (the part before the first capitalised name). */
    private static String importedPackage(String imported) {
        StringBuilder pkg = new StringBuilder();
        for (String part : imported.split("\\.")) {
            if (!part.isEmpty() && Character.isUpperCase(part.charAt(0))) {
                return pkg.toString();
            }
            pkg.append(pkg.length() == 0 ? "" : ".").append(part);
        }
        return null;
    }

    private static String packageOf(String module, Path file) {
        return ROOT.resolve(module).resolve("src/main/java").relativize(file.getParent()).toString().replace('/', '.');
    }

    /** Each main source file of a module with what it imports. */
    private static Map<Path, List<String>> sourceImports(String module) {
        Map<Path, List<String>> out = new TreeMap<>();
        try {
            for (Path f : mainSources(module)) {
                Matcher m = IMPORT.matcher(Files.readString(f));
                List<String> imports = new ArrayList<>();
                while (m.find()) {
                    imports.add(m.group(1));
                }
                out.put(f, imports);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    private static List<Path> mainSources(String module) throws IOException {
        Path dir = ROOT.resolve(module).resolve("src/main/java");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static long lineCount(Path f) throws IOException {
        try (Stream<String> lines = Files.lines(f)) {
            return lines.count();
        }
    }

    private static boolean in(String pkg, List<String> prefixes) {
        for (String p : prefixes) {
            if (pkg.equals(p) || pkg.startsWith(p + ".")) {
                return true;
            }
        }
        return false;
    }

    /** Cycles in a directed graph of packages. */
    static final class Cycles {
        private Cycles() {
        }

        /** One cycle (its packages in order, the first repeated at the end), or empty when there is none. */
        static List<String> find(Map<String, Map<String, String>> edges) {
            Set<String> done = new TreeSet<>();
            for (String start : edges.keySet()) {
                List<String> path = new ArrayList<>();
                List<String> cycle = visit(start, edges, done, path, new TreeSet<>());
                if (!cycle.isEmpty()) {
                    return cycle;
                }
            }
            return List.of();
        }

        private static List<String> visit(String node, Map<String, Map<String, String>> edges, Set<String> done,
                                          List<String> path, Set<String> onPath) {
            if (onPath.contains(node)) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
                cycle.add(node);
                return cycle;
            }
            if (!done.add(node)) {
                return List.of();
            }
            path.add(node);
            onPath.add(node);
            for (String next : edges.getOrDefault(node, Map.of()).keySet()) {
                List<String> cycle = visit(next, edges, done, path, onPath);
                if (!cycle.isEmpty()) {
                    return cycle;
                }
            }
            path.remove(path.size() - 1);
            onPath.remove(node);
            return List.of();
        }

        static String describe(List<String> cycle, Map<String, Map<String, String>> edges) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i + 1 < cycle.size(); i++) {
                sb.append(i == 0 ? "" : "; ").append(cycle.get(i)).append(" uses ").append(cycle.get(i + 1))
                        .append(" (").append(edges.get(cycle.get(i)).get(cycle.get(i + 1))).append(")");
            }
            return sb.toString();
        }
    }
}
