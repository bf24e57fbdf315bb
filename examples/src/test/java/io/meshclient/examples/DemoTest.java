package io.meshclient.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshclient.examples.DemoSummary.EndpointTotal;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the demo once for two seconds, then checks what it did and what it printed. */
class DemoTest {
  private static DemoSummary summary;
  private static String output;

  @BeforeAll
  @Timeout(60)
  static void runTheDemo() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      summary = Demo.run(Duration.ofSeconds(2), out);
    }
    output = bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void printsATableEachSecondThenTheSummary() {
    assertThat(output.lines().filter(EndpointTable.HEADER::equals)).hasSize(2);
    assertThat(output).contains("summary: 2 s of traffic to service demo", EndpointTable.TOTALS_HEADER);
    assertThat(output.indexOf("summary:")).isGreaterThan(output.lastIndexOf(EndpointTable.HEADER));
  }

  @Test
  void retriesHideMostOfTheFlakyInstancesFailuresFromTheCaller() {
    EndpointTotal flaky = endpoint("flaky");
    assertThat(flaky.errorShare()).as("the flaky instance's attempt error share").isGreaterThan(0.2);
    assertThat(summary.succeeded()).isPositive();
    assertThat(summary.failureShare()).as("the caller's failure share").isLessThan(flaky.errorShare() / 10);
    // Without retries the breaker alone would keep the share low; these need the retries.
    assertThat(summary.failures().getOrDefault("HTTP 503", 0L)).as("503s that reached the caller").isZero();
    assertThat(summary.retries()).isGreaterThanOrEqualTo(flaky.errors() - summary.failed());
  }

  @Test
  void everyEndpointGetsAttempts() {
    assertThat(summary.endpoints()).extracting(EndpointTotal::role).containsExactly("healthy", "slow", "flaky");
    assertThat(summary.endpoints()).allSatisfy(e -> assertThat(e.requests()).as(e.role()).isPositive());
    assertThat(summary.endpoints().stream().mapToLong(EndpointTotal::requests).sum()).isEqualTo(summary.attempts());
  }

  @Test
  void leastRequestGivesTheSlowInstanceLessThanTheHealthyOne() {
    assertThat(endpoint("slow").requests()).isLessThan(endpoint("healthy").requests() / 2);
    assertThat(endpoint("slow").meanLatency()).isGreaterThanOrEqualTo(DemoBackend.Role.SLOW.delay());
  }

  @Test
  void theFlakyInstancesBreakerOpens() {
    assertThat(endpoint("flaky").breakerOpenings()).isPositive();
    assertThat(output.lines().filter(line -> line.contains(" flaky ") && line.endsWith("CLOSED > OPEN")))
        .as(output).isNotEmpty();
  }

  @Test
  void leavesNoThreadRunningThatWouldKeepTheJvmAlive() throws InterruptedException {
    List<Thread> started = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !t.isDaemon())
        .filter(t -> t.getName().startsWith(NamedThreadFactory.PREFIX)
            || t.getName().startsWith("HTTP-Dispatcher")
            || t.getName().startsWith("OkHttp"))
        .toList();
    // A pool's threads may still be finishing their last instructions once it reports termination.
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    for (Thread thread : started) {
      thread.join(Math.max(1, Duration.ofNanos(deadline - System.nanoTime()).toMillis()));
    }
    assertThat(started).noneMatch(Thread::isAlive);
  }

  private static EndpointTotal endpoint(String role) {
    return summary.endpoint(role).orElseThrow();
  }
}
