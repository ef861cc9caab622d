package org.ncf4j.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.BeanInstantiationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServingConfigTest {
    /** The settings Micronaut binds from these properties (defaults for the rest). */
    static ServingConfig bind(Map<String, Object> properties) {
        try (ApplicationContext c = ApplicationContext.builder().properties(properties).start()) {
            return c.getBean(ServingConfig.class);
        }
    }

    @Test
    void theDefaultsAreValid() {
        ServingConfig c = bind(Map.of());
        assertEquals("models", c.repository());
        assertEquals(Duration.ofSeconds(30), c.pollInterval());
        assertEquals("latest:1", c.policy().toString());
        assertEquals(64, c.maxBatchSize());
        assertEquals(256L << 20, c.rankingMemoryBytes());
    }

    @Test
    void everyBadValueIsNamedOnItsOwnLine() {
        BeanInstantiationException e = assertThrows(BeanInstantiationException.class, () -> bind(Map.of(
                "ncf.max-batch-pairs", 0, "ncf.batch-workers", -1, "ncf.version-policy", "newest",
                "ncf.execution-provider", "tpu", "ncf.max-queue-delay", "-5ms")));
        ConfigException config = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException c) {
                config = c;
            }
        }
        assertTrue(config != null, "no ConfigException in " + e);
        List<String> problems = config.problems();
        assertEquals(5, problems.size(), problems.toString());
        assertTrue(problems.contains("ncf.max-batch-pairs is 0, expected at least 1"), problems.toString());
        assertTrue(problems.contains("ncf.batch-workers is -1, expected at least 1"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("ncf.version-policy: 'newest' is not a version "
                + "policy")), problems.toString());
        assertTrue(problems.contains("ncf.execution-provider is 'tpu', expected cpu, cuda or auto"),
                problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("ncf.max-queue-delay is PT-0.005S")),
                problems.toString());
    }

    @Test
    void versionPoliciesParse() {
        assertEquals("latest:3", VersionPolicy.parse(" Latest:3 ").toString());
        assertEquals("latest:1", VersionPolicy.parse("latest").toString());
        assertEquals("specific:2,5", VersionPolicy.parse("specific:2, 5").toString());
        for (String bad : List.of("latest:0", "specific:", "specific:a", "specific:0", "", "sometimes")) {
            assertThrows(IllegalArgumentException.class, () -> VersionPolicy.parse(bad), bad);
        }
    }
}
