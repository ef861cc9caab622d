package org.ncf4j.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of the project's documentation resolves: README.md, deploy/README.md and every Markdown file
 * under docs/. A link's file or folder must exist, and a {@code #fragment} must name a heading of the Markdown file
 * it points to, by GitHub's rules for heading anchors. Links with a scheme ({@code https:}, {@code mailto:}) are not
 * followed. Links inside code (fenced blocks and inline code spans) are not links, and are skipped.
 */
class DocLinksTest {
    /** The checks module runs in checks/, one folder below the project's root. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** {@code [text](target)} and {@code ![alt](target)}; the target may carry a title after a space. */
    private static final Pattern INLINE_LINK = Pattern.compile("!?\\[(?:[^\\[\\]]|\\[[^\\[\\]]*\\])*\\]\\(\\s*"
            + "(<[^>]*>|[^)\\s]+)(?:\\s+\"[^\"]*\")?\\s*\\)");
    /** A reference definition at the start of a line: {@code [name]: target}. */
    private static final Pattern REFERENCE = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*(<[^>]*>|\\S+)");
    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}(#{1,6})\\s+(.*?)(?:\\s+#+)?\\s*$");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(`{3,}|~{3,})");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(?:(?!\\1).)+?\\1");

    private final Map<Path, Set<String>> anchors = new HashMap<>();

    /** A link as written, in the file and on the line where it stands. */
    record Link(Path file, int line, String target) {
    }

    @Test
    void everyRelativeLinkResolves() throws IOException {
        List<Path> files = documents();
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path file : files) {
            for (Link link : links(file)) {
                if (SCHEME.matcher(link.target()).find()) {
                    continue;
                }
                checked++;
                String problem = problem(link);
                if (problem != null) {
                    broken.add(ROOT.relativize(link.file()) + ":" + link.line() + ": link " + link.target() + ": "
                            + problem);
                }
            }
        }
        assertTrue(checked > 0, "no relative links found in " + files + ": is the project root " + ROOT + "?");
        assertTrue(broken.isEmpty(), broken.size() + " broken link(s):\n" + String.join("\n", broken));
    }

    @Test
    void anchorsFollowGitHubsRules() {
        assertEquals("the-papers-table-across-predictive-factors",
                slug("The paper's table across predictive factors"));
        assertEquals("factor-8-adam-fine-tuning-instead-of-sgd-seeds-1-to-3",
                slug("Factor 8: Adam fine-tuning instead of SGD (seeds 1 to 3)"));
        assertEquals("tls-and-the-admin-token", slug("TLS and the admin token"));
        assertEquals("ncf-bench-and-the-scripts", slug("`ncf bench` and the scripts"));
        assertEquals("max_batch_size--the-knob", slug("max_batch_size — the knob"));
        assertEquals("see-the-docs", slug("See [the docs](docs/training.md)"));
        assertEquals(Set.of("c-and-f", "closed"), headingAnchors(List.of("## C# and F#", "### Closed ###")));
    }

    @Test
    void codeIsNotALink() {
        List<String> targets = targets(List.of(
                "See [training](docs/training.md) and `[not](a-link.md)`.",
                "```bash",
                "echo '[not](inside-a-fence.md)'",
                "```",
                "[ref]: docs/cli.md#the-commands"));
        assertEquals(List.of("docs/training.md", "docs/cli.md#the-commands"), targets);
    }

    @Test
    void duplicateHeadingsGetNumberedAnchors() {
        assertEquals(Set.of("results", "results-1", "setup"),
                headingAnchors(List.of("# Results", "text", "## Setup", "```", "# not a heading", "```",
                        "## Results")));
    }

    /** README.md, deploy/README.md and docs/**.md. */
    private static List<Path> documents() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        Path deploy = ROOT.resolve("deploy/README.md");
        if (Files.exists(deploy)) {
            files.add(deploy);
        }
        Path docs = ROOT.resolve("docs");
        if (Files.isDirectory(docs)) {
            try (Stream<Path> walk = Files.walk(docs)) {
                walk.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
            }
        }
        return files;
    }

    /** What is wrong with a relative link, or null when it resolves. */
    private String problem(Link link) {
        String target = link.target();
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String fragment = hash < 0 ? null : target.substring(hash + 1);
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        path = decode(path);
        Path resolved;
        if (path.isEmpty()) {
            resolved = link.file();
        } else if (path.startsWith("/")) {
            resolved = ROOT.resolve(path.substring(1)).normalize();
        } else {
            resolved = link.file().getParent().resolve(path).normalize();
        }
        if (!resolved.startsWith(ROOT)) {
            return "points outside the project (" + resolved + ")";
        }
        if (!Files.exists(resolved)) {
            return "no file or folder " + ROOT.relativize(resolved);
        }
        if (fragment == null || fragment.isEmpty()) {
            return null;
        }
        if (!Files.isRegularFile(resolved) || !resolved.toString().endsWith(".md")) {
            return "#" + fragment + " points into " + ROOT.relativize(resolved) + ", which is not a Markdown file";
        }
        Set<String> names = anchors.computeIfAbsent(resolved, DocLinksTest::headingAnchors);
        if (!names.contains(decode(fragment))) {
            return "no heading '#" + fragment + "' in " + ROOT.relativize(resolved) + " (its anchors: "
                    + String.join(", ", names) + ")";
        }
        return null;
    }

    private static List<Link> links(Path file) throws IOException {
        List<Link> found = new ArrayList<>();
        outsideCode(Files.readAllLines(file), (line, number) -> {
            for (String target : targetsOf(line)) {
                found.add(new Link(file, number, target));
            }
        });
        return found;
    }

    /** The link targets of some lines, in order: for the tests of the parser itself. */
    private static List<String> targets(List<String> lines) {
        List<String> all = new ArrayList<>();
        outsideCode(lines, (line, number) -> all.addAll(targetsOf(line)));
        return all;
    }

    /** Gives each line outside fenced code blocks, with its number (from 1), to {@code action}. */
    private static void outsideCode(List<String> lines, java.util.function.ObjIntConsumer<String> action) {
        String fence = null;
        for (int i = 0; i < lines.size(); i++) {
            Matcher f = FENCE.matcher(lines.get(i));
            if (f.find()) {
                String marker = f.group(1);
                if (fence == null) {
                    fence = marker;
                    continue;
                }
                if (marker.charAt(0) == fence.charAt(0) && marker.length() >= fence.length()) {
                    fence = null;
                    continue;
                }
            }
            if (fence == null) {
                action.accept(lines.get(i), i + 1);
            }
        }
    }

    private static List<String> targetsOf(String line) {
        String text = CODE_SPAN.matcher(line).replaceAll("");
        List<String> targets = new ArrayList<>();
        Matcher m = INLINE_LINK.matcher(text);
        while (m.find()) {
            targets.add(unbracket(m.group(1)));
        }
        Matcher r = REFERENCE.matcher(text);
        if (r.find()) {
            targets.add(unbracket(r.group(1)));
        }
        return targets;
    }

    private static String unbracket(String target) {
        return target.startsWith("<") && target.endsWith(">") ? target.substring(1, target.length() - 1) : target;
    }

    /** The anchors GitHub gives a Markdown file's headings; a repeated heading gets -1, -2, ... */
    private static Set<String> headingAnchors(Path file) {
        try {
            return headingAnchors(Files.readAllLines(file));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(file.toString(), e);
        }
    }

    private static Set<String> headingAnchors(List<String> lines) {
        Set<String> names = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        outsideCode(lines, (line, number) -> {
            Matcher h = HEADING.matcher(line);
            if (h.matches()) {
                String base = slug(h.group(2));
                int n = seen.merge(base, 1, Integer::sum) - 1;
                names.add(n == 0 ? base : base + "-" + n);
            }
        });
        return names;
    }

    /**
     * GitHub's anchor for a heading: the text as rendered (links give their text, code its characters), lower case,
     * every space a hyphen, and every character other than letters, digits, hyphens and underscores dropped.
     */
    static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
        StringBuilder b = new StringBuilder();
        text.toLowerCase(java.util.Locale.ROOT).codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                b.appendCodePoint(c);
            } else if (c == ' ') {
                b.append('-');
            }
        });
        return b.toString();
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }
}
