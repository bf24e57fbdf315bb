package io.meshclient.benchmarks;

import io.meshclient.api.Endpoint;
import io.meshclient.core.MeshClient;
import io.meshclient.core.metrics.MeshMetrics;
import io.meshclient.core.tracing.MeshTracing;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import io.meshclient.api.TimeoutPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
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
 * The time and allocation the mesh adds to one call, in process and without any network: both
 * variants end in the same {@linkplain #TERMINAL terminal interceptor} that answers at once with a
 * canned {@code 200} and a small body.
 *
 * <ul>
 *   <li>{@link #baseline()}: a plain OkHttp call through one no-op application interceptor, then
 *       the terminal.
 *   <li>{@link #mesh()}: a mesh-decorated OkHttp call to service {@code bench} (three static
 *       endpoints, default policies); the mesh picks an endpoint and sends the attempt on a
 *       transport client whose only interceptor is the terminal.
 * </ul>
 *
 * <p>{@code mesh - baseline} is the cost of the mesh on the request path: routing, the pick, the
 * endpoint bookkeeping and breaker, the URL rewrite, the attempt's timeout and the nested
 * transport call. {@link #meshWithoutDeadline()} is the same mesh with no overall or per-try
 * timeout, which shows what arming OkHttp's call timeout for each attempt costs (it wakes
 * Okio's watchdog thread when no other timeout is pending). {@link #baselineWithCallTimeout()} is the
 * plain call with a 10 s call timeout, the like-for-like baseline for the mesh's default 10 s
 * deadline. {@link #meshObserved()} is the mesh with its observability on: Micrometer meters in a
 * real {@code PrometheusMeterRegistry} and OpenTelemetry tracing through the API's no-op
 * implementation (spans not recorded; the pick explanation is skipped, as with any tracer that does
 * not sample the call).
 *
 * <pre>{@code
 * new Runner(new OptionsBuilder().include(PipelineBenchmark.class.getName()).build()).run();
 * }</pre>
 *
 * <p>The mesh variant takes about 5 s of calls to reach its steady state on 2 cores, hence the
 * long warm-up. A JMH {@link State} with benchmark scope: one instance shared by the benchmark
 * threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 8, time = 1)
// A fixed heap keeps GC sizing from drifting between forks and between the two variants.
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PipelineBenchmark {
  /** The service the mesh routes. */
  static final String SERVICE = "bench";

  /** The body the terminal answers with. */
  static final byte[] BODY = "{\"status\":\"ok\",\"items\":[1,2,3]}".getBytes(StandardCharsets.UTF_8);

  private static final MediaType JSON = MediaType.get("application/json");

  /** Answers every request at once with {@code 200} and {@link #BODY}; never calls {@code proceed}. */
  static final Interceptor TERMINAL = chain -> new Response.Builder()
      .request(chain.request())
      .protocol(Protocol.HTTP_1_1)
      .code(200)
      .message("OK")
      .body(ResponseBody.create(BODY, JSON))
      .build();

  private static final Interceptor NO_OP = chain -> chain.proceed(chain.request());

  private final Request request = new Request.Builder().url("http://" + SERVICE + "/path?x=1").build();

  OkHttpClient baselineClient;
  OkHttpClient baselineWithCallTimeoutClient;
  OkHttpClient transport;
  MeshClient mesh;
  OkHttpClient meshClient;
  MeshClient meshWithoutDeadline;
  OkHttpClient meshWithoutDeadlineClient;
  PrometheusMeterRegistry registry;
  MeshClient meshObserved;
  OkHttpClient meshObservedClient;

  /** Builds both clients and the mesh. */
  @Setup(Level.Trial)
  public void setUp() {
    baselineClient = new OkHttpClient.Builder().addInterceptor(NO_OP).addInterceptor(TERMINAL).build();
    // The mesh's default deadline is 10 s; this is plain OkHttp with the same bound on the call.
    baselineWithCallTimeoutClient = baselineClient.newBuilder().callTimeout(Duration.ofSeconds(10)).build();
    transport = new OkHttpClient.Builder().addInterceptor(TERMINAL).build();
    mesh = MeshClient.builder()
        .transport(transport)
        .service(SERVICE,
            Endpoint.of("127.0.0.1", 9001), Endpoint.of("127.0.0.1", 9002), Endpoint.of("127.0.0.1", 9003))
        .build();
    meshClient = mesh.decorate(new OkHttpClient.Builder()).build();
    meshWithoutDeadline = MeshClient.builder()
        .transport(transport)
        .service(SERVICE, s -> s
            .endpoints(Endpoint.of("127.0.0.1", 9001), Endpoint.of("127.0.0.1", 9002), Endpoint.of("127.0.0.1", 9003))
            .timeouts(TimeoutPolicy.builder().timeout(Duration.ZERO).build()))
        .build();
    meshWithoutDeadlineClient = meshWithoutDeadline.decorate(new OkHttpClient.Builder()).build();
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    meshObserved = MeshClient.builder()
        .transport(transport)
        .telemetry(MeshMetrics.of(registry))
        .telemetry(MeshTracing.of(OpenTelemetry.noop()))
        .service(SERVICE,
            Endpoint.of("127.0.0.1", 9001), Endpoint.of("127.0.0.1", 9002), Endpoint.of("127.0.0.1", 9003))
        .build();
    meshObservedClient = meshObserved.decorate(new OkHttpClient.Builder()).build();
  }

  /** Closes the mesh and shuts the clients down. */
  @TearDown(Level.Trial)
  public void tearDown() {
    mesh.close();
    meshWithoutDeadline.close();
    meshObserved.close();
    registry.close();
    Clients.shutDown(meshObservedClient);
    Clients.shutDown(meshClient);
    Clients.shutDown(meshWithoutDeadlineClient);
    Clients.shutDown(transport);
    Clients.shutDown(baselineClient);
    Clients.shutDown(baselineWithCallTimeoutClient);
  }

  /** One plain OkHttp call: no-op interceptor, then the terminal. Returns the body read. */
  @Benchmark
  public byte[] baseline() throws IOException {
    return Clients.execute(baselineClient, request);
  }

  /** The plain call with a 10 s call timeout, which arms the same Okio watchdog the mesh's deadline does. */
  @Benchmark
  public byte[] baselineWithCallTimeout() throws IOException {
    return Clients.execute(baselineWithCallTimeoutClient, request);
  }

  /** One mesh call to {@code bench}, ending in the same terminal. Returns the body read. */
  @Benchmark
  public byte[] mesh() throws IOException {
    return Clients.execute(meshClient, request);
  }

  /** The same mesh call with no deadline, so no call timeout is armed per attempt. */
  @Benchmark
  public byte[] meshWithoutDeadline() throws IOException {
    return Clients.execute(meshWithoutDeadlineClient, request);
  }

  /** The mesh call with metrics (Prometheus registry) and tracing (no-op tracer) on. */
  @Benchmark
  public byte[] meshObserved() throws IOException {
    return Clients.execute(meshObservedClient, request);
  }
}
