package io.meshclient.core;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.meshclient.core.Backends.endpoint;
import static io.meshclient.core.Backends.requests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.meshclient.api.AttemptEvent;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** enqueue() holds no thread while it waits, and cancelling the caller's call cancels the attempts in flight. */
class AsyncAndCancelTest {
  @RegisterExtension final Backends backends = new Backends();
  private final List<AttemptEvent> attempts = new CopyOnWriteArrayList<>();
  private MeshClient mesh;

  @AfterEach
  void close() {
    if (mesh != null) {
      mesh.close();
    }
  }

  private MeshEventListener recorder() {
    return new MeshEventListener() {
      @Override
      public void onAttemptEnd(AttemptEvent event) {
        attempts.add(event);
      }
    };
  }

  private static CompletableFuture<Response> enqueue(Call call) {
    CompletableFuture<Response> done = new CompletableFuture<>();
    call.enqueue(new Callback() {
      @Override
      public void onResponse(Call c, Response response) {
        done.complete(response);
      }

      @Override
      public void onFailure(Call c, IOException e) {
        done.completeExceptionally(e);
      }
    });
    return done;
  }

  @Test
  void aBackoffOfAnEnqueuedCallHoldsNoThread() throws Exception {
    // The busy endpoint asks for 2 s of quiet: the retry waits at least that long.
    WireMockServer busy = backends.start(aResponse().withStatus(503).withHeader("Retry-After", "2"));
    WireMockServer fine = backends.ok("fine");
    mesh = MeshClient.builder()
        .eventListener(recorder())
        .service("orders", s -> s.endpoints(endpoint(busy), endpoint(fine)).loadBalancer("round_robin"))
        .build();

    CompletableFuture<Response> call = null;
    for (int i = 0; i < 2 && call == null; i++) { // round robin: one of the first two calls meets busy first
      CompletableFuture<Response> c = enqueue(mesh.httpClient().newCall(new Request.Builder().url("http://orders/").build()));
      await().atMost(Duration.ofSeconds(5)).until(() -> c.isDone() || attempts.stream().anyMatch(a -> a.statusCode() == 503));
      if (!c.isDone()) {
        call = c;
      } else {
        c.get().close();
      }
    }
    assertThat(call).as("a call waiting out its backoff").isNotNull();

    // While it waits, no thread is inside the mesh's call for it: the wait is a timer entry.
    Map<Thread, StackTraceElement[]> stacks = Thread.getAllStackTraces();
    assertThat(stacks.values()).noneSatisfy(stack -> assertThat(Arrays.stream(stack)
        .anyMatch(frame -> frame.getClassName().startsWith("io.meshclient.core.internal.MeshCall"))).isTrue());

    try (Response response = call.get(10, TimeUnit.SECONDS)) {
      assertThat(response.body().string()).isEqualTo("fine");
    }
  }

  /** The clients a caller may use: the mesh's own, and an app client decorated with the interceptor. */
  static Function<MeshClient, OkHttpClient> client(String kind) {
    return kind.equals("httpClient") ? MeshClient::httpClient
        : m -> m.decorate(new OkHttpClient.Builder()).build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"httpClient", "decorated"})
  void cancellingAnExecutingCallCancelsItsAttemptInFlight(String kind) throws Exception {
    WireMockServer slow = backends.start(aResponse().withStatus(200).withFixedDelay(10_000));
    mesh = MeshClient.builder().eventListener(recorder())
        .service("orders", s -> s.endpoints(endpoint(slow))).build();
    Call call = client(kind).apply(mesh).newCall(new Request.Builder().url("http://orders/").build());

    CompletableFuture<Response> outcome = CompletableFuture.supplyAsync(() -> {
      try {
        return call.execute();
      } catch (IOException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> requests(slow) == 1);
    call.cancel();

    // Ends with the cancellation, long before the 10 s answer; the attempt ended failed, not answered.
    assertThatThrownBy(() -> outcome.get(3, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IOException.class);
    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
      assertThat(attempts).singleElement().satisfies(a -> assertThat(a.failure()).isNotNull());
      assertThat(mesh.snapshot().services().get(0).endpoints().get(0).inFlight()).isZero();
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"httpClient", "decorated"})
  void cancellingAnEnqueuedCallCancelsItsAttemptInFlight(String kind) throws Exception {
    WireMockServer slow = backends.start(aResponse().withStatus(200).withFixedDelay(10_000));
    mesh = MeshClient.builder().eventListener(recorder())
        .service("orders", s -> s.endpoints(endpoint(slow))).build();
    Call call = client(kind).apply(mesh).newCall(new Request.Builder().url("http://orders/").build());

    CompletableFuture<Response> outcome = enqueue(call);
    await().atMost(Duration.ofSeconds(5)).until(() -> requests(slow) == 1);
    call.cancel();

    assertThatThrownBy(() -> outcome.get(3, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
    assertThat(call.isCanceled()).isTrue();
    await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
        assertThat(mesh.snapshot().services().get(0).endpoints().get(0).inFlight()).isZero());
  }

  @Test
  void anEnqueuedCallIsRetriedElsewhereLikeAnExecutedOne() throws Exception {
    WireMockServer busy = backends.start(aResponse().withStatus(503));
    WireMockServer fine = backends.ok("fine");
    mesh = MeshClient.builder()
        .service("orders", s -> s.endpoints(endpoint(busy), endpoint(fine))
            .retry(RetryPolicy.builder().initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build()))
        .build();
    for (int i = 0; i < 6; i++) {
      try (Response response = enqueue(mesh.httpClient().newCall(new Request.Builder().url("http://orders/").build()))
          .get(5, TimeUnit.SECONDS)) {
        assertThat(response.code()).isEqualTo(200);
      }
    }
    assertThat(requests(fine)).isEqualTo(6);
  }

  @Test
  void aCallCannotBeRunTwiceAndItsCloneCan() throws Exception {
    mesh = MeshClient.builder().service("orders", s -> s.endpoints(endpoint(backends.ok("ok")))).build();
    Call call = mesh.httpClient().newCall(new Request.Builder().url("http://orders/").build());
    call.execute().close();
    assertThat(call.isExecuted()).isTrue();
    assertThatThrownBy(call::execute).isInstanceOf(IllegalStateException.class);
    try (Response again = call.clone().execute()) {
      assertThat(again.code()).isEqualTo(200);
    }
  }
}
