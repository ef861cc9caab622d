package org.ncf4j.trainer.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * What a run needs to be reproduced besides its settings: where the data came from and its fingerprint, the
 * version and commit of the code (written into the jar at build time), when it ran, and on what (Java, the
 * engine, the processor: the same seed gives slightly different MLP and NeuMF figures on different processors).
 */
public final class Provenance {
    private static final String BUILD_FILE = "/ncf4j-build.properties";

    private Provenance() {
    }

    /**
     * @param source the data source as given, e.g. "--ncf-split /data/ml-1m-ncf", or null when not known
     * @param dataset the dataset's name
     * @param fingerprint the training pairs' fingerprint
     * @param engine the training engine and its version, e.g. "PyTorch 2.5.1"
     * @param started when the run started
     */
    public static Map<String, Object> of(String source, String dataset, String fingerprint, String engine,
                                         Instant started) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", dataset);
        if (source != null) {
            data.put("source", source);
        }
        data.put("fingerprint", fingerprint);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("data", data);
        p.put("code", code());
        p.put("date", started.truncatedTo(ChronoUnit.SECONDS).toString());
        Map<String, Object> runtime = new LinkedHashMap<>();
        runtime.put("java", System.getProperty("java.version"));
        runtime.put("engine", engine);
        runtime.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        runtime.put("cpu", cpu());
        p.put("runtime", runtime);
        return p;
    }

    /** The code's version and git commit ("unknown" when built outside a git checkout). */
    public static Map<String, String> code() {
        Properties build = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream(BUILD_FILE)) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            // the jar was built without it: say unknown rather than fail a training run
        }
        Map<String, String> code = new LinkedHashMap<>();
        code.put("version", build.getProperty("version", "unknown"));
        code.put("commit", build.getProperty("commit", "unknown"));
        return code;
    }

    private static String cpu() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip() + " (" + Runtime.getRuntime()
                            .availableProcessors() + " cores)";
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable
        }
        return System.getProperty("os.arch") + " (" + Runtime.getRuntime().availableProcessors() + " cores)";
    }
}
