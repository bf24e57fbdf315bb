package io.meshclient.testkit;

import static java.util.Objects.requireNonNull;

import io.meshclient.api.MeshConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What happened in one simulation run: how requests ended and how long the successful ones took,
 * where attempts went (per backend, in total and per time bucket), the events (ejections,
 * readmissions, breaker changes, discovery changes, panic), and — if asked for — every attempt.
 *
 * <pre>{@code
 * SimulationResult r = simulation.run();
 * double slowShare = r.share("slow", Duration.ofSeconds(5), r.duration());
 * Duration p99 = r.latency(99);
 * r.events(SimulationEvent.Type.EJECTED).forEach(System.out::println);
 * System.out.println(r); // a summary table
 * }</pre>
 *
 * <p>Shares count attempts (retries included) by the time they were sent. Immutable and
 * thread-safe.
 */
public final class SimulationResult {
  /** How a request ended, after all its attempts. */
  public enum RequestOutcome {
    /** The last attempt got a response below 500. */
    OK,
    /** The last attempt got a 5xx response. */
    SERVER_ERROR,
    /** The last attempt's connection failed. */
    CONNECT_FAILURE,
    /** The last attempt timed out, or the request's deadline passed. */
    TIMEOUT,
    /** The mesh had no endpoint to offer (none healthy, or every breaker open). */
    NO_ENDPOINT,
    /** Still waiting when the run ended (possible only without timeouts). */
    UNFINISHED
  }

  private final long seed;
  private final long durationNanos;
  private final long bucketNanos;
  private final long endNanos;
  private final Map<String, BackendResult> backends;
  private final long[] outcomes;
  private final Histogram latency;
  private final List<SimulationEvent> events;
  private final int maxEjected;
  private final long picks;
  private final long crossZonePicks;
  private final List<AttemptRecord> attemptLog;
  private final long fingerprint;
  private final long[] totalPerBucket;
  private final List<String> names;

  SimulationResult(Simulation sim, long endNanos, Map<String, BackendResult> backends, long[] outcomes,
      Histogram latency, List<SimulationEvent> events, int maxEjected, long picks, long crossZonePicks,
      List<AttemptRecord> attemptLog, long fingerprint) {
    this.seed = sim.seed;
    this.durationNanos = sim.durationNanos;
    this.bucketNanos = sim.bucketNanos;
    this.endNanos = endNanos;
    this.backends = Map.copyOf(backends);
    this.outcomes = outcomes;
    this.latency = latency;
    this.events = events;
    this.maxEjected = maxEjected;
    this.picks = picks;
    this.crossZonePicks = crossZonePicks;
    this.attemptLog = attemptLog;
    this.fingerprint = fingerprint;
    int buckets = backends.values().iterator().next().attemptsPerBucket().length;
    this.totalPerBucket = new long[buckets];
    for (BackendResult b : backends.values()) {
      for (int i = 0; i < buckets; i++) {
        totalPerBucket[i] += b.attemptsIn(i);
      }
    }
    this.names = List.copyOf(backends.keySet());
  }

  /** The seed of the run. */
  public long seed() {
    return seed;
  }

  /** How long requests arrived, in virtual time. */
  public Duration duration() {
    return Duration.ofNanos(durationNanos);
  }

  /** The virtual time the last request ended (at or after {@link #duration()}). */
  public Duration end() {
    return Duration.ofNanos(endNanos);
  }

  /** The width of a time bucket. */
  public Duration bucketWidth() {
    return Duration.ofNanos(bucketNanos);
  }

  /** The number of time buckets counted (they cover the run, the requests that ended after its duration included). */
  public int bucketCount() {
    return totalPerBucket.length;
  }

  /** Requests that arrived. */
  public long requests() {
    long sum = 0;
    for (long n : outcomes) {
      sum += n;
    }
    return sum;
  }

  /** Requests that ended as {@code outcome}. */
  public long count(RequestOutcome outcome) {
    return outcomes[outcome.ordinal()];
  }

  /** Requests whose last attempt got a response below 500. */
  public long succeeded() {
    return count(RequestOutcome.OK);
  }

  /** Requests that ended in any other way than {@link RequestOutcome#OK} or {@link RequestOutcome#UNFINISHED}. */
  public long failed() {
    return requests() - succeeded() - count(RequestOutcome.UNFINISHED);
  }

  /** Attempts sent, retries included. */
  public long attempts() {
    long sum = 0;
    for (long n : totalPerBucket) {
      sum += n;
    }
    return sum;
  }

  /** The backends' names, in the order they were declared. */
  public List<String> backendNames() {
    return names;
  }

  /**
   * The results of backend {@code name}.
   *
   * @throws MeshConfigException if there is no backend of that name
   */
  public BackendResult backend(String name) {
    BackendResult b = backends.get(requireNonNull(name, "name"));
    if (b == null) {
      throw new MeshConfigException("backend", name, "one of " + names);
    }
    return b;
  }

  /** Attempts sent in each time bucket, over all backends; a copy. */
  public long[] attemptsPerBucket() {
    return totalPerBucket.clone();
  }

  /** The share (0..1) of all attempts that went to backend {@code name}. */
  public double share(String name) {
    long total = attempts();
    return total == 0 ? 0 : (double) backend(name).attempts() / total;
  }

  /**
   * The share (0..1) of attempts sent from {@code from} (inclusive) to {@code to} (exclusive) that
   * went to backend {@code name}, counted in whole buckets: those that start in that span.
   */
  public double share(String name, Duration from, Duration to) {
    BackendResult b = backend(name);
    int first = firstBucket(from);
    int last = lastBucket(from, to);
    long mine = 0;
    long all = 0;
    for (int i = first; i < last; i++) {
      mine += b.attemptsIn(i);
      all += totalPerBucket[i];
    }
    return all == 0 ? 0 : (double) mine / all;
  }

  /** The share (0..1) of each bucket's attempts that went to backend {@code name}; 0 for a bucket without attempts. */
  public double[] sharePerBucket(String name) {
    BackendResult b = backend(name);
    double[] shares = new double[totalPerBucket.length];
    for (int i = 0; i < shares.length; i++) {
      shares[i] = totalPerBucket[i] == 0 ? 0 : (double) b.attemptsIn(i) / totalPerBucket[i];
    }
    return shares;
  }

  /** The share (0..1) of attempts sent from {@code from} to {@code to} that went to backends in {@code zone}. */
  public double zoneShare(String zone, Duration from, Duration to) {
    requireNonNull(zone, "zone");
    int first = firstBucket(from);
    int last = lastBucket(from, to);
    long mine = 0;
    long all = 0;
    for (int i = first; i < last; i++) {
      for (BackendResult b : backends.values()) {
        if (zone.equals(b.zone())) {
          mine += b.attemptsIn(i);
        }
      }
      all += totalPerBucket[i];
    }
    return all == 0 ? 0 : (double) mine / all;
  }

  private int firstBucket(Duration from) {
    if (from.isNegative()) {
      throw new MeshConfigException("from", from, ">= 0s");
    }
    return (int) Math.min(Integer.MAX_VALUE, (from.toNanos() + bucketNanos - 1) / bucketNanos);
  }

  private int lastBucket(Duration from, Duration to) {
    if (to.compareTo(from) <= 0) {
      throw new MeshConfigException("to", to, "> from (" + from + ")");
    }
    return (int) Math.min(totalPerBucket.length, (to.toNanos() + bucketNanos - 1) / bucketNanos);
  }

  /** The share (0..1) of picks, over the whole run, that went to another zone than the caller's. */
  public double crossZoneShare() {
    return picks == 0 ? 0 : (double) crossZonePicks / picks;
  }

  /**
   * The latency of successful requests (arrival to final response, retries and backoff included)
   * at {@code percentile} (0..100), to HdrHistogram's 3 significant digits; zero if none succeeded.
   */
  public Duration latency(double percentile) {
    if (!(percentile >= 0 && percentile <= 100)) {
      throw new MeshConfigException("percentile", percentile, "0..100");
    }
    return Duration.ofNanos(latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile));
  }

  /** The mean latency of successful requests; zero if none succeeded. */
  public Duration meanLatency() {
    return Duration.ofNanos(latency.getTotalCount() == 0 ? 0 : (long) latency.getMean());
  }

  /** Every event, in the order it happened. */
  public List<SimulationEvent> events() {
    return events;
  }

  /** The events of {@code type}, in the order they happened. */
  public List<SimulationEvent> events(SimulationEvent.Type type) {
    return events.stream().filter(e -> e.type() == type).toList();
  }

  /** The most endpoints that were ejected at the same time, counted at every ejection. */
  public int maxEjectedAtOnce() {
    return maxEjected;
  }

  /** Every attempt in the order it ended, if the simulation traced attempts; else empty. */
  public List<AttemptRecord> attemptLog() {
    return attemptLog;
  }

  /**
   * A 64-bit digest of every attempt (when, where, how it ended), every request's end and every
   * event, in order: equal for runs that went the same way, different (all but certainly) for
   * runs that did not.
   */
  public long fingerprint() {
    return fingerprint;
  }

  /** A summary: requests by outcome, latency percentiles, and each backend's attempts, share and failures. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "seed %d, %s of arrivals: %d requests, %d ok, %d failed",
        seed, duration(), requests(), succeeded(), failed()));
    for (RequestOutcome o : RequestOutcome.values()) {
      if (o != RequestOutcome.OK && count(o) > 0) {
        s.append(", ").append(count(o)).append(' ').append(o.name().toLowerCase(Locale.ROOT));
      }
    }
    s.append(String.format(Locale.ROOT, "%nlatency of successful requests: p50 %s, p99 %s, p99.9 %s, max %s%n",
        millis(latency(50)), millis(latency(99)), millis(latency(99.9)), millis(latency(100))));
    s.append(String.format(Locale.ROOT, "%-16s %10s %7s %8s %8s %8s%n", "backend", "attempts", "share", "5xx",
        "refused", "timeout"));
    for (String name : names) {
      BackendResult b = backends.get(name);
      s.append(String.format(Locale.ROOT, "%-16s %10d %6.2f%% %8d %8d %8d%n", name, b.attempts(), share(name) * 100,
          b.serverErrors(), b.connectFailures(), b.timeouts()));
    }
    s.append(events.size()).append(" events, at most ").append(maxEjected).append(" ejected at once");
    return s.toString();
  }

  private static String millis(Duration d) {
    return String.format(Locale.ROOT, "%.2f ms", d.toNanos() / 1e6);
  }
}
