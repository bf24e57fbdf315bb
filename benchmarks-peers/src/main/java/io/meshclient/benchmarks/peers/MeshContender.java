package io.meshclient.benchmarks.peers;

import io.meshclient.api.Endpoint;
import io.meshclient.api.TimeoutPolicy;
import io.meshclient.core.MeshClient;
import io.meshclient.core.metrics.MeshMetrics;
import io.meshclient.core.tracing.MeshTracing;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * mesh-client with its defaults (peak-EWMA balancing, outlier detection, endpoint breakers, retries
 * with a budget, a 10 s deadline) and its telemetry on: metrics into a Prometheus registry and
 * tracing through OpenTelemetry's no-op API, as a service without a tracing SDK runs it. The
 * transport is the same OkHttp setup the raw contender uses.
 */
final class MeshContender implements Contender {
  static final String SERVICE = "backend";

  private final String name;
  private final OkHttpClient transport;
  private final PrometheusMeterRegistry registry;
  private final MeshClient mesh;
  private final OkHttpClient client;
  private final Request request;
  private final int backends;

  MeshContender(List<Integer> ports) {
    this("mesh", ports, TimeoutPolicy.ofDefaults());
  }

  /** mesh-client as above, named {@code name}, with {@code timeouts} instead of the default ones. */
  MeshContender(String name, List<Integer> ports, TimeoutPolicy timeouts) {
    this.name = name;
    this.transport = OkHttpContender.client();
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.mesh = MeshClient.builder()
        .transport(transport)
        .telemetry(MeshMetrics.of(registry))
        .telemetry(MeshTracing.of(OpenTelemetry.noop()))
        .service(SERVICE, s -> s
            .endpoints(ports.stream().map(port -> Endpoint.of("127.0.0.1", port)).toArray(Endpoint[]::new))
            .timeouts(timeouts))
        .build();
    this.client = mesh.httpClient();
    this.request = new Request.Builder().url("http://" + SERVICE + "/").build();
    this.backends = ports.size();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int call() throws IOException {
    return OkHttpContender.call(client, request, backends);
  }

  @Override
  public void close() {
    mesh.close();
    registry.close();
    transport.dispatcher().executorService().shutdown();
    transport.connectionPool().evictAll();
  }
}
