package io.meshclient.core.config;

import io.meshclient.api.RetryBudgetPolicy;

/** {@code retryBudget}: the fields of {@link RetryBudgetPolicy}. */
final class RetryBudgetMapping {
  static final Fields<RetryBudgetPolicy.Builder> FIELDS = new Fields<RetryBudgetPolicy.Builder>()
      .bool("enabled", RetryBudgetPolicy.Builder::enabled)
      .decimal("percent", RetryBudgetPolicy.Builder::percent)
      .integer("minRetriesPerSecond", RetryBudgetPolicy.Builder::minRetriesPerSecond)
      .duration("window", RetryBudgetPolicy.Builder::window);

  private RetryBudgetMapping() {}

  static RetryBudgetPolicy read(Node node, RetryBudgetPolicy base) {
    return FIELDS.read(node, base.toBuilder(), RetryBudgetPolicy.Builder::build);
  }
}
