package io.meshclient.core.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.meshclient.api.CircuitBreakerPolicy;
import io.meshclient.api.MeshEventListener;
import java.time.Clock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breakers of one service's endpoints: the Resilience4j configuration made from the
 * policy (count-based window, 5xx statuses recorded as failures, the mesh's clock), a factory that
 * makes an endpoint's breaker on its first attempt, and the reporting of state changes (logged at
 * INFO and passed to the event listener).
 */
final class Breakers {
  private static final Logger log = LoggerFactory.getLogger(Cluster.class);

  private final String service;
  private final @Nullable CircuitBreakerConfig config;
  private final MeshEventListener listener;

  Breakers(String service, CircuitBreakerPolicy policy, Clock clock, MeshEventListener listener) {
    this.service = service;
    this.config = config(policy, clock);
    this.listener = listener;
  }

  private static @Nullable CircuitBreakerConfig config(CircuitBreakerPolicy p, Clock clock) {
    if (!p.enabled()) {
      return null;
    }
    return CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(p.slidingWindowSize())
        .minimumNumberOfCalls(p.minimumNumberOfCalls())
        .failureRateThreshold(p.failureRateThreshold())
        .waitDurationInOpenState(p.waitDurationInOpenState())
        .permittedNumberOfCallsInHalfOpenState(p.permittedCallsInHalfOpenState())
        // 5xx statuses are reported through onResult; every status reported that way is a failure.
        .recordResult(result -> result instanceof Integer && (Integer) result >= 500)
        .writableStackTraceEnabled(false)
        .clock(clock)
        .build();
  }

  /** The state of a new endpoint, with a breaker made on its first attempt (none if breakers are off). */
  EndpointState newEndpointState(io.meshclient.api.Endpoint endpoint, Tuning tuning, boolean ramp) {
    if (config == null) {
      return new EndpointState(endpoint, null, EndpointBreaker.Transitions.NONE, tuning, ramp);
    }
    Function<EndpointState, CircuitBreaker> factory =
        state -> CircuitBreaker.of(service + "/" + state.endpoint().id(), config);
    return new EndpointState(endpoint, factory, this::changed, tuning, ramp);
  }

  private void changed(EndpointState state, String from, String to) {
    log.info("circuit breaker of {} endpoint {}: {} -> {}", service, state.endpoint().address(), from, to);
    listener.onCircuitStateChange(service, state.endpoint(), from, to);
  }
}
