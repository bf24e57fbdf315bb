package io.meshclient.examples.gateway;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The {@code orders} service of the example: a tiny HTTP server answering
 * {@code GET /orders/<id>} with JSON naming the instance (its port), so balancing and failover
 * can be seen. It remembers the {@code traceparent} header it received for each order id, so a
 * test can tell which call carried which trace.
 *
 * <pre>{@code
 * OrdersServer orders = OrdersServer.start(0); // a free port
 * ...
 * orders.stop();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class OrdersServer {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(8);
  private final AtomicInteger requests = new AtomicInteger();
  private final Map<String, String> traceparents = new ConcurrentHashMap<>();

  private OrdersServer(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/orders/", exchange -> {
      try (exchange) {
        requests.incrementAndGet();
        String id = exchange.getRequestURI().getPath().substring("/orders/".length());
        String traceparent = exchange.getRequestHeaders().getFirst("traceparent");
        if (traceparent != null) {
          traceparents.put(id, traceparent);
        }
        byte[] body = ("{\"id\":\"" + id.replaceAll("[^A-Za-z0-9-]", "") + "\",\"instance\":" + port() + "}")
            .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
    });
    server.setExecutor(executor);
    server.start();
  }

  /** Starts an instance on loopback, on {@code port} (0 for a free one). */
  public static OrdersServer start(int port) throws IOException {
    return new OrdersServer(port);
  }

  /** The port this instance listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Requests served so far. */
  public int requests() {
    return requests.get();
  }

  /**
   * The {@code traceparent} header of the last request this instance served for order {@code id},
   * or {@code null} when it served none for that id or the request carried none.
   */
  public @Nullable String traceparentFor(String id) {
    return traceparents.get(id);
  }

  /** Stops at once, closing open connections: callers see the instance as gone. */
  public void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** Runs one instance per port given ({@code 8081,8082} by default) until the process is stopped. */
  public static void main(String[] args) throws IOException {
    String ports = args.length > 0 ? args[0] : "8081,8082";
    for (String port : ports.split(",")) {
      OrdersServer orders = start(Integer.parseInt(port.trim()));
      System.out.println("orders listening on 127.0.0.1:" + orders.port());
    }
  }
}
