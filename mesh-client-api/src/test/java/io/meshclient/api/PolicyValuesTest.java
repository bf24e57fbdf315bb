package io.meshclient.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyValuesTest {
  @Test
  void defaultsAreTheDocumentedOnes() {
    RetryPolicy retry = RetryPolicy.ofDefaults();
    assertThat(retry.maxAttempts()).isEqualTo(3);
    assertThat(retry.retryOn()).isEqualTo(RetryRule.connectFailure().or(RetryRule.reset()).or(RetryRule.timeout())
        .or(RetryRule.gatewayErrors()));
    assertThat(ServicePolicy.ofDefaults().retryBudget().percent()).isEqualTo(20.0);
    assertThat(ServicePolicy.ofDefaults().retryBudget().minRetriesPerSecond()).isEqualTo(10);
    assertThat(ServicePolicy.ofDefaults().hedging().enabled()).isFalse();
    assertThat(ServicePolicy.ofDefaults().bulkhead().enabled()).isFalse();
    assertThat(ServicePolicy.ofDefaults().rateLimit().enabled()).isFalse();
    assertThat(ServicePolicy.ofDefaults().serviceCircuitBreaker().enabled()).isFalse();
    assertThat(ServicePolicy.ofDefaults().adaptiveConcurrency().enabled()).isFalse();
    assertThat(TimeoutPolicy.ofDefaults().propagateDeadline()).isTrue();
    assertThat(TimeoutPolicy.ofDefaults().deadlineHeader()).isEqualTo("x-mesh-timeout-ms");
    assertThat(retry.retryNonIdempotent()).isFalse();
    assertThat(RetryPolicy.disabled().maxAttempts()).isEqualTo(1);
    assertThat(TimeoutPolicy.ofDefaults().timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(TimeoutPolicy.ofDefaults().perTryTimeout()).isZero();
    assertThat(CircuitBreakerPolicy.ofDefaults().enabled()).isTrue();
    assertThat(CircuitBreakerPolicy.disabled().enabled()).isFalse();
    assertThat(ServicePolicy.ofDefaults().loadBalancer()).isEqualTo("peak_ewma");
  }

  @Test
  void toBuilderRoundTripsEveryValue() {
    RetryPolicy retry = RetryPolicy.builder().maxAttempts(5).retryNonIdempotent(true)
        .retryOn(RetryRule.statuses(500)).initialBackoff(Duration.ofMillis(5))
        .maxBackoff(Duration.ofMillis(9)).backoffMultiplier(1.5).build();
    TimeoutPolicy timeouts = TimeoutPolicy.builder().timeout(Duration.ofSeconds(3)).perTryTimeout(Duration.ofSeconds(1))
        .deadlineHeader("x-deadline").build();
    CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder().failureRateThreshold(30).slidingWindowSize(7)
        .minimumNumberOfCalls(3).waitDurationInOpenState(Duration.ofSeconds(2)).permittedCallsInHalfOpenState(4).build();
    ServicePolicy policy = ServicePolicy.builder().loadBalancer("least_request").retry(retry).timeouts(timeouts)
        .circuitBreaker(breaker).retryBudget(RetryBudgetPolicy.builder().percent(5).build())
        .hedging(HedgingPolicy.builder().delayPercentile(95).build()).bulkhead(BulkheadPolicy.of(3))
        .rateLimit(RateLimitPolicy.of(10, Duration.ofSeconds(1))).serviceCircuitBreaker(breaker)
        .adaptiveConcurrency(AdaptiveConcurrencyPolicy.builder().algorithm("vegas").build()).build();

    assertThat(policy.toBuilder().build()).isEqualTo(policy).hasSameHashCodeAs(policy);
    assertThat(retry.toBuilder().build()).isEqualTo(retry);
    assertThat(timeouts.toBuilder().build()).isEqualTo(timeouts);
    assertThat(breaker.toBuilder().build()).isEqualTo(breaker);
    assertThat(policy).isNotEqualTo(ServicePolicy.ofDefaults());
  }

  @Test
  void endpointsKeepEveryAttributeAndDefaultTheirIdToHostAndPort() {
    Endpoint e = Endpoint.builder("::1", 8443).secure(true).zone("z1").weight(2).labels(Map.of("version", "v2")).build();
    assertThat(e.id()).isEqualTo("[::1]:8443");
    assertThat(e.address()).isEqualTo("[::1]:8443");
    assertThat(e.toBuilder().build()).isEqualTo(e);
    assertThat(e.toString()).isEqualTo("Endpoint{[::1]:8443, secure, zone=z1, weight=2, labels={version=v2}}");
    assertThat(e.labels()).containsEntry("version", "v2");
    assertThat(Endpoint.of("h", 1)).isNotEqualTo(e);
  }

  @Test
  void endpointsAreHealthyUnlessASourceSaysOtherwise() {
    Endpoint healthy = Endpoint.of("h", 1);
    Endpoint failing = healthy.toBuilder().healthy(false).build();
    assertThat(healthy.healthy()).isTrue();
    assertThat(failing.healthy()).isFalse();
    assertThat(failing.toBuilder().build()).isEqualTo(failing);
    assertThat(failing).isNotEqualTo(healthy);
    assertThat(failing.toString()).isEqualTo("Endpoint{h:1, unhealthy}");
  }

  @Test
  void endpointSetsAreImmutableCopies() {
    java.util.ArrayList<Endpoint> list = new java.util.ArrayList<>(List.of(Endpoint.of("h", 1)));
    EndpointSet set = EndpointSet.of(list);
    list.add(Endpoint.of("h", 2));
    assertThat(set.size()).isEqualTo(1);
    assertThat(EndpointSet.of(List.of())).isSameAs(EndpointSet.empty());
  }
}
