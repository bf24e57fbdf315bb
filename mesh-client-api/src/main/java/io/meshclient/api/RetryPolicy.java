package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * When and how a failed attempt is tried again. Each retry goes to a different endpoint when one
 * exists, after an exponential backoff with full jitter: the n-th retry waits a random time in
 * {@code [0, min(maxBackoff, initialBackoff * multiplier^(n-1))]}.
 *
 * <p>What is retried is what the {@linkplain #retryOn() rule} says (by default a connect failure, a
 * reset, a per-try timeout, or 502/503/504), and only where sending the request again is safe:
 * <ul>
 *   <li>a connection that could not be made: nothing was sent, so for every method;
 *   <li>anything else for idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE, TRACE), for a
 *       request that carries an {@value #IDEMPOTENCY_KEY} header, or for every method when
 *       {@link #retryNonIdempotent()} is set.
 * </ul>
 * A request whose body is one-shot is never sent twice. A {@code Retry-After} on a 429 or 503 is
 * honoured as the backoff when the call's deadline leaves room for it. Retries also draw on the
 * service's {@link RetryBudgetPolicy retry budget}. When the last attempt ends in a retryable status,
 * the caller gets that response; when it ends in an I/O failure, the caller gets a
 * {@link RetriesExhaustedException}.
 *
 * <pre>{@code
 * RetryPolicy retry = RetryPolicy.builder()
 *     .maxAttempts(3)
 *     .initialBackoff(Duration.ofMillis(25))
 *     .maxBackoff(Duration.ofMillis(250))
 *     .build();
 * RetryPolicy none = RetryPolicy.disabled();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class RetryPolicy {
  /** Attempts per call, the first included, unless set: 3. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  /** The largest number of attempts accepted. */
  public static final int MAX_ATTEMPTS_LIMIT = 10;

  /** The request header that makes a POST or PATCH retryable: the server deduplicates by it. */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /** The upper bound of the first retry's backoff unless set: 25 ms. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(25);

  /** The cap of any backoff unless set: 250 ms. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMillis(250);

  /** The growth of the backoff per retry unless set: 2. */
  public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;

  private static final RetryPolicy DEFAULTS = builder().build();
  private static final RetryPolicy DISABLED = builder().maxAttempts(1).build();

  private final int maxAttempts;
  private final RetryRule retryOn;
  private final boolean retryNonIdempotent;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double backoffMultiplier;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.retryOn = b.retryOn;
    this.retryNonIdempotent = b.retryNonIdempotent;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.backoffMultiplier = b.backoffMultiplier;
  }

  /** The default policy: 3 attempts, {@link RetryRule#DEFAULT}, 25..250 ms backoff. */
  public static RetryPolicy ofDefaults() {
    return DEFAULTS;
  }

  /** A policy that never retries: one attempt per call. */
  public static RetryPolicy disabled() {
    return DISABLED;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy's values. */
  public Builder toBuilder() {
    return new Builder()
        .maxAttempts(maxAttempts)
        .retryOn(retryOn)
        .retryNonIdempotent(retryNonIdempotent)
        .initialBackoff(initialBackoff)
        .maxBackoff(maxBackoff)
        .backoffMultiplier(backoffMultiplier);
  }

  /** Attempts per call, the first one included; 1 means no retry. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Which failures are retried. */
  public RetryRule retryOn() {
    return retryOn;
  }

  /** Whether POST, PATCH and other non-idempotent methods are retried like idempotent ones. */
  public boolean retryNonIdempotent() {
    return retryNonIdempotent;
  }

  /** The upper bound of the first retry's backoff. */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** The cap of every backoff. */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** How much the backoff bound grows per retry. */
  public double backoffMultiplier() {
    return backoffMultiplier;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof RetryPolicy)) {
      return false;
    }
    RetryPolicy that = (RetryPolicy) o;
    return maxAttempts == that.maxAttempts
        && retryNonIdempotent == that.retryNonIdempotent
        && Double.compare(backoffMultiplier, that.backoffMultiplier) == 0
        && retryOn.equals(that.retryOn)
        && initialBackoff.equals(that.initialBackoff)
        && maxBackoff.equals(that.maxBackoff);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(maxAttempts, retryOn, retryNonIdempotent, initialBackoff, maxBackoff, backoffMultiplier);
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxAttempts=" + maxAttempts
        + ", retryOn=" + retryOn
        + ", retryNonIdempotent=" + retryNonIdempotent
        + ", backoff=" + initialBackoff + ".." + maxBackoff + " x" + backoffMultiplier + "}";
  }

  /** Builds a {@link RetryPolicy}; {@link #build()} checks the values. Not thread-safe. */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private RetryRule retryOn = RetryRule.DEFAULT;
    private boolean retryNonIdempotent;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private double backoffMultiplier = DEFAULT_BACKOFF_MULTIPLIER;

    private Builder() {}

    /** Sets the attempts per call, the first included: 1..{@value RetryPolicy#MAX_ATTEMPTS_LIMIT}. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** Sets which failures are retried, e.g. {@code RetryRule.connectFailure().or(RetryRule.serverErrors())}. */
    public Builder retryOn(RetryRule retryOn) {
      this.retryOn = requireNonNull(retryOn, "retryOn");
      return this;
    }

    /** Sets whether non-idempotent methods (POST, PATCH) are retried even without an idempotency key. */
    public Builder retryNonIdempotent(boolean retryNonIdempotent) {
      this.retryNonIdempotent = retryNonIdempotent;
      return this;
    }

    /** Sets the upper bound of the first retry's backoff (zero for no wait). */
    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = requireNonNull(initialBackoff, "initialBackoff");
      return this;
    }

    /** Sets the cap of every backoff. */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = requireNonNull(maxBackoff, "maxBackoff");
      return this;
    }

    /** Sets how much the backoff bound grows per retry (>= 1). */
    public Builder backoffMultiplier(double backoffMultiplier) {
      this.backoffMultiplier = backoffMultiplier;
      return this;
    }

    /**
     * Checks the values and builds the policy.
     *
     * @throws MeshConfigException naming the first bad field
     */
    public RetryPolicy build() {
      if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
        throw new MeshConfigException("retry.maxAttempts", maxAttempts, "1.." + MAX_ATTEMPTS_LIMIT);
      }
      if (initialBackoff.isNegative()) {
        throw new MeshConfigException("retry.initialBackoff", initialBackoff, ">= 0s");
      }
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new MeshConfigException(
            "retry.maxBackoff", maxBackoff, ">= retry.initialBackoff (" + initialBackoff + ")");
      }
      if (!(backoffMultiplier >= 1.0) || Double.isInfinite(backoffMultiplier)) {
        throw new MeshConfigException("retry.backoffMultiplier", backoffMultiplier, "a finite number >= 1");
      }
      return new RetryPolicy(this);
    }
  }
}
