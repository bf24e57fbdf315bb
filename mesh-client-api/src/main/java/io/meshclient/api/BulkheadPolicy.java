package io.meshclient.api;

import org.jspecify.annotations.Nullable;

/**
 * The most calls to a service that may be in flight at once (a Resilience4j semaphore bulkhead); a
 * call beyond it is refused at once with a {@link BulkheadFullException}, before any network I/O.
 * Off by default.
 *
 * <pre>{@code
 * BulkheadPolicy bulkhead = BulkheadPolicy.of(100);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class BulkheadPolicy {
  private static final BulkheadPolicy DISABLED = new BulkheadPolicy(0);

  private final int maxConcurrentCalls;

  private BulkheadPolicy(int maxConcurrentCalls) {
    this.maxConcurrentCalls = maxConcurrentCalls;
  }

  /** No bulkhead: the default. */
  public static BulkheadPolicy disabled() {
    return DISABLED;
  }

  /**
   * A bulkhead admitting {@code maxConcurrentCalls} calls at once.
   *
   * @throws MeshConfigException if it is not positive
   */
  public static BulkheadPolicy of(int maxConcurrentCalls) {
    if (maxConcurrentCalls < 1) {
      throw new MeshConfigException("bulkhead.maxConcurrentCalls", maxConcurrentCalls, ">= 1");
    }
    return new BulkheadPolicy(maxConcurrentCalls);
  }

  /** Whether calls are limited. */
  public boolean enabled() {
    return maxConcurrentCalls > 0;
  }

  /** The most calls in flight at once; 0 when disabled. */
  public int maxConcurrentCalls() {
    return maxConcurrentCalls;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof BulkheadPolicy && ((BulkheadPolicy) o).maxConcurrentCalls == maxConcurrentCalls;
  }

  @Override
  public int hashCode() {
    return maxConcurrentCalls;
  }

  @Override
  public String toString() {
    return enabled() ? "BulkheadPolicy{maxConcurrentCalls=" + maxConcurrentCalls + "}" : "BulkheadPolicy{disabled}";
  }
}
