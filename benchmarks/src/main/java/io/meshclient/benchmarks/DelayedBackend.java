package io.meshclient.benchmarks;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A loopback HTTP backend that answers every request after a fixed delay, without holding a thread
 * for it: the handler reads the request and schedules the reply on a shared scheduler, so a slow
 * backend costs timers, not sleeping threads. Every answer is {@code 200} with a short body and an
 * {@value #HEADER} header carrying the backend's index, so the client can tell who served it.
 *
 * <pre>{@code
 * DelayedBackend backend = DelayedBackend.start(0, Duration.ofMillis(2), executor, scheduler);
 * backend.delay(Duration.ofMillis(20)); // now ten times slower
 * }</pre>
 *
 * <p>Thread-safe: the delay can be changed while requests are served.
 */
final class DelayedBackend implements AutoCloseable {
  /** The response header naming the backend that answered. */
  static final String HEADER = "X-Backend";

  private static final byte[] BODY = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);

  private final int index;
  private final HttpServer server;
  private final ScheduledExecutorService scheduler;
  private final LongAdder served = new LongAdder();
  private volatile long delayNanos;
  private volatile int status = 200;
  private volatile double spikeProbability;
  private volatile long spikeNanos;

  private DelayedBackend(int index, HttpServer server, ScheduledExecutorService scheduler, long delayNanos) {
    this.index = index;
    this.server = server;
    this.scheduler = scheduler;
    this.delayNanos = delayNanos;
  }

  /**
   * Starts a backend on an ephemeral port of 127.0.0.1.
   *
   * @param executor runs the handlers, which only read the request and schedule the reply
   * @param scheduler sends the replies when their delay is up
   */
  static DelayedBackend start(int index, Duration delay, Executor executor, ScheduledExecutorService scheduler)
      throws IOException {
    // Without TCP_NODELAY the JDK server's body write can wait for the client's delayed ACK; the
    // JDK reads the property once, when its server classes load.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    DelayedBackend backend = new DelayedBackend(index, server, requireNonNull(scheduler, "scheduler"), nanos(delay));
    server.createContext("/", backend::handle);
    server.setExecutor(requireNonNull(executor, "executor"));
    server.start();
    return backend;
  }

  private static long nanos(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay: " + delay + " (expected: >= 0)");
    }
    return delay.toNanos();
  }

  /** This backend's index, as sent in {@value #HEADER}. */
  int index() {
    return index;
  }

  /** The port it listens on, on 127.0.0.1. */
  int port() {
    return server.getAddress().getPort();
  }

  /** Sets the delay of every reply from now on. */
  void delay(Duration delay) {
    this.delayNanos = nanos(delay);
  }

  /** Sets the status of every reply from now on (200 unless set). */
  void status(int status) {
    this.status = status;
  }

  /** From now on, a share {@code probability} of the replies waits {@code delay} instead of the usual delay. */
  void spikes(double probability, Duration delay) {
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability: " + probability + " (expected: 0 to 1)");
    }
    this.spikeNanos = nanos(delay);
    this.spikeProbability = probability;
  }

  /** The delay of a reply. */
  Duration delay() {
    return Duration.ofNanos(delayNanos);
  }

  /** Requests answered (or being answered), ever. */
  long served() {
    return served.sum();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    try {
      double spikes = spikeProbability;
      long delay = spikes > 0 && java.util.concurrent.ThreadLocalRandom.current().nextDouble() < spikes
          ? spikeNanos : delayNanos;
      scheduler.schedule(() -> reply(exchange), delay, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      exchange.close(); // shutting down
    }
  }

  private void reply(HttpExchange exchange) {
    try {
      served.increment(); // before the answer leaves: a client that has read it sees it counted
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.getResponseHeaders().set(HEADER, Integer.toString(index));
      exchange.sendResponseHeaders(status, BODY.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(BODY);
      }
    } catch (IOException e) {
      // The client went away; nothing to answer.
    } finally {
      exchange.close();
    }
  }

  /** Stops accepting and closes every connection at once. */
  @Override
  public void close() {
    server.stop(0);
  }
}
