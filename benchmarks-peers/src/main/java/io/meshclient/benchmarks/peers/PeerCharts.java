package io.meshclient.benchmarks.peers;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws the peer benchmark's PNG charts from the CSV files {@link PeersBenchmark} wrote: the
 * latency of each contender by percentile (at 1,000 calls/s, and with one backend 10x slow), and
 * the headline figures side by side (added latency, saturation, CPU, heap, the slow backend's p99
 * and the failed calls when a backend dies).
 *
 * <p>{@code PeerCharts [DIR]}: reads and writes {@code DIR}, by default {@code docs/benchmarks}.
 */
public final class PeerCharts {
  static final String LATENCY_PNG = "peers-latency.png";
  static final String SLOW_PNG = "peers-slow.png";
  static final String SUMMARY_PNG = "peers-summary.png";
  private static final String RESULTS_HEADER = "name,value,unit";
  private static final String LATENCY_HEADER = "scenario,contender,percentile,latency_us";
  private static final double FLOOR = 0.01;

  private PeerCharts() {}

  public static void main(String[] args) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Path dir = Path.of(args.length > 0 ? args[0] : "docs/benchmarks");
    render(dir).forEach(file -> System.out.println("wrote " + file));
  }

  /** Draws the three charts in {@code dir} from the CSV files there. */
  static List<Path> render(Path dir) throws IOException {
    Map<String, Double> results = new LinkedHashMap<>();
    for (String[] row : read(dir.resolve("peers-results.csv"), RESULTS_HEADER)) {
      results.put(row[0], Double.parseDouble(row[1]));
    }
    List<String[]> latency = read(dir.resolve("peers-latency.csv"), LATENCY_HEADER);
    List<Path> written = new ArrayList<>();
    written.add(save(percentiles(latency, "latency",
        "Latency by percentile at " + format(results.get("peers.rate")) + " calls/s, 1 KB answers (last round)"),
        dir.resolve(LATENCY_PNG)));
    written.add(save(percentiles(latency, "slow",
        "Latency by percentile with one of 4 backends 10x slow (" + PeersBenchmark.BASE_DELAY.toMillis() + " ms / "
            + PeersBenchmark.SLOW_DELAY.toMillis() + " ms; last round)"), dir.resolve(SLOW_PNG)));
    written.add(save(summary(results), dir.resolve(SUMMARY_PNG)));
    return written;
  }

  /** Latency against percentile, the x axis stretched toward the tail: x = 1 / (1 - p). */
  private static XYChart percentiles(List<String[]> rows, String scenario, String title) {
    XYChart chart = new XYChartBuilder().width(900).height(520).title(title)
        .xAxisTitle("percentile (log scale of 1 / (1 - p): 90, 99, 99.9, 99.99)")
        .yAxisTitle("latency from the intended start (us, log scale)").build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    Map<String, List<double[]>> byContender = new LinkedHashMap<>();
    for (String[] row : rows) {
      double percentile = Double.parseDouble(row[2]);
      if (!row[0].equals(scenario) || percentile >= 100) {
        continue;
      }
      byContender.computeIfAbsent(row[1], c -> new ArrayList<>())
          .add(new double[] {1 / (1 - percentile / 100), Math.max(1, Double.parseDouble(row[3]))});
    }
    if (byContender.isEmpty()) {
      throw new IllegalArgumentException("peers-latency.csv: no rows for scenario " + scenario);
    }
    for (Map.Entry<String, List<double[]>> entry : byContender.entrySet()) {
      double[] x = entry.getValue().stream().mapToDouble(p -> p[0]).toArray();
      double[] y = entry.getValue().stream().mapToDouble(p -> p[1]).toArray();
      chart.addSeries(entry.getKey(), x, y).setMarker(SeriesMarkers.CIRCLE);
    }
    return chart;
  }

  /**
   * The headline figures side by side on one log axis, each in its own unit (the x labels say which);
   * the failed calls when a backend dies are in the title, since most of them are 0, which a log axis
   * cannot draw.
   */
  private static CategoryChart summary(Map<String, Double> results) {
    StringBuilder crash = new StringBuilder();
    for (String contender : PeersBenchmark.CONTENDERS) {
      Double failed = results.get("peers.crash_failed_calls." + contender);
      crash.append(crash.length() == 0 ? "" : ", ").append(contender).append(' ').append(format(failed));
    }
    CategoryChart chart = new CategoryChartBuilder().width(1000).height(560)
        .title("Medians over " + format(results.get("peers.rounds")) + " rounds. Failed calls when a backend dies: " + crash)
        .xAxisTitle("figure (unit)").yAxisTitle("value (log scale)").build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLabelsVisible(true);
    chart.getStyler().setLabelsRotation(90);
    chart.getStyler().setDecimalPattern("#0.##");
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    List<String> figures = List.of("added p50 (us)", "added p99 (us)", "throughput (x raw)", "CPU (ms / 1k calls)",
        "heap (MB)", "p99, slow backend (ms)");
    List<String> keys = List.of("added_p50_us", "added_p99_us", "saturation_ratio", "cpu_ms_per_1k",
        "retained_heap_mb", "slow_p99_ms");
    for (String contender : PeersBenchmark.CONTENDERS) {
      List<Double> values = new ArrayList<>();
      for (String key : keys) {
        Double value = results.get("peers." + key + "." + contender);
        if (value == null && key.equals("saturation_ratio") && contender.equals("raw")) {
          value = 1.0;
        }
        // A log axis draws no bar at or below 0 (raw has no added latency): those sit at its floor.
        values.add(value == null ? FLOOR : Math.max(FLOOR, value));
      }
      chart.addSeries(contender, figures, values);
    }
    chart.getStyler().setYAxisMin(FLOOR);
    return chart;
  }

  private static Path save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) throws IOException {
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    return file;
  }

  private static String format(Double value) {
    return value == null ? "?" : String.valueOf(Math.round(value));
  }

  private static List<String[]> read(Path file, String header) throws IOException {
    List<String> lines = Files.readAllLines(file, UTF_8);
    if (lines.isEmpty() || !lines.get(0).equals(header)) {
      throw new IllegalArgumentException(file + ": first line " + (lines.isEmpty() ? "missing" : lines.get(0))
          + " (expected: " + header + ")");
    }
    List<String[]> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (!line.isBlank()) {
        rows.add(line.split(","));
      }
    }
    return rows;
  }
}
