package io.meshclient.core;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.meshclient.core.Backends.endpoint;
import static io.meshclient.core.Backends.requests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.meshclient.api.CircuitBreakerPolicy;
import io.meshclient.api.CircuitOpenException;
import io.meshclient.api.RetryPolicy;
import java.time.Duration;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The per-endpoint breaker opens, refuses without network I/O, and recovers through half-open. */
class CircuitBreakerTest {
  @RegisterExtension final Backends backends = new Backends();
  private final MutableClock clock = new MutableClock();
  private final java.util.List<String> transitions = new java.util.concurrent.CopyOnWriteArrayList<>();
  private MeshClient mesh;

  @AfterEach
  void close() {
    if (mesh != null) {
      mesh.close();
    }
  }

  private OkHttpClient client(WireMockServer... servers) {
    mesh = MeshClient.builder()
        .clock(clock)
        .eventListener(new io.meshclient.api.MeshEventListener() {
          @Override
          public void onCircuitStateChange(String service, io.meshclient.api.Endpoint endpoint, String from, String to) {
            transitions.add(service + " " + endpoint.port() + " " + from + ">" + to);
          }
        })
        .service("orders", s -> s
            .endpoints(java.util.Arrays.stream(servers).map(Backends::endpoint).toList())
            .loadBalancer("round_robin")
            .outlierDetection(io.meshclient.api.OutlierDetectionPolicy.disabled()) // the breaker alone is under test
            .retry(RetryPolicy.disabled())
            .circuitBreaker(CircuitBreakerPolicy.builder()
                .slidingWindowSize(4)
                .minimumNumberOfCalls(4)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(30))
                .permittedCallsInHalfOpenState(2)
                .build()))
        .build();
    return mesh.decorate(new OkHttpClient.Builder()).build();
  }

  private String state() {
    return mesh.snapshot().service("orders").orElseThrow().endpoints().get(0).circuitState();
  }

  @Test
  void opensAfterItsThresholdRejectsWithoutTouchingTheNetworkAndRecoversThroughHalfOpen() throws Exception {
    WireMockServer server = backends.start(aResponse().withStatus(500));
    OkHttpClient client = client(server);

    for (int i = 0; i < 4; i++) {
      assertThat(Calls.EXECUTE.get(client, "http://orders/").status()).isEqualTo(500);
    }
    assertThat(state()).isEqualTo("OPEN");

    assertThatThrownBy(() -> Calls.EXECUTE.get(client, "http://orders/"))
        .isInstanceOf(CircuitOpenException.class)
        .hasMessageContaining("circuit open for service 'orders'");
    assertThat(requests(server)).as("an open breaker costs no network I/O").isEqualTo(4);

    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
    clock.advance(Duration.ofSeconds(29));
    assertThatThrownBy(() -> Calls.EXECUTE.get(client, "http://orders/")).isInstanceOf(CircuitOpenException.class);

    clock.advance(Duration.ofSeconds(2));
    assertThat(Calls.EXECUTE.get(client, "http://orders/").status()).isEqualTo(200);
    assertThat(state()).isEqualTo("HALF_OPEN");
    assertThat(Calls.EXECUTE.get(client, "http://orders/").status()).isEqualTo(200);
    assertThat(state()).isEqualTo("CLOSED");
    assertThat(requests(server)).isEqualTo(6);
    int port = server.port();
    assertThat(transitions).containsExactly(
        "orders " + port + " CLOSED>OPEN", "orders " + port + " OPEN>HALF_OPEN", "orders " + port + " HALF_OPEN>CLOSED");
  }

  @Test
  void anOpenBreakerSendsTrafficToTheOtherEndpoints() throws Exception {
    WireMockServer failing = backends.start(aResponse().withStatus(500));
    WireMockServer healthy = backends.ok("healthy");
    OkHttpClient client = client(failing, healthy);

    for (int i = 0; i < 8; i++) {
      Calls.EXECUTE.get(client, "http://orders/");
    }
    assertThat(requests(failing)).isEqualTo(4);
    assertThat(state()).isEqualTo("OPEN");

    for (int i = 0; i < 10; i++) {
      assertThat(Calls.EXECUTE.get(client, "http://orders/").body()).isEqualTo("healthy");
    }
    assertThat(requests(failing)).isEqualTo(4);
  }

  @Test
  void aRetryThatFindsEveryBreakerOpenReportsTheEarlierFailures() throws Exception {
    io.meshclient.api.Endpoint refusing = Backends.refusing();
    try (MeshClient oneStrike = MeshClient.builder()
        .service("orders", s -> s
            .endpoints(refusing)
            .retry(RetryPolicy.builder().initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build())
            .circuitBreaker(CircuitBreakerPolicy.builder().slidingWindowSize(1).minimumNumberOfCalls(1).build()))
        .build()) {
      OkHttpClient client = oneStrike.decorate(new OkHttpClient.Builder()).build();

      assertThatThrownBy(() -> Calls.EXECUTE.get(client, "http://orders/"))
          .isInstanceOfSatisfying(CircuitOpenException.class, e -> {
            assertThat(e.openEndpoints()).isEqualTo(1);
            assertThat(e.getSuppressed()).singleElement().isInstanceOf(java.net.ConnectException.class);
          });
    }
  }
}
