package io.meshclient.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshclient.api.AdaptiveConcurrencyPolicy;
import io.meshclient.api.BulkheadPolicy;
import io.meshclient.api.Destination;
import io.meshclient.api.HedgingPolicy;
import io.meshclient.api.RateLimitPolicy;
import io.meshclient.api.RetryBudgetPolicy;
import io.meshclient.api.Route;
import io.meshclient.api.RouteMatch;
import io.meshclient.api.StringMatch;
import io.meshclient.api.CircuitBreakerPolicy;
import io.meshclient.api.EgressPolicy;
import io.meshclient.api.EgressRule;
import io.meshclient.api.Endpoint;
import io.meshclient.api.HashKey;
import io.meshclient.api.HealthCheckPolicy;
import io.meshclient.api.LoadBalancingPolicy;
import io.meshclient.api.MeshConfigException;
import io.meshclient.api.OutlierDetectionPolicy;
import io.meshclient.api.PeerIdentity;
import io.meshclient.api.Redaction;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.ServicePolicy;
import io.meshclient.api.TimeoutPolicy;
import io.meshclient.api.TlsPolicy;
import io.meshclient.core.MeshClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshConfigFileTest {
  static final String YAML = String.join("\n",
      "initialDiscoveryTimeout: 3s",
      "zone: eu-west-1a",
      "defaults:",
      "  loadBalancer: least_request",
      "  timeouts: {timeout: 2s, perTryTimeout: 500ms}",
      "  retry: {maxAttempts: 2, retryOn: [connect_failure, 503], initialBackoff: 10ms}",
      "  circuitBreaker: {failureRateThreshold: 25, slidingWindowSize: 50, waitDurationInOpenState: 1m}",
      "  outlierDetection: {consecutive5xx: 7, interval: 30s}",
      "  loadBalancing: {zoneAware: true, slowStartWindow: 30s}",
      "egress:",
      "  defaultAction: deny",
      "  rules:",
      "    - {services: [orders, users], methods: [GET]}",
      "redaction: {headers: [x-secret]}",
      "services:",
      "  orders:",
      "    endpoints:",
      "      - {host: 127.0.0.1, port: 8081, zone: eu-west-1a}",
      "      - {host: 127.0.0.1, port: 8082, weight: 2, labels: {version: v2}}",
      "    retry: {maxAttempts: 3}",
      "    healthCheck: {path: /health, interval: 5s}",
      "  users:",
      "    endpoints: [{host: 127.0.0.1, port: 8083}]",
      "    loadBalancer: ring_hash",
      "    loadBalancing: {hashKey: {header: x-user-id}}",
      "    peerIdentity: {spiffeIds: ['spiffe://prod.example/ns/shop/sa/users']}",
      "");

  @Test
  void theFileAndTheBuilderGiveEqualModels() {
    ServicePolicy defaults = ServicePolicy.builder()
        .loadBalancer("least_request")
        .timeouts(TimeoutPolicy.builder().timeout(Duration.ofSeconds(2)).perTryTimeout(Duration.ofMillis(500)).build())
        .retry(RetryPolicy.builder().maxAttempts(2)
            .retryOn(io.meshclient.api.RetryRule.connectFailure().or(io.meshclient.api.RetryRule.statuses(503)))
            .initialBackoff(Duration.ofMillis(10)).build())
        .circuitBreaker(CircuitBreakerPolicy.builder().failureRateThreshold(25).slidingWindowSize(50)
            .waitDurationInOpenState(Duration.ofMinutes(1)).build())
        .outlierDetection(OutlierDetectionPolicy.builder().consecutive5xx(7).interval(Duration.ofSeconds(30)).build())
        .loadBalancing(LoadBalancingPolicy.builder().zoneAware(true).slowStartWindow(Duration.ofSeconds(30)).build())
        .build();
    try (MeshClient mesh = MeshClient.builder()
        .initialDiscoveryTimeout(Duration.ofSeconds(3))
        .zone("eu-west-1a")
        .defaults(defaults)
        .egress(EgressPolicy.builder().defaultAction(EgressRule.Action.DENY)
            .rule(EgressRule.allow("orders", "users").methods("GET").build()).build())
        .redaction(Redaction.builder().headers("x-secret").build())
        .service("orders", s -> s
            .endpoints(Endpoint.builder("127.0.0.1", 8081).zone("eu-west-1a").build(),
                Endpoint.builder("127.0.0.1", 8082).weight(2).label("version", "v2").build())
            .retry(defaults.retry().toBuilder().maxAttempts(3).build())
            .healthCheck(HealthCheckPolicy.builder().path("/health").interval(Duration.ofSeconds(5)).build()))
        .service("users", s -> s
            .endpoints(Endpoint.of("127.0.0.1", 8083))
            .loadBalancer("ring_hash")
            .loadBalancing(defaults.loadBalancing().toBuilder().hashKey(HashKey.header("x-user-id")).build())
            .peerIdentity(PeerIdentity.spiffeId("spiffe://prod.example/ns/shop/sa/users")))
        .build()) {
      MeshConfig fromFile = MeshConfigFile.parseYaml(YAML);
      assertThat(fromFile).isEqualTo(mesh.config());
      assertThat(fromFile.services().get("orders").policy().timeouts().perTryTimeout()).isEqualTo(Duration.ofMillis(500));
      // and the file's model builds the same mesh again
      try (MeshClient again = MeshClient.builder().config(fromFile).build()) {
        assertThat(again.config()).isEqualTo(fromFile);
      }
    }
  }

  /** The sections {@link #theFileAndTheBuilderGiveEqualModels} leaves out (a mesh would connect or load files for some). */
  @Test
  void everyOtherSectionOfTheFileMatchesItsBuilder() {
    MeshConfig fromFile = MeshConfigFile.parseYaml(String.join("\n",
        "discovery: dns+srv:///_http._tcp.default.prod",
        "tls: {certificateChain: /etc/mesh/cert.pem, privateKey: /etc/mesh/key.pem, trustBundle: /etc/mesh/ca.pem,",
        "      protocols: [TLSv1.3], reloadInterval: 30s}",
        "defaults:",
        "  timeouts: {timeout: 3s, propagateDeadline: false, deadlineHeader: x-deadline-ms}",
        "  retryBudget: {percent: 10, minRetriesPerSecond: 5, window: 30s}",
        "  hedging: {delayPercentile: 95, minDelay: 5ms, maxHedges: 2}",
        "  bulkhead: {maxConcurrentCalls: 50}",
        "  rateLimit: {limitForPeriod: 100, refreshPeriod: 500ms}",
        "  serviceCircuitBreaker: {enabled: true, failureRateThreshold: 60}",
        "  adaptiveConcurrency: {enabled: true, algorithm: vegas, initialLimit: 20, minLimit: 5, maxLimit: 200}",
        "services:",
        "  orders:",
        "    discovery: static:///127.0.0.1:8081",
        "    hedging: {delay: 50ms}",
        "    bulkhead: {maxConcurrentCalls: 0}",
        "    routes:",
        "      - name: beta",
        "        match: {headers: {x-user-group: {exact: beta}}}",
        "        destinations: [{subset: {version: v2}}]",
        "        timeouts: {timeout: 1s}",
        ""));

    ServicePolicy defaults = ServicePolicy.builder()
        .timeouts(TimeoutPolicy.builder().timeout(Duration.ofSeconds(3)).propagateDeadline(false)
            .deadlineHeader("x-deadline-ms").build())
        .retryBudget(RetryBudgetPolicy.builder().percent(10).minRetriesPerSecond(5).window(Duration.ofSeconds(30)).build())
        .hedging(HedgingPolicy.builder().delayPercentile(95).minDelay(Duration.ofMillis(5)).maxHedges(2).build())
        .bulkhead(BulkheadPolicy.of(50))
        .rateLimit(RateLimitPolicy.of(100, Duration.ofMillis(500)))
        .serviceCircuitBreaker(ServicePolicy.ofDefaults().serviceCircuitBreaker().toBuilder().enabled(true).failureRateThreshold(60).build())
        .adaptiveConcurrency(AdaptiveConcurrencyPolicy.builder().enabled(true).algorithm("vegas")
            .initialLimit(20).minLimit(5).maxLimit(200).build())
        .build();
    ServicePolicy orders = defaults.toBuilder()
        .hedging(defaults.hedging().toBuilder().delay(Duration.ofMillis(50)).build())
        .bulkhead(BulkheadPolicy.disabled())
        .route(Route.builder("beta")
            .match(RouteMatch.builder().header("x-user-group", StringMatch.exact("beta")).build())
            .destination(Destination.subset("version", "v2"))
            // a route's sections are read over the service's
            .timeouts(defaults.timeouts().toBuilder().timeout(Duration.ofSeconds(1)).build())
            .build())
        .build();
    MeshConfig fromBuilders = MeshConfig.builder()
        .discovery("dns+srv:///_http._tcp.default.prod")
        .tls(TlsPolicy.builder().certificateChain(Path.of("/etc/mesh/cert.pem")).privateKey(Path.of("/etc/mesh/key.pem"))
            .trustBundle(Path.of("/etc/mesh/ca.pem")).protocols("TLSv1.3").reloadInterval(Duration.ofSeconds(30)).build())
        .defaults(defaults)
        .service("orders", ServiceConfig.builder().policy(orders).discovery("static:///127.0.0.1:8081").build())
        .build();
    assertThat(fromFile).isEqualTo(fromBuilders);
  }

  @Test
  void jsonReadsLikeYaml() {
    String json = "{\"defaults\": {\"retry\": {\"maxAttempts\": 2}},"
        + " \"services\": {\"orders\": {\"endpoints\": [{\"host\": \"127.0.0.1\", \"port\": 8081}],"
        + " \"timeouts\": {\"timeout\": \"250ms\"}}}}";
    String yaml = "defaults: {retry: {maxAttempts: 2}}\n"
        + "services:\n  orders:\n    endpoints: [{host: 127.0.0.1, port: 8081}]\n    timeouts: {timeout: 250ms}\n";
    assertThat(MeshConfigFile.parseJson(json)).isEqualTo(MeshConfigFile.parseYaml(yaml));
  }

  @Test
  void aServiceOverridesTheDefaultsFieldByField() {
    MeshConfig config = MeshConfigFile.parseYaml("defaults: {retry: {maxAttempts: 2, retryNonIdempotent: true}}\n"
        + "services: {orders: {retry: {maxAttempts: 4}}, users: {}}\n");
    RetryPolicy orders = config.services().get("orders").policy().retry();
    assertThat(orders.maxAttempts()).isEqualTo(4);
    assertThat(orders.retryNonIdempotent()).isTrue(); // from the defaults
    assertThat(config.services().get("users").policy()).isEqualTo(config.defaults());
  }

  @Test
  void defaultsApplyWhereverTheyAreWritten() {
    MeshConfig config = MeshConfigFile.parseYaml("services: {orders: {}}\ndefaults: {loadBalancer: round_robin}\n");
    assertThat(config.services().get("orders").policy().loadBalancer()).isEqualTo("round_robin");
  }

  @Test
  void durationsTakeUnits() {
    MeshConfig config = MeshConfigFile.parseYaml(
        "defaults: {timeouts: {timeout: 1m, perTryTimeout: 2s}, retry: {initialBackoff: 250ms, maxBackoff: PT0.5S}}");
    assertThat(config.defaults().timeouts().timeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.defaults().timeouts().perTryTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.defaults().retry().initialBackoff()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.defaults().retry().maxBackoff()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void anEmptyFileIsEveryDefault() {
    assertThat(MeshConfigFile.parseYaml("")).isEqualTo(MeshConfig.builder().build());
  }

  @Test
  void anUnknownFieldIsRejectedWithItsPath() {
    assertThatThrownBy(() -> MeshConfigFile.parseYaml("services: {orders: {retry: {maxAtempts: 2}}}"))
        .isInstanceOfSatisfying(MeshConfigException.class, e -> {
          assertThat(e.path()).isEqualTo("services.orders.retry.maxAtempts");
          assertThat(e.expected()).contains("maxAttempts");
        });
    assertThatThrownBy(() -> MeshConfigFile.parseYaml("defualts: {}"))
        .isInstanceOfSatisfying(MeshConfigException.class, e -> assertThat(e.path()).isEqualTo("defualts"));
  }

  @Test
  void anUnknownFieldLeftEmptyIsRejectedToo() {
    assertThatThrownBy(() -> MeshConfigFile.parseYaml("services:\n  orders:\n    retyr:\n"))
        .isInstanceOfSatisfying(MeshConfigException.class, e -> {
          assertThat(e.path()).isEqualTo("services.orders.retyr");
          assertThat(e.expected()).contains("retry");
        });
    assertThatThrownBy(() -> MeshConfigFile.parseYaml("zoen: ~"))
        .isInstanceOfSatisfying(MeshConfigException.class, e -> assertThat(e.path()).isEqualTo("zoen"));
    assertThatThrownBy(() -> MeshConfigFile.parseJson("{\"defaults\": {\"timeout\": null}}"))
        .isInstanceOfSatisfying(MeshConfigException.class, e -> assertThat(e.path()).isEqualTo("defaults.timeout"));
  }

  @Test
  void aKnownFieldLeftEmptyKeepsItsDefault() {
    assertThat(MeshConfigFile.parseYaml("zone:\ndefaults:\n  retry:\n")).isEqualTo(MeshConfig.builder().build());
  }

  @Test
  void aServiceWithNoBodyIsAServiceWithTheDefaults() {
    MeshConfig config = MeshConfigFile.parseYaml("defaults: {loadBalancer: round_robin}\nservices:\n  orders:\n  users: {}\n");
    assertThat(config.services()).containsOnlyKeys("orders", "users");
    assertThat(config.services().get("orders")).isEqualTo(MeshConfigFile.parseYaml(
        "defaults: {loadBalancer: round_robin}\nservices: {orders: {}}").services().get("orders"));
    assertThat(config.services().get("orders").policy().loadBalancer()).isEqualTo("round_robin");
  }

  @Test
  void aValueAPolicyRefusesNamesTheFullPath() {
    assertThatThrownBy(() -> MeshConfigFile.parseYaml("services: {orders: {retry: {maxAttempts: 0}}}"))
        .isInstanceOfSatisfying(MeshConfigException.class, e -> {
          assertThat(e.path()).isEqualTo("services.orders.retry.maxAttempts");
          assertThat(e.value()).isEqualTo(0);
          assertThat(e.getMessage()).isEqualTo("services.orders.retry.maxAttempts: 0 (expected: 1..10)");
        });
    assertThatThrownBy(() -> MeshConfigFile.parseYaml("defaults: {timeouts: {timeout: 1s, perTryTimeout: 2s}}"))
        .isInstanceOfSatisfying(MeshConfigException.class,
            e -> assertThat(e.path()).isEqualTo("defaults.timeouts.perTryTimeout"));
    assertThatThrownBy(() -> MeshConfigFile.parseYaml("defaults: {loadBalancer: Round-Robin}"))
        .isInstanceOfSatisfying(MeshConfigException.class,
            e -> assertThat(e.path()).isEqualTo("defaults.loadBalancer"));
  }

  @Test
  void aValueOfTheWrongTypeNamesWhatWasExpected() {
    assertThatThrownBy(() -> MeshConfigFile.parseYaml("defaults: {retry: {maxAttempts: many}}"))
        .isInstanceOfSatisfying(MeshConfigException.class, e -> {
          assertThat(e.path()).isEqualTo("defaults.retry.maxAttempts");
          assertThat(e.value()).isEqualTo("many");
          assertThat(e.expected()).isEqualTo("a whole number");
        });
    assertThatThrownBy(() -> MeshConfigFile.parseYaml("defaults: {timeouts: {timeout: 5 parsecs}}"))
        .isInstanceOfSatisfying(MeshConfigException.class, e -> {
          assertThat(e.path()).isEqualTo("defaults.timeouts.timeout");
          assertThat(e.expected()).contains("250ms");
        });
    assertThatThrownBy(() -> MeshConfigFile.parseYaml("defaults: {timeouts: {timeout: 5}}"))
        .isInstanceOfSatisfying(MeshConfigException.class,
            e -> assertThat(e.path()).isEqualTo("defaults.timeouts.timeout"));
    assertThatThrownBy(() -> MeshConfigFile.parseYaml("defaults: {retry: [1]}"))
        .isInstanceOfSatisfying(MeshConfigException.class, e -> assertThat(e.path()).isEqualTo("defaults.retry"));
  }

  @Test
  void nestedListsAndObjectsNameTheirElement() {
    assertThatThrownBy(() -> MeshConfigFile.parseYaml(
        "services: {orders: {endpoints: [{host: a, port: 80}, {host: b, port: 70000}]}}"))
        .isInstanceOfSatisfying(MeshConfigException.class,
            e -> assertThat(e.path()).isEqualTo("services.orders.endpoints[1].port"));
    assertThatThrownBy(() -> MeshConfigFile.parseYaml("services: {orders: {endpoints: [{port: 80}]}}"))
        .isInstanceOfSatisfying(MeshConfigException.class,
            e -> assertThat(e.path()).isEqualTo("services.orders.endpoints[0].host"));
    assertThatThrownBy(() -> MeshConfigFile.parseYaml("egress: {rules: [{services: [orders]}, {services: []}]}"))
        .isInstanceOfSatisfying(MeshConfigException.class,
            e -> assertThat(e.path()).isEqualTo("egress.rules[1].services"));
    assertThatThrownBy(() -> MeshConfigFile.parseYaml("defaults: {loadBalancing: {hashKey: {header: ' '}}}"))
        .isInstanceOfSatisfying(MeshConfigException.class,
            e -> assertThat(e.path()).isEqualTo("defaults.loadBalancing.hashKey.header"));
    assertThatThrownBy(() -> MeshConfigFile.parseYaml("services: {orders: {peerIdentity: {spiffeIds: [x, 'spiffe://a']}}}"))
        .isInstanceOfSatisfying(MeshConfigException.class,
            e -> assertThat(e.path()).isEqualTo("services.orders.peerIdentity.spiffeIds[0]"));
    assertThatThrownBy(() -> MeshConfigFile.parseYaml("tls: {mode: loose}"))
        .isInstanceOfSatisfying(MeshConfigException.class, e -> {
          assertThat(e.path()).isEqualTo("tls.mode");
          assertThat(e.expected()).isEqualTo("one of [permissive, strict]");
        });
  }

  @Test
  void tlsEgressAndRedactionMatchTheirBuilders() {
    MeshConfig config = MeshConfigFile.parseYaml(String.join("\n",
        "tls: {certificateChain: /etc/mesh/cert.pem, privateKey: /etc/mesh/key.pem, trustBundle: /etc/mesh/ca.pem,",
        "      mode: strict, reloadInterval: 1m}",
        "egress: {logInterval: 10s, rules: [{name: no-admin, action: deny, services: ['*'], paths: ['/admin/**']}]}",
        "redaction: {queryParameters: [sig]}"));
    assertThat(config.tls()).isEqualTo(TlsPolicy.builder().certificateChain(Path.of("/etc/mesh/cert.pem"))
        .privateKey(Path.of("/etc/mesh/key.pem")).trustBundle(Path.of("/etc/mesh/ca.pem"))
        .mode(TlsPolicy.Mode.STRICT).reloadInterval(Duration.ofMinutes(1)).build());
    assertThat(config.egress()).isEqualTo(EgressPolicy.builder().logInterval(Duration.ofSeconds(10))
        .rule(EgressRule.deny("*").name("no-admin").paths("/admin/**").build()).build());
    assertThat(config.redaction()).isEqualTo(Redaction.builder().clearQueryParameters().queryParameters("sig").build());
  }

  @Test
  void malformedTextNamesItsLine() {
    assertThatThrownBy(() -> MeshConfigFile.parseYaml("defaults:\n  retry: {maxAttempts: 2\n"))
        .isInstanceOfSatisfying(MeshConfigException.class, e -> assertThat(e.path()).startsWith("YAML line"));
    assertThatThrownBy(() -> MeshConfigFile.parseYaml("zone: a\nzone: b\n"))
        .isInstanceOf(MeshConfigException.class).hasMessageContaining("zone");
  }

  @Test
  void filesAreReadByTheirExtension(@TempDir Path dir) throws IOException {
    Path json = Files.writeString(dir.resolve("mesh.json"), "{\"zone\": \"eu-west-1a\"}");
    Path yaml = Files.writeString(dir.resolve("mesh.yaml"), "zone: eu-west-1a\n");
    assertThat(MeshConfigFile.load(json)).isEqualTo(MeshConfigFile.load(yaml));
    assertThat(MeshConfigFile.load(yaml).zone()).isEqualTo("eu-west-1a");
  }
}
