package io.meshclient.core;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.meshclient.core.Backends.endpoint;
import static io.meshclient.core.Backends.requests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.meshclient.api.AttemptEvent;
import io.meshclient.api.DeadlineExceededException;
import io.meshclient.api.HedgingPolicy;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.TimeoutPolicy;
import io.meshclient.core.deadline.Deadline;
import io.meshclient.core.deadline.MeshDeadlineFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Hedged requests, and deadlines that travel: the header each attempt carries, and the one a server inherits. */
class HedgingAndDeadlineTest {
  @RegisterExtension final Backends backends = new Backends();
  private final AttemptedPorts attempted = new AttemptedPorts();
  private MeshClient mesh;

  /**
   * The ports the mesh sent attempts to. A hedged slow attempt is cancelled within milliseconds,
   * possibly before the backend logged the request, so the mesh's own record says it was sent.
   */
  private static final class AttemptedPorts implements MeshEventListener {
    private final Set<Integer> ports = ConcurrentHashMap.newKeySet();

    @Override
    public void onAttemptEnd(AttemptEvent event) {
      ports.add(event.endpoint().port());
    }

    /** Waits for the end of an attempt sent to {@code server} (a cancelled one ends on its own thread). */
    void awaitAttemptTo(WireMockServer server) {
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(ports).contains(server.port()));
    }
  }

  @AfterEach
  void close() {
    if (mesh != null) {
      mesh.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void aSlowAttemptIsHedgedToAnotherEndpointAndTheFastAnswerWins(Calls calls) throws Exception {
    WireMockServer slow = backends.start(aResponse().withStatus(200).withBody("slow").withFixedDelay(5_000));
    WireMockServer fast = backends.ok("fast");
    mesh = MeshClient.builder()
        .eventListener(attempted)
        .service("orders", s -> s.endpoints(endpoint(slow), endpoint(fast)).loadBalancer("round_robin")
            .hedging(HedgingPolicy.builder().delay(Duration.ofMillis(100)).build()))
        .build();

    for (int i = 0; i < 4; i++) {
      Calls.Result result = calls.get(mesh.httpClient(), "http://orders/");
      assertThat(result.body()).isEqualTo("fast");
    }
    // Calls that went to the slow endpoint first were hedged (a hedge takes a turn of the round
    // robin, so each call here starts there); their slow attempts were cancelled.
    attempted.awaitAttemptTo(slow);
    assertThat(requests(fast)).isEqualTo(4);
    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(mesh.snapshot().services().get(0).endpoints())
        .allSatisfy(e -> assertThat(e.inFlight()).isZero()));
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void theLiveDelayFollowsTheServicesOwnPercentile(Calls calls) throws Exception {
    WireMockServer slow = backends.start(aResponse().withStatus(200).withBody("slow").withFixedDelay(5_000));
    WireMockServer fast = backends.ok("fast");
    ControlledSource source = new ControlledSource();
    mesh = MeshClient.builder()
        .eventListener(attempted)
        .discovery(source)
        .service("orders", s -> s.loadBalancer("round_robin")
            .hedging(HedgingPolicy.builder().delayPercentile(95).build()))
        .build();
    source.push(io.meshclient.api.EndpointSet.of(endpoint(fast)));
    // A history of fast answers: until the service has one, nothing is hedged.
    for (int i = 0; i < 60; i++) {
      calls.get(mesh.httpClient(), "http://orders/");
    }
    source.push(io.meshclient.api.EndpointSet.of(endpoint(slow), endpoint(fast)));

    for (int i = 0; i < 4; i++) {
      // "fast" from a call that met the slow endpoint: it was hedged before the slow answer came
      // (after about the fast answers' p95, milliseconds, not after the slow endpoint's 5 s).
      assertThat(calls.get(mesh.httpClient(), "http://orders/").body()).isEqualTo("fast");
    }
    attempted.awaitAttemptTo(slow);
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void aRoutesHedgingOverridesTheServicesNone(Calls calls) throws Exception {
    WireMockServer slow = backends.start(aResponse().withStatus(200).withBody("slow").withFixedDelay(5_000));
    WireMockServer fast = backends.ok("fast");
    mesh = MeshClient.builder()
        .eventListener(attempted)
        .service("orders", s -> s.endpoints(endpoint(slow), endpoint(fast)).loadBalancer("round_robin")
            .route(io.meshclient.api.Route.builder("hedged-reads")
                .match(io.meshclient.api.RouteMatch.builder().path(io.meshclient.api.StringMatch.prefix("/reads/")).build())
                .hedging(HedgingPolicy.builder().delay(Duration.ofMillis(100)).build())
                .build()))
        .build();

    for (int i = 0; i < 4; i++) {
      assertThat(calls.get(mesh.httpClient(), "http://orders/reads/42").body()).isEqualTo("fast");
    }
    // The service itself does not hedge: only the route's policy sent the slow calls elsewhere
    // (a call that met the slow endpoint unhedged would have answered "slow").
    attempted.awaitAttemptTo(slow);
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void aPostIsNeverHedged(Calls calls) throws Exception {
    // Both endpoints are slow, so every POST meets a slow one with another free to hedge to.
    WireMockServer slow = backends.start(aResponse().withStatus(200).withBody("slow").withFixedDelay(300));
    WireMockServer slowToo = backends.start(aResponse().withStatus(200).withBody("slow").withFixedDelay(300));
    mesh = MeshClient.builder()
        .service("orders", s -> s.endpoints(endpoint(slow), endpoint(slowToo)).loadBalancer("round_robin")
            .hedging(HedgingPolicy.builder().delay(Duration.ofMillis(20)).build()))
        .build();
    Request post = new Request.Builder().url("http://orders/")
        .post(RequestBody.create("{}", MediaType.get("application/json"))).build();

    for (int i = 0; i < 4; i++) {
      calls.run(mesh.httpClient(), post);
    }
    int total = mesh.snapshot().services().get(0).endpoints().stream().mapToInt(e -> (int) e.requests()).sum();
    assertThat(total).isEqualTo(4);
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void eachAttemptCarriesTheTimeItHasLeft(Calls calls) throws Exception {
    WireMockServer server = backends.ok("ok");
    mesh = MeshClient.builder()
        .service("orders", s -> s.endpoints(endpoint(server))
            .timeouts(TimeoutPolicy.builder().timeout(Duration.ofSeconds(2)).perTryTimeout(Duration.ofMillis(800)).build()))
        .build();

    calls.get(mesh.httpClient(), "http://orders/");

    LoggedRequest seen = server.findAll(anyRequestedFor(anyUrl())).get(0);
    long millis = Long.parseLong(seen.getHeader("x-mesh-timeout-ms"));
    assertThat(millis).isBetween(1L, 800L);
  }

  @Test
  void aCallMadeWhileServingARequestInheritsWhatIsLeftOfItsDeadline() throws Exception {
    WireMockServer slow = backends.start(aResponse().withStatus(200).withFixedDelay(3_000));
    mesh = MeshClient.builder().service("orders", s -> s.endpoints(endpoint(slow))).build(); // its own deadline: 10 s

    // The incoming request says 300 ms are left; the filter makes that the current deadline.
    HttpServletRequest incoming = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {HttpServletRequest.class},
        (proxy, method, args) -> method.getName().equals("getHeader") && "x-mesh-timeout-ms".equals(args[0]) ? "300" : null);
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    AtomicReference<String> propagated = new AtomicReference<>();
    FilterChain handler = (req, res) -> {
      assertThat(Deadline.current()).isNotNull();
      try {
        Calls.EXECUTE.get(mesh.httpClient(), "http://orders/");
      } catch (Throwable t) {
        outcome.set(t);
      }
    };

    new MeshDeadlineFilter().doFilter(incoming, null, handler);

    // Its own 10 s deadline would have waited for the 3 s answer: the inherited 300 ms ended it first.
    assertThat(outcome.get()).isInstanceOf(DeadlineExceededException.class);
    List<LoggedRequest> sent = slow.findAll(anyRequestedFor(anyUrl()));
    assertThat(Long.parseLong(sent.get(0).getHeader("x-mesh-timeout-ms"))).isBetween(1L, 300L);
    assertThat(Deadline.current()).as("the filter restores the thread").isNull();
  }

  @Test
  void anExpiredInheritedDeadlineStartsNoAttempt() throws Exception {
    WireMockServer server = backends.ok("ok");
    mesh = MeshClient.builder().service("orders", s -> s.endpoints(endpoint(server))).build();

    Deadline.runWith(Deadline.after(Duration.ZERO), () ->
        assertThatThrownBy(() -> Calls.EXECUTE.get(mesh.httpClient(), "http://orders/"))
            .isInstanceOf(DeadlineExceededException.class));
    assertThat(requests(server)).isZero();
  }

  @Test
  void aMalformedIncomingHeaderMeansNoDeadline() {
    assertThat(Deadline.parse("soon")).isNull();
    assertThat(Deadline.parse("-5")).isNull();
    assertThat(Deadline.parse(null)).isNull();
    assertThat(Deadline.parse("250").remaining()).isLessThanOrEqualTo(Duration.ofMillis(250));
  }

  @Test
  void aHugeIncomingHeaderIsAsGoodAsNoDeadline() {
    for (String huge : List.of("99999999999999999", Long.toString(Long.MAX_VALUE))) {
      Deadline parsed = Deadline.parse(huge);
      assertThat(parsed).isNotNull();
      assertThat(parsed.expired()).isFalse();
      assertThat(parsed.remaining()).isGreaterThan(Duration.ofDays(365 * 100));
    }
  }

  @Test
  void aCallMadeUnderAHugeIncomingDeadlineIsServed() throws Exception {
    WireMockServer server = backends.ok("ok");
    mesh = MeshClient.builder().service("orders", s -> s.endpoints(endpoint(server))).build();
    HttpServletRequest incoming = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> method.getName().equals("getHeader")
            && "x-mesh-timeout-ms".equals(args[0]) ? Long.toString(Long.MAX_VALUE) : null);
    AtomicReference<String> body = new AtomicReference<>();
    FilterChain handler = (req, res) -> body.set(Calls.EXECUTE.get(mesh.httpClient(), "http://orders/").body());

    new MeshDeadlineFilter().doFilter(incoming, null, handler);

    assertThat(body.get()).isEqualTo("ok");
    // The call's own 10 s timeout is what bounds it, and what it passes on.
    long sent = Long.parseLong(server.findAll(anyRequestedFor(anyUrl())).get(0).getHeader("x-mesh-timeout-ms"));
    assertThat(sent).isBetween(1L, 10_000L);
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void propagationTurnedOffSendsNoDeadlineHeader(Calls calls) throws Exception {
    WireMockServer server = backends.ok("ok");
    mesh = MeshClient.builder()
        .service("orders", s -> s.endpoints(endpoint(server))
            .timeouts(TimeoutPolicy.builder().timeout(Duration.ofSeconds(2)).propagateDeadline(false).build()))
        .build();
    calls.get(mesh.httpClient(), "http://orders/");
    LoggedRequest seen = server.findAll(anyRequestedFor(anyUrl())).get(0);
    assertThat(seen.containsHeader("x-mesh-timeout-ms")).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void propagationCanBeTurnedOffOrRenamed(Calls calls) throws Exception {
    WireMockServer server = backends.ok("ok");
    mesh = MeshClient.builder()
        .service("orders", s -> s.endpoints(endpoint(server))
            .timeouts(TimeoutPolicy.builder().deadlineHeader("x-deadline-ms").build())
            .retry(RetryPolicy.disabled()))
        .build();
    calls.get(mesh.httpClient(), "http://orders/");
    LoggedRequest seen = server.findAll(anyRequestedFor(anyUrl())).get(0);
    assertThat(seen.getHeader("x-deadline-ms")).isNotNull();
    assertThat(seen.containsHeader("x-mesh-timeout-ms")).isFalse();
  }
}
