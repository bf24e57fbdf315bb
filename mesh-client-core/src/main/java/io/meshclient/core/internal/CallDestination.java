package io.meshclient.core.internal;

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
   * The request addressed to {@code endpoint}; with {@code attemptTimeout} (if positive) in the
   * deadline header, when the policy propagates it.
   */
  Request.Builder address(EndpointState endpoint, long attemptTimeout, TimeoutPolicy timeouts) {
    Request.Builder builder = CallRules.rewrite(request, endpoint);
    if (attemptTimeout > 0 && timeouts.propagateDeadline()) {
      builder.header(timeouts.deadlineHeader(),
          Long.toString(Math.max(1, TimeUnit.NANOSECONDS.toMillis(attemptTimeout))));
    }
    return builder;
  }

  /** The transport call of an attempt, on the client of the destination's service (with its TLS settings). */
  Call newCall(Request.Builder attempt) {
    return mesh.transport(cluster).newCall(attempt.build());
  }
}
