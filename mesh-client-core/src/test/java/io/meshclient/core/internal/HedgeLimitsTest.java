package io.meshclient.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshclient.api.Endpoint;
import io.meshclient.api.HedgingPolicy;
import io.meshclient.api.RetryBudgetPolicy;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.ServicePolicy;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A call sends no more hedges than {@code maxHedges} and no more attempts than {@code maxAttempts}, however its timers fall. */
class HedgeLimitsTest {
  private static final Endpoint A = Endpoint.of("10.0.0.1", 80);
  private static final Endpoint B = Endpoint.of("10.0.0.2", 80);
  private static final Endpoint C = Endpoint.of("10.0.0.3", 80);
  private static final Endpoint D = Endpoint.of("10.0.0.4", 80);

  private ScriptedMesh mesh;

  @AfterEach
  void close() {
    if (mesh != null) {
      mesh.close();
    }
  }

  private static ServicePolicy hedged(int maxHedges, int maxAttempts) {
    return ServicePolicy.builder()
        .retry(RetryPolicy.builder().maxAttempts(maxAttempts).initialBackoff(Duration.ofMillis(1)).build())
        .hedging(HedgingPolicy.builder().delay(Duration.ofMillis(100)).maxHedges(maxHedges).build())
        .build();
  }

  @Test
  void maxHedgesIsRespected() throws Throwable {
    mesh = new ScriptedMesh(hedged(1, 4), A, B, C, D);
    CompletableFuture<Integer> call = mesh.enqueue();
    mesh.exchange(1);

    mesh.timer.advanceMillis(100); // the hedge
    mesh.timer.advanceMillis(1_000); // and long after: no second one

    assertThat(mesh.heard("hedge")).isEqualTo(1);
    assertThat(mesh.heard("attempt")).isEqualTo(2);
    mesh.exchange(2).respond(200);
    assertThat(ScriptedMesh.get(call)).isEqualTo(200);
  }

  @Test
  void aRetryBeforeTheHedgeDelayLeavesNoStaleHedgeTimerBehind() throws Throwable {
    mesh = new ScriptedMesh(hedged(1, 3), A, B, C, D);
    CompletableFuture<Integer> call = mesh.enqueue();

    mesh.exchange(1).fail(new ConnectException("refused")); // fails fast: a retry after at most 1 ms
    org.awaitility.Awaitility.await().until(() -> mesh.heard("retry") == 1);
    mesh.timer.advanceMillis(1); // the retry goes out, before the first attempt's hedge delay
    mesh.exchange(2);
    mesh.timer.advanceMillis(99); // the first attempt's hedge timer would fire here
    mesh.timer.advanceMillis(1_000); // and the retry's own

    assertThat(mesh.heard("hedge")).isLessThanOrEqualTo(1);
    assertThat(mesh.heard("attempt")).isLessThanOrEqualTo(3);
    mesh.exchange(2).respond(200);
    assertThat(ScriptedMesh.get(call)).isEqualTo(200);
  }

  @Test
  void withOneEndpointNoHedgeIsSentAndNoBudgetIsSpentOnIt() throws Throwable {
    // A budget of one retry: the hedge that finds nowhere to go must leave it for the retry.
    mesh = new ScriptedMesh(hedged(1, 3).toBuilder()
        .retryBudget(RetryBudgetPolicy.builder().percent(0).minRetriesPerSecond(1).window(Duration.ofSeconds(1)).build())
        .build(), A);
    CompletableFuture<Integer> call = mesh.enqueue();
    mesh.exchange(1);

    mesh.timer.advanceMillis(100); // the hedge delay: A is the only endpoint, and it is busy with this call

    assertThat(mesh.heard("hedge")).isZero();
    assertThat(mesh.heard("attempt")).isEqualTo(1);
    mesh.exchange(1).respond(503);
    org.awaitility.Awaitility.await().until(() -> mesh.heard("retry") == 1);
    mesh.timer.advanceMillis(1);
    mesh.exchange(2).respond(200);
    assertThat(ScriptedMesh.get(call)).isEqualTo(200);
    assertThat(mesh.heard("budget_exhausted")).isZero();
  }

  @Test
  void withTwoEndpointsAHedgeGoesToTheOtherAndNoFurtherHedgeRepeatsOne() throws Throwable {
    mesh = new ScriptedMesh(hedged(2, 4), A, B);
    CompletableFuture<Integer> call = mesh.enqueue();
    mesh.exchange(1);

    mesh.timer.advanceMillis(100); // the first hedge: to the other endpoint
    mesh.exchange(2);
    mesh.timer.advanceMillis(1_000); // the second: both endpoints are busy with this call

    assertThat(mesh.heard("hedge")).isEqualTo(1);
    assertThat(mesh.exchanges).extracting(ScriptedMesh.Exchange::host).containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2");
    mesh.exchange(2).respond(200);
    assertThat(ScriptedMesh.get(call)).isEqualTo(200);
  }
}
