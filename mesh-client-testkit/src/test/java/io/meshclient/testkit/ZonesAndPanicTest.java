package io.meshclient.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meshclient.api.CircuitBreakerPolicy;
import io.meshclient.api.LoadBalancingPolicy;
import io.meshclient.api.ServicePolicy;
import io.meshclient.testkit.SimulationEvent.Type;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ZonesAndPanicTest {
  private static final Duration TEN_MS = Duration.ofMillis(10);
  private static final Duration S10 = Duration.ofSeconds(10);
  private static final Duration S11 = Duration.ofSeconds(11);
  private static final Duration S30 = Duration.ofSeconds(30);

  private static Backend in(String zone, String name, int weight, Behaviour behaviour) {
    return Backend.builder(name, behaviour).zone(zone).weight(weight).build();
  }

  /**
   * Caller in zone A; A has a1 and a2, B has b1 and b2; {@code failing} dies at 10 s and is ejected.
   * Circuit breakers are off: the answers still in flight when it dies break its failure streak, so
   * its breaker could open before outlier detection ejects it, and an endpoint with an open breaker
   * still counts as healthy capacity of its zone (nothing would spill until the breaker half-opens).
   */
  private static SimulationResult zones(int weightOfA1, String failing) {
    Behaviour steady = Behaviour.steady(TEN_MS);
    Behaviour dies = steady.switchAt(S10, Behaviour.dead());
    return Simulation.builder()
        .seed(3)
        .loadBalancer("round_robin")
        .policy(ServicePolicy.builder().circuitBreaker(CircuitBreakerPolicy.disabled()).build())
        .callerZone("A")
        .backend(in("A", "a1", weightOfA1, failing.equals("a1") ? dies : steady))
        .backend(in("A", "a2", 1, failing.equals("a2") ? dies : steady))
        .backend(in("B", "b1", 1, steady))
        .backend(in("B", "b2", 1, steady))
        .rate(1000)
        .duration(S30)
        .build()
        .run();
  }

  @Test
  void trafficStaysInTheCallersZoneWhileItIsHealthy() {
    SimulationResult r = zones(1, "none");

    assertThat(r.zoneShare("A", Duration.ZERO, S30)).isEqualTo(1.0);
    assertThat(r.crossZoneShare()).isZero();
    assertThat(r.share("a1")).isCloseTo(0.5, within(0.01));
  }

  @Test
  void losingHalfOfTheLocalCapacitySpillsHalfOfTheTrafficToTheOtherZone() {
    SimulationResult r = zones(1, "a2");

    assertThat(r.events(Type.EJECTED)).singleElement().satisfies(e -> assertThat(e.backend()).isEqualTo("a2"));
    assertThat(r.zoneShare("A", Duration.ZERO, S10)).isEqualTo(1.0);
    // Local share = healthy local weight / local weight = 1 / 2; the rest spreads over B.
    assertThat(r.zoneShare("A", S11, S30)).isCloseTo(0.5, within(0.02));
    assertThat(r.share("a1", S11, S30)).isCloseTo(0.5, within(0.02));
    assertThat(r.share("b1", S11, S30)).isCloseTo(0.25, within(0.02));
    assertThat(r.share("b2", S11, S30)).isCloseTo(0.25, within(0.02));
  }

  @Test
  void theSpillFollowsTheMissingWeightNotTheMissingCount() {
    // a1 has weight 3 of A's 4: when it goes, only a quarter of A's capacity is left.
    SimulationResult r = zones(3, "a1");

    assertThat(r.events(Type.EJECTED)).singleElement().satisfies(e -> assertThat(e.backend()).isEqualTo("a1"));
    assertThat(r.zoneShare("A", S11, S30)).isCloseTo(0.25, within(0.02));
    assertThat(r.zoneShare("B", S11, S30)).isCloseTo(0.75, within(0.02));
  }

  private static SimulationResult reportedUnhealthy(int unhealthy) {
    Simulation.Builder b = Simulation.builder()
        .seed(3)
        .loadBalancer("round_robin")
        .policy(ServicePolicy.builder()
            .loadBalancing(LoadBalancingPolicy.builder().panicThresholdPercent(50).build())
            .build())
        .rate(1000)
        .duration(S10);
    for (int i = 0; i < 10; i++) {
      b.backend(Backend.builder("e" + i, Behaviour.steady(TEN_MS)).healthy(i >= unhealthy).build());
    }
    return b.build().run();
  }

  @Test
  void aboveThePanicThresholdOnlyHealthyEndpointsTakeTraffic() {
    SimulationResult r = reportedUnhealthy(4); // 6 of 10 healthy: 60 % >= 50 %

    assertThat(r.events(Type.PANIC_STARTED)).isEmpty();
    for (int i = 0; i < 10; i++) {
      if (i < 4) {
        assertThat(r.backend("e" + i).attempts()).as("e%d", i).isZero();
      } else {
        assertThat(r.share("e" + i)).as("e%d", i).isCloseTo(1 / 6.0, within(0.01));
      }
    }
  }

  @Test
  void belowThePanicThresholdTrafficGoesToAllEndpoints() {
    SimulationResult r = reportedUnhealthy(6); // 4 of 10 healthy: 40 % < 50 %

    assertThat(r.events(Type.PANIC_STARTED)).singleElement().satisfies(e -> assertThat(e.at()).isZero());
    for (int i = 0; i < 10; i++) {
      assertThat(r.share("e" + i)).as("e%d", i).isCloseTo(0.1, within(0.01));
    }
  }

  @Test
  void panicEndsWhenDiscoveryReportsEnoughEndpointsHealthyAgain() {
    Simulation.Builder b = Simulation.builder().seed(3).loadBalancer("round_robin").rate(1000).duration(S10)
        .reportHealthAt(Duration.ofSeconds(5), "e0", true)
        .reportHealthAt(Duration.ofSeconds(5), "e1", true);
    for (int i = 0; i < 10; i++) {
      b.backend(Backend.builder("e" + i, Behaviour.steady(TEN_MS)).healthy(i >= 6).build());
    }
    SimulationResult r = b.build().run();

    assertThat(r.events(Type.PANIC_ENDED)).singleElement().satisfies(e -> assertThat(e.at()).isEqualTo(Duration.ofSeconds(5)));
    assertThat(r.share("e5", Duration.ZERO, Duration.ofSeconds(5))).isCloseTo(0.1, within(0.01));
    assertThat(r.share("e5", Duration.ofSeconds(5), S10)).isZero();
    assertThat(r.share("e0", Duration.ofSeconds(5), S10)).isCloseTo(1 / 6.0, within(0.01));
  }
}
