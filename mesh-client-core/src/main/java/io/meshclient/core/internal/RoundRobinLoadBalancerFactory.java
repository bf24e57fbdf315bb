package io.meshclient.core.internal;

import io.meshclient.api.EndpointStats;
import io.meshclient.api.LoadBalancer;
import io.meshclient.api.LoadBalancerFactory;
import io.meshclient.api.LoadBalancingPolicy;
import io.meshclient.api.PickContext;
import io.meshclient.api.PickResult;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code round_robin}: endpoints in turn, in proportion to their current weights, spread evenly
 * (smooth: weights 5, 1, 1 give a a b a c a a ..., not a a a a a b c), without a lock. One shared
 * counter walks the endpoints generation by generation; an endpoint of weight w (scaled to
 * 0..65535 of the largest) takes its turn in w of every 65535 generations, the turns of
 * different endpoints offset from each other so they interleave. Equal weights take every turn:
 * plain round robin. Endpoints the attempt must avoid are skipped.
 */
public final class RoundRobinLoadBalancerFactory implements LoadBalancerFactory {
  /** The policy name of this balancer. */
  public static final String NAME = "round_robin";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public LoadBalancer create(String service, LoadBalancingPolicy settings) {
    return new RoundRobin();
  }

  static final class RoundRobin implements LoadBalancer {
    private static final int SCALE = 0xFFFF;
    private static final int OFFSET = SCALE / 2;
    private final AtomicLong sequence = new AtomicLong();
    private final MaxWeight maxWeight = new MaxWeight();

    @Override
    public PickResult pick(PickContext context) {
      List<? extends EndpointStats> endpoints = context.endpoints();
      int n = endpoints.size();
      if (n == 0) {
        return PickResult.none("no endpoints");
      }
      double max = maxWeight.of(endpoints);
      for (int step = 0; step < 4 * n + 4; step++) {
        long seq = sequence.getAndIncrement() & Long.MAX_VALUE;
        int index = (int) (seq % n);
        long generation = seq / n;
        EndpointStats candidate = endpoints.get(index);
        double weight = candidate.weight();
        int scaled = weight >= max ? SCALE : Math.max(1, (int) (weight / max * SCALE));
        if ((scaled * generation + (long) index * OFFSET) % SCALE >= SCALE - scaled
            && !context.isExcluded(candidate)) {
          return EndpointState.picked(candidate);
        }
      }
      // Very uneven weights or many exclusions: the next endpoint in order that may be used.
      int start = (int) ((sequence.get() & Long.MAX_VALUE) % n);
      for (int i = 0; i < n; i++) {
        EndpointStats candidate = endpoints.get((start + i) % n);
        if (!context.isExcluded(candidate)) {
          return EndpointState.picked(candidate);
        }
      }
      return PickResult.none("all " + n + " endpoint(s) are excluded for this attempt");
    }
  }
}
