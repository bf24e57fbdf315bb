package io.meshclient.core.internal;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.meshclient.api.BulkheadFullException;
import io.meshclient.api.CircuitBreakerPolicy;
import io.meshclient.api.MeshException;
import io.meshclient.api.RateLimitedException;
import io.meshclient.api.ServiceCircuitOpenException;
import io.meshclient.api.ServicePolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's admission control, each part optional and each Resilience4j: the rate limiter, the
 * bulkhead (calls in flight) and the service-level circuit breaker (over every call, whatever
 * endpoint it went to). {@link #admit} asks them in that order, before any network I/O; a call
 * admitted reports its end once through {@link #release}.
 *
 * <p>Thread-safe.
 */
final class Admission {
  private static final Logger log = LoggerFactory.getLogger(Admission.class);

  private final String service;
  private final @Nullable RateLimiter rateLimiter;
  private final @Nullable Bulkhead bulkhead;
  private final @Nullable CircuitBreaker breaker;
  private final Duration refreshPeriod;
  private final Duration openWait;

  Admission(String service, ServicePolicy policy, Clock clock, Ticker ticker) {
    this.service = service;
    this.refreshPeriod = policy.rateLimit().refreshPeriod();
    this.rateLimiter = policy.rateLimit().enabled()
        ? RateLimiter.of(service, RateLimiterConfig.custom()
            .limitForPeriod(policy.rateLimit().limitForPeriod())
            .limitRefreshPeriod(policy.rateLimit().refreshPeriod())
            .timeoutDuration(Duration.ZERO)
            .writableStackTraceEnabled(false)
            .build(), ticker::read)
        : null;
    this.bulkhead = policy.bulkhead().enabled()
        ? Bulkhead.of(service, BulkheadConfig.custom()
            .maxConcurrentCalls(policy.bulkhead().maxConcurrentCalls())
            .maxWaitDuration(Duration.ZERO)
            .writableStackTraceEnabled(false)
            .build())
        : null;
    CircuitBreakerPolicy b = policy.serviceCircuitBreaker();
    this.openWait = b.waitDurationInOpenState();
    this.breaker = b.enabled()
        ? CircuitBreaker.of(service, CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(b.slidingWindowSize())
            .minimumNumberOfCalls(b.minimumNumberOfCalls())
            .failureRateThreshold(b.failureRateThreshold())
            .waitDurationInOpenState(b.waitDurationInOpenState())
            .permittedNumberOfCallsInHalfOpenState(b.permittedCallsInHalfOpenState())
            .recordResult(result -> result instanceof Integer && (Integer) result >= 500)
            .writableStackTraceEnabled(false)
            .clock(clock)
            .build())
        : null;
    if (breaker != null) {
      breaker.getEventPublisher().onStateTransition(e ->
          log.info("circuit breaker of service '{}': {}", service, e.getStateTransition()));
    }
  }

  /** Whether any part is on: when none is, calls skip admission entirely. */
  boolean enabled() {
    return rateLimiter != null || bulkhead != null || breaker != null;
  }

  /**
   * Admits a call, or refuses it with the refusing part's typed exception.
   *
   * @return the name of the part that refused ({@code rate_limiter}, {@code bulkhead},
   *     {@code circuit_breaker}) with its exception, or null when admitted
   */
  @Nullable MeshException admit() {
    if (rateLimiter != null && !rateLimiter.acquirePermission(1)) {
      long wait = rateLimiter.reservePermission(0);
      return new RateLimitedException(service, wait > 0 ? Duration.ofNanos(wait) : refreshPeriod);
    }
    if (bulkhead != null && !bulkhead.tryAcquirePermission()) {
      return new BulkheadFullException(service, bulkhead.getBulkheadConfig().getMaxConcurrentCalls());
    }
    if (breaker != null && !breaker.tryAcquirePermission()) {
      if (bulkhead != null) {
        bulkhead.onComplete();
      }
      return new ServiceCircuitOpenException(service, openWait);
    }
    return null;
  }

  /** The name of the part that made {@code refusal}, for metrics. */
  static String refusedBy(MeshException refusal) {
    if (refusal instanceof RateLimitedException) {
      return "rate_limiter";
    }
    if (refusal instanceof BulkheadFullException) {
      return "bulkhead";
    }
    return "circuit_breaker";
  }

  /**
   * An admitted call ended: with {@code status} (0 for a failure), or cancelled by its caller
   * (which the service breaker does not count).
   */
  void release(int status, @Nullable Throwable failure, boolean canceled, long nanos) {
    if (bulkhead != null) {
      bulkhead.onComplete();
    }
    if (breaker != null) {
      if (canceled) {
        breaker.releasePermission();
      } else if (failure != null) {
        breaker.onError(nanos, TimeUnit.NANOSECONDS, failure);
      } else {
        breaker.onResult(nanos, TimeUnit.NANOSECONDS, status);
      }
    }
  }

  /** The service breaker's state, or {@code DISABLED}. */
  String breakerState() {
    return breaker == null ? "DISABLED" : breaker.getState().name();
  }
}
