package io.meshclient.benchmarks;

import io.meshclient.api.Destination;
import io.meshclient.api.Endpoint;
import io.meshclient.api.MirrorPolicy;
import io.meshclient.api.Route;
import io.meshclient.core.MeshClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Does mirroring cost the primary call anything? A fast loopback backend takes an open-loop load
 * through a real {@link MeshClient}, once with no mirror and once with every request (100 %) also
 * copied to a second backend that is a hundred times slower, so that copies pile up in flight while
 * the primaries keep coming. The two runs alternate within each round (every other round in reverse
 * order), and the figure is the ratio of the primary's p99 with mirroring to its p99 without,
 * the median over rounds: 1.0 means the copies cost the primary nothing.
 *
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am -Pbench -DskipTests package \
 *     -Dbench.mainClass=io.meshclient.benchmarks.MirroringScenario -Dbench.args=-quick
 * }</pre>
 *
 * <p>Not meant to be used from code; run it as a program.
 */
public final class MirroringScenario {
  static final String SERVICE = "orders";
  static final String SHADOW = "orders-shadow";
  static final Duration PRIMARY_DELAY = Duration.ofMillis(2);
  static final Duration MIRROR_DELAY = PRIMARY_DELAY.multipliedBy(100);
  /** Room for every copy at the default rate: none is dropped, the worst case for the primary. */
  static final int MAX_COPIES = 4096;
  static final String WITHOUT = "without_mirror";
  static final String WITH = "with_mirror";

  private MirroringScenario() {}

  /** The scenario's settings: those of {@link SlowInstanceScenario} (its {@code -out} unused), 5 rounds unless set. */
  static SlowInstanceScenario.Settings settings(String[] args) {
    return SlowInstanceScenario.Settings.parse(args, 5);
  }

  /**
   * One run's figures: the primary's latencies, the requests the mirror served during the run
   * (copies still in flight at its end are counted in the next run's), and the copies dropped.
   */
  record Run(OpenLoopLoad.Result load, long mirrored, long dropped) {}

  /** Runs the scenario; see the module's README for the arguments and the RESULT lines. */
  public static void main(String[] args) throws Exception {
    SlowInstanceScenario.Settings settings = settings(args);
    List<Run[]> rounds = run(settings);
    System.out.println();
    resultLines(settings, rounds).forEach(System.out::println);
  }

  /** Every round's two runs: index 0 without mirroring, 1 with. */
  static List<Run[]> run(SlowInstanceScenario.Settings settings) throws IOException, InterruptedException {
    ExecutorService handlers = Executors.newFixedThreadPool(2, daemon("backend-handler"));
    ScheduledExecutorService replies = Executors.newScheduledThreadPool(2, daemon("backend-reply"));
    OkHttpClient transport = SlowInstanceScenario.transport();
    List<Run[]> rounds = new ArrayList<>();
    try (DelayedBackend primary = DelayedBackend.start(0, PRIMARY_DELAY, handlers, replies);
        DelayedBackend mirror = DelayedBackend.start(1, MIRROR_DELAY, handlers, replies)) {
      System.out.println("# JVM warm-up: " + settings.jvmWarmup().toSeconds() + " s, mirroring on");
      once(transport, primary, mirror, true, new OpenLoopLoad(settings.rate(), Duration.ZERO, settings.jvmWarmup(), 1));
      OpenLoopLoad load = new OpenLoopLoad(settings.rate(), settings.warmup(), settings.measure(), 1);
      for (int round = 0; round < settings.rounds(); round++) {
        Run[] runs = new Run[2];
        boolean mirrorFirst = round % 2 == 1;
        for (int i = 0; i < 2; i++) {
          boolean mirrored = mirrorFirst == (i == 0);
          Run run = once(transport, primary, mirror, mirrored, load);
          runs[mirrored ? 1 : 0] = run;
          System.out.printf(Locale.ROOT,
              "# round %d %-14s p50 %.2f ms, p99 %.2f ms, p999 %.2f ms, errors %d, mirror served %d, copies dropped %d%n",
              round + 1, mirrored ? WITH : WITHOUT, run.load().percentileMillis(50), run.load().percentileMillis(99),
              run.load().percentileMillis(99.9), run.load().errors(), run.mirrored(), run.dropped());
        }
        rounds.add(runs);
      }
    } finally {
      Clients.shutDown(transport);
      handlers.shutdownNow();
      replies.shutdownNow();
    }
    return rounds;
  }

  /** One run on a new mesh: the primary service, with or without a route mirroring everything to the shadow. */
  static Run once(OkHttpClient transport, DelayedBackend primary, DelayedBackend mirror, boolean mirrored,
      OpenLoopLoad load) throws InterruptedException {
    long servedBefore = mirror.served();
    try (MeshClient mesh = MeshClient.builder()
        .transport(transport)
        .service(SERVICE, s -> {
          s.endpoints(Endpoint.of("127.0.0.1", primary.port()));
          if (mirrored) {
            s.route(Route.builder("shadowed").mirror(MirrorPolicy.builder()
                .destination(Destination.builder().service(SHADOW).build())
                .maxConcurrent(MAX_COPIES).build()).build());
          }
        })
        .service(SHADOW, s -> s.endpoints(Endpoint.of("127.0.0.1", mirror.port())))
        .build()) {
      OpenLoopLoad.Result result = load.run(mesh.httpClient(),
          new Request.Builder().url("http://" + SERVICE + "/work").build());
      long dropped = mesh.snapshot().service(SERVICE).orElseThrow().mirrorsDropped();
      return new Run(result, mirror.served() - servedBefore, dropped);
    }
  }

  /** The RESULT lines, in a fixed order; the names are published, so keep them stable. */
  static List<String> resultLines(SlowInstanceScenario.Settings settings, List<Run[]> rounds) {
    int n = rounds.size();
    double[] ratios = new double[n];
    double[] without = new double[n];
    double[] with = new double[n];
    for (int i = 0; i < n; i++) {
      without[i] = rounds.get(i)[0].load().percentileMillis(99);
      with[i] = rounds.get(i)[1].load().percentileMillis(99);
      ratios[i] = with[i] / without[i];
    }
    java.util.Arrays.sort(ratios);
    java.util.Arrays.sort(without);
    java.util.Arrays.sort(with);
    List<String> lines = new ArrayList<>();
    lines.add(BenchmarkMain.line("mirroring.rounds", n, 0, "rounds"));
    lines.add(BenchmarkMain.line("mirroring.rate", settings.rate(), 0, "req/s"));
    lines.add(BenchmarkMain.line("mirroring.p99_ratio", BenchmarkMain.median(ratios), 3, "ratio"));
    lines.add(BenchmarkMain.line("mirroring.p99_ratio.min", ratios[0], 3, "ratio"));
    lines.add(BenchmarkMain.line("mirroring.p99_ratio.max", ratios[n - 1], 3, "ratio"));
    lines.add(BenchmarkMain.line("mirroring.without_mirror.p99_ms", BenchmarkMain.median(without), 3, "ms"));
    lines.add(BenchmarkMain.line("mirroring.with_mirror.p99_ms", BenchmarkMain.median(with), 3, "ms"));
    lines.add(BenchmarkMain.line("mirroring.with_mirror.copies_dropped",
        rounds.stream().mapToLong(r -> r[1].dropped()).sum(), 0, "requests"));
    lines.add(BenchmarkMain.line("mirroring.errors",
        rounds.stream().mapToLong(r -> r[0].load().errors() + r[1].load().errors()).sum(), 0, "requests"));
    return lines;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
