package io.meshclient.core;

import static java.util.Objects.requireNonNull;

import io.meshclient.api.CircuitBreakerPolicy;
import io.meshclient.api.AdaptiveConcurrencyPolicy;
import io.meshclient.api.BulkheadPolicy;
import io.meshclient.api.HedgingPolicy;
import io.meshclient.api.RateLimitPolicy;
import io.meshclient.api.RetryBudgetPolicy;
import io.meshclient.api.Endpoint;
import io.meshclient.api.HealthCheckPolicy;
import io.meshclient.api.LoadBalancer;
import io.meshclient.api.LoadBalancingPolicy;
import io.meshclient.api.OutlierDetectionPolicy;
import io.meshclient.api.PeerIdentity;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.Route;
import io.meshclient.api.ServiceDiscovery;
import io.meshclient.api.ServicePolicy;
import io.meshclient.api.TimeoutPolicy;
import java.util.List;
import java.util.function.Function;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;

/**
 * Configures one service inside {@link MeshClientBuilder#service(String, java.util.function.Consumer)}:
 * where its endpoints come from, and any policy that differs from the mesh's defaults.
 *
 * <pre>{@code
 * MeshClient.builder()
 *     .service("orders", s -> s
 *         .endpoints(Endpoint.of("10.0.0.7", 8080), Endpoint.of("10.0.0.8", 8080))
 *         .loadBalancer("least_request")
 *         .retry(RetryPolicy.builder().maxAttempts(2).build()))
 *     .build();
 * }</pre>
 *
 * <p>Not thread-safe; used only while the mesh is built.
 */
public final class ServiceBuilder {
  private final String name;
  private ServicePolicy.Builder policy;
  private @Nullable List<Endpoint> endpoints;
  private @Nullable ServiceDiscovery discovery;
  private @Nullable LoadBalancer loadBalancer;
  private @Nullable Function<Request, @Nullable String> hashKeyFunction;
  private @Nullable PeerIdentity peerIdentity;
  private @Nullable String discoveryUri;

  ServiceBuilder(String name, ServicePolicy defaults) {
    this.name = name;
    this.policy = defaults.toBuilder();
  }

  /** The service name being configured. */
  public String name() {
    return name;
  }

  /** Serves the service from these fixed endpoints (the built-in static discovery). */
  public ServiceBuilder endpoints(Endpoint... endpoints) {
    return endpoints(List.of(endpoints));
  }

  /** Serves the service from these fixed endpoints (the built-in static discovery). */
  public ServiceBuilder endpoints(List<Endpoint> endpoints) {
    this.endpoints = List.copyOf(requireNonNull(endpoints, "endpoints"));
    return this;
  }

  /**
   * Takes this service's endpoints from {@code discovery} instead of the mesh-wide source. Replaces
   * a {@linkplain #discovery(String) discovery URI} set before.
   */
  public ServiceBuilder discovery(ServiceDiscovery discovery) {
    this.discovery = requireNonNull(discovery, "discovery");
    this.discoveryUri = null;
    return this;
  }

  /**
   * Takes this service's endpoints from the source at {@code uri} instead of the mesh-wide source,
   * e.g. {@code dns+srv:///_http._tcp.orders.prod} or {@code file:/etc/mesh/endpoints.yaml}; see
   * {@link MeshClientBuilder#discovery(String)}. Replaces a {@linkplain #discovery(ServiceDiscovery)
   * source} set before.
   */
  public ServiceBuilder discovery(String uri) {
    this.discoveryUri = requireNonNull(uri, "uri");
    this.discovery = null;
    return this;
  }

  /** Replaces every policy of this service with {@code policy} (every field, including ones added later). */
  public ServiceBuilder policy(ServicePolicy policy) {
    this.policy = requireNonNull(policy, "policy").toBuilder();
    return this;
  }

  /**
   * Names the load balancer: {@code peak_ewma} (the default), {@code least_request},
   * {@code round_robin}, {@code random}, {@code ring_hash}, {@code maglev}, or a plugged-in one.
   */
  public ServiceBuilder loadBalancer(String loadBalancer) {
    policy.loadBalancer(loadBalancer);
    this.loadBalancer = null;
    return this;
  }

  /** Uses this balancer instance for the service instead of one created by name. */
  public ServiceBuilder loadBalancer(LoadBalancer loadBalancer) {
    this.loadBalancer = requireNonNull(loadBalancer, "loadBalancer");
    return this;
  }

  /** Sets zone preference, slow start, panic threshold, overload penalty and balancer settings. */
  public ServiceBuilder loadBalancing(LoadBalancingPolicy loadBalancing) {
    policy.loadBalancing(loadBalancing);
    return this;
  }

  /**
   * Computes each request's consistent-hashing key (for {@code ring_hash} and {@code maglev}) with
   * {@code function}; a {@code null} result means the request has no key. Instead of, not beside, a
   * {@link LoadBalancingPolicy#hashKey()} setting.
   */
  public ServiceBuilder hashKey(Function<Request, @Nullable String> function) {
    this.hashKeyFunction = requireNonNull(function, "function");
    return this;
  }

  /** Sets passive outlier detection. */
  public ServiceBuilder outlierDetection(OutlierDetectionPolicy outlierDetection) {
    policy.outlierDetection(outlierDetection);
    return this;
  }

  /** Sets active health checks. */
  public ServiceBuilder healthCheck(HealthCheckPolicy healthCheck) {
    policy.healthCheck(healthCheck);
    return this;
  }

  /** Sets the overall and per-try timeouts. */
  public ServiceBuilder timeouts(TimeoutPolicy timeouts) {
    policy.timeouts(timeouts);
    return this;
  }

  /** Sets the retry policy. */
  public ServiceBuilder retry(RetryPolicy retry) {
    policy.retry(retry);
    return this;
  }

  /** Sets how many retries and hedges the service may add to its calls. */
  public ServiceBuilder retryBudget(RetryBudgetPolicy retryBudget) {
    policy.retryBudget(retryBudget);
    return this;
  }

  /** Hedges slow idempotent calls to another endpoint, e.g. {@code HedgingPolicy.builder().delayPercentile(95).build()}. */
  public ServiceBuilder hedging(HedgingPolicy hedging) {
    policy.hedging(hedging);
    return this;
  }

  /** Caps the calls in flight to the service, e.g. {@code BulkheadPolicy.of(100)}. */
  public ServiceBuilder bulkhead(BulkheadPolicy bulkhead) {
    policy.bulkhead(bulkhead);
    return this;
  }

  /** Caps the calls to the service per period, e.g. {@code RateLimitPolicy.of(500, Duration.ofSeconds(1))}. */
  public ServiceBuilder rateLimit(RateLimitPolicy rateLimit) {
    policy.rateLimit(rateLimit);
    return this;
  }

  /** Sets a breaker over all the service's calls, on top of the per-endpoint ones. */
  public ServiceBuilder serviceCircuitBreaker(CircuitBreakerPolicy serviceCircuitBreaker) {
    policy.serviceCircuitBreaker(serviceCircuitBreaker);
    return this;
  }

  /** Gives each endpoint an adaptive concurrency limit, e.g. {@code AdaptiveConcurrencyPolicy.builder().build()}. */
  public ServiceBuilder adaptiveConcurrency(AdaptiveConcurrencyPolicy adaptiveConcurrency) {
    policy.adaptiveConcurrency(adaptiveConcurrency);
    return this;
  }

  /**
   * Adds {@code route} at the end of the service's route table: calls the route's match takes go
   * to its destinations, with its overrides (see {@link Route}). Routes are tried in the order added.
   */
  public ServiceBuilder route(Route route) {
    policy.route(route);
    return this;
  }

  /** Replaces the service's route table with {@code routes}, tried in this order. */
  public ServiceBuilder routes(List<Route> routes) {
    policy.routes(routes);
    return this;
  }

  /** Sets the circuit breaker each endpoint gets. */
  public ServiceBuilder circuitBreaker(CircuitBreakerPolicy circuitBreaker) {
    policy.circuitBreaker(circuitBreaker);
    return this;
  }

  /**
   * Requires the service's endpoints to prove this identity over TLS, e.g.
   * {@code PeerIdentity.spiffeId("spiffe://prod.example/ns/shop/sa/orders")}. An endpoint whose
   * certificate names another identity, or that is not marked secure, is refused with
   * {@link io.meshclient.api.PeerIdentityException} before any request byte is sent. Without it,
   * a secure endpoint's certificate must name the endpoint's host, as in any HTTPS call. Not part
   * of {@link #policy(ServicePolicy)}.
   */
  public ServiceBuilder peerIdentity(PeerIdentity peerIdentity) {
    this.peerIdentity = requireNonNull(peerIdentity, "peerIdentity");
    return this;
  }

  ServicePolicy.Builder policyBuilder() {
    return policy;
  }

  @Nullable List<Endpoint> staticEndpoints() {
    return endpoints;
  }

  @Nullable LoadBalancer loadBalancerInstance() {
    return loadBalancer;
  }

  @Nullable Function<Request, @Nullable String> hashKeyFunction() {
    return hashKeyFunction;
  }

  @Nullable ServiceDiscovery discoveryOverride() {
    return discovery;
  }

  @Nullable PeerIdentity peerIdentity() {
    return peerIdentity;
  }

  @Nullable String discoveryUri() {
    return discoveryUri;
  }
}
