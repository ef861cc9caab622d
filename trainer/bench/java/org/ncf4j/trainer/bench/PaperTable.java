package org.ncf4j.trainer.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.ncf4j.trainer.report.EpochRecord;
import org.ncf4j.trainer.report.TrainingReport;
import org.ncf4j.trainer.settings.FineTune;
import org.ncf4j.trainer.settings.TrainSetting;

/**
 * Gathers the runs of {@code paper-table.sh} ({@code OUT/f<factor>/s<seed>/<model>/report.json}) into one Markdown
 * table beside the NCF paper's figures and one chart of HR@10 and NDCG@10 against the number of predictive
 * factors (as the paper's Figure 4). Each run is read both ways: the epoch its validation item chose (the honest
 * choice, the run's own best epoch) and the epoch with the best test HR (the paper's protocol), but NeuMF pretrained
 * from the parts' best test epochs ({@code neumf-pre-test}), which the test set chose throughout and which is read
 * by its best test epoch only. Figures are means over seeds with their standard deviation. Usage: {@code PaperTable OUT}; writes {@code OUT/table.md} and
 * {@code OUT/factors.png} and prints the table.
 */
public final class PaperTable {
    /** The models of the table, in its order. */
    static final List<String> MODELS = List.of("gmf", "mlp", "neumf", "neumf-pre", "neumf-pre-test");

    /**
     * The paper's HR@10 and NDCG@10 on MovieLens 1M by model and factor: NeuMF with and without pretraining from
     * Table 2, MLP with three hidden layers from Tables 3 and 4 (GMF appears in Figure 4 only). At 8 factors
     * pretraining did slightly worse on MovieLens, as the paper says.
     */
    static final Map<String, Map<Integer, double[]>> PAPER = Map.of(
            "neumf-pre", Map.of(8, new double[] {0.684, 0.403}, 16, new double[] {0.707, 0.426},
                    32, new double[] {0.726, 0.445}, 64, new double[] {0.730, 0.447}),
            "neumf", Map.of(8, new double[] {0.688, 0.410}, 16, new double[] {0.696, 0.420},
                    32, new double[] {0.701, 0.425}, 64, new double[] {0.705, 0.426}),
            "mlp", Map.of(8, new double[] {0.671, 0.399}, 16, new double[] {0.684, 0.410},
                    32, new double[] {0.692, 0.425}, 64, new double[] {0.702, 0.426}));

    /** One colour per model, the paper's series dashed in the same colour. */
    private static final java.awt.Color[] COLORS = {new java.awt.Color(0x1f77b4), new java.awt.Color(0xff7f0e),
        new java.awt.Color(0x2ca02c), new java.awt.Color(0xd62728), new java.awt.Color(0x9467bd)};

    private PaperTable() {
    }

    /** One run read both ways: [HR, NDCG] at the validation-chosen epoch and at the best test epoch. */
    record Run(int factor, String model, long seed, double[] byValidation, double[] byTest, int validationEpoch,
               int testEpoch, double seconds, String settings) {
        static Run of(int factor, String model, TrainingReport r) {
            EpochRecord chosen = r.chosen();
            // the first of equal maxima, as training picks its best; a pretrained NeuMF's epoch 0 is a candidate
            EpochRecord bestTest = r.bestByTest();
            // the parts of neumf-pre-test were chosen by the test set: its validation choice would not be honest
            boolean validated = r.selectedBy().startsWith("validation") && !model.equals("neumf-pre-test");
            return new Run(factor, model, ((Number) setting(r, TrainSetting.SEED)).longValue(),
                    validated ? new double[] {chosen.hitRate(), chosen.ndcg()} : null,
                    new double[] {bestTest.hitRate(), bestTest.ndcg()}, validated ? chosen.epoch() : -1,
                    bestTest.epoch(), r.totalSeconds(), setting(r, TrainSetting.EPOCHS) + " epochs, "
                    + setting(r, TrainSetting.OPTIMIZER) + " " + setting(r, TrainSetting.LEARNING_RATE)
                    + unlessPaper(r, TrainSetting.NEGATIVES, 4, "%s negatives")
                    + unlessPaper(r, TrainSetting.BATCH_SIZE, 256, "%s a batch")
                    + unlessPaper(r, TrainSetting.ALPHA, 0.5, "%s alpha")
                    + unlessPaper(r, TrainSetting.EMBEDDING_L2, 0, "embedding L2 %s")
                    + unlessPaper(r, TrainSetting.LAYER_L2, 0, "layer L2 %s")
                    + unlessPaper(r, TrainSetting.AVERAGE_FROM, 0, "weights averaged from epoch %s")
                    + (FineTune.OUTPUT.word().equals(setting(r, TrainSetting.FINE_TUNE)) ? ", output layer only" : ""));
        }

        /** The run's value of a setting, as its report records it, or null when it records none. */
        private static Object setting(TrainingReport r, TrainSetting setting) {
            return r.settings().get(setting.key());
        }

        /**
         * ", " and {@code format} with the value (", 8 negatives") when the run's {@code setting} is set and not
         * the paper's, else "".
         */
        private static String unlessPaper(TrainingReport r, TrainSetting setting, double paper, String format) {
            Object v = setting(r, setting);
            return v instanceof Number n && n.doubleValue() != paper ? ", " + String.format(format, v) : "";
        }
    }

    /** Mean and sample standard deviation of one figure over seeds. */
    record Stat(double mean, double sd, int n) {
        static Stat of(List<Double> values) {
            double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
            return new Stat(mean, values.size() > 1 ? Math.sqrt(ss / (values.size() - 1)) : 0, values.size());
        }

        String format() {
            return n == 0 ? "" : n == 1 ? String.format(Locale.ROOT, "%.4f", mean)
                    : String.format(Locale.ROOT, "%.4f ± %.4f", mean, sd);
        }
    }

    /** Reads every finished run under {@code out} (a run is finished when its folder holds report.json). */
    static List<Run> read(Path out) throws IOException {
        List<Run> runs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(out, 4)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.getFileName().toString().equals("report.json"))
                    .sorted()::iterator) {
                Path modelDir = f.getParent();
                Path rel = out.relativize(modelDir);
                if (rel.getNameCount() != 3 || !MODELS.contains(rel.getName(2).toString())
                        || !rel.getName(0).toString().matches("f\\d+")) {
                    continue;
                }
                String model = rel.getName(2).toString();
                String factorDir = rel.getName(0).toString();
                runs.add(Run.of(Integer.parseInt(factorDir.substring(1)), model, TrainingReport.read(f)));
            }
        }
        return runs;
    }

    /** The Markdown table: one row per factor and model. */
    static String markdown(List<Run> runs, double wallSeconds) {
        StringBuilder b = new StringBuilder();
        b.append("| factors | model | HR@10, by validation | NDCG@10, by validation | HR@10, best test epoch | ")
                .append("NDCG@10, best test epoch | paper HR@10 / NDCG@10 | seeds | epochs chosen (val / test) | ")
                .append("settings |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (int factor : factors(runs)) {
            for (String model : MODELS) {
                List<Run> rs = runs.stream().filter(r -> r.factor() == factor && r.model().equals(model)).toList();
                if (rs.isEmpty()) {
                    continue;
                }
                double[] paper = PAPER.getOrDefault(model.equals("neumf-pre-test") ? "neumf-pre" : model, Map.of())
                        .get(factor);
                List<String> settings = rs.stream().map(Run::settings).distinct().toList();
                b.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %d | %s | %s |\n", factor,
                        label(model), stat(rs, true, 0).format(), stat(rs, true, 1).format(),
                        stat(rs, false, 0).format(), stat(rs, false, 1).format(),
                        paper == null ? "" : String.format(Locale.ROOT, "%.3f / %.3f", paper[0], paper[1]),
                        rs.size(), epochs(rs), settings.size() == 1 ? settings.get(0)
                                : "MIXED: " + String.join("; ", settings)));
            }
        }
        double compute = runs.stream().mapToDouble(Run::seconds).sum();
        b.append(String.format(Locale.ROOT, "%n%d runs; their training and evaluation took %.1f h in all", runs.size(),
                compute / 3600));
        if (wallSeconds > 0) {
            b.append(String.format(Locale.ROOT, "; the script's wall time so far %.1f h", wallSeconds / 3600));
        }
        return b.append(".\n").toString();
    }

    static Stat stat(List<Run> runs, boolean byValidation, int metric) {
        List<Double> values = new ArrayList<>();
        for (Run r : runs) {
            double[] v = byValidation ? r.byValidation() : r.byTest();
            if (v != null) {
                values.add(v[metric]);
            }
        }
        return Stat.of(values);
    }

    private static String epochs(List<Run> runs) {
        StringBuilder b = new StringBuilder();
        for (Run r : runs) {
            b.append(b.length() == 0 ? "" : ", ").append(r.validationEpoch() < 0 ? "-" : r.validationEpoch())
                    .append('/').append(r.testEpoch());
        }
        return b.toString();
    }

    private static String label(String model) {
        return switch (model) {
            case "gmf" -> "GMF";
            case "mlp" -> "MLP-3";
            case "neumf" -> "NeuMF";
            case "neumf-pre-test" -> "NeuMF, pretrained from the parts' best test epochs";
            default -> "NeuMF, pretrained";
        };
    }

    private static List<Integer> factors(List<Run> runs) {
        return runs.stream().map(Run::factor).distinct().sorted().toList();
    }

    /** HR@10 and NDCG@10 against factors: ours (best test epoch, the paper's protocol) and the paper's. */
    static void chart(List<Run> runs, Path file) throws IOException {
        List<XYChart> charts = new ArrayList<>();
        String[] names = {"HR@10", "NDCG@10"};
        for (int metric = 0; metric < 2; metric++) {
            XYChart c = new XYChartBuilder().width(640).height(640).title("MovieLens 1M: " + names[metric]
                    + " against predictive factors").xAxisTitle("factors").yAxisTitle(names[metric]).build();
            c.getStyler().setXAxisDecimalPattern("0");
            c.getStyler().setYAxisDecimalPattern("0.000");
            c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS); // inside, it hid the lines
            for (String model : MODELS) {
                Map<Integer, Double> ours = new TreeMap<>();
                for (int f : factors(runs)) {
                    List<Run> rs = runs.stream().filter(r -> r.factor() == f && r.model().equals(model)).toList();
                    if (!rs.isEmpty()) {
                        ours.put(f, stat(rs, false, metric).mean());
                    }
                }
                java.awt.Color color = COLORS[MODELS.indexOf(model)];
                if (!ours.isEmpty()) {
                    XYSeries s = series(c, label(model) + " (ours, best test epoch)", ours);
                    s.setMarker(SeriesMarkers.CIRCLE);
                    s.setLineColor(color);
                    s.setMarkerColor(color);
                }
                Map<Integer, double[]> paper = PAPER.get(model);
                if (paper != null) {
                    Map<Integer, Double> p = new TreeMap<>();
                    int m = metric;
                    paper.forEach((f, v) -> p.put(f, v[m]));
                    XYSeries s = series(c, label(model) + " (paper)", p);
                    s.setLineStyle(SeriesLines.DASH_DASH);
                    s.setMarker(SeriesMarkers.DIAMOND);
                    s.setLineColor(color);
                    s.setMarkerColor(color);
                }
            }
            charts.add(c);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(charts, 1, 2, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    private static XYSeries series(XYChart c, String name, Map<Integer, Double> points) {
        double[] x = points.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
        double[] y = points.values().stream().mapToDouble(Double::doubleValue).toArray();
        return c.addSeries(name, x, y);
    }

    /**
     * The wall time of the invocations in wall.log (lines "START END SECONDS ...", epoch seconds): the time at least
     * one of them was running, so that invocations run side by side (into other folders, their runs copied in) are
     * counted once.
     */
    static double wallSeconds(List<String> lines) {
        List<long[]> spans = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[0].matches("\\d+") && f[1].matches("\\d+")) {
                spans.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])});
            }
        }
        spans.sort(Comparator.comparingLong(span -> span[0]));
        long total = 0;
        long end = Long.MIN_VALUE;
        for (long[] span : spans) {
            long from = Math.max(span[0], end);
            if (span[1] > from) {
                total += span[1] - from;
            }
            end = Math.max(end, span[1]);
        }
        return total;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: PaperTable OUT (the folder paper-table.sh writes)");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        if (!Files.isDirectory(out)) {
            System.err.println("PaperTable: no folder " + out + " (give the OUT folder paper-table.sh writes)");
            System.exit(2);
        }
        List<Run> runs = read(out);
        Path wallLog = out.resolve("wall.log");
        double wall = Files.isRegularFile(wallLog) ? wallSeconds(Files.readAllLines(wallLog)) : 0;
        String table = markdown(runs, wall);
        Files.writeString(out.resolve("table.md"), table);
        if (!runs.isEmpty()) {
            chart(runs, out.resolve("factors.png"));
        }
        System.out.print(table);
        System.out.println("wrote " + out.resolve("table.md") + (runs.isEmpty() ? "" : " and "
                + out.resolve("factors.png")));
    }
}
