package io.meshclient.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshclient.api.Endpoint;
import io.meshclient.api.LoadBalancer;
import io.meshclient.api.LoadBalancerFactory;
import io.meshclient.api.LoadBalancingPolicy;
import io.meshclient.api.MeshConfigException;
import io.meshclient.api.PickResult;
import io.meshclient.api.ServicePolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every bad builder input fails in build() with a message naming field, value and expectation. */
class MeshClientBuilderTest {
  private static final Endpoint E1 = Endpoint.of("127.0.0.1", 8081);

  @Test
  void rejectsAServiceNameThatIsNotALowerCaseDnsName() {
    assertThatThrownBy(() -> MeshClient.builder().service("Orders_Svc", E1).build())
        .isInstanceOf(MeshConfigException.class)
        .hasMessage("services: \"Orders_Svc\" (expected: a lower-case DNS name such as orders or orders.prod)");
  }

  @Test
  void rejectsAnUnknownLoadBalancerAndListsTheKnownOnes() {
    assertThatThrownBy(() -> MeshClient.builder().service("orders", s -> s.endpoints(E1).loadBalancer("fastest")).build())
        .isInstanceOf(MeshConfigException.class)
        .hasMessage("services.orders.loadBalancer: \"fastest\" (expected: one of [least_request, maglev, peak_ewma, random, ring_hash, round_robin])");
  }

  @Test
  void rejectsAMalformedLoadBalancerNameUnderTheServicePath() {
    assertThatThrownBy(() -> MeshClient.builder().service("orders", s -> s.endpoints(E1).loadBalancer("Round-Robin")).build())
        .hasMessage("services.orders.loadBalancer: \"Round-Robin\" (expected: a name in lower snake case, e.g. round_robin)");
  }

  @Test
  void rejectsAnUnknownDefaultLoadBalancer() {
    assertThatThrownBy(() -> MeshClient.builder().defaults(ServicePolicy.builder().loadBalancer("nope").build()).build())
        .hasMessage("defaults.loadBalancer: \"nope\" (expected: one of [least_request, maglev, peak_ewma, random, ring_hash, round_robin])");
  }

  @Test
  void rejectsAServiceWithNoEndpointsAndNoDiscovery() {
    assertThatThrownBy(() -> MeshClient.builder().service("orders", s -> {}).build())
        .hasMessage("services.orders.endpoints: null (expected: endpoints, or a discovery source for the service or the mesh)");
    assertThatThrownBy(() -> MeshClient.builder().service("orders", s -> s.endpoints(List.of())).build())
        .hasMessage("services.orders.endpoints: [] (expected: at least one endpoint)");
  }

  @Test
  void rejectsAHostThatNoHttpUrlCanHold() {
    assertThatThrownBy(() -> MeshClient.builder().service("orders", E1, Endpoint.of("a..b", 80)).build())
        .isInstanceOf(MeshConfigException.class)
        .hasMessage("services.orders.endpoints[1].host: \"a..b\" (expected: a host name or IP address an HTTP URL can hold)");
  }

  @Test
  void rejectsTwoEndpointsWithTheSameId() {
    assertThatThrownBy(() -> MeshClient.builder().service("orders", E1, Endpoint.of("127.0.0.1", 8081)).build())
        .hasMessage("services.orders.endpoints[1].id: \"127.0.0.1:8081\" (expected: an id not used by another endpoint)");
  }

  @Test
  void rejectsEndpointsAndADiscoverySourceTogether() {
    StaticDiscovery discovery = StaticDiscovery.of(Map.of("orders", List.of(E1)));
    assertThatThrownBy(() -> MeshClient.builder().service("orders", s -> s.endpoints(E1).discovery(discovery)).build())
        .isInstanceOf(MeshConfigException.class)
        .hasMessageStartingWith("services.orders.discovery: ")
        .hasMessageEndingWith("(expected: either endpoints or a discovery source, not both)");
  }

  @Test
  void rejectsADiscoverySourceThatDoesNotKnowTheService() {
    StaticDiscovery discovery = StaticDiscovery.of(Map.of("users", List.of(E1)));
    assertThatThrownBy(() -> MeshClient.builder().discovery(discovery).service("orders", s -> {}).build())
        .isInstanceOf(MeshConfigException.class)
        .hasMessageStartingWith("services.orders.discovery: ")
        .hasMessageContaining("expected: a source that knows the service (static discovery has no endpoints for service 'orders'; known: [users])");
  }

  @Test
  void usesTheMeshWideDiscoveryForServicesWithoutEndpoints() {
    StaticDiscovery discovery = StaticDiscovery.of(Map.of("orders", List.of(E1)));
    try (MeshClient mesh = MeshClient.builder().discovery(discovery).service("orders", s -> {}).build()) {
      assertThat(mesh.services()).containsExactly("orders");
      assertThat(mesh.snapshot().service("orders").orElseThrow().endpoints())
          .extracting(MeshSnapshot.EndpointSnapshot::endpoint).containsExactly(E1);
    }
  }

  @Test
  void serviceSettingsApplyOnTopOfTheDefaults() {
    try (MeshClient mesh = MeshClient.builder()
        .defaults(ServicePolicy.builder().loadBalancer("least_request").build())
        .service("orders", E1)
        .service("users", s -> s.endpoints(E1).loadBalancer("round_robin"))
        .build()) {
      assertThat(mesh.snapshot().services())
          .extracting(MeshSnapshot.ServiceSnapshot::name, MeshSnapshot.ServiceSnapshot::loadBalancer)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("orders", "least_request"),
              org.assertj.core.groups.Tuple.tuple("users", "round_robin"));
    }
  }

  @Test
  void aLoadBalancerFactoryGivenToTheBuilderCanBeNamed() {
    LoadBalancerFactory first = new LoadBalancerFactory() {
      @Override
      public String name() {
        return "first";
      }

      @Override
      public LoadBalancer create(String service, LoadBalancingPolicy settings) {
        return context -> PickResult.of(context.endpoints().get(0));
      }
    };
    try (MeshClient mesh = MeshClient.builder().loadBalancerFactory(first).service("orders", s -> s.endpoints(E1).loadBalancer("first")).build()) {
      assertThat(mesh.snapshot().service("orders").orElseThrow().loadBalancer()).isEqualTo("first");
    }
  }

  @Test
  void decoratingTwiceAddsTheMeshOnce() {
    try (MeshClient mesh = MeshClient.builder().service("orders", E1).build()) {
      okhttp3.OkHttpClient.Builder builder = new okhttp3.OkHttpClient.Builder();
      mesh.decorate(mesh.decorate(builder));
      assertThat(builder.interceptors()).containsExactly(mesh.interceptor());
    }
  }
}
