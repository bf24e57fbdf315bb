package io.meshclient.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshclient.api.RetryPolicy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The decisions of the attempt loop that do not need a server. */
class MeshCallTest {
  @Test
  void onlyIdempotentMethodsAreRetriedByDefault() {
    assertThat(java.util.stream.Stream.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"))
        .allMatch(MeshCall::isIdempotent);
    assertThat(java.util.stream.Stream.of("POST", "PATCH", "CONNECT")).noneMatch(MeshCall::isIdempotent);
  }

  @Test
  void connectFailuresAreToldApartFromFailuresAfterSending() {
    assertThat(MeshCall.isConnectFailure(new ConnectException("Failed to connect"))).isTrue();
    assertThat(MeshCall.isConnectFailure(new UnknownHostException("nowhere"))).isTrue();
    assertThat(MeshCall.isConnectFailure(new SocketTimeoutException("Connect timed out"))).isTrue();
    assertThat(MeshCall.isConnectFailure(new SocketTimeoutException("Read timed out"))).isFalse();
    assertThat(MeshCall.isConnectFailure(new IOException("unexpected end of stream"))).isFalse();
  }

  @Test
  void theCallTimeoutIsTheSmallerOfTheMeshAndTheCallersWhereZeroMeansNone() {
    assertThat(MeshCall.effectiveTimeout(0, 0)).isZero();
    assertThat(MeshCall.effectiveTimeout(5, 0)).isEqualTo(5);
    assertThat(MeshCall.effectiveTimeout(0, 7)).isEqualTo(7);
    assertThat(MeshCall.effectiveTimeout(5, 7)).isEqualTo(5);
    assertThat(MeshCall.effectiveTimeout(9, 7)).isEqualTo(7);
  }

  @Test
  void backoffGrowsExponentiallyUpToItsCapWithFullJitter() {
    RetryPolicy policy = RetryPolicy.builder()
        .initialBackoff(Duration.ofMillis(10))
        .maxBackoff(Duration.ofMillis(50))
        .backoffMultiplier(2)
        .build();
    long ms = 1_000_000;
    assertThat(Backoff.delayNanos(policy, 1, 0.999999)).isBetween(9 * ms, 10 * ms);
    assertThat(Backoff.delayNanos(policy, 2, 0.999999)).isBetween(19 * ms, 20 * ms);
    assertThat(Backoff.delayNanos(policy, 3, 0.999999)).isBetween(39 * ms, 40 * ms);
    assertThat(Backoff.delayNanos(policy, 4, 0.999999)).as("capped").isBetween(49 * ms, 50 * ms);
    assertThat(Backoff.delayNanos(policy, 9, 0.5)).isEqualTo(25 * ms);
    assertThat(Backoff.delayNanos(policy, 3, 0.0)).as("full jitter reaches zero").isZero();
  }
}
