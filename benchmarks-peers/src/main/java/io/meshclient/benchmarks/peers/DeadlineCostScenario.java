package io.meshclient.benchmarks.peers;

import io.meshclient.api.TimeoutPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okio.AsyncTimeout;

/**
 * Where mesh-client's added latency at 1,000 calls/s comes from: the ways of bounding a call by a
 * deadline, each beside raw OkHttp in the peer benchmark's open loop. Every variant calls the same
 * four backends round robin (or, for the mesh, through its balancer) and bounds the call by 10 s
 * (the mesh's default deadline), which no call here comes near: what is measured is the cost of
 * keeping the bound, not of reaching it.
 *
 * <ul>
 *   <li>{@code raw}: no bound, the floor.
 *   <li>{@code call_timeout}: OkHttp's {@code callTimeout}, which carried the mesh's per-attempt
 *       timeout until it moved to the mesh's timer: an Okio {@code AsyncTimeout} in the watchdog's
 *       queue for the length of the call.
 *   <li>{@code async_timeout}: an Okio {@code AsyncTimeout} entered and exited around the call by
 *       hand, to tell Okio's part from OkHttp's.
 *   <li>{@code scheduled_cancel}: a {@code Call.cancel()} scheduled on a
 *       {@code ScheduledThreadPoolExecutor}, cancelled when the call ends: what the mesh does now.
 *   <li>{@code mesh}, and {@code mesh_no_deadline} with its deadline off ({@code timeout: 0}).
 * </ul>
 *
 * <p>{@code DeadlineCostScenario [-rounds N] [-quick]}: prints {@code RESULT deadline_cost.*} lines,
 * the added p50 and p99 of each variant over raw's in the same round, medians over rounds.
 */
public final class DeadlineCostScenario {
  static final List<String> VARIANTS =
      List.of("raw", "call_timeout", "async_timeout", "scheduled_cancel", "mesh", "mesh_no_deadline");
  private static final Duration BOUND = Contender.CALL_TIMEOUT;

  private DeadlineCostScenario() {}

  public static void main(String[] args) throws Exception {
    int rounds = 3;
    Duration warmup = Duration.ofSeconds(2);
    Duration measure = Duration.ofSeconds(8);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-rounds" -> rounds = PeersBenchmark.rounds(i + 1 < args.length ? args[++i] : "");
        case "-quick" -> {
          rounds = 1;
          measure = Duration.ofSeconds(2);
        }
        default -> throw new IllegalArgumentException("unknown argument: " + args[i] + " (expected: -rounds N, -quick)");
      }
    }
    try (Backends backends = Backends.childProcess(4)) {
      run(backends, rounds, 1000, warmup, measure).forEach(System.out::println);
    }
    System.exit(0);
  }

  /** Runs every variant at {@code rate} for {@code rounds} rounds, the order rotated each round; the RESULT lines. */
  static List<String> run(Backends backends, int rounds, int rate, Duration warmup, Duration measure) throws Exception {
    ExecutorService workers = Executors.newCachedThreadPool(r -> {
      Thread thread = new Thread(r, "deadline-cost-worker");
      thread.setDaemon(true);
      return thread;
    });
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread thread = new Thread(r, "deadline-cost-timer");
      thread.setDaemon(true);
      return thread;
    });
    timer.setRemoveOnCancelPolicy(true);
    Map<String, Contender> variants = variants(backends.ports(), timer);
    Map<String, List<Double>> added = new LinkedHashMap<>();
    try {
      Load load = new Load(Load.Clock.SYSTEM, workers, backends.ports().size());
      for (Contender variant : variants.values()) {
        for (int i = 0; i < 2_000; i++) {
          variant.call();
        }
      }
      for (int round = 0; round < rounds; round++) {
        Map<String, double[]> percentiles = new LinkedHashMap<>();
        for (int v = 0; v < VARIANTS.size(); v++) {
          String name = VARIANTS.get((v + round) % VARIANTS.size());
          Load.OpenLoopResult result = load.openLoop(variants.get(name), rate, warmup, measure, List.of());
          percentiles.put(name, new double[] {result.percentileMicros(50), result.percentileMicros(99)});
          System.out.printf(Locale.ROOT, "# round %d %-16s p50 %6.1f us  p99 %7.1f us  failed %d%n", round + 1, name,
              result.percentileMicros(50), result.percentileMicros(99), result.failed());
        }
        double[] raw = percentiles.get("raw");
        for (String name : VARIANTS.subList(1, VARIANTS.size())) {
          added.computeIfAbsent("added_p50_us." + name, n -> new ArrayList<>()).add(percentiles.get(name)[0] - raw[0]);
          added.computeIfAbsent("added_p99_us." + name, n -> new ArrayList<>()).add(percentiles.get(name)[1] - raw[1]);
        }
      }
    } finally {
      variants.values().forEach(Contender::close);
      timer.shutdownNow();
      workers.shutdownNow();
    }
    List<String> lines = new ArrayList<>();
    lines.add(PeerReport.line("deadline_cost.rounds", rounds, 0, "rounds"));
    lines.add(PeerReport.line("deadline_cost.rate", rate, 0, "calls/s"));
    for (Map.Entry<String, List<Double>> figure : added.entrySet()) {
      double[] sorted = figure.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
      lines.add(PeerReport.line("deadline_cost." + figure.getKey(), PeerReport.median(sorted), 1, "us"));
      if (sorted.length > 1) {
        lines.add(PeerReport.line("deadline_cost." + figure.getKey() + ".min", sorted[0], 1, "us"));
        lines.add(PeerReport.line("deadline_cost." + figure.getKey() + ".max", sorted[sorted.length - 1], 1, "us"));
      }
    }
    return lines;
  }

  private static Map<String, Contender> variants(List<Integer> ports, ScheduledThreadPoolExecutor timer) {
    Map<String, Contender> variants = new LinkedHashMap<>();
    variants.put("raw", OkHttpContender.raw(ports));
    OkHttpClient bounded = OkHttpContender.client().newBuilder().callTimeout(BOUND).build();
    variants.put("call_timeout", new OkHttpContender("call_timeout", bounded,
        ports.stream().map(OkHttpContender::url).toList(), ports.size()));
    variants.put("async_timeout", new RoundRobin("async_timeout", ports) {
      @Override
      public int call() throws IOException {
        AsyncTimeout timeout = new AsyncTimeout();
        timeout.timeout(BOUND.toNanos(), TimeUnit.NANOSECONDS);
        timeout.enter();
        try {
          return super.call();
        } finally {
          timeout.exit();
        }
      }
    });
    variants.put("scheduled_cancel", new RoundRobin("scheduled_cancel", ports) {
      @Override
      public int call() throws IOException {
        Call call = okHttp().newCall(nextRequest());
        ScheduledFuture<?> cancel = timer.schedule(call::cancel, BOUND.toNanos(), TimeUnit.NANOSECONDS);
        try {
          return OkHttpContender.call(call, backends());
        } finally {
          cancel.cancel(false);
        }
      }
    });
    variants.put("mesh", new MeshContender(ports));
    variants.put("mesh_no_deadline",
        new MeshContender("mesh_no_deadline", ports, TimeoutPolicy.builder().timeout(Duration.ZERO).build()));
    return variants;
  }

  /** Raw OkHttp's setup, for a variant that adds its own bound around the call. */
  private static class RoundRobin extends OkHttpContender {
    RoundRobin(String name, List<Integer> ports) {
      super(name, OkHttpContender.client(), ports.stream().map(OkHttpContender::url).toList(), ports.size());
    }
  }
}
