package io.meshclient.core;

import io.meshclient.api.Endpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the mesh knows right now, as plain data: every service, its endpoints, their load and
 * circuit breaker, health and ejection state, balancing scores, the health of its discovery
 * source, and the calls the egress policy denied. The source for dashboards, admin pages and tests; taken by
 * {@link MeshClient#snapshot()}.
 *
 * <pre>{@code
 * for (MeshSnapshot.EndpointSnapshot e : mesh.snapshot().service("orders").orElseThrow().endpoints()) {
 *   System.out.printf("%s %s in-flight=%d%n", e.endpoint().address(), e.circuitState(), e.inFlight());
 * }
 * }</pre>
 *
 * <p>Immutable. Each figure is read live, so figures of different endpoints may be a few
 * microseconds apart.
 *
 * @param services every service the mesh routes, by name
 * @param egress the calls the egress policy denied
 */
public record MeshSnapshot(List<ServiceSnapshot> services, EgressSnapshot egress) {
  /** Copies the list. */
  public MeshSnapshot {
    services = List.copyOf(services);
  }

  /** A snapshot with no egress denials. */
  public MeshSnapshot(List<ServiceSnapshot> services) {
    this(services, EgressSnapshot.of(Map.of()));
  }

  /** The snapshot of one service, if the mesh routes it. */
  public Optional<ServiceSnapshot> service(String name) {
    return services.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /**
   * One service.
   *
   * @param name the logical service name
   * @param loadBalancer the name of its load balancer
   * @param endpoints its current endpoints, in discovery order
   * @param panic whether too few endpoints are healthy, so all of them take traffic
   * @param crossZoneShare the share of picks, ever, that went to another zone than the caller's
   * @param discovery the health of its discovery source
   * @param retriesOverBudget retries and hedges the retry budget refused, ever
   * @param serviceCircuitState the service-level breaker's state ({@code CLOSED}, {@code OPEN},
   *     {@code HALF_OPEN}), or {@code DISABLED}
   * @param mirrorsDropped mirrored copies of its calls that were not sent (too many in flight, or
   *     no endpoint to send them to), ever
   * @param decisions recent picks, oldest first: which endpoint each attempt went to, and why the
   *     others did not get it (see {@link MeshClientBuilder#recentDecisions(int)})
   */
  public record ServiceSnapshot(String name, String loadBalancer, List<EndpointSnapshot> endpoints, boolean panic,
      double crossZoneShare, DiscoverySnapshot discovery, long retriesOverBudget, String serviceCircuitState,
      long mirrorsDropped, List<Decision> decisions) {
    /** Copies the lists. */
    public ServiceSnapshot {
      endpoints = List.copyOf(endpoints);
      decisions = List.copyOf(decisions);
    }

    /** A service snapshot without recent decisions, retry budget refusals or service breaker. */
    public ServiceSnapshot(String name, String loadBalancer, List<EndpointSnapshot> endpoints, boolean panic,
        double crossZoneShare, DiscoverySnapshot discovery) {
      this(name, loadBalancer, endpoints, panic, crossZoneShare, discovery, 0, "DISABLED", 0, List.of());
    }
  }

  /**
   * One pick, explained: the endpoint an attempt went to, and the verdict on the others the
   * service had at that moment.
   *
   * @param at when the pick was made
   * @param attempt the attempt's number, 0 for the first
   * @param hedge whether the attempt was a hedge, sent while an earlier one was still in flight
   * @param chosen the address ({@code host:port}) of the endpoint picked
   * @param candidates the endpoints considered, the chosen one first, at most
   *     {@value #MAX_CANDIDATES}
   * @param considered how many endpoints the pick was made from (the service's, or those of the
   *     route's destination: another service, or a subset), including those left out of
   *     {@code candidates}
   */
  public record Decision(Instant at, int attempt, boolean hedge, String chosen, List<Candidate> candidates,
      int considered) {
    /** How many candidates a decision keeps. */
    public static final int MAX_CANDIDATES = 8;

    /** Copies the list. */
    public Decision {
      candidates = List.copyOf(candidates);
    }
  }

  /**
   * One endpoint as a pick saw it.
   *
   * @param endpoint its address, {@code host:port}
   * @param score peak EWMA's cost at the time of the pick, latency × (in-flight + 1) ÷ weight, in
   *     nanoseconds: lower wins
   * @param verdict {@code chosen}; or why it was passed over: {@code ejected}, {@code breaker_open},
   *     {@code unhealthy}, {@code already_tried} (an earlier attempt of the call went there),
   *     {@code other_zone} (the pick stayed in the caller's zone), {@code higher_score} (it cost
   *     more than the one chosen) or {@code not_picked} (the balancer chose another, e.g. by
   *     rotation or sampling)
   */
  public record Candidate(String endpoint, double score, String verdict) {}

  /**
   * The health of a service's discovery source. While the source fails, the service keeps its last
   * known endpoints; {@link #staleFor()} says for how long.
   *
   * @param source the source, as configured: its URI, {@code static}, or the source's own name
   * @param lastUpdate when the source last pushed a set of endpoints; {@code null} before its first
   *     answer
   * @param failingSince when the current outage of the source began; {@code null} while it is healthy
   * @param staleFor how long the source has been failing; zero while it is healthy
   * @param error the error of the current outage; {@code null} while the source is healthy
   */
  public record DiscoverySnapshot(String source, @Nullable Instant lastUpdate, @Nullable Instant failingSince,
      Duration staleFor, @Nullable String error) {
    /** Whether the source has pushed a set of endpoints yet. */
    public boolean answered() {
      return lastUpdate != null;
    }

    /** Whether the source is failing right now (the service runs on its last known endpoints). */
    public boolean failing() {
      return failingSince != null;
    }
  }

  /**
   * One endpoint.
   *
   * @param endpoint the endpoint as discovery last reported it
   * @param inFlight attempts waiting for response headers
   * @param requests attempts sent since the endpoint appeared
   * @param failures attempts that failed (I/O error or 5xx)
   * @param circuitState {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN} or {@code DISABLED}. An open
   *     breaker turns half-open on the first pick after its wait, so an endpoint no call has
   *     picked since still shows {@code OPEN}; {@link io.meshclient.api.MeshEventListener#onCircuitStateChange}
   *     reports every change as it happens
   * @param weight the weight it has now: discovery's, lowered while it ramps up
   * @param rampingUp whether it is still ramping up to full weight (slow start)
   * @param latencyMillis peak EWMA latency in milliseconds (0 before its first answer)
   * @param score peak EWMA's cost, latency × (in-flight + 1) ÷ weight, in nanoseconds: lower wins
   * @param penalized whether a recent 429 or 503 still lowers its score
   * @param healthy whether discovery and the active health checks (if any) call it healthy
   * @param ejectedFor how much longer outlier detection holds it out of rotation; zero when it is in
   * @param concurrencyLimit its adaptive concurrency limit now, or -1 when the service has none
   */
  public record EndpointSnapshot(Endpoint endpoint, int inFlight, long requests, long failures, String circuitState,
      double weight, boolean rampingUp, double latencyMillis, double score, boolean penalized, boolean healthy,
      Duration ejectedFor, int concurrencyLimit) {}

  /**
   * The calls the {@linkplain io.meshclient.api.EgressPolicy egress policy} refused since the mesh
   * was built.
   *
   * @param denied every denied call
   * @param deniedByRule denied calls by the name of the rule that denied them ({@code default-deny}
   *     for the default action); rules that denied nothing are left out
   */
  public record EgressSnapshot(long denied, Map<String, Long> deniedByRule) {
    /** Copies the map. */
    public EgressSnapshot {
      deniedByRule = Map.copyOf(deniedByRule);
    }

    /** The snapshot of these counts, with their sum. */
    public static EgressSnapshot of(Map<String, Long> deniedByRule) {
      return new EgressSnapshot(deniedByRule.values().stream().mapToLong(Long::longValue).sum(), deniedByRule);
    }
  }
}
