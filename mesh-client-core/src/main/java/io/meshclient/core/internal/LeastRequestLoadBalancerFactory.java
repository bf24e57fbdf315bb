package io.meshclient.core.internal;

import io.meshclient.api.EndpointStats;
import io.meshclient.api.LoadBalancer;
import io.meshclient.api.LoadBalancerFactory;
import io.meshclient.api.LoadBalancingPolicy;

/**
 * {@code least_request}: power of two choices on requests in flight, weight-aware. Two distinct
 * endpoints are drawn at random and the one with the lower (in-flight + 1) ÷ weight wins, so an
 * endpoint of weight 2 carries about twice the load of one of weight 1. Endpoints that answered
 * 429 or 503 lose while their penalty lasts.
 */
public final class LeastRequestLoadBalancerFactory implements LoadBalancerFactory {
  /** The policy name of this balancer. */
  public static final String NAME = "least_request";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public LoadBalancer create(String service, LoadBalancingPolicy settings) {
    return new LeastRequest();
  }

  static final class LeastRequest extends TwoChoices {
    @Override
    double cost(EndpointStats endpoint) {
      return (endpoint.inFlight() + 1) / endpoint.weight();
    }
  }
}
