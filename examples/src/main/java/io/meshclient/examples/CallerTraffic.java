package io.meshclient.examples;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * The demo's callers: worker threads that each send one GET at a time through the mesh and the
 * next as soon as the answer is read (a closed loop: the load is bounded by the number of
 * workers), counting what the caller sees: a 2xx is a success, anything else a failure named by
 * its status or exception type.
 *
 * <p>Thread-safe; {@link #start()} and {@link #stop()} are called once each.
 */
final class CallerTraffic {
  /** How long stopping waits for calls in flight; longer than the demo's call deadline. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(10);

  private final OkHttpClient client;
  private final Request request;
  private final int workers;
  private final ExecutorService executor;
  private final LongAdder calls = new LongAdder();
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder totalNanos = new LongAdder();
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
  private volatile boolean running = true;

  CallerTraffic(OkHttpClient client, String url, int workers) {
    this.client = client;
    this.request = new Request.Builder().url(url).build();
    this.workers = workers;
    this.executor = Executors.newFixedThreadPool(workers, new NamedThreadFactory("caller"));
  }

  void start() {
    for (int i = 0; i < workers; i++) {
      executor.execute(this::loop);
    }
  }

  /** Lets every call in flight finish, then ends the workers. */
  void stop() throws InterruptedException {
    running = false;
    executor.shutdown();
    if (!executor.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      executor.shutdownNow();
      executor.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void loop() {
    while (running && !Thread.currentThread().isInterrupted()) {
      call();
    }
  }

  private void call() {
    long start = System.nanoTime();
    @Nullable String failure = null;
    // try-with-resources closes every response, and with it the body and its connection.
    try (Response response = client.newCall(request).execute()) {
      response.body().string();
      if (!response.isSuccessful()) {
        failure = "HTTP " + response.code();
      }
    } catch (IOException e) {
      failure = e.getClass().getSimpleName();
    }
    totalNanos.add(System.nanoTime() - start);
    if (failure == null) {
      succeeded.increment();
    } else {
      failures.computeIfAbsent(failure, f -> new LongAdder()).increment();
    }
    calls.increment();
  }

  /** Calls that ended, as the caller saw them. */
  long calls() {
    return calls.sum();
  }

  /** Calls that ended with a 2xx. */
  long succeeded() {
    return succeeded.sum();
  }

  /** The mean time a call took, retries and backoff included. */
  Duration meanLatency() {
    long count = calls.sum();
    return Duration.ofNanos(count == 0 ? 0 : totalNanos.sum() / count);
  }

  /** Failed calls by {@code HTTP <status>} or exception type, sorted by name. */
  Map<String, Long> failures() {
    Map<String, Long> copy = new TreeMap<>();
    failures.forEach((type, count) -> copy.put(type, count.sum()));
    return copy;
  }
}
