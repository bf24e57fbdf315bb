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
import java.time.Duration;
import java.util.List;
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

  /** The docs' example, word for word: beta users to v2; the rest 90/10 between v1 and v2. */
  private MeshClient ordersWithRoutes() {
    return MeshClient.builder()
        .transport(recordingTransport)
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
    mesh = ordersWithRoutes();
    OkHttpClient http = mesh.httpClient();

    for (int i = 0; i < 2_000; i++) {
      http.newCall(new Request.Builder().url("http://order-service/orders").build()).execute().close();
    }
    long toV2 = sent.stream().filter(r -> r.url().host().equals("10.0.0.2")).count();
    assertThat(toV2).as("10 %% of 2000, within five standard deviations").isBetween(200L - 67, 200L + 67);

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
}
