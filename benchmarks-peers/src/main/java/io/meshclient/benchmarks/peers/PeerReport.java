package io.meshclient.benchmarks.peers;

import static io.meshclient.benchmarks.peers.PeersBenchmark.PEERS;
import static io.meshclient.benchmarks.peers.PeersBenchmark.PERCENTILES;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The figures of every round, and the lines and files they become. */
final class PeerReport {
  private final PeersBenchmark.Settings settings;
  private final Map<String, List<Double>> perRound = new LinkedHashMap<>();
  private final Map<String, Double> roundValues = new LinkedHashMap<>();
  private final Map<String, Histogram> lastLatency = new LinkedHashMap<>();
  private final Map<String, Histogram> lastSlow = new LinkedHashMap<>();
  private final Map<String, Double> heap = new LinkedHashMap<>();
  private final Map<String, Double> outsideMemory = new LinkedHashMap<>();

  PeerReport(PeersBenchmark.Settings settings) {
    this.settings = settings;
  }

  void heap(String name, long bytes, long outside) {
    heap.put(name, bytes / 1e6);
    if (outside > 0) {
      outsideMemory.put(name, outside / 1e6);
    }
  }

  void latency(String name, Load.OpenLoopResult result) {
    roundValues.put("p50." + name, result.percentileMicros(50));
    roundValues.put("p99." + name, result.percentileMicros(99));
    roundValues.put("p999." + name, result.percentileMicros(99.9));
    add("latency_p50_us." + name, result.percentileMicros(50));
    add("latency_p99_us." + name, result.percentileMicros(99));
    add("latency_p999_us." + name, result.percentileMicros(99.9));
    add("cpu_ms_per_1k." + name, result.cpuMillisPer1k());
    add("latency_failed_calls." + name, result.failed());
    lastLatency.put(name, result.latency());
  }

  void endLatencyRound() {
    if (!roundValues.containsKey("p50.raw")) {
      return;
    }
    for (String peer : PEERS) {
      if (roundValues.containsKey("p50." + peer)) {
        add("added_p50_us." + peer, roundValues.get("p50." + peer) - roundValues.get("p50.raw"));
        add("added_p99_us." + peer, roundValues.get("p99." + peer) - roundValues.get("p99.raw"));
        add("added_p999_us." + peer, roundValues.get("p999." + peer) - roundValues.get("p999.raw"));
      }
    }
  }

  void saturation(String name, Load.ClosedLoopResult result) {
    roundValues.put("rps." + name, result.callsPerSecond());
    add("saturation_rps." + name, result.callsPerSecond());
  }

  void endSaturationRound() {
    Double raw = roundValues.get("rps.raw");
    for (String peer : PEERS) {
      if (raw != null && roundValues.containsKey("rps." + peer)) {
        add("saturation_ratio." + peer, roundValues.get("rps." + peer) / raw);
      }
    }
  }

  void slow(String name, Load.OpenLoopResult result) {
    double p99 = result.percentileMicros(99) / 1e3;
    roundValues.put("slow." + name, p99);
    add("slow_p99_ms." + name, p99);
    add("slow_failed_calls." + name, result.failed());
    lastSlow.put(name, result.latency());
  }

  void endSlowRound() {
    Double mesh = roundValues.get("slow.mesh");
    if (mesh == null) {
      return;
    }
    for (String other : List.of("spring", "proxy", "raw")) {
      if (roundValues.containsKey("slow." + other)) {
        add("slow_p99_ratio." + other + "_vs_mesh", roundValues.get("slow." + other) / mesh);
      }
    }
  }

  void crash(String name, Load.OpenLoopResult result) {
    add("crash_failed_calls." + name, result.failed());
  }

  private void add(String name, double value) {
    perRound.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
  }

  /** The median over rounds of a figure, or NaN if it was never measured. */
  double median(String name) {
    List<Double> values = perRound.get(name);
    if (values == null || values.isEmpty()) {
      return Double.NaN;
    }
    return median(values.stream().mapToDouble(Double::doubleValue).sorted().toArray());
  }

  /** The median of values sorted ascending (at least one). */
  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Every figure as a {@code RESULT} line: medians over rounds, with their spread where there are several rounds. */
  List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add(line("peers.rounds", settings.rounds(), 0, "rounds"));
    lines.add(line("peers.rate", settings.rate(), 0, "calls/s"));
    lines.add(line("peers.saturation_threads", settings.threads(), 0, "threads"));
    for (Map.Entry<String, List<Double>> figure : perRound.entrySet()) {
      String name = figure.getKey();
      String unit = unit(name);
      int decimals = unit.equals("calls") ? 0 : unit.equals("ratio") ? 3 : unit.equals("calls/s") ? 0 : 1;
      lines.add(line("peers." + name, median(name), decimals, unit));
      if (figure.getValue().size() > 1) {
        double min = figure.getValue().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = figure.getValue().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        lines.add(line("peers." + name + ".min", min, decimals, unit));
        lines.add(line("peers." + name + ".max", max, decimals, unit));
      }
    }
    for (Map.Entry<String, Double> entry : heap.entrySet()) {
      lines.add(line("peers.retained_heap_mb." + entry.getKey(), entry.getValue(), 2, "MB"));
    }
    for (Map.Entry<String, Double> entry : outsideMemory.entrySet()) {
      lines.add(line("peers.outside_rss_mb." + entry.getKey(), entry.getValue(), 2, "MB"));
    }
    return lines;
  }

  private static String unit(String name) {
    if (name.contains("_us.")) {
      return "us";
    } else if (name.contains("_ms.")) {
      return "ms";
    } else if (name.startsWith("cpu_ms_per_1k")) {
      return "ms";
    } else if (name.contains("failed_calls")) {
      return "calls";
    } else if (name.startsWith("saturation_rps")) {
      return "calls/s";
    }
    return "ratio";
  }

  static String line(String name, double value, int decimals, String unit) {
    return String.format(Locale.ROOT, "RESULT %s %." + decimals + "f %s", name, value, unit);
  }

  /**
   * Writes {@code peers-results.csv} (every RESULT line as name, value, unit) and
   * {@code peers-latency.csv} (the last round's latency by percentile, per contender and scenario).
   */
  void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    StringBuilder results = new StringBuilder("name,value,unit\n");
    for (String line : lines()) {
      String[] words = line.split(" ");
      results.append(words[1]).append(',').append(words[2]).append(',').append(words[3]).append('\n');
    }
    Files.writeString(dir.resolve("peers-results.csv"), results, UTF_8);
    StringBuilder latency = new StringBuilder("scenario,contender,percentile,latency_us\n");
    for (Map.Entry<String, Map<String, Histogram>> scenario : Map.of("latency", lastLatency, "slow", lastSlow)
        .entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
      for (Map.Entry<String, Histogram> entry : scenario.getValue().entrySet()) {
        for (double percentile : PERCENTILES) {
          latency.append(scenario.getKey()).append(',').append(entry.getKey()).append(',')
              .append(percentile).append(',')
              .append(String.format(Locale.ROOT, "%.1f", entry.getValue().getValueAtPercentile(percentile) / 1e3))
              .append('\n');
        }
      }
    }
    Files.writeString(dir.resolve("peers-latency.csv"), latency, UTF_8);
  }
}
