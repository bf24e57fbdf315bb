package io.meshclient.core.internal;

import com.netflix.concurrency.limits.Limiter;
import io.meshclient.api.EndpointStats;
import io.meshclient.api.PickContext;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * What one call's picks must know across its attempts: the endpoints already tried and those
 * whose breaker refused, the request's hash key, and the list the current pick draws from. It is
 * the {@link PickContext} the balancer sees, so a pick allocates nothing beyond its result.
 *
 * <p>One instance per call, used by one thread at a time.
 */
public final class PickState implements PickContext {
  private final Cluster cluster;
  private final String service;
  private final @Nullable String hashKey;
  private final RandomGenerator random;
  List<EndpointState> candidates = List.of();
  private EndpointState[] tried = new EndpointState[4];
  private int triedCount;
  boolean mayRepeat;
  /**
   * The endpoints an attempt of this call is in flight to: never picked, even once every endpoint
   * was tried ({@link #mayRepeat}), so a hedge goes to another endpoint or nowhere.
   */
  List<EndpointState> busy = List.of();
  private EndpointState @Nullable [] refused;
  int refusedCount;
  /** The refused endpoints that were at their adaptive concurrency limit. */
  private EndpointState @Nullable [] limited;
  int limitedCount;
  /** The subset of the service's endpoints the call picks from, or null for all of them. */
  @Nullable Target subset;
  /**
   * Whether this is a mirrored copy's pick: shadow traffic takes no breaker permit and no adaptive
   * concurrency slot from the endpoint, and skips endpoints whose breaker is not closed
   * ({@link Cluster#pick}).
   */
  boolean shadow;
  /** The adaptive limit's listener for the endpoint just picked (unlimited when it has none). */
  Limiter.Listener room = Limits.UNLIMITED;

  PickState(Cluster cluster, @Nullable String hashKey, RandomGenerator random) {
    this.cluster = cluster;
    this.service = cluster.service();
    this.hashKey = hashKey;
    this.random = random;
  }

  @Override
  public String service() {
    return service;
  }

  /** The cluster the call picks from: the service called, or the route's destination service. */
  public Cluster cluster() {
    return cluster;
  }

  /** The endpoints the call picks from right now: its cluster's, or those of the route's subset. */
  public List<EndpointState> pool() {
    return cluster.endpoints(subset);
  }

  /** The subset the call picks within, as {@code {version=v2}}; null when it picks from all endpoints. */
  public @Nullable String subsetLabels() {
    return subset == null ? null : String.valueOf(new TreeMap<>(subset.subset()));
  }

  @Override
  public List<? extends EndpointStats> endpoints() {
    return candidates;
  }

  @Override
  public boolean isExcluded(EndpointStats candidate) {
    for (int i = 0; i < refusedCount; i++) {
      if (refused[i] == candidate) {
        return true;
      }
    }
    if (!mayRepeat) {
      for (int i = 0; i < triedCount; i++) {
        if (tried[i] == candidate) {
          return true;
        }
      }
      return false; // an endpoint in flight was tried
    }
    for (int i = 0; i < busy.size(); i++) {
      if (busy.get(i) == candidate) {
        return true;
      }
    }
    return false;
  }

  @Override
  public @Nullable String hashKey() {
    return hashKey;
  }

  @Override
  public RandomGenerator random() {
    return random;
  }

  /** Whether an earlier attempt of this call went to {@code endpoint}. */
  public boolean tried(EndpointState endpoint) {
    for (int i = 0; i < triedCount; i++) {
      if (tried[i] == endpoint) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code endpoint} was at its adaptive concurrency limit when this call picked it. */
  public boolean atLimit(EndpointState endpoint) {
    for (int i = 0; i < limitedCount; i++) {
      if (limited[i] == endpoint) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code endpoint}'s breaker (or its concurrency limit) refused a pick of this call. */
  public boolean refused(EndpointState endpoint) {
    for (int i = 0; i < refusedCount; i++) {
      if (refused[i] == endpoint) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code picked} as the mesh's own endpoint state, after checking that the balancer kept the
   * contract. Membership in the candidate list is not checked: that would cost a scan per pick.
   *
   * @throws IllegalStateException naming the balancer, if it picked an excluded or foreign endpoint
   */
  EndpointState own(EndpointStats picked, String balancer) {
    if (picked instanceof EndpointState && !isExcluded(picked)) {
      return (EndpointState) picked;
    }
    throw new IllegalStateException("load balancer '" + balancer + "' of service '" + service + "' picked "
        + picked + ", which is excluded or not one of the candidates it was given");
  }

  int triedCount() {
    return triedCount;
  }

  void remember(EndpointState endpoint) {
    if (tried(endpoint)) {
      return;
    }
    if (triedCount == tried.length) {
      tried = Arrays.copyOf(tried, triedCount * 2);
    }
    tried[triedCount++] = endpoint;
  }

  void limited(EndpointState endpoint) {
    refuse(endpoint);
    if (limited == null) {
      limited = new EndpointState[4];
    } else if (limitedCount == limited.length) {
      limited = Arrays.copyOf(limited, limitedCount * 2);
    }
    limited[limitedCount++] = endpoint;
  }

  void refuse(EndpointState endpoint) {
    if (refused == null) {
      refused = new EndpointState[4];
    } else if (refusedCount == refused.length) {
      refused = Arrays.copyOf(refused, refusedCount * 2);
    }
    refused[refusedCount++] = endpoint;
  }
}
