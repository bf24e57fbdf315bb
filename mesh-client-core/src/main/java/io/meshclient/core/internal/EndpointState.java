package io.meshclient.core.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointStats;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;

/**
 * The live state of one endpoint of a cluster: load, counters and circuit breaker. One instance
 * per endpoint id, kept across discovery updates for as long as the id is reported. Lock-free:
 * atomics and the breaker's own state machine.
 */
public final class EndpointState implements EndpointStats {
  private volatile Target target;
  private final @Nullable CircuitBreaker breaker;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final LongAdder requests = new LongAdder();
  private final LongAdder failures = new LongAdder();

  EndpointState(Endpoint endpoint, @Nullable CircuitBreaker breaker) {
    this.target = new Target(endpoint, baseUrl(endpoint));
    this.breaker = breaker;
  }

  /**
   * {@code scheme://host:port/} of {@code endpoint}. Canonicalising a host costs about a
   * microsecond in OkHttp, so it is done once per endpoint.
   *
   * @throws IllegalArgumentException if OkHttp cannot address the endpoint's host
   */
  public static HttpUrl baseUrl(Endpoint endpoint) {
    return new HttpUrl.Builder()
        .scheme(endpoint.secure() ? "https" : "http")
        .host(endpoint.host())
        .port(endpoint.port())
        .build();
  }

  @Override
  public Endpoint endpoint() {
    return target.endpoint();
  }

  /** Discovery reported new attributes for the same id; the load and breaker carry over. */
  void update(Endpoint updated) {
    target = new Target(updated, baseUrl(updated));
  }

  /** {@code scheme://host:port/} of this endpoint, to which an attempt's path and query are added. */
  HttpUrl baseUrl() {
    return target.baseUrl();
  }

  @Override
  public int inFlight() {
    return inFlight.get();
  }

  /** Attempts sent, ever. */
  public long requests() {
    return requests.sum();
  }

  /** Attempts that failed (I/O error or 5xx), ever. */
  public long failures() {
    return failures.sum();
  }

  /** The breaker's state name ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}), or {@code DISABLED}. */
  public String circuitState() {
    return breaker == null ? "DISABLED" : breaker.getState().name();
  }

  /** Asks the breaker for a permit; true when there is no breaker. */
  boolean tryAcquire() {
    return breaker == null || breaker.tryAcquirePermission();
  }

  void onSend() {
    inFlight.incrementAndGet();
    requests.increment();
  }

  void onResponse(int status, long nanos) {
    inFlight.decrementAndGet();
    if (status >= 500) {
      failures.increment();
      if (breaker != null) {
        breaker.onResult(nanos, TimeUnit.NANOSECONDS, status);
      }
    } else if (breaker != null) {
      breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
    }
  }

  void onFailure(Throwable failure, long nanos) {
    inFlight.decrementAndGet();
    failures.increment();
    if (breaker != null) {
      breaker.onError(nanos, TimeUnit.NANOSECONDS, failure);
    }
  }

  /**
   * The attempt ended without a verdict on the endpoint (the caller gave up, or the call failed in
   * an unexpected way): its breaker permit is given back unused.
   */
  void abandon() {
    inFlight.decrementAndGet();
    if (breaker != null) {
      breaker.releasePermission();
    }
  }

  @Override
  public String toString() {
    return "EndpointState{" + endpoint().id() + ", inFlight=" + inFlight() + ", " + circuitState() + "}";
  }

  /** The endpoint and the URL derived from it, replaced together so readers never see them apart. */
  private record Target(Endpoint endpoint, HttpUrl baseUrl) {}
}
