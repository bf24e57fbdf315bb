package io.meshclient.benchmarks;

import io.meshclient.api.AttemptEvent;
import io.meshclient.api.CircuitBreakerPolicy;
import io.meshclient.api.Endpoint;
import io.meshclient.api.HedgingPolicy;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.OutlierDetectionPolicy;
import io.meshclient.api.RetryBudgetPolicy;
import io.meshclient.core.MeshClient;
import io.meshclient.core.ServiceBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Three load scenarios over real loopback sockets that show failure staying boring: an instance
 * killed under steady traffic, every instance answering 503 (a retry storm the budget must hold
 * back), and one instance with latency spikes (hedging). Each builds a new {@link MeshClient} per
 * run, sends open-loop load through it ({@link OpenLoopLoad}), and counts attempts with a
 * {@link MeshEventListener}; the figures are printed as {@code RESULT} lines, medians over the
 * rounds, ratios taken within a round.
 *
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am -Pbench -DskipTests package \
 *     -Dbench.mainClass=io.meshclient.benchmarks.ResilienceScenario -Dbench.args=-quick
 * }</pre>
 *
 * <p>Not meant to be used from code; run it as a program.
 */
public final class ResilienceScenario {
  static final String SERVICE = "backend";
  static final int BACKENDS = 3;
  static final Duration DELAY = Duration.ofMillis(1);
  static final Duration SPIKE = Duration.ofMillis(50);
  static final double SPIKE_SHARE = 0.05;

  private ResilienceScenario() {}

  /** The settings, from the command line. */
  record Settings(int rate, Duration warmup, Duration measure, Duration killAfter, int rounds) {
    static Settings parse(String[] args) {
      boolean quick = false;
      Integer rounds = null;
      int rate = 500;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (arg.isBlank()) {
          continue;
        }
        switch (arg) {
          case "-quick" -> quick = true;
          case "-rounds" -> rounds = BenchmarkMain.rounds(value(args, ++i, arg));
          case "-rate" -> rate = Integer.parseInt(value(args, ++i, arg));
          default -> throw new IllegalArgumentException("argument: " + arg + " (expected: -quick, -rounds N, -rate R)");
        }
      }
      return quick
          ? new Settings(rate, Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(2), rounds != null ? rounds : 1)
          : new Settings(rate, Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(4), rounds != null ? rounds : 3);
    }

    private static String value(String[] args, int i, String arg) {
      if (i >= args.length) {
        throw new IllegalArgumentException(arg + ": no value");
      }
      return args[i];
    }
  }

  /** Runs the three scenarios; see benchmarks/README.md for the RESULT lines. */
  public static void main(String[] args) throws Exception {
    Settings settings = Settings.parse(args);
    ExecutorService handlers = Executors.newFixedThreadPool(2, daemon("backend-handler"));
    ScheduledExecutorService replies = Executors.newScheduledThreadPool(2, daemon("backend-reply"));
    ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor(daemon("killer"));
    OkHttpClient transport = SlowInstanceScenario.transport();
    List<String> lines = new ArrayList<>();
    try {
      // JVM warm-up: the JIT, connections; figures thrown away.
      System.out.println("# JVM warm-up");
      try (Backends b = new Backends(handlers, replies)) {
        run(transport, b, s -> {}, new OpenLoopLoad(settings.rate(), Duration.ZERO, Duration.ofSeconds(3), BACKENDS));
      }
      lines.addAll(instanceCrash(settings, transport, handlers, replies, killer));
      lines.addAll(retryStorm(settings, transport, handlers, replies));
      lines.addAll(hedging(settings, transport, handlers, replies));
    } finally {
      Clients.shutDown(transport);
      handlers.shutdownNow();
      replies.shutdownNow();
      killer.shutdownNow();
    }
    System.out.println();
    lines.forEach(System.out::println);
  }

  /** One of three backends killed mid-run under steady GETs: failed calls, and how long the dead one still got attempts. */
  static List<String> instanceCrash(Settings settings, OkHttpClient transport, ExecutorService handlers,
      ScheduledExecutorService replies, ScheduledExecutorService killer) throws Exception {
    double[] failed = new double[settings.rounds()];
    double[] drain = new double[settings.rounds()];
    for (int round = 0; round < settings.rounds(); round++) {
      try (Backends b = new Backends(handlers, replies)) {
        DelayedBackend victim = b.backends.get(BACKENDS - 1);
        AtomicLong killedAt = new AtomicLong();
        AtomicLong lastToVictim = new AtomicLong();
        Counter counter = new Counter(e -> {
          if (e.endpoint().port() == victim.port()) {
            lastToVictim.accumulateAndGet(System.nanoTime(), Math::max);
          }
        });
        OpenLoopLoad load = new OpenLoopLoad(settings.rate(), settings.warmup(), settings.measure(), BACKENDS);
        killer.schedule(() -> {
          killedAt.set(System.nanoTime());
          victim.close();
        }, settings.warmup().plus(settings.killAfter()).toNanos(), TimeUnit.NANOSECONDS);
        OpenLoopLoad.Result result = run(transport, b, s -> {}, load, counter);
        failed[round] = result.errors();
        drain[round] = Math.max(0, lastToVictim.get() - killedAt.get()) / 1e6;
        System.out.printf(Locale.ROOT, "# crash round %d: failed %d of %d calls, last attempt to the dead instance %.1f ms "
            + "after the kill, retries %d, p99 %.2f ms%n", round + 1, result.errors(), load.requests(), drain[round],
            counter.retries.sum(), result.percentileMillis(99));
      }
    }
    return List.of(
        BenchmarkMain.line("instance_crash.failed_calls", median(failed), 0, "calls"),
        BenchmarkMain.line("instance_crash.failed_calls.max", Arrays.stream(failed).max().orElse(0), 0, "calls"),
        BenchmarkMain.line("instance_crash.drain_ms", median(drain), 1, "ms"),
        BenchmarkMain.line("instance_crash.drain_ms.max", Arrays.stream(drain).max().orElse(0), 1, "ms"));
  }

  /**
   * Every instance answering 503: retries as a share of calls with the default budget, and with no
   * budget for contrast. Breakers and outlier detection are off here, so that only the budget holds
   * the retries back (with them on, the breakers cut the load further).
   */
  static List<String> retryStorm(Settings settings, OkHttpClient transport, ExecutorService handlers,
      ScheduledExecutorService replies) throws Exception {
    double[] budgeted = new double[settings.rounds()];
    double[] unlimited = new double[settings.rounds()];
    double bound = 0;
    for (int round = 0; round < settings.rounds(); round++) {
      for (boolean withBudget : round % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
        try (Backends b = new Backends(handlers, replies)) {
          b.backends.forEach(backend -> backend.status(503));
          Counter counter = new Counter(e -> {});
          OpenLoopLoad load = new OpenLoopLoad(settings.rate(), settings.warmup(), settings.measure(), BACKENDS);
          run(transport, b, s -> s.circuitBreaker(CircuitBreakerPolicy.disabled())
              .outlierDetection(OutlierDetectionPolicy.disabled())
              .retryBudget(withBudget ? RetryBudgetPolicy.ofDefaults() : RetryBudgetPolicy.unlimited()), load, counter);
          double ratio = (double) counter.retries.sum() / load.requests();
          (withBudget ? budgeted : unlimited)[round] = ratio;
          // The floor is a reserve of minRetriesPerSecond x window for each window (as in Finagle's
          // budget): a run of T seconds may draw ceil(T / window) of them.
          long window = RetryBudgetPolicy.DEFAULT_WINDOW.toSeconds();
          long windows = (settings.warmup().plus(settings.measure()).toSeconds() + window - 1) / window;
          bound = RetryBudgetPolicy.DEFAULT_PERCENT / 100
              + (double) RetryBudgetPolicy.DEFAULT_MIN_RETRIES_PER_SECOND * window * windows / load.requests();
          System.out.printf(Locale.ROOT, "# storm round %d %s: %d calls, %d retries, extra load %.3f%n", round + 1,
              withBudget ? "budget   " : "unlimited", load.requests(), counter.retries.sum(), ratio);
        }
      }
    }
    return List.of(
        BenchmarkMain.line("retry_storm.extra_load_ratio", median(budgeted), 3, "ratio"),
        BenchmarkMain.line("retry_storm.extra_load_ratio.bound", bound, 3, "ratio"),
        BenchmarkMain.line("retry_storm.extra_load_ratio.unlimited", median(unlimited), 3, "ratio"));
  }

  /** One backend with 5 % of its answers 50x slower: p99 with hedging after the live p95 and without, and the extra load. */
  static List<String> hedging(Settings settings, OkHttpClient transport, ExecutorService handlers,
      ScheduledExecutorService replies) throws Exception {
    double[] ratio = new double[settings.rounds()];
    double[] extra = new double[settings.rounds()];
    double[] with = new double[settings.rounds()];
    double[] without = new double[settings.rounds()];
    for (int round = 0; round < settings.rounds(); round++) {
      for (boolean hedged : round % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
        try (Backends b = new Backends(handlers, replies)) {
          b.backends.get(0).spikes(SPIKE_SHARE, SPIKE);
          Counter counter = new Counter(e -> {});
          OpenLoopLoad load = new OpenLoopLoad(settings.rate(), settings.warmup(), settings.measure(), BACKENDS);
          // Round robin keeps the spiky backend's share at a third, so the spikes reach p99 without hedging.
          OpenLoopLoad.Result result = run(transport, b, s -> s.loadBalancer("round_robin")
              .hedging(hedged ? HedgingPolicy.builder().delayPercentile(95).build() : HedgingPolicy.disabled()),
              load, counter);
          double p99 = result.percentileMillis(99);
          if (hedged) {
            with[round] = p99;
            extra[round] = (double) counter.retries.sum() / load.requests();
          } else {
            without[round] = p99;
          }
          System.out.printf(Locale.ROOT, "# hedging round %d %s: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, extra attempts %d, "
              + "errors %d%n", round + 1, hedged ? "on " : "off", result.percentileMillis(50), p99,
              result.percentileMillis(99.9), counter.retries.sum(), result.errors());
        }
      }
      ratio[round] = with[round] / without[round];
    }
    return List.of(
        BenchmarkMain.line("hedging.p99_ms.without", median(without), 3, "ms"),
        BenchmarkMain.line("hedging.p99_ms.with", median(with), 3, "ms"),
        BenchmarkMain.line("hedging.p99_ratio", median(ratio), 3, "ratio"),
        BenchmarkMain.line("hedging.extra_load_ratio", median(extra), 4, "ratio"));
  }

  /** One run on a new mesh over the backends, configured by {@code service}. */
  static OpenLoopLoad.Result run(OkHttpClient transport, Backends backends, Consumer<ServiceBuilder> service,
      OpenLoopLoad load) throws InterruptedException {
    return run(transport, backends, service, load, new Counter(e -> {}));
  }

  static OpenLoopLoad.Result run(OkHttpClient transport, Backends backends, Consumer<ServiceBuilder> service,
      OpenLoopLoad load, Counter counter) throws InterruptedException {
    try (MeshClient mesh = MeshClient.builder()
        .transport(transport)
        .eventListener(counter)
        .service(SERVICE, s -> {
          s.endpoints(backends.endpoints());
          service.accept(s);
        })
        .build()) {
      return load.run(mesh.httpClient(), new Request.Builder().url("http://" + SERVICE + "/work").build());
    }
  }

  /** Counts attempts after the first of each call (retries and hedges), and passes each attempt on. */
  static final class Counter implements MeshEventListener {
    final LongAdder retries = new LongAdder();
    private final Consumer<AttemptEvent> each;

    Counter(Consumer<AttemptEvent> each) {
      this.each = each;
    }

    @Override
    public void onAttemptEnd(AttemptEvent event) {
      if (event.attempt() > 0) {
        retries.increment();
      }
      each.accept(event);
    }
  }

  /** Three fresh fast backends, closed together. */
  static final class Backends implements AutoCloseable {
    final List<DelayedBackend> backends = new ArrayList<>();

    Backends(ExecutorService handlers, ScheduledExecutorService replies) throws IOException {
      for (int i = 0; i < BACKENDS; i++) {
        backends.add(DelayedBackend.start(i, DELAY, handlers, replies));
      }
    }

    List<Endpoint> endpoints() {
      return backends.stream().map(b -> Endpoint.of("127.0.0.1", b.port())).toList();
    }

    @Override
    public void close() {
      backends.forEach(DelayedBackend::close);
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return BenchmarkMain.median(sorted);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
