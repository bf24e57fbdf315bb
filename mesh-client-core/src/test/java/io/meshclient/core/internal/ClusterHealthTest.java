package io.meshclient.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meshclient.api.CircuitBreakerPolicy;
import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.LoadBalancingPolicy;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.NoEndpointAvailableException;
import io.meshclient.api.OutlierDetectionPolicy;
import io.meshclient.api.ServicePolicy;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Ejection, readmission, health, panic mode, zones and slow start, on a cluster driven by a hand-moved ticker. */
class ClusterHealthTest {
  private final long[] now = {1_000_000_000L};
  private final List<String> events = new ArrayList<>();
  private final MeshEventListener listener = new MeshEventListener() {
    @Override
    public void onEjection(String service, Endpoint endpoint, String reason, Duration duration) {
      events.add("eject " + endpoint.port() + " " + reason + " " + duration.toSeconds() + "s");
    }

    @Override
    public void onReadmission(String service, Endpoint endpoint) {
      events.add("return " + endpoint.port());
    }
  };

  private Cluster cluster(ServicePolicy policy, @Nullable String zone, List<Endpoint> endpoints) {
    Cluster cluster = new Cluster("orders", policy, new RoundRobinLoadBalancerFactory().create("orders", policy.loadBalancing()),
        Clock.systemUTC(), () -> now[0], new Random(3), listener, zone, RequestKey.NONE);
    cluster.onEndpoints(EndpointSet.of(endpoints));
    return cluster;
  }

  private static ServicePolicy policy(OutlierDetectionPolicy outliers) {
    return ServicePolicy.builder().circuitBreaker(CircuitBreakerPolicy.disabled()).outlierDetection(outliers).build();
  }

  private static List<Endpoint> endpoints(int count) {
    List<Endpoint> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(Endpoint.of("10.0.0." + (i + 1), 8000 + i));
    }
    return list;
  }

  private void advance(Duration d) {
    now[0] += d.toNanos();
  }

  private EndpointState state(Cluster cluster, int port) {
    return cluster.endpoints().stream().filter(e -> e.endpoint().port() == port).findFirst().orElseThrow();
  }

  private Map<Integer, Integer> picks(Cluster cluster, int n) throws NoEndpointAvailableException {
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      EndpointState e = cluster.pick(cluster.newPickState(null), 0);
      e.onSend();
      e.abandon();
      counts.merge(e.endpoint().port(), 1, Integer::sum);
    }
    return counts;
  }

  private static void fail(Cluster cluster, EndpointState e, int status, int times) {
    for (int i = 0; i < times; i++) {
      e.onSend();
      cluster.onResponse(e, status, 1_000_000, -1);
    }
  }

  @Test
  void fiveConsecutive5xxEjectForTheBaseTimeThenTheEndpointReturnsAndTheNextEjectionLastsTwiceAsLong() throws Exception {
    Cluster cluster = cluster(policy(OutlierDetectionPolicy.ofDefaults()), null, endpoints(3));
    EndpointState bad = state(cluster, 8001);

    fail(cluster, bad, 500, 4);
    bad.onSend();
    cluster.onResponse(bad, 200, 1_000_000, -1); // a success breaks the streak
    fail(cluster, bad, 500, 4);
    assertThat(events).isEmpty();
    fail(cluster, bad, 500, 1);
    assertThat(events).containsExactly("eject 8001 consecutive_5xx 30s");
    assertThat(picks(cluster, 100)).containsOnlyKeys(8000, 8002);

    advance(Duration.ofSeconds(29));
    assertThat(picks(cluster, 30)).doesNotContainKey(8001);
    advance(Duration.ofSeconds(1));
    assertThat(picks(cluster, 30)).containsKey(8001);
    assertThat(events).containsExactly("eject 8001 consecutive_5xx 30s", "return 8001");

    fail(cluster, bad, 503, 5);
    assertThat(events).last().isEqualTo("eject 8001 consecutive_gateway_failure 60s");
  }

  @Test
  void connectFailuresInARowEjectAsGatewayFailures() {
    Cluster cluster = cluster(policy(OutlierDetectionPolicy.builder().consecutive5xx(0).build()), null, endpoints(2));
    EndpointState dead = state(cluster, 8000);
    for (int i = 0; i < 5; i++) {
      dead.onSend();
      cluster.onFailure(dead, new ConnectException("refused"), 1_000, true);
    }
    assertThat(events).containsExactly("eject 8000 consecutive_gateway_failure 30s");
    assertThat(dead.ejectedUntil() - now[0]).isEqualTo(TimeUnit.SECONDS.toNanos(30));
  }

  @Test
  void ejectionNeverTakesOutMoreThanTheMaximumShare() throws Exception {
    Cluster cluster = cluster(policy(OutlierDetectionPolicy.builder().maxEjectionPercent(50).build()), null, endpoints(4));
    for (EndpointState e : cluster.endpoints()) {
      fail(cluster, e, 500, 5);
    }
    assertThat(events).hasSize(2);
    assertThat(cluster.endpoints().stream().filter(e -> e.ejectedAt(now[0])).count()).isEqualTo(2);
    assertThat(picks(cluster, 20)).hasSize(2);
  }

  @Test
  void theIntervalDetectorsEjectALowSuccessRateAndAHighFailurePercentage() {
    Cluster cluster = cluster(policy(OutlierDetectionPolicy.builder().consecutive5xx(0).consecutiveGatewayFailures(0)
        .failurePercentageThreshold(0).build()), null, endpoints(6));
    for (EndpointState e : cluster.endpoints()) {
      int failures = e.endpoint().port() == 8004 ? 40 : 1;
      fail(cluster, e, 500, failures);
      for (int i = failures; i < 100; i++) {
        e.onSend();
        cluster.onResponse(e, 200, 1_000_000, -1);
      }
    }
    cluster.runOutlierInterval();
    assertThat(events).containsExactly("eject 8004 success_rate 30s");

    Cluster byShare = cluster(policy(OutlierDetectionPolicy.builder().consecutive5xx(0).consecutiveGatewayFailures(0)
        .successRateStdevFactor(0).build()), null, endpoints(5));
    for (EndpointState e : byShare.endpoints()) {
      int failures = e.endpoint().port() == 8002 ? 45 : 0;
      fail(byShare, e, 500, failures);
      for (int i = failures; i < 50; i++) {
        e.onSend();
        byShare.onResponse(e, 200, 1_000_000, -1);
      }
    }
    byShare.runOutlierInterval();
    assertThat(events).last().isEqualTo("eject 8002 failure_percentage 30s");
    byShare.runOutlierInterval(); // the counts were reset: a quiet interval ejects nobody more
    assertThat(events).hasSize(2);
  }

  @Test
  void belowThePanicThresholdEveryEndpointTakesTrafficUnhealthyOnesIncluded() throws Exception {
    List<Endpoint> four = endpoints(4);
    List<Endpoint> twoSick = List.of(four.get(0), four.get(1),
        four.get(2).toBuilder().healthy(false).build(), four.get(3).toBuilder().healthy(false).build());
    Cluster cluster = cluster(policy(OutlierDetectionPolicy.disabled()), null, twoSick);
    assertThat(cluster.panic()).isFalse();
    assertThat(picks(cluster, 40)).containsOnlyKeys(8000, 8001);

    List<Endpoint> threeSick = new ArrayList<>(twoSick);
    threeSick.set(1, four.get(1).toBuilder().healthy(false).build());
    cluster.onEndpoints(EndpointSet.of(threeSick));
    assertThat(cluster.panic()).isTrue();
    assertThat(picks(cluster, 40)).containsOnlyKeys(8000, 8001, 8002, 8003);
  }

  @Test
  void trafficStaysInTheCallersZoneAndSpillsInProportionToItsMissingHealthyCapacity() throws Exception {
    List<Endpoint> zoned = List.of(
        Endpoint.builder("10.0.0.1", 8000).zone("a").build(), Endpoint.builder("10.0.0.2", 8001).zone("a").build(),
        Endpoint.builder("10.0.1.1", 8002).zone("b").build(), Endpoint.builder("10.0.1.2", 8003).zone("b").build());
    ServicePolicy noPanic = ServicePolicy.builder().circuitBreaker(CircuitBreakerPolicy.disabled())
        .outlierDetection(OutlierDetectionPolicy.disabled())
        .loadBalancing(LoadBalancingPolicy.builder().panicThresholdPercent(0).build()).build();
    Cluster cluster = cluster(noPanic, "a", zoned);
    assertThat(picks(cluster, 200)).containsOnlyKeys(8000, 8001);
    assertThat(cluster.crossZonePicks()).isZero();

    List<Endpoint> halfOfA = new ArrayList<>(zoned);
    halfOfA.set(0, zoned.get(0).toBuilder().healthy(false).build());
    cluster.onEndpoints(EndpointSet.of(halfOfA));
    long before = cluster.picks();
    Map<Integer, Integer> counts = picks(cluster, 4_000);
    assertThat(counts).doesNotContainKey(8000);
    double crossZone = (double) cluster.crossZonePicks() / (cluster.picks() - before);
    assertThat(crossZone).isCloseTo(0.5, within(0.03));
    assertThat((counts.get(8002) + counts.get(8003)) / 4_000.0).isCloseTo(crossZone, within(0.001));

    Cluster unaware = cluster(noPanic.toBuilder().loadBalancing(LoadBalancingPolicy.builder().zoneAware(false)
        .panicThresholdPercent(0).build()).build(), "a", zoned);
    assertThat(picks(unaware, 40)).containsOnlyKeys(8000, 8001, 8002, 8003);
  }

  @Test
  void endpointsThatJoinLaterRampUpLinearlyAndStopEarlyOnceTheirLatencySettles() {
    ServicePolicy slowStart = ServicePolicy.builder().circuitBreaker(CircuitBreakerPolicy.disabled())
        .loadBalancing(LoadBalancingPolicy.builder().slowStartWindow(Duration.ofSeconds(10)).slowStartMinWeightPercent(10).build())
        .build();
    List<Endpoint> initial = endpoints(2);
    Cluster cluster = cluster(slowStart, null, initial);
    assertThat(cluster.endpoints()).allSatisfy(e -> assertThat(e.rampingUp()).as("the first set starts at full weight").isFalse());

    List<Endpoint> grown = new ArrayList<>(initial);
    grown.add(Endpoint.builder("10.0.0.9", 8009).weight(10).build());
    cluster.onEndpoints(EndpointSet.of(grown));
    EndpointState joined = state(cluster, 8009);
    assertThat(joined.rampingUp()).isTrue();
    assertThat(joined.weight()).isCloseTo(1.0, within(1e-9));
    advance(Duration.ofSeconds(5));
    assertThat(joined.weight()).isCloseTo(5.5, within(1e-9));
    advance(Duration.ofSeconds(5));
    assertThat(joined.weight()).isEqualTo(10.0);
    assertThat(joined.rampingUp()).isFalse();

    grown.add(Endpoint.of("10.0.0.10", 8010));
    grown.add(Endpoint.of("10.0.0.11", 8011));
    cluster.onEndpoints(EndpointSet.of(grown));
    EndpointState steady = state(cluster, 8010);
    EndpointState warming = state(cluster, 8011);
    long began = now[0];
    for (int i = 0; i < 60 && steady.rampingUp(); i++) { // 10 answers a second
      steady.onSend();
      cluster.onResponse(steady, 200, 2_000_000, -1);
      warming.onSend();
      cluster.onResponse(warming, 200, 30_000_000 - i * 300_000L, -1); // 30 ms falling to 12 ms
      advance(Duration.ofMillis(100));
    }
    assertThat(steady.rampingUp()).as("a steady 2 ms ends the ramp well before the 10 s window").isFalse();
    assertThat(now[0] - began).isLessThan(Duration.ofSeconds(5).toNanos());
    assertThat(warming.rampingUp()).as("a latency still falling keeps ramping, however many answers").isTrue();
  }

  @Test
  void aReadmittedEndpointStartsWithAFreshBreakerWindow() throws Exception {
    ServicePolicy policy = ServicePolicy.builder()
        .circuitBreaker(CircuitBreakerPolicy.builder().slidingWindowSize(10).minimumNumberOfCalls(6).build())
        .outlierDetection(OutlierDetectionPolicy.builder().consecutive5xx(3).build()).build();
    Cluster cluster = cluster(policy, null, endpoints(2));
    EndpointState bad = state(cluster, 8000);
    for (int i = 0; i < 3; i++) {
      assertThat(bad.tryAcquire()).isTrue();
      bad.onSend();
      cluster.onResponse(bad, 500, 1_000_000, -1);
    }
    assertThat(events).containsExactly("eject 8000 consecutive_5xx 30s");
    advance(Duration.ofSeconds(30));
    picks(cluster, 1);
    for (int i = 0; i < 3; i++) {
      assertThat(bad.tryAcquire()).isTrue();
      bad.onSend();
      cluster.onResponse(bad, 200, 1_000_000, -1);
    }
    assertThat(bad.circuitState()).as("3 old failures and 3 new successes would be 50 %").isEqualTo("CLOSED");
    assertThat(bad.tryAcquire()).isTrue();
  }

  @Test
  void aReadmittedEndpointRampsUpAgain() throws Exception {
    ServicePolicy both = policy(OutlierDetectionPolicy.ofDefaults()).toBuilder()
        .loadBalancing(LoadBalancingPolicy.builder().slowStartWindow(Duration.ofSeconds(10)).build()).build();
    Cluster cluster = cluster(both, null, endpoints(2));
    EndpointState bad = state(cluster, 8000);
    fail(cluster, bad, 500, 5);
    advance(Duration.ofSeconds(30));
    picks(cluster, 1); // the pick that finds the ejection over
    assertThat(bad.rampingUp()).isTrue();
    assertThat(bad.weight()).isCloseTo(0.1, within(1e-9));
  }

  @Test
  void a429WithRetryAfterPenalizesForTheTimeAskedAndOtherwiseForTheDefault() {
    Cluster cluster = cluster(policy(OutlierDetectionPolicy.disabled()), null, endpoints(1));
    EndpointState e = cluster.endpoints().get(0);
    e.onSend();
    cluster.onResponse(e, 429, 1_000, TimeUnit.SECONDS.toNanos(3));
    assertThat(e.penalized()).isTrue();
    advance(Duration.ofMillis(2_999));
    assertThat(e.penalized()).isTrue();
    advance(Duration.ofMillis(1));
    assertThat(e.penalized()).isFalse();

    e.onSend();
    cluster.onResponse(e, 503, 1_000, -1);
    advance(Duration.ofMillis(999));
    assertThat(e.penalized()).isTrue();
    advance(Duration.ofMillis(1));
    assertThat(e.penalized()).isFalse();

    e.onSend();
    cluster.onResponse(e, 429, 1_000, TimeUnit.HOURS.toNanos(1));
    advance(Duration.ofMinutes(5));
    assertThat(e.penalized()).as("Retry-After is capped at the maximum penalty").isFalse();
  }
}
