package io.meshclient.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshclient.api.OutlierDetectionPolicy;
import io.meshclient.api.ServicePolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run is a function of the simulation and its seed: nothing in it reads real time or a shared random source. */
class DeterminismTest {
  /** Everything that draws randomness at once: P2C picks, jitter, Poisson arrivals, failures, retries with backoff, ejections. */
  private static Simulation busy(long seed) {
    Duration tenMs = Duration.ofMillis(10);
    return Simulation.builder()
        .seed(seed)
        .loadBalancer("peak_ewma")
        .policy(ServicePolicy.builder()
            .outlierDetection(OutlierDetectionPolicy.builder().baseEjectionTime(Duration.ofSeconds(2)).build())
            .build())
        .backend("a", Behaviour.steady(tenMs))
        .backend("b", Behaviour.steady(tenMs, 0.5))
        .backend("brownout", Behaviour.brownout(Behaviour.steady(tenMs), 0.5, 503, Duration.ofSeconds(2),
            Duration.ofSeconds(6)))
        .backend("flaky", Behaviour.steady(tenMs).during(Duration.ofSeconds(3), Duration.ofSeconds(5), Behaviour.dead()))
        .backend("cold", Behaviour.coldStart(tenMs, 8, Duration.ofSeconds(5)))
        .rate(800)
        .poissonArrivals(true)
        .duration(Duration.ofSeconds(10))
        .traceAttempts(true)
        .build();
  }

  @Test
  void theSameSeedReplaysExactly() {
    SimulationResult first = busy(42).run();
    SimulationResult again = busy(42).run();

    assertThat(first.backend("brownout").serverErrors()).as("the scenario fails requests").isPositive();
    assertThat(first.events(SimulationEvent.Type.EJECTED)).as("and ejects endpoints").isNotEmpty();
    assertThat(again.attemptLog()).isEqualTo(first.attemptLog());
    assertThat(again.events()).isEqualTo(first.events());
    assertThat(again.fingerprint()).isEqualTo(first.fingerprint());
    assertThat(again.latency(99)).isEqualTo(first.latency(99));
    assertThat(again.toString()).isEqualTo(first.toString());
  }

  @Test
  void runningOneSimulationTwiceGivesTheSameResult() {
    Simulation sim = busy(7);
    assertThat(sim.run().attemptLog()).isEqualTo(sim.run().attemptLog());
  }

  @Test
  void anotherSeedTakesAnotherCourse() {
    SimulationResult one = busy(1).run();
    SimulationResult two = busy(2).run();

    assertThat(two.fingerprint()).isNotEqualTo(one.fingerprint());
    // The order of picks differs early on, not just somewhere.
    List<String> firstPicks = one.attemptLog().stream().limit(200).map(AttemptRecord::backend).toList();
    List<String> otherPicks = two.attemptLog().stream().limit(200).map(AttemptRecord::backend).toList();
    assertThat(otherPicks).isNotEqualTo(firstPicks);
    assertThat(two.events()).isNotEqualTo(one.events());
  }
}
