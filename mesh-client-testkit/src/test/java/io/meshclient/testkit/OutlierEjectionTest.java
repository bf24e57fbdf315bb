package io.meshclient.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meshclient.api.CircuitBreakerPolicy;
import io.meshclient.api.LoadBalancingPolicy;
import io.meshclient.api.OutlierDetectionPolicy;
import io.meshclient.api.ServicePolicy;
import io.meshclient.testkit.SimulationEvent.Type;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutlierEjectionTest {
  private static final Duration TEN_MS = Duration.ofMillis(10);

  @Test
  void ejectionNeverTakesOutMoreThanTheMaximumPercentOfEndpoints() {
    ServicePolicy policy = ServicePolicy.builder()
        .outlierDetection(OutlierDetectionPolicy.builder()
            .maxEjectionPercent(30)
            .baseEjectionTime(Duration.ofSeconds(3))
            .maxEjectionTime(Duration.ofSeconds(6))
            .build())
        .build();
    Simulation.Builder b = Simulation.builder().seed(7).policy(policy).loadBalancer("round_robin")
        .rate(1000).duration(Duration.ofSeconds(60));
    // Six of ten fail: three refuse connections, three answer 500.
    for (int i = 0; i < 10; i++) {
      Behaviour behaviour = i < 3 ? Behaviour.dead() : i < 6 ? Behaviour.steady(TEN_MS).failing(1, 500)
          : Behaviour.steady(TEN_MS);
      b.backend("e" + i, behaviour);
    }

    SimulationResult r = b.build().run();

    List<SimulationEvent> ejections = r.events(Type.EJECTED);
    assertThat(ejections).hasSizeGreaterThan(10);
    assertThat(ejections).extracting(SimulationEvent::backend).allMatch(name -> Integer.parseInt(name.substring(1)) < 6);
    // Counted from the event log alone, at every ejection (the only moment the count can grow):
    // ejections whose [start, start + duration) covers that instant.
    int most = 0;
    for (SimulationEvent e : ejections) {
      int ejectedNow = 0;
      for (SimulationEvent other : ejections) {
        Duration end = other.at().plus(other.duration());
        if (other.at().compareTo(e.at()) <= 0 && end.compareTo(e.at()) > 0) {
          ejectedNow++;
        }
      }
      assertThat(ejectedNow).as("endpoints ejected at %s", e.at()).isLessThanOrEqualTo(3);
      most = Math.max(most, ejectedNow);
    }
    assertThat(most).as("the limit is reached, so it is what holds the others back").isEqualTo(3);
    assertThat(r.maxEjectedAtOnce()).isEqualTo(3);
    assertThat(r.events(Type.READMITTED)).isNotEmpty();
    // Retries to other endpoints hide nearly all of it from callers.
    assertThat(r.succeeded()).isGreaterThan(r.requests() * 99 / 100);
  }

  /**
   * One backend of five refuses connections for 5 s, is ejected for 10 s, and comes back steady.
   * The circuit breaker is off here: its window would still hold the failures from before the
   * ejection, and the first answers after readmission would open it for another 10 s.
   */
  private static SimulationResult recovery(Duration slowStartWindow) {
    ServicePolicy policy = ServicePolicy.builder()
        .circuitBreaker(CircuitBreakerPolicy.disabled())
        .loadBalancing(LoadBalancingPolicy.builder().slowStartWindow(slowStartWindow).build())
        .outlierDetection(OutlierDetectionPolicy.builder().baseEjectionTime(Duration.ofSeconds(10)).build())
        .build();
    return Simulation.builder().seed(11).policy(policy).loadBalancer("random")
        .backend("a", Behaviour.steady(TEN_MS))
        .backend("b", Behaviour.steady(TEN_MS))
        .backend("c", Behaviour.steady(TEN_MS))
        .backend("d", Behaviour.steady(TEN_MS))
        .backend("x", Behaviour.dead().switchAt(Duration.ofSeconds(5), Behaviour.steady(TEN_MS)))
        .rate(1000)
        .duration(Duration.ofSeconds(30))
        .bucket(Duration.ofMillis(500))
        .build()
        .run();
  }

  @Test
  void aRecoveredBackendIsReadmittedAndRampsUpFromItsMinimumWeight() {
    SimulationResult ramped = recovery(Duration.ofSeconds(20));
    SimulationResult jumped = recovery(Duration.ZERO);

    for (SimulationResult r : List.of(ramped, jumped)) {
      assertThat(r.events(Type.EJECTED)).singleElement().satisfies(e -> assertThat(e.backend()).isEqualTo("x"));
      SimulationEvent back = r.events(Type.READMITTED).get(0);
      assertThat(back.backend()).isEqualTo("x");
      assertThat(back.at()).isBetween(Duration.ofSeconds(10), Duration.ofMillis(10_100));
      assertThat(r.backend("x").attemptsIn(10)).as("ejected, then idle until readmitted").isZero();
    }
    // The first second after readmission: without slow start x takes its full fifth at once; with
    // it, it starts from 10 % of its weight (0.1 / 4.1: about 2.4 % of the traffic) and grows.
    double fullShare = 0.2;
    assertThat(jumped.share("x", Duration.ofSeconds(10), Duration.ofSeconds(11))).isCloseTo(fullShare, within(0.03));
    assertThat(ramped.sharePerBucket("x")[20]).as("first half-second back").isBetween(0.01, 0.05);
    assertThat(ramped.share("x", Duration.ofSeconds(10), Duration.ofSeconds(11))).as("first second back")
        .isLessThan(fullShare / 2);
    // It grows while it ramps: its latency is checked for settling every 2 s (a tenth of the
    // window), and two calm checkpoints in a row end the ramp early, well before the 20 s window.
    double first = ramped.share("x", Duration.ofSeconds(10), Duration.ofSeconds(11));
    double second = ramped.share("x", Duration.ofSeconds(12), Duration.ofSeconds(13));
    double third = ramped.share("x", Duration.ofSeconds(14), Duration.ofSeconds(15));
    assertThat(second).as("share after 2 s back").isGreaterThan(first);
    assertThat(third).as("share after 4 s back").isGreaterThan(second);
    assertThat(ramped.share("x", Duration.ofSeconds(20), Duration.ofSeconds(30))).isCloseTo(fullShare, within(0.02));
  }
}
