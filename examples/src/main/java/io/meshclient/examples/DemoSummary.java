package io.meshclient.examples;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one {@link Demo#run demo run} did: the calls as the caller saw them, the attempts the
 * mesh made for them, and each endpoint's totals.
 *
 * <pre>{@code
 * DemoSummary summary = Demo.run(Duration.ofSeconds(2), System.out);
 * double flakyErrors = summary.endpoint("flaky").orElseThrow().errorShare(); // about 1/3
 * double callerFailures = summary.failureShare();                            // about 0
 * }</pre>
 *
 * <p>Immutable.
 *
 * @param duration how long traffic was sent
 * @param calls calls the caller made and saw end
 * @param succeeded calls that ended with a 2xx, as the caller saw them
 * @param failures failed calls by {@code HTTP <status>} or exception type, sorted by name
 * @param attempts attempts the mesh made, first tries and retries
 * @param retries attempts after the first of their call
 * @param meanCallLatency the mean time a call took, as the caller saw it
 * @param endpoints each endpoint's totals, healthy, slow, flaky
 */
public record DemoSummary(Duration duration, long calls, long succeeded, Map<String, Long> failures, long attempts,
    long retries, Duration meanCallLatency, List<EndpointTotal> endpoints) {

  /** Copies the collections. */
  public DemoSummary {
    failures = Collections.unmodifiableMap(new TreeMap<>(failures));
    endpoints = List.copyOf(endpoints);
  }

  /** Calls that did not end with a 2xx, as the caller saw them. */
  public long failed() {
    return calls - succeeded;
  }

  /** The share of calls that failed as the caller saw them, 0..1. */
  public double failureShare() {
    return calls == 0 ? 0 : (double) failed() / calls;
  }

  /** The totals of the endpoint with {@code role}, e.g. {@code flaky}. */
  public Optional<EndpointTotal> endpoint(String role) {
    return endpoints.stream().filter(e -> e.role().equals(role)).findFirst();
  }

  /**
   * One endpoint over the whole run, from the mesh's attempt events.
   *
   * @param address {@code host:port}
   * @param role {@code healthy}, {@code slow} or {@code flaky}
   * @param requests attempts the endpoint got
   * @param errors those that failed: I/O error or 5xx
   * @param meanLatency mean time to response headers or failure
   * @param maxLatency the longest such time
   * @param breakerOpenings how often its breaker was seen to open
   * @param breaker its breaker state at the end
   */
  public record EndpointTotal(String address, String role, long requests, long errors, Duration meanLatency,
      Duration maxLatency, long breakerOpenings, String breaker) {

    /** The share of its attempts that failed, 0..1. */
    public double errorShare() {
      return requests == 0 ? 0 : (double) errors / requests;
    }
  }
}
