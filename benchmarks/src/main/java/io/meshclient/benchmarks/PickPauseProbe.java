package io.meshclient.benchmarks;

import io.meshclient.api.EndpointSet;
import io.meshclient.api.MeshException;
import io.meshclient.core.internal.Cluster;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether picks go on while a cluster applies large discovery updates: one thread picks without
 * pause and records the longest gap between two consecutive picks, first while nothing else
 * happens ({@code idle}) and then while the calling thread applies updates of {@code size}
 * endpoints back to back (half of them new each time, as in {@link UpdateBenchmark}).
 *
 * <p>The pick path takes no lock, so a gap comes from what the two phases share — the garbage
 * collector, safepoints, the operating system's scheduling on a busy machine — or, with the
 * hashing balancers, from the first pick after an update building the new ring or table. The idle
 * phase shows the first kind alone; compare the two within one run only.
 *
 * <pre>{@code
 * PickPauseProbe.Result result = PickPauseProbe.run("peak_ewma", 10_000, Duration.ofSeconds(2), 50);
 * }</pre>
 *
 * <p>Runs in the calling thread and one thread of its own, which it stops before returning.
 */
final class PickPauseProbe {
  private PickPauseProbe() {}

  /**
   * What the probe measured.
   *
   * @param idleMaxGapNanos the picker's longest gap with no updates
   * @param updatingMaxGapNanos the picker's longest gap while updates ran
   * @param idlePicks picks made in the idle phase
   * @param updatingPicks picks made while updates ran
   * @param updates updates applied in the updating phase
   * @param medianUpdateNanos the median time of one update
   * @param updatingNanos how long the updating phase took
   */
  record Result(String strategy, int size, long idleMaxGapNanos, long updatingMaxGapNanos, long idlePicks,
      long updatingPicks, int updates, long medianUpdateNanos, long updatingNanos) {}

  /**
   * Warms up for {@code phase}, measures the idle phase for {@code phase}, then the updating phase
   * of {@code updates} back-to-back updates.
   */
  static Result run(String strategy, int size, Duration phase, int updates) throws InterruptedException {
    if (size < 2) {
      throw new IllegalArgumentException("size: " + size + " (expected: >= 2)");
    }
    if (updates < 1) {
      throw new IllegalArgumentException("updates: " + updates + " (expected: >= 1)");
    }
    Cluster cluster = PickBenchmark.cluster(strategy);
    EndpointSet first = PickBenchmark.endpointSet(size, 0);
    EndpointSet second = PickBenchmark.endpointSet(size, size / 2);
    cluster.onEndpoints(first);

    // Warm-up: the same work as the measured phases, thrown away.
    Picker warm = Picker.start(cluster);
    long warmEnd = System.nanoTime() + phase.toNanos();
    for (int i = 0; System.nanoTime() < warmEnd; i++) {
      cluster.onEndpoints(i % 2 == 0 ? second : first);
    }
    cluster.onEndpoints(first);
    warm.stop();

    Picker idle = Picker.start(cluster);
    Thread.sleep(phase.toMillis());
    idle.stop();

    long[] times = new long[updates];
    Picker updating = Picker.start(cluster);
    long started = System.nanoTime();
    for (int i = 0; i < updates; i++) {
      long t0 = System.nanoTime();
      cluster.onEndpoints(i % 2 == 0 ? second : first);
      times[i] = System.nanoTime() - t0;
    }
    long updatingNanos = System.nanoTime() - started;
    updating.stop();
    Arrays.sort(times);
    return new Result(strategy, size, idle.maxGap, updating.maxGap, idle.picks, updating.picks, updates,
        times[updates / 2], updatingNanos);
  }

  /** The picking thread: picks until stopped, keeping the longest gap between two picks. */
  private static final class Picker implements Runnable {
    private final Cluster cluster;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private final String[] keys = new String[PickBenchmark.KEYS];
    private volatile RuntimeException failure;
    // Written by the picking thread, read after join().
    private long maxGap;
    private long picks;

    private Picker(Cluster cluster) {
      this.cluster = cluster;
      for (int i = 0; i < keys.length; i++) {
        keys[i] = "user-" + i;
      }
      this.thread = new Thread(this, "pick-pause-probe");
      thread.setDaemon(true);
    }

    static Picker start(Cluster cluster) {
      Picker picker = new Picker(cluster);
      picker.thread.start();
      return picker;
    }

    @Override
    public void run() {
      try {
        long previous = System.nanoTime();
        long max = 0;
        long count = 0;
        while (running.get()) {
          UpdateBenchmark.Picker.pick(cluster, keys[(int) count & (PickBenchmark.KEYS - 1)]);
          long now = System.nanoTime();
          max = Math.max(max, now - previous);
          previous = now;
          count++;
        }
        maxGap = max;
        picks = count;
      } catch (MeshException e) {
        failure = new IllegalStateException("a pick failed while the cluster had endpoints", e);
      } catch (RuntimeException e) {
        failure = e;
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join();
      if (failure != null) {
        throw failure;
      }
    }
  }
}
