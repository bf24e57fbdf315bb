package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The circuit breaker each endpoint of a service gets. The breaker watches the last
 * {@linkplain #slidingWindowSize() n} attempts to its endpoint; once at least
 * {@linkplain #minimumNumberOfCalls() m} are recorded and the share that failed (I/O error or a
 * 5xx status) reaches the {@linkplain #failureRateThreshold() threshold}, it opens: the mesh stops
 * sending to that endpoint, without any network I/O, for {@linkplain #waitDurationInOpenState()
 * a while}. Then it lets a few {@linkplain #permittedCallsInHalfOpenState() trial calls} through
 * (half-open) and closes again if they succeed.
 *
 * <pre>{@code
 * CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
 *     .failureRateThreshold(50)
 *     .slidingWindowSize(20)
 *     .minimumNumberOfCalls(10)
 *     .waitDurationInOpenState(Duration.ofSeconds(10))
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class CircuitBreakerPolicy {
  /** Failure percentage that opens the breaker unless set: 50. */
  public static final float DEFAULT_FAILURE_RATE_THRESHOLD = 50f;

  /** Attempts the breaker looks back over unless set: 20. */
  public static final int DEFAULT_SLIDING_WINDOW_SIZE = 20;

  /** Attempts recorded before the rate counts, unless set: 10. */
  public static final int DEFAULT_MINIMUM_NUMBER_OF_CALLS = 10;

  /** How long an open breaker rejects before trying again, unless set: 10 s. */
  public static final Duration DEFAULT_WAIT_DURATION_IN_OPEN_STATE = Duration.ofSeconds(10);

  /** Trial calls let through while half-open, unless set: 3. */
  public static final int DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE = 3;

  private static final CircuitBreakerPolicy DEFAULTS = builder().build();
  private static final CircuitBreakerPolicy DISABLED = builder().enabled(false).build();

  private final boolean enabled;
  private final float failureRateThreshold;
  private final int slidingWindowSize;
  private final int minimumNumberOfCalls;
  private final Duration waitDurationInOpenState;
  private final int permittedCallsInHalfOpenState;

  private CircuitBreakerPolicy(Builder b) {
    this.enabled = b.enabled;
    this.failureRateThreshold = b.failureRateThreshold;
    this.slidingWindowSize = b.slidingWindowSize;
    this.minimumNumberOfCalls = b.minimumNumberOfCalls;
    this.waitDurationInOpenState = b.waitDurationInOpenState;
    this.permittedCallsInHalfOpenState = b.permittedCallsInHalfOpenState;
  }

  /** The default breaker: opens at 50 % failures of the last 20 attempts (10 at least), for 10 s. */
  public static CircuitBreakerPolicy ofDefaults() {
    return DEFAULTS;
  }

  /** No breaker: every endpoint is always tried. */
  public static CircuitBreakerPolicy disabled() {
    return DISABLED;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy's values. */
  public Builder toBuilder() {
    return new Builder()
        .enabled(enabled)
        .failureRateThreshold(failureRateThreshold)
        .slidingWindowSize(slidingWindowSize)
        .minimumNumberOfCalls(minimumNumberOfCalls)
        .waitDurationInOpenState(waitDurationInOpenState)
        .permittedCallsInHalfOpenState(permittedCallsInHalfOpenState);
  }

  /** Whether endpoints get a breaker at all. */
  public boolean enabled() {
    return enabled;
  }

  /** The failure percentage (0 exclusive .. 100) that opens the breaker. */
  public float failureRateThreshold() {
    return failureRateThreshold;
  }

  /** How many of the most recent attempts the failure rate is taken over. */
  public int slidingWindowSize() {
    return slidingWindowSize;
  }

  /** How many attempts must be recorded before the failure rate can open the breaker. */
  public int minimumNumberOfCalls() {
    return minimumNumberOfCalls;
  }

  /** How long an open breaker rejects calls before it lets trial calls through. */
  public Duration waitDurationInOpenState() {
    return waitDurationInOpenState;
  }

  /** How many trial calls a half-open breaker lets through. */
  public int permittedCallsInHalfOpenState() {
    return permittedCallsInHalfOpenState;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof CircuitBreakerPolicy)) {
      return false;
    }
    CircuitBreakerPolicy that = (CircuitBreakerPolicy) o;
    return enabled == that.enabled
        && Float.compare(failureRateThreshold, that.failureRateThreshold) == 0
        && slidingWindowSize == that.slidingWindowSize
        && minimumNumberOfCalls == that.minimumNumberOfCalls
        && waitDurationInOpenState.equals(that.waitDurationInOpenState)
        && permittedCallsInHalfOpenState == that.permittedCallsInHalfOpenState;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(enabled, failureRateThreshold, slidingWindowSize,
        minimumNumberOfCalls, waitDurationInOpenState, permittedCallsInHalfOpenState);
  }

  @Override
  public String toString() {
    if (!enabled) {
      return "CircuitBreakerPolicy{disabled}";
    }
    return "CircuitBreakerPolicy{failureRateThreshold=" + failureRateThreshold
        + "%, slidingWindowSize=" + slidingWindowSize
        + ", minimumNumberOfCalls=" + minimumNumberOfCalls
        + ", waitDurationInOpenState=" + waitDurationInOpenState
        + ", permittedCallsInHalfOpenState=" + permittedCallsInHalfOpenState + "}";
  }

  /** Builds a {@link CircuitBreakerPolicy}; {@link #build()} checks the values. Not thread-safe. */
  public static final class Builder {
    private boolean enabled = true;
    private float failureRateThreshold = DEFAULT_FAILURE_RATE_THRESHOLD;
    private int slidingWindowSize = DEFAULT_SLIDING_WINDOW_SIZE;
    private int minimumNumberOfCalls = DEFAULT_MINIMUM_NUMBER_OF_CALLS;
    private Duration waitDurationInOpenState = DEFAULT_WAIT_DURATION_IN_OPEN_STATE;
    private int permittedCallsInHalfOpenState = DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE;

    private Builder() {}

    /** Sets whether endpoints get a breaker. */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /** Sets the failure percentage that opens the breaker, in (0, 100]. */
    public Builder failureRateThreshold(float failureRateThreshold) {
      this.failureRateThreshold = failureRateThreshold;
      return this;
    }

    /** Sets how many recent attempts the rate is taken over (>= 1). */
    public Builder slidingWindowSize(int slidingWindowSize) {
      this.slidingWindowSize = slidingWindowSize;
      return this;
    }

    /** Sets how many attempts must be recorded before the breaker may open (1..window size). */
    public Builder minimumNumberOfCalls(int minimumNumberOfCalls) {
      this.minimumNumberOfCalls = minimumNumberOfCalls;
      return this;
    }

    /** Sets how long an open breaker rejects calls (> 0). */
    public Builder waitDurationInOpenState(Duration waitDurationInOpenState) {
      this.waitDurationInOpenState = requireNonNull(waitDurationInOpenState, "waitDurationInOpenState");
      return this;
    }

    /** Sets how many trial calls a half-open breaker lets through (>= 1). */
    public Builder permittedCallsInHalfOpenState(int permittedCallsInHalfOpenState) {
      this.permittedCallsInHalfOpenState = permittedCallsInHalfOpenState;
      return this;
    }

    /**
     * Checks the values and builds the policy.
     *
     * @throws MeshConfigException naming the first bad field
     */
    public CircuitBreakerPolicy build() {
      if (!(failureRateThreshold > 0f && failureRateThreshold <= 100f)) {
        throw new MeshConfigException(
            "circuitBreaker.failureRateThreshold", failureRateThreshold, "a percentage in (0, 100]");
      }
      if (slidingWindowSize < 1) {
        throw new MeshConfigException("circuitBreaker.slidingWindowSize", slidingWindowSize, ">= 1");
      }
      if (minimumNumberOfCalls < 1 || minimumNumberOfCalls > slidingWindowSize) {
        throw new MeshConfigException("circuitBreaker.minimumNumberOfCalls", minimumNumberOfCalls,
            "1..circuitBreaker.slidingWindowSize (" + slidingWindowSize + ")");
      }
      if (waitDurationInOpenState.isNegative() || waitDurationInOpenState.isZero()) {
        throw new MeshConfigException(
            "circuitBreaker.waitDurationInOpenState", waitDurationInOpenState, "> 0s");
      }
      if (permittedCallsInHalfOpenState < 1) {
        throw new MeshConfigException(
            "circuitBreaker.permittedCallsInHalfOpenState", permittedCallsInHalfOpenState, ">= 1");
      }
      return new CircuitBreakerPolicy(this);
    }
  }
}
