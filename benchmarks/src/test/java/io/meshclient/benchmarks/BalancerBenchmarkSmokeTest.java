package io.meshclient.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshclient.core.internal.EndpointState;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.runner.options.Options;

/**
 * Runs the load balancing benchmarks' setup and each benchmark method a few times, to check that
 * they measure working picks and updates, and that the runner selects what it reports. It
 * measures nothing and asserts no time.
 */
class BalancerBenchmarkSmokeTest {

  @ParameterizedTest
  @ValueSource(strings = {"round_robin", "random", "least_request", "peak_ewma", "ring_hash", "maglev"})
  void picksGoThroughTheClusterAndLeaveNoEndpointBusy(String strategy) throws Exception {
    PickBenchmark benchmark = new PickBenchmark();
    benchmark.strategy = strategy;
    benchmark.endpoints = 10;
    benchmark.setUp();
    long picksBefore = benchmark.cluster.picks();
    List<EndpointState> endpoints = benchmark.cluster.endpoints();
    long requestsBefore = endpoints.stream().mapToLong(EndpointState::requests).sum();

    for (int i = 0; i < 20; i++) {
      assertThat(endpoints).contains(benchmark.pick());
      assertThat(endpoints).contains(benchmark.pickAndRecord());
    }
    assertThat(benchmark.newPickState()).isNotNull();

    assertThat(benchmark.cluster.picks() - picksBefore).isEqualTo(40);
    assertThat(endpoints.stream().mapToLong(EndpointState::requests).sum() - requestsBefore).isEqualTo(40);
    assertThat(endpoints).allSatisfy(e -> assertThat(e.inFlight()).isZero());
  }

  @Test
  void everyEndpointStartsWithALatencySoTheLatencyAwareBalancersCompareRealFigures() throws Exception {
    PickBenchmark benchmark = new PickBenchmark();
    benchmark.strategy = "peak_ewma";
    benchmark.endpoints = 100;
    benchmark.setUp();
    assertThat(benchmark.cluster.endpoints()).hasSize(100)
        .allSatisfy(e -> assertThat(e.latencyNanos()).isBetween(0.5e6, 3e6));
  }

  @Test
  void eachUpdateKeepsHalfTheEndpointsAndReplacesTheOtherHalf() throws Exception {
    UpdateBenchmark benchmark = new UpdateBenchmark();
    benchmark.strategy = "maglev";
    benchmark.setUp();
    List<EndpointState> before = benchmark.cluster.endpoints();
    UpdateBenchmark.Picker picker = new UpdateBenchmark.Picker();
    picker.setUp();

    assertThat(benchmark.update()).isEqualTo(UpdateBenchmark.SIZE);
    List<EndpointState> after = benchmark.cluster.endpoints();
    Set<EndpointState> kept = identitySet(before);
    kept.retainAll(identitySet(after));
    assertThat(kept).hasSize(UpdateBenchmark.SIZE / 2);
    assertThat(ids(after)).isEqualTo(ids(benchmark.second.endpoints().stream().map(e -> e.id()).toList()));
    assertThat(after).contains(benchmark.pick(picker));

    assertThat(benchmark.update()).isEqualTo(UpdateBenchmark.SIZE);
    assertThat(ids(benchmark.cluster.endpoints())).isEqualTo(ids(benchmark.first.endpoints().stream().map(e -> e.id()).toList()));
    assertThat(benchmark.cluster.endpoints()).contains(benchmark.pick(picker));
  }

  @Test
  void theProbePicksWhileIdleAndWhileUpdating() throws Exception {
    PickPauseProbe.Result result = PickPauseProbe.run("ring_hash", 200, Duration.ofMillis(50), 4);
    assertThat(result.updates()).isEqualTo(4);
    assertThat(result.idlePicks()).isPositive();
    assertThat(result.updatingPicks()).isPositive();
    assertThat(result.idleMaxGapNanos()).isPositive();
    assertThat(result.updatingMaxGapNanos()).isPositive();
  }

  @Test
  void theRunnerRunsEveryStrategyAndSizeOncePerRoundWithThoseParameters() {
    List<BalancerBenchmarkMain.Case> cases = BalancerBenchmarkMain.cases();
    assertThat(cases.stream().filter(c -> c.method().equals("pick")))
        .hasSize(PickBenchmark.STRATEGIES.size() * PickBenchmark.SIZES.size());
    assertThat(cases.stream().map(BalancerBenchmarkMain.Case::key)).doesNotHaveDuplicates();
    // The runner's lists must name exactly what the benchmarks declare, or JMH would run nothing.
    assertThat(PickBenchmark.STRATEGIES).containsExactly(params(PickBenchmark.class, "strategy"));
    assertThat(PickBenchmark.SIZES.stream().map(String::valueOf)).containsExactly(params(PickBenchmark.class, "endpoints"));

    Options options = BalancerBenchmarkMain.options(
        new BalancerBenchmarkMain.Case(PickBenchmark.class, "pick", "maglev", 1000), true).build();
    assertThat(options.getIncludes()).singleElement().satisfies(include -> {
      assertThat(Pattern.compile(include).matcher(PickBenchmark.class.getName() + ".pick").find()).isTrue();
      assertThat(Pattern.compile(include).matcher(PickBenchmark.class.getName() + ".pickAndRecord").find()).isFalse();
    });
    assertThat(options.getParameter("strategy").get()).containsExactly("maglev");
    assertThat(options.getParameter("endpoints").get()).containsExactly("1000");
    assertThat(options.getForkCount().get()).isEqualTo(1);

    Options update = BalancerBenchmarkMain.options(
        new BalancerBenchmarkMain.Case(UpdateBenchmark.class, UpdateBenchmark.GROUP, "peak_ewma", 0), true).build();
    assertThat(Pattern.compile(update.getIncludes().iterator().next())
        .matcher(UpdateBenchmark.class.getName() + "." + UpdateBenchmark.GROUP).find()).isTrue();
    assertThat(update.getParameter("endpoints").hasValue()).isFalse();
  }

  private static String[] params(Class<?> benchmark, String field) {
    try {
      return benchmark.getDeclaredField(field).getAnnotation(Param.class).value();
    } catch (NoSuchFieldException e) {
      throw new AssertionError(e);
    }
  }

  private static Set<EndpointState> identitySet(List<EndpointState> states) {
    Set<EndpointState> set = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    set.addAll(states);
    return set;
  }

  private static Set<String> ids(List<?> endpointsOrIds) {
    return endpointsOrIds.stream()
        .map(o -> o instanceof EndpointState ? ((EndpointState) o).endpoint().id() : (String) o)
        .collect(Collectors.toSet());
  }

}
