package io.meshclient.core.internal;

import io.meshclient.core.deadline.Deadline;
import java.util.concurrent.TimeUnit;

/**
 * The deadline of one {@link MeshCall}, as a time on the mesh's {@link Ticker} ({@link #NONE} for
 * none): when it falls, how much of it is left, whether that is enough for another attempt, and
 * the time an attempt gets. The call keeps the deadline in a {@code long} field; these are static
 * helpers over it, so a call allocates nothing for its deadline.
 *
 * <p>{@code
 * long deadline = CallDeadline.of(start, policyTimeout, callerTimeout);
 * long timeout = CallDeadline.attemptTimeout(deadline, ticker.read(), perTry);
 * }
 *
 * <p>Stateless and thread-safe; the call reads its deadline field with its lock held.
 */
final class CallDeadline {
  /** No deadline. */
  static final long NONE = Long.MAX_VALUE;

  /**
   * The least time a retry or a hedge must have left in the deadline to be started (1 ms): less
   * than that, and it could only time out, at the endpoint's cost. Documented in docs/resilience.md.
   */
  static final long MIN_ATTEMPT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private CallDeadline() {}

  /**
   * The deadline of a call begun at {@code start}: the earlier of its timeout (the policy's and the
   * caller's, the shorter positive one) and the time left in the inherited {@link Deadline#current()}.
   *
   * @param policyTimeoutNanos the policy's call timeout, 0 for none
   * @param callerTimeoutNanos the caller's own call timeout, 0 for none
   */
  static long of(long start, long policyTimeoutNanos, long callerTimeoutNanos) {
    long timeout = CallRules.effectiveTimeout(policyTimeoutNanos, callerTimeoutNanos);
    long deadline = timeout > 0 ? start + timeout : NONE;
    Deadline inherited = Deadline.current();
    if (inherited != null) {
      deadline = Math.min(deadline, CallRules.plus(start, Math.max(0, inherited.remainingNanos())));
    }
    return deadline;
  }

  /** The time left at {@code now}, negative once it has passed; {@link #NONE} without a deadline. */
  static long timeLeft(long deadline, long now) {
    return deadline == NONE ? NONE : deadline - now;
  }

  /**
   * {@code wait} (0 or more), cut to the time left (0 once the deadline has passed), if less; the
   * ticker is read only when there is a deadline.
   */
  static long bound(long wait, long deadline, Ticker ticker) {
    return deadline == NONE ? wait : Math.min(wait, Math.max(0, deadline - ticker.read()));
  }

  /** Whether, at {@code at}, too little is left of the deadline to start another attempt. */
  static boolean tooLittleTime(long deadline, long at) {
    return deadline != NONE && deadline - at < MIN_ATTEMPT_NANOS;
  }

  /**
   * The timeout of an attempt started at {@code now}: the per-try timeout ({@code perTryNanos}, 0
   * for none) or the time left, whichever is shorter; 0 for none.
   */
  static long attemptTimeout(long deadline, long now, long perTryNanos) {
    return deadline == NONE ? perTryNanos : CallRules.minPositive(perTryNanos, deadline - now);
  }
}
