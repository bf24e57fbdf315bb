package io.meshclient.core;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.Redaction;
import io.meshclient.api.ServicePolicy;
import io.meshclient.core.internal.CallObserver;
import io.meshclient.core.internal.Cluster;
import io.meshclient.core.internal.LoadBalancerRegistry;
import io.meshclient.core.metrics.MeshMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every series docs/grafana-dashboard.json queries is one the Prometheus registry exports. */
class GrafanaDashboardTest {
  private static final Path DASHBOARD = Path.of("..", "docs", "grafana-dashboard.json");
  private static final Pattern SERIES = Pattern.compile("\\b(?:http_client_request_duration_seconds|mesh)_[a-z_]+");

  @RegisterExtension
  final Backends backends = new Backends();

  @Test
  void theDashboardQueriesOnlyExportedNames() throws IOException {
    JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
    Set<String> queried = new TreeSet<>();
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.path("targets")) {
        Matcher m = SERIES.matcher(target.get("expr").asText());
        while (m.find()) {
          queried.add(m.group());
        }
      }
    }
    assertThat(queried).hasSizeGreaterThan(10);

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MeshMetrics metrics = MeshMetrics.builder(registry).histogram(true).build();
    WireMockServer server = backends.ok("ok");
    server.resetAll();
    server.stubFor(any(anyUrl()).inScenario("once").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
    server.stubFor(any(anyUrl()).inScenario("once").whenScenarioStateIs("recovered")
        .willReturn(aResponse().withStatus(200)));
    String text;
    // Scraped while the mesh is open: closing it removes its meters.
    try (MeshClient mesh = MeshClient.builder().telemetry(metrics).service("orders", Backends.endpoint(server)).build()) {
      mesh.httpClient().newCall(new Request.Builder().url("http://orders/a").build()).execute().close();
      // What the call engine reports for other calls, and what the mesh's events feed.
      ServicePolicy policy = ServicePolicy.ofDefaults();
      Cluster cluster = new Cluster("users", policy,
          LoadBalancerRegistry.factories(List.of()).get("round_robin").create("users", policy.loadBalancing()),
          Clock.systemUTC(), MeshEventListener.NONE, null);
      cluster.onEndpoints(EndpointSet.of(Endpoint.of("10.0.0.1", 80)));
      CallObserver observer = metrics.observer(List.of(cluster), Redaction.ofDefaults());
      observer.start(cluster, new Request.Builder().url("http://users/a").build(), null).rejected("bulkhead");
      metrics.events().onEjection("users", Endpoint.of("10.0.0.1", 80), "consecutive_5xx", Duration.ofSeconds(30));
      metrics.events().onCircuitStateChange("users", Endpoint.of("10.0.0.1", 80), "CLOSED", "OPEN");
      text = registry.scrape();
    }
    for (String series : queried) {
      assertThat(text).as("the registry exports %s", series).containsPattern("(?m)^" + series + "\\{");
    }
  }
}
