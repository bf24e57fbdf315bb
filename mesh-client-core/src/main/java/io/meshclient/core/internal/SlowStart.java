package io.meshclient.core.internal;

/**
 * The ramp of a new or readmitted endpoint: its weight grows linearly from the minimum share to
 * full over the window, and the ramp ends early once the endpoint's latency has settled: a short
 * moving average of its answers that moved by 10 % or less across two checkpoints in a row.
 * Checkpoints are spaced in time (a tenth of the window, at least 1 s, and at least
 * {@value #MIN_SAMPLES} answers apart), so a cold endpoint whose latency falls slowly keeps
 * ramping however much traffic it gets.
 */
final class SlowStart {
  static final int MIN_SAMPLES = 10;
  private static final double SETTLED = 0.10;
  private static final double ALPHA = 0.2;
  private static final long MIN_CHECKPOINT_NANOS = 1_000_000_000L;

  private final Tuning tuning;
  private final long checkpointNanos;
  private volatile boolean ramping;
  private volatile long start;
  // Settling, guarded by this.
  private int samples;
  private double average;
  private double lastCheckpoint;
  private long lastCheckpointAt;
  private int calmCheckpoints;

  SlowStart(Tuning tuning) {
    this.tuning = tuning;
    this.checkpointNanos = Math.max(tuning.slowStartNanos / 10, MIN_CHECKPOINT_NANOS);
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
    lastCheckpointAt = now;
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
    average = average == 0 ? nanos : average + ALPHA * (nanos - average);
    samples++;
    if (samples < MIN_SAMPLES || now - lastCheckpointAt < checkpointNanos) {
      return;
    }
    if (lastCheckpoint > 0 && Math.abs(average - lastCheckpoint) <= SETTLED * lastCheckpoint) {
      calmCheckpoints++;
    } else {
      calmCheckpoints = 0;
    }
    lastCheckpoint = average;
    lastCheckpointAt = now;
    samples = 0;
    if (calmCheckpoints >= 2) {
      ramping = false; // latency has settled: full weight now
    }
  }
}
