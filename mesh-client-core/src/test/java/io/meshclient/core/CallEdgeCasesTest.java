package io.meshclient.core;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.meshclient.core.Backends.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.meshclient.api.AttemptEvent;
import io.meshclient.api.Endpoint;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.NoEndpointAvailableException;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.TimeoutPolicy;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What happens around the attempt loop: schemes, cancellation, the caller's timeout, listeners, discovery changes. */
class CallEdgeCasesTest {
  @RegisterExtension final Backends backends = new Backends();

  /** Every request the transport was asked to send, answered with 200 at once, no network. */
  private final List<Request> sent = new CopyOnWriteArrayList<>();
  private final OkHttpClient recordingTransport = new OkHttpClient.Builder()
      .addInterceptor(chain -> {
        sent.add(chain.request());
        return new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1).code(200).message("OK")
            .body(ResponseBody.create("ok", MediaType.get("text/plain"))).build();
      })
      .build();
  private MeshClient mesh;

  @AfterEach
  void close() {
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  void aSecureEndpointIsCalledOverHttpsAtItsOwnPort() throws Exception {
    mesh = MeshClient.builder()
        .transport(recordingTransport)
        .service("orders", s -> s.endpoints(Endpoint.builder("10.1.2.3", 8443).secure(true).build()))
        .build();

    Calls.EXECUTE.get(mesh.httpClient(), "http://orders/a/b?c=d");

    assertThat(sent).singleElement().extracting(r -> r.url().toString()).isEqualTo("https://10.1.2.3:8443/a/b?c=d");
  }

  @Test
  void aCallCancelledBeforeItRunsNeverReachesTheNetwork() {
    mesh = MeshClient.builder().transport(recordingTransport).service("orders", Endpoint.of("10.1.2.3", 80)).build();
    Call call = mesh.httpClient().newCall(new Request.Builder().url("http://orders/").build());
    call.cancel();

    assertThatThrownBy(call::execute).isInstanceOf(IOException.class).hasMessage("Canceled");
    assertThat(sent).isEmpty();
  }

  @Test
  void theCallersOwnCallTimeoutAlsoEndsTheMeshsAttempt() throws Exception {
    WireMockServer slow = backends.start(aResponse().withStatus(200).withFixedDelay(3_000));
    List<AttemptEvent> attempts = new CopyOnWriteArrayList<>();
    mesh = MeshClient.builder() // the mesh's own deadline: the default 10 s
        .eventListener(new MeshEventListener() {
          @Override
          public void onAttemptEnd(AttemptEvent event) {
            attempts.add(event);
          }
        })
        .service("orders", endpoint(slow))
        .build();
    OkHttpClient client = mesh.decorate(new OkHttpClient.Builder().callTimeout(Duration.ofMillis(300))).build();

    // OkHttp reports its own call timeout as it always does...
    assertThatThrownBy(() -> Calls.EXECUTE.get(client, "http://orders/"))
        .isInstanceOf(java.io.InterruptedIOException.class)
        .hasMessage("timeout");
    // ...and the mesh cut its attempt at the same moment (its own timeout or the cancel, whichever
    // came first) instead of waiting 3 s for the answer.
    await().atMost(Duration.ofSeconds(2)).until(() -> !attempts.isEmpty());
    assertThat(attempts).singleElement().satisfies(a -> {
      assertThat(a.statusCode()).isZero();
      assertThat(a.failure()).isInstanceOf(java.io.IOException.class);
      assertThat(a.durationNanos()).isLessThan(Duration.ofSeconds(2).toNanos());
    });
  }

  @Test
  void anAttemptCutByItsTimeoutEndsAsATimeoutAndIsRetriedAsOne() throws Exception {
    WireMockServer slow = backends.start(aResponse().withStatus(200).withFixedDelay(3_000));
    List<AttemptEvent> attempts = new CopyOnWriteArrayList<>();
    mesh = MeshClient.builder()
        .eventListener(new MeshEventListener() {
          @Override
          public void onAttemptEnd(AttemptEvent event) {
            attempts.add(event);
          }
        })
        .service("orders", s -> s.endpoints(endpoint(slow))
            .timeouts(TimeoutPolicy.builder().timeout(Duration.ofSeconds(2)).perTryTimeout(Duration.ofMillis(200)).build())
            .retry(RetryPolicy.builder().maxAttempts(2).initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build()))
        .build();

    assertThatThrownBy(() -> Calls.EXECUTE.get(mesh.httpClient(), "http://orders/")).isInstanceOf(IOException.class);

    // The mesh's timer cancelled each attempt; each reads as OkHttp's own timeout would, so the
    // default retry rule (which retries timeouts) sent the second one.
    assertThat(attempts).hasSize(2).allSatisfy(a -> {
      assertThat(a.failure()).isInstanceOf(InterruptedIOException.class).hasMessage("timeout");
      assertThat(a.durationNanos()).isLessThan(Duration.ofSeconds(2).toNanos());
    });
  }

  @Test
  void aListenerThatThrowsDoesNotChangeTheCall() throws Exception {
    MeshEventListener broken = new MeshEventListener() {
      @Override
      public void onAttemptEnd(AttemptEvent event) {
        throw new IllegalStateException("listener bug");
      }
    };
    mesh = MeshClient.builder().transport(recordingTransport).eventListener(broken).service("orders", Endpoint.of("10.1.2.3", 80)).build();

    assertThat(Calls.EXECUTE.get(mesh.httpClient(), "http://orders/").status()).isEqualTo(200);
  }

  @Test
  void endpointsAddedAtRunTimeTakeTrafficAndStayingOnesKeepTheirCounts() throws Exception {
    StaticDiscovery discovery = new StaticDiscovery();
    Endpoint first = Endpoint.of("10.1.2.3", 80);
    Endpoint second = Endpoint.of("10.1.2.4", 80);
    discovery.update("orders", List.of(first));
    mesh = MeshClient.builder().transport(recordingTransport).discovery(discovery)
        .service("orders", s -> s.loadBalancer("round_robin")).build();
    for (int i = 0; i < 4; i++) {
      Calls.EXECUTE.get(mesh.httpClient(), "http://orders/");
    }

    discovery.update("orders", List.of(first, second));
    for (int i = 0; i < 4; i++) {
      Calls.EXECUTE.get(mesh.httpClient(), "http://orders/");
    }

    assertThat(sent.subList(4, 8)).extracting(r -> r.url().host()).containsOnly("10.1.2.3", "10.1.2.4");
    assertThat(mesh.snapshot().service("orders").orElseThrow().endpoints())
        .extracting(e -> e.endpoint().host(), MeshSnapshot.EndpointSnapshot::requests)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("10.1.2.3", 6L), org.assertj.core.groups.Tuple.tuple("10.1.2.4", 2L));
  }

  @Test
  void aServiceWhoseDiscoveryReportsNoEndpointsFailsWithoutTouchingTheNetwork() {
    StaticDiscovery discovery = new StaticDiscovery();
    discovery.update("orders", List.of(Endpoint.of("10.1.2.3", 80)));
    mesh = MeshClient.builder().transport(recordingTransport).discovery(discovery)
        .service("orders", s -> s.loadBalancer("round_robin")).build();
    discovery.update("orders", List.of());

    assertThatThrownBy(() -> Calls.EXECUTE.get(mesh.httpClient(), "http://orders/"))
        .isInstanceOf(NoEndpointAvailableException.class)
        .hasMessage("no endpoint available for service 'orders': discovery source 'static' reports no endpoints");
    assertThat(sent).isEmpty();
  }
}
