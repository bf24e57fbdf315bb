package io.meshclient.core.config;

import io.meshclient.api.RetryPolicy;
import java.util.LinkedHashSet;

/** {@code retry}: the fields of {@link RetryPolicy}. */
final class RetryMapping {
  static final Fields<RetryPolicy.Builder> FIELDS = new Fields<RetryPolicy.Builder>()
      .integer("maxAttempts", RetryPolicy.Builder::maxAttempts)
      .field("retryStatuses", (b, v) -> b.retryStatuses(new LinkedHashSet<>(v.integers())))
      .bool("retryOnConnectFailure", RetryPolicy.Builder::retryOnConnectFailure)
      .bool("retryNonIdempotent", RetryPolicy.Builder::retryNonIdempotent)
      .duration("initialBackoff", RetryPolicy.Builder::initialBackoff)
      .duration("maxBackoff", RetryPolicy.Builder::maxBackoff)
      .decimal("backoffMultiplier", RetryPolicy.Builder::backoffMultiplier);

  private RetryMapping() {}

  static RetryPolicy read(Node node, RetryPolicy base) {
    return FIELDS.read(node, base.toBuilder(), RetryPolicy.Builder::build);
  }
}
