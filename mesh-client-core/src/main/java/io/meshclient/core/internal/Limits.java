package io.meshclient.core.internal;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.VegasLimit;
import com.netflix.concurrency.limits.limiter.AbstractLimiter;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.meshclient.api.AdaptiveConcurrencyPolicy;
import java.util.function.Consumer;
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
    // Vegas has no lower bound of its own (it stops at 1), so the policy's floor is laid over it.
    Limit limit = "vegas".equals(policy.algorithm())
        ? new Floored(VegasLimit.newBuilder().initialLimit(policy.initialLimit()).maxConcurrency(policy.maxLimit())
            .build(), policy.minLimit())
        : new Gradient2Limit.Builder().initialLimit(policy.initialLimit()).minLimit(policy.minLimit())
            .maxConcurrency(policy.maxLimit()).build();
    return SimpleLimiter.newBuilder().named(name).limit(limit).nanoClock(ticker::read).build();
  }

  /**
   * A limit never reported below {@code min}: the algorithm beneath keeps its own estimate, which may
   * sink lower, but the limiter is only ever told {@code max(min, estimate)}.
   */
  static final class Floored implements Limit {
    private final Limit delegate;
    private final int min;

    Floored(Limit delegate, int min) {
      this.delegate = delegate;
      this.min = min;
    }

    @Override
    public int getLimit() {
      return Math.max(min, delegate.getLimit());
    }

    @Override
    public void notifyOnChange(Consumer<Integer> consumer) {
      delegate.notifyOnChange(limit -> consumer.accept(Math.max(min, limit)));
    }

    @Override
    public void onSample(long startTime, long rtt, int inflight, boolean didDrop) {
      delegate.onSample(startTime, rtt, inflight, didDrop);
    }
  }
}
