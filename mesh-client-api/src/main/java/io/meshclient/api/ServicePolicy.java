package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Everything the mesh does on calls to one service, as one immutable value: which
 * {@linkplain #loadBalancer() load balancer} picks endpoints and {@linkplain #loadBalancing() how},
 * the {@linkplain #timeouts() timeouts}, the {@linkplain #retry() retry policy}, the per-endpoint
 * {@linkplain #circuitBreaker() circuit breaker}, {@linkplain #outlierDetection() outlier
 * detection} and {@linkplain #healthCheck() active health checks}. This is the configuration model every front end (builder,
 * configuration file, Spring properties) fills in; issues that add policies extend it here.
 *
 * <pre>{@code
 * ServicePolicy policy = ServicePolicy.builder()
 *     .loadBalancer("least_request")
 *     .timeouts(TimeoutPolicy.builder().timeout(Duration.ofSeconds(2)).build())
 *     .retry(RetryPolicy.builder().maxAttempts(2).build())
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ServicePolicy {
  /** The load balancer used unless one is named. */
  public static final String DEFAULT_LOAD_BALANCER = "peak_ewma";

  private static final Pattern LOAD_BALANCER_NAME = Pattern.compile("[a-z][a-z0-9_]*");
  private static final ServicePolicy DEFAULTS = builder().build();

  private final String loadBalancer;
  private final TimeoutPolicy timeouts;
  private final RetryPolicy retry;
  private final CircuitBreakerPolicy circuitBreaker;
  private final LoadBalancingPolicy loadBalancing;
  private final OutlierDetectionPolicy outlierDetection;
  private final HealthCheckPolicy healthCheck;

  private ServicePolicy(Builder b) {
    this.loadBalancer = b.loadBalancer;
    this.timeouts = b.timeouts;
    this.retry = b.retry;
    this.circuitBreaker = b.circuitBreaker;
    this.loadBalancing = b.loadBalancing;
    this.outlierDetection = b.outlierDetection;
    this.healthCheck = b.healthCheck;
  }

  /**
   * The defaults: {@code peak_ewma}, and the {@code ofDefaults()} of every policy, with active
   * health checks off.
   */
  public static ServicePolicy ofDefaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy's values. */
  public Builder toBuilder() {
    return new Builder()
        .loadBalancer(loadBalancer)
        .timeouts(timeouts)
        .retry(retry)
        .circuitBreaker(circuitBreaker)
        .loadBalancing(loadBalancing)
        .outlierDetection(outlierDetection)
        .healthCheck(healthCheck);
  }

  /** The name of the {@link LoadBalancerFactory} that picks this service's endpoints. */
  public String loadBalancer() {
    return loadBalancer;
  }

  /** The overall and per-try timeouts. */
  public TimeoutPolicy timeouts() {
    return timeouts;
  }

  /** When failed attempts are retried. */
  public RetryPolicy retry() {
    return retry;
  }

  /** The breaker each endpoint gets. */
  public CircuitBreakerPolicy circuitBreaker() {
    return circuitBreaker;
  }

  /** Zone preference, slow start, panic threshold, overload penalty and balancer settings. */
  public LoadBalancingPolicy loadBalancing() {
    return loadBalancing;
  }

  /** When an endpoint is ejected for failing more than its peers. */
  public OutlierDetectionPolicy outlierDetection() {
    return outlierDetection;
  }

  /** The active health checks; off by default. */
  public HealthCheckPolicy healthCheck() {
    return healthCheck;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof ServicePolicy)) {
      return false;
    }
    ServicePolicy that = (ServicePolicy) o;
    return loadBalancer.equals(that.loadBalancer)
        && timeouts.equals(that.timeouts)
        && retry.equals(that.retry)
        && circuitBreaker.equals(that.circuitBreaker)
        && loadBalancing.equals(that.loadBalancing)
        && outlierDetection.equals(that.outlierDetection)
        && healthCheck.equals(that.healthCheck);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(loadBalancer, timeouts, retry, circuitBreaker, loadBalancing, outlierDetection,
        healthCheck);
  }

  @Override
  public String toString() {
    return "ServicePolicy{loadBalancer=" + loadBalancer + ", " + timeouts + ", " + retry + ", "
        + circuitBreaker + ", " + loadBalancing + ", " + outlierDetection + ", " + healthCheck + "}";
  }

  /** Builds a {@link ServicePolicy}; {@link #build()} checks the values. Not thread-safe. */
  public static final class Builder {
    private String loadBalancer = DEFAULT_LOAD_BALANCER;
    private TimeoutPolicy timeouts = TimeoutPolicy.ofDefaults();
    private RetryPolicy retry = RetryPolicy.ofDefaults();
    private CircuitBreakerPolicy circuitBreaker = CircuitBreakerPolicy.ofDefaults();
    private LoadBalancingPolicy loadBalancing = LoadBalancingPolicy.ofDefaults();
    private OutlierDetectionPolicy outlierDetection = OutlierDetectionPolicy.ofDefaults();
    private HealthCheckPolicy healthCheck = HealthCheckPolicy.disabled();

    private Builder() {}

    /**
     * Names the load balancer: {@code peak_ewma} (the default), {@code least_request},
     * {@code round_robin}, {@code random}, {@code ring_hash}, {@code maglev}, or a plugged-in one.
     */
    public Builder loadBalancer(String loadBalancer) {
      this.loadBalancer = requireNonNull(loadBalancer, "loadBalancer");
      return this;
    }

    /** Sets the timeouts. */
    public Builder timeouts(TimeoutPolicy timeouts) {
      this.timeouts = requireNonNull(timeouts, "timeouts");
      return this;
    }

    /** Sets the retry policy. */
    public Builder retry(RetryPolicy retry) {
      this.retry = requireNonNull(retry, "retry");
      return this;
    }

    /** Sets the per-endpoint circuit breaker. */
    public Builder circuitBreaker(CircuitBreakerPolicy circuitBreaker) {
      this.circuitBreaker = requireNonNull(circuitBreaker, "circuitBreaker");
      return this;
    }

    /** Sets zone preference, slow start, panic threshold, overload penalty and balancer settings. */
    public Builder loadBalancing(LoadBalancingPolicy loadBalancing) {
      this.loadBalancing = requireNonNull(loadBalancing, "loadBalancing");
      return this;
    }

    /** Sets passive outlier detection. */
    public Builder outlierDetection(OutlierDetectionPolicy outlierDetection) {
      this.outlierDetection = requireNonNull(outlierDetection, "outlierDetection");
      return this;
    }

    /** Sets active health checks. */
    public Builder healthCheck(HealthCheckPolicy healthCheck) {
      this.healthCheck = requireNonNull(healthCheck, "healthCheck");
      return this;
    }

    /**
     * Checks the values and builds the policy. Whether the named load balancer exists is checked
     * when the mesh is built, where the available factories are known.
     *
     * @throws MeshConfigException if the load balancer name is malformed
     */
    public ServicePolicy build() {
      if (!LOAD_BALANCER_NAME.matcher(loadBalancer).matches()) {
        throw new MeshConfigException(
            "loadBalancer", loadBalancer, "a name in lower snake case, e.g. round_robin");
      }
      return new ServicePolicy(this);
    }
  }
}
