package io.meshclient.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
 * Runs {@link PipelineBenchmark} and {@link LoopbackBenchmark} interleaved, then prints one
 * {@code RESULT <name> <value> <unit>} line per figure (see the module's README for the names).
 *
 * <p>JMH runs every fork of one method before the next method, so machine drift would land on one
 * side of a comparison. This runner interleaves instead: in each round every method gets one fork,
 * and every other round runs them in reverse order (A B, B A, A B, ...). A comparison is computed
 * per round from the two forks of that round, and reported as the median over the rounds with its
 * minimum and maximum. {@code -quick} runs one short round, for smoke runs; {@code -rounds N}
 * sets the number of rounds (3 by default) for a steadier median on a noisy machine.
 *
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am -Pbench -DskipTests package
 * mvn -B -q -pl benchmarks -am -Pbench -DskipTests package -Dbench.args=-quick
 * }</pre>
 *
 * <p>Not meant to be used from code; run it as a program.
 */
public final class BenchmarkMain {
  /** Rounds of a full run. */
  static final int ROUNDS = 3;

  static final List<String> PIPELINE_METHODS = List.of("baseline", "baselineWithCallTimeout", "mesh", "meshWithoutDeadline",
      "meshObserved");
  static final List<String> LOOPBACK_METHODS = List.of("raw", "rawWithCallTimeout", "mesh");

  private static final String ALLOC_NORM = "gc.alloc.rate.norm";

  private BenchmarkMain() {}

  /** Runs the benchmarks; {@code -quick} for a short smoke run. */
  public static void main(String[] args) throws RunnerException {
    boolean quick = false;
    Integer roundsAsked = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-quick")) {
        quick = true;
      } else if (arg.equals("-rounds") && i + 1 < args.length) {
        roundsAsked = rounds(args[++i]);
      } else if (!arg.isBlank()) {
        throw new IllegalArgumentException("argument: " + arg + " (expected: -quick, -rounds N, or nothing)");
      }
    }
    int rounds = roundsAsked != null ? roundsAsked : quick ? 1 : ROUNDS;
    List<Map<String, RunResult>> byRound = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      Map<String, RunResult> results = new HashMap<>();
      runRound(PipelineBenchmark.class, PIPELINE_METHODS, round, quick, results);
      runRound(LoopbackBenchmark.class, LOOPBACK_METHODS, round, quick, results);
      byRound.add(results);
    }
    System.out.println();
    for (String line : resultLines(byRound)) {
      System.out.println(line);
    }
  }

  static int rounds(String value) {
    try {
      int rounds = Integer.parseInt(value);
      if (rounds >= 1) {
        return rounds;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("-rounds: " + value + " (expected: a whole number >= 1)");
  }

  private static void runRound(Class<?> benchmarkClass, List<String> methods, int round, boolean quick,
      Map<String, RunResult> results) throws RunnerException {
    List<String> order = new ArrayList<>(methods);
    if (round % 2 == 1) {
      Collections.reverse(order);
    }
    for (String method : order) {
      results.put(method(benchmarkClass, method), new Runner(options(benchmarkClass, method, quick).build()).runSingle());
    }
  }

  /**
   * One fork of one benchmark method with the GC profiler. Warm-up and measurement come from the
   * class's annotations; {@code quick} shortens them to a few short iterations.
   */
  static ChainedOptionsBuilder options(Class<?> benchmarkClass, String method, boolean quick) {
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include("^" + Pattern.quote(method(benchmarkClass, method)) + "$")
        .addProfiler(GCProfiler.class)
        .forks(1)
        .threads(1)
        .shouldFailOnError(true);
    if (quick) {
      options.warmupIterations(3).warmupTime(TimeValue.milliseconds(500))
          .measurementIterations(3).measurementTime(TimeValue.milliseconds(500));
    }
    return options;
  }

  private static String method(Class<?> benchmarkClass, String method) {
    return benchmarkClass.getName() + "." + method;
  }

  /** The RESULT lines, in a fixed order; the names are published, so keep them stable. */
  static List<String> resultLines(List<Map<String, RunResult>> rounds) {
    List<String> lines = new ArrayList<>();
    lines.add(line("bench.rounds", rounds.size(), 0, "rounds"));

    Figures pipeline = new Figures(rounds, PipelineBenchmark.class, "ns/op");
    withSpread(lines, "pipeline.overhead.ns", rounds, r -> pipeline.score(r, "mesh") - pipeline.score(r, "baseline"), 1, "ns/op");
    withSpread(lines, "pipeline.alloc.bytes", rounds, r -> pipeline.alloc(r, "mesh") - pipeline.alloc(r, "baseline"), 1, "B/op");
    withSpread(lines, "pipeline.nodeadline.overhead.ns", rounds,
        r -> pipeline.score(r, "meshWithoutDeadline") - pipeline.score(r, "baseline"), 1, "ns/op");
    withSpread(lines, "pipeline.calltimeout.overhead.ns", rounds,
        r -> pipeline.score(r, "mesh") - pipeline.score(r, "baselineWithCallTimeout"), 1, "ns/op");
    lines.add(line("pipeline.nodeadline.alloc.bytes",
        median(rounds, r -> pipeline.alloc(r, "meshWithoutDeadline") - pipeline.alloc(r, "baseline")), 1, "B/op"));
    lines.add(line("pipeline.baseline.ns", median(rounds, r -> pipeline.score(r, "baseline")), 1, "ns/op"));
    lines.add(line("pipeline.mesh.ns", median(rounds, r -> pipeline.score(r, "mesh")), 1, "ns/op"));
    lines.add(line("pipeline.nodeadline.ns", median(rounds, r -> pipeline.score(r, "meshWithoutDeadline")), 1, "ns/op"));
    lines.add(line("pipeline.calltimeout.baseline.ns", median(rounds, r -> pipeline.score(r, "baselineWithCallTimeout")), 1, "ns/op"));
    lines.add(line("pipeline.baseline.alloc.bytes", median(rounds, r -> pipeline.alloc(r, "baseline")), 1, "B/op"));
    lines.add(line("pipeline.mesh.alloc.bytes", median(rounds, r -> pipeline.alloc(r, "mesh")), 1, "B/op"));
    withSpread(lines, "pipeline.observed.overhead.ns", rounds,
        r -> pipeline.score(r, "meshObserved") - pipeline.score(r, "baseline"), 1, "ns/op");
    withSpread(lines, "pipeline.observed.alloc.bytes", rounds,
        r -> pipeline.alloc(r, "meshObserved") - pipeline.alloc(r, "baseline"), 1, "B/op");
    lines.add(line("pipeline.observed.ns", median(rounds, r -> pipeline.score(r, "meshObserved")), 1, "ns/op"));

    Figures loopback = new Figures(rounds, LoopbackBenchmark.class, "us/op");
    withSpread(lines, "loopback.ratio", rounds, r -> loopback.score(r, "mesh") / loopback.score(r, "raw"), 3, "x");
    withSpread(lines, "loopback.overhead.us", rounds, r -> loopback.score(r, "mesh") - loopback.score(r, "raw"), 3, "us/op");
    withSpread(lines, "loopback.calltimeout.ratio", rounds,
        r -> loopback.score(r, "mesh") / loopback.score(r, "rawWithCallTimeout"), 3, "x");
    lines.add(line("loopback.raw.us", median(rounds, r -> loopback.score(r, "raw")), 3, "us/op"));
    lines.add(line("loopback.calltimeout.raw.us", median(rounds, r -> loopback.score(r, "rawWithCallTimeout")), 3, "us/op"));
    lines.add(line("loopback.mesh.us", median(rounds, r -> loopback.score(r, "mesh")), 3, "us/op"));
    lines.add(line("loopback.raw.alloc.bytes", median(rounds, r -> loopback.alloc(r, "raw")), 1, "B/op"));
    lines.add(line("loopback.mesh.alloc.bytes", median(rounds, r -> loopback.alloc(r, "mesh")), 1, "B/op"));
    return lines;
  }

  /** The median over the rounds, then {@code .min} and {@code .max}. */
  private static void withSpread(List<String> lines, String name, List<Map<String, RunResult>> rounds,
      ToDoubleFunction<Map<String, RunResult>> perRound, int decimals, String unit) {
    double[] values = rounds.stream().mapToDouble(perRound).sorted().toArray();
    lines.add(line(name, median(values), decimals, unit));
    lines.add(line(name + ".min", values[0], decimals, unit));
    lines.add(line(name + ".max", values[values.length - 1], decimals, unit));
  }

  private static double median(List<Map<String, RunResult>> rounds, ToDoubleFunction<Map<String, RunResult>> perRound) {
    return median(rounds.stream().mapToDouble(perRound).sorted().toArray());
  }

  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  static String line(String name, double value, int decimals, String unit) {
    if (!Double.isFinite(value)) {
      throw new IllegalStateException(name + ": " + value + " (expected: a finite number)");
    }
    return String.format(Locale.ROOT, "RESULT %s %." + decimals + "f %s", name, value, unit);
  }

  /** Reads one benchmark class's scores and allocations out of a round. */
  private record Figures(List<Map<String, RunResult>> rounds, Class<?> benchmarkClass, String unit) {
    double score(Map<String, RunResult> round, String method) {
      Result<?> result = run(round, method).getPrimaryResult();
      if (!result.getScoreUnit().equals(unit)) {
        throw new IllegalStateException(benchmarkClass.getSimpleName() + "." + method + " is in "
            + result.getScoreUnit() + " (expected: " + unit + ")");
      }
      return result.getScore();
    }

    double alloc(Map<String, RunResult> round, String method) {
      // Older JMH versions prefix secondary result labels with a separator character.
      var secondary = run(round, method).getSecondaryResults();
      for (String label : secondary.keySet()) {
        if (label.endsWith(ALLOC_NORM)) {
          return secondary.get(label).getScore();
        }
      }
      throw new IllegalStateException("no " + ALLOC_NORM + " for " + benchmarkClass.getSimpleName() + "." + method
          + " (is the GC profiler on?)");
    }

    private RunResult run(Map<String, RunResult> round, String method) {
      RunResult result = round.get(method(benchmarkClass, method));
      if (result == null) {
        throw new IllegalStateException("no result for " + method(benchmarkClass, method) + " (got: " + round.keySet() + ")");
      }
      return result;
    }
  }
}
