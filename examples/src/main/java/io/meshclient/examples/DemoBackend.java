package io.meshclient.examples;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.meshclient.api.Endpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One local instance of the demo's HTTP service: the JDK's {@link HttpServer} on 127.0.0.1 and a
 * free port, with its own handler threads, answering every request the way its {@link Role} says.
 *
 * <pre>{@code
 * try (DemoBackend slow = DemoBackend.start(DemoBackend.Role.SLOW)) {
 *   Endpoint endpoint = slow.endpoint(); // 127.0.0.1:<port>, answers 200 after 80 ms
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops the server and ends its threads.
 */
public final class DemoBackend implements AutoCloseable {
  /** Enough handler threads that the demo's callers never queue behind a slow answer. */
  private static final int HANDLER_THREADS = 16;

  private static final String NO_DELAY = "sun.net.httpserver.nodelay";

  static {
    // The JDK server writes the headers and the body of a response separately. With Nagle's
    // algorithm on, the body then waits for the client's delayed ACK of the headers, 40 ms on
    // Linux, and a call to the healthy instance takes 40 ms instead of one. The JDK reads the
    // property when its first server is created.
    if (System.getProperty(NO_DELAY) == null) {
      System.setProperty(NO_DELAY, "true");
    }
  }

  private final Role role;
  private final HttpServer server;
  private final ExecutorService handlers;
  private final AtomicLong requests = new AtomicLong();

  /** How an instance behaves. */
  public enum Role {
    /** Answers 200 at once. */
    HEALTHY(Duration.ZERO, 0, "answers 200 at once"),
    /** Answers 200 after 80 ms. */
    SLOW(Duration.ofMillis(80), 0, "answers 200 after 80 ms"),
    /**
     * Answers 503 to every third request (33 %) and 200 to the rest, at once. Deterministic, so
     * that every run tells the same story: a half-open breaker's three trial calls always meet
     * one failure, which is above the demo's 25 % threshold, so the breaker opens again.
     */
    FLAKY(Duration.ZERO, 3, "answers 503 to every third request, 200 to the rest, at once");

    private final Duration delay;
    private final int failEvery;
    private final String description;

    Role(Duration delay, int failEvery, String description) {
      this.delay = delay;
      this.failEvery = failEvery;
      this.description = description;
    }

    /** The lower-case name shown in tables, e.g. {@code slow}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** What the instance does, in words. */
    public String description() {
      return description;
    }

    /** How long the instance waits before it answers. */
    public Duration delay() {
      return delay;
    }

    boolean fails(long requestNumber) {
      return failEvery > 0 && requestNumber % failEvery == 0;
    }
  }

  private DemoBackend(Role role, HttpServer server, ExecutorService handlers) {
    this.role = role;
    this.server = server;
    this.handlers = handlers;
  }

  /** Starts an instance with {@code role} on 127.0.0.1 and a free port. */
  public static DemoBackend start(Role role) throws IOException {
    requireNonNull(role, "role");
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService handlers =
        Executors.newFixedThreadPool(HANDLER_THREADS, new NamedThreadFactory(role.label()));
    DemoBackend backend = new DemoBackend(role, server, handlers);
    server.createContext("/", backend::handle);
    server.setExecutor(handlers);
    server.start();
    return backend;
  }

  /** What this instance does. */
  public Role role() {
    return role;
  }

  /** Where the mesh reaches this instance. */
  public Endpoint endpoint() {
    return Endpoint.of("127.0.0.1", server.getAddress().getPort());
  }

  /** Requests this instance has received. */
  public long requests() {
    return requests.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      long number = requests.incrementAndGet();
      if (!role.delay.isZero()) {
        try {
          Thread.sleep(role.delay.toMillis());
        } catch (InterruptedException e) {
          // The server is closing: drop the exchange unanswered.
          Thread.currentThread().interrupt();
          return;
        }
      }
      boolean fail = role.fails(number);
      byte[] body = ((fail ? "unavailable" : "hello") + " from " + role.label() + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(fail ? 503 : 200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Stops accepting, closes open connections and ends the handler threads. */
  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
    try {
      handlers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "DemoBackend{" + role.label() + " at " + endpoint().address() + "}";
  }
}
