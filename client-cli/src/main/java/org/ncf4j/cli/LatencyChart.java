package org.ncf4j.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.ncf4j.data.Directories;

/**
 * Draws a load test's latencies as a PNG: on the left how many calls took how long (up to p99; slower calls are
 * counted in the last bar), on the right latency by percentile, spaced by log10(1 / (1 - percentile)) so that the
 * tail (99%, 99.9%, 99.99%) gets as much room as the body.
 */
final class LatencyChart {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 420;
    private static final int BARS = 60;

    private LatencyChart() {
    }

    static void write(String title, LoadGenerator.Result result, Path file) throws IOException {
        Histogram h = result.latencyMicros();
        if (h.getTotalCount() == 0) {
            throw new IllegalArgumentException("no successful calls to chart");
        }
        XYChart histogram = chart(String.format("%s: %,.0f calls/s", title, result.throughput()), "latency (ms)",
                "calls");
        histogram.getStyler().setXAxisDecimalPattern("0.00");
        histogram.getStyler().setYAxisDecimalPattern("#,##0");
        long top = Math.max(1, h.getValueAtPercentile(99));
        double width = Math.max(1.0, (double) top / BARS);
        double[] x = new double[BARS];
        double[] calls = new double[BARS];
        for (HistogramIterationValue v : h.recordedValues()) {
            int bar = (int) Math.min(BARS - 1, v.getValueIteratedTo() / width);
            calls[bar] += v.getCountAtValueIteratedTo();
        }
        for (int b = 0; b < BARS; b++) {
            x[b] = (b + 0.5) * width / 1e3;
        }
        histogram.addSeries("calls", x, calls).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step)
                .setMarker(SeriesMarkers.NONE);
        histogram.getStyler().setLegendVisible(false);

        XYChart percentiles = chart(String.format("p50 %.3f, p99 %.3f, p99.9 %.3f, max %.3f ms",
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3), "percentile", "latency (ms)");
        percentiles.getStyler().setYAxisDecimalPattern("0.00");
        percentiles.setCustomXAxisTickLabelsFormatter(LatencyChart::percentileLabel);
        List<Double> px = new ArrayList<>();
        List<Double> py = new ArrayList<>();
        for (HistogramIterationValue v : h.percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo();
            if (p >= 100) {
                break;
            }
            px.add(Math.log10(1 / (1 - p / 100)));
            py.add(v.getValueIteratedTo() / 1e3);
        }
        percentiles.addSeries("latency", px, py).setMarker(SeriesMarkers.NONE);
        percentiles.getStyler().setLegendVisible(false);

        Directories.writeAtomically(file, to -> {
            try (OutputStream out = Files.newOutputStream(to)) {
                BitmapEncoder.saveBitmap(List.of(histogram, percentiles), 1, 2, out,
                        BitmapEncoder.BitmapFormat.PNG);
            }
        });
    }

    /** log10(1 / (1 - p)) back to a percentile label: 0 is "0%", 2 is "99%", 3 is "99.9%". */
    static String percentileLabel(double position) {
        double inverse = Math.pow(10, position);
        int decimals = (int) Math.max(0, Math.ceil(Math.log10(inverse) - 1e-9) - 2);
        return String.format("%." + decimals + "f%%", 100 * (1 - 1 / inverse));
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        return chart;
    }
}
