package io.meshclient.core.internal;

import io.meshclient.api.EndpointStats;
import io.meshclient.api.LoadBalancer;
import io.meshclient.api.LoadBalancerFactory;
import io.meshclient.api.PickContext;
import io.meshclient.api.PickResult;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code round_robin}: endpoints in turn, skipping the ones the attempt must avoid. Weights are
 * not applied yet.
 */
public final class RoundRobinLoadBalancerFactory implements LoadBalancerFactory {
  /** The policy name of this balancer. */
  public static final String NAME = "round_robin";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public LoadBalancer create(String service) {
    return new RoundRobin();
  }

  static final class RoundRobin implements LoadBalancer {
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public PickResult pick(PickContext context) {
      List<? extends EndpointStats> endpoints = context.endpoints();
      int n = endpoints.size();
      if (n == 0) {
        return PickResult.none("no endpoints");
      }
      int start = Math.floorMod(next.getAndIncrement(), n);
      for (int i = 0; i < n; i++) {
        EndpointStats candidate = endpoints.get((start + i) % n);
        if (!context.isExcluded(candidate)) {
          return PickResult.of(candidate);
        }
      }
      return PickResult.none("all " + n + " endpoint(s) are excluded for this attempt");
    }
  }
}
