package io.meshclient.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshclient.api.Destination;
import io.meshclient.api.Endpoint;
import io.meshclient.api.NoEndpointAvailableException;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.Route;
import io.meshclient.api.RouteMatch;
import io.meshclient.api.ServicePolicy;
import io.meshclient.api.StringMatch;
import io.meshclient.api.TimeoutPolicy;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Routes: matching, weighted splits between subsets, overrides, fallbacks and request edits. */
class RoutingTest {
  static final Endpoint V1 = Endpoint.builder("10.0.0.1", 80).label("version", "v1").build();
  static final Endpoint V1B = Endpoint.builder("10.0.0.11", 80).label("version", "v1").build();
  static final Endpoint V2 = Endpoint.builder("10.0.0.2", 80).label("version", "v2").build();

  private RoutedMesh mesh;

  @AfterEach
  void close() {
    if (mesh != null) {
      mesh.close();
    }
  }

  private RoutedMesh orders(Consumer<ServicePolicy.Builder> routes, Endpoint... endpoints) {
    ServicePolicy.Builder policy = ServicePolicy.builder();
    routes.accept(policy);
    mesh = new RoutedMesh(42).service("order-service", policy.build(), endpoints);
    return mesh;
  }

  /** The seeds' first example: 90 % to v1, 10 % to v2, 3 retries of 2 s per try within 10 s. */
  static Route canary() {
    return Route.builder("default")
        .destination(Destination.builder().subset("version", "v1").weight(90).build())
        .destination(Destination.builder().subset("version", "v2").weight(10).build())
        .timeouts(TimeoutPolicy.builder().timeout(Duration.ofSeconds(10)).perTryTimeout(Duration.ofSeconds(2)).build())
        .retry(RetryPolicy.builder().maxAttempts(4).initialBackoff(Duration.ofMillis(1))
            .maxBackoff(Duration.ofMillis(1)).build())
        .build();
  }

  @Test
  void theCanarySplitSendsNinetyPercentToV1AndTenToV2() throws Exception {
    orders(p -> p.route(canary()), V1, V1B, V2).start();

    int calls = 10_000;
    for (int i = 0; i < calls; i++) {
      mesh.call("http://order-service/orders/" + i);
    }

    long toV2 = mesh.sent.stream().filter(r -> r.url().host().equals("10.0.0.2")).count();
    // Binomial(10000, 0.1): standard deviation 30; five of them is a tolerance no seed will miss.
    assertThat(toV2).isBetween(1000L - 150, 1000L + 150);
    assertThat(mesh.sent).hasSize(calls);
    assertThat(mesh.sent.stream().map(r -> r.url().host()).distinct())
        .as("v1 is both of its endpoints, still balanced").containsExactlyInAnyOrder("10.0.0.1", "10.0.0.11", "10.0.0.2");
  }

  @Test
  void theCanaryRoutesRetryAndTimeoutsOverrideTheServices() throws Exception {
    orders(p -> p.retry(RetryPolicy.builder().maxAttempts(1).build()).route(canary()), V1, V1B, V2)
        .answer(r -> 503).start();

    assertThat(mesh.call("http://order-service/")).isEqualTo(503);

    assertThat(mesh.sent).as("3 retries: 4 attempts, not the service's 1").hasSize(4);
    assertThat(mesh.sent).allSatisfy(r -> assertThat(Long.parseLong(r.header("x-mesh-timeout-ms")))
        .as("each try is bounded by the route's 2 s per-try timeout").isBetween(1L, 2000L));
    assertThat(mesh.sent.stream().map(r -> r.url().host()).distinct())
        .as("retries stay within the destination drawn for the call").hasSize(mesh.sent.get(0).url().host()
            .equals("10.0.0.2") ? 1 : 2);
  }

  /** The seeds' second example: x-user-group: beta goes to v2, everything else to v1. */
  @Test
  void betaUsersGoToV2AndEveryoneElseToV1() throws Exception {
    orders(p -> p
        .route(Route.builder("beta")
            .match(RouteMatch.builder().header("x-user-group", StringMatch.exact("beta")).build())
            .destination(Destination.subset("version", "v2"))
            .build())
        .route(Route.builder("default").destination(Destination.subset("version", "v1")).build()), V1, V1B, V2)
        .start();

    for (int i = 0; i < 50; i++) {
      mesh.call(new Request.Builder().url("http://order-service/").header("X-User-Group", "beta").build());
      assertThat(mesh.lastHost()).isEqualTo("10.0.0.2");
      mesh.call(new Request.Builder().url("http://order-service/").header("x-user-group", "alpha").build());
      assertThat(mesh.lastHost()).startsWith("10.0.0.1");
      mesh.call("http://order-service/");
      assertThat(mesh.lastHost()).startsWith("10.0.0.1");
    }
  }

  @Test
  void pathMethodHeaderAndQueryConditionsAllDecideTheRoute() throws Exception {
    Endpoint a = Endpoint.builder("10.0.1.1", 80).label("route", "a").build();
    Endpoint b = Endpoint.builder("10.0.1.2", 80).label("route", "b").build();
    Endpoint c = Endpoint.builder("10.0.1.3", 80).label("route", "c").build();
    Endpoint d = Endpoint.builder("10.0.1.4", 80).label("route", "d").build();
    Endpoint e = Endpoint.builder("10.0.1.5", 80).label("route", "e").build();
    Endpoint rest = Endpoint.builder("10.0.1.9", 80).label("route", "rest").build();
    orders(p -> p
        .route(route("a", RouteMatch.builder().path(StringMatch.exact("/health")).build()))
        .route(route("b", RouteMatch.builder().path(StringMatch.regex("/orders/[0-9]+")).methods("delete").build()))
        .route(route("c", RouteMatch.builder().path(StringMatch.prefix("/orders/"))
            .queryParameter("dryRun", StringMatch.present()).build()))
        .route(route("d", RouteMatch.builder().header("x-tenant", StringMatch.regex("acme|globex"))
            .header("x-debug", StringMatch.absent()).build()))
        .route(route("e", RouteMatch.builder().queryParameter("v", StringMatch.exact("2")).build()))
        .route(route("rest", RouteMatch.any())), a, b, c, d, e, rest)
        .start();

    assertThat(routeOf(get("/health"))).isEqualTo("a");
    assertThat(routeOf(get("/health/deep"))).as("exact means exact").isEqualTo("rest");
    assertThat(routeOf(new Request.Builder().url("http://order-service/orders/17").delete().build())).isEqualTo("b");
    assertThat(routeOf(get("/orders/17"))).as("the method must match too").isEqualTo("rest");
    assertThat(routeOf(new Request.Builder().url("http://order-service/orders/x").delete().build()))
        .as("the regex covers the whole path").isEqualTo("rest");
    assertThat(routeOf(get("/orders/17?dryRun"))).isEqualTo("c");
    assertThat(routeOf(get("/orders/17?dryRun=false"))).isEqualTo("c");
    assertThat(routeOf(get("/other?dryRun=1"))).as("both conditions of a route must hold").isEqualTo("rest");
    assertThat(routeOf(get("/x").newBuilder().header("x-tenant", "globex").build())).isEqualTo("d");
    assertThat(routeOf(get("/x").newBuilder().header("x-tenant", "globex").header("x-debug", "1").build()))
        .as("absent means absent").isEqualTo("rest");
    assertThat(routeOf(get("/x").newBuilder().header("x-tenant", "initech").build())).isEqualTo("rest");
    assertThat(routeOf(get("/x?v=2"))).isEqualTo("e");
    assertThat(routeOf(get("/health?v=2"))).as("the first route that matches wins").isEqualTo("a");
    assertThat(routeOf(get("/x?v=3"))).isEqualTo("rest");
  }

  private static Route route(String label, RouteMatch match) {
    return Route.builder(label).match(match).destination(Destination.subset("route", label)).build();
  }

  private static Request get(String path) {
    return new Request.Builder().url("http://order-service" + path).build();
  }

  private String routeOf(Request request) throws Exception {
    mesh.call(request);
    String host = mesh.lastHost();
    return mesh.clusters.get("order-service").endpoints().stream()
        .filter(s -> s.endpoint().host().equals(host)).findFirst().orElseThrow().endpoint().labels().get("route");
  }

  @Test
  void aSubsetWithNoEndpointFailsTheCallNamingTheServiceAndTheLabels() {
    orders(p -> p.route(Route.builder("v3").destination(Destination.subset("version", "v3")).build()), V1, V2).start();

    assertThatThrownBy(() -> mesh.call("http://order-service/"))
        .isInstanceOf(NoEndpointAvailableException.class)
        .hasMessageContaining("order-service")
        .hasMessageContaining("{version=v3}");
    assertThat(mesh.sent).as("no silent fallback to the other endpoints").isEmpty();
  }

  @Test
  void aFallbackDestinationTakesTheCallWhenTheSubsetHasNoEndpoint() throws Exception {
    orders(p -> p.route(Route.builder("v3")
        .destination(Destination.subset("version", "v3"))
        .fallback(Destination.subset("version", "v1"))
        .build()), V1, V2).start();

    assertThat(mesh.call("http://order-service/")).isEqualTo(200);
    assertThat(mesh.lastHost()).isEqualTo("10.0.0.1");
  }

  @Test
  void aSubsetFollowsDiscoveryUpdates() throws Exception {
    orders(p -> p.route(Route.builder("v2").destination(Destination.subset("version", "v2")).build()), V1, V2).start();
    mesh.call("http://order-service/");
    assertThat(mesh.lastHost()).isEqualTo("10.0.0.2");

    Endpoint v2b = Endpoint.builder("10.0.0.22", 80).label("version", "v2").build();
    mesh.clusters.get("order-service").onEndpoints(io.meshclient.api.EndpointSet.of(V1, v2b));
    mesh.call("http://order-service/");

    assertThat(mesh.lastHost()).isEqualTo("10.0.0.22");
  }

  @Test
  void aHashingBalancerPicksWithinTheSubsetItWasPreparedFor() throws Exception {
    Endpoint v2b = Endpoint.builder("10.0.0.22", 80).label("version", "v2").build();
    Endpoint v2c = Endpoint.builder("10.0.0.23", 80).label("version", "v2").build();
    ServicePolicy policy = ServicePolicy.builder().loadBalancer("ring_hash")
        .loadBalancing(io.meshclient.api.LoadBalancingPolicy.builder()
            .hashKey(io.meshclient.api.HashKey.header("x-user")).build())
        .route(Route.builder("v2").destination(Destination.subset("version", "v2")).build())
        .build();
    mesh = new RoutedMesh(9).service("order-service", policy, new RingHashLoadBalancerFactory(), V1, V1B, V2, v2b, v2c)
        .start();

    java.util.Map<String, String> hostOfUser = new java.util.HashMap<>();
    for (int i = 0; i < 300; i++) {
      String user = "user-" + (i % 30);
      mesh.call(new Request.Builder().url("http://order-service/").header("x-user", user).build());
      String host = mesh.lastHost();
      assertThat(host).as("only v2 endpoints").isIn("10.0.0.2", "10.0.0.22", "10.0.0.23");
      assertThat(hostOfUser.computeIfAbsent(user, u -> host)).as("a user sticks to one endpoint").isEqualTo(host);
    }
    assertThat(new java.util.HashSet<>(hostOfUser.values())).as("users spread over the subset").hasSize(3);
  }

  @Test
  void aDestinationMayBeAnotherServiceOfTheMesh() throws Exception {
    mesh = new RoutedMesh(1)
        .service("order-service", ServicePolicy.builder()
            .route(Route.builder("next").match(RouteMatch.builder().path(StringMatch.prefix("/v2/")).build())
                .destination(Destination.builder().service("orders-next").build()).build())
            .build(), V1)
        .service("orders-next", ServicePolicy.ofDefaults(), Endpoint.of("10.9.9.9", 8080))
        .start();

    mesh.call("http://order-service/v2/x");
    assertThat(mesh.sent.get(0).url().toString()).isEqualTo("http://10.9.9.9:8080/v2/x");
    mesh.call("http://order-service/v1/x");
    assertThat(mesh.lastHost()).isEqualTo("10.0.0.1");
  }

  @Test
  void aRouteRewritesThePathPrefixTheAuthorityAndHeaders() throws Exception {
    orders(p -> p.route(Route.builder("legacy")
        .match(RouteMatch.builder().path(StringMatch.prefix("/v1/")).build())
        .rewritePathPrefix("/api/")
        .rewriteAuthority("orders.internal")
        .setHeader("x-route", "legacy")
        .removeHeader("x-secret")
        .build()), V1).start();

    mesh.call(new Request.Builder().url("http://order-service/v1/orders/7?x=1")
        .header("x-secret", "s").header("x-keep", "k").build());

    Request sent = mesh.sent.get(0);
    assertThat(sent.url().toString()).isEqualTo("http://10.0.0.1/api/orders/7?x=1");
    assertThat(sent.header("Host")).isEqualTo("orders.internal");
    assertThat(sent.header("x-route")).isEqualTo("legacy");
    assertThat(sent.header("x-secret")).isNull();
    assertThat(sent.header("x-keep")).isEqualTo("k");
  }

  @Test
  void anExactPathIsRewrittenWhole() throws Exception {
    orders(p -> p.route(Route.builder("old")
        .match(RouteMatch.builder().path(StringMatch.exact("/status")).build())
        .rewritePathPrefix("/health/ready").build()), V1).start();

    mesh.call("http://order-service/status");

    assertThat(mesh.sent.get(0).url().encodedPath()).isEqualTo("/health/ready");
  }

  @Test
  void aRequestNoRouteTakesGoesToTheWholeServiceWithItsPolicy() throws Exception {
    orders(p -> p.retry(RetryPolicy.builder().maxAttempts(2).initialBackoff(Duration.ofMillis(1)).build())
        .route(Route.builder("only-v2").match(RouteMatch.builder().methods("POST").build())
            .destination(Destination.subset("version", "v2")).build()), V1, V2)
        .answer(r -> 503).start();

    mesh.call("http://order-service/");

    assertThat(mesh.sent).hasSize(2);
    assertThat(mesh.sent.stream().map(r -> r.url().host())).containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2");
  }

  @Test
  void aWeightedDrawIsDeterministicForASeedAndFollowsTheWeights() {
    RoutedMesh a = new RoutedMesh(7).service("s", ServicePolicy.builder().route(canary()).build(), V1, V2);
    Cluster cluster = a.clusters.get("s");
    RouteTable table = RouteTable.of(cluster, cluster.policy(), a.clusters);
    RouteTable.Entry entry = table.select(get("/"));
    java.util.Random seeded = new java.util.Random(7);
    int v2 = 0;
    for (int i = 0; i < 100_000; i++) {
      if (entry.draw(seeded).subset().get("version").equals("v2")) {
        v2++;
      }
    }
    assertThat(v2).isBetween(10_000 - 500, 10_000 + 500);
    a.close();
  }

  @Test
  void aOneShotBodyIsStillSentOnce() throws Exception {
    orders(p -> p.route(canary()), V1, V2).start();
    RequestBody oneShot = new RequestBody() {
      @Override
      public MediaType contentType() {
        return null;
      }

      @Override
      public void writeTo(okio.BufferedSink sink) throws java.io.IOException {
        sink.writeUtf8("x");
      }

      @Override
      public boolean isOneShot() {
        return true;
      }
    };

    mesh.call(new Request.Builder().url("http://order-service/").post(oneShot).build());

    assertThat(mesh.sent).hasSize(1);
  }

  @Test
  void routesListedInTheTableAreKeptInOrder() {
    List<Route> routes = List.of(Route.builder("a").build(), Route.builder("b").build());
    assertThat(ServicePolicy.builder().routes(routes).build().routes()).extracting(Route::name).containsExactly("a", "b");
  }

  @Test
  void reloadsKeepOnePoolPerSubsetAndDropThePoolsNoRouteNamesAnyMore() throws Exception {
    orders(p -> p.route(canary()), V1, V1B, V2).start();
    Cluster cluster = mesh.clusters.get("order-service");
    assertThat(cluster.subsetCount()).isEqualTo(2);

    for (int i = 0; i < 10; i++) {
      mesh.reload("order-service", cluster.policy().toBuilder().build()); // a new policy, the same routes
      mesh.call("http://order-service/");
    }

    assertThat(cluster.subsetCount()).as("v1 and v2, however often the table is made again").isEqualTo(2);
    mesh.reload("order-service", cluster.policy().toBuilder()
        .routes(List.of(Route.builder("v1").destination(Destination.subset("version", "v1")).build())).build());
    mesh.call("http://order-service/");
    assertThat(cluster.subsetCount()).as("v2 is no longer named by any route").isEqualTo(1);
    assertThat(mesh.lastHost()).startsWith("10.0.0.1");
  }

  @Test
  void callsRacingAfterAReloadMakeOneRouteTable() throws Exception {
    orders(p -> p.route(canary()), V1, V1B, V2).start();
    Cluster cluster = mesh.clusters.get("order-service");
    MeshInterceptor interceptor = mesh.interceptor();
    int threads = 8;
    int reloads = 50;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      int before = interceptor.tablesMade();
      for (int round = 0; round < reloads; round++) {
        mesh.reload("order-service", cluster.policy().toBuilder().build());
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        List<java.util.concurrent.Future<RouteTable>> tables = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
          tables.add(pool.submit(() -> {
            start.await(5, java.util.concurrent.TimeUnit.SECONDS);
            return interceptor.routes(cluster);
          }));
        }
        RouteTable first = tables.get(0).get(5, java.util.concurrent.TimeUnit.SECONDS);
        for (java.util.concurrent.Future<RouteTable> table : tables) {
          assertThat(table.get(5, java.util.concurrent.TimeUnit.SECONDS)).isSameAs(first);
        }
      }
      assertThat(interceptor.tablesMade() - before).as("one table per reload").isEqualTo(reloads);
      assertThat(cluster.subsetCount()).isEqualTo(2);
    } finally {
      pool.shutdownNow();
    }
  }
}
