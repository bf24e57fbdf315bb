package io.meshclient.core;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.meshclient.core.Backends.endpoint;
import static io.meshclient.core.Backends.requests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.meshclient.api.AdaptiveConcurrencyPolicy;
import io.meshclient.api.BulkheadFullException;
import io.meshclient.api.CircuitBreakerPolicy;
import io.meshclient.api.ConcurrencyLimitException;
import io.meshclient.api.RateLimitPolicy;
import io.meshclient.api.RateLimitedException;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.ServiceCircuitOpenException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Admission before any network I/O: rate limit, bulkhead, service breaker, adaptive concurrency limits. */
class AdmissionTest {
  @RegisterExtension final Backends backends = new Backends();
  private final MutableClock clock = new MutableClock();
  private MeshClient mesh;

  @AfterEach
  void close() {
    if (mesh != null) {
      mesh.close();
    }
  }

  /** Starts a call that hangs on {@code slow}; returns the future of its outcome. */
  private CompletableFuture<Integer> hang(Request request) {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    mesh.httpClient().newCall(request).enqueue(new Callback() {
      @Override
      public void onResponse(Call call, Response response) {
        try (response) {
          done.complete(response.code());
        }
      }

      @Override
      public void onFailure(Call call, IOException e) {
        done.completeExceptionally(e);
      }
    });
    return done;
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void theRateLimitRefusesTheCallBeyondItWithoutSendingIt(Calls calls) throws Exception {
    WireMockServer server = backends.ok("ok");
    mesh = MeshClient.builder()
        .service("orders", s -> s.endpoints(endpoint(server)).rateLimit(RateLimitPolicy.of(2, Duration.ofHours(1))))
        .build();

    calls.get(mesh.httpClient(), "http://orders/");
    calls.get(mesh.httpClient(), "http://orders/");
    assertThatThrownBy(() -> calls.get(mesh.httpClient(), "http://orders/"))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> {
          assertThat(e.service()).isEqualTo("orders");
          assertThat(e.retryAfter()).isPositive();
        });
    assertThat(requests(server)).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void theBulkheadRefusesACallBeyondItsSizeAndAdmitsOnceOneEnds(Calls calls) throws Exception {
    WireMockServer slow = backends.start(aResponse().withStatus(200).withFixedDelay(1_000));
    mesh = MeshClient.builder()
        .service("orders", s -> s.endpoints(endpoint(slow)).bulkhead(io.meshclient.api.BulkheadPolicy.of(1)))
        .build();

    CompletableFuture<Integer> first = hang(new Request.Builder().url("http://orders/").build());
    await().atMost(Duration.ofSeconds(5)).until(() -> requests(slow) == 1);
    assertThatThrownBy(() -> calls.get(mesh.httpClient(), "http://orders/"))
        .isInstanceOfSatisfying(BulkheadFullException.class, e -> assertThat(e.maxConcurrentCalls()).isEqualTo(1));
    assertThat(requests(slow)).isEqualTo(1);

    assertThat(first.get()).isEqualTo(200);
    assertThat(calls.get(mesh.httpClient(), "http://orders/").status()).isEqualTo(200); // the permit came back
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void theServiceBreakerOpensOnFailedCallsWhateverTheEndpoint(Calls calls) throws Exception {
    WireMockServer a = backends.start(aResponse().withStatus(500));
    WireMockServer b = backends.start(aResponse().withStatus(500));
    mesh = MeshClient.builder()
        .clock(clock)
        .service("orders", s -> s.endpoints(endpoint(a), endpoint(b))
            .retry(RetryPolicy.disabled())
            .circuitBreaker(CircuitBreakerPolicy.disabled())
            .serviceCircuitBreaker(CircuitBreakerPolicy.builder().slidingWindowSize(4).minimumNumberOfCalls(4)
                .failureRateThreshold(50).waitDurationInOpenState(Duration.ofSeconds(30)).build()))
        .build();

    for (int i = 0; i < 4; i++) {
      assertThat(calls.get(mesh.httpClient(), "http://orders/").status()).isEqualTo(500);
    }
    assertThatThrownBy(() -> calls.get(mesh.httpClient(), "http://orders/"))
        .isInstanceOfSatisfying(ServiceCircuitOpenException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(30)));
    assertThat(requests(a) + requests(b)).isEqualTo(4);
    assertThat(mesh.snapshot().services().get(0).serviceCircuitState()).isEqualTo("OPEN");

    clock.advance(Duration.ofSeconds(31)); // half-open: a trial call goes through
    assertThat(calls.get(mesh.httpClient(), "http://orders/").status()).isEqualTo(500);
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void anEndpointAtItsConcurrencyLimitIsPassedOverAndAllFullRefuses(Calls calls) throws Exception {
    WireMockServer slow = backends.start(aResponse().withStatus(200).withBody("slow").withFixedDelay(1_000));
    WireMockServer other = backends.start(aResponse().withStatus(200).withBody("other").withFixedDelay(1_000));
    mesh = MeshClient.builder()
        .service("orders", s -> s.endpoints(endpoint(slow), endpoint(other))
            .adaptiveConcurrency(AdaptiveConcurrencyPolicy.builder().initialLimit(1).minLimit(1).maxLimit(1).build()))
        .build();
    Request request = new Request.Builder().url("http://orders/").build();

    CompletableFuture<Integer> first = hang(request);
    CompletableFuture<Integer> second = hang(request);
    // Each endpoint has room for one: the second call went to the other endpoint, not behind the first.
    await().atMost(Duration.ofSeconds(5)).until(() -> requests(slow) == 1 && requests(other) == 1);
    assertThatThrownBy(() -> calls.get(mesh.httpClient(), "http://orders/"))
        .isInstanceOfSatisfying(ConcurrencyLimitException.class, e -> assertThat(e.endpoints()).isEqualTo(2));
    assertThat(mesh.snapshot().services().get(0).endpoints()).allSatisfy(e -> assertThat(e.concurrencyLimit()).isEqualTo(1));
    assertThat(first.get()).isEqualTo(200);
    assertThat(second.get()).isEqualTo(200);
  }
}
