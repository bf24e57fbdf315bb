package io.meshclient.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.MeshConfigException;
import io.meshclient.api.ServiceDiscovery;
import io.meshclient.api.ServiceDiscoveryProvider;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Discovery sources chosen by URI: resolution through providers, ownership, and every error. */
class DiscoveryUriTest {
  private static final Endpoint E1 = Endpoint.of("127.0.0.1", 8081);

  @Test
  void aStaticUriServesItsEndpointsToTheServiceThatNamesIt() {
    try (MeshClient mesh = MeshClient.builder()
        .service("orders", s -> s.discovery("static:10.0.0.7:8080,[::1]:8081"))
        .build()) {
      MeshSnapshot.ServiceSnapshot orders = mesh.snapshot().service("orders").orElseThrow();
      assertThat(orders.endpoints()).extracting(MeshSnapshot.EndpointSnapshot::endpoint)
          .containsExactly(Endpoint.of("10.0.0.7", 8080), Endpoint.of("::1", 8081));
      assertThat(orders.discovery().source()).isEqualTo("static:10.0.0.7:8080,[::1]:8081");
      assertThat(orders.discovery().answered()).isTrue();
    }
  }

  @Test
  void aMeshWideUriServesEveryServiceWithoutASourceOfItsOwn() {
    try (MeshClient mesh = MeshClient.builder()
        .discovery("static:10.0.0.7:8080")
        .service("orders", s -> {})
        .service("users", E1)
        .build()) {
      assertThat(mesh.snapshot().service("orders").orElseThrow().endpoints()).hasSize(1);
      assertThat(mesh.snapshot().service("orders").orElseThrow().discovery().source()).isEqualTo("static:10.0.0.7:8080");
      assertThat(mesh.snapshot().service("users").orElseThrow().discovery().source()).isEqualTo("static");
    }
  }

  @Test
  void aBareStaticUriMeansTheEndpointsGivenInTheBuilder() {
    try (MeshClient mesh = MeshClient.builder().service("orders", s -> s.discovery("static:").endpoints(E1)).build()) {
      assertThat(mesh.snapshot().service("orders").orElseThrow().endpoints()).hasSize(1);
    }
    assertThatThrownBy(() -> MeshClient.builder().discovery("static:").service("orders", s -> {}).build())
        .hasMessage("services.orders.endpoints: null (expected: endpoints, or a discovery source for the service or the mesh)");
  }

  @Test
  void aSchemeWhoseModuleIsMissingNamesTheModuleToAdd() {
    assertThatThrownBy(() -> MeshClient.builder().service("orders", s -> s.discovery("dns:///orders.prod")).build())
        .isInstanceOf(MeshConfigException.class)
        .hasMessage("services.orders.discovery: \"dns:///orders.prod\" (expected: a source on the class path: scheme 'dns' "
            + "is provided by io.meshclient:mesh-client-discovery; add that dependency)");
    assertThatThrownBy(() -> MeshClient.builder().discovery("consul://127.0.0.1:8500").service("orders", s -> {}).build())
        .hasMessage("discovery: \"consul://127.0.0.1:8500\" (expected: a source on the class path: scheme 'consul' "
            + "is provided by io.meshclient:mesh-client-discovery; add that dependency)");
  }

  @Test
  void anUnknownSchemeListsTheSchemesThatWouldWork() {
    assertThatThrownBy(() -> MeshClient.builder().service("orders", s -> s.discovery("zookeeper://zk:2181")).build())
        .hasMessage("services.orders.discovery: \"zookeeper://zk:2181\" (expected: a URI whose scheme is one of [static]; "
            + "consul, dns, dns+srv, etcd, file, k8s come with io.meshclient:mesh-client-discovery)");
  }

  @Test
  void aMalformedUriSaysWhatAUriLooksLike() {
    assertThatThrownBy(() -> MeshClient.builder().service("orders", s -> s.discovery("orders.prod")).build())
        .hasMessageStartingWith("services.orders.discovery: \"orders.prod\" (expected: a URI such as static:10.0.0.7:8080");
    assertThatThrownBy(() -> MeshClient.builder().service("orders", s -> s.discovery("dns:// bad")).build())
        .hasMessageStartingWith("services.orders.discovery: \"dns:// bad\" (expected: a URI such as");
  }

  @Test
  void aBadStaticListNamesWhatItExpects() {
    assertThatThrownBy(() -> MeshClient.builder().service("orders", s -> s.discovery("static:10.0.0.7")).build())
        .hasMessage("services.orders.discovery: \"static:10.0.0.7\" (expected: static:host:port[,host:port...], "
            + "e.g. static:10.0.0.7:8080,[::1]:8080)");
    assertThatThrownBy(() -> MeshClient.builder().service("orders", s -> s.discovery("static:h:1,h:1")).build())
        .hasMessage("services.orders.discovery: \"static:h:1,h:1\" (expected: addresses listed once each)");
  }

  @Test
  void aProvidersErrorIsPutUnderTheServicesPath() {
    ServiceDiscoveryProvider strict = provider("strict", uri -> {
      throw new MeshConfigException("discovery.wait", "forever", "a duration such as 30s");
    }, new ArrayList<>());
    assertThatThrownBy(() -> MeshClient.builder().discoveryProvider(strict)
        .service("orders", s -> s.discovery("strict://x?wait=forever")).build())
        .hasMessage("services.orders.discovery.wait: \"forever\" (expected: a duration such as 30s)");
    assertThatThrownBy(() -> MeshClient.builder().discoveryProvider(strict).discovery("strict://x").service("orders", s -> {}).build())
        .hasMessage("discovery.wait: \"forever\" (expected: a duration such as 30s)");
  }

  @Test
  void endpointsAndADiscoveryUriTogetherAreRejected() {
    assertThatThrownBy(() -> MeshClient.builder().service("orders", s -> s.endpoints(E1).discovery("static:10.0.0.7:80")).build())
        .hasMessage("services.orders.discovery: \"static:10.0.0.7:80\" (expected: either endpoints or a discovery source, not both)");
  }

  @Test
  void theMeshMakesOneSourcePerUriAndClosesWhatItMade() {
    List<FakeSource> made = new ArrayList<>();
    ServiceDiscoveryProvider fake = provider("fake", uri -> new FakeSource(), made);
    FakeSource given = new FakeSource();
    MeshClient mesh = MeshClient.builder().discoveryProvider(fake)
        .discovery("fake://shared")
        .service("orders", s -> {})
        .service("users", s -> {})
        .service("billing", s -> s.discovery("fake://own"))
        .service("audit", s -> s.discovery(given))
        .build();
    assertThat(made).hasSize(2);
    assertThat(made.get(0).watched).containsExactlyInAnyOrder("orders", "users");
    assertThat(made.get(1).watched).containsExactly("billing");
    assertThat(mesh.snapshot().service("billing").orElseThrow().discovery().source()).isEqualTo("fake://own");

    mesh.close();
    assertThat(made).allMatch(s -> s.closed);
    assertThat(given.closed).as("a source the caller gave stays the caller's").isFalse();
  }

  @Test
  void aBuildThatFailsClosesTheSourcesItAlreadyMade() {
    List<FakeSource> made = new ArrayList<>();
    ServiceDiscoveryProvider fake = provider("fake", uri -> new FakeSource(), made);
    assertThatThrownBy(() -> MeshClient.builder().discoveryProvider(fake)
        .service("orders", s -> s.discovery("fake://a"))
        .service("users", s -> s.discovery("nope://b"))
        .build()).isInstanceOf(MeshConfigException.class);
    assertThat(made).hasSize(1).allMatch(s -> s.closed);
  }

  @Test
  void aNegativeInitialDiscoveryTimeoutIsRejected() {
    assertThatThrownBy(() -> MeshClient.builder().initialDiscoveryTimeout(Duration.ofSeconds(-1)).service("orders", E1).build())
        .hasMessage("initialDiscoveryTimeout: PT-1S (expected: >= 0)");
  }

  private static ServiceDiscoveryProvider provider(String scheme, java.util.function.Function<URI, ServiceDiscovery> create,
      List<FakeSource> made) {
    return new ServiceDiscoveryProvider() {
      @Override
      public Set<String> schemes() {
        return Set.of(scheme);
      }

      @Override
      public ServiceDiscovery create(URI uri) {
        ServiceDiscovery source = create.apply(uri);
        if (source instanceof FakeSource) {
          made.add((FakeSource) source);
        }
        return source;
      }
    };
  }

  /** Answers every service with one endpoint and remembers what it was asked. */
  static final class FakeSource implements ServiceDiscovery {
    final List<String> watched = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile boolean closed;

    @Override
    public Subscription watch(String service, Listener listener) {
      watched.add(service);
      listener.onEndpoints(EndpointSet.of(E1));
      return () -> {};
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
