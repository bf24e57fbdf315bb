package io.meshclient.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * Runs {@link PipelineBenchmark} and {@link LoopbackBenchmark} in one JMH run with the GC
 * profiler, then prints one {@code RESULT <name> <value> <unit>} line per figure (see the module's
 * README for the names). {@code -quick} runs far fewer, shorter iterations, for smoke runs.
 *
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am -Pbench -DskipTests package
 * mvn -B -q -pl benchmarks -am -Pbench -DskipTests package -Dbench.args=-quick
 * }</pre>
 *
 * <p>Not meant to be used from code; run it as a program.
 */
public final class BenchmarkMain {
  private static final String ALLOC_NORM = "gc.alloc.rate.norm";

  private BenchmarkMain() {}

  /** Runs the benchmarks; {@code -quick} for a short smoke run. */
  public static void main(String[] args) throws RunnerException {
    boolean quick = false;
    for (String arg : args) {
      if (arg.equals("-quick")) {
        quick = true;
      } else if (!arg.isBlank()) {
        throw new IllegalArgumentException("argument: " + arg + " (expected: -quick or nothing)");
      }
    }
    Collection<RunResult> results = new Runner(options(quick).build()).run();
    System.out.println();
    for (String line : resultLines(byBenchmark(results))) {
      System.out.println(line);
    }
  }

  /**
   * The run: both benchmark classes with the GC profiler. Forks, warm-up and measurement come from
   * the classes' annotations (about 2.5 minutes in all on 2 cores); {@code quick} overrides them
   * with one fork of a few short iterations.
   */
  static ChainedOptionsBuilder options(boolean quick) {
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include(benchmarksOf(PipelineBenchmark.class))
        .include(benchmarksOf(LoopbackBenchmark.class))
        .addProfiler(GCProfiler.class)
        .threads(1)
        .shouldFailOnError(true);
    if (quick) {
      options.forks(1)
          .warmupIterations(3).warmupTime(TimeValue.milliseconds(500))
          .measurementIterations(3).measurementTime(TimeValue.milliseconds(500));
    }
    return options;
  }

  private static String benchmarksOf(Class<?> benchmarkClass) {
    return "^" + Pattern.quote(benchmarkClass.getName() + ".");
  }

  private static Map<String, RunResult> byBenchmark(Collection<RunResult> results) {
    Map<String, RunResult> map = new HashMap<>();
    for (RunResult result : results) {
      map.put(result.getParams().getBenchmark(), result);
    }
    return map;
  }

  /** The RESULT lines, in a fixed order; the names are published, so keep them stable. */
  static List<String> resultLines(Map<String, RunResult> results) {
    List<String> lines = new ArrayList<>();

    Result<?> baseline = primary(results, PipelineBenchmark.class, "baseline", "ns/op");
    Result<?> mesh = primary(results, PipelineBenchmark.class, "mesh", "ns/op");
    Result<?> baselineAlloc = allocation(results, PipelineBenchmark.class, "baseline");
    Result<?> meshAlloc = allocation(results, PipelineBenchmark.class, "mesh");
    lines.add(line("pipeline.overhead.ns", mesh.getScore() - baseline.getScore(), 1, "ns/op"));
    lines.add(line("pipeline.alloc.bytes", meshAlloc.getScore() - baselineAlloc.getScore(), 1, "B/op"));
    addWithError(lines, "pipeline.baseline.ns", baseline, 1, "ns/op");
    addWithError(lines, "pipeline.mesh.ns", mesh, 1, "ns/op");
    addWithError(lines, "pipeline.baseline.alloc.bytes", baselineAlloc, 1, "B/op");
    addWithError(lines, "pipeline.mesh.alloc.bytes", meshAlloc, 1, "B/op");
    Result<?> noDeadline = primary(results, PipelineBenchmark.class, "meshWithoutDeadline", "ns/op");
    Result<?> noDeadlineAlloc = allocation(results, PipelineBenchmark.class, "meshWithoutDeadline");
    lines.add(line("pipeline.nodeadline.overhead.ns", noDeadline.getScore() - baseline.getScore(), 1, "ns/op"));
    lines.add(line("pipeline.nodeadline.alloc.bytes", noDeadlineAlloc.getScore() - baselineAlloc.getScore(), 1, "B/op"));
    addWithError(lines, "pipeline.nodeadline.ns", noDeadline, 1, "ns/op");
    Result<?> timedBaseline = primary(results, PipelineBenchmark.class, "baselineWithCallTimeout", "ns/op");
    lines.add(line("pipeline.calltimeout.overhead.ns", mesh.getScore() - timedBaseline.getScore(), 1, "ns/op"));
    addWithError(lines, "pipeline.calltimeout.baseline.ns", timedBaseline, 1, "ns/op");

    Result<?> raw = primary(results, LoopbackBenchmark.class, "raw", "us/op");
    Result<?> meshLoopback = primary(results, LoopbackBenchmark.class, "mesh", "us/op");
    lines.add(line("loopback.ratio", meshLoopback.getScore() / raw.getScore(), 3, "x"));
    lines.add(line("loopback.overhead.us", meshLoopback.getScore() - raw.getScore(), 3, "us/op"));
    addWithError(lines, "loopback.raw.us", raw, 3, "us/op");
    addWithError(lines, "loopback.mesh.us", meshLoopback, 3, "us/op");
    addWithError(lines, "loopback.raw.alloc.bytes", allocation(results, LoopbackBenchmark.class, "raw"), 1, "B/op");
    addWithError(lines, "loopback.mesh.alloc.bytes", allocation(results, LoopbackBenchmark.class, "mesh"), 1, "B/op");
    return lines;
  }

  private static RunResult run(Map<String, RunResult> results, Class<?> benchmarkClass, String method) {
    String name = benchmarkClass.getName() + "." + method;
    RunResult result = results.get(name);
    if (result == null) {
      throw new IllegalStateException("no result for " + name + " (got: " + results.keySet() + ")");
    }
    return result;
  }

  private static Result<?> primary(Map<String, RunResult> results, Class<?> benchmarkClass, String method, String unit) {
    Result<?> result = run(results, benchmarkClass, method).getPrimaryResult();
    if (!result.getScoreUnit().equals(unit)) {
      throw new IllegalStateException(benchmarkClass.getSimpleName() + "." + method + " is in "
          + result.getScoreUnit() + " (expected: " + unit + ")");
    }
    return result;
  }

  private static Result<?> allocation(Map<String, RunResult> results, Class<?> benchmarkClass, String method) {
    // Older JMH versions prefix secondary result labels with a separator character.
    var secondary = run(results, benchmarkClass, method).getSecondaryResults();
    for (String label : secondary.keySet()) {
      if (label.endsWith(ALLOC_NORM)) {
        return secondary.get(label);
      }
    }
    throw new IllegalStateException("no " + ALLOC_NORM + " for " + benchmarkClass.getSimpleName() + "." + method
        + " (is the GC profiler on?)");
  }

  private static void addWithError(List<String> lines, String name, Result<?> result, int decimals, String unit) {
    lines.add(line(name, result.getScore(), decimals, unit));
    double error = result.getScoreError();
    if (Double.isFinite(error)) {
      lines.add(line(name + ".error", error, decimals, unit));
    }
  }

  private static String line(String name, double value, int decimals, String unit) {
    if (!Double.isFinite(value)) {
      throw new IllegalStateException(name + ": " + value + " (expected: a finite number)");
    }
    return String.format(Locale.ROOT, "RESULT %s %." + decimals + "f %s", name, value, unit);
  }
}
