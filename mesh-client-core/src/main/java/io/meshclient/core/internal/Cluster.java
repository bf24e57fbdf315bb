package io.meshclient.core.internal;

import com.netflix.concurrency.limits.Limiter;
import io.meshclient.api.CircuitOpenException;
import io.meshclient.api.ConcurrencyLimitException;
import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.EndpointStats;
import io.meshclient.api.LoadBalancer;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.NoEndpointAvailableException;
import io.meshclient.api.PickResult;
import io.meshclient.api.ServiceDiscovery;
import io.meshclient.api.ServicePolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * takes no lock.
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
  private final LongAdder picks = new LongAdder();
  private final LongAdder crossZonePicks = new LongAdder();
  private volatile Pool pool = Pool.EMPTY;
  /** The routes' subsets of this service, and the pool of each, rebuilt with {@link #pool}. */
  private final SubsetPools subsets = new SubsetPools();
  private final LongAdder mirrorsDropped = new LongAdder();
  private volatile boolean discovered;
  private final DiscoveryState discovery;
  private final LatencyTracker latencies;
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
    return picks.sum();
  }

  /** Picks that went to another zone than the caller's, ever. */
  public long crossZonePicks() {
    return crossZonePicks.sum();
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
  synchronized void retainSubsets(java.util.Set<Target> used) {
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

  private Pool poolOf(@Nullable Target subset, Pool whole) {
    if (subset == null) {
      return whole;
    }
    Pool p = subsets.get(subset);
    ClusterSettings s = settings;
    return p != null ? p : SubsetPools.of(whole, subset, ticker.read(), // not registered: built here
        s.policy.loadBalancing().panicThresholdPercent(), s.zone);
  }

  /**
   * Picks the endpoint for attempt {@code attempt} of a call: from the caller's zone or another
   * (in proportion to the local zone's healthy capacity), avoiding endpoints the call already
   * tried while others remain, and asking each candidate's breaker in turn. A {@linkplain
   * PickState#shadow shadow} pick (a mirrored copy) asks no breaker and no concurrency limit for
   * anything: it only skips endpoints whose breaker is not closed.
   *
   * @throws CircuitOpenException if every candidate's breaker refused
   * @throws ConcurrencyLimitException if every candidate was refused, some for being at their
   *     adaptive concurrency limit
   * @throws NoEndpointAvailableException if there is no candidate at all
   */
  public EndpointState pick(PickState state, int attempt) throws NoEndpointAvailableException {
    Pool p = currentPool();
    if (p.all().isEmpty()) {
      throw discovery.noEndpoints(); // names the service and the source
    }
    if (state.subset != null) {
      int all = p.all().size();
      p = poolOf(state.subset, p);
      if (p.all().isEmpty()) {
        throw new NoEndpointAvailableException(service, "no endpoint carries the labels of subset "
            + state.subset.subset() + " (the service has " + all + " endpoint(s))");
      }
    }
    List<EndpointState> first = p.local();
    List<EndpointState> second = p.remote();
    if (p.zoned() && state.random().nextDouble() >= p.localShare()) {
      first = p.remote();
      second = p.local();
    }
    state.mayRepeat = false;
    for (int round = 0; round <= p.all().size() * 2 + 2; round++) {
      EndpointStats picked = pickFrom(state, first);
      boolean fromRemote = first == p.remote();
      if (picked == null && !second.isEmpty()) {
        picked = pickFrom(state, second);
        fromRemote = second == p.remote();
      }
      if (picked == null) {
        if (!state.mayRepeat && state.triedCount() > 0) {
          state.mayRepeat = true; // every untried endpoint is out: one already tried may be used again
          continue;
        }
        if (state.limitedCount > 0) {
          throw new ConcurrencyLimitException(service, state.refusedCount);
        }
        if (state.refusedCount > 0) {
          throw new CircuitOpenException(service, state.refusedCount);
        }
        throw new NoEndpointAvailableException(service, p.local().isEmpty() ? "no healthy endpoint"
            : "all " + (p.local().size() + p.remote().size()) + " endpoint(s) are excluded for this attempt");
      }
      EndpointState endpoint = state.own(picked, settings.policy.loadBalancer());
      if (state.shadow) {
        // A mirrored copy takes nothing primary calls need (breaker permits, concurrency slots),
        // and goes nowhere a breaker keeps primaries from.
        if (!endpoint.admitsShadow()) {
          state.refuse(endpoint);
          continue;
        }
        return picked(state, endpoint, Limits.UNLIMITED, p.zoned() && fromRemote);
      }
      Limiter.Listener room = endpoint.tryAcquireLimit();
      if (room == null) {
        state.limited(endpoint); // at its adaptive concurrency limit: no room for this attempt
        continue;
      }
      if (endpoint.tryAcquire()) {
        return picked(state, endpoint, room, p.zoned() && fromRemote);
      }
      room.onIgnore();
      state.refuse(endpoint);
    }
    throw new NoEndpointAvailableException(service,
        "the load balancer kept picking endpoints it was told to avoid (attempt " + (attempt + 1) + ")");
  }

  private EndpointState picked(PickState state, EndpointState endpoint, Limiter.Listener room, boolean crossZone) {
    state.room = room;
    state.remember(endpoint);
    picks.increment();
    if (crossZone) {
      crossZonePicks.increment();
    }
    return endpoint;
  }

  private @Nullable EndpointStats pickFrom(PickState state, List<EndpointState> candidates) {
    if (candidates.isEmpty()) {
      return null;
    }
    state.candidates = candidates;
    PickResult result = settings.loadBalancer.pick(state);
    return result.endpoint();
  }

  /** The pool, first readmitting endpoints whose ejection is over. */
  private Pool currentPool() {
    Pool p = pool;
    long next = p.nextReturn();
    if (next != EndpointState.NONE && ticker.read() - next >= 0) {
      readmit(ticker.read());
      p = pool;
    }
    return p;
  }

  /** Records a response on {@code endpoint} and ejects it if that completes a failure streak. */
  public void onResponse(EndpointState endpoint, int status, long nanos, long retryAfterNanos) {
    endpoint.onResponse(status, nanos, retryAfterNanos);
    if (status >= 500) {
      checkStreak(endpoint);
    }
  }

  /**
   * Records a failed attempt on {@code endpoint} and ejects it if that completes a failure streak;
   * {@code gatewayFailure} when the connection was refused or torn down.
   */
  public void onFailure(EndpointState endpoint, Throwable failure, long nanos, boolean gatewayFailure) {
    endpoint.onFailure(failure, nanos, gatewayFailure);
    checkStreak(endpoint);
  }

  private void checkStreak(EndpointState endpoint) {
    String reason = settings.outliers.streak(endpoint);
    if (reason != null) {
      synchronized (this) {
        if (eject(endpoint, reason, ticker.read())) {
          rebuild();
        }
      }
    }
  }

  /**
   * Runs the interval detectors (success rate, failure percentage) over the interval just past,
   * and readmits endpoints whose time is up. The mesh calls it every outlier detection interval.
   */
  public synchronized void runOutlierInterval() {
    long now = ticker.read();
    readmit(now);
    List<EndpointState> all = pool.all();
    boolean changed = false;
    for (OutlierDetector.Verdict v : settings.outliers.interval(all, now)) {
      changed |= eject(v.endpoint(), v.reason(), now);
    }
    for (EndpointState e : all) {
      if (!e.ejectedAt(now) && e.timesEjected > 0) {
        e.timesEjected--; // a healthy interval earns back one step of the ejection multiplier
      }
    }
    if (changed) {
      rebuild();
    }
  }

  private synchronized boolean eject(EndpointState endpoint, String reason, long now) {
    List<EndpointState> all = pool.all();
    if (endpoint.ejectedAt(now) || !all.contains(endpoint)) {
      return false;
    }
    int ejected = 0;
    for (EndpointState e : all) {
      if (e.ejectedAt(now)) {
        ejected++;
      }
    }
    OutlierDetector outliers = settings.outliers;
    if (!outliers.mayEject(ejected, all.size())) {
      log.debug("service '{}': {} is an outlier ({}) but {} of {} endpoint(s) are already ejected",
          service, endpoint.endpoint().address(), reason, ejected, all.size());
      return false;
    }
    endpoint.timesEjected++;
    long nanos = outliers.ejectionNanos(endpoint.timesEjected);
    endpoint.ejectedUntil = now + nanos;
    endpoint.resetStreaks();
    Duration duration = Duration.ofNanos(nanos);
    log.info("service '{}': ejected endpoint {} for {} ({})", service, endpoint.endpoint().address(), duration, reason);
    listener.onEjection(service, endpoint.endpoint(), reason, duration);
    return true;
  }

  private synchronized void readmit(long now) {
    boolean changed = false;
    for (EndpointState e : pool.all()) {
      long until = e.ejectedUntil;
      if (until != EndpointState.NONE && now - until >= 0) {
        e.ejectedUntil = EndpointState.NONE;
        e.resetBreaker();
        e.rampUp(now);
        changed = true;
        log.info("service '{}': endpoint {} is back from ejection", service, e.endpoint().address());
        listener.onReadmission(service, e.endpoint());
      }
    }
    if (changed) {
      rebuild();
    }
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

  private void rebuild() {
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
