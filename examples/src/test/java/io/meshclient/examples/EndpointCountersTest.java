package io.meshclient.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshclient.api.Endpoint;
import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class EndpointCountersTest {
  private final EndpointCounters counters = new EndpointCounters(Endpoint.of("127.0.0.1", 8080), "flaky");

  @Test
  void percentilesAreNearestRankOverTheWindow() {
    LongStream.rangeClosed(1, 100).forEach(ms -> counters.record(Duration.ofMillis(ms).toNanos(), ms % 10 == 0));

    EndpointCounters.Second second = counters.roll();

    assertThat(second.requests()).isEqualTo(100);
    assertThat(second.errors()).isEqualTo(10);
    assertThat(second.p50()).isEqualTo(Duration.ofMillis(50));
    assertThat(second.p99()).isEqualTo(Duration.ofMillis(99));
  }

  @Test
  void aRollStartsAnEmptyWindowWhileTheTotalsGoOn() {
    counters.record(Duration.ofMillis(4).toNanos(), false);
    counters.record(Duration.ofMillis(2).toNanos(), true);
    counters.roll();

    EndpointCounters.Second empty = counters.roll();
    DemoSummary.EndpointTotal total = counters.total("CLOSED");

    assertThat(empty.requests()).isZero();
    assertThat(empty.p50()).isNull();
    assertThat(total.requests()).isEqualTo(2);
    assertThat(total.errors()).isEqualTo(1);
    assertThat(total.meanLatency()).isEqualTo(Duration.ofMillis(3));
    assertThat(total.maxLatency()).isEqualTo(Duration.ofMillis(4));
  }

  @Test
  void breakerChangesAreListedInOrderAndOpeningsCounted() {
    counters.observeBreaker("CLOSED", "OPEN");
    counters.observeBreaker("OPEN", "HALF_OPEN");
    counters.observeBreaker("HALF_OPEN", "OPEN");

    assertThat(counters.roll().breakerPath()).containsExactly("CLOSED", "OPEN", "HALF_OPEN", "OPEN");
    assertThat(counters.roll().breakerPath()).isEmpty();
    assertThat(counters.total("OPEN").breakerOpenings()).isEqualTo(2);
  }
}
