package org.ncf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatencyChartTest {
    @TempDir
    Path dir;

    @Test
    void writesBothPanelsAsOnePng() throws Exception {
        Histogram h = new Histogram(60_000_000L, 3);
        for (int i = 0; i < 10_000; i++) {
            h.recordValue(300 + i % 200);
        }
        h.recordValue(9_000);
        Path png = dir.resolve("latency.png");
        LatencyChart.write("Recommend", new LoadGenerator.Result(h.getTotalCount(), 2.0, h, Map.of()), png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1280, image.getWidth());
        assertEquals(420, image.getHeight());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "the temporary file was left behind");
        }
    }

    @Test
    void anEmptyRunHasNothingToDraw() {
        Histogram h = new Histogram(60_000_000L, 3);
        assertThrows(IllegalArgumentException.class, () -> LatencyChart.write("Score",
                new LoadGenerator.Result(0, 1.0, h, Map.of()), dir.resolve("x.png")));
    }

    @Test
    void percentileTicksReadAsPercentiles() {
        assertEquals("0%", LatencyChart.percentileLabel(0));
        assertEquals("50%", LatencyChart.percentileLabel(Math.log10(2)));
        assertEquals("90%", LatencyChart.percentileLabel(1));
        assertEquals("97%", LatencyChart.percentileLabel(1.5));
        assertEquals("99%", LatencyChart.percentileLabel(2));
        assertEquals("99.9%", LatencyChart.percentileLabel(3));
        assertEquals("99.99%", LatencyChart.percentileLabel(4));
    }
}
