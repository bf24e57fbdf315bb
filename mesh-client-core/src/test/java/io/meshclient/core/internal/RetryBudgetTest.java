package io.meshclient.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshclient.api.RetryBudgetPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The retry budget's arithmetic on a hand-moved clock, and the live percentile behind hedge delays. */
class RetryBudgetTest {
  private final long[] now = {0};
  private final Ticker ticker = () -> now[0];

  private int withdrawals(RetryBudget budget, int tries) {
    int granted = 0;
    for (int i = 0; i < tries; i++) {
      granted += budget.tryWithdraw() ? 1 : 0;
    }
    return granted;
  }

  @Test
  void retriesMayAddThePercentOfCallsPlusTheFloor() {
    RetryBudget budget = new RetryBudget(RetryBudgetPolicy.builder().percent(20).minRetriesPerSecond(1)
        .window(Duration.ofSeconds(10)).build(), ticker);
    for (int i = 0; i < 100; i++) {
      budget.deposit();
    }
    // 20 % of 100 calls, plus 1 a second over 10 seconds.
    assertThat(withdrawals(budget, 1_000)).isEqualTo(30);
    assertThat(budget.exhausted()).isEqualTo(970);
  }

  @Test
  void theWindowForgetsOldCallsAndRetries() {
    RetryBudget budget = new RetryBudget(RetryBudgetPolicy.builder().percent(50).minRetriesPerSecond(0)
        .window(Duration.ofSeconds(2)).build(), ticker);
    for (int i = 0; i < 10; i++) {
      budget.deposit();
    }
    assertThat(withdrawals(budget, 10)).isEqualTo(5);
    now[0] += Duration.ofSeconds(3).toNanos(); // the window has moved past all of it
    assertThat(withdrawals(budget, 1)).as("no calls in the window: no budget").isZero();
    for (int i = 0; i < 4; i++) {
      budget.deposit();
    }
    assertThat(withdrawals(budget, 10)).isEqualTo(2);
  }

  @Test
  void anUnlimitedBudgetAlwaysGrants() {
    RetryBudget budget = new RetryBudget(RetryBudgetPolicy.unlimited(), ticker);
    assertThat(withdrawals(budget, 1_000)).isEqualTo(1_000);
  }

  @Test
  void thePercentileFollowsRecentLatenciesAndNeedsAHistory() {
    LatencyTracker tracker = new LatencyTracker(ticker);
    for (int i = 0; i < LatencyTracker.MIN_SAMPLES - 1; i++) {
      tracker.record(Duration.ofMillis(10).toNanos());
    }
    assertThat(tracker.percentileNanos(95)).as("too few samples").isEqualTo(-1);

    now[0] += Duration.ofSeconds(1).toNanos();
    for (int i = 0; i < 950; i++) {
      tracker.record(Duration.ofMillis(10).toNanos());
    }
    for (int i = 0; i < 50; i++) {
      tracker.record(Duration.ofMillis(200).toNanos());
    }
    long p95 = tracker.percentileNanos(95);
    assertThat(p95).isBetween(Duration.ofMillis(10).toNanos(), Duration.ofMillis(12).toNanos());
    long p99 = tracker.percentileNanos(99);
    assertThat(p99).isBetween(Duration.ofMillis(200).toNanos(), Duration.ofMillis(240).toNanos());

    now[0] += Duration.ofSeconds(25).toNanos(); // two windows later, the history is gone
    for (int i = 0; i < 100; i++) {
      tracker.record(Duration.ofMillis(50).toNanos());
    }
    assertThat(tracker.percentileNanos(95)).isBetween(Duration.ofMillis(50).toNanos(), Duration.ofMillis(60).toNanos());
  }
}
