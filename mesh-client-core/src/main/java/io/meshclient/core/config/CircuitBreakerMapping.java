package io.meshclient.core.config;

import io.meshclient.api.CircuitBreakerPolicy;

/** {@code circuitBreaker}: the fields of {@link CircuitBreakerPolicy}. */
final class CircuitBreakerMapping {
  static final Fields<CircuitBreakerPolicy.Builder> FIELDS = new Fields<CircuitBreakerPolicy.Builder>()
      .bool("enabled", CircuitBreakerPolicy.Builder::enabled)
      .decimal("failureRateThreshold", (b, v) -> b.failureRateThreshold(v.floatValue()))
      .integer("slidingWindowSize", CircuitBreakerPolicy.Builder::slidingWindowSize)
      .integer("minimumNumberOfCalls", CircuitBreakerPolicy.Builder::minimumNumberOfCalls)
      .duration("waitDurationInOpenState", CircuitBreakerPolicy.Builder::waitDurationInOpenState)
      .integer("permittedCallsInHalfOpenState", CircuitBreakerPolicy.Builder::permittedCallsInHalfOpenState);

  private CircuitBreakerMapping() {}

  static CircuitBreakerPolicy read(Node node, CircuitBreakerPolicy base) {
    return FIELDS.read(node, base.toBuilder(), CircuitBreakerPolicy.Builder::build);
  }
}
