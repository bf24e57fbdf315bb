package io.meshclient.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meshclient.api.EndpointStats;
import io.meshclient.api.LoadBalancer;
import io.meshclient.api.LoadBalancingPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WeightedBalancersTest {
  private static final LoadBalancingPolicy SETTINGS = LoadBalancingPolicy.ofDefaults();

  @Test
  void roundRobinFollowsWeightsExactlyAndInterleavesThem() {
    FakeEndpoint heavy = new FakeEndpoint(1, 5);
    FakeEndpoint b = new FakeEndpoint(2);
    FakeEndpoint c = new FakeEndpoint(3);
    FakePickContext context = new FakePickContext(List.of(heavy, b, c));
    LoadBalancer rr = new RoundRobinLoadBalancerFactory().create("orders", SETTINGS);

    List<EndpointStats> picks = picks(rr, context, 7_000);

    assertThat(count(picks)).containsEntry(heavy, 5_000).containsEntry(b, 1_000).containsEntry(c, 1_000);
    // Smooth: the light endpoints are spread out, not bunched: each shows up in every 14 picks.
    for (int i = 0; i + 14 <= picks.size(); i += 7) {
      assertThat(picks.subList(i, i + 14)).contains(b, c);
    }
  }

  @Test
  void roundRobinUsesTheCurrentWeightSoARampingEndpointGetsLess() {
    FakeEndpoint full = new FakeEndpoint(1, 4);
    EndpointStats ramping = new EndpointStats() { // weight 4, at a quarter of it while ramping
      final io.meshclient.api.Endpoint endpoint = io.meshclient.api.Endpoint.builder("127.0.0.1", 2).weight(4).build();

      @Override
      public io.meshclient.api.Endpoint endpoint() {
        return endpoint;
      }

      @Override
      public int inFlight() {
        return 0;
      }

      @Override
      public double weight() {
        return 1;
      }
    };
    FakePickContext context = new FakePickContext(List.of(full, ramping));
    Map<EndpointStats, Integer> counts = count(picks(new RoundRobinLoadBalancerFactory().create("orders", SETTINGS), context, 5_000));
    assertThat(counts.get(ramping) / 5_000.0).isCloseTo(0.2, within(0.01));
  }

  @Test
  void randomFollowsWeightsWithinStatisticalTolerance() {
    FakeEndpoint three = new FakeEndpoint(1, 3);
    FakeEndpoint one = new FakeEndpoint(2, 1);
    FakePickContext context = new FakePickContext(List.of(three, one));
    Map<EndpointStats, Integer> counts = count(picks(new RandomLoadBalancerFactory().create("orders", SETTINGS), context, 40_000));
    assertThat(counts.get(three) / 40_000.0).isCloseTo(0.75, within(0.015));
  }

  @Test
  void randomNeverPicksAnExcludedEndpoint() {
    FakeEndpoint a = new FakeEndpoint(1, 1000);
    FakeEndpoint b = new FakeEndpoint(2, 1);
    FakePickContext context = new FakePickContext(List.of(a, b));
    context.excluded.add(a);
    assertThat(picks(new RandomLoadBalancerFactory().create("orders", SETTINGS), context, 200)).containsOnly(b);
  }

  @Test
  void leastRequestWeighsInFlightByWeight() {
    FakeEndpoint heavy = new FakeEndpoint(1, 2);
    FakeEndpoint light = new FakeEndpoint(2, 1);
    heavy.inFlight = 2; // (2 + 1) / 2 = 1.5
    light.inFlight = 1; // (1 + 1) / 1 = 2
    FakePickContext context = new FakePickContext(List.of(heavy, light));
    assertThat(picks(new LeastRequestLoadBalancerFactory().create("orders", SETTINGS), context, 50)).containsOnly(heavy);
  }

  @Test
  void aPenalizedEndpointLosesToAnyOtherUnderBothScoringBalancers() {
    FakeEndpoint penalized = new FakeEndpoint(1);
    FakeEndpoint busy = new FakeEndpoint(2);
    penalized.penalized = true;
    busy.inFlight = 50;
    busy.latencyNanos = 50_000_000;
    FakePickContext context = new FakePickContext(List.of(penalized, busy));
    assertThat(picks(new LeastRequestLoadBalancerFactory().create("orders", SETTINGS), context, 50)).containsOnly(busy);
    assertThat(picks(new PeakEwmaLoadBalancerFactory().create("orders", SETTINGS), context, 50)).containsOnly(busy);

    context.excluded.add(busy);
    assertThat(picks(new PeakEwmaLoadBalancerFactory().create("orders", SETTINGS), context, 5))
        .as("penalized is a last resort, not a ban").containsOnly(penalized);
  }

  @Test
  void peakEwmaPrefersLowLatencyTimesLoadAndProbesAnUnknownEndpointOneAtATime() {
    FakeEndpoint fast = new FakeEndpoint(1);
    FakeEndpoint slow = new FakeEndpoint(2);
    fast.latencyNanos = 1_000_000;
    slow.latencyNanos = 10_000_000;
    fast.inFlight = 5; // 6 ms of cost, still less than slow's 10
    FakePickContext context = new FakePickContext(List.of(fast, slow));
    LoadBalancer ewma = new PeakEwmaLoadBalancerFactory().create("orders", SETTINGS);
    assertThat(picks(ewma, context, 50)).containsOnly(fast);

    fast.inFlight = 10; // 11 ms now
    assertThat(picks(ewma, context, 50)).containsOnly(slow);

    FakeEndpoint unknown = new FakeEndpoint(3);
    FakePickContext withNew = new FakePickContext(List.of(fast, unknown));
    assertThat(picks(ewma, withNew, 20)).as("no sample yet and idle: try it").containsOnly(unknown);
    unknown.inFlight = 1;
    assertThat(picks(ewma, withNew, 20)).as("no sample yet and busy: wait for its answer").containsOnly(fast);
  }

  @Test
  void ringHashSendsAKeyToOneEndpointAndMovesOnlyTheKeysOfARemovedOne() {
    assertConsistent(new RingHashLoadBalancerFactory().create("orders", SETTINGS), 0.0);
  }

  @Test
  void maglevSendsAKeyToOneEndpointAndMovesLittleMoreThanTheKeysOfARemovedOne() {
    assertConsistent(new MaglevLoadBalancerFactory().create("orders", SETTINGS), 0.05);
  }

  /** 10 endpoints, 10,000 keys: even spread, stable keys, and removal moves about 1/10 of them. */
  private static void assertConsistent(LoadBalancer balancer, double extraMovedShare) {
    List<FakeEndpoint> ten = IntStream.range(0, 10).mapToObj(i -> new FakeEndpoint(9000 + i)).toList();
    FakePickContext all = new FakePickContext(ten);
    Map<String, EndpointStats> before = new HashMap<>();
    for (int k = 0; k < 10_000; k++) {
      all.hashKey = "user-" + k;
      before.put(all.hashKey, balancer.pick(all).endpoint());
      assertThat(balancer.pick(all).endpoint()).isSameAs(before.get(all.hashKey));
    }
    Map<EndpointStats, Integer> spread = count(new ArrayList<>(before.values()));
    assertThat(spread).hasSize(10).allSatisfy((e, n) -> assertThat(n).isBetween(700, 1300));

    FakeEndpoint removed = ten.get(3);
    List<FakeEndpoint> nine = new ArrayList<>(ten);
    nine.remove(removed);
    FakePickContext rest = new FakePickContext(nine);
    int moved = 0;
    int movedOthers = 0;
    for (Map.Entry<String, EndpointStats> entry : before.entrySet()) {
      rest.hashKey = entry.getKey();
      EndpointStats now = balancer.pick(rest).endpoint();
      if (now != entry.getValue()) {
        moved++;
        if (entry.getValue() != removed) {
          movedOthers++;
        }
      }
    }
    assertThat(moved).isEqualTo(spread.get(removed) + movedOthers);
    assertThat(movedOthers / 10_000.0).isLessThanOrEqualTo(extraMovedShare);
  }

  @Test
  void hashingPassesAnExcludedOwnersKeyToAnotherEndpointAndSpreadsKeylessRequests() {
    List<FakeEndpoint> three = List.of(new FakeEndpoint(1), new FakeEndpoint(2), new FakeEndpoint(3));
    for (LoadBalancer balancer : List.of(new RingHashLoadBalancerFactory().create("orders", SETTINGS),
        new MaglevLoadBalancerFactory().create("orders", SETTINGS))) {
      FakePickContext context = new FakePickContext(three);
      context.hashKey = "session-1";
      EndpointStats owner = balancer.pick(context).endpoint();
      context.excluded.add(owner);
      assertThat(balancer.pick(context).endpoint()).isNotNull().isNotSameAs(owner);

      FakePickContext keyless = new FakePickContext(three);
      assertThat(count(picks(balancer, keyless, 3_000))).hasSize(3).allSatisfy((e, n) -> assertThat(n).isBetween(800, 1200));
    }
  }

  private static List<EndpointStats> picks(LoadBalancer balancer, FakePickContext context, int n) {
    return IntStream.range(0, n).mapToObj(i -> balancer.pick(context).endpoint()).toList();
  }

  private static Map<EndpointStats, Integer> count(List<EndpointStats> picks) {
    Map<EndpointStats, Integer> counts = new HashMap<>();
    picks.forEach(p -> counts.merge(p, 1, Integer::sum));
    return counts;
  }
}
