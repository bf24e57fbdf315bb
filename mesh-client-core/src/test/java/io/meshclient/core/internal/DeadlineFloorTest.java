package io.meshclient.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.meshclient.api.DeadlineExceededException;
import io.meshclient.api.Endpoint;
import io.meshclient.api.HedgingPolicy;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.ServicePolicy;
import io.meshclient.api.TimeoutPolicy;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A retry or a hedge is not started with less than 1 ms (CallDeadline.MIN_ATTEMPT_NANOS) left of the deadline. */
class DeadlineFloorTest {
  /** Half the documented floor of 1 ms. */
  private static final long HALF_FLOOR = TimeUnit.MICROSECONDS.toNanos(500);
  private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(10);

  private ScriptedMesh mesh;

  @AfterEach
  void close() {
    if (mesh != null) {
      mesh.close();
    }
  }

  private static ServicePolicy.Builder policy() {
    return ServicePolicy.builder()
        .timeouts(TimeoutPolicy.builder().timeout(Duration.ofNanos(TIMEOUT)).build())
        .retry(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build());
  }

  @Test
  void noRetryWithLessThanTheFloorLeft() {
    mesh = new ScriptedMesh(policy().build(), Endpoint.of("10.0.0.1", 80), Endpoint.of("10.0.0.2", 80));
    CompletableFuture<Integer> call = mesh.enqueue();
    mesh.exchange(1);
    mesh.timer.advance(TIMEOUT - HALF_FLOOR);

    mesh.exchange(1).fail(new ConnectException("refused")); // retryable, with half the floor left
    mesh.timer.advance(0); // a retry with no backoff would go now

    assertThat(catchThrowable(() -> ScriptedMesh.get(call))).isInstanceOf(DeadlineExceededException.class);
    assertThat(mesh.heard("attempt")).isEqualTo(1);
  }

  @Test
  void noHedgeWithLessThanTheFloorLeft() throws Throwable {
    mesh = new ScriptedMesh(policy().hedging(HedgingPolicy.builder().delay(Duration.ofMillis(100)).build()).build(),
        Endpoint.of("10.0.0.1", 80), Endpoint.of("10.0.0.2", 80));
    CompletableFuture<Integer> call = mesh.enqueue();
    mesh.exchange(1);

    mesh.timer.skip(TIMEOUT - HALF_FLOOR); // the hedge timer runs late, with half the floor left
    mesh.timer.advance(0);

    assertThat(mesh.heard("hedge")).isZero();
    assertThat(mesh.heard("attempt")).isEqualTo(1);
    mesh.exchange(1).respond(200);
    assertThat(ScriptedMesh.get(call)).isEqualTo(200);
  }
}
