package io.meshclient.benchmarks.peers;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * mesh-client beside what a team would use instead, on the same four loopback backends under the
 * same load, in one run: raw OkHttp (the floor), mesh-client, OkHttp through an nginx sidecar, and
 * Spring Cloud LoadBalancer with Resilience4j. Every scenario runs each contender in turn, in an
 * order that rotates from round to round, and the figures are medians over the rounds of each
 * round's own comparison.
 *
 * <ol>
 *   <li><b>Added latency</b>: an open loop at 1,000 calls/s of 1 KB answers from backends that answer
 *       at once; p50, p99 and p99.9 per contender, and each minus raw OkHttp's in the same round. The
 *       same runs give the CPU per 1,000 calls (this JVM's, plus nginx's for the proxy).
 *   <li><b>Saturation</b>: a closed loop of 16 threads; calls per second, as a ratio to raw's.
 *   <li><b>One backend 10x slow</b> (2 ms against 20 ms, as in the slow-instance scenario): p99 of a
 *       new contender under the open loop.
 *   <li><b>One backend dies mid-run</b> (all at 2 ms; backend 3 killed a third into the measured
 *       window, its connections reset): failed calls of a new contender.
 * </ol>
 *
 * <p>Before the rounds, the heap each long-lived contender retains is measured: the used heap after
 * a full collection, before it is built and after it has made its warm-up calls.
 *
 * <p>The backends run in a child JVM, so this JVM's CPU is the client's. Ends with {@code RESULT}
 * lines and writes {@code peers-results.csv} and {@code peers-latency.csv} into the output directory
 * ({@code docs/benchmarks} unless {@code -out} says otherwise), which {@link PeerCharts} draws.
 *
 * <pre>
 * -rounds N   rounds (default 3)
 * -quick      one round of short runs: a smoke run, not figures
 * -smoke      the shortest runs that still exercise every scenario (the module's test)
 * -out DIR    where the CSV files go
 * </pre>
 */
public final class PeersBenchmark {
  static final List<String> CONTENDERS = List.of("raw", "mesh", "proxy", "spring");
  static final List<String> PEERS = List.of("mesh", "proxy", "spring");
  static final double[] PERCENTILES = {0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100};
  private static final int BACKENDS = 4;
  static final List<String> SCENARIOS = List.of("latency", "saturation", "slow", "crash");
  static final Duration BASE_DELAY = Duration.ofMillis(2);
  static final Duration SLOW_DELAY = BASE_DELAY.multipliedBy(10);
  private static final int KILLED = 3;

  /** How long each part runs; {@link #full}, {@link #quick} or {@link #smoke}. */
  record Settings(int rounds, int rate, Duration warmup, Duration measure, int threads, Duration saturationWarmup,
      Duration saturation, Duration scenarioWarmup, Duration scenarioMeasure, int heapWarmupCalls) {
    static Settings full(int rounds) {
      return new Settings(rounds, 1000, Duration.ofSeconds(5), Duration.ofSeconds(15), 16, Duration.ofSeconds(3),
          Duration.ofSeconds(10), Duration.ofSeconds(3), Duration.ofSeconds(10), 5_000);
    }

    static Settings quick() {
      return new Settings(1, 1000, Duration.ofSeconds(2), Duration.ofSeconds(5), 16, Duration.ofSeconds(1),
          Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(5), 2_000);
    }

    static Settings smoke() {
      return new Settings(1, 500, Duration.ofMillis(200), Duration.ofMillis(600), 4, Duration.ofMillis(100),
          Duration.ofMillis(300), Duration.ofMillis(200), Duration.ofMillis(900), 200);
    }
  }

  private final Settings settings;
  private final Map<String, Contender.Factory> factories;
  private final Backends backends;
  private final Load load;
  private final ExecutorService workers;

  PeersBenchmark(Settings settings, Map<String, Contender.Factory> factories, Backends backends) {
    this.settings = settings;
    this.factories = factories;
    this.backends = backends;
    this.workers = workers();
    this.load = new Load(Load.Clock.SYSTEM, workers, BACKENDS);
  }

  /** The four contenders, by name, in {@link #CONTENDERS}' order. */
  static Map<String, Contender.Factory> contenders() {
    Map<String, Contender.Factory> factories = new LinkedHashMap<>();
    factories.put("raw", OkHttpContender::raw);
    factories.put("mesh", MeshContender::new);
    factories.put("proxy", ProxyContender::open);
    factories.put("spring", SpringContender::new);
    return factories;
  }

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.full(3);
    Path out = Path.of("docs", "benchmarks");
    List<String> scenarios = SCENARIOS;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-quick" -> settings = Settings.quick();
        case "-smoke" -> settings = Settings.smoke();
        case "-rounds" -> settings = Settings.full(rounds(value(args, ++i, "-rounds")));
        case "-out" -> out = Path.of(value(args, ++i, "-out"));
        case "-scenarios" -> scenarios = scenarios(value(args, ++i, "-scenarios"));
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]
            + " (expected: -rounds N, -quick, -smoke, -out DIR, -scenarios LIST)");
      }
    }
    NginxProxy.binary(); // install nginx before anything is measured
    try (Backends backends = Backends.childProcess(BACKENDS)) {
      PeerReport report = new PeersBenchmark(settings, contenders(), backends).run(scenarios);
      report.lines().forEach(System.out::println);
      report.write(out);
    }
    System.exit(0); // Spring's and OkHttp's non-daemon threads must not keep a finished run alive
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + ": no value (expected one after it)");
    }
    return args[i];
  }

  static int rounds(String value) {
    try {
      int rounds = Integer.parseInt(value);
      if (rounds >= 1) {
        return rounds;
      }
    } catch (NumberFormatException e) {
      // Refused below.
    }
    throw new IllegalArgumentException("-rounds: " + value + " (expected: a whole number >= 1)");
  }

  /** The scenarios named in {@code list}, comma-separated, in the order they always run. */
  static List<String> scenarios(String list) {
    List<String> named = List.of(list.split(","));
    for (String name : named) {
      if (!SCENARIOS.contains(name)) {
        throw new IllegalArgumentException("-scenarios: " + name + " (expected: some of " + SCENARIOS + ")");
      }
    }
    return SCENARIOS.stream().filter(named::contains).toList();
  }

  /** Runs {@code scenarios} (of {@link #SCENARIOS}) for every round. */
  PeerReport run(List<String> scenarios) throws Exception {
    PeerReport report = new PeerReport(settings);
    try {
      Map<String, Contender> open = openMeasuringHeap(report);
      try {
        for (int round = 0; round < settings.rounds(); round++) {
          List<String> order = rotated(round);
          System.out.printf(Locale.ROOT, "# round %d of %d, order %s%n", round + 1, settings.rounds(), order);
          if (scenarios.contains("latency")) {
            latency(open, order, report);
          }
          if (scenarios.contains("saturation")) {
            saturation(open, order, report);
          }
          if (scenarios.contains("slow")) {
            slow(order, report);
          }
          if (scenarios.contains("crash")) {
            crash(order, report);
          }
        }
      } finally {
        open.values().forEach(Contender::close);
      }
    } finally {
      workers.shutdownNow();
    }
    return report;
  }

  /** Opens the long-lived contenders one by one, measuring the heap each retains. */
  private Map<String, Contender> openMeasuringHeap(PeerReport report) throws Exception {
    Map<String, Contender> open = new LinkedHashMap<>();
    // A contender made and dropped first, so no one contender's figure carries the one-time
    // initialization every contender shares (OkHttp's, the load generator's).
    try (Contender first = OkHttpContender.raw(backends.ports())) {
      for (int i = 0; i < settings.heapWarmupCalls(); i++) {
        first.call();
      }
    }
    try {
      for (String name : factories.keySet()) {
        long before = usedHeapAfterGc();
        Contender contender = factories.get(name).open(backends.ports());
        open.put(name, contender);
        for (int i = 0; i < settings.heapWarmupCalls(); i++) {
          contender.call();
        }
        long retained = usedHeapAfterGc() - before;
        report.heap(name, retained, contender.outsideMemoryBytes());
        System.out.printf(Locale.ROOT, "# %s retains %.2f MB of heap%s%n", name, retained / 1e6,
            contender.outsideMemoryBytes() > 0
                ? String.format(Locale.ROOT, ", and %.2f MB resident outside this JVM", contender.outsideMemoryBytes() / 1e6)
                : "");
      }
      return open;
    } catch (Exception | Error e) {
      open.values().forEach(Contender::close);
      throw e;
    }
  }

  private void latency(Map<String, Contender> open, List<String> order, PeerReport report) throws Exception {
    backends.reset(Duration.ZERO);
    for (String name : order) {
      Load.OpenLoopResult result = load.openLoop(open.get(name), settings.rate(), settings.warmup(), settings.measure(),
          List.of());
      report.latency(name, result);
      System.out.printf(Locale.ROOT, "#   latency %-6s p50 %7.1f us  p99 %7.1f us  p99.9 %7.1f us  cpu %6.1f ms/1k  "
              + "failed %d  start lag max %.1f ms%n", name, result.percentileMicros(50), result.percentileMicros(99),
          result.percentileMicros(99.9), result.cpuMillisPer1k(), result.failed(), result.maxStartLagNanos() / 1e6);
    }
    report.endLatencyRound();
  }

  private void saturation(Map<String, Contender> open, List<String> order, PeerReport report) throws Exception {
    backends.reset(Duration.ZERO);
    for (String name : order) {
      Load.ClosedLoopResult result = load.closedLoop(open.get(name), settings.threads(), settings.saturationWarmup(),
          settings.saturation());
      report.saturation(name, result);
      System.out.printf(Locale.ROOT, "#   saturation %-6s %9.0f calls/s  failed %d%n", name, result.callsPerSecond(),
          result.failed());
    }
    report.endSaturationRound();
  }

  private void slow(List<String> order, PeerReport report) throws Exception {
    backends.reset(BASE_DELAY);
    backends.delay(0, SLOW_DELAY);
    for (String name : order) {
      try (Contender contender = factories.get(name).open(backends.ports())) {
        Load.OpenLoopResult result = load.openLoop(contender, settings.rate(), settings.scenarioWarmup(),
            settings.scenarioMeasure(), List.of());
        report.slow(name, result);
        System.out.printf(Locale.ROOT, "#   slow %-6s p50 %6.2f ms  p99 %6.2f ms  slow share %5.2f %%  failed %d%n", name,
            result.percentileMicros(50) / 1e3, result.percentileMicros(99) / 1e3,
            100.0 * result.perBackend()[0] / Math.max(1, Arrays.stream(result.perBackend()).sum()), result.failed());
      }
    }
    report.endSlowRound();
    backends.reset(Duration.ZERO);
  }

  private void crash(List<String> order, PeerReport report) throws Exception {
    for (String name : order) {
      backends.reset(BASE_DELAY);
      try (Contender contender = factories.get(name).open(backends.ports())) {
        Duration killAt = settings.scenarioMeasure().dividedBy(3);
        Load.OpenLoopResult result = load.openLoop(contender, settings.rate(), settings.scenarioWarmup(),
            settings.scenarioMeasure(), List.of(new Load.Event(killAt, () -> backends.kill(KILLED))));
        report.crash(name, result);
        System.out.printf(Locale.ROOT, "#   crash %-6s failed %d of %d  p99 %6.2f ms%n", name, result.failed(),
            result.measuredCalls(), result.percentileMicros(99) / 1e3);
      }
    }
    backends.reset(Duration.ZERO);
  }

  /** The contenders in round {@code round}'s order: rotated by one each round. */
  private List<String> rotated(int round) {
    List<String> names = new ArrayList<>(factories.keySet());
    List<String> order = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      order.add(names.get((i + round) % names.size()));
    }
    return order;
  }

  /** The used heap after full collections, once it stops shrinking. */
  static long usedHeapAfterGc() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      if (now >= used - 64 * 1024) {
        return Math.min(now, used);
      }
      used = now;
    }
    return used;
  }

  /** The workers that run the calls: an unbounded pool of daemon threads, so no call waits for one. */
  private static ExecutorService workers() {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
      Thread thread = new Thread(r, "peers-worker-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }
}
