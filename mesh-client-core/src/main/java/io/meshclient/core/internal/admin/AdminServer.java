package io.meshclient.core.internal.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.meshclient.core.MeshSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mesh's embedded admin server, on the JDK's {@link HttpServer}: {@code /} (the admin page),
 * {@code /clusters} (the snapshot as JSON), {@code /metrics} (Prometheus text, 404 without a
 * Prometheus registry) and {@code /health}. Read-only: every path answers {@code GET} and
 * {@code HEAD}, nothing else. Daemon threads serve it (the JDK's dispatcher and one handler), so a
 * mesh never closed does not keep the JVM alive.
 *
 * <pre>{@code
 * AdminServer admin = AdminServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
 *     mesh::snapshot, Optional::empty);
 * ...
 * admin.stop();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class AdminServer {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
  private static final String PAGE = "index.html";

  private final HttpServer server;
  private final ExecutorService executor;

  private AdminServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds {@code address} and starts serving.
   *
   * @param snapshot the mesh's snapshot, taken per request
   * @param prometheus the meters as Prometheus text, when there is such a registry
   * @throws IOException if the address cannot be bound
   */
  public static AdminServer start(InetSocketAddress address, Supplier<MeshSnapshot> snapshot,
      Supplier<Optional<String>> prometheus) throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    byte[] page = page();
    server.createContext("/", exchange -> {
      if (!"/".equals(exchange.getRequestURI().getPath())) {
        send(exchange, 404, "text/plain; charset=utf-8", "not found\n");
        return;
      }
      send(exchange, 200, "text/html; charset=utf-8", page);
    });
    server.createContext("/clusters", handler(() -> new Answer(200, "application/json",
        SnapshotJson.write(snapshot.get()))));
    server.createContext("/health", handler(() -> new Answer(200, "application/json",
        "{\"status\":\"UP\",\"services\":" + snapshot.get().services().size() + "}")));
    server.createContext("/metrics", handler(() -> prometheus.get()
        .map(text -> new Answer(200, "text/plain; version=0.0.4; charset=utf-8", text))
        .orElse(new Answer(404, "text/plain; charset=utf-8",
            "no Prometheus registry: give the mesh MeshMetrics.of(a PrometheusMeterRegistry)\n"))));
    ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "mesh-client-admin");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    try {
      startAsDaemon(server);
    } catch (RuntimeException e) {
      server.stop(0);
      executor.shutdownNow();
      throw e;
    }
    log.info("admin server listening on http://{}:{}/", server.getAddress().getHostString(), server.getAddress().getPort());
    return new AdminServer(server, executor);
  }

  /**
   * Starts {@code server} from a daemon thread: the JDK's dispatcher thread takes its daemon status
   * from the thread that starts it, and a mesh built on a non-daemon thread and never closed must
   * not keep the JVM alive.
   */
  private static void startAsDaemon(HttpServer server) {
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    Thread starter = new Thread(() -> {
      try {
        server.start();
      } catch (RuntimeException e) {
        failure.set(e);
      }
    }, "mesh-client-admin-start");
    starter.setDaemon(true);
    starter.start();
    boolean interrupted = false;
    while (true) {
      try {
        starter.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // start() is quick and does not block: finish waiting, then restore the flag
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    RuntimeException e = failure.get();
    if (e != null) {
      throw e;
    }
  }

  /** Where it listens, with the port it bound. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops serving and releases the port and the thread. */
  public void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  private record Answer(int status, String contentType, String body) {}

  private static HttpHandler handler(Supplier<Answer> answer) {
    return exchange -> {
      Answer a;
      try {
        a = answer.get();
      } catch (RuntimeException e) {
        log.warn("admin server: {} failed", exchange.getRequestURI().getPath(), e);
        a = new Answer(500, "text/plain; charset=utf-8", "internal error\n");
      }
      send(exchange, a.status(), a.contentType(), a.body());
    };
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      boolean head = "HEAD".equals(method);
      if (!head && !"GET".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  private static byte[] page() {
    try (InputStream in = AdminServer.class.getResourceAsStream(PAGE)) {
      if (in == null) {
        throw new IllegalStateException("the admin page " + PAGE + " is missing from the mesh-client-core jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
