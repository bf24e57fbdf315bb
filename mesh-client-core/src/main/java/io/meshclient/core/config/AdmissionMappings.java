package io.meshclient.core.config;

import io.meshclient.api.AdaptiveConcurrencyPolicy;
import io.meshclient.api.BulkheadPolicy;
import io.meshclient.api.RateLimitPolicy;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@code bulkhead}, {@code rateLimit} and {@code adaptiveConcurrency}: the admission policies that
 * are not the breakers (those read through {@link CircuitBreakerMapping}).
 */
final class AdmissionMappings {
  private AdmissionMappings() {}

  /** {@code bulkhead}: {@code maxConcurrentCalls} (0 turns it off). */
  static BulkheadPolicy bulkhead(Node node, BulkheadPolicy base) {
    int[] max = {base.maxConcurrentCalls()};
    new Fields<int[]>().integer("maxConcurrentCalls", (m, v) -> m[0] = v).apply(node, max);
    try {
      return max[0] == 0 ? BulkheadPolicy.disabled() : BulkheadPolicy.of(max[0]);
    } catch (io.meshclient.api.MeshConfigException e) {
      throw Fields.moved(e, node.path);
    }
  }

  /** A rate limit being read. */
  private static final class Limit {
    int limitForPeriod;
    @Nullable Duration refreshPeriod;
  }

  /** {@code rateLimit}: {@code limitForPeriod} (0 turns it off) and {@code refreshPeriod} (default 1s). */
  static RateLimitPolicy rateLimit(Node node, RateLimitPolicy base) {
    Limit limit = new Limit();
    limit.limitForPeriod = base.limitForPeriod();
    limit.refreshPeriod = base.enabled() ? base.refreshPeriod() : null;
    new Fields<Limit>()
        .integer("limitForPeriod", (l, v) -> l.limitForPeriod = v)
        .duration("refreshPeriod", (l, v) -> l.refreshPeriod = v)
        .apply(node, limit);
    try {
      return limit.limitForPeriod == 0 ? RateLimitPolicy.disabled()
          : RateLimitPolicy.of(limit.limitForPeriod, limit.refreshPeriod != null ? limit.refreshPeriod : Duration.ofSeconds(1));
    } catch (io.meshclient.api.MeshConfigException e) {
      throw Fields.moved(e, node.path);
    }
  }

  static final Fields<AdaptiveConcurrencyPolicy.Builder> ADAPTIVE = new Fields<AdaptiveConcurrencyPolicy.Builder>()
      .bool("enabled", AdaptiveConcurrencyPolicy.Builder::enabled)
      .text("algorithm", AdaptiveConcurrencyPolicy.Builder::algorithm)
      .integer("initialLimit", AdaptiveConcurrencyPolicy.Builder::initialLimit)
      .integer("minLimit", AdaptiveConcurrencyPolicy.Builder::minLimit)
      .integer("maxLimit", AdaptiveConcurrencyPolicy.Builder::maxLimit);

  /** {@code adaptiveConcurrency}: a section that is present turns it on unless {@code enabled: false}. */
  static AdaptiveConcurrencyPolicy adaptiveConcurrency(Node node, AdaptiveConcurrencyPolicy base) {
    AdaptiveConcurrencyPolicy.Builder builder = base.toBuilder();
    if (!base.enabled()) {
      builder = AdaptiveConcurrencyPolicy.builder(); // the builder's defaults, enabled
    }
    return ADAPTIVE.read(node, builder, AdaptiveConcurrencyPolicy.Builder::build);
  }
}
