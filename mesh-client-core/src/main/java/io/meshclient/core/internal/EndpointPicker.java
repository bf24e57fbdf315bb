package io.meshclient.core.internal;

import com.netflix.concurrency.limits.Limiter;
import io.meshclient.api.CircuitOpenException;
import io.meshclient.api.ConcurrencyLimitException;
import io.meshclient.api.EndpointStats;
import io.meshclient.api.NoEndpointAvailableException;
import io.meshclient.api.PickResult;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The pick of one cluster: for each attempt, an endpoint from the caller's zone or another, asked
 * of the service's load balancer, avoiding endpoints the call already tried, and taking the chosen
 * endpoint's concurrency slot and breaker permit; it counts picks and cross-zone picks.
 *
 * <p>Called by its {@link Cluster}'s {@link Cluster#pick}, on the request path of every attempt
 * and mirrored copy. Thread-safe and lock-free: it reads the cluster's published pool and settings
 * (volatile fields), keeps its per-call state in the caller's {@link PickState}, and counts in
 * {@link LongAdder}s; it allocates nothing unless it throws.
 */
final class EndpointPicker {
  private final Cluster cluster;
  private final String service;
  private final LongAdder picks = new LongAdder();
  private final LongAdder crossZonePicks = new LongAdder();

  EndpointPicker(Cluster cluster, String service) {
    this.cluster = cluster;
    this.service = service;
  }

  /** Picks made, ever. */
  long picks() {
    return picks.sum();
  }

  /** Picks that went to another zone than the caller's, ever. */
  long crossZonePicks() {
    return crossZonePicks.sum();
  }

  /**
   * Picks the endpoint for attempt {@code attempt} of a call: from the caller's zone or another
   * (in proportion to the local zone's healthy capacity), avoiding endpoints the call already
   * tried while others remain, and asking each candidate's breaker in turn. A {@linkplain
   * PickState#shadow shadow} pick (a mirrored copy) asks no breaker and no concurrency limit for
   * anything: it only skips endpoints whose breaker is not closed.
   *
   * @throws CircuitOpenException if every candidate's breaker refused
   * @throws ConcurrencyLimitException if every candidate was refused, some for being at their
   *     adaptive concurrency limit
   * @throws NoEndpointAvailableException if there is no candidate at all
   */
  EndpointState pick(PickState state, int attempt) throws NoEndpointAvailableException {
    Pool p = cluster.currentPool();
    if (p.all().isEmpty()) {
      throw cluster.discovery().noEndpoints(); // names the service and the source
    }
    if (state.subset != null) {
      int all = p.all().size();
      p = cluster.poolOf(state.subset, p);
      if (p.all().isEmpty()) {
        throw new NoEndpointAvailableException(service, "no endpoint carries the labels of subset "
            + state.subset.subset() + " (the service has " + all + " endpoint(s))");
      }
    }
    List<EndpointState> first = p.local();
    List<EndpointState> second = p.remote();
    if (p.zoned() && state.random().nextDouble() >= p.localShare()) {
      first = p.remote();
      second = p.local();
    }
    state.mayRepeat = false;
    for (int round = 0; round <= p.all().size() * 2 + 2; round++) {
      EndpointStats picked = pickFrom(state, first);
      boolean fromRemote = first == p.remote();
      if (picked == null && !second.isEmpty()) {
        picked = pickFrom(state, second);
        fromRemote = second == p.remote();
      }
      if (picked == null) {
        if (!state.mayRepeat && state.triedCount() > 0) {
          state.mayRepeat = true; // every untried endpoint is out: one already tried may be used again
          continue;
        }
        if (state.limitedCount > 0) {
          throw new ConcurrencyLimitException(service, state.refusedCount);
        }
        if (state.refusedCount > 0) {
          throw new CircuitOpenException(service, state.refusedCount);
        }
        throw new NoEndpointAvailableException(service, p.local().isEmpty() ? "no healthy endpoint"
            : "all " + (p.local().size() + p.remote().size()) + " endpoint(s) are excluded for this attempt");
      }
      EndpointState endpoint = state.own(picked, cluster.policy().loadBalancer());
      if (state.shadow) {
        // A mirrored copy takes nothing primary calls need (breaker permits, concurrency slots),
        // and goes nowhere a breaker keeps primaries from.
        if (!endpoint.admitsShadow()) {
          state.refuse(endpoint);
          continue;
        }
        return picked(state, endpoint, Limits.UNLIMITED, p.zoned() && fromRemote);
      }
      Limiter.Listener room = endpoint.tryAcquireLimit();
      if (room == null) {
        state.limited(endpoint); // at its adaptive concurrency limit: no room for this attempt
        continue;
      }
      if (endpoint.tryAcquire()) {
        return picked(state, endpoint, room, p.zoned() && fromRemote);
      }
      room.onIgnore();
      state.refuse(endpoint);
    }
    throw new NoEndpointAvailableException(service,
        "the load balancer kept picking endpoints it was told to avoid (attempt " + (attempt + 1) + ")");
  }

  private EndpointState picked(PickState state, EndpointState endpoint, Limiter.Listener room, boolean crossZone) {
    state.room = room;
    state.remember(endpoint);
    picks.increment();
    if (crossZone) {
      crossZonePicks.increment();
    }
    return endpoint;
  }

  private @Nullable EndpointStats pickFrom(PickState state, List<EndpointState> candidates) {
    if (candidates.isEmpty()) {
      return null;
    }
    state.candidates = candidates;
    PickResult result = cluster.loadBalancer().pick(state);
    return result.endpoint();
  }
}
