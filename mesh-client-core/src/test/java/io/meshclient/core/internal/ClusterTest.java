package io.meshclient.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshclient.api.CircuitBreakerPolicy;
import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.ServicePolicy;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class ClusterTest {
  private final Endpoint a = Endpoint.of("10.0.0.1", 80);
  private final Endpoint b = Endpoint.of("10.0.0.2", 80);
  private final Endpoint c = Endpoint.of("10.0.0.3", 80);
  private final Cluster cluster = new Cluster("orders", ServicePolicy.ofDefaults(),
      new RoundRobinLoadBalancerFactory().create("orders", io.meshclient.api.LoadBalancingPolicy.ofDefaults()), Clock.systemUTC(), io.meshclient.api.MeshEventListener.NONE, null);

  @Test
  void theBalancerPreparesEachNewListBeforePicksSeeItAndPicksNeverRebuild() throws Exception {
    java.util.List<java.util.List<?>> prepared = new java.util.ArrayList<>();
    java.util.List<java.util.List<?>> pickedFrom = new java.util.ArrayList<>();
    io.meshclient.api.LoadBalancer recording = new io.meshclient.api.LoadBalancer() {
      @Override
      public io.meshclient.api.PickResult pick(io.meshclient.api.PickContext context) {
        pickedFrom.add(context.endpoints());
        return io.meshclient.api.PickResult.of(context.endpoints().get(0));
      }

      @Override
      public void prepare(java.util.List<? extends io.meshclient.api.EndpointStats> endpoints) {
        prepared.add(endpoints);
      }
    };
    Cluster watched = new Cluster("orders", ServicePolicy.ofDefaults(), recording, Clock.systemUTC(),
        io.meshclient.api.MeshEventListener.NONE, null);

    watched.onEndpoints(EndpointSet.of(a, b));
    assertThat(prepared).hasSize(1);
    assertThat(prepared.get(0)).hasSize(2);
    watched.pick(watched.newPickState(null), 0);
    assertThat(pickedFrom.get(0)).as("the prepared list itself").isSameAs(prepared.get(0));

    watched.onHealthCheck(watched.endpoints().get(1), false);
    assertThat(prepared).hasSize(2);
    assertThat(prepared.get(1)).extracting(e -> ((EndpointState) e).endpoint()).containsExactly(a);
  }

  @Test
  void endpointStateSurvivesAnUpdateByIdAndRemovedEndpointsAreDropped() {
    cluster.onEndpoints(EndpointSet.of(a, b));
    EndpointState stateOfB = cluster.endpoints().get(1);
    stateOfB.onSend();
    stateOfB.onFailure(new java.io.IOException("boom"), 1_000, false);

    Endpoint movedB = b.toBuilder().zone("z1").weight(3).build();
    cluster.onEndpoints(EndpointSet.of(movedB, c));

    assertThat(cluster.endpoints()).hasSize(2);
    assertThat(cluster.endpoints().get(0)).isSameAs(stateOfB);
    assertThat(stateOfB.endpoint()).isEqualTo(movedB);
    assertThat(stateOfB.requests()).isEqualTo(1);
    assertThat(stateOfB.failures()).isEqualTo(1);
    assertThat(cluster.endpoints().get(1).endpoint()).isEqualTo(c);
    assertThat(cluster.endpoints().get(1).requests()).isZero();

    cluster.onEndpoints(EndpointSet.of(a, movedB));
    assertThat(cluster.endpoints().get(0).requests()).as("a came back as a new endpoint").isZero();
  }

  @Test
  void anEndpointOkHttpCannotAddressIsSkippedAndTheOthersKept() {
    cluster.onEndpoints(EndpointSet.of(a, Endpoint.of("ex%ample", 80), b));
    assertThat(cluster.endpoints()).extracting(EndpointState::endpoint).containsExactly(a, b);
  }

  @Test
  void anUpdatePublishesANewImmutableListAndLeavesTheOldOneAlone() {
    cluster.onEndpoints(EndpointSet.of(a, b));
    var before = cluster.endpoints();
    cluster.onEndpoints(EndpointSet.of(c));
    assertThat(before).extracting(EndpointState::endpoint).containsExactly(a, b);
    assertThat(cluster.endpoints()).extracting(EndpointState::endpoint).containsExactly(c);
    assertThat(cluster.discovered()).isTrue();
  }

  @Test
  void aDisabledBreakerLetsEverythingThrough() {
    Cluster noBreaker = new Cluster("orders",
        ServicePolicy.builder().circuitBreaker(CircuitBreakerPolicy.disabled()).build(),
        new RoundRobinLoadBalancerFactory().create("orders", io.meshclient.api.LoadBalancingPolicy.ofDefaults()), Clock.systemUTC(), io.meshclient.api.MeshEventListener.NONE, null);
    noBreaker.onEndpoints(EndpointSet.of(a));
    EndpointState state = noBreaker.endpoints().get(0);
    for (int i = 0; i < 100; i++) {
      assertThat(state.tryAcquire()).isTrue();
      state.onSend();
      state.onResponse(500, 1_000, -1);
    }
    assertThat(state.circuitState()).isEqualTo("DISABLED");
    assertThat(state.failures()).isEqualTo(100);
  }
}
