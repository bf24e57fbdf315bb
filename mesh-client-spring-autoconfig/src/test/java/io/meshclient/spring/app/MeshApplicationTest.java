package io.meshclient.spring.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/** The auto-configuration in a real application: web server, actuator, metrics. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "management.endpoints.web.exposure.include=mesh,health",
    "management.endpoint.health.show-details=always"})
class MeshApplicationTest {
  private static final WireMockServer ORDERS = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());

  @Autowired
  RestClient.Builder restClient;

  @Autowired
  OkHttpClient meshHttp;

  @Autowired
  MeterRegistry registry;

  @Value("${local.server.port}")
  int port;

  @DynamicPropertySource
  static void orders(DynamicPropertyRegistry properties) {
    if (!ORDERS.isRunning()) {
      ORDERS.start();
      ORDERS.stubFor(get(urlEqualTo("/orders/7")).willReturn(aResponse().withStatus(200).withBody("order 7")));
    }
    properties.add("mesh.services.orders.endpoints[0].host", () -> "127.0.0.1");
    properties.add("mesh.services.orders.endpoints[0].port", ORDERS::port);
  }

  @AfterAll
  static void stop() {
    ORDERS.stop();
  }

  @Test
  void theApplicationCallsThroughTheMeshAndShowsItInTheActuator() throws IOException {
    assertThat(restClient.build().get().uri("http://orders/orders/7").retrieve().body(String.class)).isEqualTo("order 7");

    String mesh = actuator("/actuator/mesh");
    assertThat(mesh).contains("\"name\":\"orders\"").contains("\"requests\":1");
    JsonNode health = new ObjectMapper().readTree(actuator("/actuator/health")).path("components").path("mesh");
    assertThat(health.path("status").asText()).isEqualTo("UP");
    assertThat(health.path("details").path("orders").path("healthyEndpoints").asInt()).isEqualTo(1);
    assertThat(registry.get("mesh.discovery.failing").tag("service", "orders").gauge().value()).isZero();
  }

  private String actuator(String path) throws IOException {
    // Not a mesh service: the mesh's client passes the call through untouched.
    try (Response response = meshHttp.newCall(new Request.Builder().url("http://127.0.0.1:" + port + path).build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
      return response.body().string();
    }
  }
}
