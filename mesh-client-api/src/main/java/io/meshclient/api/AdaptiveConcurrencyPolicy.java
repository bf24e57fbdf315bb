package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An adaptive concurrency limit per endpoint, found by watching latency as load changes (Netflix's
 * concurrency-limits: the {@code gradient2} or {@code vegas} algorithm). An endpoint at its limit is
 * passed over by the load balancer, as if it had no room; when every endpoint is at its limit the
 * call is refused with a {@link ConcurrencyLimitException}, before any network I/O. Off by default.
 *
 * <pre>{@code
 * AdaptiveConcurrencyPolicy limits = AdaptiveConcurrencyPolicy.builder()
 *     .algorithm("gradient2").initialLimit(20).maxLimit(200).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class AdaptiveConcurrencyPolicy {
  /** The algorithms known. */
  public static final Set<String> ALGORITHMS = Set.of("gradient2", "vegas");

  private static final AdaptiveConcurrencyPolicy DISABLED = new Builder().enabled(false).build();

  private final boolean enabled;
  private final String algorithm;
  private final int initialLimit;
  private final int minLimit;
  private final int maxLimit;

  private AdaptiveConcurrencyPolicy(Builder b) {
    this.enabled = b.enabled;
    this.algorithm = b.algorithm;
    this.initialLimit = b.initialLimit;
    this.minLimit = b.minLimit;
    this.maxLimit = b.maxLimit;
  }

  /** No adaptive limit: the default. */
  public static AdaptiveConcurrencyPolicy disabled() {
    return DISABLED;
  }

  /** A builder for an enabled limit: gradient2, starting at 20, between 1 and 200. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy's values. */
  public Builder toBuilder() {
    return new Builder().enabled(enabled).algorithm(algorithm).initialLimit(initialLimit).minLimit(minLimit)
        .maxLimit(maxLimit);
  }

  /** Whether endpoints are limited. */
  public boolean enabled() {
    return enabled;
  }

  /** {@code gradient2} or {@code vegas}. */
  public String algorithm() {
    return algorithm;
  }

  /** The limit an endpoint starts with. */
  public int initialLimit() {
    return initialLimit;
  }

  /** The limit never goes below this, whichever the algorithm. */
  public int minLimit() {
    return minLimit;
  }

  /** The limit never goes above this. */
  public int maxLimit() {
    return maxLimit;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof AdaptiveConcurrencyPolicy)) {
      return false;
    }
    AdaptiveConcurrencyPolicy that = (AdaptiveConcurrencyPolicy) o;
    return enabled == that.enabled && algorithm.equals(that.algorithm) && initialLimit == that.initialLimit
        && minLimit == that.minLimit && maxLimit == that.maxLimit;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(enabled, algorithm, initialLimit, minLimit, maxLimit);
  }

  @Override
  public String toString() {
    return enabled ? "AdaptiveConcurrencyPolicy{" + algorithm + ", " + initialLimit + " in " + minLimit + ".."
        + maxLimit + "}" : "AdaptiveConcurrencyPolicy{disabled}";
  }

  /** Builds an {@link AdaptiveConcurrencyPolicy}; {@link #build()} checks the values. Not thread-safe. */
  public static final class Builder {
    private boolean enabled = true;
    private String algorithm = "gradient2";
    private int initialLimit = 20;
    private int minLimit = 1;
    private int maxLimit = 200;

    private Builder() {}

    /** Sets whether endpoints are limited (on for a builder). */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /** Sets the algorithm: {@code gradient2} (the default) or {@code vegas}. */
    public Builder algorithm(String algorithm) {
      this.algorithm = requireNonNull(algorithm, "algorithm");
      return this;
    }

    /** Sets the starting limit. */
    public Builder initialLimit(int initialLimit) {
      this.initialLimit = initialLimit;
      return this;
    }

    /** Sets the lowest limit (>= 1). */
    public Builder minLimit(int minLimit) {
      this.minLimit = minLimit;
      return this;
    }

    /** Sets the highest limit. */
    public Builder maxLimit(int maxLimit) {
      this.maxLimit = maxLimit;
      return this;
    }

    /**
     * Checks the values and builds the policy.
     *
     * @throws MeshConfigException naming the first bad field
     */
    public AdaptiveConcurrencyPolicy build() {
      if (!ALGORITHMS.contains(algorithm)) {
        throw new MeshConfigException("adaptiveConcurrency.algorithm", algorithm, "gradient2 or vegas");
      }
      if (minLimit < 1) {
        throw new MeshConfigException("adaptiveConcurrency.minLimit", minLimit, ">= 1");
      }
      if (maxLimit < minLimit) {
        throw new MeshConfigException("adaptiveConcurrency.maxLimit", maxLimit,
            ">= adaptiveConcurrency.minLimit (" + minLimit + ")");
      }
      if (initialLimit < minLimit || initialLimit > maxLimit) {
        throw new MeshConfigException("adaptiveConcurrency.initialLimit", initialLimit, minLimit + ".." + maxLimit);
      }
      return new AdaptiveConcurrencyPolicy(this);
    }
  }
}
