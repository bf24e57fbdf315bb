package io.meshclient.core.internal;

import io.meshclient.api.RetryBudgetPolicy;

/**
 * A service's retry budget ({@link RetryBudgetPolicy}): calls deposit, retries and hedges withdraw.
 * Calls and retries are counted in one-second buckets over the policy's window; a retry is allowed
 * while the retries in the window stay under {@code percent} of the calls in it plus
 * {@code minRetriesPerSecond} for each second of it.
 *
 * <p>Thread-safe; each method holds the budget's lock for a few array operations.
 */
final class RetryBudget {
  private static final long SECOND = 1_000_000_000L;

  private final boolean enabled;
  private final double ratio;
  private final long floor;
  private final Ticker ticker;
  private final long[] calls;
  private final long[] retries;
  private long bucket;
  private long exhausted;

  RetryBudget(RetryBudgetPolicy policy, Ticker ticker) {
    this.enabled = policy.enabled();
    this.ratio = policy.percent() / 100.0;
    int seconds = (int) Math.max(1, policy.window().getSeconds());
    this.floor = (long) policy.minRetriesPerSecond() * seconds;
    this.ticker = ticker;
    this.calls = new long[seconds];
    this.retries = new long[seconds];
    this.bucket = Math.floorDiv(ticker.read(), SECOND);
  }

  /** A call was made. */
  void deposit() {
    if (enabled) {
      synchronized (this) {
        calls[advance()]++;
      }
    }
  }

  /** Whether one more retry or hedge fits the budget; if so, it is counted. */
  boolean tryWithdraw() {
    if (!enabled) {
      return true;
    }
    synchronized (this) {
      int now = advance();
      long callSum = 0;
      long retrySum = 0;
      for (int i = 0; i < calls.length; i++) {
        callSum += calls[i];
        retrySum += retries[i];
      }
      if (retrySum + 1 > floor + (long) (ratio * callSum)) {
        exhausted++;
        return false;
      }
      retries[now]++;
      return true;
    }
  }

  /** Gives back a withdrawal that was not spent: the hedge it was for found nowhere to go. */
  void refund() {
    if (enabled) {
      synchronized (this) {
        int now = advance();
        if (retries[now] > 0) {
          retries[now]--;
        }
      }
    }
  }

  /** Retries refused for want of budget, ever. */
  synchronized long exhausted() {
    return exhausted;
  }

  /** Moves to the current second's bucket, clearing the ones passed over; returns its index. */
  private int advance() {
    long current = Math.floorDiv(ticker.read(), SECOND);
    long gap = current - bucket;
    if (gap > 0) {
      for (long b = bucket + 1; b <= current && b <= bucket + calls.length; b++) {
        int i = (int) Math.floorMod(b, (long) calls.length);
        calls[i] = 0;
        retries[i] = 0;
      }
      bucket = current;
    }
    return (int) Math.floorMod(bucket, (long) calls.length);
  }
}
