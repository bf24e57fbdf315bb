package io.meshclient.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every failure the mesh reports is an IOException that names the service and the reason. */
class MeshExceptionTest {
  @Test
  void everyMeshFailureIsAnIoExceptionThatNamesItsService() {
    List<MeshException> all = List.of(
        new NoEndpointAvailableException("orders", "discovery reports no endpoints"),
        new CircuitOpenException("orders", 3),
        new DeadlineExceededException("orders", Duration.ofMillis(250), 2, new ConnectException("refused")),
        new RetriesExhaustedException("orders", 3, new ConnectException("refused")),
        new AccessDeniedException("orders", "default-deny"),
        new RateLimitedException("orders", Duration.ofMillis(40)));

    assertThat(all).allSatisfy(e -> {
      assertThat(e).isInstanceOf(IOException.class);
      assertThat(e.service()).isEqualTo("orders");
      assertThat(e.getMessage()).contains("'orders'");
    });
    assertThat(all).extracting(Throwable::getMessage).containsExactly(
        "no endpoint available for service 'orders': discovery reports no endpoints",
        "circuit open for service 'orders': the breakers of all 3 usable endpoint(s) are open",
        "deadline of 250 ms exceeded for service 'orders' after 2 attempt(s)",
        "all 3 attempt(s) to service 'orders' failed; last: java.net.ConnectException: refused",
        "access to service 'orders' denied by rule 'default-deny'",
        "call to service 'orders' refused by its rate limit; retry after 40 ms");
  }

  @Test
  void anOpenCircuitIsAKindOfNoEndpointAvailable() {
    assertThat(new CircuitOpenException("orders", 1)).isInstanceOf(NoEndpointAvailableException.class);
  }
}
