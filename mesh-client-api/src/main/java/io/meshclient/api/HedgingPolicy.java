package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Hedged requests: when an idempotent call has had no answer after the {@linkplain #delay() hedge
 * delay}, one more attempt goes to another endpoint; the first good answer wins, and the others are
 * cancelled and their bodies closed. The delay is fixed, or {@linkplain #delayPercentile() the
 * service's live latency percentile} (p95 by default), so that only the slowest few percent of calls
 * are hedged. Hedges draw on the service's {@link RetryBudgetPolicy retry budget}. Off by default.
 *
 * <pre>{@code
 * HedgingPolicy fixed = HedgingPolicy.builder().delay(Duration.ofMillis(50)).build();
 * HedgingPolicy adaptive = HedgingPolicy.builder().delayPercentile(95).build();
 * }</pre>
 *
 * <p>Only requests that may be sent twice are hedged (see {@link RetryPolicy}). Immutable and
 * thread-safe.
 */
public final class HedgingPolicy {
  /** The most hedges one call may add. */
  public static final int MAX_HEDGES_LIMIT = 3;

  /** The delay floor under a live percentile, unless set: 1 ms. */
  public static final Duration DEFAULT_MIN_DELAY = Duration.ofMillis(1);

  private static final HedgingPolicy DISABLED = new Builder().build();

  private final boolean enabled;
  private final Duration delay;
  private final double delayPercentile;
  private final Duration minDelay;
  private final int maxHedges;

  private HedgingPolicy(Builder b) {
    this.enabled = b.enabled;
    this.delay = b.delay;
    this.delayPercentile = b.delayPercentile;
    this.minDelay = b.minDelay;
    this.maxHedges = b.maxHedges;
  }

  /** No hedging: the default. */
  public static HedgingPolicy disabled() {
    return DISABLED;
  }

  /** A builder for a hedging policy (enabled once a delay or percentile is set). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.enabled = enabled;
    b.delay = delay;
    b.delayPercentile = delayPercentile;
    b.minDelay = minDelay;
    b.maxHedges = maxHedges;
    return b;
  }

  /** Whether calls are hedged. */
  public boolean enabled() {
    return enabled;
  }

  /** The fixed hedge delay; zero when the delay follows a live percentile. */
  public Duration delay() {
    return delay;
  }

  /** The latency percentile (e.g. 95) whose live value is the delay; 0 when the delay is fixed. */
  public double delayPercentile() {
    return delayPercentile;
  }

  /** The smallest delay a live percentile may give (so a fast service is not hedged at once). */
  public Duration minDelay() {
    return minDelay;
  }

  /** The most extra attempts one call may send this way. */
  public int maxHedges() {
    return maxHedges;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof HedgingPolicy)) {
      return false;
    }
    HedgingPolicy that = (HedgingPolicy) o;
    return enabled == that.enabled && delay.equals(that.delay)
        && Double.compare(delayPercentile, that.delayPercentile) == 0 && minDelay.equals(that.minDelay)
        && maxHedges == that.maxHedges;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(enabled, delay, delayPercentile, minDelay, maxHedges);
  }

  @Override
  public String toString() {
    if (!enabled) {
      return "HedgingPolicy{disabled}";
    }
    return "HedgingPolicy{" + (delayPercentile > 0 ? "p" + delayPercentile + " (min " + minDelay + ")" : delay)
        + ", maxHedges=" + maxHedges + "}";
  }

  /** Builds a {@link HedgingPolicy}; {@link #build()} checks the values. Not thread-safe. */
  public static final class Builder {
    private boolean enabled;
    private Duration delay = Duration.ZERO;
    private double delayPercentile;
    private Duration minDelay = DEFAULT_MIN_DELAY;
    private int maxHedges = 1;

    private Builder() {}

    /** Sets whether calls are hedged; setting a delay or percentile turns it on. */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /** Hedges after a fixed delay (> 0), and turns hedging on. */
    public Builder delay(Duration delay) {
      this.delay = requireNonNull(delay, "delay");
      this.delayPercentile = 0;
      this.enabled = true;
      return this;
    }

    /** Hedges after the service's live latency percentile (50..99.9), and turns hedging on. */
    public Builder delayPercentile(double percentile) {
      this.delayPercentile = percentile;
      this.delay = Duration.ZERO;
      this.enabled = true;
      return this;
    }

    /** Sets the floor of a live-percentile delay. */
    public Builder minDelay(Duration minDelay) {
      this.minDelay = requireNonNull(minDelay, "minDelay");
      return this;
    }

    /** Sets the most hedges one call may send, 1..{@value HedgingPolicy#MAX_HEDGES_LIMIT}. */
    public Builder maxHedges(int maxHedges) {
      this.maxHedges = maxHedges;
      return this;
    }

    /**
     * Checks the values and builds the policy.
     *
     * @throws MeshConfigException naming the first bad field
     */
    public HedgingPolicy build() {
      if (enabled) {
        if (delayPercentile == 0 && (delay.isNegative() || delay.isZero())) {
          throw new MeshConfigException("hedging.delay", delay, "> 0s, or a delayPercentile instead");
        }
        if (delayPercentile != 0 && !(delayPercentile >= 50 && delayPercentile <= 99.9)) {
          throw new MeshConfigException("hedging.delayPercentile", delayPercentile, "50..99.9");
        }
      }
      if (minDelay.isNegative()) {
        throw new MeshConfigException("hedging.minDelay", minDelay, ">= 0s");
      }
      if (maxHedges < 1 || maxHedges > MAX_HEDGES_LIMIT) {
        throw new MeshConfigException("hedging.maxHedges", maxHedges, "1.." + MAX_HEDGES_LIMIT);
      }
      return new HedgingPolicy(this);
    }
  }
}
