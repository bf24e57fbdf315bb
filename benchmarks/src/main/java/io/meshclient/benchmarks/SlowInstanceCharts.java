package io.meshclient.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The figures of {@link SlowInstanceScenario} as two CSV files, and the two charts drawn from them
 * with XChart: the latency percentiles of every run ({@value #LATENCY_PNG}, grouped bars) and the
 * slow backend's share of requests over time from each run's cold start ({@value #SHARE_PNG}).
 * Each point is the median over the rounds. Running this class re-draws the charts from the CSV
 * files of an earlier run:
 *
 * <pre>{@code
 * java -Djava.awt.headless=true -cp ... io.meshclient.benchmarks.SlowInstanceCharts docs/benchmarks
 * }</pre>
 *
 * <p>Not meant to be used from code.
 */
public final class SlowInstanceCharts {
  /** One line per run: percentiles, counts and shares. */
  static final String SUMMARY_CSV = "slow-instance.csv";
  /** One line per run and {@link OpenLoopLoad#BUCKET}: the slow backend's share from the cold start. */
  static final String SHARE_CSV = "slow-instance-share.csv";
  static final String LATENCY_PNG = "slow-instance.png";
  static final String SHARE_PNG = "slow-instance-share.png";

  private static final String SUMMARY_HEADER =
      "round,run,strategy,rate,p50_ms,p90_ms,p99_ms,p999_ms,max_ms,requests,errors,slow_share_pct,slow_share_2s_pct,send_lag_max_ms";
  private static final String SHARE_HEADER = "round,run,bucket_start_ms,requests,slow_requests,slow_share_pct";
  private static final String[] PERCENTILES = {"p50", "p90", "p99", "p99.9"};
  private static final int[] PERCENTILE_COLUMNS = {4, 5, 6, 7};

  private SlowInstanceCharts() {}

  /** Re-draws the charts from the CSV files in the directory given (by default {@code docs/benchmarks}). */
  public static void main(String[] args) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Path dir = args.length > 0 && !args[0].isBlank() ? Paths.get(args[0])
        : SlowInstanceScenario.Settings.parse(new String[0]).out();
    System.out.println("wrote " + render(dir));
  }

  /** Writes {@value #SUMMARY_CSV} and {@value #SHARE_CSV} into {@code dir}. */
  static void writeCsv(Path dir, int rate, Map<String, List<OpenLoopLoad.Result>> results) throws IOException {
    List<String> summary = new ArrayList<>();
    List<String> shares = new ArrayList<>();
    summary.add(SUMMARY_HEADER);
    shares.add(SHARE_HEADER);
    long bucketMillis = OpenLoopLoad.BUCKET.toMillis();
    int slow = SlowInstanceScenario.SLOW;
    for (Map.Entry<String, List<OpenLoopLoad.Result>> entry : results.entrySet()) {
      String run = entry.getKey();
      String strategy = run.equals(SlowInstanceScenario.ALL_HEALTHY) ? SlowInstanceScenario.BASELINE_STRATEGY : run;
      for (int round = 0; round < entry.getValue().size(); round++) {
        OpenLoopLoad.Result r = entry.getValue().get(round);
        long requests = r.latency().getTotalCount();
        summary.add(String.format(Locale.ROOT, "%d,%s,%s,%d,%.3f,%.3f,%.3f,%.3f,%.3f,%d,%d,%.3f,%.3f,%.3f",
            round + 1, run, strategy, rate, r.percentileMillis(50), r.percentileMillis(90),
            r.percentileMillis(99), r.percentileMillis(99.9), r.latency().getMaxValue() / 1e6, requests, r.errors(),
            100 * r.measuredShare(slow), 100 * r.shareWithin(slow, SlowInstanceScenario.EARLY),
            r.maxSendLagNanos() / 1e6));
        for (int b = 0; b < r.perBucket().length; b++) {
          shares.add(String.format(Locale.ROOT, "%d,%s,%d,%d,%d,%.3f", round + 1, run, b * bucketMillis,
              r.answered(b), r.perBucket()[b][slow], 100 * r.share(slow, b, b + 1)));
        }
      }
    }
    Files.write(dir.resolve(SUMMARY_CSV), summary, StandardCharsets.UTF_8);
    Files.write(dir.resolve(SHARE_CSV), shares, StandardCharsets.UTF_8);
  }

  /** Draws {@value #LATENCY_PNG} and {@value #SHARE_PNG} in {@code dir} from the CSV files there. */
  static List<Path> render(Path dir) throws IOException {
    List<String[]> summary = read(dir.resolve(SUMMARY_CSV), SUMMARY_HEADER);
    List<String[]> shares = read(dir.resolve(SHARE_CSV), SHARE_HEADER);
    if (summary.isEmpty()) {
      throw new IllegalArgumentException(dir.resolve(SUMMARY_CSV) + ": no runs (expected: at least one line of figures)");
    }
    String rate = summary.get(0)[3];

    CategoryChart latency = new CategoryChartBuilder().width(900).height(520)
        .title("Latency at " + rate + " req/s: 4 loopback backends, one 10x slower (all_healthy: all fast, peak_ewma)")
        .xAxisTitle("run (load balancer)").yAxisTitle("latency from the intended send time (ms, log scale)").build();
    latency.getStyler().setYAxisLogarithmic(true);
    latency.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    latency.getStyler().setLabelsVisible(true);
    latency.getStyler().setLabelsRotation(90);
    latency.getStyler().setDecimalPattern("#0.0");
    latency.getStyler().setChartBackgroundColor(Color.WHITE);
    Map<String, List<String[]>> byRun = byRun(summary);
    List<String> runs = new ArrayList<>(byRun.keySet());
    double smallest = Double.MAX_VALUE;
    for (int p = 0; p < PERCENTILES.length; p++) {
      List<Double> values = new ArrayList<>();
      for (String run : runs) {
        double value = median(byRun.get(run), PERCENTILE_COLUMNS[p]);
        values.add(value);
        smallest = Math.min(smallest, value);
      }
      latency.addSeries(PERCENTILES[p], runs, values);
    }
    // Bars start at the axis minimum, which a log axis needs above zero: the power of ten below the smallest bar.
    latency.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(Math.max(smallest, 0.002) * 0.9))));

    XYChart share = new XYChartBuilder().width(900).height(520)
        .title("Requests to the slow backend (all_healthy: to the same backend, fast), from a cold start")
        .xAxisTitle("seconds since the first request (" + OpenLoopLoad.BUCKET.toMillis() + " ms buckets)")
        .yAxisTitle("share of requests (%)").build();
    share.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    share.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    share.getStyler().setChartBackgroundColor(Color.WHITE);
    share.getStyler().setYAxisMin(0.0);
    double end = 0;
    for (Map.Entry<String, List<String[]>> entry : byRun(shares).entrySet()) {
      Map<Double, List<Double>> byTime = new TreeMap<>();
      for (String[] row : entry.getValue()) {
        double seconds = (Double.parseDouble(row[2]) + OpenLoopLoad.BUCKET.toMillis() / 2.0) / 1000;
        byTime.computeIfAbsent(seconds, t -> new ArrayList<>()).add(Double.parseDouble(row[5]));
      }
      List<Double> x = new ArrayList<>(byTime.keySet());
      List<Double> y = new ArrayList<>();
      for (List<Double> values : byTime.values()) {
        y.add(BenchmarkMain.median(values.stream().mapToDouble(Double::doubleValue).sorted().toArray()));
      }
      end = Math.max(end, x.get(x.size() - 1));
      share.addSeries(entry.getKey(), x, y).setMarker(SeriesMarkers.NONE);
    }
    XYSeries aim = share.addSeries("aim: 5 %", new double[] {0, end}, new double[] {5, 5});
    aim.setMarker(SeriesMarkers.NONE);
    aim.setLineColor(Color.GRAY);
    aim.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));

    Path latencyPng = dir.resolve(LATENCY_PNG);
    Path sharePng = dir.resolve(SHARE_PNG);
    BitmapEncoder.saveBitmap(latency, latencyPng.toString(), BitmapEncoder.BitmapFormat.PNG);
    BitmapEncoder.saveBitmap(share, sharePng.toString(), BitmapEncoder.BitmapFormat.PNG);
    return List.of(latencyPng, sharePng);
  }

  private static List<String[]> read(Path file, String header) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
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

  /** Rows grouped by their run name (column 1), in the order the runs first appear. */
  private static Map<String, List<String[]>> byRun(List<String[]> rows) {
    Map<String, List<String[]>> byRun = new LinkedHashMap<>();
    for (String[] row : rows) {
      byRun.computeIfAbsent(row[1], r -> new ArrayList<>()).add(row);
    }
    return byRun;
  }

  private static double median(List<String[]> rows, int column) {
    return BenchmarkMain.median(rows.stream().mapToDouble(r -> Double.parseDouble(r[column])).sorted().toArray());
  }
}
