package io.meshclient.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshclient.api.Endpoint;
import io.meshclient.api.HedgingPolicy;
import io.meshclient.api.RetryBudgetPolicy;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.ServicePolicy;
import io.meshclient.api.TimeoutPolicy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A positive Retry-After holds the retry back that long, up to the 60 s cap; one past the deadline
 * or the cap ends the call at once with the answer; a spent retry budget sends no hedge.
 */
class RetryAfterAndBudgetTest {
  private static final Endpoint A = Endpoint.of("10.0.0.1", 80);
  private static final Endpoint B = Endpoint.of("10.0.0.2", 80);

  private ScriptedMesh mesh;

  @AfterEach
  void close() {
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  void aPositiveRetryAfterIsWaitedOutBeforeTheRetry() throws Throwable {
    mesh = new ScriptedMesh(ServicePolicy.builder()
        .retry(RetryPolicy.builder().maxAttempts(2).initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build())
        .build(), A, B);
    CompletableFuture<Integer> call = mesh.enqueue();

    mesh.exchange(1).respond(503, "Retry-After", "2");
    await().until(() -> mesh.heard("retry") == 1);
    mesh.timer.advanceMillis(1_999);

    assertThat(mesh.heard("attempt")).as("no retry before the 2 s the server asked for").isEqualTo(1);
    mesh.timer.advanceMillis(1);
    assertThat(mesh.heard("attempt")).isEqualTo(2);
    mesh.exchange(2).respond(200);
    assertThat(ScriptedMesh.get(call)).isEqualTo(200);
  }

  @Test
  void aRetryAfterPastTheDeadlineEndsTheCallAtOnceWithTheAnswer() throws Throwable {
    mesh = new ScriptedMesh(ServicePolicy.builder()
        .timeouts(TimeoutPolicy.builder().timeout(Duration.ofSeconds(5)).build())
        .retry(RetryPolicy.builder().maxAttempts(2).build())
        .build(), A, B);
    CompletableFuture<Integer> call = mesh.enqueue();

    mesh.exchange(1).respond(503, "Retry-After", "30");

    // Decided with the time standing still: nothing waits on the timer.
    assertThat(ScriptedMesh.get(call)).isEqualTo(503);
    assertThat(mesh.timer.pending()).isZero();
    assertThat(mesh.heard("retry")).isZero();
    assertThat(mesh.heard("attempt")).isEqualTo(1);
  }

  @Test
  void withNoDeadlineARetryAfterPastTheCapEndsTheCallAtOnceWithTheAnswer() throws Throwable {
    mesh = new ScriptedMesh(noDeadline(), A, B);
    CompletableFuture<Integer> call = mesh.enqueue();

    mesh.exchange(1).respond(503, "Retry-After", "3600");

    assertThat(ScriptedMesh.get(call)).as("not held an hour").isEqualTo(503);
    assertThat(mesh.timer.pending()).isZero();
    assertThat(mesh.heard("retry")).isZero();
  }

  @Test
  void withNoDeadlineARetryAfterAtTheCapIsWaitedOut() throws Throwable {
    mesh = new ScriptedMesh(noDeadline(), A, B);
    CompletableFuture<Integer> call = mesh.enqueue();

    mesh.exchange(1).respond(503, "Retry-After", "60");
    await().until(() -> mesh.heard("retry") == 1);
    mesh.timer.advanceMillis(59_999);
    assertThat(mesh.heard("attempt")).isEqualTo(1);
    mesh.timer.advanceMillis(1);
    assertThat(mesh.heard("attempt")).isEqualTo(2);
    mesh.exchange(2).respond(200);
    assertThat(ScriptedMesh.get(call)).isEqualTo(200);
  }

  private static ServicePolicy noDeadline() {
    return ServicePolicy.builder()
        .timeouts(TimeoutPolicy.builder().timeout(Duration.ZERO).build())
        .retry(RetryPolicy.builder().maxAttempts(2).initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build())
        .build();
  }

  @Test
  void aSpentBudgetSendsNoHedge() throws Throwable {
    mesh = new ScriptedMesh(ServicePolicy.builder()
        .hedging(HedgingPolicy.builder().delay(Duration.ofMillis(100)).build())
        .retryBudget(RetryBudgetPolicy.builder().percent(0).minRetriesPerSecond(0).build()) // nothing to spend
        .build(), A, B);
    CompletableFuture<Integer> call = mesh.enqueue();
    mesh.exchange(1);

    mesh.timer.advanceMillis(100);

    assertThat(mesh.heard("hedge")).isZero();
    assertThat(mesh.heard("budget_exhausted")).isEqualTo(1);
    mesh.exchange(1).respond(200);
    assertThat(ScriptedMesh.get(call)).isEqualTo(200);
  }
}
