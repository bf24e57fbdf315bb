package io.meshclient.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.meshclient.api.MeshConfigException;
import io.meshclient.core.metrics.MeshMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The embedded admin server: off by default, loopback by default, four read-only paths. */
class AdminServerTest {
  @RegisterExtension
  final Backends backends = new Backends();

  private final OkHttpClient http = new OkHttpClient();

  @Test
  void servesThePageTheSnapshotPrometheusTextAndHealth() throws IOException {
    WireMockServer server = backends.ok("ok");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (MeshClient mesh = MeshClient.builder()
        .adminServer(0)
        .telemetry(MeshMetrics.of(registry))
        .service("orders", Backends.endpoint(server))
        .build()) {
      mesh.httpClient().newCall(new Request.Builder().url("http://orders/a").build()).execute().close();
      InetSocketAddress admin = mesh.adminAddress().orElseThrow();
      assertThat(admin.getAddress().isLoopbackAddress()).isTrue();
      assertThat(admin.getPort()).isPositive();
      String base = "http://127.0.0.1:" + admin.getPort();

      try (Response page = get(base + "/")) {
        assertThat(page.code()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body().string()).contains("<title>mesh-client admin</title>").contains("fetch(\"clusters\"");
      }
      try (Response clusters = get(base + "/clusters")) {
        assertThat(clusters.code()).isEqualTo(200);
        assertThat(clusters.header("Content-Type")).isEqualTo("application/json");
        JsonNode json = JsonMapper.builder().build().readTree(clusters.body().string());
        JsonNode service = json.get("services").get(0);
        assertThat(service.get("name").asText()).isEqualTo("orders");
        assertThat(service.get("endpoints").get(0).get("endpoint").get("address").asText())
            .isEqualTo("127.0.0.1:" + server.port());
        assertThat(service.get("endpoints").get(0).get("requests").asLong()).isEqualTo(1);
        assertThat(service.get("decisions")).hasSize(1);
      }
      try (Response metrics = get(base + "/metrics")) {
        assertThat(metrics.code()).isEqualTo(200);
        assertThat(metrics.header("Content-Type")).startsWith("text/plain; version=0.0.4");
        assertThat(metrics.body().string()).contains("http_client_request_duration_seconds_count{");
      }
      try (Response health = get(base + "/health")) {
        assertThat(health.code()).isEqualTo(200);
        assertThat(health.body().string()).isEqualTo("{\"status\":\"UP\",\"services\":1}");
      }
      try (Response missing = get(base + "/nothing-here")) {
        assertThat(missing.code()).isEqualTo(404);
      }
      try (Response post = http.newCall(new Request.Builder().url(base + "/clusters")
          .post(RequestBody.create("{}", MediaType.get("application/json"))).build()).execute()) {
        assertThat(post.code()).isEqualTo(405);
        assertThat(post.header("Allow")).isEqualTo("GET, HEAD");
      }
    }
  }

  @Test
  void metricsIsNotFoundWithoutAPrometheusRegistry() throws IOException {
    WireMockServer server = backends.ok("ok");
    try (MeshClient mesh = MeshClient.builder()
        .adminServer(0)
        .telemetry(MeshMetrics.of(new SimpleMeterRegistry()))
        .service("orders", Backends.endpoint(server))
        .build();
         Response metrics = get("http://127.0.0.1:" + mesh.adminAddress().orElseThrow().getPort() + "/metrics")) {
      assertThat(metrics.code()).isEqualTo(404);
      assertThat(metrics.body().string()).contains("no Prometheus registry");
    }
  }

  @Test
  void offByDefaultAndClosingTheMeshFreesThePort() throws IOException {
    WireMockServer server = backends.ok("ok");
    try (MeshClient mesh = MeshClient.builder().service("orders", Backends.endpoint(server)).build()) {
      assertThat(mesh.adminAddress()).isEmpty();
    }
    int port;
    try (MeshClient mesh = MeshClient.builder().adminServer(0).service("orders", Backends.endpoint(server)).build()) {
      port = mesh.adminAddress().orElseThrow().getPort();
    }
    try (ServerSocket again = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void theServersThreadsAreDaemonsEvenWhenTheMeshIsBuiltOnAnotherThread() throws Exception {
    WireMockServer server = backends.ok("ok");
    java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
    java.util.concurrent.atomic.AtomicReference<MeshClient> built = new java.util.concurrent.atomic.AtomicReference<>();
    Thread builder = new Thread(() -> built.set(MeshClient.builder().adminServer(0)
        .service("orders", Backends.endpoint(server)).build()), "non-daemon builder");
    builder.setDaemon(false);
    builder.start();
    builder.join();
    try (MeshClient mesh = built.get()) {
      assertThat(mesh).isNotNull();
      try (Response response = get("http://127.0.0.1:" + mesh.adminAddress().orElseThrow().getPort() + "/health")) {
        assertThat(response.code()).isEqualTo(200); // the handler thread exists now too
      }
      java.util.List<Thread> started = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> !before.contains(t))
          .filter(t -> t.getName().startsWith("HTTP-Dispatcher") || t.getName().startsWith("mesh-client-admin"))
          .toList();
      assertThat(started).extracting(Thread::getName).contains("HTTP-Dispatcher", "mesh-client-admin");
      assertThat(started).allSatisfy(t -> assertThat(t.isDaemon()).as(t.getName()).isTrue());
    }
  }

  @Test
  void aPortInUseIsAConfigurationError() throws IOException {
    WireMockServer server = backends.ok("ok");
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> MeshClient.builder().adminServer(taken.getLocalPort())
          .service("orders", Backends.endpoint(server)).build())
          .isInstanceOf(MeshConfigException.class)
          .hasMessageContaining("adminServer")
          .hasMessageContaining(String.valueOf(taken.getLocalPort()));
    }
  }

  private Response get(String url) throws IOException {
    return http.newCall(new Request.Builder().url(url).build()).execute();
  }
}
