package io.meshclient.core;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.meshclient.core.Backends.endpoint;
import static io.meshclient.core.Backends.requests;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.meshclient.api.RetryBudgetPolicy;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.RetryRule;
import io.meshclient.api.TimeoutPolicy;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Which failures are retried, for which requests, and how the budget and Retry-After bound it. */
class RetryRulesTest {
  @RegisterExtension final Backends backends = new Backends();
  private MeshClient mesh;

  @AfterEach
  void close() {
    if (mesh != null) {
      mesh.close();
    }
  }

  private OkHttpClient client(WireMockServer first, WireMockServer second, RetryPolicy retry) {
    mesh = MeshClient.builder()
        .service("orders", s -> s.endpoints(endpoint(first), endpoint(second)).loadBalancer("round_robin")
            .retry(retry.toBuilder().initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build()))
        .build();
    return mesh.httpClient();
  }

  private static Request post(String url, String idempotencyKey) {
    Request.Builder b = new Request.Builder().url(url).post(RequestBody.create("{}", MediaType.get("application/json")));
    if (idempotencyKey != null) {
      b.header("Idempotency-Key", idempotencyKey);
    }
    return b.build();
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void aPostWithAnIdempotencyKeyIsRetriedAndOneWithoutIsNot(Calls calls) throws Exception {
    WireMockServer busy = backends.start(aResponse().withStatus(503));
    mesh = MeshClient.builder()
        .service("orders", s -> s.endpoints(endpoint(busy))
            .retry(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build()))
        .build();

    assertThat(calls.run(mesh.httpClient(), post("http://orders/orders", null)).status()).isEqualTo(503);
    assertThat(requests(busy)).as("a POST without a key is sent once").isEqualTo(1);
    assertThat(calls.run(mesh.httpClient(), post("http://orders/orders", "order-42")).status()).isEqualTo(503);
    assertThat(requests(busy)).as("with a key the server deduplicates: retried up to maxAttempts").isEqualTo(4);
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void aOneShotBodyIsNeverSentTwice(Calls calls) throws Exception {
    WireMockServer busy = backends.start(aResponse().withStatus(503));
    mesh = MeshClient.builder()
        .service("orders", s -> s.endpoints(endpoint(busy))
            .retry(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build()))
        .build();
    RequestBody oneShot = new RequestBody() {
      @Override
      public MediaType contentType() {
        return MediaType.get("text/plain");
      }

      @Override
      public void writeTo(okio.BufferedSink sink) throws java.io.IOException {
        sink.writeUtf8("streamed once");
      }

      @Override
      public boolean isOneShot() {
        return true;
      }
    };
    Request put = new Request.Builder().url("http://orders/orders/42").put(oneShot).build();

    assertThat(calls.run(mesh.httpClient(), put).status()).isEqualTo(503);
    assertThat(requests(busy)).as("PUT is idempotent, but its body cannot be replayed").isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void serverErrorsAreRetriedOnlyWhenTheRuleSaysSo(Calls calls) throws Exception {
    WireMockServer broken = backends.start(aResponse().withStatus(500));
    WireMockServer fine = backends.ok("fine");

    OkHttpClient byDefault = client(broken, fine, RetryPolicy.ofDefaults());
    int fiveHundreds = 0;
    for (int i = 0; i < 4; i++) {
      fiveHundreds += calls.get(byDefault, "http://orders/").status() == 500 ? 1 : 0;
    }
    assertThat(fiveHundreds).as("500 is not a gateway error: not retried by default").isEqualTo(2);
    mesh.close();

    OkHttpClient with5xx = client(broken, fine, RetryPolicy.builder().retryOn(RetryRule.serverErrors()).build());
    for (int i = 0; i < 4; i++) {
      assertThat(calls.get(with5xx, "http://orders/").status()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void aPredicateOfTheUsersOwnDecides(Calls calls) throws Exception {
    WireMockServer conflicted = backends.start(aResponse().withStatus(409).withHeader("x-retry", "yes"));
    WireMockServer fine = backends.ok("fine");
    RetryRule rule = RetryRule.gatewayErrors().or(RetryRule.when(o -> o.statusCode() == 409 && "yes".equals(o.header("x-retry"))));
    OkHttpClient client = client(conflicted, fine, RetryPolicy.builder().retryOn(rule).build());

    for (int i = 0; i < 4; i++) {
      assertThat(calls.get(client, "http://orders/").status()).isEqualTo(200);
    }
    assertThat(requests(conflicted)).isPositive();
    assertThat(requests(fine)).isEqualTo(4);
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void anExceptionTypeRuleRetriesThatFailureOnly(Calls calls) throws Exception {
    WireMockServer dropping = backends.start(aResponse().withFault(
        com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER));
    WireMockServer fine = backends.ok("fine");

    OkHttpClient onlyConnect = client(dropping, fine, RetryPolicy.builder().retryOn(RetryRule.connectFailure()).build());
    int failed = 0;
    for (int i = 0; i < 4; i++) {
      try {
        calls.get(onlyConnect, "http://orders/");
      } catch (java.io.IOException e) {
        failed++;
      }
    }
    assertThat(failed).as("a reset after sending is not a connect failure").isEqualTo(2);
    mesh.close();

    OkHttpClient onIo = client(dropping, fine,
        RetryPolicy.builder().retryOn(RetryRule.exceptions(java.net.SocketException.class)).build());
    for (int i = 0; i < 4; i++) {
      assertThat(calls.get(onIo, "http://orders/").status()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void aRetryAfterLongerThanTheDeadlineEndsTheCallWithTheAnswerAtOnce(Calls calls) throws Exception {
    WireMockServer busy = backends.start(aResponse().withStatus(503).withHeader("Retry-After", "30"));
    mesh = MeshClient.builder()
        .service("orders", s -> s.endpoints(endpoint(busy))
            .timeouts(TimeoutPolicy.builder().timeout(Duration.ofSeconds(5)).build()))
        .build();

    assertThat(calls.get(mesh.httpClient(), "http://orders/").status()).isEqualTo(503);
    assertThat(requests(busy)).as("waiting 30 s would pass the 5 s deadline: no retry").isEqualTo(1);
    // That the answer comes at once, with no wait on the timer, RetryAfterAndBudgetTest shows on a manual timer.
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void aRetryAfterOfZeroIsRetriedAtOnce(Calls calls) throws Exception {
    WireMockServer busy = backends.start(aResponse().withStatus(503).withHeader("Retry-After", "0"));
    WireMockServer fine = backends.ok("fine");
    OkHttpClient client = client(busy, fine, RetryPolicy.ofDefaults());
    for (int i = 0; i < 2; i++) {
      assertThat(calls.get(client, "http://orders/").status()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void aSpentBudgetSendsTheOriginalFailureBack(Calls calls) throws Exception {
    WireMockServer busy = backends.start(aResponse().withStatus(503));
    mesh = MeshClient.builder()
        .service("orders", s -> s.endpoints(endpoint(busy))
            .retry(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build())
            .retryBudget(RetryBudgetPolicy.builder().percent(0).minRetriesPerSecond(0).build()))
        .build();

    for (int i = 0; i < 5; i++) {
      assertThat(calls.get(mesh.httpClient(), "http://orders/").status()).isEqualTo(503);
    }
    assertThat(requests(busy)).as("no budget: not one retry").isEqualTo(5);
    assertThat(mesh.snapshot().services().get(0).retriesOverBudget()).isEqualTo(5);
  }
}
