package io.meshclient.core.internal;

import io.meshclient.api.RetryPolicy;

/** Exponential backoff with full jitter, as {@link RetryPolicy} describes it. */
final class Backoff {
  private Backoff() {}

  /**
   * The wait before retry number {@code retry} (1 for the first retry), in nanoseconds.
   *
   * @param random a uniform sample in [0, 1)
   */
  static long delayNanos(RetryPolicy policy, int retry, double random) {
    double initial = policy.initialBackoff().toNanos();
    double cap = policy.maxBackoff().toNanos();
    double bound = Math.min(cap, initial * Math.pow(policy.backoffMultiplier(), retry - 1));
    return (long) (bound * random);
  }
}
