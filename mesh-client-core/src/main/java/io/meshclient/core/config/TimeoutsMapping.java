package io.meshclient.core.config;

import io.meshclient.api.TimeoutPolicy;

/** {@code timeouts}: the fields of {@link TimeoutPolicy}. */
final class TimeoutsMapping {
  static final Fields<TimeoutPolicy.Builder> FIELDS = new Fields<TimeoutPolicy.Builder>()
      .duration("timeout", TimeoutPolicy.Builder::timeout)
      .duration("perTryTimeout", TimeoutPolicy.Builder::perTryTimeout)
      .bool("propagateDeadline", TimeoutPolicy.Builder::propagateDeadline)
      .text("deadlineHeader", TimeoutPolicy.Builder::deadlineHeader);

  private TimeoutsMapping() {}

  static TimeoutPolicy read(Node node, TimeoutPolicy base) {
    return FIELDS.read(node, base.toBuilder(), TimeoutPolicy.Builder::build);
  }
}
