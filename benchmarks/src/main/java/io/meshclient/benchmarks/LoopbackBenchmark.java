package io.meshclient.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.meshclient.api.Endpoint;
import io.meshclient.core.MeshClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A real HTTP/1.1 call over loopback to one local server answering {@value #BODY_SIZE}-byte
 * bodies: plain OkHttp to {@code http://127.0.0.1:<port>/} ({@link #raw()}) against a
 * mesh-decorated OkHttp to {@code http://loopback/} routed to that same server ({@link #mesh()}).
 * Both keep their connection alive, so this is the mesh's share of a small, warm request.
 *
 * <pre>{@code
 * new Runner(new OptionsBuilder().include(LoopbackBenchmark.class.getName()).build()).run();
 * }</pre>
 *
 * <p>Client and server share the JVM (and the 2 cores), so the server's allocation is in
 * {@code gc.alloc.rate.norm} too, equally for both variants. Both take about 10 s of calls to reach
 * their steady state, hence the long warm-up. A JMH {@link State} with benchmark scope: one server
 * and one set of clients per trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 8, time = 1)
// Without TCP_NODELAY the JDK server's second write (the body after the headers) can wait for the
// client's delayed ACK; the JDK reads the property once, when its server classes load.
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dsun.net.httpserver.nodelay=true"})
public class LoopbackBenchmark {
  /** The service the mesh routes to the local server. */
  static final String SERVICE = "loopback";

  /** The size of every response body. */
  static final int BODY_SIZE = 1024;

  private static final int SERVER_THREADS = 2;

  private final byte[] body = body();

  HttpServer server;
  ExecutorService serverExecutor;
  OkHttpClient rawClient;
  OkHttpClient rawWithCallTimeoutClient;
  MeshClient mesh;
  OkHttpClient meshClient;
  Request rawRequest;
  Request meshRequest;

  /** Starts the server on an ephemeral loopback port and builds both clients. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    serverExecutor = Executors.newFixedThreadPool(SERVER_THREADS, runnable -> {
      Thread thread = new Thread(runnable, "loopback-server");
      thread.setDaemon(true);
      return thread;
    });
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::answer);
    server.setExecutor(serverExecutor);
    server.start();
    int port = server.getAddress().getPort();

    rawClient = new OkHttpClient();
    // The mesh's default deadline arms a 10 s call timeout per attempt; this is raw OkHttp with the same.
    rawWithCallTimeoutClient = rawClient.newBuilder().callTimeout(java.time.Duration.ofSeconds(10)).build();
    rawRequest = new Request.Builder().url("http://127.0.0.1:" + port + "/").build();
    mesh = MeshClient.builder().service(SERVICE, Endpoint.of("127.0.0.1", port)).build();
    meshClient = mesh.decorate(new OkHttpClient.Builder()).build();
    meshRequest = new Request.Builder().url("http://" + SERVICE + "/").build();
  }

  /** Stops the server, closes the mesh (and the transport it made) and shuts the clients down. */
  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    mesh.close();
    Clients.shutDown(meshClient);
    Clients.shutDown(rawClient);
    Clients.shutDown(rawWithCallTimeoutClient);
    server.stop(0);
    serverExecutor.shutdownNow();
    serverExecutor.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** One plain OkHttp call to the server. Returns the body read. */
  @Benchmark
  public byte[] raw() throws IOException {
    return Clients.execute(rawClient, rawRequest);
  }

  /** The plain call with a 10 s call timeout, like-for-like with the mesh's default deadline. */
  @Benchmark
  public byte[] rawWithCallTimeout() throws IOException {
    return Clients.execute(rawWithCallTimeoutClient, rawRequest);
  }

  /** One mesh call to {@code loopback}, routed to the same server. Returns the body read. */
  @Benchmark
  public byte[] mesh() throws IOException {
    return Clients.execute(meshClient, meshRequest);
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    try {
      exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } finally {
      exchange.close();
    }
  }

  private static byte[] body() {
    byte[] bytes = new byte[BODY_SIZE];
    Arrays.fill(bytes, (byte) 'x');
    return bytes;
  }
}
