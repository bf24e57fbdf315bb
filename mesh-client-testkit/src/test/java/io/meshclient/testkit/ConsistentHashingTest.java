package io.meshclient.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ten endpoints and 10,000 keys, each key sent once in each ten-second phase; endpoint {@code e3}
 * leaves between the phases.
 */
class ConsistentHashingTest {
  private static final int ENDPOINTS = 10;
  private static final int KEYS = 10_000;
  private static final long PHASE = Duration.ofSeconds(10).toNanos();

  private record Mapping(Map<String, String> before, Map<String, String> after) {}

  private static Mapping run(String loadBalancer) {
    Simulation.Builder b = Simulation.builder()
        .seed(3)
        .loadBalancer(loadBalancer)
        .requestKeys(RequestKeys.cycle("user-", KEYS))
        .rate(1000)
        .duration(Duration.ofSeconds(20))
        .removeAt(Duration.ofNanos(PHASE), "e3")
        .traceAttempts(true);
    for (int i = 0; i < ENDPOINTS; i++) {
      b.backend("e" + i, Behaviour.steady(Duration.ofMillis(10)));
    }
    SimulationResult r = b.build().run();
    assertThat(r.failed()).isZero();
    Map<String, String> before = new HashMap<>();
    Map<String, String> after = new HashMap<>();
    for (AttemptRecord a : r.attemptLog()) {
      assertThat(a.attempt()).isZero();
      (a.sentNanos() < PHASE ? before : after).put(a.key(), a.backend());
    }
    assertThat(before).hasSize(KEYS);
    assertThat(after).hasSize(KEYS);
    return new Mapping(before, after);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ring_hash", "maglev"})
  void keysSpreadAboutEvenly(String loadBalancer) {
    Map<String, Integer> perEndpoint = new HashMap<>();
    run(loadBalancer).before().values().forEach(e -> perEndpoint.merge(e, 1, Integer::sum));

    assertThat(perEndpoint).hasSize(ENDPOINTS);
    assertThat(perEndpoint.values()).allSatisfy(n -> assertThat(n).isBetween(700, 1300)); // 1,000 ± 30 %
  }

  @ParameterizedTest
  @ValueSource(strings = {"ring_hash", "maglev"})
  void aKeyGoesToOneEndpointWhileTheSetStaysTheSame(String loadBalancer) {
    Simulation.Builder b = Simulation.builder().seed(5).loadBalancer(loadBalancer)
        .requestKeys(RequestKeys.uniform("session-", 500)).rate(1000).duration(Duration.ofSeconds(10))
        .traceAttempts(true);
    for (int i = 0; i < ENDPOINTS; i++) {
      b.backend("e" + i, Behaviour.steady(Duration.ofMillis(10)));
    }
    Map<String, java.util.Set<String>> endpointsOfKey = new HashMap<>();
    for (AttemptRecord a : b.build().run().attemptLog()) {
      endpointsOfKey.computeIfAbsent(a.key(), k -> new java.util.HashSet<>()).add(a.backend());
    }

    assertThat(endpointsOfKey).hasSize(500); // each key drawn about 20 times
    assertThat(endpointsOfKey.values()).allSatisfy(endpoints -> assertThat(endpoints).hasSize(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ring_hash", "maglev"})
  void whenOneOfTenEndpointsLeavesOnlyAboutATenthOfTheKeysMove(String loadBalancer) {
    Mapping m = run(loadBalancer);
    int moved = 0;
    int movedFromOthers = 0;
    int ofLeaver = 0;
    for (Map.Entry<String, String> e : m.before().entrySet()) {
      boolean wasOnLeaver = e.getValue().equals("e3");
      ofLeaver += wasOnLeaver ? 1 : 0;
      if (!e.getValue().equals(m.after().get(e.getKey()))) {
        moved++;
        movedFromOthers += wasOnLeaver ? 0 : 1;
      }
    }

    assertThat(ofLeaver).isPositive();
    if (loadBalancer.equals("ring_hash")) {
      // Exactly the leaver's keys move; every other key stays where it was.
      assertThat(movedFromOthers).isZero();
      assertThat(moved).isEqualTo(ofLeaver);
    } else {
      // Maglev rebuilds its table: a few other keys move too, in all at most about 1.5 / N.
      assertThat(moved).isGreaterThanOrEqualTo(ofLeaver).isLessThanOrEqualTo(KEYS * 15 / 100);
    }
  }
}
