package io.meshclient.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.meshclient.api.CircuitBreakerPolicy;
import io.meshclient.api.MeshConfigException;
import io.meshclient.api.OutlierDetectionPolicy;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.ServicePolicy;
import io.meshclient.api.TimeoutPolicy;
import io.meshclient.testkit.AttemptRecord.AttemptResult;
import io.meshclient.testkit.SimulationEvent.Type;
import io.meshclient.testkit.SimulationResult.RequestOutcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulationTest {
  private static final Duration TEN_MS = Duration.ofMillis(10);
  private static final Duration S10 = Duration.ofSeconds(10);

  private static Simulation.Builder twoBackends() {
    return Simulation.builder().loadBalancer("round_robin").rate(100).duration(S10)
        .backend("a", Behaviour.steady(TEN_MS)).backend("b", Behaviour.steady(TEN_MS));
  }

  @Test
  void evenlySpacedArrivalsComeExactlyAtTheRate() {
    SimulationResult r = twoBackends().rate(333).build().run();

    assertThat(r.requests()).isEqualTo(3330);
    assertThat(r.succeeded()).isEqualTo(3330);
    assertThat(r.attempts()).isEqualTo(3330);
    assertThat(r.bucketCount()).isEqualTo(10);
    assertThat(r.backend("a").attemptsPerBucket()).hasSize(10).containsOnly(167, 166);
    assertThat(r.latency(50)).isBetween(Duration.ofMillis(9), Duration.ofMillis(11));
  }

  @Test
  void poissonArrivalsComeAtTheRateOnAverage() {
    SimulationResult r = twoBackends().rate(1000).poissonArrivals(true).build().run();

    assertThat(r.requests()).isCloseTo(10_000, within(400L));
  }

  @Test
  void anUnansweredAttemptEndsAtThePerTryTimeoutAndIsRetriedElsewhere() {
    SimulationResult r = Simulation.builder().loadBalancer("round_robin").rate(100).duration(S10)
        .policy(ServicePolicy.builder()
            .timeouts(TimeoutPolicy.builder().perTryTimeout(Duration.ofMillis(200)).build())
            .outlierDetection(OutlierDetectionPolicy.disabled())
            .circuitBreaker(CircuitBreakerPolicy.disabled())
            .build())
        .backend("hung", Behaviour.unresponsive())
        .backend("ok", Behaviour.steady(TEN_MS))
        .traceAttempts(true)
        .build().run();

    assertThat(r.succeeded()).isEqualTo(r.requests());
    assertThat(r.backend("hung").timeouts()).isEqualTo(r.backend("hung").attempts()).isPositive();
    assertThat(r.attemptLog()).filteredOn(a -> a.backend().equals("hung")).allSatisfy(a -> {
      assertThat(a.result()).isEqualTo(AttemptResult.TIMEOUT);
      assertThat(a.endedNanos() - a.sentNanos()).isEqualTo(Duration.ofMillis(200).toNanos());
      assertThat(a.attempt()).isZero(); // the retry never goes back to the endpoint it tried
    });
    assertThat(r.latency(100)).isGreaterThan(Duration.ofMillis(200));
  }

  @Test
  void retriesStopAtMaxAttemptsAndTheLastFailureIsTheRequestsOutcome() {
    SimulationResult r = Simulation.builder().rate(100).duration(S10)
        .policy(ServicePolicy.builder()
            .retry(RetryPolicy.builder().maxAttempts(2).build())
            .outlierDetection(OutlierDetectionPolicy.disabled())
            .circuitBreaker(CircuitBreakerPolicy.disabled())
            .build())
        .backend("a", Behaviour.steady(TEN_MS).failing(1, 503))
        .backend("b", Behaviour.dead())
        .build().run();

    assertThat(r.requests()).isEqualTo(1000);
    assertThat(r.attempts()).isEqualTo(2000);
    assertThat(r.count(RequestOutcome.SERVER_ERROR) + r.count(RequestOutcome.CONNECT_FAILURE)).isEqualTo(1000);
    assertThat(r.count(RequestOutcome.SERVER_ERROR)).isPositive();
    assertThat(r.count(RequestOutcome.CONNECT_FAILURE)).isPositive();
  }

  @Test
  void withoutAnyTimeoutAnUnansweredRequestIsStillWaitingAtTheEnd() {
    SimulationResult r = Simulation.builder().rate(10).duration(Duration.ofSeconds(1))
        .policy(ServicePolicy.builder().timeouts(TimeoutPolicy.builder().timeout(Duration.ZERO).build()).build())
        .backend("hung", Behaviour.unresponsive())
        .build().run();

    assertThat(r.count(RequestOutcome.UNFINISHED)).isEqualTo(10);
    assertThat(r.backend("hung").unfinished()).isEqualTo(10);
    assertThat(r.failed()).isZero();
  }

  @Test
  void backendsJoinAndLeaveWhenDiscoverySaysSo() {
    SimulationResult r = twoBackends()
        .addAt(Duration.ofSeconds(4), Backend.of("new", Behaviour.coldStart(TEN_MS, 5, Duration.ofSeconds(1))))
        .removeAt(Duration.ofSeconds(6), "a")
        .rejoinAt(Duration.ofSeconds(8), "a")
        .removeAt(Duration.ofSeconds(9), "new")
        .bucket(Duration.ofSeconds(2))
        .traceAttempts(true)
        .build().run();

    assertThat(r.events()).extracting(SimulationEvent::toString).containsExactly(
        "PT0S JOINED a", "PT0S JOINED b", "PT4S JOINED new", "PT6S LEFT a", "PT8S JOINED a", "PT9S LEFT new");
    assertThat(r.backend("new").attemptsIn(1)).isZero();
    assertThat(r.share("new", Duration.ofSeconds(4), Duration.ofSeconds(6))).isCloseTo(1 / 3.0, within(0.02));
    assertThat(r.backend("a").attemptsIn(3)).isZero();
    assertThat(r.share("b", Duration.ofSeconds(6), Duration.ofSeconds(8))).isCloseTo(0.5, within(0.02));
    // The newcomer's behaviour counts from its join: its first answers are cold (about 50 ms).
    assertThat(r.attemptLog()).filteredOn(a -> a.backend().equals("new")).first()
        .satisfies(a -> assertThat(a.endedNanos() - a.sentNanos()).isGreaterThan(Duration.ofMillis(40).toNanos()));
  }

  @Test
  void withEveryEndpointGoneRequestsFindNone() {
    SimulationResult r = twoBackends().removeAt(Duration.ofSeconds(5), "a").removeAt(Duration.ofSeconds(5), "b")
        .build().run();

    assertThat(r.count(RequestOutcome.NO_ENDPOINT)).isEqualTo(500);
    assertThat(r.succeeded()).isEqualTo(500);
  }

  @Test
  void aRetryAfterKeepsTrafficAwayForAsLongAsItAsks() {
    SimulationResult r = Simulation.builder().seed(5).rate(1000).duration(S10)
        .backend("a", Behaviour.steady(TEN_MS))
        .backend("b", Behaviour.steady(TEN_MS))
        .backend("busy", (elapsed, concurrency, random) ->
            Outcome.status(429, TEN_MS).withRetryAfter(Duration.ofSeconds(2)))
        .traceAttempts(true)
        .build().run();

    // Penalised for 2 s after each 429, it loses every draw against a or b. When the penalty ends it
    // is probed by the few requests sent before the next 429 comes back, then left alone 2 s again.
    long[] sent = r.attemptLog().stream().filter(a -> a.backend().equals("busy"))
        .mapToLong(AttemptRecord::sentNanos).toArray();
    assertThat(sent.length).isBetween(2, 50);
    for (int i = 1; i < sent.length; i++) {
      long gap = sent[i] - sent[i - 1];
      assertThat(gap < TEN_MS.toNanos() || gap >= Duration.ofSeconds(2).toNanos())
          .as("gap of %s between probes", Duration.ofNanos(gap)).isTrue();
    }
  }

  @Test
  void theResultSummarisesRequestsLatencyAndBackends() {
    String summary = twoBackends().seed(9).build().run().toString();

    assertThat(summary).startsWith("seed 9, PT10S of arrivals: 1000 requests, 1000 ok, 0 failed")
        .contains("latency of successful requests: p50 ")
        .contains("a                       500  50.00%")
        .endsWith("2 events, at most 0 ejected at once");
  }

  @Test
  void aBadSettingIsRefusedNamingTheFieldTheValueAndWhatWasExpected() {
    assertThatThrownBy(() -> Simulation.builder().rate(-1))
        .isInstanceOf(MeshConfigException.class).hasMessage("simulation.rate: -1.0 (expected: requests per second in (0, 1e9])");
    assertThatThrownBy(() -> Simulation.builder().backend("a", Behaviour.dead()).duration(S10).build())
        .hasMessage("simulation.rate: null (expected: requests per second, e.g. rate(1000))");
    assertThatThrownBy(() -> Simulation.builder().rate(1).duration(S10).build())
        .hasMessage("simulation.backends: [] (expected: at least one backend)");
    assertThatThrownBy(() -> twoBackends().backend("a", Behaviour.dead()))
        .hasMessage("simulation.backends: \"a\" (expected: a name not used by another backend)");
    assertThatThrownBy(() -> twoBackends().removeAt(Duration.ofSeconds(1), "c").build())
        .hasMessage("simulation.removeAt: \"c\" (expected: the name of a backend, one of [a, b])");
    assertThatThrownBy(() -> twoBackends().loadBalancer("fastest").build())
        .hasMessageStartingWith("simulation.loadBalancer: \"fastest\" (expected: one of [")
        .hasMessageContaining("peak_ewma");
    assertThatThrownBy(() -> Backend.builder("a", Behaviour.dead()).weight(0))
        .hasMessage("backends.a.weight: 0 (expected: 1..1000000)");
    SimulationResult r = twoBackends().build().run();
    assertThatThrownBy(() -> r.backend("c")).hasMessage("backend: \"c\" (expected: one of [a, b])");
    assertThatThrownBy(() -> r.share("a", S10, Duration.ofSeconds(5)))
        .hasMessage("to: PT5S (expected: > from (PT10S))");
  }
}
