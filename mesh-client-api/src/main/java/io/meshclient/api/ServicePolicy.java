package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Everything the mesh does on calls to one service, as one immutable value: which
 * {@linkplain #loadBalancer() load balancer} picks endpoints and {@linkplain #loadBalancing() how},
 * the {@linkplain #timeouts() timeouts}, the {@linkplain #retry() retry policy}, the per-endpoint
 * {@linkplain #circuitBreaker() circuit breaker}, {@linkplain #outlierDetection() outlier
 * detection}, {@linkplain #healthCheck() active health checks}, and the resilience settings: the
 * {@linkplain #retryBudget() retry budget}, {@linkplain #hedging() hedging}, and admission by
 * {@linkplain #bulkhead() bulkhead}, {@linkplain #rateLimit() rate limit}, {@linkplain
 * #serviceCircuitBreaker() service breaker} and {@linkplain #adaptiveConcurrency() adaptive
 * concurrency limit}, and the {@linkplain #routes() route table} (traffic splitting by request,
 * subsets, rewrites, fault injection, mirroring). This is the configuration model every front end (builder,
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
  private final RetryBudgetPolicy retryBudget;
  private final HedgingPolicy hedging;
  private final BulkheadPolicy bulkhead;
  private final RateLimitPolicy rateLimit;
  private final CircuitBreakerPolicy serviceCircuitBreaker;
  private final AdaptiveConcurrencyPolicy adaptiveConcurrency;
  private final java.util.List<Route> routes;

  private ServicePolicy(Builder b) {
    this.loadBalancer = b.loadBalancer;
    this.timeouts = b.timeouts;
    this.retry = b.retry;
    this.circuitBreaker = b.circuitBreaker;
    this.loadBalancing = b.loadBalancing;
    this.outlierDetection = b.outlierDetection;
    this.healthCheck = b.healthCheck;
    this.retryBudget = b.retryBudget;
    this.hedging = b.hedging;
    this.bulkhead = b.bulkhead;
    this.rateLimit = b.rateLimit;
    this.serviceCircuitBreaker = b.serviceCircuitBreaker;
    this.adaptiveConcurrency = b.adaptiveConcurrency;
    this.routes = java.util.List.copyOf(b.routes);
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
        .healthCheck(healthCheck)
        .retryBudget(retryBudget)
        .hedging(hedging)
        .bulkhead(bulkhead)
        .rateLimit(rateLimit)
        .serviceCircuitBreaker(serviceCircuitBreaker)
        .adaptiveConcurrency(adaptiveConcurrency)
        .routes(routes);
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

  /** How many retries and hedges the service may add to its calls. */
  public RetryBudgetPolicy retryBudget() {
    return retryBudget;
  }

  /** Whether and when slow idempotent calls are hedged; off by default. */
  public HedgingPolicy hedging() {
    return hedging;
  }

  /** The most calls in flight to the service at once; off by default. */
  public BulkheadPolicy bulkhead() {
    return bulkhead;
  }

  /** The most calls to the service per period; off by default. */
  public RateLimitPolicy rateLimit() {
    return rateLimit;
  }

  /** The service's own breaker over all its calls, on top of the per-endpoint ones; off by default. */
  public CircuitBreakerPolicy serviceCircuitBreaker() {
    return serviceCircuitBreaker;
  }

  /** The adaptive concurrency limit of each endpoint; off by default. */
  public AdaptiveConcurrencyPolicy adaptiveConcurrency() {
    return adaptiveConcurrency;
  }

  /**
   * The service's routes, tried in order for each call: the first whose match takes the request
   * decides its destination and overrides. Empty by default: every call goes to all endpoints.
   */
  public java.util.List<Route> routes() {
    return routes;
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
        && healthCheck.equals(that.healthCheck)
        && retryBudget.equals(that.retryBudget)
        && hedging.equals(that.hedging)
        && bulkhead.equals(that.bulkhead)
        && rateLimit.equals(that.rateLimit)
        && serviceCircuitBreaker.equals(that.serviceCircuitBreaker)
        && adaptiveConcurrency.equals(that.adaptiveConcurrency)
        && routes.equals(that.routes);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(loadBalancer, timeouts, retry, circuitBreaker, loadBalancing, outlierDetection,
        healthCheck, retryBudget, hedging, bulkhead, rateLimit, serviceCircuitBreaker, adaptiveConcurrency, routes);
  }

  @Override
  public String toString() {
    return "ServicePolicy{loadBalancer=" + loadBalancer + ", " + timeouts + ", " + retry + ", "
        + circuitBreaker + ", " + loadBalancing + ", " + outlierDetection + ", " + healthCheck + ", " + retryBudget
        + ", " + hedging + ", " + bulkhead + ", " + rateLimit + ", service " + serviceCircuitBreaker + ", "
        + adaptiveConcurrency + (routes.isEmpty() ? "" : ", routes=" + routes) + "}";
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
    private RetryBudgetPolicy retryBudget = RetryBudgetPolicy.ofDefaults();
    private HedgingPolicy hedging = HedgingPolicy.disabled();
    private BulkheadPolicy bulkhead = BulkheadPolicy.disabled();
    private RateLimitPolicy rateLimit = RateLimitPolicy.disabled();
    private CircuitBreakerPolicy serviceCircuitBreaker = CircuitBreakerPolicy.disabled();
    private AdaptiveConcurrencyPolicy adaptiveConcurrency = AdaptiveConcurrencyPolicy.disabled();
    private java.util.List<Route> routes = java.util.List.of();

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

    /** Sets the retry budget ({@link RetryBudgetPolicy#unlimited()} for none). */
    public Builder retryBudget(RetryBudgetPolicy retryBudget) {
      this.retryBudget = requireNonNull(retryBudget, "retryBudget");
      return this;
    }

    /** Sets hedging. */
    public Builder hedging(HedgingPolicy hedging) {
      this.hedging = requireNonNull(hedging, "hedging");
      return this;
    }

    /** Sets the bulkhead. */
    public Builder bulkhead(BulkheadPolicy bulkhead) {
      this.bulkhead = requireNonNull(bulkhead, "bulkhead");
      return this;
    }

    /** Sets the rate limit. */
    public Builder rateLimit(RateLimitPolicy rateLimit) {
      this.rateLimit = requireNonNull(rateLimit, "rateLimit");
      return this;
    }

    /** Sets the service-level circuit breaker. */
    public Builder serviceCircuitBreaker(CircuitBreakerPolicy serviceCircuitBreaker) {
      this.serviceCircuitBreaker = requireNonNull(serviceCircuitBreaker, "serviceCircuitBreaker");
      return this;
    }

    /** Sets the adaptive per-endpoint concurrency limit. */
    public Builder adaptiveConcurrency(AdaptiveConcurrencyPolicy adaptiveConcurrency) {
      this.adaptiveConcurrency = requireNonNull(adaptiveConcurrency, "adaptiveConcurrency");
      return this;
    }

    /** Replaces the route table with {@code routes}, tried in this order. */
    public Builder routes(java.util.List<Route> routes) {
      this.routes = java.util.List.copyOf(requireNonNull(routes, "routes"));
      return this;
    }

    /** Adds {@code route} at the end of the route table. */
    public Builder route(Route route) {
      requireNonNull(route, "route");
      java.util.List<Route> more = new java.util.ArrayList<>(routes);
      more.add(route);
      this.routes = more;
      return this;
    }

    /**
     * Checks the values and builds the policy. Whether the named load balancer exists is checked
     * when the mesh is built, where the available factories are known.
     *
     * @throws MeshConfigException if the load balancer name is malformed, or two routes have the same name
     */
    public ServicePolicy build() {
      if (!LOAD_BALANCER_NAME.matcher(loadBalancer).matches()) {
        throw new MeshConfigException(
            "loadBalancer", loadBalancer, "a name in lower snake case, e.g. round_robin");
      }
      java.util.Set<String> names = new java.util.HashSet<>();
      for (int i = 0; i < routes.size(); i++) {
        String name = routes.get(i).name();
        if (!name.isEmpty() && !names.add(name)) {
          throw new MeshConfigException("routes[" + i + "].name", name, "a name no other route of the service has");
        }
      }
      return new ServicePolicy(this);
    }
  }
}
