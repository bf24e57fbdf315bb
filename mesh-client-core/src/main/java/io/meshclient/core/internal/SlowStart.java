package io.meshclient.core.internal;

/**
 * The ramp of a new or readmitted endpoint: its weight grows linearly from the minimum share to
 * full over the window, and the ramp ends early once the endpoint's latency has settled — a
 * short moving average that moved less than 10 % over the last two checkpoints of
 * {@value #CHECKPOINT} samples each.
 */
final class SlowStart {
  static final int CHECKPOINT = 10;
  private static final double SETTLED = 0.10;
  private static final double ALPHA = 0.2;

  private final Tuning tuning;
  private volatile boolean ramping;
  private volatile long start;
  // Settling, guarded by this.
  private int samples;
  private double average;
  private double lastCheckpoint;
  private int calmCheckpoints;

  SlowStart(Tuning tuning) {
    this.tuning = tuning;
  }

  boolean ramping() {
    if (!ramping) {
      return false;
    }
    if (tuning.ticker.read() - start >= tuning.slowStartNanos) {
      ramping = false;
      return false;
    }
    return true;
  }

  synchronized void start(long now) {
    if (tuning.slowStartNanos <= 0) {
      return;
    }
    start = now;
    samples = 0;
    average = 0;
    lastCheckpoint = 0;
    calmCheckpoints = 0;
    ramping = true;
  }

  /** The share of its weight the endpoint gets at {@code now}, in (0, 1]. */
  double factor(long now) {
    double progress = (double) (now - start) / tuning.slowStartNanos;
    if (progress >= 1) {
      return 1;
    }
    double min = tuning.slowStartMinWeight;
    return min + (1 - min) * Math.max(progress, 0);
  }

  synchronized void sample(long nanos, long now) {
    average = samples == 0 ? nanos : average + ALPHA * (nanos - average);
    samples++;
    if (samples % CHECKPOINT != 0) {
      return;
    }
    if (lastCheckpoint > 0 && Math.abs(average - lastCheckpoint) <= SETTLED * lastCheckpoint) {
      calmCheckpoints++;
    } else {
      calmCheckpoints = 0;
    }
    lastCheckpoint = average;
    if (calmCheckpoints >= 2) {
      ramping = false; // latency has settled: full weight now
    }
  }
}
