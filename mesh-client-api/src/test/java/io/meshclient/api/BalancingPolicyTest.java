package io.meshclient.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class BalancingPolicyTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    LoadBalancingPolicy lb = LoadBalancingPolicy.ofDefaults();
    assertThat(lb.zoneAware()).isTrue();
    assertThat(lb.panicThresholdPercent()).isEqualTo(50);
    assertThat(lb.slowStartWindow()).isZero();
    assertThat(lb.overloadPenalty()).isEqualTo(Duration.ofSeconds(1));
    assertThat(lb.ewmaDecay()).isEqualTo(Duration.ofSeconds(10));
    assertThat(lb.hashKey()).isNull();
    assertThat(lb.maglevTableSize()).isEqualTo(65_537);
    OutlierDetectionPolicy od = OutlierDetectionPolicy.ofDefaults();
    assertThat(od.enabled()).isTrue();
    assertThat(od.consecutive5xx()).isEqualTo(5);
    assertThat(od.maxEjectionPercent()).isEqualTo(50);
    assertThat(od.baseEjectionTime()).isEqualTo(Duration.ofSeconds(30));
    assertThat(OutlierDetectionPolicy.disabled().enabled()).isFalse();
    assertThat(HealthCheckPolicy.disabled().enabled()).isFalse();
    assertThat(ServicePolicy.ofDefaults().healthCheck().enabled()).isFalse();
  }

  @Test
  void toBuilderRoundTripsEveryValue() {
    LoadBalancingPolicy lb = LoadBalancingPolicy.builder().zoneAware(false).panicThresholdPercent(30)
        .slowStartWindow(Duration.ofSeconds(20)).slowStartMinWeightPercent(5).overloadPenalty(Duration.ofMillis(500))
        .maxOverloadPenalty(Duration.ofSeconds(9)).ewmaDecay(Duration.ofSeconds(3)).hashKey(HashKey.cookie("sid"))
        .minimumRingSize(2048).maglevTableSize(131_071).build();
    OutlierDetectionPolicy od = OutlierDetectionPolicy.builder().consecutive5xx(3).consecutiveGatewayFailures(0)
        .interval(Duration.ofSeconds(2)).successRateStdevFactor(1.5).successRateMinimumHosts(3)
        .successRateRequestVolume(20).failurePercentageThreshold(60).failurePercentageMinimumHosts(2)
        .failurePercentageRequestVolume(10).baseEjectionTime(Duration.ofSeconds(5))
        .maxEjectionTime(Duration.ofSeconds(50)).maxEjectionPercent(34).build();
    HealthCheckPolicy hc = HealthCheckPolicy.builder().path("/ready").interval(Duration.ofSeconds(3))
        .jitter(Duration.ZERO).timeout(Duration.ofMillis(700)).healthyThreshold(1).unhealthyThreshold(4).build();
    ServicePolicy policy = ServicePolicy.builder().loadBalancing(lb).outlierDetection(od).healthCheck(hc).build();

    assertThat(lb.toBuilder().build()).isEqualTo(lb).hasSameHashCodeAs(lb);
    assertThat(od.toBuilder().build()).isEqualTo(od).hasSameHashCodeAs(od);
    assertThat(hc.toBuilder().build()).isEqualTo(hc).hasSameHashCodeAs(hc);
    assertThat(policy.toBuilder().build()).isEqualTo(policy);
    assertThat(policy).isNotEqualTo(ServicePolicy.ofDefaults());
    assertThat(policy.toString()).contains("hashKey=cookie:sid", "maxEjectionPercent=34", "path=/ready");
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        bad(() -> LoadBalancingPolicy.builder().panicThresholdPercent(101).build(),
            "loadBalancing.panicThresholdPercent: 101 (expected: 0..100)"),
        bad(() -> LoadBalancingPolicy.builder().slowStartWindow(Duration.ofSeconds(-1)).build(),
            "loadBalancing.slowStartWindow: PT-1S (expected: >= 0s (0s for no ramp))"),
        bad(() -> LoadBalancingPolicy.builder().slowStartMinWeightPercent(0).build(),
            "loadBalancing.slowStartMinWeightPercent: 0 (expected: 1..100)"),
        bad(() -> LoadBalancingPolicy.builder().ewmaDecay(Duration.ZERO).build(),
            "loadBalancing.ewmaDecay: PT0S (expected: > 0s)"),
        bad(() -> LoadBalancingPolicy.builder().maxOverloadPenalty(Duration.ofMillis(10)).build(),
            "loadBalancing.maxOverloadPenalty: PT0.01S (expected: >= loadBalancing.overloadPenalty (PT1S))"),
        bad(() -> LoadBalancingPolicy.builder().minimumRingSize(0).build(),
            "loadBalancing.minimumRingSize: 0 (expected: 1..8388608)"),
        bad(() -> LoadBalancingPolicy.builder().maglevTableSize(65_536).build(),
            "loadBalancing.maglevTableSize: 65536 (expected: a prime in 3..5000011, e.g. 65537)"),
        bad(() -> HashKey.header(" "), "hashKey.header: \" \" (expected: a non-blank name)"),
        bad(() -> OutlierDetectionPolicy.builder().consecutive5xx(-1).build(),
            "outlierDetection.consecutive5xx: -1 (expected: >= 0 (0 turns it off))"),
        bad(() -> OutlierDetectionPolicy.builder().interval(Duration.ZERO).build(),
            "outlierDetection.interval: PT0S (expected: > 0s)"),
        bad(() -> OutlierDetectionPolicy.builder().successRateStdevFactor(Double.NaN).build(),
            "outlierDetection.successRateStdevFactor: NaN (expected: >= 0 (0 turns it off))"),
        bad(() -> OutlierDetectionPolicy.builder().failurePercentageThreshold(101).build(),
            "outlierDetection.failurePercentageThreshold: 101 (expected: 0..100 (0 turns it off))"),
        bad(() -> OutlierDetectionPolicy.builder().successRateRequestVolume(0).build(),
            "outlierDetection.successRateRequestVolume: 0 (expected: >= 1)"),
        bad(() -> OutlierDetectionPolicy.builder().maxEjectionTime(Duration.ofSeconds(1)).build(),
            "outlierDetection.maxEjectionTime: PT1S (expected: >= outlierDetection.baseEjectionTime (PT30S))"),
        bad(() -> OutlierDetectionPolicy.builder().maxEjectionPercent(-5).build(),
            "outlierDetection.maxEjectionPercent: -5 (expected: 0..100)"),
        bad(() -> HealthCheckPolicy.builder().path("health").build(),
            "healthCheck.path: \"health\" (expected: a path starting with /, e.g. /health)"),
        bad(() -> HealthCheckPolicy.builder().timeout(Duration.ZERO).build(), "healthCheck.timeout: PT0S (expected: > 0s)"),
        bad(() -> HealthCheckPolicy.builder().jitter(Duration.ofMillis(-1)).build(),
            "healthCheck.jitter: PT-0.001S (expected: >= 0s)"),
        bad(() -> HealthCheckPolicy.builder().unhealthyThreshold(0).build(),
            "healthCheck.unhealthyThreshold: 0 (expected: >= 1)"));
  }

  private static Arguments bad(Supplier<?> build, String message) {
    return Arguments.of(build, message);
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void invalidValuesNameThePathTheValueAndTheExpectation(Supplier<?> build, String message) {
    assertThatThrownBy(build::get).isInstanceOf(MeshConfigException.class).hasMessage(message);
  }

  @Test
  void endpointHealthIsPartOfItsIdentityAndText() {
    Endpoint healthy = Endpoint.of("10.0.0.1", 80);
    Endpoint sick = healthy.toBuilder().healthy(false).build();
    assertThat(healthy.healthy()).isTrue();
    assertThat(sick.healthy()).isFalse();
    assertThat(sick).isNotEqualTo(healthy);
    assertThat(sick.toString()).contains("unhealthy");
    assertThat(sick.toBuilder().build()).isEqualTo(sick);
  }
}
