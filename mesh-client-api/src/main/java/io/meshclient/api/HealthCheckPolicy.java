package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Active health checks: the mesh sends {@code GET <path>} to every endpoint of the service every
 * {@linkplain #interval() interval} (plus a random {@linkplain #jitter() jitter}, so a fleet does
 * not check in step). An endpoint becomes unhealthy after {@linkplain #unhealthyThreshold() n}
 * failed checks in a row (a status outside 200..399, an I/O error, or no answer within the
 * {@linkplain #timeout() timeout}) and healthy again after {@linkplain #healthyThreshold() m}
 * passing ones. An endpoint counts as healthy only when its checks and its discovery source both
 * say so. Off unless a path is set.
 *
 * <pre>{@code
 * HealthCheckPolicy checks = HealthCheckPolicy.builder().path("/health").interval(Duration.ofSeconds(5)).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class HealthCheckPolicy {
  private static final HealthCheckPolicy DISABLED = builder().build();

  private final @Nullable String path;
  private final Duration interval;
  private final Duration jitter;
  private final Duration timeout;
  private final int healthyThreshold;
  private final int unhealthyThreshold;

  private HealthCheckPolicy(Builder b) {
    path = b.path;
    interval = b.interval;
    jitter = b.jitter;
    timeout = b.timeout;
    healthyThreshold = b.healthyThreshold;
    unhealthyThreshold = b.unhealthyThreshold;
  }

  /** No active checks (the default). */
  public static HealthCheckPolicy disabled() {
    return DISABLED;
  }

  /** A builder: no path (off), 10 s interval, 1 s jitter, 2 s timeout, thresholds 2 healthy and 3 unhealthy. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy's values. */
  public Builder toBuilder() {
    Builder b = new Builder().interval(interval).jitter(jitter).timeout(timeout)
        .healthyThreshold(healthyThreshold).unhealthyThreshold(unhealthyThreshold);
    b.path = path;
    return b;
  }

  /** Whether checks run: a path is set. */
  public boolean enabled() {
    return path != null;
  }

  /** The path checked, starting with {@code /}, or {@code null} when checks are off. */
  public @Nullable String path() {
    return path;
  }

  /** Time between two checks of one endpoint, before jitter. */
  public Duration interval() {
    return interval;
  }

  /** The most random time added to each interval. */
  public Duration jitter() {
    return jitter;
  }

  /** How long a check may take. */
  public Duration timeout() {
    return timeout;
  }

  /** Passing checks in a row that make an unhealthy endpoint healthy. */
  public int healthyThreshold() {
    return healthyThreshold;
  }

  /** Failed checks in a row that make a healthy endpoint unhealthy. */
  public int unhealthyThreshold() {
    return unhealthyThreshold;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof HealthCheckPolicy)) {
      return false;
    }
    HealthCheckPolicy t = (HealthCheckPolicy) o;
    return Objects.equals(path, t.path) && interval.equals(t.interval) && jitter.equals(t.jitter)
        && timeout.equals(t.timeout) && healthyThreshold == t.healthyThreshold
        && unhealthyThreshold == t.unhealthyThreshold;
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, interval, jitter, timeout, healthyThreshold, unhealthyThreshold);
  }

  @Override
  public String toString() {
    return path == null ? "HealthCheckPolicy{disabled}"
        : "HealthCheckPolicy{path=" + path + ", interval=" + interval + ", jitter=" + jitter + ", timeout=" + timeout
            + ", healthyThreshold=" + healthyThreshold + ", unhealthyThreshold=" + unhealthyThreshold + "}";
  }

  /** Builds a {@link HealthCheckPolicy}; {@link #build()} checks the values. Not thread-safe. */
  public static final class Builder {
    private @Nullable String path;
    private Duration interval = Duration.ofSeconds(10);
    private Duration jitter = Duration.ofSeconds(1);
    private Duration timeout = Duration.ofSeconds(2);
    private int healthyThreshold = 2;
    private int unhealthyThreshold = 3;

    private Builder() {}

    /** Sets the path checked, e.g. {@code /health}; turns checks on. */
    public Builder path(String path) {
      this.path = requireNonNull(path, "path");
      return this;
    }

    /** Sets the time between checks (&gt; 0). */
    public Builder interval(Duration interval) {
      this.interval = requireNonNull(interval, "interval");
      return this;
    }

    /** Sets the most random time added to an interval (&gt;= 0). */
    public Builder jitter(Duration jitter) {
      this.jitter = requireNonNull(jitter, "jitter");
      return this;
    }

    /** Sets how long a check may take (&gt; 0). */
    public Builder timeout(Duration timeout) {
      this.timeout = requireNonNull(timeout, "timeout");
      return this;
    }

    /** Sets the passing checks in a row that restore an endpoint (&gt;= 1). */
    public Builder healthyThreshold(int checks) {
      this.healthyThreshold = checks;
      return this;
    }

    /** Sets the failed checks in a row that take an endpoint out (&gt;= 1). */
    public Builder unhealthyThreshold(int checks) {
      this.unhealthyThreshold = checks;
      return this;
    }

    /**
     * Checks the values and builds the policy.
     *
     * @throws MeshConfigException naming the first bad field
     */
    public HealthCheckPolicy build() {
      if (path != null && !path.startsWith("/")) {
        throw new MeshConfigException("healthCheck.path", path, "a path starting with /, e.g. /health");
      }
      if (interval.isNegative() || interval.isZero()) {
        throw new MeshConfigException("healthCheck.interval", interval, "> 0s");
      }
      if (jitter.isNegative()) {
        throw new MeshConfigException("healthCheck.jitter", jitter, ">= 0s");
      }
      if (timeout.isNegative() || timeout.isZero()) {
        throw new MeshConfigException("healthCheck.timeout", timeout, "> 0s");
      }
      if (healthyThreshold < 1) {
        throw new MeshConfigException("healthCheck.healthyThreshold", healthyThreshold, ">= 1");
      }
      if (unhealthyThreshold < 1) {
        throw new MeshConfigException("healthCheck.unhealthyThreshold", unhealthyThreshold, ">= 1");
      }
      return new HealthCheckPolicy(this);
    }
  }
}
