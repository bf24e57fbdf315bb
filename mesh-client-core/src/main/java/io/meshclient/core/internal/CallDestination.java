package io.meshclient.core.internal;

import com.netflix.concurrency.limits.Limiter;
import io.meshclient.api.MeshException;
import io.meshclient.api.TimeoutPolicy;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;

/**
 * Where the attempts of one {@link MeshCall} go: the destination its route drew (a subset of a
 * service, this one or another) or the whole service called, switched to the route's fallback when
 * the drawn one has no endpoint; the pick state every attempt picks with (the endpoints tried, the
 * request's hash key); and each attempt's request, addressed to its endpoint.
 *
 * <p>Not thread-safe on its own: guarded by the call's lock, which every caller holds.
 */
final class CallDestination {
  private final RouteTable.@Nullable Entry route;
  /** The request as the route edits it. */
  private final Request request;
  private final MeshInterceptor mesh;
  /** The route's destination (null: the whole service called) and its cluster. */
  private @Nullable Target destination;
  private Cluster cluster;
  private PickState picks;

  /** Draws the route's destination, if the call has a route, from the service {@code called}. */
  CallDestination(RouteTable.@Nullable Entry route, Request request, Cluster called, MeshInterceptor mesh) {
    this.route = route;
    this.request = request;
    this.mesh = mesh;
    this.destination = route != null ? route.draw(called.random()) : null;
    this.cluster = destination != null ? destination.cluster() : called;
    this.picks = newPickState();
  }

  private PickState newPickState() {
    String hashKey = cluster.requestKey().of(request);
    return destination != null ? cluster.newPickState(hashKey, destination) : cluster.newPickState(hashKey);
  }

  /** The cluster the attempts go to. */
  Cluster cluster() {
    return cluster;
  }

  /** The state of the attempts' picks; after a pick, its {@code room} in the endpoint's limit. */
  PickState picks() {
    return picks;
  }

  /** When the drawn destination has no endpoint, the route's fallback takes the call (once: the picks start over). */
  void fallBackIfEmpty() {
    if (route != null && route.fallback != null && destination != route.fallback
        && !cluster.hasEndpoints(destination)) {
      destination = route.fallback;
      cluster = destination.cluster();
      picks = newPickState();
    }
  }

  /**
   * Picks the endpoint of attempt {@code attempt}, avoiding {@code busy} (those of the attempts in
   * flight, for a hedge) if not null.
   */
  EndpointState pick(int attempt, @Nullable List<EndpointState> busy) throws MeshException {
    try {
      if (busy != null) {
        picks.busy = busy;
      }
      return cluster.pick(picks, attempt);
    } finally {
      picks.busy = List.of();
    }
  }

  /**
   * Prepares attempt {@code number} of {@code owner} on {@code endpoint}, just picked: the request
   * addressed to the endpoint, with {@code attemptTimeout} (if positive) as its timeout and in the
   * deadline header when the policy propagates it, observed, counted by the endpoint, and its
   * transport call on the client of the destination's service (with its TLS settings).
   *
   * @throws RuntimeException if any of it fails: the endpoint's count, its breaker's permit and the
   *     room in its limit are given back first
   */
  Attempt prepare(MeshCall owner, EndpointState endpoint, int number, boolean hedge, long attemptTimeout,
      TimeoutPolicy timeouts, CallObserver.Call observation) {
    Limiter.Listener room = picks.room;
    Call call;
    CallObserver.Attempt observed;
    boolean counted = false;
    try {
      Request.Builder builder = CallRules.rewrite(request, endpoint);
      if (attemptTimeout > 0 && timeouts.propagateDeadline()) {
        builder.header(timeouts.deadlineHeader(),
            Long.toString(Math.max(1, TimeUnit.NANOSECONDS.toMillis(attemptTimeout))));
      }
      // Observed before the endpoint counts the attempt: an explained pick shows the scores the balancer saw.
      observed = observation.attempt(number, endpoint, picks, builder, hedge);
      endpoint.onSend();
      counted = true;
      call = mesh.transport(cluster).newCall(builder.build());
    } catch (RuntimeException e) {
      if (!counted) {
        endpoint.onSend();
      }
      endpoint.abandon(); // gives the breaker's permit back
      room.onIgnore();
      throw e;
    }
    AttemptDeadline deadline = attemptTimeout > 0 ? AttemptDeadline.arm(mesh.timer(), call, attemptTimeout) : null;
    return new Attempt(owner, request.method(), number, endpoint, hedge, call, deadline, observed, room);
  }
}
