package io.meshclient.core;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.Redaction;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.ServicePolicy;
import io.meshclient.core.internal.CallObserver;
import io.meshclient.core.internal.Cluster;
import io.meshclient.core.internal.EndpointState;
import io.meshclient.core.internal.LoadBalancerRegistry;
import io.meshclient.core.internal.PickState;
import io.meshclient.core.metrics.MeshMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Micrometer meters of a mesh: per call, per attempt, and the gauges read at scrape time. */
class MeshMetricsTest {
  @RegisterExtension
  final Backends backends = new Backends();

  /** One backend that answers 503 once, then 200. */
  private WireMockServer failingOnce() {
    WireMockServer server = backends.ok("ok");
    server.resetAll();
    server.stubFor(any(anyUrl()).inScenario("once").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
    server.stubFor(any(anyUrl()).inScenario("once").whenScenarioStateIs("recovered")
        .willReturn(aResponse().withStatus(200).withBody("ok")));
    return server;
  }

  @Test
  void aRetriedCallRecordsOneDurationTwoAttemptsAndItsRetryReason() throws IOException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    WireMockServer server = failingOnce();
    try (MeshClient mesh = MeshClient.builder()
        .telemetry(MeshMetrics.of(registry))
        .service("orders", Backends.endpoint(server))
        .build()) {
      try (Response response = call(mesh, "http://orders/orders/42")) {
        assertThat(response.code()).isEqualTo(200);
      }

      Timer duration = registry.get("http.client.request.duration")
          .tags("http.request.method", "GET", "server.address", "orders", "http.response.status_code", "200",
              "error.type", "", "outcome", "SUCCESS")
          .timer();
      assertThat(duration.count()).isEqualTo(1);
      assertThat(duration.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
      assertThat(count(registry, "mesh.client.attempts", "service", "orders", "outcome", "SERVER_ERROR")).isEqualTo(1);
      assertThat(count(registry, "mesh.client.attempts", "service", "orders", "outcome", "SUCCESS")).isEqualTo(1);
      assertThat(count(registry, "mesh.client.retries", "service", "orders", "reason", "status_503")).isEqualTo(1);
      assertThat(gauge(registry, "mesh.endpoints", "service", "orders", "state", "healthy")).isEqualTo(1);
      assertThat(gauge(registry, "mesh.endpoints", "service", "orders", "state", "ejected")).isZero();
      assertThat(gauge(registry, "mesh.circuit.state", "service", "orders", "state", "CLOSED")).isEqualTo(1);
      assertThat(gauge(registry, "mesh.client.inflight", "service", "orders")).isZero();
      assertThat(gauge(registry, "mesh.discovery.staleness", "service", "orders")).isZero();
      assertThat(gauge(registry, "mesh.discovery.failing", "service", "orders")).isZero();
      // No client-side percentiles unless asked for.
      assertThat(duration.takeSnapshot().percentileValues()).isEmpty();
      assertThat(duration.takeSnapshot().histogramCounts()).isEmpty();
    }
  }

  @Test
  void aFailedCallIsTaggedWithItsErrorTypeAndNoStatus() throws IOException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (MeshClient mesh = MeshClient.builder()
        .telemetry(MeshMetrics.of(registry))
        .service("orders", s -> s.endpoints(refusing()).retry(RetryPolicy.disabled()))
        .build()) {
      assertThatThrownBy(() -> call(mesh, "http://orders/x")).isInstanceOf(ConnectException.class);

      Timer duration = registry.get("http.client.request.duration")
          .tags("server.address", "orders", "http.response.status_code", "", "error.type",
              "java.net.ConnectException", "outcome", "IO_ERROR")
          .timer();
      assertThat(duration.count()).isEqualTo(1);
      assertThat(count(registry, "mesh.client.attempts", "service", "orders", "outcome", "IO_ERROR")).isEqualTo(1);
    }
  }

  @Test
  void prometheusGetsTheDottedNamesInItsOwnStyle() throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    WireMockServer server = failingOnce();
    MeshMetrics metrics = MeshMetrics.builder(registry).histogram(true).build();
    try (MeshClient mesh = MeshClient.builder()
        .telemetry(metrics)
        .service("orders", Backends.endpoint(server))
        .service("users", s -> s.endpoints(refusing()).retry(RetryPolicy.disabled()))
        .build()) {
      call(mesh, "http://orders/a").close();
      assertThatThrownBy(() -> call(mesh, "http://users/b")).isInstanceOf(ConnectException.class);

      String text = metrics.prometheusText().orElseThrow();
      assertThat(text)
          .contains("http_client_request_duration_seconds_count{error_type=\"\",http_request_method=\"GET\","
              + "http_response_status_code=\"200\",outcome=\"SUCCESS\",server_address=\"orders\"} 1")
          .contains("http_client_request_duration_seconds_count{error_type=\"java.net.ConnectException\","
              + "http_request_method=\"GET\",http_response_status_code=\"\",outcome=\"IO_ERROR\",server_address=\"users\"} 1")
          .contains("http_client_request_duration_seconds_bucket{")
          .contains("mesh_client_attempts_total{outcome=\"SERVER_ERROR\",service=\"orders\"} 1")
          .contains("mesh_client_retries_total{reason=\"status_503\",service=\"orders\"} 1")
          .contains("mesh_endpoints{service=\"orders\",state=\"healthy\"} 1")
          .contains("mesh_circuit_state{service=\"orders\",state=\"OPEN\"} 0")
          .contains("mesh_discovery_staleness_seconds{service=\"orders\"} 0");
    }
  }

  @Test
  void theEndpointTagIsOptIn() throws IOException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    WireMockServer server = backends.ok("ok");
    try (MeshClient mesh = MeshClient.builder()
        .telemetry(MeshMetrics.builder(registry).endpointTag(true).build())
        .service("orders", Backends.endpoint(server))
        .build()) {
      call(mesh, "http://orders/a").close();
      assertThat(count(registry, "mesh.client.attempts", "service", "orders", "outcome", "SUCCESS",
          "endpoint", "127.0.0.1:" + server.port())).isEqualTo(1);
    }
    SimpleMeterRegistry plain = new SimpleMeterRegistry();
    try (MeshClient mesh = MeshClient.builder()
        .telemetry(MeshMetrics.of(plain))
        .service("orders", Backends.endpoint(server))
        .build()) {
      call(mesh, "http://orders/a").close();
      assertThat(plain.get("mesh.client.attempts").counter().getId().getTag("endpoint")).isNull();
    }
  }

  @Test
  void hedgesBudgetExhaustionAndRejectionsAreCounted() throws IOException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Cluster cluster = cluster("orders");
    CallObserver observer = MeshMetrics.of(registry).observer(List.of(cluster), Redaction.ofDefaults());
    Request request = new Request.Builder().url("http://orders/x").build();

    CallObserver.Call call = observer.start(cluster, request, null);
    PickState picks = cluster.newPickState(null);
    EndpointState chosen = cluster.pick(picks, 0);
    call.attempt(0, chosen, picks, request.newBuilder(), false).end(200, null, 1_000);
    call.attempt(1, chosen, picks, request.newBuilder(), true).end(200, null, 1_000);
    call.budgetExhausted();
    call.end(null, new IOException("x"), 2, chosen.endpoint());
    CallObserver.Call refused = observer.start(cluster, request, null);
    refused.rejected("bulkhead");
    refused.end(null, new IOException("bulkhead full"), 0, null);

    assertThat(count(registry, "mesh.client.hedges", "service", "orders")).isEqualTo(1);
    assertThat(count(registry, "mesh.client.attempts", "service", "orders", "outcome", "SUCCESS")).isEqualTo(2);
    assertThat(count(registry, "mesh.client.retry.budget.exhausted", "service", "orders")).isEqualTo(1);
    assertThat(count(registry, "mesh.client.rejected", "service", "orders", "reason", "bulkhead")).isEqualTo(1);
    assertThat(registry.get("http.client.request.duration").tags("outcome", "REJECTED", "error.type",
        "java.io.IOException").timer().count()).isEqualTo(1);
  }

  @Test
  void ejectionsAndBreakerTransitionsAreCountedFromMeshEvents() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MeshEventListener events = MeshMetrics.of(registry).events();
    Endpoint endpoint = Endpoint.of("10.0.0.1", 80);
    events.onEjection("orders", endpoint, "consecutive_5xx", Duration.ofSeconds(30));
    events.onCircuitStateChange("orders", endpoint, "CLOSED", "OPEN");

    assertThat(count(registry, "mesh.endpoint.ejections", "service", "orders", "reason", "consecutive_5xx")).isEqualTo(1);
    assertThat(count(registry, "mesh.circuit.transitions", "service", "orders", "from", "CLOSED", "to", "OPEN"))
        .isEqualTo(1);
  }

  @Test
  void breakerStatesAndEjectionsAreReadFromTheClusterAtScrapeTime() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Cluster cluster = cluster("orders");
    MeshMetrics.of(registry).observer(List.of(cluster), Redaction.ofDefaults());
    assertThat(gauge(registry, "mesh.endpoints", "service", "orders", "state", "healthy")).isEqualTo(2);
    cluster.onEndpoints(EndpointSet.of(Endpoint.of("10.0.0.1", 80),
        Endpoint.builder("10.0.0.2", 80).healthy(false).build()));
    assertThat(gauge(registry, "mesh.endpoints", "service", "orders", "state", "healthy")).isEqualTo(1);
    assertThat(gauge(registry, "mesh.endpoints", "service", "orders", "state", "unhealthy")).isEqualTo(1);
  }

  @Test
  void aBreakerOpeningInARealMeshIsCountedAndShowsInTheStateGauge() throws IOException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    WireMockServer unavailable = backends.start(aResponse().withStatus(503));
    try (MeshClient mesh = MeshClient.builder()
        .telemetry(MeshMetrics.of(registry))
        .service("orders", s -> s.endpoints(Backends.endpoint(unavailable))
            .retry(RetryPolicy.disabled())
            .outlierDetection(io.meshclient.api.OutlierDetectionPolicy.disabled())
            .circuitBreaker(io.meshclient.api.CircuitBreakerPolicy.builder()
                .slidingWindowSize(2).minimumNumberOfCalls(2).failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofMinutes(5)).build()))
        .build()) {
      assertThat(gauge(registry, "mesh.circuit.state", "service", "orders", "state", "OPEN")).isZero();
      for (int i = 0; i < 2; i++) {
        try (Response response = call(mesh, "http://orders/")) {
          assertThat(response.code()).isEqualTo(503);
        }
      }
      assertThatThrownBy(() -> call(mesh, "http://orders/")).isInstanceOf(io.meshclient.api.CircuitOpenException.class);

      assertThat(count(registry, "mesh.circuit.transitions", "service", "orders", "from", "CLOSED", "to", "OPEN"))
          .isEqualTo(1);
      assertThat(gauge(registry, "mesh.circuit.state", "service", "orders", "state", "OPEN")).isEqualTo(1);
      assertThat(gauge(registry, "mesh.circuit.state", "service", "orders", "state", "CLOSED")).isZero();
    }
  }

  @Test
  void theServiceBreakerStateIsAGaugeFollowingItThroughOpenAndHalfOpenAndRemovedOnClose() throws IOException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MutableClock clock = new MutableClock();
    WireMockServer failing = backends.start(aResponse().withStatus(500));
    try (MeshClient mesh = MeshClient.builder()
        .clock(clock)
        .telemetry(MeshMetrics.of(registry))
        .service("orders", s -> s.endpoints(Backends.endpoint(failing))
            .retry(RetryPolicy.disabled())
            .circuitBreaker(io.meshclient.api.CircuitBreakerPolicy.disabled())
            .outlierDetection(io.meshclient.api.OutlierDetectionPolicy.disabled())
            .serviceCircuitBreaker(io.meshclient.api.CircuitBreakerPolicy.builder().slidingWindowSize(2)
                .minimumNumberOfCalls(2).failureRateThreshold(50).waitDurationInOpenState(Duration.ofSeconds(30))
                .permittedCallsInHalfOpenState(2).build()))
        .service("billing", Endpoint.of("10.0.0.1", 80))
        .build()) {
      assertThat(serviceBreaker(registry, "orders")).containsExactly(1.0, 0.0, 0.0);
      assertThat(serviceBreaker(registry, "billing")).as("no service breaker: closed").containsExactly(1.0, 0.0, 0.0);

      for (int i = 0; i < 2; i++) {
        call(mesh, "http://orders/").close();
      }
      assertThatThrownBy(() -> call(mesh, "http://orders/"))
          .isInstanceOf(io.meshclient.api.ServiceCircuitOpenException.class);
      assertThat(serviceBreaker(registry, "orders")).containsExactly(0.0, 1.0, 0.0);

      clock.advance(Duration.ofSeconds(31));
      call(mesh, "http://orders/").close(); // the first trial call: half-open until the second ends
      assertThat(serviceBreaker(registry, "orders")).containsExactly(0.0, 0.0, 1.0);
    }
    assertThat(registry.find("mesh.service.circuit.state").gauges()).as("removed when the mesh closed").isEmpty();
  }

  /** The service breaker gauge's values for CLOSED, OPEN, HALF_OPEN. */
  private static List<Double> serviceBreaker(MeterRegistry registry, String service) {
    return List.of("CLOSED", "OPEN", "HALF_OPEN").stream()
        .map(state -> gauge(registry, "mesh.service.circuit.state", "service", service, "state", state)).toList();
  }

  @Test
  void closingAMeshRemovesItsMetersSoTheNextMeshOnTheRegistryReportsItsOwn() throws IOException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    WireMockServer server = backends.ok("ok");
    try (MeshClient a = MeshClient.builder()
        .telemetry(MeshMetrics.builder(registry).endpointTag(true).build())
        .service("orders", Endpoint.of("10.0.0.1", 80), Endpoint.of("10.0.0.2", 80))
        .service("billing", Backends.endpoint(server))
        .build()) {
      call(a, "http://billing/").close();
      assertThat(gauge(registry, "mesh.endpoints", "service", "orders", "state", "healthy")).isEqualTo(2);
    }
    assertThat(registry.getMeters()).as("the closed mesh's meters").isEmpty();

    try (MeshClient b = MeshClient.builder()
        .telemetry(MeshMetrics.of(registry))
        .service("orders", Endpoint.of("10.0.0.1", 80), Endpoint.of("10.0.0.2", 80), Endpoint.of("10.0.0.3", 80))
        .build()) {
      assertThat(gauge(registry, "mesh.endpoints", "service", "orders", "state", "healthy")).isEqualTo(3);
      assertThat(registry.find("mesh.endpoints").tag("service", "billing").gauges()).isEmpty();
    }
  }

  private static Cluster cluster(String service) {
    ServicePolicy policy = ServicePolicy.ofDefaults();
    Cluster cluster = new Cluster(service, policy,
        LoadBalancerRegistry.factories(List.of()).get("round_robin").create(service, policy.loadBalancing()),
        Clock.systemUTC(), MeshEventListener.NONE, null);
    cluster.onEndpoints(EndpointSet.of(Endpoint.of("10.0.0.1", 80), Endpoint.of("10.0.0.2", 80)));
    return cluster;
  }

  private static Endpoint refusing() {
    try {
      return Backends.refusing();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Response call(MeshClient mesh, String url) throws IOException {
    return mesh.httpClient().newCall(new Request.Builder().url(url).build()).execute();
  }

  @Test
  void theResiliencePoliciesAreCountedWhereTheEngineActs() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    WireMockServer busy = backends.start(aResponse().withStatus(503));
    WireMockServer slow = backends.start(aResponse().withStatus(200).withFixedDelay(2_000));
    WireMockServer fast = backends.ok("fast");
    try (MeshClient mesh = MeshClient.builder()
        .telemetry(MeshMetrics.of(registry))
        .service("budgetless", s -> s.endpoints(Backends.endpoint(busy))
            .retryBudget(io.meshclient.api.RetryBudgetPolicy.builder().percent(0).minRetriesPerSecond(0).build()))
        .service("limited", s -> s.endpoints(Backends.endpoint(fast))
            .rateLimit(io.meshclient.api.RateLimitPolicy.of(1, java.time.Duration.ofHours(1))))
        .service("hedged", s -> s.endpoints(Backends.endpoint(slow), Backends.endpoint(fast)).loadBalancer("round_robin")
            .hedging(io.meshclient.api.HedgingPolicy.builder().delay(java.time.Duration.ofMillis(50)).build()))
        .service("faulty", s -> s.endpoints(Backends.endpoint(fast))
            .route(io.meshclient.api.Route.builder("chaos")
                .fault(io.meshclient.api.FaultPolicy.builder().abortHttpStatus(503).build()).build()))
        .build()) {
      try (Response response = call(mesh, "http://faulty/")) {
        assertThat(response.code()).isEqualTo(503); // injected, not retried
      }
      assertThat(count(registry, "mesh.client.faults", "service", "faulty", "kind", "abort")).isEqualTo(1);
      try (Response response = call(mesh, "http://budgetless/")) {
        assertThat(response.code()).isEqualTo(503); // the retry the budget refused
      }
      call(mesh, "http://limited/").close();
      assertThatThrownBy(() -> call(mesh, "http://limited/")).isInstanceOf(io.meshclient.api.RateLimitedException.class);
      for (int i = 0; i < 2; i++) {
        call(mesh, "http://hedged/").close(); // one of the two starts on the slow endpoint and is hedged
      }

      assertThat(count(registry, "mesh.client.retry.budget.exhausted", "service", "budgetless")).isEqualTo(1);
      assertThat(count(registry, "mesh.client.rejected", "service", "limited", "reason", "rate_limiter")).isEqualTo(1);
      assertThat(registry.get("http.client.request.duration").tags("server.address", "limited", "outcome", "REJECTED")
          .timer().count()).isEqualTo(1);
      assertThat(count(registry, "mesh.client.hedges", "service", "hedged")).isGreaterThanOrEqualTo(1);
    }
  }

  private static double count(MeterRegistry registry, String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  private static double gauge(MeterRegistry registry, String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

}
