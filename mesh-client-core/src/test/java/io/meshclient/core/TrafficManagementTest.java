package io.meshclient.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshclient.api.Destination;
import io.meshclient.api.Endpoint;
import io.meshclient.api.MeshConfigException;
import io.meshclient.api.MirrorPolicy;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.Route;
import io.meshclient.api.RouteMatch;
import io.meshclient.api.StringMatch;
import io.meshclient.api.TimeoutPolicy;
import io.meshclient.api.ServicePolicy;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Routes as users write them with the builder, through the public client. */
class TrafficManagementTest {
  private final List<Request> sent = new CopyOnWriteArrayList<>();
  private final OkHttpClient recordingTransport = new OkHttpClient.Builder()
      .addInterceptor(chain -> {
        sent.add(chain.request());
        return new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1).code(200).message("OK")
            .body(ResponseBody.create("ok", null)).build();
      })
      .build();
  private MeshClient mesh;

  @AfterEach
  void close() {
    if (mesh != null) {
      mesh.close();
    }
  }

  private MeshClient ordersWithRoutes() {
    return ordersWithRoutes(MeshClient.builder().transport(recordingTransport));
  }

  /** The docs' example, word for word, on {@code mesh}: beta users to v2; the rest 90/10 between v1 and v2. */
  private static MeshClient ordersWithRoutes(MeshClientBuilder mesh) {
    return mesh
        .service("order-service", s -> s
            .endpoints(
                Endpoint.builder("10.0.0.1", 8080).label("version", "v1").build(),
                Endpoint.builder("10.0.0.2", 8080).label("version", "v2").build())
            .route(Route.builder("beta")
                .match(RouteMatch.builder().header("x-user-group", StringMatch.exact("beta")).build())
                .destination(Destination.subset("version", "v2"))
                .build())
            .route(Route.builder("default")
                .destination(Destination.builder().subset("version", "v1").weight(90).build())
                .destination(Destination.builder().subset("version", "v2").weight(10).build())
                .timeouts(TimeoutPolicy.builder()
                    .timeout(Duration.ofSeconds(10)).perTryTimeout(Duration.ofSeconds(2)).build())
                .retry(RetryPolicy.builder().maxAttempts(4).build())
                .build()))
        .build();
  }

  @Test
  void theDocumentedRoutesSplitTrafficAndSendBetaUsersToV2() throws Exception {
    mesh = ordersWithRoutes(MeshClient.builder().transport(recordingTransport).random(new Random(42)));
    OkHttpClient http = mesh.httpClient();

    for (int i = 0; i < 2_000; i++) {
      http.newCall(new Request.Builder().url("http://order-service/orders").build()).execute().close();
    }
    long toV2 = sent.stream().filter(r -> r.url().host().equals("10.0.0.2")).count();
    // Seeded, so the count is the same on every run; the tolerance (five standard deviations of
    // Binomial(2000, 0.1)) keeps the test about the split, not about one seed's draws.
    assertThat(toV2).as("10 %% of 2000").isBetween(200L - 67, 200L + 67);

    sent.clear();
    for (int i = 0; i < 100; i++) {
      http.newCall(new Request.Builder().url("http://order-service/orders").header("x-user-group", "beta").build())
          .execute().close();
    }
    assertThat(sent).allSatisfy(r -> assertThat(r.url().host()).isEqualTo("10.0.0.2"));
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(Calls.class)
  void routesApplyToEnqueuedCallsAsToExecutedOnes(Calls calls) throws Exception {
    mesh = ordersWithRoutes();

    for (int i = 0; i < 20; i++) {
      calls.run(mesh.httpClient(), new Request.Builder().url("http://order-service/")
          .header("x-user-group", "beta").build());
    }

    assertThat(sent).hasSize(20).allSatisfy(r -> assertThat(r.url().host()).isEqualTo("10.0.0.2"));
  }

  @Test
  void aRouteToAServiceTheMeshDoesNotKnowFailsTheBuildNamingTheField() {
    assertThatThrownBy(() -> MeshClient.builder()
        .transport(recordingTransport)
        .service("orders", s -> s.endpoints(Endpoint.of("10.0.0.1", 80))
            .route(Route.builder("next").destination(Destination.builder().service("orders-nxet").build()).build()))
        .build())
        .isInstanceOf(MeshConfigException.class)
        .hasMessageStartingWith("services.orders.routes[0].destinations[0].service: \"orders-nxet\" "
            + "(expected: a service of the mesh, one of [orders])");
  }

  @Test
  void droppedMirrorCopiesShowInTheSnapshot() throws Exception {
    mesh = MeshClient.builder()
        .transport(recordingTransport)
        .service("orders", s -> s.endpoints(Endpoint.of("10.0.0.1", 80))
            .route(Route.builder("shadow").mirror(MirrorPolicy.builder()
                .destination(Destination.subset("version", "next")).build()).build()))
        .build();

    mesh.httpClient().newCall(new Request.Builder().url("http://orders/").build()).execute().close();

    assertThat(mesh.snapshot().service("orders").orElseThrow().mirrorsDropped()).isEqualTo(1);
  }

  @Test
  void theDocumentedDefaultRouteRunsWithItsRetriesAndTimeouts() throws Exception {
    MutableClock clock = new MutableClock();
    List<Long> perTryMillis = new CopyOnWriteArrayList<>();
    OkHttpClient failing = new OkHttpClient.Builder()
        .addInterceptor(chain -> {
          perTryMillis.add(Long.parseLong(chain.request().header("x-mesh-timeout-ms")));
          clock.advance(Duration.ofSeconds(3)); // each attempt takes 3 s of the mesh's time
          return new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1).code(503)
              .message("Service Unavailable").body(ResponseBody.create("", null)).build();
        })
        .build();
    // Service defaults unlike the route's: 1 attempt within 30 s.
    mesh = ordersWithRoutes(MeshClient.builder().transport(failing).clock(clock).random(new Random(42))
        .defaults(ServicePolicy.builder()
            .timeouts(TimeoutPolicy.builder().timeout(Duration.ofSeconds(30)).build())
            .retry(RetryPolicy.builder().maxAttempts(1).build())
            .build()));

    try (Response response = mesh.httpClient()
        .newCall(new Request.Builder().url("http://order-service/orders").build()).execute()) {
      assertThat(response.code()).isEqualTo(503);
    }

    // 3 retries: 4 attempts at 0, 3, 6 and 9 s. Each is bounded by the 2 s per-try timeout, and the
    // last by the 1 s left of the 10 s overall timeout (the service's 30 s would leave it 2 s).
    assertThat(perTryMillis).containsExactly(2000L, 2000L, 2000L, 1000L);
  }

  @Test
  void aSeededMeshDrawsTheSameDestinationsEveryTime() throws Exception {
    List<List<String>> runs = new java.util.ArrayList<>();
    for (int run = 0; run < 2; run++) {
      sent.clear();
      try (MeshClient seeded = ordersWithRoutes(MeshClient.builder().transport(recordingTransport).random(new Random(7)))) {
        for (int i = 0; i < 200; i++) {
          seeded.httpClient().newCall(new Request.Builder().url("http://order-service/").build()).execute().close();
        }
      }
      runs.add(sent.stream().map(r -> r.url().host()).toList());
    }

    assertThat(runs.get(1)).isEqualTo(runs.get(0)).contains("10.0.0.2");
  }

  @Test
  void droppedMirrorCopiesAreCountedOnTheMeter() throws Exception {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    mesh = MeshClient.builder()
        .transport(recordingTransport)
        .telemetry(io.meshclient.core.metrics.MeshMetrics.of(registry))
        .service("orders", s -> s.endpoints(Endpoint.of("10.0.0.1", 80))
            .route(Route.builder("shadow").mirror(MirrorPolicy.builder()
                .destination(Destination.subset("version", "next")).build()).build()))
        .build();

    for (int i = 0; i < 3; i++) {
      mesh.httpClient().newCall(new Request.Builder().url("http://orders/").build()).execute().close();
    }

    assertThat(registry.get("mesh.client.mirror.dropped").tag("service", "orders").counter().count())
        .as("no endpoint of the mirror's subset: every copy dropped").isEqualTo(3.0);
    assertThat(sent).hasSize(3);
  }
}
