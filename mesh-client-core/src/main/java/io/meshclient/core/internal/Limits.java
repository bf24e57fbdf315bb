package io.meshclient.core.internal;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.VegasLimit;
import com.netflix.concurrency.limits.limiter.AbstractLimiter;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.meshclient.api.AdaptiveConcurrencyPolicy;
import org.jspecify.annotations.Nullable;

/**
 * Makes each endpoint's adaptive concurrency limiter (Netflix concurrency-limits) from the
 * service's {@link AdaptiveConcurrencyPolicy}, on the mesh's time source.
 */
final class Limits {
  /** The listener of an endpoint without a limit: every report is ignored. */
  static final Limiter.Listener UNLIMITED = new Limiter.Listener() {
    @Override
    public void onSuccess() {}

    @Override
    public void onIgnore() {}

    @Override
    public void onDropped() {}
  };

  private Limits() {}

  /** A new limiter for one endpoint, or null when the policy is off. */
  static @Nullable AbstractLimiter<Void> create(AdaptiveConcurrencyPolicy policy, Ticker ticker, String name) {
    if (!policy.enabled()) {
      return null;
    }
    Limit limit = "vegas".equals(policy.algorithm())
        ? VegasLimit.newBuilder().initialLimit(policy.initialLimit()).maxConcurrency(policy.maxLimit()).build()
        : new Gradient2Limit.Builder().initialLimit(policy.initialLimit()).minLimit(policy.minLimit())
            .maxConcurrency(policy.maxLimit()).build();
    return SimpleLimiter.newBuilder().named(name).limit(limit).nanoClock(ticker::read).build();
  }
}
