package io.meshclient.core;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.meshclient.core.Backends.endpoint;
import static io.meshclient.core.Backends.requests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.meshclient.api.AttemptEvent;
import io.meshclient.api.DeadlineExceededException;
import io.meshclient.api.Endpoint;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.RetriesExhaustedException;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.TimeoutPolicy;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Routing, retries and timeouts of mesh calls against real loopback servers, for execute() and enqueue(). */
class MeshClientRoutingTest {
  @RegisterExtension final Backends backends = new Backends();

  private final List<AttemptEvent> attempts = new CopyOnWriteArrayList<>();
  private final MeshEventListener recorder = new MeshEventListener() {
    @Override
    public void onAttemptEnd(AttemptEvent event) {
      attempts.add(event);
    }
  };
  private MeshClient mesh;

  @AfterEach
  void close() {
    if (mesh != null) {
      mesh.close();
    }
  }

  /** A mesh whose one service "orders" has {@code endpoints}, no retry backoff, configured by {@code extra}. */
  private OkHttpClient client(List<Endpoint> endpoints, java.util.function.Consumer<ServiceBuilder> extra) {
    mesh = MeshClient.builder()
        .eventListener(recorder)
        .service("orders", s -> {
          s.endpoints(endpoints).retry(RetryPolicy.builder().initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build());
          extra.accept(s);
        })
        .build();
    return mesh.decorate(new OkHttpClient.Builder()).build();
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void roundRobinSpreadsEvenlyOverThreeInstances(Calls calls) throws Exception {
    WireMockServer a = backends.ok("a");
    WireMockServer b = backends.ok("b");
    WireMockServer c = backends.ok("c");
    OkHttpClient client = client(List.of(endpoint(a), endpoint(b), endpoint(c)), s -> s.loadBalancer("round_robin"));

    for (int i = 0; i < 300; i++) {
      assertThat(calls.get(client, "http://orders/items").status()).isEqualTo(200);
    }

    assertThat(List.of(requests(a), requests(b), requests(c))).containsExactly(100, 100, 100);
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void anInstanceThatRefusesConnectionsCostsTheCallerNoFailedGet(Calls calls) throws Exception {
    WireMockServer a = backends.ok("a");
    WireMockServer b = backends.ok("b");
    OkHttpClient client = client(List.of(Backends.refusing(), endpoint(a), endpoint(b)), s -> {});

    for (int i = 0; i < 60; i++) {
      assertThat(calls.get(client, "http://orders/items").status()).isEqualTo(200);
    }

    assertThat(requests(a) + requests(b)).isEqualTo(60);
    assertThat(attempts).filteredOn(e -> e.failure() != null)
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.failure()).isInstanceOf(ConnectException.class));
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void a503IsRetriedOnAnotherInstance(Calls calls) throws Exception {
    WireMockServer failing = backends.start(aResponse().withStatus(503));
    WireMockServer healthy = backends.ok("healthy");
    OkHttpClient client = client(List.of(endpoint(failing), endpoint(healthy)), s -> s.loadBalancer("round_robin"));

    Calls.Result result = calls.get(client, "http://orders/items");

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.body()).isEqualTo("healthy");
    assertThat(requests(failing)).isEqualTo(1);
    assertThat(requests(healthy)).isEqualTo(1);
    assertThat(attempts).extracting(AttemptEvent::statusCode).containsExactly(503, 200);
  }

  @Test
  void theBodyOfEveryRetriedAttemptIsClosedSoNoConnectionLeaks() throws Exception {
    WireMockServer failing = backends.start(aResponse().withStatus(503).withBody("x".repeat(10_000)));
    WireMockServer healthy = backends.ok("healthy");
    OkHttpClient transport = new OkHttpClient();
    try {
      mesh = MeshClient.builder()
          .transport(transport)
          .service("orders", s -> s
              .endpoints(endpoint(failing), endpoint(healthy))
              .loadBalancer("round_robin")
              .outlierDetection(io.meshclient.api.OutlierDetectionPolicy.disabled()) // keep sending to the failing one
              .retry(RetryPolicy.builder().initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build()))
          .build();
      OkHttpClient client = mesh.decorate(new OkHttpClient.Builder()).build();

      for (int i = 0; i < 20; i++) {
        assertThat(Calls.EXECUTE.get(client, "http://orders/items").body()).isEqualTo("healthy");
      }

      assertThat(requests(failing)).isEqualTo(10);
      assertThat(transport.connectionPool().connectionCount())
          .as("a 503 left open would keep its connection out of the pool")
          .isEqualTo(transport.connectionPool().idleConnectionCount());
    } finally {
      transport.connectionPool().evictAll();
    }
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void aPostIsNotRetriedByDefault(Calls calls) throws Exception {
    WireMockServer failing = backends.start(aResponse().withStatus(503));
    WireMockServer healthy = backends.ok("healthy");
    OkHttpClient client = client(List.of(endpoint(failing), endpoint(healthy)), s -> s.loadBalancer("round_robin"));

    Calls.Result result = calls.run(client, post("http://orders/items"));

    assertThat(result.status()).isEqualTo(503);
    assertThat(requests(failing)).isEqualTo(1);
    assertThat(requests(healthy)).isZero();
  }

  @Test
  void aPostIsRetriedWhenTheServiceOptsIn() throws Exception {
    WireMockServer failing = backends.start(aResponse().withStatus(503));
    WireMockServer healthy = backends.ok("healthy");
    OkHttpClient client = client(List.of(endpoint(failing), endpoint(healthy)), s -> s
        .loadBalancer("round_robin")
        .retry(RetryPolicy.builder().retryNonIdempotent(true).initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build()));

    assertThat(Calls.EXECUTE.run(client, post("http://orders/items")).status()).isEqualTo(200);
    assertThat(requests(failing)).isEqualTo(1);
    assertThat(requests(healthy)).isEqualTo(1);
  }

  @Test
  void aPostWhoseConnectionWasRefusedIsRetriedBecauseNothingWasSent() throws Exception {
    WireMockServer healthy = backends.ok("healthy");
    OkHttpClient client = client(List.of(Backends.refusing(), endpoint(healthy)), s -> s.loadBalancer("round_robin"));

    assertThat(Calls.EXECUTE.run(client, post("http://orders/items")).status()).isEqualTo(200);
    assertThat(requests(healthy)).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void thePerTryTimeoutFiresAndTheNextTryGoesElsewhere(Calls calls) throws Exception {
    WireMockServer slow = backends.start(aResponse().withStatus(200).withBody("slow").withFixedDelay(3_000));
    WireMockServer fast = backends.ok("fast");
    OkHttpClient client = client(List.of(endpoint(slow), endpoint(fast)), s -> s
        .loadBalancer("round_robin")
        .timeouts(TimeoutPolicy.builder().timeout(Duration.ofSeconds(10)).perTryTimeout(Duration.ofMillis(300)).build()));

    Calls.Result result = calls.get(client, "http://orders/items");

    assertThat(result.body()).isEqualTo("fast");
    assertThat(result.port()).isEqualTo(fast.port());
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).endpoint().port()).isEqualTo(slow.port());
    assertThat(attempts.get(0).failure()).isInstanceOf(InterruptedIOException.class);
    assertThat(attempts.get(1).endpoint().port()).isEqualTo(fast.port());
  }

  @Test
  void theOverallDeadlineEndsTheCallWithATypedException() throws Exception {
    WireMockServer slow = backends.start(aResponse().withStatus(200).withFixedDelay(3_000));
    WireMockServer slower = backends.start(aResponse().withStatus(200).withFixedDelay(3_000));
    OkHttpClient client = client(List.of(endpoint(slow), endpoint(slower)), s -> s
        .timeouts(TimeoutPolicy.builder().timeout(Duration.ofMillis(400)).build()));

    assertThatThrownBy(() -> Calls.EXECUTE.get(client, "http://orders/items"))
        .isInstanceOf(DeadlineExceededException.class)
        .hasMessageContaining("deadline of 400 ms exceeded for service 'orders' after 1 attempt(s)")
        .hasCauseInstanceOf(InterruptedIOException.class);
  }

  @Test
  void whenEveryAttemptFailsTheCallerGetsTheLastCauseWithEarlierOnesSuppressed() throws Exception {
    OkHttpClient client = client(List.of(Backends.refusing(), Backends.refusing(), Backends.refusing()), s -> {});

    assertThatThrownBy(() -> Calls.EXECUTE.get(client, "http://orders/items"))
        .isInstanceOfSatisfying(RetriesExhaustedException.class, e -> {
          assertThat(e.attempts()).isEqualTo(3);
          assertThat(e.service()).isEqualTo("orders");
          assertThat(e.getCause()).isInstanceOf(ConnectException.class);
          assertThat(e.getSuppressed()).hasSize(2).allSatisfy(s -> assertThat(s).isInstanceOf(ConnectException.class));
        });
    assertThat(attempts).extracting(a -> a.endpoint().port()).doesNotHaveDuplicates();
  }

  @Test
  void aRetryReusesATriedEndpointOnlyWhenNoOtherIsLeft() throws Exception {
    WireMockServer failing = backends.start(aResponse().withStatus(503));
    OkHttpClient client = client(List.of(endpoint(failing)), s -> {});

    assertThat(Calls.EXECUTE.get(client, "http://orders/items").status()).isEqualTo(503);
    assertThat(requests(failing)).isEqualTo(RetryPolicy.DEFAULT_MAX_ATTEMPTS);
  }

  @Test
  void theEndpointGetsThePathAndQueryExactlyAsEncodedAndTheLogicalPortIsIgnored() throws Exception {
    WireMockServer server = backends.ok("ok");
    OkHttpClient client = client(List.of(endpoint(server)), s -> {});

    Calls.EXECUTE.get(client, "http://orders:9999/a%20b/c%2Fd?q=x%26y&empty&z=1");

    assertThat(server.getAllServeEvents()).singleElement()
        .satisfies(e -> assertThat(e.getRequest().getUrl()).isEqualTo("/a%20b/c%2Fd?q=x%26y&empty&z=1"));
  }

  @Test
  void aHostThatIsNotAServicePassesThroughUntouched() throws Exception {
    WireMockServer direct = backends.ok("direct");
    OkHttpClient client = client(List.of(Backends.refusing()), s -> {});

    Calls.Result result = Calls.EXECUTE.get(client, "http://127.0.0.1:" + direct.port() + "/x");

    assertThat(result.body()).isEqualTo("direct");
    assertThat(attempts).isEmpty();
    assertThat(mesh.snapshot().service("orders").orElseThrow().endpoints().get(0).requests()).isZero();
  }

  @Test
  void aClosedMeshRefusesServiceCallsButStillPassesOthersThrough() throws Exception {
    WireMockServer direct = backends.ok("direct");
    OkHttpClient client = client(List.of(endpoint(direct)), s -> {});
    mesh.close();

    assertThatThrownBy(() -> Calls.EXECUTE.get(client, "http://orders/items")).hasMessageContaining("closed");
    assertThat(Calls.EXECUTE.get(client, "http://127.0.0.1:" + direct.port() + "/x").body()).isEqualTo("direct");
  }

  private static Request post(String url) {
    return new Request.Builder().url(url).post(RequestBody.create("{}", MediaType.get("application/json"))).build();
  }
}
