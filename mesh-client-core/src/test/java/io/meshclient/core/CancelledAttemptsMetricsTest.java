package io.meshclient.core;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.meshclient.core.Backends.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.meshclient.api.HedgingPolicy;
import io.meshclient.core.metrics.MeshMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Attempts the mesh cancelled itself are counted as CANCELLED, not as I/O errors. */
class CancelledAttemptsMetricsTest {
  @RegisterExtension final Backends backends = new Backends();

  private static double attempts(SimpleMeterRegistry registry, String outcome) {
    Counter c = registry.find("mesh.client.attempts").tags("service", "orders", "outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aHedgeRacesLoserIsCancelledNotAnIoError() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    WireMockServer slow = backends.start(aResponse().withStatus(200).withBody("slow").withFixedDelay(5_000));
    WireMockServer fast = backends.ok("fast");
    try (MeshClient mesh = MeshClient.builder()
        .telemetry(MeshMetrics.of(registry))
        .service("orders", s -> s.endpoints(endpoint(slow), endpoint(fast)).loadBalancer("round_robin")
            .hedging(HedgingPolicy.builder().delay(Duration.ofMillis(50)).build()))
        .build()) {
      for (int i = 0; i < 2; i++) { // the round robin sends one of the two first to the slow endpoint
        assertThat(Calls.EXECUTE.get(mesh.httpClient(), "http://orders/").body()).isEqualTo("fast");
      }

      double hedges = registry.get("mesh.client.hedges").tags("service", "orders").counter().count();
      assertThat(hedges).isPositive();
      await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(attempts(registry, "CANCELLED")).isEqualTo(hedges));
      assertThat(attempts(registry, "IO_ERROR")).isZero();
    }
  }

  @Test
  void theAttemptOfACallItsCallerCancelledIsCancelled() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    WireMockServer slow = backends.start(aResponse().withStatus(200).withFixedDelay(5_000));
    try (MeshClient mesh = MeshClient.builder()
        .telemetry(MeshMetrics.of(registry))
        .service("orders", s -> s.endpoints(endpoint(slow)))
        .build()) {
      Call call = mesh.httpClient().newCall(new Request.Builder().url("http://orders/").build());
      call.enqueue(new Callback() {
        @Override
        public void onResponse(Call c, Response response) {
          response.close();
        }

        @Override
        public void onFailure(Call c, IOException e) {}
      });
      await().atMost(Duration.ofSeconds(3)).until(() -> Backends.requests(slow) == 1);

      call.cancel();

      await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(attempts(registry, "CANCELLED")).isEqualTo(1));
      assertThat(attempts(registry, "IO_ERROR")).isZero();
    }
  }
}
