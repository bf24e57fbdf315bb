package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How many retries and hedges a service may add on top of its calls, so that a brownout never turns
 * into a retry storm. Over a sliding {@linkplain #window() window}, retries may number at most
 * {@linkplain #percent() a percentage} of the calls made plus a {@linkplain #minRetriesPerSecond()
 * small floor} per second (so that a quiet service can still retry). When the budget is spent, the
 * failure that would have been retried goes back to the caller.
 *
 * <pre>{@code
 * RetryBudgetPolicy budget = RetryBudgetPolicy.builder().percent(10).minRetriesPerSecond(5).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class RetryBudgetPolicy {
  /** The share of calls that may be retried, unless set: 20 %. */
  public static final double DEFAULT_PERCENT = 20.0;

  /** The floor of retries per second, unless set: 10. */
  public static final int DEFAULT_MIN_RETRIES_PER_SECOND = 10;

  /** The window calls and retries are counted over, unless set: 10 seconds. */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

  private static final RetryBudgetPolicy DEFAULTS = builder().build();
  private static final RetryBudgetPolicy UNLIMITED = builder().enabled(false).build();

  private final boolean enabled;
  private final double percent;
  private final int minRetriesPerSecond;
  private final Duration window;

  private RetryBudgetPolicy(Builder b) {
    this.enabled = b.enabled;
    this.percent = b.percent;
    this.minRetriesPerSecond = b.minRetriesPerSecond;
    this.window = b.window;
  }

  /** The default budget: 20 % of calls plus 10 retries a second, over 10 seconds. */
  public static RetryBudgetPolicy ofDefaults() {
    return DEFAULTS;
  }

  /** No budget: every retry the retry policy allows is made. */
  public static RetryBudgetPolicy unlimited() {
    return UNLIMITED;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy's values. */
  public Builder toBuilder() {
    return new Builder().enabled(enabled).percent(percent).minRetriesPerSecond(minRetriesPerSecond).window(window);
  }

  /** Whether retries are limited at all. */
  public boolean enabled() {
    return enabled;
  }

  /** Retries allowed as a percentage of the calls in the window. */
  public double percent() {
    return percent;
  }

  /** Retries allowed per second of the window whatever the traffic. */
  public int minRetriesPerSecond() {
    return minRetriesPerSecond;
  }

  /** How far back calls and retries are counted. */
  public Duration window() {
    return window;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof RetryBudgetPolicy)) {
      return false;
    }
    RetryBudgetPolicy that = (RetryBudgetPolicy) o;
    return enabled == that.enabled && Double.compare(percent, that.percent) == 0
        && minRetriesPerSecond == that.minRetriesPerSecond && window.equals(that.window);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(enabled, percent, minRetriesPerSecond, window);
  }

  @Override
  public String toString() {
    return enabled ? "RetryBudgetPolicy{" + percent + "% + " + minRetriesPerSecond + "/s over " + window + "}"
        : "RetryBudgetPolicy{unlimited}";
  }

  /** Builds a {@link RetryBudgetPolicy}; {@link #build()} checks the values. Not thread-safe. */
  public static final class Builder {
    private boolean enabled = true;
    private double percent = DEFAULT_PERCENT;
    private int minRetriesPerSecond = DEFAULT_MIN_RETRIES_PER_SECOND;
    private Duration window = DEFAULT_WINDOW;

    private Builder() {}

    /** Sets whether retries are limited (on by default). */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /** Sets the share of calls that may be retried, 0..100 percent. */
    public Builder percent(double percent) {
      this.percent = percent;
      return this;
    }

    /** Sets the floor of retries per second (>= 0). */
    public Builder minRetriesPerSecond(int minRetriesPerSecond) {
      this.minRetriesPerSecond = minRetriesPerSecond;
      return this;
    }

    /** Sets the window, 1 s to 5 min. */
    public Builder window(Duration window) {
      this.window = requireNonNull(window, "window");
      return this;
    }

    /**
     * Checks the values and builds the policy.
     *
     * @throws MeshConfigException naming the first bad field
     */
    public RetryBudgetPolicy build() {
      if (!(percent >= 0 && percent <= 100)) {
        throw new MeshConfigException("retryBudget.percent", percent, "0..100");
      }
      if (minRetriesPerSecond < 0) {
        throw new MeshConfigException("retryBudget.minRetriesPerSecond", minRetriesPerSecond, ">= 0");
      }
      if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new MeshConfigException("retryBudget.window", window, "1s..5m");
      }
      return new RetryBudgetPolicy(this);
    }
  }
}
