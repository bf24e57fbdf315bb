package io.meshclient.core.internal;

import io.meshclient.api.EndpointStats;
import io.meshclient.api.LoadBalancer;
import io.meshclient.api.LoadBalancerFactory;
import io.meshclient.api.PickContext;
import io.meshclient.api.PickResult;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code least_request}: power of two choices. Two distinct endpoints are drawn at random and the
 * one with fewer requests in flight wins; the most loaded endpoint is never chosen while two
 * others are free. Weights are not applied yet.
 */
public final class LeastRequestLoadBalancerFactory implements LoadBalancerFactory {
  /** The policy name of this balancer. */
  public static final String NAME = "least_request";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public LoadBalancer create(String service) {
    return new LeastRequest();
  }

  static final class LeastRequest implements LoadBalancer {
    @Override
    public PickResult pick(PickContext context) {
      List<? extends EndpointStats> endpoints = context.endpoints();
      int n = endpoints.size();
      if (n >= 2) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int a = random.nextInt(n);
        int b = random.nextInt(n - 1);
        if (b >= a) {
          b++;
        }
        EndpointStats first = endpoints.get(a);
        EndpointStats second = endpoints.get(b);
        if (!context.isExcluded(first) && !context.isExcluded(second)) {
          return PickResult.of(second.inFlight() < first.inFlight() ? second : first);
        }
      }
      // One endpoint, or a draw hit an excluded one (retries, open breakers): scan them all.
      EndpointStats best = null;
      for (int i = 0; i < n; i++) {
        EndpointStats candidate = endpoints.get(i);
        if (!context.isExcluded(candidate) && (best == null || candidate.inFlight() < best.inFlight())) {
          best = candidate;
        }
      }
      return best != null
          ? PickResult.of(best)
          : PickResult.none(n == 0 ? "no endpoints" : "all " + n + " endpoint(s) are excluded for this attempt");
    }
  }
}
