package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The most calls to a service per period (a Resilience4j rate limiter): {@linkplain #limitForPeriod()
 * that many} permits, renewed every {@linkplain #refreshPeriod() period}. A call beyond it is refused
 * at once with a {@link RateLimitedException} that says when a permit is expected, before any
 * network I/O. Off by default.
 *
 * <pre>{@code
 * RateLimitPolicy limit = RateLimitPolicy.of(500, Duration.ofSeconds(1)); // 500 calls a second
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class RateLimitPolicy {
  private static final RateLimitPolicy DISABLED = new RateLimitPolicy(0, Duration.ZERO);

  private final int limitForPeriod;
  private final Duration refreshPeriod;

  private RateLimitPolicy(int limitForPeriod, Duration refreshPeriod) {
    this.limitForPeriod = limitForPeriod;
    this.refreshPeriod = refreshPeriod;
  }

  /** No rate limit: the default. */
  public static RateLimitPolicy disabled() {
    return DISABLED;
  }

  /**
   * At most {@code limitForPeriod} calls per {@code refreshPeriod}.
   *
   * @throws MeshConfigException if the limit is not positive or the period is shorter than 1 ms
   */
  public static RateLimitPolicy of(int limitForPeriod, Duration refreshPeriod) {
    requireNonNull(refreshPeriod, "refreshPeriod");
    if (limitForPeriod < 1) {
      throw new MeshConfigException("rateLimit.limitForPeriod", limitForPeriod, ">= 1");
    }
    if (refreshPeriod.compareTo(Duration.ofMillis(1)) < 0) {
      throw new MeshConfigException("rateLimit.refreshPeriod", refreshPeriod, ">= 1ms");
    }
    return new RateLimitPolicy(limitForPeriod, refreshPeriod);
  }

  /** Whether calls are limited. */
  public boolean enabled() {
    return limitForPeriod > 0;
  }

  /** Permits per period; 0 when disabled. */
  public int limitForPeriod() {
    return limitForPeriod;
  }

  /** How often the permits are renewed. */
  public Duration refreshPeriod() {
    return refreshPeriod;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RateLimitPolicy && ((RateLimitPolicy) o).limitForPeriod == limitForPeriod
        && ((RateLimitPolicy) o).refreshPeriod.equals(refreshPeriod);
  }

  @Override
  public int hashCode() {
    return limitForPeriod * 31 + refreshPeriod.hashCode();
  }

  @Override
  public String toString() {
    return enabled() ? "RateLimitPolicy{" + limitForPeriod + " per " + refreshPeriod + "}" : "RateLimitPolicy{disabled}";
  }
}
