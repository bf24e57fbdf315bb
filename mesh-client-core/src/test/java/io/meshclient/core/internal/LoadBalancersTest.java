package io.meshclient.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshclient.api.EndpointStats;
import io.meshclient.api.LoadBalancer;
import io.meshclient.api.LoadBalancerFactory;
import io.meshclient.api.PickResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadBalancersTest {
  private final FakeEndpoint a = new FakeEndpoint(8081);
  private final FakeEndpoint b = new FakeEndpoint(8082);
  private final FakeEndpoint c = new FakeEndpoint(8083);
  private final FakePickContext context = new FakePickContext(List.of(a, b, c));

  @Test
  void everyBuiltInBalancerIsFoundByNameThroughTheServiceLoader() {
    Map<String, LoadBalancerFactory> factories = LoadBalancerRegistry.factories(List.of());
    assertThat(factories).containsOnlyKeys("round_robin", "least_request", "peak_ewma", "random", "ring_hash", "maglev");
    assertThat(factories.get("round_robin")).isInstanceOf(RoundRobinLoadBalancerFactory.class);
    assertThat(factories.get("least_request")).isInstanceOf(LeastRequestLoadBalancerFactory.class);
  }

  @Test
  void roundRobinTakesEndpointsInTurn() {
    LoadBalancer rr = new RoundRobinLoadBalancerFactory().create("orders", io.meshclient.api.LoadBalancingPolicy.ofDefaults());
    assertThat(picks(rr, 6)).containsExactly(a, b, c, a, b, c);
  }

  @Test
  void roundRobinSkipsExcludedEndpointsAndSaysWhenNoneIsLeft() {
    LoadBalancer rr = new RoundRobinLoadBalancerFactory().create("orders", io.meshclient.api.LoadBalancingPolicy.ofDefaults());
    context.excluded.add(b);
    assertThat(picks(rr, 4)).containsExactly(a, c, a, c);

    context.excluded.addAll(List.of(a, c));
    PickResult none = rr.pick(context);
    assertThat(none.hasEndpoint()).isFalse();
    assertThat(none.reason()).isEqualTo("all 3 endpoint(s) are excluded for this attempt");
  }

  @Test
  void leastRequestNeverPicksTheMostLoadedEndpointWhileTwoOthersAreThere() {
    LoadBalancer p2c = new LeastRequestLoadBalancerFactory().create("orders", io.meshclient.api.LoadBalancingPolicy.ofDefaults());
    b.inFlight = 10;
    Map<EndpointStats, Integer> counts = count(picks(p2c, 3_000));
    assertThat(counts).doesNotContainKey(b);
    // a and c tie, so each wins about half of the draws that pair them with b or each other.
    assertThat(counts.get(a)).isBetween(1_200, 1_800);
  }

  @Test
  void leastRequestPrefersTheLighterOfTwo() {
    LoadBalancer p2c = new LeastRequestLoadBalancerFactory().create("orders", io.meshclient.api.LoadBalancingPolicy.ofDefaults());
    FakePickContext two = new FakePickContext(List.of(a, b));
    a.inFlight = 3;
    b.inFlight = 1;
    for (int i = 0; i < 50; i++) {
      assertThat(p2c.pick(two).endpoint()).isSameAs(b);
    }
  }

  @Test
  void leastRequestScansPastExcludedEndpoints() {
    LoadBalancer p2c = new LeastRequestLoadBalancerFactory().create("orders", io.meshclient.api.LoadBalancingPolicy.ofDefaults());
    context.excluded.addAll(List.of(a, b));
    c.inFlight = 50;
    for (int i = 0; i < 50; i++) {
      assertThat(p2c.pick(context).endpoint()).isSameAs(c);
    }
    context.excluded.add(c);
    assertThat(p2c.pick(context).hasEndpoint()).isFalse();
    assertThat(p2c.pick(new FakePickContext(List.of())).reason()).isEqualTo("no endpoints");
  }

  private List<EndpointStats> picks(LoadBalancer balancer, int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> balancer.pick(context).endpoint()).toList();
  }

  private static Map<EndpointStats, Integer> count(List<EndpointStats> picks) {
    Map<EndpointStats, Integer> counts = new HashMap<>();
    picks.forEach(p -> counts.merge(p, 1, Integer::sum));
    return counts;
  }
}
