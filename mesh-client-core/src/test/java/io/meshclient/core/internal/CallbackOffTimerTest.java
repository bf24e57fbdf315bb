package io.meshclient.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.NoEndpointAvailableException;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.ServicePolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An outcome reached by a timer task (here a retry that finds no endpoint left) is delivered off the
 * timer thread, so a callback that blocks holds up no other call's retry. The timer's tasks run on
 * one thread named like the mesh's, which the test drives by hand.
 */
class CallbackOffTimerTest {
  private static final Endpoint A = Endpoint.of("10.0.0.1", 80);
  private static final Endpoint B = Endpoint.of("10.0.0.2", 80);

  private ScriptedMesh mesh;
  private ExecutorService timerThread;

  @BeforeEach
  void start() {
    mesh = new ScriptedMesh(ServicePolicy.builder()
        .retry(RetryPolicy.builder().maxAttempts(2).initialBackoff(Duration.ofMillis(10))
            .maxBackoff(Duration.ofMillis(10)).build())
        .build(), A, B);
    timerThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "mesh-client-timer"));
  }

  @AfterEach
  void close() {
    mesh.close();
    timerThread.shutdownNow();
  }

  /** Runs the timer's due tasks on the timer thread, as the mesh's timer would. */
  private void tick() {
    timerThread.execute(() -> mesh.timer.advanceMillis(10));
  }

  @Test
  void aCallbackBlockedOnTheOutcomeOfARetryHoldsUpNoOtherCallsRetry() throws Throwable {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> firstThread = new CompletableFuture<>();
    CompletableFuture<IOException> firstFailure = new CompletableFuture<>();
    mesh.client().newCall(new Request.Builder().url("http://orders/").build()).enqueue(new Callback() {
      @Override
      public void onResponse(Call call, Response response) {
        response.close();
        firstFailure.completeExceptionally(new AssertionError("answered " + response.code()));
      }

      @Override
      public void onFailure(Call call, IOException e) {
        firstThread.complete(Thread.currentThread().getName());
        entered.countDown();
        try {
          release.await(5, TimeUnit.SECONDS); // a slow application callback
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
        firstFailure.complete(e);
      }
    });
    mesh.exchange(1).respond(503);
    await().until(() -> mesh.heard("retry") == 1);
    mesh.cluster().onEndpoints(EndpointSet.of()); // the retry finds nowhere to go: that ends the call
    tick();
    assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(ScriptedMesh.get(firstThread)).as("the callback's thread").isNotEqualTo("mesh-client-timer");

    // While that callback is still blocked, another call's retry goes out on the same timer.
    mesh.cluster().onEndpoints(EndpointSet.of(A, B));
    CompletableFuture<Integer> second = mesh.enqueue();
    mesh.exchange(2).respond(503);
    await().until(() -> mesh.heard("retry") == 2);
    tick();
    mesh.exchange(3).respond(200);
    assertThat(ScriptedMesh.get(second)).isEqualTo(200);
    assertThat(firstFailure).isNotDone();

    release.countDown();
    assertThat(ScriptedMesh.get(firstFailure)).isInstanceOf(NoEndpointAvailableException.class);
  }
}
