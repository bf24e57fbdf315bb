package io.meshclient.core;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.meshclient.core.Backends.endpoint;
import static io.meshclient.core.Backends.requests;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.meshclient.api.CircuitBreakerPolicy;
import io.meshclient.api.Endpoint;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.OutlierDetectionPolicy;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.RetryRule;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.internal.http2.ConnectionShutdownException;
import okhttp3.internal.http2.ErrorCode;
import okhttp3.internal.http2.StreamResetException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link RetryRule#reset()} against real broken connections and OkHttp's own reset exceptions. */
class ResetRuleTest {
  @RegisterExtension final Backends backends = new Backends();
  private MeshClient mesh;

  @AfterEach
  void close() {
    if (mesh != null) {
      mesh.close();
    }
  }

  private static boolean reset(IOException failure) {
    return RetryRule.reset().shouldRetry(new RetryRule.Outcome() {
      @Override
      public String method() {
        return "GET";
      }

      @Override
      public int statusCode() {
        return 0;
      }

      @Override
      public @Nullable String header(String name) {
        return null;
      }

      @Override
      public IOException failure() {
        return failure;
      }

      @Override
      public boolean connectFailure() {
        return false;
      }

      @Override
      public boolean timedOut() {
        return false;
      }
    });
  }

  @Test
  void okHttpsStreamResetAndConnectionShutdownAreResets() {
    assertThat(reset(new StreamResetException(ErrorCode.CANCEL))).isTrue();
    assertThat(reset(new ConnectionShutdownException())).isTrue();
  }

  /** A peer that resets the connection, or closes it before answering, is retried on the other endpoint. */
  @ParameterizedTest
  @EnumSource(value = Fault.class, names = {"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE"})
  void aBrokenConnectionIsRetriedByTheResetRule(Fault fault) throws Exception {
    WireMockServer broken = backends.start(aResponse().withFault(fault));
    WireMockServer fine = backends.ok("fine");
    mesh = MeshClient.builder()
        .service("orders", s -> s.endpoints(endpoint(broken), endpoint(fine)).loadBalancer("round_robin")
            .retry(RetryPolicy.builder().retryOn(RetryRule.reset()).initialBackoff(Duration.ZERO)
                .maxBackoff(Duration.ZERO).build()))
        .build();

    for (int i = 0; i < 4; i++) {
      assertThat(Calls.EXECUTE.get(mesh.httpClient(), "http://orders/").status()).isEqualTo(200);
    }
    assertThat(requests(broken)).isPositive();
    assertThat(requests(fine)).isEqualTo(4);
  }

  /**
   * Connections torn down under their requests count toward the gateway-failure streak, as connect
   * failures do: a dead instance whose pooled connections break is ejected, not kept in rotation.
   */
  @Test
  void brokenConnectionsInARowEjectTheEndpoint() throws Exception {
    WireMockServer broken = backends.start(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
    WireMockServer fine = backends.ok("fine");
    List<String> ejections = new CopyOnWriteArrayList<>();
    mesh = MeshClient.builder()
        .eventListener(new MeshEventListener() {
          @Override
          public void onEjection(String service, Endpoint endpoint, String reason, Duration duration) {
            ejections.add(endpoint.port() + " " + reason);
          }
        })
        .service("orders", s -> s.endpoints(endpoint(broken), endpoint(fine)).loadBalancer("round_robin")
            .circuitBreaker(CircuitBreakerPolicy.disabled())
            .outlierDetection(OutlierDetectionPolicy.builder().consecutive5xx(0).consecutiveGatewayFailures(3).build())
            .retry(RetryPolicy.builder().retryOn(RetryRule.reset()).initialBackoff(Duration.ZERO)
                .maxBackoff(Duration.ZERO).build()))
        .build();

    for (int i = 0; i < 8; i++) {
      assertThat(Calls.EXECUTE.get(mesh.httpClient(), "http://orders/").status()).isEqualTo(200);
    }
    assertThat(ejections).containsExactly(broken.port() + " consecutive_gateway_failure");
    assertThat(requests(broken)).isEqualTo(3);
  }
}
