package io.meshclient.core.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.meshclient.api.CircuitBreakerPolicy;
import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.LoadBalancer;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.NoEndpointAvailableException;
import io.meshclient.api.ServiceDiscovery;
import io.meshclient.api.ServicePolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service: its policy, its load balancer and the current endpoints with their live state.
 *
 * <p>Discovery updates build a new immutable endpoint list (copy-on-write) that keeps each
 * surviving endpoint's {@link EndpointState} by id; the request path reads that list through one
 * volatile field and takes no lock. Updates are serialised among themselves.
 */
public final class Cluster implements ServiceDiscovery.Listener {
  private static final Logger log = LoggerFactory.getLogger(Cluster.class);

  private final String service;
  private final ServicePolicy policy;
  private final LoadBalancer loadBalancer;
  private final @Nullable CircuitBreakerConfig breakerConfig;
  private final MeshEventListener listener;
  private volatile List<EndpointState> endpoints = List.of();
  private volatile boolean discovered;
  private final DiscoveryState discovery;

  public Cluster(String service, ServicePolicy policy, LoadBalancer loadBalancer, Clock clock,
      MeshEventListener listener) {
    this(service, policy, loadBalancer, clock, listener, new DiscoveryState(service, "discovery", Duration.ZERO, clock));
  }

  /** A cluster whose discovery source is tracked by {@code discovery} (staleness, first-answer wait). */
  public Cluster(String service, ServicePolicy policy, LoadBalancer loadBalancer, Clock clock,
      MeshEventListener listener, DiscoveryState discovery) {
    this.discovery = discovery;
    this.service = service;
    this.policy = policy;
    this.loadBalancer = loadBalancer;
    this.breakerConfig = breakerConfig(policy.circuitBreaker(), clock);
    this.listener = listener;
  }

  private static @Nullable CircuitBreakerConfig breakerConfig(CircuitBreakerPolicy p, Clock clock) {
    if (!p.enabled()) {
      return null;
    }
    return CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(p.slidingWindowSize())
        .minimumNumberOfCalls(p.minimumNumberOfCalls())
        .failureRateThreshold(p.failureRateThreshold())
        .waitDurationInOpenState(p.waitDurationInOpenState())
        .permittedNumberOfCallsInHalfOpenState(p.permittedCallsInHalfOpenState())
        // 5xx statuses are reported through onResult; every status reported that way is a failure.
        .recordResult(result -> result instanceof Integer && (Integer) result >= 500)
        .writableStackTraceEnabled(false)
        .clock(clock)
        .build();
  }

  public String service() {
    return service;
  }

  public ServicePolicy policy() {
    return policy;
  }

  public LoadBalancer loadBalancer() {
    return loadBalancer;
  }

  /** The current endpoints; an immutable list, replaced whole on each discovery update. */
  public List<EndpointState> endpoints() {
    return endpoints;
  }

  /** Whether discovery has pushed at least one set. */
  public boolean discovered() {
    return discovered;
  }

  /** The discovery source's health: last update, current outage. */
  public DiscoveryState discovery() {
    return discovery;
  }

  /**
   * The current endpoints if there are any; otherwise, before discovery's first answer, waits for
   * it (see {@link DiscoveryState}) at most {@code maxWaitNanos}.
   *
   * @throws NoEndpointAvailableException naming the service and the source, if there is still none
   */
  public List<EndpointState> awaitEndpoints(long maxWaitNanos) throws NoEndpointAvailableException {
    List<EndpointState> current = endpoints;
    if (current.isEmpty()) {
      awaitFirstAnswer(maxWaitNanos);
      current = endpoints; // read again: an update may have landed since the first read
      if (current.isEmpty()) {
        throw noEndpoints();
      }
    }
    return current;
  }

  /**
   * Before discovery's first answer, waits for it at most {@code maxWaitNanos} (and never past the
   * initial window); returns at once once discovery has answered.
   */
  public void awaitFirstAnswer(long maxWaitNanos) throws NoEndpointAvailableException {
    if (!discovered) {
      discovery.awaitFirstAnswer(maxWaitNanos);
    }
  }

  /** The failure of a call that found no endpoint, naming the service and the discovery source. */
  public NoEndpointAvailableException noEndpoints() {
    return discovery.noEndpoints();
  }

  @Override
  public synchronized void onEndpoints(EndpointSet set) {
    List<EndpointState> previous = endpoints;
    Map<String, EndpointState> byId = new HashMap<>(previous.size() * 2);
    for (EndpointState state : previous) {
      byId.put(state.endpoint().id(), state);
    }
    List<EndpointState> next = new ArrayList<>(set.size());
    for (Endpoint endpoint : set.endpoints()) {
      EndpointState state = byId.get(endpoint.id());
      try {
        if (state == null) {
          state = newEndpointState(endpoint);
        } else if (!state.endpoint().equals(endpoint)) {
          state.update(endpoint);
        }
      } catch (IllegalArgumentException e) {
        // One unusable entry from a registry must not cost the service all its other endpoints.
        log.warn("service '{}': skipping endpoint {}: {}", service, endpoint, e.getMessage());
        continue;
      }
      next.add(state);
    }
    endpoints = List.copyOf(next);
    discovered = true;
    discovery.onUpdate(next.size());
    log.debug("service '{}' now has {} endpoint(s)", service, next.size());
  }

  @Override
  public void onError(Throwable error) {
    discovery.onError(error, endpoints.size());
  }

  private EndpointState newEndpointState(Endpoint endpoint) {
    if (breakerConfig == null) {
      return new EndpointState(endpoint, null);
    }
    CircuitBreaker breaker = CircuitBreaker.of(service + "/" + endpoint.id(), breakerConfig);
    EndpointState state = new EndpointState(endpoint, breaker);
    breaker.getEventPublisher().onStateTransition(event -> {
      CircuitBreaker.StateTransition change = event.getStateTransition();
      log.info("circuit breaker of {} endpoint {}: {} -> {}",
          service, state.endpoint().address(), change.getFromState(), change.getToState());
      listener.onCircuitStateChange(service, state.endpoint(), change.getFromState().name(), change.getToState().name());
    });
    return state;
  }

  @Override
  public String toString() {
    return "Cluster{" + service + ", " + endpoints.size() + " endpoint(s)}";
  }
}
