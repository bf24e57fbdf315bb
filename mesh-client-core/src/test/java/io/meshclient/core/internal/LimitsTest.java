package io.meshclient.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limiter.AbstractLimiter;
import io.meshclient.api.AdaptiveConcurrencyPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Each endpoint's adaptive concurrency limiter, as the mesh makes it, driven on a hand-moved ticker:
 * the limit grows while answers stay fast, falls when they slow down or are dropped, and keeps to the
 * policy's bounds for both algorithms.
 */
class LimitsTest {
  private final long[] now = {0};
  private final Ticker ticker = () -> now[0];

  /**
   * Takes every permit the limiter grants (a full load, so the algorithm does not see itself as
   * app-limited), moves the clock by {@code latencyMillis}, and ends each permit as {@code dropped}
   * says. Returns the limit afterwards.
   */
  private int round(AbstractLimiter<Void> limiter, long latencyMillis, boolean dropped) {
    List<Limiter.Listener> inFlight = new ArrayList<>();
    for (var permit = limiter.acquire(null); permit.isPresent(); permit = limiter.acquire(null)) {
      inFlight.add(permit.get());
    }
    now[0] += TimeUnit.MILLISECONDS.toNanos(latencyMillis);
    for (Limiter.Listener listener : inFlight) {
      if (dropped) {
        listener.onDropped();
      } else {
        listener.onSuccess();
      }
    }
    return limiter.getLimit();
  }

  private int rounds(AbstractLimiter<Void> limiter, int count, long latencyMillis, boolean dropped) {
    int limit = limiter.getLimit();
    for (int i = 0; i < count; i++) {
      limit = round(limiter, latencyMillis, dropped);
    }
    return limit;
  }

  private static AbstractLimiter<Void> limiter(AdaptiveConcurrencyPolicy policy, Ticker ticker) {
    AbstractLimiter<Void> limiter = Limits.create(policy, ticker, "svc/e1");
    assertThat(limiter).isNotNull();
    return limiter;
  }

  @Test
  void noLimiterWhenThePolicyIsOff() {
    assertThat(Limits.create(AdaptiveConcurrencyPolicy.disabled(), ticker, "svc/e1")).isNull();
  }

  @Test
  void gradient2GrowsUnderFastAnswersAndFallsWhenTheyTurnSlow() {
    AbstractLimiter<Void> limiter = limiter(AdaptiveConcurrencyPolicy.builder().algorithm("gradient2")
        .initialLimit(4).minLimit(2).maxLimit(50).build(), ticker);

    int grown = rounds(limiter, 40, 10, false);
    assertThat(grown).isGreaterThan(4).isLessThanOrEqualTo(50);

    // Ten times the latency it got used to: the gradient cuts the limit (until the long-term
    // average catches up, which two rounds are too few for).
    int fallen = rounds(limiter, 2, 100, false);
    assertThat(fallen).isLessThan(grown).isGreaterThanOrEqualTo(2);
  }

  @Test
  void gradient2NeverGrowsPastMaxLimit() {
    AbstractLimiter<Void> limiter = limiter(AdaptiveConcurrencyPolicy.builder().algorithm("gradient2")
        .initialLimit(4).minLimit(1).maxLimit(8).build(), ticker);

    assertThat(rounds(limiter, 200, 10, false)).isEqualTo(8);
  }

  @Test
  void vegasGrowsUnderFastAnswersAndFallsOnDrops() {
    AbstractLimiter<Void> limiter = limiter(AdaptiveConcurrencyPolicy.builder().algorithm("vegas")
        .initialLimit(4).minLimit(1).maxLimit(50).build(), ticker);

    int grown = rounds(limiter, 10, 10, false);
    assertThat(grown).isGreaterThan(4).isLessThanOrEqualTo(50);

    int fallen = rounds(limiter, 10, 10, true);
    assertThat(fallen).isLessThan(grown);
  }

  @Test
  void vegasKeepsToMinLimitHoweverManyDrops() {
    AbstractLimiter<Void> limiter = limiter(AdaptiveConcurrencyPolicy.builder().algorithm("vegas")
        .initialLimit(20).minLimit(5).maxLimit(50).build(), ticker);

    // Vegas alone would sink to 1; the policy's floor holds it at 5.
    assertThat(rounds(limiter, 200, 10, true)).isEqualTo(5);
    // And the limiter admits that many at once.
    List<Limiter.Listener> held = new ArrayList<>();
    for (var permit = limiter.acquire(null); permit.isPresent(); permit = limiter.acquire(null)) {
      held.add(permit.get());
    }
    assertThat(held).hasSize(5);
  }

  @Test
  void vegasNeverGrowsPastMaxLimit() {
    AbstractLimiter<Void> limiter = limiter(AdaptiveConcurrencyPolicy.builder().algorithm("vegas")
        .initialLimit(4).minLimit(1).maxLimit(8).build(), ticker);

    assertThat(rounds(limiter, 200, 10, false)).isEqualTo(8);
  }
}
