package io.meshclient.core.config;

import io.meshclient.api.HealthCheckPolicy;

/** {@code healthCheck}: the fields of {@link HealthCheckPolicy}; setting {@code path} turns checks on. */
final class HealthCheckMapping {
  static final Fields<HealthCheckPolicy.Builder> FIELDS = new Fields<HealthCheckPolicy.Builder>()
      .text("path", HealthCheckPolicy.Builder::path)
      .duration("interval", HealthCheckPolicy.Builder::interval)
      .duration("jitter", HealthCheckPolicy.Builder::jitter)
      .duration("timeout", HealthCheckPolicy.Builder::timeout)
      .integer("healthyThreshold", HealthCheckPolicy.Builder::healthyThreshold)
      .integer("unhealthyThreshold", HealthCheckPolicy.Builder::unhealthyThreshold);

  private HealthCheckMapping() {}

  static HealthCheckPolicy read(Node node, HealthCheckPolicy base) {
    return FIELDS.read(node, base.toBuilder(), HealthCheckPolicy.Builder::build);
  }
}
