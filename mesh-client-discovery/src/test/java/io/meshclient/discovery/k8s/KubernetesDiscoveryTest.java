package io.meshclient.discovery.k8s;

import static io.meshclient.discovery.k8s.Slices.endpoint;
import static io.meshclient.discovery.k8s.Slices.ready;
import static io.meshclient.discovery.k8s.Slices.slice;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.meshclient.api.ServiceDiscovery;
import io.meshclient.core.MeshClient;
import io.meshclient.discovery.testing.RecordingListener;
import io.meshclient.discovery.testing.TcpProxy;
import java.time.Duration;
import java.util.List;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** {@link KubernetesDiscovery} against fabric8's Kubernetes mock server in CRUD mode. */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesDiscoveryTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  /**
   * How long a watch may take to come back through the proxy. Usually about a second; but now and
   * then the mock server answers a run of watch handshakes with 400 after earlier tests in the same
   * JVM, and the informer's backoff then takes longer to get through.
   */
  private static final Duration RECONNECT = Duration.ofSeconds(60);

  KubernetesMockServer server;
  KubernetesClient client;

  private void apply(EndpointSlice slice) {
    client.discovery().v1().endpointSlices().inNamespace("test").resource(slice).createOr(existing -> existing.update());
  }

  private void delete(String name) {
    client.discovery().v1().endpointSlices().inNamespace("test").withName(name).delete();
  }

  private KubernetesDiscovery discovery(KubernetesClient through) {
    return KubernetesDiscovery.builder().namespace("test").client(through).watchCheck(Duration.ofMillis(100)).build();
  }

  /** A client that reaches the mock server through {@code proxy}, retrying quickly. */
  private static KubernetesClient clientThrough(TcpProxy proxy) {
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + proxy.port())
        .withNamespace("test").withHttp2Disable(true).withConnectionTimeout(1000)
        .withWatchReconnectInterval(100).withRequestRetryBackoffInterval(50).withRequestRetryBackoffLimit(1).build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  @Test
  void followsSliceChurnAcrossSlices() {
    apply(slice("orders-a", "orders", ready("10.0.0.1"), ready("10.0.0.2")));
    apply(slice("orders-b", "orders", ready("10.0.0.3")));
    apply(slice("users-a", "users", ready("10.0.1.1")));
    RecordingListener listener = new RecordingListener();
    try (KubernetesDiscovery k8s = discovery(client); ServiceDiscovery.Subscription s = k8s.watch("orders", listener)) {
      await().atMost(WAIT).until(() -> listener.latest() != null);
      assertThat(listener.sets()).hasSize(1); // the first push waits for the whole first list
      assertThat(listener.latestIds()).containsExactly("10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:8080");

      apply(slice("orders-a", "orders", ready("10.0.0.1"), endpoint("10.0.0.2", false, true, true)));
      await().atMost(WAIT).until(() -> List.of("10.0.0.1:8080", "10.0.0.3:8080").equals(listener.latestIds()));
      apply(slice("orders-c", "orders", ready("10.0.0.4")));
      await().atMost(WAIT).until(() -> List.of("10.0.0.1:8080", "10.0.0.3:8080", "10.0.0.4:8080").equals(listener.latestIds()));
      delete("orders-b");
      await().atMost(WAIT).until(() -> List.of("10.0.0.1:8080", "10.0.0.4:8080").equals(listener.latestIds()));
      // Every ready endpoint goes: the one still serving while terminating takes the traffic.
      apply(slice("orders-a", "orders", endpoint("10.0.0.2", false, true, true)));
      delete("orders-c");
      await().atMost(WAIT).until(() -> List.of("10.0.0.2:8080").equals(listener.latestIds()));
    }
    assertThat(listener.errors()).isEmpty();
    assertThat(listener.pushedAnEmptySet()).isFalse();
    assertThat(listener.overlapped()).isFalse();
  }

  @Test
  void aServiceWithoutSlicesIsReportedUntilOneAppears() {
    RecordingListener listener = new RecordingListener();
    try (KubernetesDiscovery k8s = discovery(client); ServiceDiscovery.Subscription s = k8s.watch("orders", listener)) {
      await().atMost(WAIT).until(() -> !listener.errors().isEmpty());
      assertThat(listener.errors().get(0)).hasMessageStartingWith("no EndpointSlice labelled kubernetes.io/service-name=orders");
      assertThat(listener.sets()).isEmpty();
      apply(slice("orders-a", "orders", ready("10.0.0.1")));
      await().atMost(WAIT).until(() -> List.of("10.0.0.1:8080").equals(listener.latestIds()));
    }
  }

  @Test
  void aDroppedWatchResumesAndSeesLaterChanges() throws Exception {
    apply(slice("orders-a", "orders", ready("10.0.0.1")));
    RecordingListener listener = new RecordingListener();
    try (TcpProxy proxy = TcpProxy.to(server.getPort());
        KubernetesClient through = clientThrough(proxy);
        KubernetesDiscovery k8s = discovery(through);
        ServiceDiscovery.Subscription s = k8s.watch("orders", listener)) {
      await().atMost(WAIT).until(() -> List.of("10.0.0.1:8080").equals(listener.latestIds()));
      int connections = proxy.connections();
      proxy.drop();
      // The informer watches again, over a new connection, before the next change is made: the
      // mock server does not replay what a watch missed, as a real API server would.
      await().atMost(RECONNECT).until(() -> proxy.connections() > connections && ((SliceWatch) s).watching());
      apply(slice("orders-b", "orders", ready("10.0.0.2")));
      await().atMost(WAIT).until(() -> List.of("10.0.0.1:8080", "10.0.0.2:8080").equals(listener.latestIds()));
    }
    assertThat(listener.pushedAnEmptySet()).isFalse();
  }

  @Test
  void anUnreachableApiServerIsReportedWithoutEmptyingTheSetAndTheWatchRecovers() throws Exception {
    apply(slice("orders-a", "orders", ready("10.0.0.1")));
    RecordingListener listener = new RecordingListener();
    try (TcpProxy proxy = TcpProxy.to(server.getPort());
        KubernetesClient through = clientThrough(proxy);
        KubernetesDiscovery k8s = discovery(through);
        ServiceDiscovery.Subscription s = k8s.watch("orders", listener)) {
      await().atMost(WAIT).until(() -> List.of("10.0.0.1:8080").equals(listener.latestIds()));
      proxy.refuse();
      await().atMost(WAIT).until(() -> !listener.errors().isEmpty());
      assertThat(listener.errors().get(0)).hasMessage("the watch of EndpointSlices for test/orders is down");
      assertThat(listener.sets()).hasSize(1);
      int connections = proxy.connections();
      proxy.accept();
      await().atMost(RECONNECT).until(() -> proxy.connections() > connections && ((SliceWatch) s).watching());
      apply(slice("orders-a", "orders", ready("10.0.0.1"), ready("10.0.0.5")));
      await().atMost(WAIT).until(() -> List.of("10.0.0.1:8080", "10.0.0.5:8080").equals(listener.latestIds()));
    }
    assertThat(listener.pushedAnEmptySet()).isFalse();
  }

  @Test
  void aFixedServiceAndPortNameServeAnyMeshName() {
    apply(slice("orders-v2-a", "orders-v2", List.of(Slices.port("http", 8080), Slices.port("admin", 9000)), ready("10.0.0.1")));
    RecordingListener listener = new RecordingListener();
    try (KubernetesDiscovery k8s = KubernetesDiscovery.builder().namespace("test").service("orders-v2").portName("admin")
            .client(client).build();
        ServiceDiscovery.Subscription s = k8s.watch("orders", listener)) {
      await().atMost(WAIT).until(() -> List.of("10.0.0.1:9000").equals(listener.latestIds()));
      assertThat(k8s).hasToString("KubernetesDiscovery{k8s://test/orders-v2:admin}");
    }
  }

  @Test
  void aMeshCallsTheEndpointsOfTheNamedPort() throws Exception {
    WireMockServer orders = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    orders.start();
    try {
      orders.stubFor(get(urlEqualTo("/hello")).willReturn(aResponse().withStatus(200).withBody("hello from a pod")));
      apply(slice("orders-a", "orders", List.of(Slices.port("metrics", 1), Slices.port("http", orders.port())), ready("127.0.0.1")));
      try (KubernetesDiscovery k8s = KubernetesDiscovery.builder().namespace("test").portName("http").client(client).build();
          MeshClient mesh = MeshClient.builder().discovery(k8s).service("orders", s -> {}).build()) {
        await().atMost(WAIT).until(() -> !mesh.snapshot().service("orders").orElseThrow().endpoints().isEmpty());
        try (Response response = mesh.httpClient().newCall(new Request.Builder().url("http://orders/hello").build()).execute()) {
          assertThat(response.body().string()).isEqualTo("hello from a pod");
        }
      }
    } finally {
      orders.stop();
    }
  }

  @Test
  void closingStopsTheWatch() {
    apply(slice("orders-a", "orders", ready("10.0.0.1")));
    RecordingListener listener = new RecordingListener();
    KubernetesDiscovery k8s = discovery(client);
    k8s.watch("orders", listener);
    await().atMost(WAIT).until(() -> listener.latest() != null);
    k8s.close();
    apply(slice("orders-b", "orders", ready("10.0.0.2")));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> k8s.watch("orders", listener))
        .isInstanceOf(IllegalStateException.class);
    // The given client stays open: it is the caller's.
    assertThat(client.discovery().v1().endpointSlices().inNamespace("test").list().getItems()).hasSize(2);
    assertThat(listener.sets()).hasSize(1);
  }
}
