package io.meshclient.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshclient.api.LoadBalancingPolicy;
import io.meshclient.api.OutlierDetectionPolicy;
import io.meshclient.api.ServicePolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The example of {@code docs/simulation.md}, runnable: one slow instance and one that fails for ten
 * seconds, under two balancers. Prints each run's summary and checks what the page says about it.
 */
class SimulatingYourSettingsTest {
  static SimulationResult simulate(String loadBalancer) {
    Duration tenMs = Duration.ofMillis(10);
    ServicePolicy policy = ServicePolicy.builder()
        .loadBalancing(LoadBalancingPolicy.builder().slowStartWindow(Duration.ofSeconds(10)).build())
        .outlierDetection(OutlierDetectionPolicy.builder().baseEjectionTime(Duration.ofSeconds(5)).build())
        .build();
    return Simulation.builder()
        .seed(42)
        .policy(policy)
        .loadBalancer(loadBalancer)
        .backend("a", Behaviour.steady(tenMs))
        .backend("b", Behaviour.steady(tenMs))
        .backend("slow", Behaviour.steady(tenMs).slower(10))
        .backend("flaky", Behaviour.steady(tenMs).during(Duration.ofSeconds(10), Duration.ofSeconds(20),
            Behaviour.dead()))
        .rate(1000)
        .duration(Duration.ofSeconds(60))
        .build()
        .run();
  }

  @Test
  void compareTwoBalancers() {
    SimulationResult peakEwma = simulate("peak_ewma");
    SimulationResult roundRobin = simulate("round_robin");
    System.out.println("peak_ewma:\n" + peakEwma + "\n\nround_robin:\n" + roundRobin);
    peakEwma.events().forEach(System.out::println);

    assertThat(peakEwma.latency(99)).isLessThan(roundRobin.latency(99));
    assertThat(peakEwma.share("slow")).isLessThan(0.05);
    assertThat(roundRobin.share("slow")).isGreaterThan(0.24);
    assertThat(peakEwma.events(SimulationEvent.Type.EJECTED)).extracting(SimulationEvent::backend).contains("flaky");
    assertThat(peakEwma.succeeded()).isGreaterThan(peakEwma.requests() * 999 / 1000);
  }
}
