package io.meshclient.core;

import static java.util.Objects.requireNonNull;

import io.meshclient.api.CircuitBreakerPolicy;
import io.meshclient.api.Endpoint;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.ServiceDiscovery;
import io.meshclient.api.ServicePolicy;
import io.meshclient.api.TimeoutPolicy;
import java.util.List;
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
  private final ServicePolicy.Builder policy;
  private @Nullable List<Endpoint> endpoints;
  private @Nullable ServiceDiscovery discovery;
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

  /** Replaces every policy of this service with {@code policy}. */
  public ServiceBuilder policy(ServicePolicy policy) {
    requireNonNull(policy, "policy");
    this.policy.loadBalancer(policy.loadBalancer())
        .timeouts(policy.timeouts())
        .retry(policy.retry())
        .circuitBreaker(policy.circuitBreaker());
    return this;
  }

  /** Names the load balancer, e.g. {@code round_robin} or {@code least_request}. */
  public ServiceBuilder loadBalancer(String loadBalancer) {
    policy.loadBalancer(loadBalancer);
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

  /** Sets the circuit breaker each endpoint gets. */
  public ServiceBuilder circuitBreaker(CircuitBreakerPolicy circuitBreaker) {
    policy.circuitBreaker(circuitBreaker);
    return this;
  }

  ServicePolicy.Builder policyBuilder() {
    return policy;
  }

  @Nullable List<Endpoint> staticEndpoints() {
    return endpoints;
  }

  @Nullable ServiceDiscovery discoveryOverride() {
    return discovery;
  }

  @Nullable String discoveryUri() {
    return discoveryUri;
  }
}
