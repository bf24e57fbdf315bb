package io.meshclient.core.internal;

/**
 * One value of a peak-sensitive exponentially weighted moving average of latency, with the time
 * of its last sample: replaced whole on each sample, so readers never see a value and a time from
 * different samples.
 *
 * <p>A sample slower than the average replaces it at once (the peak); a faster one is blended in
 * with weight {@code 1 - e^(-elapsed/decay)}. Read between samples, the value decays towards
 * zero at the same rate, so an endpoint that has not been used for a while looks cheap again and
 * is probed.
 */
record Ewma(double nanos, long stamp) {
  static final Ewma UNKNOWN = new Ewma(0, Long.MIN_VALUE);

  Ewma sample(double sampleNanos, long now, double decayNanos) {
    if (stamp == Long.MIN_VALUE || sampleNanos >= nanos) {
      return new Ewma(sampleNanos, now);
    }
    double w = Math.exp(-Math.max(now - stamp, 0) / decayNanos);
    return new Ewma(nanos * w + sampleNanos * (1 - w), now);
  }

  /** The value at {@code now}, decayed for the time since the last sample. */
  double at(long now, double decayNanos) {
    if (stamp == Long.MIN_VALUE) {
      return 0;
    }
    long idle = now - stamp;
    return idle <= 0 ? nanos : nanos * Math.exp(-idle / decayNanos);
  }
}
