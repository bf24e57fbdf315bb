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

  ClusterSettings(String service, ServicePolicy policy, LoadBalancer loadBalancer, RequestKey requestKey, Clock clock,
      Ticker ticker, MeshEventListener listener, @Nullable String meshZone) {
    this.policy = policy;
    this.loadBalancer = loadBalancer;
    this.requestKey = requestKey;
    this.breakers = new Breakers(service, policy.circuitBreaker(), clock, listener);
    this.tuning = new Tuning(policy.loadBalancing(), ticker);
    this.outliers = new OutlierDetector(policy.outlierDetection());
    this.zone = policy.loadBalancing().zoneAware() ? meshZone : null;
  }

  /**
   * The endpoint states to use under these settings, given those made under {@code old}: the same
   * states when breakers and balancing settings are unchanged; otherwise fresh states (new breaker,
   * latency estimate and tuning) that keep each endpoint's ejection and health-check verdict.
   */
  List<EndpointState> statesFrom(ClusterSettings old, List<EndpointState> states) {
    if (old.policy.circuitBreaker().equals(policy.circuitBreaker())
        && old.policy.loadBalancing().equals(policy.loadBalancing())) {
      return states;
    }
    List<EndpointState> fresh = new ArrayList<>(states.size());
    for (EndpointState state : states) {
      EndpointState copy = breakers.newEndpointState(state.endpoint(), tuning, false);
      copy.ejectedUntil = state.ejectedUntil;
      copy.timesEjected = state.timesEjected;
      copy.checkedHealthy = state.checkedHealthy;
      fresh.add(copy);
    }
    return List.copyOf(fresh);
  }
}
