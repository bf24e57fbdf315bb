package io.meshclient.core.internal;

import io.meshclient.api.EndpointStats;
import io.meshclient.api.LoadBalancer;
import io.meshclient.api.LoadBalancerFactory;
import io.meshclient.api.LoadBalancingPolicy;
import io.meshclient.api.PickContext;
import io.meshclient.api.PickResult;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * {@code random}: each endpoint with probability proportional to its current weight. Draws an
 * endpoint uniformly and keeps it with probability weight ÷ largest weight (rejection sampling):
 * no table to rebuild when weights change during slow start, and a constant expected cost when
 * weights are close. After a bounded number of draws it falls back to one weighted scan.
 */
public final class RandomLoadBalancerFactory implements LoadBalancerFactory {
  /** The policy name of this balancer. */
  public static final String NAME = "random";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public LoadBalancer create(String service, LoadBalancingPolicy settings) {
    return new WeightedRandom();
  }

  static final class WeightedRandom implements LoadBalancer {
    private static final int DRAWS = 16;
    private final MaxWeight maxWeight = new MaxWeight();

    @Override
    public PickResult pick(PickContext context) {
      List<? extends EndpointStats> endpoints = context.endpoints();
      int n = endpoints.size();
      if (n == 0) {
        return PickResult.none("no endpoints");
      }
      RandomGenerator random = context.random();
      double max = maxWeight.of(endpoints);
      for (int i = 0; i < DRAWS; i++) {
        EndpointStats candidate = endpoints.get(random.nextInt(n));
        double weight = candidate.weight();
        if (!context.isExcluded(candidate) && (weight >= max || random.nextDouble() * max < weight)) {
          return EndpointState.picked(candidate);
        }
      }
      return scan(endpoints, context, random);
    }

    private static PickResult scan(List<? extends EndpointStats> endpoints, PickContext context, RandomGenerator random) {
      double total = 0;
      for (EndpointStats e : endpoints) {
        if (!context.isExcluded(e)) {
          total += e.weight();
        }
      }
      if (total <= 0) {
        return PickResult.none("all " + endpoints.size() + " endpoint(s) are excluded for this attempt");
      }
      double target = random.nextDouble() * total;
      EndpointStats last = null;
      for (EndpointStats e : endpoints) {
        if (!context.isExcluded(e)) {
          last = e;
          target -= e.weight();
          if (target < 0) {
            return EndpointState.picked(e);
          }
        }
      }
      return EndpointState.picked(last);
    }
  }
}
