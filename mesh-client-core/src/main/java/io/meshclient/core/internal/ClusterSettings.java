package io.meshclient.core.internal;

import io.meshclient.api.LoadBalancer;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.ServicePolicy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A cluster's policy and the parts made from it: balancer, request key, breakers, balancing
 * settings, outlier detector and effective zone. Immutable: a policy change replaces it whole
 * ({@link Cluster#swap}).
 */
final class ClusterSettings {
  final ServicePolicy policy;
  final LoadBalancer loadBalancer;
  final RequestKey requestKey;
  final Breakers breakers;
  final Tuning tuning;
  final OutlierDetector outliers;
  final @Nullable String zone;
  final RetryBudget budget;
  final Admission admission;
  private final String service;
  private final Ticker ticker;

  ClusterSettings(String service, ServicePolicy policy, LoadBalancer loadBalancer, RequestKey requestKey, Clock clock,
      Ticker ticker, MeshEventListener listener, @Nullable String meshZone, @Nullable ClusterSettings old) {
    this.service = service;
    this.ticker = ticker;
    this.policy = policy;
    this.loadBalancer = loadBalancer;
    this.requestKey = requestKey;
    this.breakers = new Breakers(service, policy.circuitBreaker(), clock, listener);
    this.tuning = new Tuning(policy.loadBalancing(), ticker);
    this.outliers = new OutlierDetector(policy.outlierDetection());
    this.zone = policy.loadBalancing().zoneAware() ? meshZone : null;
    // Budget and admission carry over an unchanged policy: calls in flight hold permits of them.
    this.budget = old != null && old.policy.retryBudget().equals(policy.retryBudget())
        ? old.budget : new RetryBudget(policy.retryBudget(), ticker);
    this.admission = old != null && old.policy.rateLimit().equals(policy.rateLimit())
        && old.policy.bulkhead().equals(policy.bulkhead())
        && old.policy.serviceCircuitBreaker().equals(policy.serviceCircuitBreaker())
        ? old.admission : new Admission(service, policy, clock, ticker);
  }

  /** The state of a new endpoint under these settings: its breaker factory, tuning and concurrency limiter. */
  EndpointState newEndpointState(io.meshclient.api.Endpoint endpoint, boolean ramp) {
    EndpointState state = breakers.newEndpointState(endpoint, tuning, ramp);
    state.limiter = Limits.create(policy.adaptiveConcurrency(), ticker, service + "/" + endpoint.id());
    return state;
  }

  /**
   * The endpoint states to use under these settings, given those made under {@code old}: the same
   * states when breakers, balancing settings and concurrency limits are unchanged; otherwise fresh
   * states (new breaker, latency estimate, tuning and limiter) that keep each endpoint's ejection
   * and health-check verdict.
   */
  List<EndpointState> statesFrom(ClusterSettings old, List<EndpointState> states) {
    if (old.policy.circuitBreaker().equals(policy.circuitBreaker())
        && old.policy.loadBalancing().equals(policy.loadBalancing())
        && old.policy.adaptiveConcurrency().equals(policy.adaptiveConcurrency())) {
      return states;
    }
    List<EndpointState> fresh = new ArrayList<>(states.size());
    for (EndpointState state : states) {
      EndpointState copy = newEndpointState(state.endpoint(), false);
      copy.ejectedUntil = state.ejectedUntil;
      copy.timesEjected = state.timesEjected;
      copy.checkedHealthy = state.checkedHealthy;
      fresh.add(copy);
    }
    return List.copyOf(fresh);
  }
}
