package org.ncf4j.trainer.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.ncf4j.data.Directories;

/**
 * Draws the training curves as a PNG: loss per epoch on the left, HR@K and NDCG@K per epoch on the right (from
 * epoch 0, the initialised model, for a pretrained NeuMF), the chosen epoch ringed.
 */
public final class TrainingChart {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 420;

    private TrainingChart() {
    }

    public static void write(TrainingReport report, int k, Path file) throws IOException {
        List<EpochRecord> epochs = report.epochs();
        double[] lossX = new double[epochs.size()];
        double[] loss = new double[epochs.size()];
        for (int i = 0; i < epochs.size(); i++) {
            lossX[i] = epochs.get(i).epoch();
            loss[i] = epochs.get(i).loss();
        }
        // the metrics include the initialised model of a pretrained NeuMF, at epoch 0
        List<EpochRecord> points = report.candidates();
        double[] x = new double[points.size()];
        double[] hr = new double[x.length];
        double[] ndcg = new double[x.length];
        boolean validation = !points.isEmpty() && points.get(0).validationHitRate() != null;
        double[] vhr = new double[x.length];
        double[] vndcg = new double[x.length];
        int best = -1;
        for (int i = 0; i < x.length; i++) {
            EpochRecord e = points.get(i);
            x[i] = e.epoch();
            hr[i] = e.hitRate();
            ndcg[i] = e.ndcg();
            if (validation) {
                vhr[i] = e.validationHitRate();
                vndcg[i] = e.validationNdcg();
            }
            if (e.epoch() == report.bestEpoch()) {
                best = i;
            }
        }
        String title = report.settings().getOrDefault("variant", "model") + " on " + report.dataset()
                .split(":")[0];
        XYChart lossChart = chart(title + ": training loss", "loss");
        lossChart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        if (lossX.length > 0) {
            lossChart.addSeries("loss", lossX, loss).setMarker(SeriesMarkers.CIRCLE);
        }
        XYChart metrics = chart(title + ": test HR@" + k + " / NDCG@" + k + " (best epoch " + report.bestEpoch()
                + ")", "metric");
        metrics.addSeries("HR@" + k, x, hr).setMarker(SeriesMarkers.CIRCLE);
        metrics.addSeries("NDCG@" + k, x, ndcg).setMarker(SeriesMarkers.DIAMOND);
        if (validation) {
            metrics.addSeries("validation HR@" + k, x, vhr).setMarker(SeriesMarkers.TRIANGLE_UP);
            metrics.addSeries("validation NDCG@" + k, x, vndcg).setMarker(SeriesMarkers.TRIANGLE_DOWN);
        }
        if (best >= 0) {
            // the chosen epoch's test figures, ringed, so the picture shows which epoch the model comes from
            XYSeries chosen = metrics.addSeries("best epoch (by " + report.selectedBy() + ")",
                    new double[] {x[best], x[best]}, new double[] {hr[best], ndcg[best]});
            chosen.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            chosen.setMarker(SeriesMarkers.CIRCLE);
            chosen.setMarkerColor(java.awt.Color.BLACK);
        }
        Directories.writeAtomically(file, to -> {
            try (OutputStream out = Files.newOutputStream(to)) {
                BitmapEncoder.saveBitmap(List.of(lossChart, metrics), 1, 2, out, BitmapEncoder.BitmapFormat.PNG);
            }
        });
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setYAxisDecimalPattern("0.000");
        return chart;
    }
}
