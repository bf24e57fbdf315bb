package io.meshclient.core.internal;

import io.meshclient.api.LoadBalancingPolicy;

/**
 * A service's balancing settings in the form the request path uses (nanoseconds, fractions),
 * with the service's time source: shared by the cluster and all its endpoint states.
 */
final class Tuning {
  final Ticker ticker;
  final double ewmaDecayNanos;
  final long slowStartNanos;
  final double slowStartMinWeight;
  final long overloadPenaltyNanos;
  final long maxOverloadPenaltyNanos;

  Tuning(LoadBalancingPolicy policy, Ticker ticker) {
    this.ticker = ticker;
    this.ewmaDecayNanos = policy.ewmaDecay().toNanos();
    this.slowStartNanos = policy.slowStartWindow().toNanos();
    this.slowStartMinWeight = policy.slowStartMinWeightPercent() / 100.0;
    this.overloadPenaltyNanos = policy.overloadPenalty().toNanos();
    this.maxOverloadPenaltyNanos = policy.maxOverloadPenalty().toNanos();
  }
}
