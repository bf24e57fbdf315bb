package io.meshclient.core.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A service's recent attempt latencies, for a hedge delay that follows a live percentile. Latencies
 * go into buckets a quarter of an octave wide (about 19 % apart), in two windows of ten seconds:
 * the percentile is read over the previous window and the current one, so it always covers
 * between ten and twenty seconds of traffic, and once known it is cached for 100 ms.
 *
 * <p>Thread-safe: recording is one atomic increment; rotation and reading take the tracker's lock.
 */
final class LatencyTracker {
  private static final int BUCKETS = 4 * 40; // up to 2^40 ns, about 18 minutes
  private static final long WINDOW = 10_000_000_000L;
  private static final long CACHE = 100_000_000L;
  /** Fewer samples than this give no percentile: hedging waits until the service has a history. */
  static final int MIN_SAMPLES = 50;

  private final Ticker ticker;
  private volatile AtomicLongArray current = new AtomicLongArray(BUCKETS);
  private AtomicLongArray previous = new AtomicLongArray(BUCKETS);
  /** Written under the lock; read without it first, so that recording takes the lock only to rotate. */
  private volatile long windowStart;
  private long cachedAt = Long.MIN_VALUE;
  private double cachedPercentile = Double.NaN;
  private long cachedNanos = -1;

  LatencyTracker(Ticker ticker) {
    this.ticker = ticker;
    this.windowStart = ticker.read();
  }

  /** Records one attempt's latency. */
  void record(long nanos) {
    rotateIfDue();
    current.incrementAndGet(bucket(nanos));
  }

  /** The {@code percentile} of the recent latencies in nanoseconds (the bucket's upper edge), or -1 without enough samples. */
  synchronized long percentileNanos(double percentile) {
    long now = ticker.read();
    if (percentile == cachedPercentile && now - cachedAt < CACHE) {
      return cachedNanos;
    }
    rotateIfDue();
    AtomicLongArray cur = current;
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      total += cur.get(i) + previous.get(i);
    }
    long result = -1;
    if (total >= MIN_SAMPLES) {
      long rank = (long) Math.ceil(total * percentile / 100.0);
      long seen = 0;
      for (int i = 0; i < BUCKETS; i++) {
        seen += cur.get(i) + previous.get(i);
        if (seen >= rank) {
          result = upperEdge(i);
          break;
        }
      }
    }
    if (result >= 0) { // without a history yet, ask again next time
      cachedAt = now;
      cachedPercentile = percentile;
      cachedNanos = result;
    }
    return result;
  }

  private void rotateIfDue() {
    if (ticker.read() - windowStart < WINDOW) {
      return;
    }
    synchronized (this) {
      long now = ticker.read();
      if (now - windowStart < WINDOW) {
        return;
      }
      previous = now - windowStart < 2 * WINDOW ? current : new AtomicLongArray(BUCKETS);
      current = new AtomicLongArray(BUCKETS);
      windowStart = now;
    }
  }

  static int bucket(long nanos) {
    if (nanos <= 1) {
      return 0;
    }
    int b = (int) Math.floor(Math.log(nanos) / Math.log(2) * 4);
    return Math.min(BUCKETS - 1, Math.max(0, b));
  }

  static long upperEdge(int bucket) {
    return (long) Math.ceil(Math.pow(2, (bucket + 1) / 4.0));
  }
}
