package io.meshclient.core;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.meshclient.api.MeshConfigException;
import io.meshclient.core.internal.admin.SnapshotJson;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The snapshot's recent decisions, and the snapshot as JSON (Jackson's and the admin server's). */
class RecentDecisionsTest {
  @RegisterExtension
  final Backends backends = new Backends();

  private final MutableClock clock = new MutableClock();

  private WireMockServer failingOnce() {
    WireMockServer server = backends.ok("ok");
    server.resetAll();
    server.stubFor(any(anyUrl()).inScenario("once").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
    server.stubFor(any(anyUrl()).inScenario("once").whenScenarioStateIs("recovered")
        .willReturn(aResponse().withStatus(200).withBody("ok")));
    return server;
  }

  @Test
  void everyRetryIsKeptAndFirstAttemptsAtMostTenASecond() throws IOException {
    WireMockServer server = failingOnce();
    try (MeshClient mesh = MeshClient.builder().clock(clock).service("orders", Backends.endpoint(server)).build()) {
      call(mesh); // 503, then a retry: two decisions
      List<MeshSnapshot.Decision> decisions = decisions(mesh);
      assertThat(decisions).extracting(MeshSnapshot.Decision::attempt).containsExactly(0, 1);
      MeshSnapshot.Decision retry = decisions.get(1);
      assertThat(retry.chosen()).isEqualTo("127.0.0.1:" + server.port());
      assertThat(retry.at()).isEqualTo(clock.instant());
      assertThat(retry.candidates()).singleElement().satisfies(c -> {
        assertThat(c.verdict()).isEqualTo("chosen");
        assertThat(c.endpoint()).isEqualTo("127.0.0.1:" + server.port());
      });

      call(mesh); // a first attempt right after the last one kept: not kept
      assertThat(decisions(mesh)).hasSize(2);
      clock.advance(Duration.ofMillis(RecentDecisions.FIRST_ATTEMPT_GAP_MILLIS));
      call(mesh);
      assertThat(decisions(mesh)).hasSize(3);
    }
  }

  @Test
  void theBufferKeepsTheNewestAndZeroKeepsNone() throws IOException {
    WireMockServer server = backends.ok("ok");
    try (MeshClient mesh = MeshClient.builder().clock(clock).recentDecisions(2)
        .service("orders", Backends.endpoint(server)).build()) {
      for (int i = 0; i < 3; i++) {
        call(mesh);
        clock.advance(Duration.ofSeconds(1));
      }
      assertThat(decisions(mesh)).extracting(MeshSnapshot.Decision::at)
          .containsExactly(clock.instant().minusSeconds(2), clock.instant().minusSeconds(1));
    }
    try (MeshClient mesh = MeshClient.builder().recentDecisions(0).service("orders", Backends.endpoint(server)).build()) {
      call(mesh);
      assertThat(decisions(mesh)).isEmpty();
    }
    assertThatThrownBy(() -> MeshClient.builder().recentDecisions(-1).service("orders", Backends.endpoint(server)).build())
        .isInstanceOf(MeshConfigException.class).hasMessageContaining("recentDecisions").hasMessageContaining("-1");
  }

  @Test
  void jacksonWritesTheSnapshotAndTheAdminServersJsonHasTheSameShape() throws IOException {
    WireMockServer server = failingOnce();
    try (MeshClient mesh = MeshClient.builder().clock(clock).service("orders", Backends.endpoint(server)).build()) {
      call(mesh);
      MeshSnapshot snapshot = mesh.snapshot();
      JsonMapper jackson = JsonMapper.builder().addModule(new JavaTimeModule()).build();
      JsonNode viaJackson = jackson.readTree(jackson.writeValueAsString(snapshot));
      JsonNode viaAdmin = jackson.readTree(SnapshotJson.write(snapshot));

      for (JsonNode json : List.of(viaJackson, viaAdmin)) {
        JsonNode service = json.get("services").get(0);
        assertThat(service.get("name").asText()).isEqualTo("orders");
        JsonNode endpoint = service.get("endpoints").get(0);
        assertThat(endpoint.get("endpoint").get("address").asText()).isEqualTo("127.0.0.1:" + server.port());
        assertThat(endpoint.get("endpoint").get("port").asInt()).isEqualTo(server.port());
        assertThat(endpoint.get("requests").asLong()).isEqualTo(2);
        assertThat(endpoint.get("circuitState").asText()).isEqualTo("CLOSED");
        assertThat(endpoint.get("ejectedFor").asDouble()).isZero();
        JsonNode decision = service.get("decisions").get(1);
        assertThat(decision.get("attempt").asInt()).isEqualTo(1);
        assertThat(decision.get("candidates").get(0).get("verdict").asText()).isEqualTo("chosen");
        assertThat(json.get("egress").get("denied").asLong()).isZero();
        assertThat(service.get("discovery").get("source").asText()).isEqualTo("static");
      }
      // The admin server's own fields have the component names Jackson uses.
      assertThat(fieldNames(viaAdmin.get("services").get(0))).isEqualTo(fieldNames(viaJackson.get("services").get(0)));
      assertThat(fieldNames(viaAdmin.get("services").get(0).get("endpoints").get(0)))
          .isEqualTo(fieldNames(viaJackson.get("services").get(0).get("endpoints").get(0)));
    }
  }

  private static java.util.Set<String> fieldNames(JsonNode node) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<MeshSnapshot.Decision> decisions(MeshClient mesh) {
    return mesh.snapshot().service("orders").orElseThrow().decisions();
  }

  private static void call(MeshClient mesh) throws IOException {
    try (Response response = mesh.httpClient().newCall(new Request.Builder().url("http://orders/x").build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
    }
  }
}
