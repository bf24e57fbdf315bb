package io.meshclient.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.core.MeshClient;
import io.meshclient.core.MeshSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dns: and dns+srv: sources against a real DNS server (dnsmasq) on loopback. */
class DnsDiscoveryTest {
  private static final Duration AWAIT = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  private Dnsmasq dns;
  private DnsDiscovery source;

  @BeforeEach
  void startDns() throws IOException {
    dns = Dnsmasq.start(dir,
        "host-record=orders.mesh.test,10.0.0.1,fd00::1",
        "host-record=orders.mesh.test,10.0.0.2",
        "host-record=a.mesh.test,10.0.1.1",
        "host-record=b.mesh.test,10.0.1.2",
        "host-record=c.mesh.test,10.0.1.3",
        "srv-host=_http._tcp.orders.mesh.test,a.mesh.test,8080,10,5",
        "srv-host=_http._tcp.orders.mesh.test,b.mesh.test,8081,10,0",
        "srv-host=_http._tcp.orders.mesh.test,c.mesh.test,8082,20,1");
  }

  @AfterEach
  void stop() {
    if (source != null) {
      source.close();
    }
    dns.close();
  }

  @Test
  void aAndAaaaRecordsBecomeEndpointsOnThePortAndFollowChanges() throws IOException {
    source = fast(DnsDiscovery.builder().name("orders.mesh.test").port(8080));
    RecordingListener listener = new RecordingListener();
    source.watch("orders", listener);
    await().atMost(AWAIT).until(() -> listener.last() != null);
    assertThat(listener.last().endpoints()).containsExactlyInAnyOrder(
        Endpoint.of("10.0.0.1", 8080), Endpoint.of("10.0.0.2", 8080), Endpoint.of("fd00:0:0:0:0:0:0:1", 8080));

    dns.serve("host-record=orders.mesh.test,10.0.0.2", "host-record=orders.mesh.test,10.0.0.3");
    await().atMost(AWAIT).until(() -> EndpointSet.of(Endpoint.of("10.0.0.2", 8080), Endpoint.of("10.0.0.3", 8080))
        .equals(sorted(listener.last())));
  }

  @Test
  void srvRecordsOfTheLowestPriorityWinWithTheirPortsAndWeights() throws IOException {
    source = fast(DnsDiscovery.builder().name("_http._tcp.orders.mesh.test").srv());
    RecordingListener listener = new RecordingListener();
    source.watch("orders", listener);
    await().atMost(AWAIT).until(() -> listener.last() != null);
    assertThat(listener.last().endpoints()).containsExactlyInAnyOrder(
        Endpoint.builder("10.0.1.1", 8080).weight(5).build(),
        Endpoint.builder("10.0.1.2", 8081).weight(1).build()); // SRV weight 0 is the smallest share there is

    // The priority-10 targets lose their addresses: priority 20 takes over.
    dns.serve("host-record=c.mesh.test,10.0.1.3",
        "srv-host=_http._tcp.orders.mesh.test,gone.mesh.test,8080,10,5",
        "srv-host=_http._tcp.orders.mesh.test,c.mesh.test,8082,20,7");
    await().atMost(AWAIT).until(() -> EndpointSet.of(Endpoint.builder("10.0.1.3", 8082).weight(7).build()).equals(listener.last()));
  }

  @Test
  void aServerOutageKeepsTheLastGoodSetAndRecoveryPushesAgain() throws IOException {
    source = fast(DnsDiscovery.builder().name("a.mesh.test").port(80));
    RecordingListener listener = new RecordingListener();
    source.watch("orders", listener);
    await().atMost(AWAIT).until(() -> listener.last() != null);

    dns.stop();
    await().atMost(AWAIT).until(() -> !listener.errors.isEmpty());
    assertThat(listener.sets).as("nothing dropped").containsExactly(EndpointSet.of(Endpoint.of("10.0.1.1", 80)));
    assertThat(listener.lastError()).hasMessageStartingWith("A query for a.mesh.test. to 127.0.0.1:");

    dns.serve("host-record=a.mesh.test,10.0.1.1");
    await().atMost(AWAIT).until(() -> listener.sets.size() == 2);
    assertThat(listener.last()).isEqualTo(EndpointSet.of(Endpoint.of("10.0.1.1", 80)));
  }

  @Test
  void aMalformedAnswerIsAnErrorAndNothingIsDropped() throws IOException {
    try (GarblingDnsProxy proxy = new GarblingDnsProxy(dns.address())) {
      source = DnsDiscovery.builder().server(proxy.address()).name("a.mesh.test")
          .minRefresh(Duration.ofMillis(50)).maxRefresh(Duration.ofMillis(200)).timeout(Duration.ofMillis(500)).build();
      RecordingListener listener = new RecordingListener();
      source.watch("orders", listener);
      await().atMost(AWAIT).until(() -> listener.last() != null);

      proxy.garble(true);
      await().atMost(AWAIT).until(() -> !listener.errors.isEmpty());
      assertThat(listener.lastError()).hasMessageStartingWith("A query for a.mesh.test. to 127.0.0.1:");
      assertThat(listener.sets).as("nothing dropped").containsExactly(EndpointSet.of(Endpoint.of("10.0.1.1", 80)));

      proxy.garble(false);
      await().atMost(AWAIT).until(() -> listener.sets.size() == 2);
    }
  }

  @Test
  void aNameThatDoesNotExistIsAnErrorNotAnEmptySet() {
    source = fast(DnsDiscovery.builder().name("missing.mesh.test"));
    RecordingListener listener = new RecordingListener();
    source.watch("orders", listener);
    await().atMost(AWAIT).until(() -> !listener.errors.isEmpty());
    assertThat(listener.lastError()).hasMessage(dns.authority() + " does not know missing.mesh.test. (NXDOMAIN)");
    assertThat(listener.sets).isEmpty();
  }

  @Test
  void theNextLookupFollowsTheTtlWithinTheFloorAndTheCap() throws IOException {
    dns.serve("host-record=a.mesh.test,10.0.1.1", "local-ttl=3");
    source = DnsDiscovery.builder().server(dns.address()).name("a.mesh.test")
        .minRefresh(Duration.ofMillis(50)).maxRefresh(Duration.ofSeconds(60)).build();
    source.watch("orders", new RecordingListener());
    await().atMost(AWAIT).until(() -> Duration.ofSeconds(3).equals(source.nextRefresh("orders")));

    assertThat(DnsDiscovery.refreshAfter(0, Duration.ofSeconds(5), Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(5));
    assertThat(DnsDiscovery.refreshAfter(30, Duration.ofSeconds(5), Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(30));
    assertThat(DnsDiscovery.refreshAfter(86_400, Duration.ofSeconds(5), Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(60));
    assertThat(DnsDiscovery.refreshAfter(Long.MAX_VALUE, Duration.ofSeconds(5), Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(60));
    assertThat(List.of(1, 2, 3, 4, 10)).extracting(n -> DnsDiscovery.retryAfter(n, Duration.ofSeconds(5), Duration.ofSeconds(30)))
        .containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(30));
  }

  @Test
  void aMeshFindsTheSourcesByUriAndLooksUpEachServicesOwnName() {
    String options = "?minRefresh=50ms&maxRefresh=200ms";
    try (MeshClient mesh = MeshClient.builder()
        .discovery("dns://" + dns.authority() + "/" + options + "&port=9000")
        .service("orders.mesh.test", s -> {})
        .service("orders", s -> s.discovery("dns+srv://" + dns.authority() + "/_http._tcp.orders.mesh.test" + options))
        .initialDiscoveryTimeout(Duration.ofSeconds(10))
        .build()) {
      await().atMost(AWAIT).until(() -> endpoints(mesh, "orders.mesh.test").size() == 3 && endpoints(mesh, "orders").size() == 2);
      assertThat(endpoints(mesh, "orders.mesh.test")).extracting(Endpoint::port).containsOnly(9000);
      assertThat(endpoints(mesh, "orders")).extracting(Endpoint::port).containsExactlyInAnyOrder(8080, 8081);
    }
  }

  @Test
  void badUrisAreConfigurationErrors() {
    assertThatThrownBy(() -> MeshClient.builder().discovery("dns+srv:///_http._tcp.orders:8080").service("orders", s -> {}).build())
        .hasMessage("discovery: \"dns+srv:///_http._tcp.orders:8080\" (expected: an SRV name without a port: SRV records carry the port)");
    assertThatThrownBy(() -> MeshClient.builder().service("orders", s -> s.discovery("dns:///orders?port=0")).build())
        .hasMessage("services.orders.discovery.port: \"0\" (expected: 1..65535)");
    assertThatThrownBy(() -> MeshClient.builder().service("orders", s -> s.discovery("dns:///orders?minRefresh=1m&maxRefresh=30s")).build())
        .hasMessage("services.orders.discovery.minRefresh: PT1M (expected: at most maxRefresh (PT30S))");
    assertThatThrownBy(() -> MeshClient.builder().service("orders", s -> s.discovery("dns:///bad..name")).build())
        .hasMessage("services.orders.discovery.name: \"bad..name\" (expected: a DNS name such as orders.prod.svc.cluster.local)");
    assertThatThrownBy(() -> MeshClient.builder().service("orders", s -> s.discovery("dns:orders")).build())
        .hasMessage("services.orders.discovery: \"dns:orders\" (expected: dns://[server[:port]]/[name][:port], e.g. dns:///orders.prod:8080)");
  }

  private DnsDiscovery fast(DnsDiscovery.Builder builder) {
    return builder.server(dns.address()).minRefresh(Duration.ofMillis(50)).maxRefresh(Duration.ofMillis(200))
        .timeout(Duration.ofMillis(500)).build();
  }

  private static EndpointSet sorted(EndpointSet set) {
    return set == null ? null : EndpointSet.of(set.endpoints().stream()
        .sorted(java.util.Comparator.comparing(Endpoint::host)).toList());
  }

  private static List<Endpoint> endpoints(MeshClient mesh, String service) {
    return mesh.snapshot().service(service).orElseThrow().endpoints().stream().map(MeshSnapshot.EndpointSnapshot::endpoint).toList();
  }
}
