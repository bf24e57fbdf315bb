package io.meshclient.examples;

import io.meshclient.core.MeshSnapshot;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Prints what the demo sees: after each second a table with one row per endpoint, and at the end
 * the {@link DemoSummary}. Requests, errors and latency percentiles in a table are over the
 * second just ended (time to response headers, per attempt); the breaker column is the state at
 * printing time, from {@link io.meshclient.core.MeshClient#snapshot()}, and the changes column
 * lists the states the breaker went through during that second.
 *
 * <p>Not thread-safe: one thread prints.
 */
final class EndpointTable {
  private static final String ROW = "%-21s %-8s %9s %7s %8s %8s  %-9s  %s";
  private static final String TOTAL_ROW = "%-21s %-8s %9s %7s %8s %8s %8s %7s  %s";

  /** The first line of every table. */
  static final String HEADER =
      format(ROW, "endpoint", "role", "requests", "errors", "p50 ms", "p99 ms", "breaker", "breaker changes");

  /** The first line of the per-endpoint totals in the summary. */
  static final String TOTALS_HEADER =
      format(TOTAL_ROW, "endpoint", "role", "requests", "errors", "error %", "mean ms", "max ms", "opened", "breaker");

  private final PrintStream out;
  private final String service;
  private final AttemptRecorder recorder;
  private final CallerTraffic traffic;
  private final Supplier<MeshSnapshot> snapshots;
  private long callsBefore;
  private long failedBefore;

  EndpointTable(PrintStream out, String service, AttemptRecorder recorder, CallerTraffic traffic,
      Supplier<MeshSnapshot> snapshots) {
    this.out = out;
    this.service = service;
    this.recorder = recorder;
    this.traffic = traffic;
    this.snapshots = snapshots;
  }

  /** Prints the table of the {@code window} that ends {@code elapsed} after the start. */
  void printSecond(Duration elapsed, Duration window) {
    MeshSnapshot snapshot = snapshots.get();
    out.println();
    out.println("t=" + seconds(elapsed) + "  (requests, errors, p50/p99: the last " + seconds(window)
        + "; breaker: now)");
    // Every figure is read before anything is printed, so that rows and callers line agree.
    List<EndpointCounters> endpoints = recorder.endpoints();
    List<EndpointCounters.Second> seconds = endpoints.stream().map(EndpointCounters::roll).toList();
    long calls = traffic.calls();
    long failed = calls - traffic.succeeded();
    long attempts = recorder.attempts();
    long retries = recorder.retries();
    out.println(HEADER);
    for (int i = 0; i < endpoints.size(); i++) {
      EndpointCounters endpoint = endpoints.get(i);
      EndpointCounters.Second second = seconds.get(i);
      out.println(format(ROW, endpoint.endpoint().address(), endpoint.role(), count(second.requests()),
          count(second.errors()), millis(second.p50()), millis(second.p99()),
          AttemptRecorder.breakerState(snapshot, service, endpoint.endpoint().id()),
          second.breakerPath().isEmpty() ? "-" : String.join(" > ", second.breakerPath())));
    }
    out.println(format("callers: %s calls in the last %s, %s failed | so far %s calls, %s failed, %s attempts, %s retries",
        count(calls - callsBefore), seconds(window), count(failed - failedBefore), count(calls), count(failed),
        count(attempts), count(retries)));
    callsBefore = calls;
    failedBefore = failed;
    out.flush();
  }

  /** Prints the summary of the run. */
  void printSummary(DemoSummary summary) {
    out.println();
    out.println("summary: " + seconds(summary.duration()) + " of traffic to service " + service);
    out.println(format("  calls made by the caller      %12s", count(summary.calls())));
    out.println(format("  succeeded (caller's view)     %12s  (%s)", count(summary.succeeded()),
        percent(summary.calls() == 0 ? 0 : (double) summary.succeeded() / summary.calls())));
    out.println(format("  failed (caller's view)        %12s  (%s)", count(summary.failed()),
        percent(summary.failureShare())));
    for (Map.Entry<String, Long> failure : summary.failures().entrySet()) {
      out.println(format("    %-26s  %12s", failure.getKey(), count(failure.getValue())));
    }
    out.println(format("  attempts by the mesh          %12s", count(summary.attempts())));
    out.println(format("  retries among them            %12s", count(summary.retries())));
    out.println(format("  mean call latency             %12s ms", millis(summary.meanCallLatency())));
    out.println();
    out.println(TOTALS_HEADER);
    for (DemoSummary.EndpointTotal endpoint : summary.endpoints()) {
      out.println(format(TOTAL_ROW, endpoint.address(), endpoint.role(), count(endpoint.requests()),
          count(endpoint.errors()), format("%.2f", 100 * endpoint.errorShare()), millis(endpoint.meanLatency()),
          millis(endpoint.maxLatency()), count(endpoint.breakerOpenings()), endpoint.breaker()));
    }
    out.println("(requests, errors and latencies per attempt, from the mesh's events; opened: how often the"
        + " breaker was seen to open)");
    out.flush();
  }

  static String seconds(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : format("%.1f s", millis / 1000.0);
  }

  private static String millis(@Nullable Duration duration) {
    return duration == null ? "-" : format("%.1f", duration.toNanos() / 1e6);
  }

  private static String count(long count) {
    return format("%,d", count);
  }

  private static String percent(double share) {
    return format("%.2f %%", 100 * share);
  }

  private static String format(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
