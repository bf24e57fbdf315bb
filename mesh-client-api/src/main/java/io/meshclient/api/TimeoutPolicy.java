package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How long a call may take: an overall {@linkplain #timeout() deadline} for the logical call,
 * across every attempt and backoff, and a {@linkplain #perTryTimeout() per-try timeout} for each
 * attempt. A zero duration means "no limit". Both cover the whole exchange, including reading the
 * response body. An attempt never runs past the call's deadline: its timeout is the smaller of the
 * per-try timeout and the time left.
 *
 * <pre>{@code
 * TimeoutPolicy timeouts = TimeoutPolicy.builder()
 *     .timeout(Duration.ofSeconds(2))
 *     .perTryTimeout(Duration.ofMillis(500))
 *     .build();
 * }</pre>
 *
 * <p>Deadlines travel: each attempt carries the time it has left, in whole milliseconds, in the
 * {@linkplain #deadlineHeader() deadline header} ({@value #DEFAULT_DEADLINE_HEADER} unless set), so
 * that a server can stop work nobody waits for, and pass what is left on to its own calls (see
 * {@code io.meshclient.core.deadline.Deadline}). An attempt that cannot finish before the deadline
 * is not started.
 *
 * <p>Immutable and thread-safe.
 */
public final class TimeoutPolicy {
  /** The header an attempt's remaining time travels in unless set. */
  public static final String DEFAULT_DEADLINE_HEADER = "x-mesh-timeout-ms";

  /** The overall timeout unless one is set: 10 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** The per-try timeout unless one is set: none (bounded only by the overall timeout). */
  public static final Duration DEFAULT_PER_TRY_TIMEOUT = Duration.ZERO;

  private static final TimeoutPolicy DEFAULTS = builder().build();

  private final Duration timeout;
  private final Duration perTryTimeout;
  private final boolean propagateDeadline;
  private final String deadlineHeader;

  private TimeoutPolicy(Builder b) {
    this.timeout = b.timeout;
    this.perTryTimeout = b.perTryTimeout;
    this.propagateDeadline = b.propagateDeadline;
    this.deadlineHeader = b.deadlineHeader;
  }

  /** The default policy: 10 s overall, no separate per-try limit. */
  public static TimeoutPolicy ofDefaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy's values. */
  public Builder toBuilder() {
    return new Builder().timeout(timeout).perTryTimeout(perTryTimeout).propagateDeadline(propagateDeadline)
        .deadlineHeader(deadlineHeader);
  }

  /** The deadline for the whole logical call; zero for none. */
  public Duration timeout() {
    return timeout;
  }

  /** The limit for each attempt; zero for none. */
  public Duration perTryTimeout() {
    return perTryTimeout;
  }

  /** Whether each attempt carries its remaining time in the {@linkplain #deadlineHeader() deadline header}. */
  public boolean propagateDeadline() {
    return propagateDeadline;
  }

  /** The header an attempt's remaining time travels in, as relative milliseconds. */
  public String deadlineHeader() {
    return deadlineHeader;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TimeoutPolicy
        && timeout.equals(((TimeoutPolicy) o).timeout)
        && perTryTimeout.equals(((TimeoutPolicy) o).perTryTimeout)
        && propagateDeadline == ((TimeoutPolicy) o).propagateDeadline
        && deadlineHeader.equals(((TimeoutPolicy) o).deadlineHeader);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(timeout, perTryTimeout, propagateDeadline, deadlineHeader);
  }

  @Override
  public String toString() {
    return "TimeoutPolicy{timeout=" + timeout + ", perTryTimeout=" + perTryTimeout
        + (propagateDeadline ? ", deadlineHeader=" + deadlineHeader : ", no propagation") + "}";
  }

  /** Builds a {@link TimeoutPolicy}; {@link #build()} checks the values. Not thread-safe. */
  public static final class Builder {
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration perTryTimeout = DEFAULT_PER_TRY_TIMEOUT;
    private boolean propagateDeadline = true;
    private String deadlineHeader = DEFAULT_DEADLINE_HEADER;

    private Builder() {}

    /** Sets whether attempts carry their remaining time in a header (on by default). */
    public Builder propagateDeadline(boolean propagateDeadline) {
      this.propagateDeadline = propagateDeadline;
      return this;
    }

    /** Sets the header the remaining time travels in (a valid HTTP header name). */
    public Builder deadlineHeader(String deadlineHeader) {
      this.deadlineHeader = requireNonNull(deadlineHeader, "deadlineHeader");
      return this;
    }

    /** Sets the overall deadline of a call (zero for none). */
    public Builder timeout(Duration timeout) {
      this.timeout = requireNonNull(timeout, "timeout");
      return this;
    }

    /** Sets the limit of each attempt (zero for none). */
    public Builder perTryTimeout(Duration perTryTimeout) {
      this.perTryTimeout = requireNonNull(perTryTimeout, "perTryTimeout");
      return this;
    }

    /**
     * Checks the values and builds the policy.
     *
     * @throws MeshConfigException if a duration is negative, or the per-try timeout is longer
     *     than the overall one
     */
    public TimeoutPolicy build() {
      if (timeout.isNegative()) {
        throw new MeshConfigException("timeouts.timeout", timeout, ">= 0s (0s for no limit)");
      }
      if (perTryTimeout.isNegative()) {
        throw new MeshConfigException("timeouts.perTryTimeout", perTryTimeout, ">= 0s (0s for no limit)");
      }
      if (!timeout.isZero() && perTryTimeout.compareTo(timeout) > 0) {
        throw new MeshConfigException(
            "timeouts.perTryTimeout", perTryTimeout, "<= timeouts.timeout (" + timeout + ")");
      }
      if (!deadlineHeader.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        throw new MeshConfigException("timeouts.deadlineHeader", deadlineHeader, "an HTTP header name (a token)");
      }
      return new TimeoutPolicy(this);
    }
  }
}
