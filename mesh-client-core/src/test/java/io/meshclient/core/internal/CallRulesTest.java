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
class CallRulesTest {
  @Test
  void onlyIdempotentMethodsAreRetriedByDefault() {
    assertThat(java.util.stream.Stream.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"))
        .allMatch(CallRules::isIdempotent);
    assertThat(java.util.stream.Stream.of("POST", "PATCH", "CONNECT")).noneMatch(CallRules::isIdempotent);
  }

  @Test
  void retryAfterIsReadInSecondsOrAsADateOnlyFrom429And503() {
    assertThat(CallRules.retryAfterNanos(response(429, "7"))).isEqualTo(7_000_000_000L);
    assertThat(CallRules.retryAfterNanos(response(503, " 2 "))).isEqualTo(2_000_000_000L);
    String inOneMinute = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
        .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusMinutes(1));
    assertThat(CallRules.retryAfterNanos(response(503, inOneMinute))).isBetween(55_000_000_000L, 60_000_000_000L);
    assertThat(CallRules.retryAfterNanos(response(503, "Wed, 21 Oct 2015 07:28:00 GMT"))).isZero();
    assertThat(CallRules.retryAfterNanos(response(503, null))).isEqualTo(-1);
    assertThat(CallRules.retryAfterNanos(response(429, "soon"))).isEqualTo(-1);
    assertThat(CallRules.retryAfterNanos(response(500, "7"))).as("only overload answers ask for less traffic").isEqualTo(-1);
  }

  private static okhttp3.Response response(int code, String retryAfter) {
    okhttp3.Response.Builder b = new okhttp3.Response.Builder()
        .request(new okhttp3.Request.Builder().url("http://orders/").build())
        .protocol(okhttp3.Protocol.HTTP_1_1).code(code).message("x");
    if (retryAfter != null) {
      b.header("Retry-After", retryAfter);
    }
    return b.build();
  }

  @Test
  void connectFailuresAreToldApartFromFailuresAfterSending() {
    assertThat(CallRules.isConnectFailure(new ConnectException("Failed to connect"))).isTrue();
    assertThat(CallRules.isConnectFailure(new UnknownHostException("nowhere"))).isTrue();
    assertThat(CallRules.isConnectFailure(new SocketTimeoutException("Connect timed out"))).isTrue();
    assertThat(CallRules.isConnectFailure(new SocketTimeoutException("Read timed out"))).isFalse();
    assertThat(CallRules.isConnectFailure(new IOException("unexpected end of stream"))).isFalse();
  }

  @Test
  void theCallTimeoutIsTheSmallerOfTheMeshAndTheCallersWhereZeroMeansNone() {
    assertThat(CallRules.effectiveTimeout(0, 0)).isZero();
    assertThat(CallRules.effectiveTimeout(5, 0)).isEqualTo(5);
    assertThat(CallRules.effectiveTimeout(0, 7)).isEqualTo(7);
    assertThat(CallRules.effectiveTimeout(5, 7)).isEqualTo(5);
    assertThat(CallRules.effectiveTimeout(9, 7)).isEqualTo(7);
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
