package io.meshclient.benchmarks;

import io.meshclient.api.Endpoint;
import io.meshclient.core.MeshClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Four loopback HTTP backends, one of them ten times slower than the others, under an open-loop
 * load at a fixed rate, sent through a real {@link MeshClient} with each load balancer in turn;
 * and the same four backends all fast, as the baseline. Prints the latency percentiles of each,
 * the ratio of each balancer's p99 to the baseline's, and the slow backend's share of requests
 * over time, as {@code RESULT} lines; writes the figures as CSV and plots them (see
 * {@link SlowInstanceCharts}).
 *
 * <p>Each run builds a new mesh, so every balancer starts cold (no latency known) and the slow
 * share of the first seconds shows how fast it learns; the latencies are taken after the warm-up.
 * The runs of a round are interleaved, every other round in reverse order, and each ratio is taken
 * within a round (see {@code BENCHMARKS.md}).
 *
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am -Pbench -DskipTests package \
 *     -Dbench.mainClass=io.meshclient.benchmarks.SlowInstanceScenario -Dbench.args=-quick
 * }</pre>
 *
 * <p>Not meant to be used from code; run it as a program.
 */
public final class SlowInstanceScenario {
  /** The mesh service the backends serve. */
  static final String SERVICE = "backend";
  /** The balancers compared, by policy name. */
  static final List<String> STRATEGIES = List.of("round_robin", "least_request", "peak_ewma");
  /** The name of the baseline run: all backends fast, the default balancer. */
  static final String ALL_HEALTHY = "all_healthy";
  /** The balancer of the baseline run. */
  static final String BASELINE_STRATEGY = "peak_ewma";
  static final int BACKENDS = 4;
  /** The index of the backend that is slow (except in the baseline). */
  static final int SLOW = BACKENDS - 1;
  static final Duration FAST_DELAY = Duration.ofMillis(2);
  static final Duration SLOW_DELAY = FAST_DELAY.multipliedBy(10);
  /** The window of {@code slow_share_2s}, from the first request of a run. */
  static final Duration EARLY = Duration.ofSeconds(2);

  private SlowInstanceScenario() {}

  /** The scenario's settings, from the command line. */
  record Settings(int rate, Duration jvmWarmup, Duration warmup, Duration measure, int rounds, Path out) {
    static Settings parse(String[] args) {
      return parse(args, 3);
    }

    /** The settings {@code args} give, with {@code defaultRounds} rounds unless set (1 with {@code -quick}). */
    static Settings parse(String[] args, int defaultRounds) {
      int rate = 500;
      Duration jvmWarmup = Duration.ofSeconds(5);
      Duration warmup = Duration.ofSeconds(3);
      Duration measure = Duration.ofSeconds(10);
      Integer rounds = null;
      boolean quick = false;
      Path out = null;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (arg.isBlank()) {
          continue;
        }
        if (arg.equals("-quick")) {
          quick = true;
          continue;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(arg + ": no value (expected: " + USAGE + ")");
        }
        String value = args[++i];
        switch (arg) {
          case "-rate" -> rate = number(arg, value);
          case "-rounds" -> rounds = BenchmarkMain.rounds(value);
          case "-warmup" -> warmup = Duration.ofSeconds(number(arg, value));
          case "-measure" -> measure = Duration.ofSeconds(number(arg, value));
          case "-out" -> out = Paths.get(value);
          default -> throw new IllegalArgumentException("argument: " + arg + " (expected: " + USAGE + ")");
        }
      }
      if (quick) {
        jvmWarmup = Duration.ofSeconds(1);
        warmup = Duration.ofSeconds(1);
        measure = Duration.ofSeconds(3);
      }
      return new Settings(rate, jvmWarmup, warmup, measure, rounds != null ? rounds : quick ? 1 : defaultRounds,
          out != null ? out : defaultOut());
    }

    private static final String USAGE = "-quick, -rounds N, -rate R, -warmup S, -measure S, -out DIR";

    private static int number(String arg, String value) {
      try {
        int n = Integer.parseInt(value);
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(arg + ": " + value + " (expected: a whole number >= 1)");
    }

    /** {@code docs/benchmarks} of the repository this runs in (Maven runs it from the module's directory). */
    private static Path defaultOut() {
      Path dir = Paths.get("").toAbsolutePath();
      for (Path d = dir; d != null; d = d.getParent()) {
        if (Files.isDirectory(d.resolve("docs")) && Files.isDirectory(d.resolve("benchmarks"))) {
          return d.resolve("docs").resolve("benchmarks");
        }
      }
      return dir.resolve("slow-instance");
    }
  }

  /** Runs the scenario; see the module's README for the arguments and the RESULT lines. */
  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    Settings settings = Settings.parse(args);
    Map<String, List<OpenLoopLoad.Result>> results = run(settings);
    System.out.println();
    for (String line : resultLines(settings, results)) {
      System.out.println(line);
    }
    Files.createDirectories(settings.out());
    SlowInstanceCharts.writeCsv(settings.out(), settings.rate(), results);
    List<Path> charts = SlowInstanceCharts.render(settings.out());
    System.out.println("wrote " + settings.out().resolve(SlowInstanceCharts.SUMMARY_CSV) + ", "
        + settings.out().resolve(SlowInstanceCharts.SHARE_CSV) + " and " + charts);
  }

  /** Every run of every round, by run name ({@link #ALL_HEALTHY} and the strategies), in round order. */
  static Map<String, List<OpenLoopLoad.Result>> run(Settings settings) throws IOException, InterruptedException {
    Map<String, List<OpenLoopLoad.Result>> results = new LinkedHashMap<>();
    results.put(ALL_HEALTHY, new ArrayList<>());
    STRATEGIES.forEach(s -> results.put(s, new ArrayList<>()));
    ExecutorService handlers = Executors.newFixedThreadPool(2, daemon("backend-handler"));
    ScheduledExecutorService replies = Executors.newScheduledThreadPool(2, daemon("backend-reply"));
    List<DelayedBackend> backends = new ArrayList<>();
    OkHttpClient transport = transport();
    try {
      for (int i = 0; i < BACKENDS; i++) {
        backends.add(DelayedBackend.start(i, FAST_DELAY, handlers, replies));
      }
      List<Endpoint> endpoints = backends.stream().map(b -> Endpoint.of("127.0.0.1", b.port())).toList();
      // Warms the JIT, the backends and the connections; its figures are thrown away.
      System.out.println("# JVM warm-up: " + settings.jvmWarmup().toSeconds() + " s, all backends fast");
      once(transport, endpoints, BASELINE_STRATEGY,
          new OpenLoopLoad(settings.rate(), Duration.ZERO, settings.jvmWarmup(), BACKENDS));
      OpenLoopLoad load = new OpenLoopLoad(settings.rate(), settings.warmup(), settings.measure(), BACKENDS);
      List<String> order = new ArrayList<>(results.keySet());
      for (int round = 0; round < settings.rounds(); round++) {
        List<String> names = new ArrayList<>(order);
        if (round % 2 == 1) {
          Collections.reverse(names);
        }
        for (String name : names) {
          boolean baseline = name.equals(ALL_HEALTHY);
          backends.get(SLOW).delay(baseline ? FAST_DELAY : SLOW_DELAY);
          String strategy = baseline ? BASELINE_STRATEGY : name;
          OpenLoopLoad.Result result = once(transport, endpoints, strategy, load);
          results.get(name).add(result);
          System.out.printf(java.util.Locale.ROOT,
              "# round %d %-13s p50 %.2f ms, p99 %.2f ms, slow share %.1f %%, errors %d, send lag max %.1f ms%n",
              round + 1, name, result.percentileMillis(50), result.percentileMillis(99),
              100 * result.measuredShare(SLOW), result.errors(), result.maxSendLagNanos() / 1e6);
        }
      }
    } finally {
      backends.forEach(DelayedBackend::close);
      Clients.shutDown(transport);
      handlers.shutdownNow();
      replies.shutdownNow();
    }
    return results;
  }

  /** One run on a new mesh (so the balancer starts cold), closed afterwards. */
  static OpenLoopLoad.Result once(OkHttpClient transport, List<Endpoint> endpoints, String strategy, OpenLoopLoad load)
      throws InterruptedException {
    try (MeshClient mesh = MeshClient.builder()
        .transport(transport)
        .service(SERVICE, s -> s.endpoints(endpoints).loadBalancer(strategy))
        .build()) {
      return load.run(mesh.httpClient(), new Request.Builder().url("http://" + SERVICE + "/work").build());
    }
  }

  /**
   * The transport every mesh of the scenario shares: OkHttp's dispatcher would otherwise hold back
   * all but 5 concurrent calls to one host, which would queue the load in the client.
   */
  static OkHttpClient transport() {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(4096);
    dispatcher.setMaxRequestsPerHost(4096);
    return new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectionPool(new ConnectionPool(256, 5, TimeUnit.MINUTES))
        .build();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** The RESULT lines, in a fixed order; the names are published, so keep them stable. */
  static List<String> resultLines(Settings settings, Map<String, List<OpenLoopLoad.Result>> results) {
    List<String> lines = new ArrayList<>();
    List<OpenLoopLoad.Result> baseline = results.get(ALL_HEALTHY);
    int rounds = baseline.size();
    lines.add(BenchmarkMain.line("slow_instance.rounds", rounds, 0, "rounds"));
    lines.add(BenchmarkMain.line("slow_instance.rate", settings.rate(), 0, "req/s"));
    for (String strategy : STRATEGIES) {
      List<OpenLoopLoad.Result> runs = results.get(strategy);
      String name = "slow_instance." + strategy;
      lines.add(BenchmarkMain.line(name + ".p99_ms", median(runs, r -> r.percentileMillis(99)), 3, "ms"));
      double[] ratios = new double[rounds];
      for (int round = 0; round < rounds; round++) {
        ratios[round] = runs.get(round).percentileMillis(99) / baseline.get(round).percentileMillis(99);
      }
      java.util.Arrays.sort(ratios);
      lines.add(BenchmarkMain.line(name + ".p99_ratio", BenchmarkMain.median(ratios), 3, "x"));
      lines.add(BenchmarkMain.line(name + ".p99_ratio.min", ratios[0], 3, "x"));
      lines.add(BenchmarkMain.line(name + ".p99_ratio.max", ratios[rounds - 1], 3, "x"));
    }
    lines.add(BenchmarkMain.line("slow_instance.peak_ewma.slow_share_2s",
        median(results.get("peak_ewma"), r -> 100 * r.shareWithin(SLOW, EARLY)), 2, "%"));
    for (Map.Entry<String, List<OpenLoopLoad.Result>> entry : results.entrySet()) {
      String name = "slow_instance." + entry.getKey();
      List<OpenLoopLoad.Result> runs = entry.getValue();
      lines.add(BenchmarkMain.line(name + ".p50_ms", median(runs, r -> r.percentileMillis(50)), 3, "ms"));
      lines.add(BenchmarkMain.line(name + ".p90_ms", median(runs, r -> r.percentileMillis(90)), 3, "ms"));
      if (entry.getKey().equals(ALL_HEALTHY)) {
        lines.add(BenchmarkMain.line(name + ".p99_ms", median(runs, r -> r.percentileMillis(99)), 3, "ms"));
      }
      lines.add(BenchmarkMain.line(name + ".p999_ms", median(runs, r -> r.percentileMillis(99.9)), 3, "ms"));
      lines.add(BenchmarkMain.line(name + ".max_ms", median(runs, r -> r.latency().getMaxValue() / 1e6), 3, "ms"));
      // In the baseline backend SLOW is as fast as the others: its share is the balancer's even split.
      lines.add(BenchmarkMain.line(name + ".slow_share", median(runs, r -> 100 * r.measuredShare(SLOW)), 2, "%"));
      if (!entry.getKey().equals("peak_ewma")) {
        lines.add(BenchmarkMain.line(name + ".slow_share_2s", median(runs, r -> 100 * r.shareWithin(SLOW, EARLY)), 2, "%"));
      }
      lines.add(BenchmarkMain.line(name + ".errors", runs.stream().mapToLong(OpenLoopLoad.Result::errors).sum(), 0, "requests"));
      lines.add(BenchmarkMain.line(name + ".send_lag_max_ms", median(runs, r -> r.maxSendLagNanos() / 1e6), 3, "ms"));
    }
    return lines;
  }

  private static double median(List<OpenLoopLoad.Result> runs, ToDoubleFunction<OpenLoopLoad.Result> figure) {
    return BenchmarkMain.median(runs.stream().mapToDouble(figure).sorted().toArray());
  }
}
