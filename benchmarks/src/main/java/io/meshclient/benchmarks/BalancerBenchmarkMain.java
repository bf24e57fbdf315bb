package io.meshclient.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link PickBenchmark} and {@link UpdateBenchmark} one fork per case, interleaved in rounds
 * (every other round in reverse order), then {@link PickPauseProbe} for each balancer, and prints
 * one {@code RESULT <name> <value> <unit>} line per figure (see the module's README for the names).
 * Each figure is the median over the rounds. {@code -quick} runs one short round, for smoke runs;
 * {@code -rounds N} sets the number of rounds (3 by default).
 *
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am -Pbench -DskipTests package \
 *     -Dbench.mainClass=io.meshclient.benchmarks.BalancerBenchmarkMain -Dbench.args=-quick
 * }</pre>
 *
 * <p>Not meant to be used from code; run it as a program.
 */
public final class BalancerBenchmarkMain {
  /** Rounds of a full run. */
  static final int ROUNDS = 3;
  /** The endpoint count at which {@link PickBenchmark#pickAndRecord()} runs. */
  static final int RECORD_SIZE = 100;
  /** The case that measures the per-call pick state alone (it does not depend on the balancer or the size). */
  static final Case PICK_STATE = new Case(PickBenchmark.class, "newPickState", "round_robin", 10);
  /** The balancers the pause probe runs with: all of them. */
  static final List<String> PROBE_STRATEGIES = PickBenchmark.STRATEGIES;

  private static final String ALLOC_NORM = "gc.alloc.rate.norm";

  private BalancerBenchmarkMain() {}

  /**
   * One fork to run: a benchmark method (or group) with its parameters.
   *
   * @param endpoints the endpoint count, or 0 for a benchmark without that parameter
   */
  record Case(Class<?> benchmark, String method, String strategy, int endpoints) {
    String key() {
      return method + ":" + strategy + ":" + endpoints;
    }
  }

  /** Runs the benchmarks and the probe; {@code -quick} for a short smoke run. */
  public static void main(String[] args) throws RunnerException, InterruptedException {
    boolean quick = false;
    Integer roundsAsked = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-quick")) {
        quick = true;
      } else if (arg.equals("-rounds") && i + 1 < args.length) {
        roundsAsked = BenchmarkMain.rounds(args[++i]);
      } else if (!arg.isBlank()) {
        throw new IllegalArgumentException("argument: " + arg + " (expected: -quick, -rounds N, or nothing)");
      }
    }
    int rounds = roundsAsked != null ? roundsAsked : quick ? 1 : ROUNDS;
    List<Map<String, RunResult>> byRound = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      List<Case> order = cases();
      if (round % 2 == 1) {
        Collections.reverse(order);
      }
      Map<String, RunResult> results = new HashMap<>();
      for (Case c : order) {
        results.put(c.key(), new Runner(options(c, quick).build()).runSingle());
      }
      byRound.add(results);
    }
    List<PickPauseProbe.Result> probes = new ArrayList<>();
    for (String strategy : PROBE_STRATEGIES) {
      System.out.println("# pause probe: " + strategy);
      probes.add(PickPauseProbe.run(strategy, UpdateBenchmark.SIZE,
          quick ? Duration.ofMillis(300) : Duration.ofSeconds(2), quick ? 10 : 50));
    }
    System.out.println();
    for (String line : resultLines(byRound, probes)) {
      System.out.println(line);
    }
  }

  /** Every fork of one round, in its forward order. */
  static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    for (String strategy : PickBenchmark.STRATEGIES) {
      for (int size : PickBenchmark.SIZES) {
        cases.add(new Case(PickBenchmark.class, "pick", strategy, size));
      }
    }
    for (String strategy : PickBenchmark.STRATEGIES) {
      cases.add(new Case(PickBenchmark.class, "pickAndRecord", strategy, RECORD_SIZE));
    }
    cases.add(PICK_STATE);
    for (String strategy : updateStrategies()) {
      cases.add(new Case(UpdateBenchmark.class, UpdateBenchmark.GROUP, strategy, 0));
    }
    return cases;
  }

  /** The balancers {@link UpdateBenchmark} declares. */
  static List<String> updateStrategies() {
    try {
      return List.of(UpdateBenchmark.class.getDeclaredField("strategy")
          .getAnnotation(org.openjdk.jmh.annotations.Param.class).value());
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException("UpdateBenchmark has no strategy parameter", e);
    }
  }

  /**
   * One fork of one case with the GC profiler. Warm-up and measurement come from the class's
   * annotations; {@code quick} shortens them to two short iterations each.
   */
  static ChainedOptionsBuilder options(Case c, boolean quick) {
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include("^" + Pattern.quote(c.benchmark().getName() + "." + c.method()) + "$")
        .param("strategy", c.strategy())
        .addProfiler(GCProfiler.class)
        .forks(1)
        .shouldFailOnError(true);
    if (c.endpoints() > 0) {
      options.param("endpoints", Integer.toString(c.endpoints()));
    }
    if (quick) {
      options.warmupIterations(2).warmupTime(TimeValue.milliseconds(200))
          .measurementIterations(2).measurementTime(TimeValue.milliseconds(200));
    }
    return options;
  }

  /** The RESULT lines, in a fixed order; the names are published, so keep them stable. */
  static List<String> resultLines(List<Map<String, RunResult>> rounds, List<PickPauseProbe.Result> probes) {
    List<String> lines = new ArrayList<>();
    lines.add(BenchmarkMain.line("pick.rounds", rounds.size(), 0, "rounds"));
    for (String strategy : PickBenchmark.STRATEGIES) {
      for (int size : PickBenchmark.SIZES) {
        Case c = new Case(PickBenchmark.class, "pick", strategy, size);
        String name = "pick." + strategy + ".n" + size;
        lines.add(BenchmarkMain.line(name + ".ns", median(rounds, r -> score(r, c, "ns/op")), 1, "ns/op"));
        lines.add(BenchmarkMain.line(name + ".alloc.bytes", median(rounds, r -> alloc(r, c)), 1, "B/op"));
      }
    }
    for (String strategy : PickBenchmark.STRATEGIES) {
      Case c = new Case(PickBenchmark.class, "pickAndRecord", strategy, RECORD_SIZE);
      String name = "pick_and_record." + strategy + ".n" + RECORD_SIZE;
      lines.add(BenchmarkMain.line(name + ".ns", median(rounds, r -> score(r, c, "ns/op")), 1, "ns/op"));
      lines.add(BenchmarkMain.line(name + ".alloc.bytes", median(rounds, r -> alloc(r, c)), 1, "B/op"));
    }
    lines.add(BenchmarkMain.line("pick.state.ns", median(rounds, r -> score(r, PICK_STATE, "ns/op")), 1, "ns/op"));
    lines.add(BenchmarkMain.line("pick.state.alloc.bytes", median(rounds, r -> alloc(r, PICK_STATE)), 1, "B/op"));
    String size = "n" + UpdateBenchmark.SIZE;
    Case defaultUpdate = new Case(UpdateBenchmark.class, UpdateBenchmark.GROUP, "peak_ewma", 0);
    double[] defaults = rounds.stream().mapToDouble(r -> groupScore(r, defaultUpdate, "update") / 1e6).sorted().toArray();
    lines.add(BenchmarkMain.line("update." + size + ".ms", BenchmarkMain.median(defaults), 3, "ms/op"));
    lines.add(BenchmarkMain.line("update." + size + ".ms.min", defaults[0], 3, "ms/op"));
    lines.add(BenchmarkMain.line("update." + size + ".ms.max", defaults[defaults.length - 1], 3, "ms/op"));
    for (String strategy : updateStrategies()) {
      Case c = new Case(UpdateBenchmark.class, UpdateBenchmark.GROUP, strategy, 0);
      String name = "update." + size + "." + strategy;
      lines.add(BenchmarkMain.line(name + ".ms", median(rounds, r -> groupScore(r, c, "update") / 1e6), 3, "ms/op"));
      lines.add(BenchmarkMain.line(name + ".pick.ns", median(rounds, r -> groupScore(r, c, "pick")), 1, "ns/op"));
    }
    for (PickPauseProbe.Result probe : probes) {
      String name = "update.n" + probe.size() + "." + probe.strategy();
      lines.add(BenchmarkMain.line(name + ".pick_max_gap.us", probe.updatingMaxGapNanos() / 1e3, 1, "us"));
      lines.add(BenchmarkMain.line(name + ".pick_max_gap_idle.us", probe.idleMaxGapNanos() / 1e3, 1, "us"));
      lines.add(BenchmarkMain.line(name + ".picks_during_updates", probe.updatingPicks(), 0, "picks"));
    }
    return lines;
  }

  private static double median(List<Map<String, RunResult>> rounds, ToDoubleFunction<Map<String, RunResult>> perRound) {
    return BenchmarkMain.median(rounds.stream().mapToDouble(perRound).sorted().toArray());
  }

  private static double score(Map<String, RunResult> round, Case c, String unit) {
    Result<?> result = run(round, c).getPrimaryResult();
    return checked(result, c, unit);
  }

  /** The score of one method of a JMH group, which JMH reports as a secondary result under the method's name. */
  private static double groupScore(Map<String, RunResult> round, Case c, String method) {
    Result<?> result = run(round, c).getSecondaryResults().get(method);
    if (result == null) {
      throw new IllegalStateException("no result for " + method + " in " + c.key() + " (got: "
          + run(round, c).getSecondaryResults().keySet() + ")");
    }
    return checked(result, c, "ns/op");
  }

  private static double checked(Result<?> result, Case c, String unit) {
    if (!result.getScoreUnit().equals(unit)) {
      throw new IllegalStateException(c.key() + " is in " + result.getScoreUnit() + " (expected: " + unit + ")");
    }
    return result.getScore();
  }

  private static double alloc(Map<String, RunResult> round, Case c) {
    var secondary = run(round, c).getSecondaryResults();
    for (String label : secondary.keySet()) {
      if (label.endsWith(ALLOC_NORM)) {
        return secondary.get(label).getScore();
      }
    }
    throw new IllegalStateException("no " + ALLOC_NORM + " for " + c.key() + " (is the GC profiler on?)");
  }

  private static RunResult run(Map<String, RunResult> round, Case c) {
    RunResult result = round.get(c.key());
    if (result == null) {
      throw new IllegalStateException("no result for " + c.key() + " (got: " + round.keySet() + ")");
    }
    return result;
  }
}
