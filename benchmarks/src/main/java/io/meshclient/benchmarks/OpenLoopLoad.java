package io.meshclient.benchmarks;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * An open-loop load generator: sends requests at a fixed rate whatever the answers do, each with
 * {@link Call#enqueue} so the sender never waits, and records each request's latency from its
 * <em>intended</em> send time to the end of its body. A sender that falls behind (a GC pause, a busy
 * core) therefore adds its delay to the latencies instead of hiding it: the coordinated-omission
 * correction.
 *
 * <p>A run is a warm-up followed by the measured window; latencies are recorded for the measured
 * window only, while the count of requests per backend is kept per {@link #BUCKET} over the whole
 * run, so the share of a backend can be followed from the run's first request.
 *
 * <pre>{@code
 * OpenLoopLoad.Result result = new OpenLoopLoad(500, Duration.ofSeconds(3), Duration.ofSeconds(10), 4)
 *     .run(client, new Request.Builder().url("http://backend/").build());
 * }</pre>
 *
 * <p>One run at a time per instance; the instance holds only settings.
 */
final class OpenLoopLoad {
  /** The width of one bucket of the per-backend counts. */
  static final Duration BUCKET = Duration.ofMillis(250);

  /** How long the last requests may take to finish before the run is declared stuck. */
  private static final Duration DRAIN = Duration.ofSeconds(30);

  private final int rate;
  private final Duration warmup;
  private final Duration measure;
  private final int backends;

  /**
   * @param rate requests per second
   * @param warmup sent first, counted per bucket but not in the latencies
   * @param measure the measured window, after the warm-up
   * @param backends how many backends may answer (indexes 0 to {@code backends - 1})
   */
  OpenLoopLoad(int rate, Duration warmup, Duration measure, int backends) {
    if (rate < 1 || rate > 100_000) {
      throw new IllegalArgumentException("rate: " + rate + " (expected: 1 to 100000 requests per second)");
    }
    if (warmup.isNegative()) {
      throw new IllegalArgumentException("warmup: " + warmup + " (expected: >= 0)");
    }
    if (measure.compareTo(BUCKET) < 0) {
      throw new IllegalArgumentException("measure: " + measure + " (expected: >= " + BUCKET + ")");
    }
    if (backends < 1) {
      throw new IllegalArgumentException("backends: " + backends + " (expected: >= 1)");
    }
    this.rate = rate;
    this.warmup = warmup;
    this.measure = measure;
    this.backends = backends;
  }

  /** Requests the run sends in all. */
  long requests() {
    return (warmup.toNanos() + measure.toNanos()) * rate / 1_000_000_000L;
  }

  /**
   * Sends {@link #requests()} requests at the rate, then waits for the last answers.
   *
   * @throws IllegalStateException if some requests are still unanswered {@link #DRAIN} after the last was sent
   */
  Result run(OkHttpClient client, Request request) throws InterruptedException {
    requireNonNull(client, "client");
    requireNonNull(request, "request");
    long total = requests();
    long interval = 1_000_000_000L / rate;
    long bucketNanos = BUCKET.toNanos();
    int buckets = (int) ((warmup.toNanos() + measure.toNanos() + bucketNanos - 1) / bucketNanos);
    Recording recording = new Recording(buckets, backends, total);
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
    long measuredFrom = start + warmup.toNanos();
    long maxLag = 0;
    for (long i = 0; i < total; i++) {
      long intended = start + i * interval;
      waitUntil(intended);
      int bucket = (int) ((intended - start) / bucketNanos);
      client.newCall(request).enqueue(new Answer(recording, intended, intended >= measuredFrom, bucket));
      maxLag = Math.max(maxLag, System.nanoTime() - intended);
    }
    if (!recording.done.await(DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(recording.done.getCount() + " of " + total
          + " request(s) still unanswered " + DRAIN + " after the last was sent");
    }
    return recording.result(backends, buckets, maxLag);
  }

  /** Parks until shortly before {@code deadline}, then spins: parking alone overshoots by ~50 us. */
  private static void waitUntil(long deadline) {
    long remaining;
    while ((remaining = deadline - System.nanoTime()) > 0) {
      if (remaining > 200_000) {
        LockSupport.parkNanos(remaining - 100_000);
      } else {
        Thread.onSpinWait();
      }
    }
  }

  /** What a run recorded while it ran; written by the answering threads. */
  private static final class Recording {
    final Histogram latency = new ConcurrentHistogram(3);
    final AtomicLongArray perBucket;
    final AtomicLongArray perBackend;
    final LongAdder errors = new LongAdder();
    final CountDownLatch done;
    final int backends;

    Recording(int buckets, int backends, long total) {
      this.backends = backends;
      this.perBucket = new AtomicLongArray(buckets * backends);
      this.perBackend = new AtomicLongArray(backends);
      this.done = new CountDownLatch((int) total);
    }

    Result result(int backends, int buckets, long maxLag) {
      long[][] counts = new long[buckets][backends];
      for (int b = 0; b < buckets; b++) {
        for (int i = 0; i < backends; i++) {
          counts[b][i] = perBucket.get(b * backends + i);
        }
      }
      long[] measured = new long[backends];
      for (int i = 0; i < backends; i++) {
        measured[i] = perBackend.get(i);
      }
      return new Result(latency.copy(), counts, measured, errors.sum(), maxLag);
    }
  }

  /** The callback of one request. */
  private static final class Answer implements Callback {
    private final Recording recording;
    private final long intended;
    private final boolean measured;
    private final int bucket;

    Answer(Recording recording, long intended, boolean measured, int bucket) {
      this.recording = recording;
      this.intended = intended;
      this.measured = measured;
      this.bucket = bucket;
    }

    @Override
    public void onResponse(Call call, Response response) {
      try (response) {
        response.body().bytes();
        int backend = backend(response);
        if (response.code() != Clients.EXPECTED_STATUS || backend < 0 || backend >= recording.backends) {
          recording.errors.increment();
          return;
        }
        long latency = System.nanoTime() - intended;
        recording.perBucket.incrementAndGet(bucket * recording.backends + backend);
        if (measured) {
          recording.latency.recordValue(latency);
          recording.perBackend.incrementAndGet(backend);
        }
      } catch (IOException | RuntimeException e) {
        recording.errors.increment();
      } finally {
        recording.done.countDown();
      }
    }

    @Override
    public void onFailure(Call call, IOException e) {
      recording.errors.increment();
      recording.done.countDown();
    }

    private static int backend(Response response) {
      String header = response.header(DelayedBackend.HEADER);
      try {
        return header == null ? -1 : Integer.parseInt(header);
      } catch (NumberFormatException e) {
        return -1;
      }
    }
  }

  /**
   * What one run measured.
   *
   * @param latency nanoseconds from intended send to the end of the body, measured window only
   * @param perBucket requests answered per {@link #BUCKET} of intended send time (whole run) and backend
   * @param perBackend requests answered per backend in the measured window
   * @param errors requests that failed or answered anything but a {@code 200} from a known backend
   * @param maxSendLagNanos the longest a request was handed to OkHttp after its intended time: a
   *     large value means the sending machine could not keep up with the rate (the latencies
   *     include that delay, as they should, but the run measured the machine as much as the mesh)
   */
  record Result(Histogram latency, long[][] perBucket, long[] perBackend, long errors, long maxSendLagNanos) {
    /** The latency at {@code percentile} (0-100) in milliseconds. */
    double percentileMillis(double percentile) {
      return latency.getValueAtPercentile(percentile) / 1e6;
    }

    /** The share of {@code backend} among the measured window's answers, 0..1. */
    double measuredShare(int backend) {
      long all = 0;
      for (long count : perBackend) {
        all += count;
      }
      return all == 0 ? 0 : (double) perBackend[backend] / all;
    }

    /** The share of {@code backend} among the answers to requests meant to be sent within {@code window} of the start. */
    double shareWithin(int backend, Duration window) {
      int buckets = (int) Math.min(perBucket.length, window.toNanos() / BUCKET.toNanos());
      return share(backend, 0, buckets);
    }

    /** The share of {@code backend} in buckets {@code from} (inclusive) to {@code to} (exclusive), 0..1; 0 if none answered. */
    double share(int backend, int from, int to) {
      long all = 0;
      long mine = 0;
      for (int b = from; b < to; b++) {
        for (int i = 0; i < perBucket[b].length; i++) {
          all += perBucket[b][i];
        }
        mine += perBucket[b][backend];
      }
      return all == 0 ? 0 : (double) mine / all;
    }

    /** Requests answered in bucket {@code b}. */
    long answered(int b) {
      long all = 0;
      for (long count : perBucket[b]) {
        all += count;
      }
      return all;
    }
  }
}
