package io.meshclient.core;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.meshclient.core.Backends.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.meshclient.api.CircuitBreakerPolicy;
import io.meshclient.api.Endpoint;
import io.meshclient.api.HashKey;
import io.meshclient.api.HealthCheckPolicy;
import io.meshclient.api.LoadBalancingPolicy;
import io.meshclient.api.MeshConfigException;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.RetryPolicy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Balancing behaviour seen through real calls to loopback backends. */
class LoadBalancingIntegrationTest {
  @RegisterExtension
  final Backends backends = new Backends();

  private MeshClient mesh;

  @AfterEach
  void close() {
    if (mesh != null) {
      mesh.close();
    }
  }

  private MeshSnapshot.EndpointSnapshot snapshotOf(WireMockServer server) {
    return mesh.snapshot().service("orders").orElseThrow().endpoints().stream()
        .filter(e -> e.endpoint().port() == server.port()).findFirst().orElseThrow();
  }

  @Test
  void activeHealthChecksTakeAFailingEndpointOutOfRotationAndBringItBack() throws Exception {
    WireMockServer good = backends.ok("good");
    WireMockServer sick = backends.ok("sick");
    sick.stubFor(get(urlEqualTo("/health")).willReturn(aResponse().withStatus(503)));
    List<String> changes = new CopyOnWriteArrayList<>();
    mesh = MeshClient.builder()
        .eventListener(new MeshEventListener() {
          @Override
          public void onHealthChange(String service, Endpoint e, boolean healthy) {
            changes.add(e.port() + (healthy ? " healthy" : " unhealthy"));
          }
        })
        .service("orders", s -> s
            .endpoints(endpoint(good), endpoint(sick))
            .loadBalancer("round_robin")
            .healthCheck(HealthCheckPolicy.builder().path("/health").interval(Duration.ofMillis(20))
                .jitter(Duration.ZERO).unhealthyThreshold(2).healthyThreshold(2).build()))
        .build();

    await().atMost(Duration.ofSeconds(10)).until(() -> !snapshotOf(sick).healthy());
    for (int i = 0; i < 10; i++) {
      assertThat(Calls.EXECUTE.get(mesh.httpClient(), "http://orders/").body()).isEqualTo("good");
    }

    sick.stubFor(get(urlEqualTo("/health")).willReturn(aResponse().withStatus(200)));
    await().atMost(Duration.ofSeconds(10)).until(() -> snapshotOf(sick).healthy());
    Map<String, Integer> bodies = new HashMap<>();
    for (int i = 0; i < 10; i++) {
      bodies.merge(Calls.EXECUTE.get(mesh.httpClient(), "http://orders/").body(), 1, Integer::sum);
    }
    assertThat(bodies).containsKeys("good", "sick");
    assertThat(changes).containsExactly(sick.port() + " unhealthy", sick.port() + " healthy");
  }

  @Test
  void anEndpointAnswering429WithRetryAfterIsAvoidedWhileThePenaltyLasts() throws Exception {
    WireMockServer busy = backends.start(aResponse().withStatus(429).withHeader("Retry-After", "120"));
    WireMockServer free = backends.ok("free");
    mesh = MeshClient.builder()
        .service("orders", s -> s.endpoints(endpoint(busy), endpoint(free)).retry(RetryPolicy.disabled())
            .circuitBreaker(CircuitBreakerPolicy.disabled()))
        .build();

    int seen429 = 0;
    for (int i = 0; i < 40; i++) {
      if (Calls.EXECUTE.get(mesh.httpClient(), "http://orders/").status() == 429) {
        seen429++;
      }
    }
    assertThat(seen429).as("after its first 429 the busy endpoint gets nothing more").isEqualTo(1);
    assertThat(snapshotOf(busy).penalized()).isTrue();
    assertThat(snapshotOf(free).penalized()).isFalse();
  }

  @Test
  void ringHashOnAHeaderKeepsEachUserOnOneEndpointAndSpreadsUsers() throws Exception {
    List<WireMockServer> servers = List.of(backends.ok("a"), backends.ok("b"), backends.ok("c"));
    mesh = MeshClient.builder()
        .service("orders", s -> s.endpoints(servers.stream().map(Backends::endpoint).toList()).loadBalancer("ring_hash")
            .loadBalancing(LoadBalancingPolicy.builder().hashKey(HashKey.header("x-user")).build()))
        .build();

    Map<String, String> owner = new HashMap<>();
    for (int round = 0; round < 3; round++) {
      for (int user = 0; user < 30; user++) {
        Request request = new Request.Builder().url("http://orders/cart").header("x-user", "u" + user).build();
        String body = Calls.EXECUTE.run(mesh.httpClient(), request).body();
        assertThat(owner.putIfAbsent("u" + user, body)).isIn(null, body);
      }
    }
    assertThat(owner.values()).contains("a", "b", "c");
  }

  @Test
  void aHashKeyFunctionAndAHashKeySettingTogetherAreRejected() {
    assertThatThrownBy(() -> MeshClient.builder()
        .service("orders", s -> s.endpoints(Endpoint.of("10.0.0.1", 80)).loadBalancer("maglev")
            .loadBalancing(LoadBalancingPolicy.builder().hashKey(HashKey.path()).build())
            .hashKey(request -> request.header("x-tenant")))
        .build())
        .isInstanceOf(MeshConfigException.class)
        .hasMessage("services.orders.loadBalancing.hashKey: path (expected: either a hash key setting or a hash key function, not both)");
  }

  @Test
  void theCallersZoneIsPreferredAndTheSnapshotShowsScoresAndTheCrossZoneShare() throws Exception {
    WireMockServer near = backends.ok("near");
    WireMockServer far = backends.ok("far");
    mesh = MeshClient.builder()
        .zone("zone-a")
        .service("orders", s -> s.endpoints(
            Endpoint.builder("127.0.0.1", near.port()).zone("zone-a").build(),
            Endpoint.builder("127.0.0.1", far.port()).zone("zone-b").build()))
        .build();
    for (int i = 0; i < 20; i++) {
      assertThat(Calls.EXECUTE.get(mesh.httpClient(), "http://orders/").body()).isEqualTo("near");
    }
    MeshSnapshot.ServiceSnapshot service = mesh.snapshot().service("orders").orElseThrow();
    assertThat(service.loadBalancer()).isEqualTo("peak_ewma");
    assertThat(service.crossZoneShare()).isZero();
    assertThat(service.panic()).isFalse();
    MeshSnapshot.EndpointSnapshot used = snapshotOf(near);
    assertThat(used.latencyMillis()).isPositive();
    assertThat(used.score()).isPositive();
    assertThat(used.healthy()).isTrue();
    assertThat(used.ejectedFor()).isZero();
    assertThat(used.weight()).isEqualTo(1.0);
  }

  @Test
  void aZoneNameMustNotBeBlank() {
    assertThatThrownBy(() -> MeshClient.builder().zone(" ").service("orders", Endpoint.of("10.0.0.1", 80)).build())
        .hasMessage("zone: \" \" (expected: a non-blank zone name, e.g. eu-west-1a)");
  }
}
