package io.meshclient.core.internal;

import io.meshclient.api.EndpointStats;
import io.meshclient.api.LoadBalancer;
import io.meshclient.api.LoadBalancerFactory;
import io.meshclient.api.LoadBalancingPolicy;

/**
 * {@code peak_ewma}, the default: power of two choices on each endpoint's cost, its peak-sensitive
 * moving average of latency × (requests in flight + 1) ÷ weight. A slow endpoint's cost jumps at
 * its first slow answer, so it stops getting traffic at once; it decays while the endpoint is
 * idle, so it is probed again now and then and returns to rotation when it has recovered. An
 * endpoint with no answer yet gets one request at a time until it answers. Endpoints that
 * answered 429 or 503 lose while their penalty lasts.
 */
public final class PeakEwmaLoadBalancerFactory implements LoadBalancerFactory {
  /** The policy name of this balancer. */
  public static final String NAME = "peak_ewma";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public LoadBalancer create(String service, LoadBalancingPolicy settings) {
    return new PeakEwma();
  }

  static final class PeakEwma extends TwoChoices {
    /** The cost of a busy endpoint whose latency is still unknown: more than any measured one. */
    private static final double UNKNOWN_BUSY = 1e15;

    @Override
    double costAt(EndpointState endpoint, long now) {
      return endpoint.scoreAt(now);
    }

    @Override
    double cost(EndpointStats endpoint) {
      if (endpoint instanceof EndpointState) {
        return ((EndpointState) endpoint).score();
      }
      double latency = endpoint.latencyNanos();
      int load = endpoint.inFlight() + 1;
      double cost = latency > 0 ? latency * load : (load == 1 ? 0 : UNKNOWN_BUSY);
      return cost / endpoint.weight();
    }
  }
}
