package io.meshclient.discovery;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.core.MeshClient;
import io.meshclient.core.MeshSnapshot;
import java.time.Duration;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The consul: source against WireMock serving the responses Consul documents, blocking queries included. */
class ConsulDiscoveryTest {
  private static final Duration AWAIT = Duration.ofSeconds(15);
  private static final String PATH = "/v1/health/service/orders";

  /** Consul's documented shape: an instance with its own address, tags, meta and weights. */
  static final String REDIS_A = "{\"Node\": {\"ID\": \"40e4a748-2192-161a-0510-9bf59fe950b5\", \"Node\": \"foobar\","
      + " \"Address\": \"10.1.10.12\", \"Datacenter\": \"dc1\", \"TaggedAddresses\": {\"lan\": \"10.1.10.12\"},"
      + " \"Meta\": {\"instance_type\": \"t2.medium\", \"zone\": \"eu-west-1a\"}},"
      + " \"Service\": {\"ID\": \"orders-1\", \"Service\": \"orders\", \"Tags\": [\"primary\", \"version=v2\"],"
      + " \"Address\": \"10.1.10.13\", \"Meta\": {\"redis_version\": \"4.0\"}, \"Port\": 8000,"
      + " \"Weights\": {\"Passing\": 10, \"Warning\": 1}, \"Namespace\": \"default\"},"
      + " \"Checks\": [{\"Node\": \"foobar\", \"CheckID\": \"service:orders-1\", \"Name\": \"Service 'orders' check\","
      + " \"Status\": \"passing\", \"ServiceID\": \"orders-1\", \"ServiceName\": \"orders\"},"
      + " {\"Node\": \"foobar\", \"CheckID\": \"serfHealth\", \"Name\": \"Serf Health Status\", \"Status\": \"passing\"}]}";
  /** An instance without a service address: the node's address is used. */
  static final String REDIS_B = "{\"Node\": {\"Node\": \"baz\", \"Address\": \"10.1.10.20\"},"
      + " \"Service\": {\"ID\": \"orders-2\", \"Service\": \"orders\", \"Tags\": [], \"Address\": \"\", \"Port\": 8001},"
      + " \"Checks\": []}";

  static final Endpoint A = Endpoint.builder("10.1.10.13", 8000).id("foobar/orders-1").zone("eu-west-1a").weight(10)
      .label("redis_version", "4.0").label("primary", "").label("version", "v2").build();
  static final Endpoint B = Endpoint.builder("10.1.10.20", 8001).id("baz/orders-2").build();

  private final WireMockServer consul = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
  private ConsulDiscovery source;

  @BeforeEach
  void start() {
    consul.start();
  }

  @AfterEach
  void stop() {
    if (source != null) {
      source.close();
    }
    consul.stop();
  }

  @Test
  void readsTheDocumentedShapeThenBlocksOnTheIndexForChanges() {
    step(Scenario.STARTED, absent(), "10", "[" + REDIS_A + "," + REDIS_B + "]", 0, "changed");
    step("changed", equalTo("10"), "11", "[" + REDIS_A + "]", 300, "quiet");
    step("quiet", equalTo("11"), "11", "[" + REDIS_A + "]", 1_500, "quiet");
    source = fast(ConsulDiscovery.builder(agent()).waitTime(Duration.ofSeconds(30)));
    RecordingListener listener = new RecordingListener();
    source.watch("orders", listener);

    await().atMost(AWAIT).until(() -> listener.sets.size() == 2);
    assertThat(listener.sets).containsExactly(EndpointSet.of(A, B), EndpointSet.of(A));
    consul.verify(getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("passing", absentOrEmpty())
        .withQueryParam("index", equalTo("10")).withQueryParam("wait", equalTo("30s")));
    assertThat(listener.errors).isEmpty();
  }

  @Test
  void anIndexThatGoesBackwardsStartsAgainFromZeroAndZeroIsTakenAsOne() {
    step(Scenario.STARTED, absent(), "10", "[" + REDIS_A + "]", 0, "restored");
    step("restored", equalTo("10"), "5", "[" + REDIS_A + "]", 0, "fresh");
    step("fresh", absent(), "0", "[" + REDIS_B + "]", 0, "sane");
    step("sane", equalTo("1"), "12", "[" + REDIS_A + "," + REDIS_B + "]", 0, "done");
    step("done", equalTo("12"), "12", "[" + REDIS_A + "," + REDIS_B + "]", 1_500, "done");
    source = fast(ConsulDiscovery.builder(agent()));
    RecordingListener listener = new RecordingListener();
    source.watch("orders", listener);

    await().atMost(AWAIT).until(() -> EndpointSet.of(A, B).equals(listener.last()));
    assertThat(listener.sets).containsExactly(EndpointSet.of(A), EndpointSet.of(B), EndpointSet.of(A, B));
    assertThat(listener.errors).as("every query matched a step: the index followed the rules").isEmpty();
  }

  @Test
  void anOutageKeepsTheLastGoodSetAndTheQueryIsRetried() {
    step(Scenario.STARTED, absent(), "10", "[" + REDIS_A + "]", 0, "down");
    consul.stubFor(get(urlPathEqualTo(PATH)).inScenario("consul").whenScenarioStateIs("down")
        .willReturn(aResponse().withStatus(403).withBody("ACL not found")).willSetStateTo("erroring"));
    consul.stubFor(get(urlPathEqualTo(PATH)).inScenario("consul").whenScenarioStateIs("erroring")
        .willReturn(aResponse().withStatus(500).withBody("No cluster leader")).willSetStateTo("back"));
    step("back", equalTo("10"), "13", "[" + REDIS_A + "," + REDIS_B + "]", 0, "idle");
    step("idle", equalTo("13"), "13", "[" + REDIS_A + "," + REDIS_B + "]", 1_500, "idle");
    source = fast(ConsulDiscovery.builder(agent()));
    RecordingListener listener = new RecordingListener();
    source.watch("orders", listener);

    await().atMost(AWAIT).until(() -> EndpointSet.of(A, B).equals(listener.last()));
    assertThat(listener.errors).hasSize(2);
    assertThat(listener.errors.get(0)).hasMessage("Consul at http://127.0.0.1:" + consul.port()
        + "/ answered HTTP 403 for service 'orders': ACL not found");
    assertThat(listener.errors.get(1)).hasMessage("Consul at http://127.0.0.1:" + consul.port()
        + "/ answered HTTP 500 for service 'orders': No cluster leader");
    assertThat(listener.sets).as("nothing dropped while failing").containsExactly(EndpointSet.of(A), EndpointSet.of(A, B));
  }

  @Test
  void anAgentThatCannotBeReachedIsAFailureNotAnEmptySet() throws java.io.IOException {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    source = fast(ConsulDiscovery.builder(HttpUrl.get("http://127.0.0.1:" + closedPort + "/")));
    RecordingListener listener = new RecordingListener();
    source.watch("orders", listener);

    await().atMost(AWAIT).until(() -> listener.errors.size() >= 2);
    assertThat(listener.lastError()).hasMessageStartingWith("Consul at http://127.0.0.1:" + closedPort + "/ unreachable: ");
    assertThat(listener.sets).isEmpty();
  }

  @Test
  void aMalformedAnswerIsAnErrorAndChangesNothing() {
    step(Scenario.STARTED, absent(), "10", "[" + REDIS_A + "]", 0, "broken");
    step("broken", equalTo("10"), "11", "[" + REDIS_B.replace("8001", "0") + "]", 0, "not json");
    step("not json", equalTo("10"), "12", "{\"oops\": true}", 0, "fixed");
    step("fixed", equalTo("10"), "14", "[" + REDIS_B + "]", 0, "idle");
    step("idle", equalTo("14"), "14", "[" + REDIS_B + "]", 1_500, "idle");
    source = fast(ConsulDiscovery.builder(agent()));
    RecordingListener listener = new RecordingListener();
    source.watch("orders", listener);

    await().atMost(AWAIT).until(() -> EndpointSet.of(B).equals(listener.last()));
    assertThat(listener.sets).containsExactly(EndpointSet.of(A), EndpointSet.of(B));
    String prefix = "malformed answer from Consul at http://127.0.0.1:" + consul.port() + "/ for service 'orders': ";
    assertThat(listener.errors).extracting(Throwable::getMessage).containsExactly(
        prefix + "[0].Service.Port: 0 (expected: 1..65535)",
        prefix + "(root): an object (expected: a list of health entries)");
  }

  @Test
  void sendsTheFiltersAndTokenAndMarksCriticalInstancesWhenAskedForAll() {
    String critical = REDIS_B.replace("\"Checks\": []", "\"Checks\": [{\"CheckID\": \"service:orders-2\", \"Status\": \"critical\"}]");
    consul.stubFor(get(urlPathEqualTo("/v1/health/service/orders-v2")).withQueryParam("index", absent())
        .withQueryParam("dc", equalTo("eu")).withQueryParam("tag", equalTo("blue")).withQueryParam("passing", absent())
        .withHeader("X-Consul-Token", equalTo("s3cr3t"))
        .willReturn(aResponse().withHeader("X-Consul-Index", "3").withBody("[" + critical + "]")));
    source = fast(ConsulDiscovery.builder(agent()).service("orders-v2").datacenter("eu").tag("blue").onlyPassing(false)
        .token("s3cr3t"));
    RecordingListener listener = new RecordingListener();
    source.watch("orders", listener);

    await().atMost(AWAIT).until(() -> listener.last() != null);
    assertThat(listener.last()).isEqualTo(EndpointSet.of(B.toBuilder().healthy(false).build()));
    assertThat(source.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void aMeshFindsTheSourceByUri() {
    step(Scenario.STARTED, absent(), "10", "[" + REDIS_A + "," + REDIS_B + "]", 0, "idle");
    step("idle", equalTo("10"), "10", "[" + REDIS_A + "," + REDIS_B + "]", 1_500, "idle");
    try (MeshClient mesh = MeshClient.builder()
        .discovery("consul://127.0.0.1:" + consul.port() + "?wait=10s&retryMin=50ms&retryMax=200ms")
        .service("orders", s -> {})
        .build()) {
      await().atMost(AWAIT).until(() -> mesh.snapshot().service("orders").orElseThrow().endpoints().size() == 2);
      assertThat(mesh.snapshot().service("orders").orElseThrow().endpoints())
          .extracting(MeshSnapshot.EndpointSnapshot::endpoint).containsExactly(A, B);
    }
  }

  private ConsulDiscovery fast(ConsulDiscovery.Builder builder) {
    return builder.minInterval(Duration.ZERO).retry(Duration.ofMillis(50), Duration.ofMillis(200)).build();
  }

  private HttpUrl agent() {
    return HttpUrl.get("http://127.0.0.1:" + consul.port() + "/");
  }

  /** One step of the agent's life: a query with {@code index} gets {@code body} after {@code delayMillis}. */
  private void step(String state, com.github.tomakehurst.wiremock.matching.StringValuePattern index, String newIndex,
      String body, int delayMillis, String next) {
    MappingBuilder mapping = get(urlPathEqualTo(PATH)).inScenario("consul").whenScenarioStateIs(state)
        .withQueryParam("index", index)
        .willReturn(aResponse().withHeader("X-Consul-Index", newIndex).withHeader("Content-Type", "application/json")
            .withBody(body).withFixedDelay(delayMillis))
        .willSetStateTo(next);
    consul.stubFor(mapping);
  }

  private static com.github.tomakehurst.wiremock.matching.StringValuePattern absentOrEmpty() {
    return equalTo("");
  }
}
