package io.meshclient.benchmarks.peers;

import static java.util.Objects.requireNonNull;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The load generator, in two modes.
 *
 * <p><b>Open loop</b> ({@link #openLoop}): calls are started at a fixed rate whatever the answers
 * do, each handed to a worker thread so the sender never waits, and each call's latency runs from
 * its <em>intended</em> start to the end of its body. A sender that falls behind (a GC pause, a busy
 * core) adds its delay to the latencies instead of hiding it: the coordinated-omission correction.
 *
 * <p><b>Closed loop</b> ({@link #closedLoop}): a fixed number of threads call back to back, for the
 * most calls per second the contender, the backends and the machine allow together.
 *
 * <p>Time comes from a {@link Clock}, so the tests can drive it; one run at a time per instance.
 */
final class Load {
  /** How long the last calls may take after the last was started before the run is declared stuck. */
  private static final Duration DRAIN = Duration.ofSeconds(60);

  /** Where time comes from, and how the sender waits for a call's start. */
  interface Clock {
    long nanoTime();

    /** Returns at {@code deadline} (or at once if it has passed). */
    void waitUntil(long deadline);

    /** The system's monotonic clock: parks until shortly before the deadline, then spins (parking alone overshoots by ~50 us). */
    Clock SYSTEM = new Clock() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public void waitUntil(long deadline) {
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > 0) {
          if (remaining > 200_000) {
            LockSupport.parkNanos(remaining - 100_000);
          } else {
            Thread.onSpinWait();
          }
        }
      }
    };
  }

  /** Something done to the backends at a moment of a run, such as killing one. */
  record Event(Duration at, Runnable action) {
    Event {
      requireNonNull(at, "at");
      requireNonNull(action, "action");
      if (at.isNegative()) {
        throw new IllegalArgumentException("at: " + at + " (expected: >= 0)");
      }
    }
  }

  private final Clock clock;
  private final Executor workers;
  private final int backends;

  /**
   * @param workers runs the calls; it must start each at once (an unbounded pool), or the open
   *     loop's rate is the pool's
   * @param backends how many backends may answer
   */
  Load(Clock clock, Executor workers, int backends) {
    this.clock = requireNonNull(clock, "clock");
    this.workers = requireNonNull(workers, "workers");
    if (backends < 1) {
      throw new IllegalArgumentException("backends: " + backends + " (expected: >= 1)");
    }
    this.backends = backends;
  }

  /**
   * Starts calls at {@code rate} per second for {@code warmup} then {@code measure}, and waits for
   * the last to end. Latencies, answers per backend and CPU are of the measured window; failures are
   * counted over the whole run.
   *
   * @param events done on their own threads at their offset from the start of the measured window
   * @throws IllegalStateException if calls are still running {@link #DRAIN} after the last started
   */
  OpenLoopResult openLoop(Contender contender, int rate, Duration warmup, Duration measure, List<Event> events)
      throws InterruptedException {
    requireNonNull(contender, "contender");
    if (rate < 1 || rate > 1_000_000) {
      throw new IllegalArgumentException("rate: " + rate + " (expected: 1 to 1000000 calls per second)");
    }
    if (warmup.isNegative() || measure.isNegative() || measure.isZero()) {
      throw new IllegalArgumentException("warmup: " + warmup + ", measure: " + measure
          + " (expected: warmup >= 0, measure > 0)");
    }
    long interval = 1_000_000_000L / rate;
    long warmupCalls = warmup.toNanos() / interval;
    long total = warmupCalls + measure.toNanos() / interval;
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("rate x duration: " + total + " calls (expected: <= " + Integer.MAX_VALUE + ")");
    }
    Recording recording = new Recording(backends, (int) total);
    List<Event> pending = new ArrayList<>(events);
    pending.sort((a, b) -> a.at().compareTo(b.at()));
    long start = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
    long measuredFrom = start + warmupCalls * interval;
    long cpuFrom = 0;
    long outsideCpuFrom = 0;
    long maxLag = 0;
    List<Thread> started = new ArrayList<>();
    for (long i = 0; i < total; i++) {
      long intended = start + i * interval;
      clock.waitUntil(intended);
      if (i == warmupCalls) {
        cpuFrom = processCpuNanos() - senderCpuNanos();
        outsideCpuFrom = contender.outsideCpuNanos();
      }
      while (!pending.isEmpty() && intended - measuredFrom >= pending.get(0).at().toNanos()) {
        Thread thread = new Thread(pending.remove(0).action(), "load-event");
        thread.setDaemon(true);
        thread.start();
        started.add(thread);
      }
      workers.execute(new CallTask(contender, recording, intended, i >= warmupCalls));
      maxLag = Math.max(maxLag, clock.nanoTime() - intended);
    }
    if (!recording.done.await(DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(contender.name() + ": " + recording.done.getCount() + " of " + total
          + " call(s) still running " + DRAIN + " after the last was started");
    }
    for (Thread thread : started) {
      thread.join();
    }
    long cpu = processCpuNanos() - senderCpuNanos() - cpuFrom;
    long outsideCpu = contender.outsideCpuNanos() - outsideCpuFrom;
    long[] perBackend = new long[backends];
    for (int b = 0; b < backends; b++) {
      perBackend[b] = recording.perBackend.get(b);
    }
    return new OpenLoopResult(recording.latency.copy(), total - warmupCalls, perBackend, recording.failed.sum(),
        recording.failedMeasured.sum(), cpu, outsideCpu, maxLag);
  }

  /**
   * Runs {@code threads} threads calling back to back: {@code warmup}, then {@code measure}, counting
   * the calls that ended well within the measured window.
   */
  ClosedLoopResult closedLoop(Contender contender, int threads, Duration warmup, Duration measure)
      throws InterruptedException {
    requireNonNull(contender, "contender");
    if (threads < 1) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
    }
    LongAdder completed = new LongAdder();
    LongAdder failed = new LongAdder();
    CountDownLatch stopped = new CountDownLatch(threads);
    long start = clock.nanoTime();
    long measuredFrom = start + warmup.toNanos();
    long measuredTo = measuredFrom + measure.toNanos();
    for (int t = 0; t < threads; t++) {
      workers.execute(() -> {
        try {
          long now;
          while ((now = clock.nanoTime()) - measuredTo < 0) {
            try {
              contender.call();
              long end = clock.nanoTime();
              if (now - measuredFrom >= 0 && end - measuredTo < 0) {
                completed.increment();
              }
            } catch (Exception e) {
              failed.increment();
            }
          }
        } finally {
          stopped.countDown();
        }
      });
    }
    if (!stopped.await(measure.toNanos() + warmup.toNanos() + DRAIN.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException(contender.name() + ": closed-loop threads still calling " + DRAIN
          + " after the run's end");
    }
    return new ClosedLoopResult(completed.sum(), failed.sum(), measure);
  }

  /** CPU time of this JVM so far, in nanoseconds. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** CPU time of the calling thread: the sender's, whose waiting for each start is the generator's cost, not the contender's. */
  private static long senderCpuNanos() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  /** What a run records while it runs; written by the worker threads. */
  private static final class Recording {
    final Histogram latency = new ConcurrentHistogram(3);
    final AtomicLongArray perBackend;
    final LongAdder failed = new LongAdder();
    final LongAdder failedMeasured = new LongAdder();
    final CountDownLatch done;

    Recording(int backends, int total) {
      this.perBackend = new AtomicLongArray(backends);
      this.done = new CountDownLatch(total);
    }
  }

  /** One open-loop call. */
  private final class CallTask implements Runnable {
    private final Contender contender;
    private final Recording recording;
    private final long intended;
    private final boolean measured;

    CallTask(Contender contender, Recording recording, long intended, boolean measured) {
      this.contender = contender;
      this.recording = recording;
      this.intended = intended;
      this.measured = measured;
    }

    @Override
    public void run() {
      try {
        int backend = contender.call();
        long latency = clock.nanoTime() - intended;
        if (measured) {
          recording.latency.recordValue(Math.max(0, latency));
          recording.perBackend.incrementAndGet(backend);
        }
      } catch (Exception e) {
        recording.failed.increment();
        if (measured) {
          recording.failedMeasured.increment();
        }
      } finally {
        recording.done.countDown();
      }
    }
  }

  /**
   * What an open-loop run measured.
   *
   * @param latency nanoseconds from intended start to the end of the body, calls of the measured
   *     window that succeeded
   * @param measuredCalls calls started in the measured window
   * @param perBackend successful calls of the measured window, by the backend that answered
   * @param failed calls that failed, over the whole run (warm-up included)
   * @param failedMeasured calls of the measured window that failed
   * @param cpuNanos this JVM's CPU from the measured window's first call to the run's last answer,
   *     less the sender thread's (which spins before each start, the same for every contender)
   * @param outsideCpuNanos the contender's CPU outside this JVM over the same span (the proxy's)
   * @param maxStartLagNanos the longest a call was handed to its worker after its intended start: a
   *     large value means the machine could not keep up with the rate (the latencies include that
   *     delay, as they should)
   */
  record OpenLoopResult(Histogram latency, long measuredCalls, long[] perBackend, long failed, long failedMeasured,
      long cpuNanos, long outsideCpuNanos, long maxStartLagNanos) {
    /** The latency at {@code percentile} (0-100), in microseconds. */
    double percentileMicros(double percentile) {
      return latency.getValueAtPercentile(percentile) / 1e3;
    }

    /** CPU, this JVM's and the contender's outside it, per 1,000 calls of the measured window, in milliseconds. */
    double cpuMillisPer1k() {
      return (cpuNanos + outsideCpuNanos) / 1e6 / measuredCalls * 1000;
    }
  }

  /**
   * What a closed-loop run measured.
   *
   * @param completed calls that started and ended well within the measured window
   * @param failed calls that failed, over the whole run
   */
  record ClosedLoopResult(long completed, long failed, Duration measure) {
    /** Successful calls per second of the measured window. */
    double callsPerSecond() {
      return completed / (measure.toNanos() / 1e9);
    }
  }
}
