package io.meshclient.core.config;

import io.meshclient.api.OutlierDetectionPolicy;

/** {@code outlierDetection}: the fields of {@link OutlierDetectionPolicy}. */
final class OutlierDetectionMapping {
  static final Fields<OutlierDetectionPolicy.Builder> FIELDS = new Fields<OutlierDetectionPolicy.Builder>()
      .bool("enabled", OutlierDetectionPolicy.Builder::enabled)
      .integer("consecutive5xx", OutlierDetectionPolicy.Builder::consecutive5xx)
      .integer("consecutiveGatewayFailures", OutlierDetectionPolicy.Builder::consecutiveGatewayFailures)
      .duration("interval", OutlierDetectionPolicy.Builder::interval)
      .decimal("successRateStdevFactor", OutlierDetectionPolicy.Builder::successRateStdevFactor)
      .integer("successRateMinimumHosts", OutlierDetectionPolicy.Builder::successRateMinimumHosts)
      .integer("successRateRequestVolume", OutlierDetectionPolicy.Builder::successRateRequestVolume)
      .integer("failurePercentageThreshold", OutlierDetectionPolicy.Builder::failurePercentageThreshold)
      .integer("failurePercentageMinimumHosts", OutlierDetectionPolicy.Builder::failurePercentageMinimumHosts)
      .integer("failurePercentageRequestVolume", OutlierDetectionPolicy.Builder::failurePercentageRequestVolume)
      .duration("baseEjectionTime", OutlierDetectionPolicy.Builder::baseEjectionTime)
      .duration("maxEjectionTime", OutlierDetectionPolicy.Builder::maxEjectionTime)
      .integer("maxEjectionPercent", OutlierDetectionPolicy.Builder::maxEjectionPercent);

  private OutlierDetectionMapping() {}

  static OutlierDetectionPolicy read(Node node, OutlierDetectionPolicy base) {
    return FIELDS.read(node, base.toBuilder(), OutlierDetectionPolicy.Builder::build);
  }
}
