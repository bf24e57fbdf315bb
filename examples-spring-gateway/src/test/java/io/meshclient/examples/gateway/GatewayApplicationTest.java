package io.meshclient.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway as it runs, against two real {@code orders} instances on free ports: only the ports
 * differ from {@code application.yaml}. The steps build on each other (the last stops an instance).
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayApplicationTest {
  private static OrdersServer first;
  private static OrdersServer second;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Value("${local.server.port}")
  int port;

  @DynamicPropertySource
  static void orders(DynamicPropertyRegistry registry) throws IOException {
    if (first == null) {
      first = OrdersServer.start(0);
      second = OrdersServer.start(0);
    }
    // A list replaces the whole list of application.yaml, so both fields of both entries are given.
    registry.add("mesh.services.orders.endpoints[0].host", () -> "127.0.0.1");
    registry.add("mesh.services.orders.endpoints[0].port", first::port);
    registry.add("mesh.services.orders.endpoints[1].host", () -> "127.0.0.1");
    registry.add("mesh.services.orders.endpoints[1].port", second::port);
  }

  @AfterAll
  static void stop() {
    first.stop();
    second.stop();
  }

  private HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Order(1)
  void callsAreSpreadOverBothInstances() throws Exception {
    int before1 = first.requests();
    int before2 = second.requests();
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> response = get("/orders/" + i);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(response.body()).path("id").asText()).isEqualTo(String.valueOf(i));
    }
    // round_robin: each instance takes about every other call (a slow first answer may be retried)
    assertThat(first.requests() - before1).isBetween(8, 14);
    assertThat(second.requests() - before2).isBetween(8, 14);
  }

  @Test
  @Order(2)
  void theTraceHeaderReachesOrders() throws Exception {
    // A trace and an order id of this call alone: earlier calls left traceparents at both instances.
    String traceId = UUID.randomUUID().toString().replace("-", "");
    String incoming = "00-" + traceId + "-00f067aa0ba902b7-01";
    String id = "trace-" + traceId;
    HttpResponse<String> response = get("/orders/" + id, "traceparent", incoming);
    assertThat(response.statusCode()).isEqualTo(200);

    int instance = JSON.readTree(response.body()).path("instance").asInt();
    OrdersServer served = instance == first.port() ? first : second;
    assertThat(served.port()).as("the instance that answered").isEqualTo(instance);
    String received = served.traceparentFor(id);
    assertThat(received).as("traceparent at orders for this call").isNotNull();
    assertThat(received).startsWith("00-" + traceId + "-"); // the same trace,
    assertThat(received).isNotEqualTo(incoming);             // a new parent span
  }

  @Test
  @Order(3)
  void theActuatorShowsTheMeshAndItsMetrics() throws Exception {
    JsonNode mesh = JSON.readTree(get("/actuator/mesh").body());
    JsonNode orders = mesh.path("services").get(0);
    assertThat(orders.path("name").asText()).isEqualTo("orders");
    assertThat(orders.path("loadBalancer").asText()).isEqualTo("round_robin");
    assertThat(orders.path("endpoints")).hasSize(2);
    assertThat(orders.path("endpoints").get(0).path("requests").asLong()).isPositive();

    JsonNode health = JSON.readTree(get("/actuator/health").body()).path("components").path("mesh");
    assertThat(health.path("status").asText()).isEqualTo("UP");

    HttpResponse<String> staleness = get("/actuator/metrics/mesh.discovery.staleness?tag=service:orders");
    assertThat(staleness.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(staleness.body()).path("measurements").get(0).path("value").asDouble()).isZero();
    HttpResponse<String> clientCalls = get("/actuator/metrics/http.client.requests?tag=client.name:orders");
    assertThat(clientCalls.statusCode()).isEqualTo(200);
  }

  @Test
  @Order(4)
  void whenAnInstanceStopsTheOtherServesEveryCall() throws Exception {
    second.stop();
    int before = first.requests();
    for (int i = 0; i < 10; i++) {
      assertThat(get("/orders/" + i).statusCode()).as("call %s", i).isEqualTo(200);
    }
    assertThat(first.requests() - before).isEqualTo(10);
    JsonNode endpoints = JSON.readTree(get("/actuator/mesh").body()).path("services").get(0).path("endpoints");
    long failures = 0;
    for (JsonNode endpoint : endpoints) {
      failures += endpoint.path("failures").asLong();
    }
    assertThat(failures).as("refused connections to the stopped instance").isPositive();
  }
}
