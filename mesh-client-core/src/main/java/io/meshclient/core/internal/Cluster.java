package io.meshclient.core.internal;

import io.meshclient.api.CircuitOpenException;
import io.meshclient.api.ConcurrencyLimitException;
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
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service: its policy, its load balancer, its endpoints with their live state, and which of
 * them take traffic (health, ejections, zones, panic mode).
 *
 * <p>Discovery updates, ejections, readmissions and health changes build a new immutable
 * {@link Pool} (copy-on-write) under the cluster's lock; each surviving endpoint keeps its
 * {@link EndpointState} by id. The request path reads the pool through one volatile field and
 * takes no lock. Picks are made by its {@link EndpointPicker}; ejections and readmissions by its
 * {@link Ejections}, under the same lock.
 *
 * <p>The policy and what is derived from it (balancer, breakers, balancing settings, outlier
 * detector) are one immutable {@link ClusterSettings} value behind a volatile field, replaced whole by
 * {@link #swap}: a call reads {@link #policy()} once at its start and finishes on what it read.
 */
public final class Cluster implements ServiceDiscovery.Listener {
  private static final Logger log = LoggerFactory.getLogger(Cluster.class);

  private final String service;
  private final MeshEventListener listener;
  private final Clock clock;
  private final Ticker ticker;
  private final @Nullable String meshZone;
  private final @Nullable RandomGenerator random;
  private volatile ClusterSettings settings;
  private volatile Pool pool = Pool.EMPTY;
  /** The routes' subsets of this service, and the pool of each, rebuilt with {@link #pool}. */
  private final SubsetPools subsets = new SubsetPools();
  private final LongAdder mirrorsDropped = new LongAdder();
  private volatile boolean discovered;
  private final DiscoveryState discovery;
  private final LatencyTracker latencies;
  private final EndpointPicker picker;
  private final Ejections ejections;
  /** Budget refusals counted by budgets a policy change replaced. */
  private volatile long budgetExhaustedBefore;

  /**
   * A cluster on the mesh clock and the thread-local random source.
   *
   * @param zone the caller's zone, or {@code null} when unknown
   */
  public Cluster(String service, ServicePolicy policy, LoadBalancer loadBalancer, Clock clock,
      MeshEventListener listener, @Nullable String zone) {
    this(service, policy, loadBalancer, clock, Ticker.of(clock), null, listener, zone,
        RequestKey.of(policy.loadBalancing().hashKey(), null));
  }

  /**
   * A cluster with its own time source and random source, for simulations that replay exactly;
   * its discovery source is not tracked (no first-answer wait).
   *
   * @param random the random source of every pick, or {@code null} for the thread-local one
   * @param requestKey how a request's consistent-hashing key is read
   */
  public Cluster(String service, ServicePolicy policy, LoadBalancer loadBalancer, Clock clock, Ticker ticker,
      @Nullable RandomGenerator random, MeshEventListener listener, @Nullable String zone, RequestKey requestKey) {
    this(service, policy, loadBalancer, clock, ticker, random, listener, zone, requestKey,
        new DiscoveryState(service, "discovery", Duration.ZERO, clock));
  }

  /**
   * The cluster of a mesh: {@code discovery} tracks its source (staleness, first-answer wait).
   *
   * @param random the random source of every pick, or {@code null} for the thread-local one
   * @param requestKey how a request's consistent-hashing key is read
   */
  public Cluster(String service, ServicePolicy policy, LoadBalancer loadBalancer, Clock clock, Ticker ticker,
      @Nullable RandomGenerator random, MeshEventListener listener, @Nullable String zone, RequestKey requestKey,
      DiscoveryState discovery) {
    this.discovery = discovery;
    this.service = service;
    this.listener = listener;
    this.clock = clock;
    this.ticker = ticker;
    this.meshZone = zone;
    this.random = random;
    this.latencies = new LatencyTracker(ticker);
    this.settings = settings(policy, loadBalancer, requestKey, null);
    this.picker = new EndpointPicker(this, service);
    this.ejections = new Ejections(this, service, listener, ticker);
  }

  private ClusterSettings settings(ServicePolicy policy, LoadBalancer loadBalancer, RequestKey requestKey,
      @Nullable ClusterSettings old) {
    return new ClusterSettings(service, policy, loadBalancer, requestKey, clock, ticker, listener, meshZone, old);
  }

  /** The service's retry budget (a call takes the one in force at its start). */
  RetryBudget budget() {
    return settings.budget;
  }

  /** Recent attempt latencies, for hedging after a live percentile. */
  LatencyTracker latencies() {
    return latencies;
  }

  /** Rate limiter, bulkhead and service breaker (a call releases what it took to the one it took it from). */
  Admission admission() {
    return settings.admission;
  }

  /** Retries and hedges the budget refused, ever. */
  public long retriesOverBudget() {
    return budgetExhaustedBefore + settings.budget.exhausted();
  }

  /** The state of the service-level breaker ({@code DISABLED} when there is none). */
  public String serviceCircuitState() {
    return settings.admission.breakerState();
  }

  public String service() {
    return service;
  }

  /** The policy in force; a call reads it once, at its start, and keeps what it read. */
  public ServicePolicy policy() {
    return settings.policy;
  }

  public LoadBalancer loadBalancer() {
    return settings.loadBalancer;
  }

  /** The caller's zone, when zone-aware balancing is on and the zone is known; else {@code null}. */
  public @Nullable String zone() {
    return settings.zone;
  }

  /** How a request's consistent-hashing key is read. */
  public RequestKey requestKey() {
    return settings.requestKey;
  }

  /** The mesh's time source. */
  public Ticker ticker() {
    return ticker;
  }

  /**
   * Puts {@code policy} in force, with {@code loadBalancer} and {@code requestKey} made for it.
   * Calls already running finish on the policy they started with. When the breaker or the
   * balancing settings change, every endpoint gets a fresh state made for them (fresh breaker and
   * latency estimate; ejections and health-check verdicts carry over); otherwise endpoint states
   * stay as they are.
   */
  public synchronized void swap(ServicePolicy policy, LoadBalancer loadBalancer, RequestKey requestKey) {
    ClusterSettings next = settings(policy, loadBalancer, requestKey, settings);
    if (next.budget != settings.budget) {
      budgetExhaustedBefore += settings.budget.exhausted();
    }
    List<EndpointState> states = next.statesFrom(settings, pool.all());
    Pool nextPool = Pool.of(states, ticker.read(), policy.loadBalancing().panicThresholdPercent(), next.zone);
    prepare(next, nextPool);
    settings = next;
    pool = nextPool;
    log.info("service '{}': policy changed to {}", service, policy);
  }

  /** The current endpoints; an immutable list, replaced whole on each discovery update. */
  public List<EndpointState> endpoints() {
    return pool.all();
  }

  /** The current endpoints of {@code subset} (null: of the whole service), as a pick within it sees them. */
  List<EndpointState> endpoints(@Nullable Target subset) {
    return subset == null ? endpoints() : poolOf(subset, currentPool()).all();
  }

  /** Whether discovery has pushed at least one set. */
  public boolean discovered() {
    return discovered;
  }

  /** Whether too few endpoints are healthy, so that all of them take traffic. */
  public boolean panic() {
    return pool.panic();
  }

  /** Picks made, ever. */
  public long picks() {
    return picker.picks();
  }

  /** Picks that went to another zone than the caller's, ever. */
  public long crossZonePicks() {
    return picker.crossZonePicks();
  }

  /** A new per-call pick state for a request with {@code hashKey}. */
  public PickState newPickState(@Nullable String hashKey) {
    return new PickState(this, hashKey, random());
  }

  /** A new per-call pick state for a request with {@code hashKey}, picking only within {@code subset}. */
  PickState newPickState(@Nullable String hashKey, Target subset) {
    PickState state = newPickState(hashKey);
    state.subset = subset.subset() != null ? subset : null;
    return state;
  }

  /** The random source of this cluster's draws: the injected one, or the thread-local one. */
  RandomGenerator random() {
    return random != null ? random : ThreadLocalRandom.current();
  }

  /**
   * Makes picks within {@code subset} possible: its pool is kept beside the cluster's, rebuilt on
   * every change, so picks in a subset cost no more than others. Called when a route table is made
   * (when the mesh is built, and again after a reload changes a service's routes); a subset equal
   * to one already kept is not added twice.
   */
  synchronized void addSubset(Target subset) {
    if (subset.cluster() == this && subset.subset() != null && subsets.add(subset)) {
      publish(pool);
    }
  }

  /**
   * Drops the pools of this cluster's subsets that are not in {@code used} (the subsets of the
   * route tables in force), so that a reload leaves no pool behind for a subset no route names.
   * A call still running on a replaced table picks in a dropped subset by filtering the pool as it
   * goes, as for any subset not kept.
   */
  synchronized void retainSubsets(Set<Target> used) {
    if (subsets.retain(used)) {
      publish(pool);
    }
  }

  /** The number of subsets whose pools are kept beside the cluster's. */
  synchronized int subsetCount() {
    return subsets.size();
  }

  /** Whether {@code subset} (null: the whole service) has an endpoint right now. */
  boolean hasEndpoints(@Nullable Target subset) {
    return !poolOf(subset, currentPool()).all().isEmpty();
  }

  /** A mirrored copy of a call to this service was not sent (too many in flight, or nowhere to go). */
  void mirrorDropped() {
    mirrorsDropped.increment();
  }

  /** Mirrored copies of calls to this service that were not sent, ever. */
  public long mirrorsDropped() {
    return mirrorsDropped.sum();
  }

  /** The pool of {@code subset} (null: {@code whole}), kept or built here if not kept. */
  Pool poolOf(@Nullable Target subset, Pool whole) {
    if (subset == null) {
      return whole;
    }
    Pool p = subsets.get(subset);
    ClusterSettings s = settings;
    return p != null ? p : SubsetPools.of(whole, subset, ticker.read(), // not registered: built here
        s.policy.loadBalancing().panicThresholdPercent(), s.zone);
  }

  /**
   * Picks the endpoint for attempt {@code attempt} of a call ({@link EndpointPicker#pick}).
   *
   * @throws CircuitOpenException if every candidate's breaker refused
   * @throws ConcurrencyLimitException if every candidate was refused, some for being at their
   *     adaptive concurrency limit
   * @throws NoEndpointAvailableException if there is no candidate at all
   */
  public EndpointState pick(PickState state, int attempt) throws NoEndpointAvailableException {
    return picker.pick(state, attempt);
  }

  /** The pool, first readmitting endpoints whose ejection is over. */
  Pool currentPool() {
    Pool p = pool;
    long next = p.nextReturn();
    if (next != EndpointState.NONE && ticker.read() - next >= 0) {
      ejections.readmit(ticker.read());
      p = pool;
    }
    return p;
  }

  /** Records a response on {@code endpoint} and ejects it if that completes a failure streak. */
  public void onResponse(EndpointState endpoint, int status, long nanos, long retryAfterNanos) {
    endpoint.onResponse(status, nanos, retryAfterNanos);
    if (status >= 500) {
      ejections.checkStreak(endpoint);
    }
  }

  /**
   * Records a failed attempt on {@code endpoint} and ejects it if that completes a failure streak;
   * {@code gatewayFailure} when the connection was refused or torn down.
   */
  public void onFailure(EndpointState endpoint, Throwable failure, long nanos, boolean gatewayFailure) {
    endpoint.onFailure(failure, nanos, gatewayFailure);
    ejections.checkStreak(endpoint);
  }

  /**
   * Runs the interval detectors (success rate, failure percentage) over the interval just past,
   * and readmits endpoints whose time is up. The mesh calls it every outlier detection interval.
   */
  public synchronized void runOutlierInterval() {
    ejections.runInterval();
  }

  /** The outlier detector in force. */
  OutlierDetector outliers() {
    return settings.outliers;
  }

  /** Active health checks changed their verdict on {@code endpoint}. */
  public synchronized void onHealthCheck(EndpointState endpoint, boolean healthy) {
    if (endpoint.checkedHealthy == healthy) {
      return;
    }
    endpoint.checkedHealthy = healthy;
    log.info("service '{}': endpoint {} is now {} by its health checks", service, endpoint.endpoint().address(),
        healthy ? "healthy" : "unhealthy");
    listener.onHealthChange(service, endpoint.endpoint(), healthy);
    if (healthy) {
      endpoint.rampUp(ticker.read()); // back in rotation: ramps up like a readmitted endpoint
    }
    rebuild();
  }

  /** Publishes a new pool of the same endpoints (their ejection or health changed); holds the cluster's lock. */
  void rebuild() {
    ClusterSettings s = settings;
    publish(Pool.of(pool.all(), ticker.read(), s.policy.loadBalancing().panicThresholdPercent(), s.zone));
  }

  /**
   * Lets the balancer prepare for the new pool's lists (and those of the routes' subsets), then
   * makes the pool the one picks read.
   */
  private void publish(Pool next) {
    prepare(settings, next);
    pool = next;
  }

  /** Lets the balancer of {@code s} prepare for the pool's lists and those of the routes' subsets, rebuilt from it. */
  private void prepare(ClusterSettings s, Pool next) {
    prepareLists(s.loadBalancer, next);
    subsets.rebuild(next, ticker.read(), s.policy.loadBalancing().panicThresholdPercent(), s.zone,
        p -> prepareLists(s.loadBalancer, p));
  }

  private void prepareLists(LoadBalancer loadBalancer, Pool next) {
    try {
      if (!next.local().isEmpty()) {
        loadBalancer.prepare(next.local());
      }
      if (!next.remote().isEmpty()) {
        loadBalancer.prepare(next.remote());
      }
    } catch (RuntimeException e) {
      log.warn("load balancer of service '{}' failed to prepare for {} endpoint(s); picks will retry",
          service, next.all().size(), e);
    }
  }

  /**
   * The discovery source's health (last update, current outage), and the first-answer wait of
   * calls made before the source has answered.
   */
  public DiscoveryState discovery() {
    return discovery;
  }

  @Override
  public synchronized void onEndpoints(EndpointSet set) {
    ClusterSettings s = settings;
    List<EndpointState> previous = pool.all();
    Map<String, EndpointState> byId = new HashMap<>(previous.size() * 2);
    for (EndpointState state : previous) {
      byId.put(state.endpoint().id(), state);
    }
    List<EndpointState> next = new ArrayList<>(set.size());
    for (Endpoint endpoint : set.endpoints()) {
      EndpointState state = byId.get(endpoint.id());
      try {
        if (state == null) {
          state = s.newEndpointState(endpoint, discovered); // endpoints of the first set start at full weight
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
    publish(Pool.of(List.copyOf(next), ticker.read(), s.policy.loadBalancing().panicThresholdPercent(), s.zone));
    discovered = true;
    discovery.onUpdate(next.size());
    log.debug("service '{}' now has {} endpoint(s)", service, next.size());
  }

  @Override
  public void onError(Throwable error) {
    discovery.onError(error, pool.all().size());
  }

  @Override
  public String toString() {
    return "Cluster{" + service + ", " + pool.all().size() + " endpoint(s)}";
  }
}
