package io.meshclient.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each invalid value fails in build() with a message naming the field, the value and what was expected. */
class PolicyValidationTest {

  static Stream<Arguments> invalidValues() {
    return Stream.of(
        bad(() -> RetryPolicy.builder().maxAttempts(0).build(), "retry.maxAttempts: 0 (expected: 1..10)"),
        bad(() -> RetryPolicy.builder().maxAttempts(11).build(), "retry.maxAttempts: 11 (expected: 1..10)"),
        bad(() -> RetryPolicy.builder().retryOn(RetryRule.statuses(503, 200)).build(),
            "retry.retryOn: 200 (expected: an HTTP error status, 400..599)"),
        bad(() -> RetryRule.parse("retry.retryOn", java.util.List.of("gateway", "sometimes")),
            "retry.retryOn: \"sometimes\" (expected: one of connect_failure, reset, timeout, 5xx, gateway, never, or a status 400..599)"),
        bad(() -> RetryBudgetPolicy.builder().percent(101).build(), "retryBudget.percent: 101.0 (expected: 0..100)"),
        bad(() -> RetryBudgetPolicy.builder().window(Duration.ofMillis(10)).build(),
            "retryBudget.window: PT0.01S (expected: 1s..5m)"),
        bad(() -> HedgingPolicy.builder().delay(Duration.ZERO).build(),
            "hedging.delay: PT0S (expected: > 0s, or a delayPercentile instead)"),
        bad(() -> HedgingPolicy.builder().delayPercentile(30).build(), "hedging.delayPercentile: 30.0 (expected: 50..99.9)"),
        bad(() -> HedgingPolicy.builder().delay(Duration.ofMillis(5)).maxHedges(4).build(),
            "hedging.maxHedges: 4 (expected: 1..3)"),
        bad(() -> BulkheadPolicy.of(0), "bulkhead.maxConcurrentCalls: 0 (expected: >= 1)"),
        bad(() -> RateLimitPolicy.of(0, Duration.ofSeconds(1)), "rateLimit.limitForPeriod: 0 (expected: >= 1)"),
        bad(() -> AdaptiveConcurrencyPolicy.builder().algorithm("aimd").build(),
            "adaptiveConcurrency.algorithm: \"aimd\" (expected: gradient2 or vegas)"),
        bad(() -> AdaptiveConcurrencyPolicy.builder().initialLimit(500).build(),
            "adaptiveConcurrency.initialLimit: 500 (expected: 1..200)"),
        bad(() -> TimeoutPolicy.builder().deadlineHeader("bad header").build(),
            "timeouts.deadlineHeader: \"bad header\" (expected: an HTTP header name (a token))"),
        bad(() -> RetryPolicy.builder().initialBackoff(Duration.ofMillis(-1)).build(),
            "retry.initialBackoff: PT-0.001S (expected: >= 0s)"),
        bad(() -> RetryPolicy.builder().initialBackoff(Duration.ofSeconds(1)).maxBackoff(Duration.ofMillis(100)).build(),
            "retry.maxBackoff: PT0.1S (expected: >= retry.initialBackoff (PT1S))"),
        bad(() -> RetryPolicy.builder().backoffMultiplier(0.5).build(),
            "retry.backoffMultiplier: 0.5 (expected: a finite number >= 1)"),
        bad(() -> RetryPolicy.builder().backoffMultiplier(Double.NaN).build(),
            "retry.backoffMultiplier: NaN (expected: a finite number >= 1)"),
        bad(() -> TimeoutPolicy.builder().timeout(Duration.ofSeconds(-1)).build(),
            "timeouts.timeout: PT-1S (expected: >= 0s (0s for no limit))"),
        bad(() -> TimeoutPolicy.builder().perTryTimeout(Duration.ofSeconds(-1)).build(),
            "timeouts.perTryTimeout: PT-1S (expected: >= 0s (0s for no limit))"),
        bad(() -> TimeoutPolicy.builder().timeout(Duration.ofSeconds(1)).perTryTimeout(Duration.ofSeconds(2)).build(),
            "timeouts.perTryTimeout: PT2S (expected: <= timeouts.timeout (PT1S))"),
        bad(() -> CircuitBreakerPolicy.builder().failureRateThreshold(0).build(),
            "circuitBreaker.failureRateThreshold: 0.0 (expected: a percentage in (0, 100])"),
        bad(() -> CircuitBreakerPolicy.builder().failureRateThreshold(101).build(),
            "circuitBreaker.failureRateThreshold: 101.0 (expected: a percentage in (0, 100])"),
        bad(() -> CircuitBreakerPolicy.builder().slidingWindowSize(0).build(),
            "circuitBreaker.slidingWindowSize: 0 (expected: >= 1)"),
        bad(() -> CircuitBreakerPolicy.builder().slidingWindowSize(5).minimumNumberOfCalls(6).build(),
            "circuitBreaker.minimumNumberOfCalls: 6 (expected: 1..circuitBreaker.slidingWindowSize (5))"),
        bad(() -> CircuitBreakerPolicy.builder().waitDurationInOpenState(Duration.ZERO).build(),
            "circuitBreaker.waitDurationInOpenState: PT0S (expected: > 0s)"),
        bad(() -> CircuitBreakerPolicy.builder().permittedCallsInHalfOpenState(0).build(),
            "circuitBreaker.permittedCallsInHalfOpenState: 0 (expected: >= 1)"),
        bad(() -> ServicePolicy.builder().loadBalancer("Round Robin").build(),
            "loadBalancer: \"Round Robin\" (expected: a name in lower snake case, e.g. round_robin)"),
        bad(() -> Endpoint.of("", 80), "endpoint.host: \"\" (expected: a host name or IP address)"),
        bad(() -> Endpoint.of("a b", 80), "endpoint.host: \"a b\" (expected: a host name or IP address)"),
        bad(() -> Endpoint.of("10.0.0.1", 0), "endpoint.port: 0 (expected: 1..65535)"),
        bad(() -> Endpoint.of("10.0.0.1", 65536), "endpoint.port: 65536 (expected: 1..65535)"),
        bad(() -> Endpoint.builder("10.0.0.1", 80).weight(0).build(), "endpoint.weight: 0 (expected: 1..1000000)"),
        bad(() -> Endpoint.builder("10.0.0.1", 80).id(" ").build(), "endpoint.id: \" \" (expected: a non-blank id)"),
        bad(() -> Endpoint.builder("10.0.0.1", 80).zone("").build(), "endpoint.zone: \"\" (expected: a non-blank zone)"),
        bad(() -> EndpointSet.of(Endpoint.of("h", 1), Endpoint.of("h", 2), Endpoint.builder("x", 3).id("h:1").build()),
            "endpoints[2].id: \"h:1\" (expected: an id not used by another endpoint)"));
  }

  private static Arguments bad(Supplier<?> build, String message) {
    return Arguments.of(build, message);
  }

  @ParameterizedTest
  @MethodSource("invalidValues")
  void eachInvalidValueGivesItsMessage(Supplier<?> build, String message) {
    assertThatThrownBy(build::get).isInstanceOf(MeshConfigException.class).hasMessage(message);
  }

  @ParameterizedTest
  @MethodSource("invalidValues")
  void theExceptionCarriesItsPartsAndCanBeMovedUnderAParent(Supplier<?> build, String message) {
    try {
      build.get();
    } catch (MeshConfigException e) {
      assertThat(message).startsWith(e.path() + ": ").endsWith("(expected: " + e.expected() + ")");
      MeshConfigException moved = e.withParent("services.orders");
      assertThat(moved).hasMessage("services.orders." + message).hasCause(e);
      assertThat(moved.value()).isEqualTo(e.value());
    }
  }
}
