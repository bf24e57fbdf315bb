package io.meshclient.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshclient.api.DeadlineExceededException;
import io.meshclient.api.Destination;
import io.meshclient.api.Endpoint;
import io.meshclient.api.FaultPolicy;
import io.meshclient.api.MirrorPolicy;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.Route;
import io.meshclient.api.ServicePolicy;
import io.meshclient.api.StringMatch;
import io.meshclient.api.TimeoutPolicy;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A route's injected faults (delay, abort by status or connection error, their rates) and its mirror. */
class FaultAndMirrorTest {
  private static final Endpoint PRIMARY = Endpoint.of("10.0.0.1", 80);
  private static final Endpoint SHADOW = Endpoint.of("10.0.0.9", 80);

  private RoutedMesh mesh;

  @AfterEach
  void close() {
    if (mesh != null) {
      mesh.close();
    }
  }

  private RoutedMesh withRoute(Route route) {
    mesh = new RoutedMesh(3)
        .service("orders", ServicePolicy.builder()
            .retry(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(1)).build())
            .route(route).build(), PRIMARY)
        .service("orders-shadow", ServicePolicy.ofDefaults(), SHADOW);
    return mesh;
  }

  private int sentTo(Endpoint endpoint) {
    return (int) mesh.sent.stream().filter(r -> r.url().host().equals(endpoint.host())).count();
  }

  @Test
  void anAbortAnswersWithTheStatusWithoutSendingAndIsNotRetried() throws Exception {
    withRoute(Route.builder("chaos").fault(FaultPolicy.builder().abortHttpStatus(503).build()).build()).start();

    assertThat(mesh.call("http://orders/")).isEqualTo(503);

    assertThat(mesh.sent).isEmpty();
    assertThat(mesh.heard("fault:abort")).isEqualTo(1);
    assertThat(mesh.heard("retry")).isZero();
  }

  @Test
  void anAbortByConnectionErrorFailsLikeARefusedConnection() {
    withRoute(Route.builder("chaos").fault(FaultPolicy.builder().abortConnectionError(true).build()).build()).start();

    assertThatThrownBy(() -> mesh.call("http://orders/"))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("fault injected by route 'chaos' of service 'orders'");
    assertThat(mesh.sent).isEmpty();
    assertThat(mesh.heard("fault:abort_connection")).isEqualTo(1);
  }

  @Test
  void abortsHitTheirPercentageOfRequests() throws Exception {
    withRoute(Route.builder("chaos")
        .fault(FaultPolicy.builder().abortHttpStatus(500).abortPercent(20).build()).build()).start();

    int calls = 4_000;
    int aborted = 0;
    for (int i = 0; i < calls; i++) {
      if (mesh.call("http://orders/") == 500) {
        aborted++;
      }
    }

    // Binomial(4000, 0.2): standard deviation about 25; five of them as the tolerance.
    assertThat(aborted).isBetween(800 - 127, 800 + 127);
    assertThat(mesh.sent).hasSize(calls - aborted);
  }

  @Test
  void connectionErrorAbortsHitTheirPercentageOfRequests() throws Exception {
    withRoute(Route.builder("chaos")
        .fault(FaultPolicy.builder().abortConnectionError(true).abortPercent(30).build()).build()).start();

    int calls = 2_000;
    int refused = 0;
    for (int i = 0; i < calls; i++) {
      try {
        mesh.call("http://orders/");
      } catch (ConnectException e) {
        refused++;
      }
    }

    // Binomial(2000, 0.3): standard deviation about 20.5; five of them as the tolerance.
    assertThat(refused).isBetween(600 - 103, 600 + 103);
    assertThat(mesh.heard("fault:abort_connection")).isEqualTo(refused);
    assertThat(mesh.sent).as("the others go out, once each").hasSize(calls - refused);
    assertThat(mesh.heard("retry")).as("an injected abort is not retried").isZero();
  }

  @Test
  void anAbortEndsAnEnqueuedCallWithoutSending() throws Exception {
    withRoute(Route.builder("chaos").fault(FaultPolicy.builder().abortHttpStatus(503).build()).build()).start();

    CompletableFuture<Integer> status = new CompletableFuture<>();
    mesh.client().newCall(new Request.Builder().url("http://orders/").build()).enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        status.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call call, Response response) {
        try (response) {
          status.complete(response.code());
        }
      }
    });

    assertThat(status.get(5, TimeUnit.SECONDS)).isEqualTo(503);
    assertThat(mesh.sent).isEmpty();
    assertThat(mesh.heard("fault:abort")).isEqualTo(1);
    assertThat(mesh.heard("retry")).isZero();
  }

  @Test
  void delaysHitTheirPercentageOfRequests() throws Exception {
    withRoute(Route.builder("slow")
        .fault(FaultPolicy.builder().delay(Duration.ofNanos(1)).delayPercent(25).build()).build()).start();

    int calls = 4_000;
    for (int i = 0; i < calls; i++) {
      mesh.call("http://orders/");
    }

    assertThat(mesh.heard("fault:delay")).isBetween(1000 - 137, 1000 + 137);
    assertThat(mesh.sent).as("a delayed request still goes out").hasSize(calls);
  }

  @Test
  void aDelayCountsAgainstTheDeadlineAndHoldsNoThread() throws Exception {
    withRoute(Route.builder("slow")
        .timeouts(TimeoutPolicy.builder().timeout(Duration.ofMillis(200)).build())
        .fault(FaultPolicy.builder().delay(Duration.ofMinutes(1)).build()).build()).start();

    assertThatThrownBy(() -> mesh.call("http://orders/")).isInstanceOf(DeadlineExceededException.class);

    CompletableFuture<IOException> failure = new CompletableFuture<>();
    mesh.client().newCall(new Request.Builder().url("http://orders/").build()).enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        failure.complete(e);
      }

      @Override
      public void onResponse(Call call, Response response) {
        response.close();
        failure.completeExceptionally(new AssertionError("answered"));
      }
    });
    assertThat(failure.get(5, TimeUnit.SECONDS)).isInstanceOf(DeadlineExceededException.class);
    assertThat(mesh.sent).as("the delay outlasted the deadline: nothing was sent").isEmpty();
  }

  @Test
  void aDelayedCallGoesOutAfterItsDelay() throws Exception {
    withRoute(Route.builder("slow")
        .fault(FaultPolicy.builder().delay(Duration.ofMillis(50)).build()).build()).start();

    assertThat(mesh.call("http://orders/")).isEqualTo(200);

    assertThat(mesh.events).as("the request goes out from the timer's task of the delay, not before")
        .containsExactly("timer:50ms", "sent:" + PRIMARY.host());
  }

  @Test
  void aDelayComesBeforeAnAbort() throws Exception {
    withRoute(Route.builder("chaos").fault(FaultPolicy.builder()
        .delay(Duration.ofMillis(1)).abortHttpStatus(429).build()).build()).start();

    assertThat(mesh.call("http://orders/")).isEqualTo(429);

    assertThat(mesh.heard("fault:delay")).isEqualTo(1);
    assertThat(mesh.heard("fault:abort")).isEqualTo(1);
    assertThat(mesh.sent).isEmpty();
  }

  @Test
  void faultsCanBeLimitedToRequestsWithAHeader() throws Exception {
    withRoute(Route.builder("chaos").fault(FaultPolicy.builder().abortHttpStatus(503)
        .onlyWithHeader("x-chaos", StringMatch.exact("on")).build()).build()).start();

    assertThat(mesh.call("http://orders/")).isEqualTo(200);
    assertThat(mesh.call(new Request.Builder().url("http://orders/").header("x-chaos", "off").build())).isEqualTo(200);
    assertThat(mesh.call(new Request.Builder().url("http://orders/").header("X-Chaos", "on").build())).isEqualTo(503);
    assertThat(mesh.sent).hasSize(2);
  }

  private static Route mirrored(int percent, int maxConcurrent) {
    return Route.builder("shadowed").mirror(MirrorPolicy.builder()
        .destination(Destination.builder().service("orders-shadow").build())
        .percent(percent).maxConcurrent(maxConcurrent).build()).build();
  }

  @Test
  void aMirroredRequestIsCopiedToTheMirrorAndItsAnswerIgnored() throws Exception {
    withRoute(mirrored(100, 64)).answer(r -> r.url().host().equals(SHADOW.host()) ? 500 : 200).start();

    for (int i = 0; i < 20; i++) {
      assertThat(mesh.call(new Request.Builder().url("http://orders/x?i=" + i).header("x-a", "b").build()))
          .as("the mirror's 500 changes nothing").isEqualTo(200);
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> sentTo(SHADOW) == 20);
    assertThat(sentTo(PRIMARY)).as("no retry of the primary because of the mirror").isEqualTo(20);
    assertThat(mesh.sent).filteredOn(r -> r.url().host().equals(SHADOW.host()))
        .allSatisfy(r -> assertThat(r.header("x-a")).isEqualTo("b"));
    assertThat(mesh.clusters.get("orders").mirrorsDropped()).isZero();
  }

  @Test
  void onlyThePercentageIsMirrored() throws Exception {
    withRoute(mirrored(10, 64)).start();

    for (int i = 0; i < 4_000; i++) {
      mesh.call("http://orders/");
    }

    // A copy is recorded before it is answered and ends after: none in flight means all recorded.
    // The draw is what is checked: a drawn copy is sent, or dropped when the bound is full (the
    // primaries here are faster than the copies' dispatcher on a busy machine).
    Mirror mirror = mesh.mirror("orders");
    await().atMost(Duration.ofSeconds(10)).until(() -> mirror.inFlight() == 0);
    assertThat(sentTo(SHADOW) + mesh.clusters.get("orders").mirrorsDropped()).isBetween(400L - 95, 400L + 95);
  }

  @Test
  void copiesBeyondTheLimitAreDroppedAndCountedWithoutTouchingThePrimary() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    withRoute(mirrored(100, 2)).answer(r -> {
      if (r.url().host().equals(SHADOW.host())) {
        try {
          release.await(10, TimeUnit.SECONDS); // the mirror hangs: its copies stay in flight
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return 200;
    }).start();

    for (int i = 0; i < 5; i++) {
      assertThat(mesh.call("http://orders/")).isEqualTo(200);
    }

    assertThat(mesh.clusters.get("orders").mirrorsDropped()).isEqualTo(3);
    assertThat(mesh.heard("mirror_dropped")).isEqualTo(3);
    Mirror mirror = mesh.mirror("orders");
    assertThat(mirror.inFlight()).isEqualTo(2);
    release.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> mirror.inFlight() == 0); // both copies ended: room for two
    mesh.call("http://orders/");
    await().atMost(Duration.ofSeconds(5)).until(() -> mirror.inFlight() == 0);
    assertThat(sentTo(SHADOW)).isEqualTo(3);
    assertThat(mesh.clusters.get("orders").mirrorsDropped()).as("room again once copies end").isEqualTo(3);
  }

  @Test
  void copiesInFlightStillCountTowardTheLimitAfterAReload() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    withRoute(mirrored(100, 2)).answer(r -> {
      if (r.url().host().equals(SHADOW.host())) {
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return 200;
    }).start();
    try {
      mesh.call("http://orders/");
      mesh.call("http://orders/"); // two copies in flight: the limit

      mesh.reload("orders", mesh.clusters.get("orders").policy().toBuilder().build());
      assertThat(mesh.call("http://orders/")).isEqualTo(200);

      assertThat(mesh.clusters.get("orders").mirrorsDropped())
          .as("the reloaded route's mirror is the same, with the same copies in flight").isEqualTo(1);
    } finally {
      release.countDown();
    }
  }

  @Test
  void slowCopiesToASubsetOfTheSameServiceTakeNoConcurrencySlotFromPrimaryCalls() throws Exception {
    Endpoint v1 = Endpoint.builder("10.0.0.1", 80).label("version", "v1").build();
    CountDownLatch release = new CountDownLatch(1);
    mesh = new RoutedMesh(11)
        .service("orders", ServicePolicy.builder()
            .adaptiveConcurrency(io.meshclient.api.AdaptiveConcurrencyPolicy.builder()
                .initialLimit(1).minLimit(1).maxLimit(1).build())
            .route(Route.builder("shadowed")
                .timeouts(TimeoutPolicy.builder().timeout(Duration.ofSeconds(30)).build())
                .mirror(MirrorPolicy.builder().destination(Destination.subset("version", "v1")).build())
                .build())
            .build(), v1)
        .answer(r -> {
          if (r.header("x-mesh-timeout-ms") == null) { // a copy: it carries no deadline
            try {
              release.await(10, TimeUnit.SECONDS); // slow copies stay in flight on the one endpoint
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return 200;
        })
        .start();
    try {
      for (int i = 0; i < 5; i++) {
        assertThat(mesh.call("http://orders/")).as("primary call %s", i).isEqualTo(200);
      }

      assertThat(mesh.clusters.get("orders").mirrorsDropped()).isZero();
      EndpointState endpoint = mesh.clusters.get("orders").endpoints().get(0);
      assertThat(endpoint.requests()).as("copies are not counted as the endpoint's requests").isEqualTo(5);
    } finally {
      release.countDown();
    }
  }

  @Test
  void aMirrorWithNoEndpointDropsTheCopyAndTheCallGoesOn() throws Exception {
    mesh = new RoutedMesh(5)
        .service("orders", ServicePolicy.builder().route(Route.builder("shadowed").mirror(MirrorPolicy.builder()
            .destination(Destination.subset("version", "next")).build()).build()).build(), PRIMARY)
        .start();

    assertThat(mesh.call("http://orders/")).isEqualTo(200);

    assertThat(mesh.clusters.get("orders").mirrorsDropped()).isEqualTo(1);
    assertThat(mesh.sent).hasSize(1);
  }
}
