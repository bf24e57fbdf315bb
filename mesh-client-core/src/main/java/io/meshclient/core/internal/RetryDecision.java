package io.meshclient.core.internal;

import io.meshclient.api.MeshException;
import io.meshclient.api.RetryPolicy;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.Request;

/**
 * Whether one {@link MeshCall} tries again, and when: whether its request may be sent more than
 * once, what the policy's retry rule says of an attempt's outcome (and the failure the call ends
 * with when the rule throws), and, after a retryable outcome, the wait before the next attempt (the
 * policy's backoff with full jitter, at least the server's {@code Retry-After}) or why there is
 * none (no attempt, time or budget left).
 *
 * <p>Not thread-safe on its own: every method is called with the call's lock held. It holds no
 * state that changes; the call acts on its answers (arms the retry's timer, or gives up).
 */
final class RetryDecision {
  /** {@link #backoff}'s answer when the call gives up: no attempt, Retry-After or budget left. */
  static final long GIVE_UP = -1;
  /** {@link #backoff}'s answer when the deadline leaves no room for another attempt. */
  static final long GIVE_UP_AT_DEADLINE = -2;

  private final MeshCall call;
  private final RetryPolicy retry;
  private final Cluster cluster;
  private final boolean replayable;
  private final boolean mayResend;

  /**
   * @param request the request as the caller made it (before the route's edits): its body, method
   *     and idempotency key say whether it may be sent again
   */
  RetryDecision(MeshCall call, RetryPolicy retry, Request request, Cluster cluster) {
    this.call = call;
    this.retry = retry;
    this.cluster = cluster;
    this.replayable = !CallRules.isOneShot(request.body());
    this.mayResend = replayable && (CallRules.isIdempotent(request.method())
        || request.header(RetryPolicy.IDEMPOTENCY_KEY) != null || retry.retryNonIdempotent());
  }

  /**
   * Whether the request may be sent more than once: its body can be replayed, and its method is
   * idempotent, it carries an idempotency key, or the policy retries non-idempotent requests.
   * Retries of answers and hedges need it.
   */
  boolean mayResend() {
    return mayResend;
  }

  /**
   * Whether attempt {@code a}'s answer is worth another attempt: the request may be sent again and
   * the retry rule says so. Throws what the rule throws (see {@link #ruleFailed}).
   */
  boolean retriesAnswer(Attempt a) {
    return mayResend && retry.retryOn().shouldRetry(a);
  }

  /**
   * Whether attempt {@code a}'s failure is worth another attempt: the request may be sent again,
   * or it can be replayed and never left (a connect failure), and the retry rule says so. Throws
   * what the rule throws (see {@link #ruleFailed}).
   */
  boolean retriesFailure(Attempt a) {
    return (mayResend || (replayable && a.connectFailure)) && retry.retryOn().shouldRetry(a);
  }

  /**
   * The call's failure when the retry rule threw {@code e} on attempt {@code a}'s outcome: a bug in
   * the rule, named with the service and the attempt.
   */
  MeshException ruleFailed(Attempt a, Throwable e) {
    return new MeshException(cluster.service(), "the retry rule " + retry.retryOn()
        + " of service '" + cluster.service() + "' threw on the outcome of attempt " + (a.number + 1) + " to "
        + a.endpoint.endpoint().address() + ": " + e, e);
  }

  /**
   * After a retryable outcome at {@code ended}, with nothing in flight and time left: the wait
   * before the next attempt, in nanoseconds, its retry drawn from the service's budget (an empty
   * budget is observed); or {@link #GIVE_UP} when the call has no attempt left, the server asks for
   * more quiet than a call waits, or the budget is empty; or {@link #GIVE_UP_AT_DEADLINE} when the
   * deadline would leave too little time after the wait.
   *
   * @param attempts the attempts the call has sent
   * @param retryAfterNanos the quiet the server asked for ({@code Retry-After}), or 0 or less for none
   */
  long backoff(long ended, int attempts, long retryAfterNanos, CallObserver.Call observation) {
    if (attempts >= retry.maxAttempts()) {
      return GIVE_UP;
    }
    if (retryAfterNanos > CallRules.MAX_RETRY_AFTER_NANOS) {
      return GIVE_UP; // the server asks for more quiet than a call waits (even without a deadline): its answer now
    }
    long backoff = Backoff.delayNanos(retry, attempts, ThreadLocalRandom.current().nextDouble());
    if (retryAfterNanos > 0) {
      backoff = Math.max(backoff, retryAfterNanos); // the server asked for this much quiet
    }
    if (call.tooLittleTime(ended + backoff)) {
      return GIVE_UP_AT_DEADLINE; // no time for another attempt
    }
    if (!cluster.budget().tryWithdraw()) {
      observation.budgetExhausted();
      return GIVE_UP;
    }
    return backoff;
  }
}
