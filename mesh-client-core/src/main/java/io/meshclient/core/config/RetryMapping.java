package io.meshclient.core.config;

import io.meshclient.api.RetryPolicy;
import io.meshclient.api.RetryRule;

/** {@code retry}: the fields of {@link RetryPolicy}. */
final class RetryMapping {
  static final Fields<RetryPolicy.Builder> FIELDS = new Fields<RetryPolicy.Builder>()
      .integer("maxAttempts", RetryPolicy.Builder::maxAttempts)
      .field("retryOn", (b, v) -> b.retryOn(RetryRule.parse(v.path, names(v))))
      .bool("retryNonIdempotent", RetryPolicy.Builder::retryNonIdempotent)
      .duration("initialBackoff", RetryPolicy.Builder::initialBackoff)
      .duration("maxBackoff", RetryPolicy.Builder::maxBackoff)
      .decimal("backoffMultiplier", RetryPolicy.Builder::backoffMultiplier);

  private RetryMapping() {}

  /** The entries of {@code retryOn}: names, and statuses written as numbers or text. */
  private static java.util.List<String> names(Node node) {
    java.util.List<String> names = new java.util.ArrayList<>();
    for (Node item : node.list()) {
      names.add(item.json.isIntegralNumber() ? item.json.asText() : item.text());
    }
    return names;
  }

  static RetryPolicy read(Node node, RetryPolicy base) {
    return FIELDS.read(node, base.toBuilder(), RetryPolicy.Builder::build);
  }
}
