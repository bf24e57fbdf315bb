package io.meshclient.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.meshclient.api.BulkheadPolicy;
import io.meshclient.api.Endpoint;
import io.meshclient.api.HedgingPolicy;
import io.meshclient.api.MeshException;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.RetryRule;
import io.meshclient.api.ServicePolicy;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A retry rule that throws ends the call with a clear failure and leaves nothing behind. */
class RetryRuleFailureTest {
  private ScriptedMesh mesh;

  @AfterEach
  void close() {
    if (mesh != null) {
      mesh.close();
    }
  }

  private void start(boolean failWithoutAnswer) {
    RetryRule broken = RetryRule.when(outcome -> {
      throw new IllegalStateException("rule bug");
    });
    mesh = new ScriptedMesh(ServicePolicy.builder()
        .retry(RetryPolicy.builder().retryOn(broken).build())
        .hedging(HedgingPolicy.builder().delay(Duration.ofMillis(100)).build())
        .bulkhead(BulkheadPolicy.of(1))
        .build(), Endpoint.of("10.0.0.1", 80), Endpoint.of("10.0.0.2", 80));
    mesh.answer(r -> failWithoutAnswer ? new ConnectException("refused") : mesh.response(r, 503));
  }

  private Throwable execute() {
    return catchThrowable(() -> {
      try (Response r = mesh.client().newCall(new Request.Builder().url("http://orders/").build()).execute()) {
        throw new AssertionError("answered " + r.code());
      }
    });
  }

  private Throwable enqueue() {
    return catchThrowable(() -> ScriptedMesh.get(mesh.enqueue()));
  }

  private void assertEndedCleanly(Throwable failure) {
    assertThat(failure).isInstanceOf(MeshException.class)
        .hasMessageContaining("retry rule")
        .hasMessageContaining("service 'orders'")
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(((MeshException) failure).service()).isEqualTo("orders");
    assertThat(mesh.bodies).allSatisfy(b -> assertThat(b.closed).isTrue());
    assertThat(mesh.timer.pending()).as("no hedge timer left armed").isZero();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void executeEndsWithTheRulesFailure(boolean failWithoutAnswer) {
    start(failWithoutAnswer);
    assertEndedCleanly(execute());
    // The bulkhead's one permit came back: the next call is admitted (and meets the same rule).
    assertEndedCleanly(execute());
    assertThat(mesh.exchanges).hasSize(2);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void enqueueHearsTheRulesFailure(boolean failWithoutAnswer) {
    start(failWithoutAnswer);
    assertEndedCleanly(enqueue());
    assertEndedCleanly(enqueue());
    assertThat(mesh.exchanges).hasSize(2);
  }
}
