package io.meshclient.spring;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.meshclient.api.Endpoint;
import io.meshclient.api.MeshConfigException;
import io.meshclient.core.MeshClient;
import io.meshclient.core.config.MeshConfig;
import io.meshclient.core.config.MeshConfigFile;
import io.meshclient.core.deadline.MeshDeadlineFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.client.RestClient;

class MeshAutoConfigurationTest {
  private static WireMockServer orders;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(MeshAutoConfiguration.class));

  @BeforeAll
  static void start() {
    orders = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    orders.start();
    orders.stubFor(get(urlEqualTo("/orders/42")).willReturn(aResponse().withStatus(200).withBody("order 42")));
  }

  @AfterAll
  static void stop() {
    orders.stop();
  }

  private static String[] ordersAt(int port) {
    return new String[] {"mesh.services.orders.endpoints[0].host=127.0.0.1", "mesh.services.orders.endpoints[0].port=" + port};
  }

  @Test
  void propertiesGiveTheModelTheFileGives() {
    runner.withPropertyValues(
            "mesh.zone=eu-west-1a",
            "mesh.initial-discovery-timeout=3s",
            "mesh.defaults.timeouts.timeout=2s",
            "mesh.defaults.timeouts.per-try-timeout=500ms",
            "mesh.defaults.retry.max-attempts=2",
            "mesh.defaults.retry.retry-on=connect_failure,503,504",
            "mesh.defaults.retry-budget.percent=10",
            "mesh.defaults.hedging.delay-percentile=95",
            "mesh.defaults.bulkhead.max-concurrent-calls=50",
            "mesh.defaults.timeouts.deadline-header=x-deadline",
            "mesh.defaults.outlier-detection.consecutive5xx=7",
            "mesh.services.orders.endpoints[0].host=127.0.0.1",
            "mesh.services.orders.endpoints[0].port=8081",
            "mesh.services.orders.endpoints[0].labels.version=v2",
            "mesh.services.orders.load-balancer=ring_hash",
            "mesh.services.orders.load-balancing.hash-key.header=x-user-id",
            "mesh.services.orders.circuit-breaker.failure-rate-threshold=25",
            "mesh.services.users.endpoints[0].host=127.0.0.1",
            "mesh.services.users.endpoints[0].port=8082",
            "mesh.services.users.endpoints[0].zone=eu-west-1b",
            "mesh.egress.rules[0].services=orders,users",
            "mesh.egress.rules[0].methods=GET",
            "mesh.redaction.headers=x-secret")
        .run(context -> {
          assertThat(context).hasNotFailed();
          MeshConfig fromFile = MeshConfigFile.parseYaml(String.join("\n",
              "zone: eu-west-1a",
              "initialDiscoveryTimeout: 3s",
              "defaults:",
              "  timeouts: {timeout: 2s, perTryTimeout: 500ms, deadlineHeader: x-deadline}",
              "  retry: {maxAttempts: 2, retryOn: [connect_failure, 503, 504]}",
              "  retryBudget: {percent: 10}",
              "  hedging: {delayPercentile: 95}",
              "  bulkhead: {maxConcurrentCalls: 50}",
              "  outlierDetection: {consecutive5xx: 7}",
              "services:",
              "  orders:",
              "    endpoints: [{host: 127.0.0.1, port: 8081, labels: {version: v2}}]",
              "    loadBalancer: ring_hash",
              "    loadBalancing: {hashKey: {header: x-user-id}}",
              "    circuitBreaker: {failureRateThreshold: 25}",
              "  users:",
              "    endpoints: [{host: 127.0.0.1, port: 8082, zone: eu-west-1b}]",
              "egress: {rules: [{services: [orders, users], methods: [GET]}]}",
              "redaction: {headers: [x-secret]}"));
          assertThat(context.getBean(MeshConfig.class)).isEqualTo(fromFile);
          assertThat(context.getBean(MeshClient.class).config()).isEqualTo(fromFile);
        });
  }

  /** A servlet application with the HTTP client builders and the mesh endpoint exposed: every mesh bean can exist. */
  private WebApplicationContextRunner everything() {
    return new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MeshAutoConfiguration.class))
        .withConfiguration(BootLine.httpClients())
        .withPropertyValues(ordersAt(orders.port()))
        .withPropertyValues("management.endpoints.web.exposure.include=mesh");
  }

  private static final String[] NAMED_BEANS = {
      "meshRestClientCustomizer", "meshRestTemplateCustomizer", "meshHealthIndicator"};

  @Test
  void meshEnabledFalseTurnsEverythingOff() {
    everything().run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).hasSingleBean(MeshClient.class).hasSingleBean(MeshConfig.class)
          .hasSingleBean(OkHttpClient.class).hasSingleBean(MeshEndpoint.class)
          .hasSingleBean(MeshDeadlineFilter.class);
      for (String name : NAMED_BEANS) {
        assertThat(context).hasBean(name);
      }
    });
    everything().withPropertyValues("mesh.enabled=false").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).doesNotHaveBean(MeshClient.class).doesNotHaveBean(MeshConfig.class)
          .doesNotHaveBean(OkHttpClient.class).doesNotHaveBean(MeshEndpoint.class)
          .doesNotHaveBean(MeshDeadlineFilter.class);
      for (String name : NAMED_BEANS) {
        assertThat(context).doesNotHaveBean(name);
      }
    });
  }

  @Test
  void aBadValueFailsStartUpNamingTheProperty() {
    runner.withPropertyValues(ordersAt(8081)).withPropertyValues("mesh.services.orders.retry.max-attempts=0")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(meshConfigError(context.getStartupFailure())).satisfies(e -> {
            assertThat(e.path()).isEqualTo("mesh.services.orders.retry.max-attempts");
            assertThat(e.getMessage()).isEqualTo("mesh.services.orders.retry.max-attempts: 0 (expected: 1..10)");
          });
        });
    runner.withPropertyValues("mesh.services.orders.endpoints[0].host=127.0.0.1")
        .run(context -> assertThat(meshConfigError(context.getStartupFailure()).path())
            .isEqualTo("mesh.services.orders.endpoints[0].port"));
  }

  /** The first MeshConfigException from the top: the one the application sees. */
  private static MeshConfigException meshConfigError(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof MeshConfigException) {
        return (MeshConfigException) t;
      }
    }
    throw new AssertionError("no MeshConfigException in", failure);
  }

  @Test
  void anUnknownOrMistypedPropertyFailsStartUpNamingIt() {
    runner.withPropertyValues(ordersAt(8081)).withPropertyValues("mesh.services.orders.retry.max-atempts=2")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).hasStackTraceContaining("mesh.services.orders.retry");
          assertThat(context.getStartupFailure()).hasStackTraceContaining("max-atempts");
        });
    runner.withPropertyValues(ordersAt(8081)).withPropertyValues("mesh.defaults.timeouts.timeout=5 parsecs")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).hasStackTraceContaining("mesh.defaults.timeouts.timeout");
        });
  }

  @Test
  void customizersGetTheRealBuilder() {
    runner.withPropertyValues(ordersAt(orders.port()))
        .withBean("addUsers", MeshClientCustomizer.class,
            () -> builder -> builder.service("users", Endpoint.of("127.0.0.1", 8082)))
        .run(context -> assertThat(context.getBean(MeshClient.class).services()).containsExactlyInAnyOrder("orders", "users"));
  }

  @Test
  void theApplicationsOwnBeansWin() {
    MeshClient own = MeshClient.builder().service("billing", Endpoint.of("127.0.0.1", 8083)).build();
    runner.withPropertyValues(ordersAt(orders.port()))
        .withBean(MeshClient.class, () -> own)
        .run(context -> {
          assertThat(context.getBean(MeshClient.class)).isSameAs(own);
          assertThat(context.getBean(OkHttpClient.class)).isSameAs(own.httpClient());
        });
    own.close();
  }

  @Test
  void theApplicationsOwnConfigWins() {
    MeshConfig own = MeshConfigFile.parseYaml("services: {billing: {endpoints: [{host: 127.0.0.1, port: 8083}]}}");
    runner.withPropertyValues(ordersAt(orders.port()))
        .withBean(MeshConfig.class, () -> own)
        .run(context -> {
          assertThat(context.getBean(MeshConfig.class)).isSameAs(own);
          assertThat(context.getBean(MeshClient.class).services()).containsExactly("billing");
        });
  }

  @Test
  void theApplicationsOwnOkHttpClientWins() {
    OkHttpClient own = new OkHttpClient();
    runner.withPropertyValues(ordersAt(orders.port()))
        .withBean(OkHttpClient.class, () -> own)
        .run(context -> assertThat(context.getBean(OkHttpClient.class)).isSameAs(own));
  }

  @Test
  void theApplicationsOwnEndpointAndDeadlineFilterWin() {
    MeshClient elsewhere = MeshClient.builder().service("billing", Endpoint.of("127.0.0.1", 8083)).build();
    MeshEndpoint endpoint = new MeshEndpoint(elsewhere);
    MeshDeadlineFilter filter = new MeshDeadlineFilter("x-own-deadline");
    everything()
        .withBean(MeshEndpoint.class, () -> endpoint)
        .withBean(MeshDeadlineFilter.class, () -> filter)
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(MeshEndpoint.class)).isSameAs(endpoint);
          assertThat(context.getBean(MeshDeadlineFilter.class)).isSameAs(filter);
        });
    elsewhere.close();
  }

  @Test
  void theApplicationsOwnCustomizersAndHealthIndicatorWin() {
    // They back off by name, so that an application can replace each with a bean of its own type.
    for (String name : NAMED_BEANS) {
      Object own = new Object();
      everything().withBean(name, Object.class, () -> own)
          .run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(name)).as(name).isSameAs(own);
          });
    }
  }

  @Test
  void restClientAndRestTemplateGoThroughTheMesh() {
    runner.withConfiguration(BootLine.httpClients()).withPropertyValues(ordersAt(orders.port()))
        .run(context -> {
          RestClient client = context.getBean(RestClient.Builder.class).build();
          assertThat(client.get().uri("http://orders/orders/42").retrieve().body(String.class)).isEqualTo("order 42");
          assertThat(BootLine.restTemplate(context).getForObject("http://orders/orders/42", String.class))
              .isEqualTo("order 42");
          assertThat(context.getBean(OkHttpClient.class).interceptors()).isNotEmpty();
        });
  }

  @Test
  void healthIsUpWhileEveryServiceHasAHealthyEndpoint() {
    runner.withPropertyValues(ordersAt(orders.port()))
        .withPropertyValues("mesh.services.users.endpoints[0].host=127.0.0.1", "mesh.services.users.endpoints[0].port=8082")
        .run(context -> {
          Map<String, Object> details = new LinkedHashMap<>();
          assertThat(BootLine.meshHealth(context, details)).isEqualTo("UP");
          assertThat(details).containsKeys("orders", "users");
        });
    String[] usersDown = {"mesh.services.users.endpoints[0].host=127.0.0.1", "mesh.services.users.endpoints[0].port=8082",
        "mesh.services.users.endpoints[0].healthy=false"};
    runner.withPropertyValues(ordersAt(orders.port())).withPropertyValues(usersDown)
        .run(context -> {
          Map<String, Object> details = new LinkedHashMap<>();
          assertThat(BootLine.meshHealth(context, details)).isEqualTo("DOWN");
          assertThat(details.get("users")).asString().contains("healthyEndpoints=0");
        });
    runner.withPropertyValues(ordersAt(orders.port())).withPropertyValues(usersDown)
        .withPropertyValues("mesh.health.status-without-endpoints=UP")
        .run(context -> assertThat(BootLine.meshHealth(context, new LinkedHashMap<>())).isEqualTo("UP"));
  }

  @Test
  void aHealthStatusNotOfTheFourFailsStartUpNamingTheProperty() {
    runner.withPropertyValues(ordersAt(orders.port())).withPropertyValues("mesh.health.status-without-endpoints=DEGRADED")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).hasStackTraceContaining("mesh.health.status-without-endpoints");
          assertThat(meshConfigError(context.getStartupFailure()).getMessage())
              .isEqualTo("mesh.health.status-without-endpoints: \"DEGRADED\" (expected: one of DOWN, OUT_OF_SERVICE, UNKNOWN, UP)");
        });
    runner.withPropertyValues(ordersAt(orders.port()))
        .withPropertyValues("mesh.services.users.endpoints[0].host=127.0.0.1", "mesh.services.users.endpoints[0].port=8082",
            "mesh.services.users.endpoints[0].healthy=false", "mesh.health.status-without-endpoints=out_of_service")
        .run(context -> assertThat(BootLine.meshHealth(context, new LinkedHashMap<>())).isEqualTo("OUT_OF_SERVICE"));
  }

  @Test
  void theTrafficExamplesInPropertyFormGiveTheRoutesTheFileGives() {
    runner.withPropertyValues(
            "mesh.services.order-service.endpoints[0].host=10.0.0.1",
            "mesh.services.order-service.endpoints[0].port=8080",
            "mesh.services.order-service.endpoints[0].labels.version=v1",
            "mesh.services.order-service.routes[0].name=beta",
            "mesh.services.order-service.routes[0].match.headers.x-user-group.exact=beta",
            "mesh.services.order-service.routes[0].destinations[0].subset.version=v2",
            "mesh.services.order-service.routes[1].name=default",
            "mesh.services.order-service.routes[1].destinations[0].subset.version=v1",
            "mesh.services.order-service.routes[1].destinations[0].weight=90",
            "mesh.services.order-service.routes[1].destinations[1].subset.version=v2",
            "mesh.services.order-service.routes[1].destinations[1].weight=10",
            "mesh.services.order-service.routes[1].timeouts.timeout=10s",
            "mesh.services.order-service.routes[1].timeouts.perTryTimeout=2s",
            "mesh.services.order-service.routes[1].retry.maxAttempts=4")
        .run(context -> {
          MeshConfig fromFile = MeshConfigFile.parseYaml(String.join("\n",
              "services:",
              "  order-service:",
              "    endpoints: [{host: 10.0.0.1, port: 8080, labels: {version: v1}}]",
              "    routes:",
              "      - name: beta",
              "        match: {headers: {x-user-group: {exact: beta}}}",
              "        destinations: [{subset: {version: v2}}]",
              "      - name: default",
              "        destinations: [{subset: {version: v1}, weight: 90}, {subset: {version: v2}, weight: 10}]",
              "        timeouts: {timeout: 10s, perTryTimeout: 2s}",
              "        retry: {maxAttempts: 4}",
              ""));
          assertThat(context.getBean(MeshConfig.class).services().get("order-service").policy().routes())
              .hasSize(2)
              .isEqualTo(fromFile.services().get("order-service").policy().routes());
        });
  }

  @Test
  void theMeshMetersGoToTheApplicationsRegistry() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    runner.withPropertyValues(ordersAt(orders.port()))
        .withBean(io.micrometer.core.instrument.MeterRegistry.class, () -> registry)
        .run(context -> {
          try (okhttp3.Response response = context.getBean(OkHttpClient.class)
              .newCall(new okhttp3.Request.Builder().url("http://orders/orders/42").build()).execute()) {
            assertThat(response.code()).isEqualTo(200);
          }
          assertThat(registry.get("mesh.discovery.staleness").tag("service", "orders").gauge().value()).isZero();
          assertThat(registry.get("http.client.request.duration").tag("server.address", "orders").timer().count())
              .isEqualTo(1);
        });
  }

  @Test
  void theMeshTracesThroughTheApplicationsOpenTelemetry() {
    // No SDK here (the Boot BOMs pick OpenTelemetry versions without one): the application's
    // instance is seen through the tracer the mesh asks it for and the propagator that puts the
    // trace context on every attempt.
    List<String> tracerScopes = new CopyOnWriteArrayList<>();
    TracerProvider tracers = new TracerProvider() {
      @Override
      public Tracer get(String scope) {
        tracerScopes.add(scope);
        return TracerProvider.noop().get(scope);
      }

      @Override
      public Tracer get(String scope, String version) {
        return get(scope);
      }
    };
    TextMapPropagator marking = new TextMapPropagator() {
      @Override
      public Collection<String> fields() {
        return List.of("x-app-propagator");
      }

      @Override
      public <C> void inject(Context context, @Nullable C carrier, TextMapSetter<C> setter) {
        setter.set(carrier, "x-app-propagator", "yes");
      }

      @Override
      public <C> Context extract(Context context, @Nullable C carrier, TextMapGetter<C> getter) {
        return context;
      }
    };
    OpenTelemetry application = new OpenTelemetry() {
      @Override
      public TracerProvider getTracerProvider() {
        return tracers;
      }

      @Override
      public ContextPropagators getPropagators() {
        return ContextPropagators.create(marking);
      }
    };
    orders.resetRequests();
    runner.withPropertyValues(ordersAt(orders.port()))
        .withBean(OpenTelemetry.class, () -> application)
        .run(context -> {
          try (okhttp3.Response response = context.getBean(OkHttpClient.class)
              .newCall(new okhttp3.Request.Builder().url("http://orders/orders/42").build()).execute()) {
            assertThat(response.code()).isEqualTo(200);
          }
          assertThat(tracerScopes).contains(io.meshclient.core.tracing.MeshTracing.SCOPE);
          orders.verify(1, getRequestedFor(urlEqualTo("/orders/42")).withHeader("x-app-propagator", equalTo("yes")));
        });
  }

  @Test
  void aServletApplicationGetsTheIncomingDeadlineFilterAndOthersDoNot() {
    new org.springframework.boot.test.context.runner.WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MeshAutoConfiguration.class))
        .withPropertyValues(ordersAt(orders.port()))
        .withPropertyValues("mesh.defaults.timeouts.deadline-header=x-deadline")
        .run(context -> assertThat(context.getBean(io.meshclient.core.deadline.MeshDeadlineFilter.class).header())
            .isEqualTo("x-deadline"));
    runner.withPropertyValues(ordersAt(orders.port()))
        .run(context -> assertThat(context).doesNotHaveBean(io.meshclient.core.deadline.MeshDeadlineFilter.class));
  }
}
