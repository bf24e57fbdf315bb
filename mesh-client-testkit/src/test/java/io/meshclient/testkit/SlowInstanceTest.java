package io.meshclient.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Four backends, one ten times slower than the others, under an open-loop load high enough that
 * requests overlap (10 ms at 400–1000 requests per second: several in flight at any time).
 */
class SlowInstanceTest {
  private static final Duration CONVERGED = Duration.ofSeconds(5);
  private static final Duration END = Duration.ofSeconds(30);

  private static SimulationResult run(String loadBalancer, int rate) {
    return Simulation.builder()
        .seed(42)
        .loadBalancer(loadBalancer)
        .backend("a", Behaviour.steady(Duration.ofMillis(10)))
        .backend("b", Behaviour.steady(Duration.ofMillis(10)))
        .backend("c", Behaviour.steady(Duration.ofMillis(10)))
        .backend("slow", Behaviour.steady(Duration.ofMillis(10)).slower(10))
        .rate(rate)
        .duration(END)
        .build()
        .run();
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 1000})
  void peakEwmaSendsAtMostFivePercentToTheSlowInstanceOnceConverged(int rate) {
    SimulationResult r = run("peak_ewma", rate);

    assertThat(r.failed()).isZero();
    assertThat(r.share("slow", CONVERGED, END)).isLessThanOrEqualTo(0.05);
    // Every second after convergence, not just on average.
    double[] perSecond = r.sharePerBucket("slow");
    for (int s = (int) CONVERGED.toSeconds(); s < END.toSeconds(); s++) {
      assertThat(perSecond[s]).as("slow share in second %d", s).isLessThanOrEqualTo(0.05);
    }
    // It is still probed now and then: its latency estimate decays while it is idle.
    assertThat(r.backend("slow").attempts()).isPositive();
    // The slow instance hardly shows in the tail: p99 stays at the fast instances' latency.
    assertThat(r.latency(99)).isLessThan(Duration.ofMillis(20));
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 1000})
  void roundRobinSendsAQuarterToTheSlowInstanceWhateverItsLatency(int rate) {
    SimulationResult r = run("round_robin", rate);

    assertThat(r.failed()).isZero();
    assertThat(r.share("slow", CONVERGED, END)).isCloseTo(0.25, within(0.01));
    // A quarter of the requests take 100 ms, so the 99th percentile is the slow instance's latency.
    assertThat(r.latency(99)).isGreaterThan(Duration.ofMillis(90));
  }
}
