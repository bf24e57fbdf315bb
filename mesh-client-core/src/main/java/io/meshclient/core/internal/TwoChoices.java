package io.meshclient.core.internal;

import io.meshclient.api.EndpointStats;
import io.meshclient.api.LoadBalancer;
import io.meshclient.api.PickContext;
import io.meshclient.api.PickResult;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Power of two choices over a cost: two distinct endpoints drawn at random, the cheaper one wins.
 * An endpoint that recently asked for less traffic ({@link EndpointStats#penalized()}) loses to
 * any that did not. The costliest endpoint is never chosen while two others are free, and the
 * choice costs two reads, not a scan.
 */
abstract class TwoChoices implements LoadBalancer {
  /** The endpoint's cost; lower wins. Weights divide it. */
  abstract double cost(EndpointStats endpoint);

  /**
   * The cost of one of the mesh's own endpoints at {@code now}, read from the clock once per
   * comparison; the default ignores {@code now}.
   */
  double costAt(EndpointState endpoint, long now) {
    return cost(endpoint);
  }

  @Override
  public PickResult pick(PickContext context) {
    List<? extends EndpointStats> endpoints = context.endpoints();
    int n = endpoints.size();
    if (n >= 2) {
      RandomGenerator random = context.random();
      int a = random.nextInt(n);
      int b = random.nextInt(n - 1);
      if (b >= a) {
        b++;
      }
      EndpointStats first = endpoints.get(a);
      EndpointStats second = endpoints.get(b);
      if (!context.isExcluded(first) && !context.isExcluded(second)) {
        return EndpointState.picked(better(first, second) ? first : second);
      }
    }
    // One endpoint, or a draw hit an excluded one (retries, open breakers): scan them all.
    EndpointStats best = null;
    for (int i = 0; i < n; i++) {
      EndpointStats candidate = endpoints.get(i);
      if (!context.isExcluded(candidate) && (best == null || better(candidate, best))) {
        best = candidate;
      }
    }
    return best != null
        ? EndpointState.picked(best)
        : PickResult.none(n == 0 ? "no endpoints" : "all " + n + " endpoint(s) are excluded for this attempt");
  }

  /** Whether {@code a} is strictly better than {@code b}: not penalised when {@code b} is, else cheaper. */
  private boolean better(EndpointStats a, EndpointStats b) {
    if (a instanceof EndpointState && b instanceof EndpointState) {
      EndpointState x = (EndpointState) a;
      EndpointState y = (EndpointState) b;
      long now = x.now();
      boolean px = x.penalizedAt(now);
      boolean py = y.penalizedAt(now);
      if (px != py) {
        return py;
      }
      return costAt(x, now) < costAt(y, now);
    }
    boolean pa = a.penalized();
    boolean pb = b.penalized();
    if (pa != pb) {
      return pb;
    }
    return cost(a) < cost(b);
  }
}
