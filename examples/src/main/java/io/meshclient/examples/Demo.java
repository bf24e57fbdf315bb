package io.meshclient.examples;

import static java.util.Objects.requireNonNull;

import io.meshclient.api.CircuitBreakerPolicy;
import io.meshclient.api.LoadBalancingPolicy;
import io.meshclient.api.OutlierDetectionPolicy;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.ServicePolicy;
import io.meshclient.api.TimeoutPolicy;
import io.meshclient.core.MeshClient;
import io.meshclient.examples.DemoBackend.Role;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The mesh at work in one command. Starts three local instances of a small HTTP service (one
 * healthy, one slow, one that answers 503 to a third of its requests), puts them behind one
 * {@link MeshClient} as service {@value #SERVICE}, sends traffic from a few caller threads, prints
 * a table per endpoint every second, then a summary, and stops everything it started.
 *
 * <pre>{@code
 * mvn -B -q -pl examples -am -Pdemo -DskipTests package                    # 10 s
 * mvn -B -q -pl examples -am -Pdemo -DskipTests package -Ddemo.seconds=30  # longer
 *
 * DemoSummary summary = Demo.run(Duration.ofSeconds(2), System.out);        // from code
 * }</pre>
 *
 * <p>What to watch: the flaky instance's errors per second against the callers' failures (the
 * retries hide the 503s), its breaker opening and half-opening every two seconds, and the slow
 * instance getting a small share of the traffic from the {@code least_request} balancer alone.
 *
 * <p>Thread-safe: every {@link #run} starts its own servers, mesh and callers.
 */
public final class Demo {
  /** The logical service name callers use: {@code http://demo/...}. */
  public static final String SERVICE = "demo";

  /** How long traffic runs unless {@code --seconds} says otherwise. */
  public static final Duration DEFAULT_DURATION = Duration.ofSeconds(10);

  /** Caller threads, each with one call in flight at a time. */
  public static final int CALLERS = 6;

  /** The longest run {@code --seconds} accepts: a day. */
  static final Duration MAX_DURATION = Duration.ofDays(1);

  private static final Duration TICK = Duration.ofSeconds(1);
  private static final int WARM_UP_CALLS = 50;
  private static final String USAGE = "usage: Demo [--seconds N]   (N: 1.." + MAX_DURATION.toSeconds()
      + ", default " + DEFAULT_DURATION.toSeconds() + ")";

  private Demo() {}

  /** Runs the demo for {@code --seconds N} (default 10) and prints to standard output. */
  public static void main(String[] args) throws IOException, InterruptedException {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.println(USAGE);
      return;
    }
    Duration duration;
    try {
      duration = duration(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    run(duration, System.out);
  }

  /**
   * Runs the demo: starts the instances and the mesh, sends traffic for {@code duration} while
   * printing a table to {@code out} every second, prints the summary, and stops every thread it
   * started before it returns.
   *
   * @throws IllegalArgumentException if {@code duration} is not positive
   */
  public static DemoSummary run(Duration duration, PrintStream out) throws IOException, InterruptedException {
    requireNonNull(duration, "duration");
    requireNonNull(out, "out");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration: " + duration + " (expected: > 0s)");
    }
    AttemptRecorder recorder = new AttemptRecorder();
    try (DemoBackend healthy = DemoBackend.start(Role.HEALTHY);
        DemoBackend slow = DemoBackend.start(Role.SLOW);
        DemoBackend flaky = DemoBackend.start(Role.FLAKY)) {
      List<DemoBackend> backends = List.of(healthy, slow, flaky);
      warmUp(healthy);
      backends.forEach(b -> recorder.register(b.endpoint(), b.role().label()));
      ServicePolicy policy = policy();
      try (MeshClient mesh = MeshClient.builder()
          .eventListener(recorder)
          .service(SERVICE, s -> s.endpoints(backends.stream().map(DemoBackend::endpoint).toList()).policy(policy))
          .build()) {
        printIntro(out, backends, policy, duration);
        OkHttpClient client = mesh.decorate(new OkHttpClient.Builder()).build();
        CallerTraffic traffic = new CallerTraffic(client, "http://" + SERVICE + "/hello", CALLERS);
        EndpointTable table = new EndpointTable(out, SERVICE, recorder, traffic, mesh::snapshot);
        try {
          sendTraffic(traffic, table, duration);
        } finally {
          traffic.stop();
          client.dispatcher().executorService().shutdown();
          client.connectionPool().evictAll();
        }
        List<DemoSummary.EndpointTotal> totals = recorder.endpoints().stream()
            .map(e -> e.total(AttemptRecorder.breakerState(mesh.snapshot(), SERVICE, e.endpoint().id())))
            .toList();
        DemoSummary summary = new DemoSummary(duration, traffic.calls(), traffic.succeeded(), traffic.failures(),
            recorder.attempts(), recorder.retries(), traffic.meanLatency(), totals);
        table.printSummary(summary);
        return summary;
      }
    }
  }

  /**
   * The service's policy, chosen so that each part of the mesh has something to do.
   *
   * <ul>
   *   <li>{@code least_request} draws two endpoints and takes the one with fewer calls in flight.
   *       The slow instance holds each call 80 ms, so it usually has more in flight and loses the
   *       draw: it gets a small share of the traffic though nothing tells the mesh it is slow.
   *   <li>Per-try timeout 250 ms, about three times the slow instance's 80 ms: a slow instance
   *       that answers is still used. A per-try timeout below 80 ms would turn every one of its
   *       answers into a timeout, a retry and soon an open breaker, treating slow as down; 250 ms
   *       still gives up on an instance that hangs, in time to retry elsewhere within the call's
   *       1 s deadline.
   *   <li>Retries as by default: up to 3 attempts, 502/503/504 retried on another endpoint after
   *       a jittered backoff of at most 25 ms, so the flaky instance's 503s rarely reach a caller.
   *   <li>A breaker with a small window, so it acts within the demo's seconds: it opens when 25 %
   *       of an endpoint's last 20 attempts (10 at least) failed, for 2 s, then lets 3 trial
   *       calls through. The flaky instance fails 33 %: its breaker opens after about 10 attempts
   *       and goes half-open every 2 s.
   *   <li>Outlier ejection and the 503 penalty off: a streak of the flaky instance's failures would
   *       eject it for 30 s, and each of its 503s would keep it out of picks for a second; either
   *       would hide the breaker, which is what this demo shows.
   * </ul>
   */
  static ServicePolicy policy() {
    return ServicePolicy.builder()
        .loadBalancer("least_request")
        .timeouts(TimeoutPolicy.builder()
            .timeout(Duration.ofSeconds(1))
            .perTryTimeout(Duration.ofMillis(250))
            .build())
        .retry(RetryPolicy.ofDefaults())
        .circuitBreaker(CircuitBreakerPolicy.builder()
            .slidingWindowSize(20)
            .minimumNumberOfCalls(10)
            .failureRateThreshold(25)
            .waitDurationInOpenState(Duration.ofSeconds(2))
            .permittedCallsInHalfOpenState(3)
            .build())
        .outlierDetection(OutlierDetectionPolicy.disabled())
        .loadBalancing(LoadBalancingPolicy.builder().overloadPenalty(Duration.ZERO).build())
        .build();
  }

  /**
   * Sends a few calls to the healthy instance through a throwaway mesh, so that class loading and
   * the first compilations do not show up in the demo's first second as per-try timeouts, which
   * could open a breaker before the story starts.
   */
  private static void warmUp(DemoBackend healthy) throws IOException {
    try (MeshClient mesh = MeshClient.builder().service(SERVICE, healthy.endpoint()).build()) {
      Request request = new Request.Builder().url("http://" + SERVICE + "/warm-up").build();
      for (int i = 0; i < WARM_UP_CALLS; i++) {
        try (Response response = mesh.httpClient().newCall(request).execute()) {
          response.body().string();
        }
      }
    }
  }

  /** Starts the callers and prints a table at every tick until {@code duration} has passed. */
  private static void sendTraffic(CallerTraffic traffic, EndpointTable table, Duration duration)
      throws InterruptedException {
    long start = System.nanoTime();
    traffic.start();
    Duration elapsed = Duration.ZERO;
    while (elapsed.compareTo(duration) < 0) {
      Duration next = min(elapsed.plus(TICK), duration);
      TimeUnit.NANOSECONDS.sleep(start + next.toNanos() - System.nanoTime());
      table.printSecond(next, next.minus(elapsed));
      elapsed = next;
    }
  }

  private static void printIntro(PrintStream out, List<DemoBackend> backends, ServicePolicy policy, Duration duration) {
    out.println("mesh-client demo: service '" + SERVICE + "' on " + backends.size() + " local instances, "
        + CALLERS + " callers, " + EndpointTable.seconds(duration) + " of traffic to http://" + SERVICE + "/hello");
    for (DemoBackend backend : backends) {
      out.println(String.format(Locale.ROOT, "  %-21s %-8s %s", backend.endpoint().address(), backend.role().label(),
          backend.role().description()));
    }
    TimeoutPolicy timeouts = policy.timeouts();
    RetryPolicy retry = policy.retry();
    CircuitBreakerPolicy breaker = policy.circuitBreaker();
    out.println("  load balancer " + policy.loadBalancer()
        + "; timeout " + timeouts.timeout().toMillis() + " ms per call, " + timeouts.perTryTimeout().toMillis()
        + " ms per try; up to " + retry.maxAttempts() + " attempts, retrying on " + retry.retryOn());
    out.println(String.format(Locale.ROOT,
        "  breaker per endpoint: opens at %.0f %% failures of the last %d attempts (%d at least), for %s, then %d trial calls",
        breaker.failureRateThreshold(), breaker.slidingWindowSize(), breaker.minimumNumberOfCalls(),
        EndpointTable.seconds(breaker.waitDurationInOpenState()), breaker.permittedCallsInHalfOpenState()));
    out.flush();
  }

  /** The run time from {@code --seconds N} or {@code --seconds=N}; the default without. */
  static Duration duration(String[] args) {
    Duration duration = DEFAULT_DURATION;
    for (int i = 0; i < args.length; i++) {
      String value;
      if (args[i].equals("--seconds")) {
        if (i + 1 == args.length) {
          throw new IllegalArgumentException("--seconds: missing value (expected: a whole number of seconds)");
        }
        value = args[++i];
      } else if (args[i].startsWith("--seconds=")) {
        value = args[i].substring("--seconds=".length());
      } else {
        throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
      duration = seconds(value);
    }
    return duration;
  }

  private static Duration seconds(String value) {
    long seconds;
    try {
      seconds = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (seconds < 1 || seconds > MAX_DURATION.toSeconds()) {
      throw new IllegalArgumentException(
          "--seconds: " + value + " (expected: a whole number of seconds, 1.." + MAX_DURATION.toSeconds() + ")");
    }
    return Duration.ofSeconds(seconds);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
