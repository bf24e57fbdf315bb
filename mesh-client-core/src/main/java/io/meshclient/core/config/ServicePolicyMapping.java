package io.meshclient.core.config;

import io.meshclient.api.MeshConfigException;
import io.meshclient.api.ServicePolicy;

/**
 * The policy fields of {@code defaults} and of each {@code services.<name>}: every field of
 * {@link ServicePolicy}, each section read over the same section of the policy below it (the
 * defaults, or the built-in defaults), so a file sets only what differs.
 */
final class ServicePolicyMapping {
  /** A policy being read: the one below it, and the builder its fields are set on. */
  static final class Target {
    final ServicePolicy base;
    final ServicePolicy.Builder builder;
    /** The routes, read last: their timeouts, retry and hedging are read over this policy's own. */
    Node routes;

    Target(ServicePolicy base) {
      this.base = base;
      this.builder = base.toBuilder();
    }
  }

  static final Fields<Target> FIELDS = new Fields<Target>()
      .text("loadBalancer", (t, v) -> t.builder.loadBalancer(v))
      .field("loadBalancing", (t, v) -> t.builder.loadBalancing(LoadBalancingMapping.read(v, t.base.loadBalancing())))
      .field("timeouts", (t, v) -> t.builder.timeouts(TimeoutsMapping.read(v, t.base.timeouts())))
      .field("retry", (t, v) -> t.builder.retry(RetryMapping.read(v, t.base.retry())))
      .field("circuitBreaker", (t, v) -> t.builder.circuitBreaker(CircuitBreakerMapping.read(v, t.base.circuitBreaker())))
      .field("outlierDetection",
          (t, v) -> t.builder.outlierDetection(OutlierDetectionMapping.read(v, t.base.outlierDetection())))
      .field("healthCheck", (t, v) -> t.builder.healthCheck(HealthCheckMapping.read(v, t.base.healthCheck())))
      .field("retryBudget", (t, v) -> t.builder.retryBudget(RetryBudgetMapping.read(v, t.base.retryBudget())))
      .field("hedging", (t, v) -> t.builder.hedging(HedgingMapping.read(v, t.base.hedging())))
      .field("bulkhead", (t, v) -> t.builder.bulkhead(AdmissionMappings.bulkhead(v, t.base.bulkhead())))
      .field("rateLimit", (t, v) -> t.builder.rateLimit(AdmissionMappings.rateLimit(v, t.base.rateLimit())))
      .field("serviceCircuitBreaker", (t, v) -> t.builder.serviceCircuitBreaker(
          CircuitBreakerMapping.read(v, t.base.serviceCircuitBreaker())))
      .field("adaptiveConcurrency", (t, v) -> t.builder.adaptiveConcurrency(
          AdmissionMappings.adaptiveConcurrency(v, t.base.adaptiveConcurrency())))
      .field("routes", (t, v) -> t.routes = v);

  private ServicePolicyMapping() {}

  static ServicePolicy read(Node node, ServicePolicy base) {
    Target target = new Target(base);
    FIELDS.apply(node, target);
    return build(target, node.path);
  }

  /**
   * Builds the policy; its own errors ({@code loadBalancer}) are placed under {@code path}. The
   * routes are read last, over the policy built from the other fields.
   */
  static ServicePolicy build(Target target, String path) {
    if (target.routes != null) {
      Node routes = target.routes;
      target.routes = null;
      target.builder.routes(RouteMapping.read(routes, build(target, path)));
    }
    try {
      return target.builder.build();
    } catch (MeshConfigException e) {
      throw path.isEmpty() ? e : e.withParent(path);
    }
  }
}
