package io.meshclient.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.NoEndpointAvailableException;
import io.meshclient.api.TimeoutPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Calls made before discovery's first answer wait for it, within the initial window and the call's deadline. */
class FirstAnswerWaitTest {
  @RegisterExtension
  final Backends backends = new Backends();

  private final ControlledSource source = new ControlledSource();
  private final ExecutorService callers = Executors.newSingleThreadExecutor();
  private MeshClient mesh;

  @AfterEach
  void tearDown() {
    callers.shutdownNow();
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  void theFirstCallWaitsForTheFirstAnswerAndIsSentWhenItComes() throws Exception {
    WireMockServer backend = backends.ok("a");
    mesh = MeshClient.builder().discovery(source).initialDiscoveryTimeout(Duration.ofMinutes(1))
        .service("orders", s -> {}).build();

    AtomicReference<Thread> caller = new AtomicReference<>();
    Future<Calls.Result> call = callers.submit(() -> {
      caller.set(Thread.currentThread());
      return Calls.EXECUTE.get(mesh.httpClient(), "http://orders/");
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> isWaitingForDiscovery(caller.get()));
    assertThat(call).isNotDone();

    source.push(EndpointSet.of(Backends.endpoint(backend)));

    assertThat(call.get(10, TimeUnit.SECONDS).body()).isEqualTo("a");
  }

  @Test
  void withoutAnAnswerInTheWindowTheCallFailsNamingServiceAndSource() {
    mesh = MeshClient.builder().discovery(source).initialDiscoveryTimeout(Duration.ofMillis(50))
        .service("orders", s -> {}).build();
    source.fail(new IOException("registry unreachable"));

    assertThatThrownBy(() -> Calls.EXECUTE.get(mesh.httpClient(), "http://orders/"))
        .isInstanceOf(NoEndpointAvailableException.class)
        .hasMessage("no endpoint available for service 'orders': discovery source 'controlled' has not answered "
            + "within 50 ms of the mesh starting; last error: java.io.IOException: registry unreachable")
        .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage).containsExactly("registry unreachable"));
  }

  @Test
  void aZeroWindowFailsAtOnceAndTheServiceWorksOnceTheSourceAnswers() throws IOException {
    WireMockServer backend = backends.ok("a");
    mesh = MeshClient.builder().discovery(source).initialDiscoveryTimeout(Duration.ZERO)
        .service("orders", s -> {}).build();

    assertThatThrownBy(() -> Calls.EXECUTE.get(mesh.httpClient(), "http://orders/"))
        .hasMessage("no endpoint available for service 'orders': discovery source 'controlled' has not answered "
            + "within 0 ms of the mesh starting");

    source.push(EndpointSet.of(Backends.endpoint(backend)));
    assertThat(Calls.EXECUTE.get(mesh.httpClient(), "http://orders/").body()).isEqualTo("a");
  }

  @Test
  void theWaitNeverOutlastsTheCallsDeadline() {
    mesh = MeshClient.builder().discovery(source).initialDiscoveryTimeout(Duration.ofHours(1))
        .service("orders", s -> s.timeouts(TimeoutPolicy.builder().timeout(Duration.ofMillis(50)).build()))
        .build();

    assertThatThrownBy(() -> Calls.ENQUEUE.get(mesh.httpClient(), "http://orders/"))
        .isInstanceOf(NoEndpointAvailableException.class)
        .hasMessage("no endpoint available for service 'orders': discovery source 'controlled' has not answered "
            + "before the call's deadline");
  }

  @Test
  void aSourceThatAnsweredWithNoEndpointsFailsWithoutWaiting() {
    mesh = MeshClient.builder().discovery(source).initialDiscoveryTimeout(Duration.ofHours(1))
        .service("orders", s -> {}).build();
    source.push(EndpointSet.empty());

    assertThatThrownBy(() -> Calls.EXECUTE.get(mesh.httpClient(), "http://orders/"))
        .hasMessage("no endpoint available for service 'orders': discovery source 'controlled' reports no endpoints");
  }

  private static boolean isWaitingForDiscovery(Thread thread) {
    return thread != null && thread.getState() == Thread.State.TIMED_WAITING
        && Arrays.stream(thread.getStackTrace()).anyMatch(f -> f.getMethodName().equals("awaitFirstAnswer"));
  }
}
