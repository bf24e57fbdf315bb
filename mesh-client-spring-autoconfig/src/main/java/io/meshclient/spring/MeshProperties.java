package io.meshclient.spring;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code mesh.*} properties: the mesh configuration model ({@code io.meshclient.core.config.MeshConfig})
 * as Spring Boot binds it, with the same names as the configuration file in kebab case
 * ({@code mesh.services.orders.retry.max-attempts}). Unset values ({@code null}) take the model's
 * defaults; {@link MeshPropertiesReader} turns the bound values into the model and checks them.
 *
 * <pre>
 * mesh:
 *   defaults:
 *     timeouts: {timeout: 2s}
 *   services:
 *     orders:
 *       endpoints: [{host: 10.0.0.7, port: 8080}]
 *       retry: {max-attempts: 2}
 * </pre>
 *
 * <p>A field added to the model is added here too, under the same name, so the generated metadata
 * lets IDEs complete it. Mutable, as Spring binding needs; read once at start-up.
 */
@ConfigurationProperties(prefix = "mesh", ignoreUnknownFields = false)
public class MeshProperties {
  /** Whether the mesh is on; false turns every mesh bean off. */
  private boolean enabled = true;

  /** Where services without endpoints or a discovery URI of their own find endpoints, e.g. dns:///?port=8080. */
  private @Nullable String discovery;

  /** How long calls wait for a discovery source's first answer (default 5s). */
  private @Nullable Duration initialDiscoveryTimeout;

  /** The zone this process runs in, e.g. eu-west-1a. */
  private @Nullable String zone;

  /** The policy every service starts from. */
  private Policy defaults = new Policy();

  /** The services routed through the mesh, by name: calls to http://NAME/... go to service NAME. */
  private Map<String, Service> services = new LinkedHashMap<>();

  /** Client certificate, trusted authorities and TLS rules for secure endpoints. */
  private Tls tls = new Tls();

  /** Which calls the mesh may make. */
  private Egress egress = new Egress();

  /** Which headers and query parameters outputs blank out. */
  private Redaction redaction = new Redaction();

  /** How the mesh reports to the health endpoint. */
  private Health health = new Health();

  /** Whether the mesh is on; {@code false} turns every mesh bean off. */
  public boolean isEnabled() {
    return enabled;
  }

  /** Sets {@link #isEnabled()}. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** Where services without endpoints or a discovery URI of their own find endpoints, e.g. {@code dns:///?port=8080}. */
  public @Nullable String getDiscovery() {
    return discovery;
  }

  /** Sets {@link #getDiscovery()}. */
  public void setDiscovery(@Nullable String discovery) {
    this.discovery = discovery;
  }

  /** How long calls wait for a discovery source's first answer (default 5s). */
  public @Nullable Duration getInitialDiscoveryTimeout() {
    return initialDiscoveryTimeout;
  }

  /** Sets {@link #getInitialDiscoveryTimeout()}. */
  public void setInitialDiscoveryTimeout(@Nullable Duration initialDiscoveryTimeout) {
    this.initialDiscoveryTimeout = initialDiscoveryTimeout;
  }

  /** The zone this process runs in, e.g. {@code eu-west-1a}. */
  public @Nullable String getZone() {
    return zone;
  }

  /** Sets {@link #getZone()}. */
  public void setZone(@Nullable String zone) {
    this.zone = zone;
  }

  /** The policy every service starts from. */
  public Policy getDefaults() {
    return defaults;
  }

  /** Sets {@link #getDefaults()}. */
  public void setDefaults(Policy defaults) {
    this.defaults = defaults;
  }

  /** The services routed through the mesh, by name: calls to http://NAME/... go to service NAME. */
  public Map<String, Service> getServices() {
    return services;
  }

  /** Sets {@link #getServices()}. */
  public void setServices(Map<String, Service> services) {
    this.services = services;
  }

  /** Client certificate, trusted authorities and TLS rules for secure endpoints. */
  public Tls getTls() {
    return tls;
  }

  /** Sets {@link #getTls()}. */
  public void setTls(Tls tls) {
    this.tls = tls;
  }

  /** Which calls the mesh may make. */
  public Egress getEgress() {
    return egress;
  }

  /** Sets {@link #getEgress()}. */
  public void setEgress(Egress egress) {
    this.egress = egress;
  }

  /** Which headers and query parameters outputs blank out. */
  public Redaction getRedaction() {
    return redaction;
  }

  /** Sets {@link #getRedaction()}. */
  public void setRedaction(Redaction redaction) {
    this.redaction = redaction;
  }

  /** How the mesh reports to the health endpoint. */
  public Health getHealth() {
    return health;
  }

  /** Sets {@link #getHealth()}. */
  public void setHealth(Health health) {
    this.health = health;
  }

  /** The policy fields of {@code mesh.defaults} and each {@code mesh.services.<name>}. */
  public static class Policy {
    /** The load balancer: peak_ewma (default), least_request, round_robin, random, ring_hash, maglev. */
    private @Nullable String loadBalancer;

    /** Zone preference, slow start, panic threshold, overload penalty and balancer settings. */
    private LoadBalancing loadBalancing = new LoadBalancing();

    /** The overall and per-try timeouts. */
    private Timeouts timeouts = new Timeouts();

    /** When failed attempts are retried. */
    private Retry retry = new Retry();

    /** The circuit breaker each endpoint gets. */
    private CircuitBreaker circuitBreaker = new CircuitBreaker();

    /** When an endpoint is ejected for failing more than its peers. */
    private OutlierDetection outlierDetection = new OutlierDetection();

    /** Active health checks; on when a path is set. */
    private HealthCheck healthCheck = new HealthCheck();

    /** How many retries and hedges the service may add to its calls. */
    private RetryBudget retryBudget = new RetryBudget();

    /** Hedged requests: one more attempt elsewhere when the first is slow; off by default. */
    private Hedging hedging = new Hedging();

    /** The most calls in flight to the service; off by default. */
    private Bulkhead bulkhead = new Bulkhead();

    /** The most calls to the service per period; off by default. */
    private RateLimit rateLimit = new RateLimit();

    /** A breaker over all the service's calls, on top of the per-endpoint ones; off by default. */
    private CircuitBreaker serviceCircuitBreaker = new CircuitBreaker();

    /** An adaptive concurrency limit per endpoint; on when the section is set. */
    private AdaptiveConcurrency adaptiveConcurrency = new AdaptiveConcurrency();

    /** The service's routes, in order: the first that matches a request takes it (see docs/traffic.md). */
    private @Nullable List<Route> routes;

    /** The load balancer: peak_ewma (default), least_request, round_robin, random, ring_hash, maglev. */
    public @Nullable String getLoadBalancer() {
      return loadBalancer;
    }

    /** Sets {@link #getLoadBalancer()}. */
    public void setLoadBalancer(@Nullable String loadBalancer) {
      this.loadBalancer = loadBalancer;
    }

    /** Zone preference, slow start, panic threshold, overload penalty and balancer settings. */
    public LoadBalancing getLoadBalancing() {
      return loadBalancing;
    }

    /** Sets {@link #getLoadBalancing()}. */
    public void setLoadBalancing(LoadBalancing loadBalancing) {
      this.loadBalancing = loadBalancing;
    }

    /** The overall and per-try timeouts. */
    public Timeouts getTimeouts() {
      return timeouts;
    }

    /** Sets {@link #getTimeouts()}. */
    public void setTimeouts(Timeouts timeouts) {
      this.timeouts = timeouts;
    }

    /** When failed attempts are retried. */
    public Retry getRetry() {
      return retry;
    }

    /** Sets {@link #getRetry()}. */
    public void setRetry(Retry retry) {
      this.retry = retry;
    }

    /** The circuit breaker each endpoint gets. */
    public CircuitBreaker getCircuitBreaker() {
      return circuitBreaker;
    }

    /** Sets {@link #getCircuitBreaker()}. */
    public void setCircuitBreaker(CircuitBreaker circuitBreaker) {
      this.circuitBreaker = circuitBreaker;
    }

    /** When an endpoint is ejected for failing more than its peers. */
    public OutlierDetection getOutlierDetection() {
      return outlierDetection;
    }

    /** Sets {@link #getOutlierDetection()}. */
    public void setOutlierDetection(OutlierDetection outlierDetection) {
      this.outlierDetection = outlierDetection;
    }

    /** Active health checks; on when a path is set. */
    public HealthCheck getHealthCheck() {
      return healthCheck;
    }

    /** Sets {@link #getHealthCheck()}. */
    public void setHealthCheck(HealthCheck healthCheck) {
      this.healthCheck = healthCheck;
    }

    /** How many retries and hedges the service may add to its calls. */
    public RetryBudget getRetryBudget() {
      return retryBudget;
    }

    /** Sets {@link #getRetryBudget()}. */
    public void setRetryBudget(RetryBudget retryBudget) {
      this.retryBudget = retryBudget;
    }

    /** Hedged requests: one more attempt elsewhere when the first is slow; off by default. */
    public Hedging getHedging() {
      return hedging;
    }

    /** Sets {@link #getHedging()}. */
    public void setHedging(Hedging hedging) {
      this.hedging = hedging;
    }

    /** The most calls in flight to the service; off by default. */
    public Bulkhead getBulkhead() {
      return bulkhead;
    }

    /** Sets {@link #getBulkhead()}. */
    public void setBulkhead(Bulkhead bulkhead) {
      this.bulkhead = bulkhead;
    }

    /** The most calls to the service per period; off by default. */
    public RateLimit getRateLimit() {
      return rateLimit;
    }

    /** Sets {@link #getRateLimit()}. */
    public void setRateLimit(RateLimit rateLimit) {
      this.rateLimit = rateLimit;
    }

    /** A breaker over all the service's calls, on top of the per-endpoint ones; off by default. */
    public CircuitBreaker getServiceCircuitBreaker() {
      return serviceCircuitBreaker;
    }

    /** Sets {@link #getServiceCircuitBreaker()}. */
    public void setServiceCircuitBreaker(CircuitBreaker serviceCircuitBreaker) {
      this.serviceCircuitBreaker = serviceCircuitBreaker;
    }

    /** An adaptive concurrency limit per endpoint; on when the section is set. */
    public AdaptiveConcurrency getAdaptiveConcurrency() {
      return adaptiveConcurrency;
    }

    /** Sets {@link #getAdaptiveConcurrency()}. */
    public void setAdaptiveConcurrency(AdaptiveConcurrency adaptiveConcurrency) {
      this.adaptiveConcurrency = adaptiveConcurrency;
    }

    /** The service's routes, in order: the first that matches a request takes it (see docs/traffic.md). */
    public @Nullable List<Route> getRoutes() {
      return routes;
    }

    /** Sets {@link #getRoutes()}. */
    public void setRoutes(@Nullable List<Route> routes) {
      this.routes = routes;
    }
  }

  /** One service: {@code mesh.services.<name>}; policy fields left unset come from {@code mesh.defaults}. */
  public static class Service extends Policy {
    /** Fixed endpoints of the service. */
    private @Nullable List<Endpoint> endpoints;

    /** The service's own discovery URI, e.g. dns+srv:///_http._tcp.orders.prod. */
    private @Nullable String discovery;

    /** The identity the service's endpoints must prove over TLS. */
    private PeerIdentity peerIdentity = new PeerIdentity();

    /** Fixed endpoints of the service. */
    public @Nullable List<Endpoint> getEndpoints() {
      return endpoints;
    }

    /** Sets {@link #getEndpoints()}. */
    public void setEndpoints(@Nullable List<Endpoint> endpoints) {
      this.endpoints = endpoints;
    }

    /** The service's own discovery URI, e.g. {@code dns+srv:///_http._tcp.orders.prod}. */
    public @Nullable String getDiscovery() {
      return discovery;
    }

    /** Sets {@link #getDiscovery()}. */
    public void setDiscovery(@Nullable String discovery) {
      this.discovery = discovery;
    }

    /** The identity the service's endpoints must prove over TLS. */
    public PeerIdentity getPeerIdentity() {
      return peerIdentity;
    }

    /** Sets {@link #getPeerIdentity()}. */
    public void setPeerIdentity(PeerIdentity peerIdentity) {
      this.peerIdentity = peerIdentity;
    }
  }

  /** {@code loadBalancing}: see {@code LoadBalancingPolicy}. */
  public static class LoadBalancing {
    /** Whether endpoints in the caller's zone are preferred (default true). */
    private @Nullable Boolean zoneAware;

    /** Below this share of healthy endpoints every endpoint takes traffic (default 50). */
    private @Nullable Integer panicThresholdPercent;

    /** How long a new endpoint ramps up its share (default 0s: none). */
    private @Nullable Duration slowStartWindow;

    /** The share a new endpoint starts at (default 10). */
    private @Nullable Integer slowStartMinWeightPercent;

    /** How long an endpoint answering 503/429 is avoided (default 1s). */
    private @Nullable Duration overloadPenalty;

    /** The longest overload penalty, after Retry-After (default 5m). */
    private @Nullable Duration maxOverloadPenalty;

    /** How fast peak_ewma forgets latency (default 10s). */
    private @Nullable Duration ewmaDecay;

    /** Where ring_hash and maglev read a request's key. */
    private HashKey hashKey = new HashKey();

    /** The ring_hash ring size (default 1024). */
    private @Nullable Integer minimumRingSize;

    /** The maglev table size, a prime (default 65537). */
    private @Nullable Integer maglevTableSize;

    /** Whether endpoints in the caller's zone are preferred (default true). */
    public @Nullable Boolean getZoneAware() {
      return zoneAware;
    }

    /** Sets {@link #getZoneAware()}. */
    public void setZoneAware(@Nullable Boolean zoneAware) {
      this.zoneAware = zoneAware;
    }

    /** Below this share of healthy endpoints every endpoint takes traffic (default 50). */
    public @Nullable Integer getPanicThresholdPercent() {
      return panicThresholdPercent;
    }

    /** Sets {@link #getPanicThresholdPercent()}. */
    public void setPanicThresholdPercent(@Nullable Integer panicThresholdPercent) {
      this.panicThresholdPercent = panicThresholdPercent;
    }

    /** How long a new endpoint ramps up its share (default 0s: none). */
    public @Nullable Duration getSlowStartWindow() {
      return slowStartWindow;
    }

    /** Sets {@link #getSlowStartWindow()}. */
    public void setSlowStartWindow(@Nullable Duration slowStartWindow) {
      this.slowStartWindow = slowStartWindow;
    }

    /** The share a new endpoint starts at (default 10). */
    public @Nullable Integer getSlowStartMinWeightPercent() {
      return slowStartMinWeightPercent;
    }

    /** Sets {@link #getSlowStartMinWeightPercent()}. */
    public void setSlowStartMinWeightPercent(@Nullable Integer slowStartMinWeightPercent) {
      this.slowStartMinWeightPercent = slowStartMinWeightPercent;
    }

    /** How long an endpoint answering 503/429 is avoided (default 1s). */
    public @Nullable Duration getOverloadPenalty() {
      return overloadPenalty;
    }

    /** Sets {@link #getOverloadPenalty()}. */
    public void setOverloadPenalty(@Nullable Duration overloadPenalty) {
      this.overloadPenalty = overloadPenalty;
    }

    /** The longest overload penalty, after Retry-After (default 5m). */
    public @Nullable Duration getMaxOverloadPenalty() {
      return maxOverloadPenalty;
    }

    /** Sets {@link #getMaxOverloadPenalty()}. */
    public void setMaxOverloadPenalty(@Nullable Duration maxOverloadPenalty) {
      this.maxOverloadPenalty = maxOverloadPenalty;
    }

    /** How fast peak_ewma forgets latency (default 10s). */
    public @Nullable Duration getEwmaDecay() {
      return ewmaDecay;
    }

    /** Sets {@link #getEwmaDecay()}. */
    public void setEwmaDecay(@Nullable Duration ewmaDecay) {
      this.ewmaDecay = ewmaDecay;
    }

    /** Where ring_hash and maglev read a request's key. */
    public HashKey getHashKey() {
      return hashKey;
    }

    /** Sets {@link #getHashKey()}. */
    public void setHashKey(HashKey hashKey) {
      this.hashKey = hashKey;
    }

    /** The ring_hash ring size (default 1024). */
    public @Nullable Integer getMinimumRingSize() {
      return minimumRingSize;
    }

    /** Sets {@link #getMinimumRingSize()}. */
    public void setMinimumRingSize(@Nullable Integer minimumRingSize) {
      this.minimumRingSize = minimumRingSize;
    }

    /** The maglev table size, a prime (default 65537). */
    public @Nullable Integer getMaglevTableSize() {
      return maglevTableSize;
    }

    /** Sets {@link #getMaglevTableSize()}. */
    public void setMaglevTableSize(@Nullable Integer maglevTableSize) {
      this.maglevTableSize = maglevTableSize;
    }
  }

  /** {@code hashKey}: set one of the fields. */
  public static class HashKey {
    /** The request header whose value is the key. */
    private @Nullable String header;

    /** The cookie whose value is the key. */
    private @Nullable String cookie;

    /** The query parameter whose value is the key. */
    private @Nullable String queryParameter;

    /** Whether the request path is the key. */
    private @Nullable Boolean path;

    /** The request header whose value is the key. */
    public @Nullable String getHeader() {
      return header;
    }

    /** Sets {@link #getHeader()}. */
    public void setHeader(@Nullable String header) {
      this.header = header;
    }

    /** The cookie whose value is the key. */
    public @Nullable String getCookie() {
      return cookie;
    }

    /** Sets {@link #getCookie()}. */
    public void setCookie(@Nullable String cookie) {
      this.cookie = cookie;
    }

    /** The query parameter whose value is the key. */
    public @Nullable String getQueryParameter() {
      return queryParameter;
    }

    /** Sets {@link #getQueryParameter()}. */
    public void setQueryParameter(@Nullable String queryParameter) {
      this.queryParameter = queryParameter;
    }

    /** Whether the request path is the key. */
    public @Nullable Boolean getPath() {
      return path;
    }

    /** Sets {@link #getPath()}. */
    public void setPath(@Nullable Boolean path) {
      this.path = path;
    }
  }

  /** {@code timeouts}: see {@code TimeoutPolicy}. */
  public static class Timeouts {
    /** The deadline of the whole call across attempts (default 10s; 0 for none). */
    private @Nullable Duration timeout;

    /** The limit of each attempt (default 0: none). */
    private @Nullable Duration perTryTimeout;

    /** Whether each attempt carries its time left in the deadline header (default true). */
    private @Nullable Boolean propagateDeadline;

    /** The header an attempt's time left travels in, as milliseconds (default x-mesh-timeout-ms). */
    private @Nullable String deadlineHeader;

    /** The deadline of the whole call across attempts (default 10s; 0 for none). */
    public @Nullable Duration getTimeout() {
      return timeout;
    }

    /** Sets {@link #getTimeout()}. */
    public void setTimeout(@Nullable Duration timeout) {
      this.timeout = timeout;
    }

    /** The limit of each attempt (default 0: none). */
    public @Nullable Duration getPerTryTimeout() {
      return perTryTimeout;
    }

    /** Sets {@link #getPerTryTimeout()}. */
    public void setPerTryTimeout(@Nullable Duration perTryTimeout) {
      this.perTryTimeout = perTryTimeout;
    }

    /** Whether each attempt carries its time left in the deadline header (default true). */
    public @Nullable Boolean getPropagateDeadline() {
      return propagateDeadline;
    }

    /** Sets {@link #getPropagateDeadline()}. */
    public void setPropagateDeadline(@Nullable Boolean propagateDeadline) {
      this.propagateDeadline = propagateDeadline;
    }

    /** The header an attempt's time left travels in, as milliseconds (default x-mesh-timeout-ms). */
    public @Nullable String getDeadlineHeader() {
      return deadlineHeader;
    }

    /** Sets {@link #getDeadlineHeader()}. */
    public void setDeadlineHeader(@Nullable String deadlineHeader) {
      this.deadlineHeader = deadlineHeader;
    }
  }

  /** {@code retry}: see {@code RetryPolicy}. */
  public static class Retry {
    /** Attempts per call, the first included, 1..10 (default 3). */
    private @Nullable Integer maxAttempts;

    /** Which failures are retried: connect_failure, reset, timeout, 5xx, gateway, never, or statuses (default connect_failure, reset, timeout, gateway). */
    private @Nullable List<String> retryOn;

    /** Whether POST and PATCH are retried even without an Idempotency-Key (default false). */
    private @Nullable Boolean retryNonIdempotent;

    /** The upper bound of the first retry's backoff (default 25ms). */
    private @Nullable Duration initialBackoff;

    /** The cap of every backoff (default 250ms). */
    private @Nullable Duration maxBackoff;

    /** How much the backoff bound grows per retry (default 2.0). */
    private @Nullable Double backoffMultiplier;

    /** Attempts per call, the first included, 1..10 (default 3). */
    public @Nullable Integer getMaxAttempts() {
      return maxAttempts;
    }

    /** Sets {@link #getMaxAttempts()}. */
    public void setMaxAttempts(@Nullable Integer maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    /** Which failures are retried: connect_failure, reset, timeout, 5xx, gateway, never, or statuses (default connect_failure, reset, timeout, gateway). */
    public @Nullable List<String> getRetryOn() {
      return retryOn;
    }

    /** Sets {@link #getRetryOn()}. */
    public void setRetryOn(@Nullable List<String> retryOn) {
      this.retryOn = retryOn;
    }

    /** Whether POST and PATCH are retried even without an Idempotency-Key (default false). */
    public @Nullable Boolean getRetryNonIdempotent() {
      return retryNonIdempotent;
    }

    /** Sets {@link #getRetryNonIdempotent()}. */
    public void setRetryNonIdempotent(@Nullable Boolean retryNonIdempotent) {
      this.retryNonIdempotent = retryNonIdempotent;
    }

    /** The upper bound of the first retry's backoff (default 25ms). */
    public @Nullable Duration getInitialBackoff() {
      return initialBackoff;
    }

    /** Sets {@link #getInitialBackoff()}. */
    public void setInitialBackoff(@Nullable Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
    }

    /** The cap of every backoff (default 250ms). */
    public @Nullable Duration getMaxBackoff() {
      return maxBackoff;
    }

    /** Sets {@link #getMaxBackoff()}. */
    public void setMaxBackoff(@Nullable Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
    }

    /** How much the backoff bound grows per retry (default 2.0). */
    public @Nullable Double getBackoffMultiplier() {
      return backoffMultiplier;
    }

    /** Sets {@link #getBackoffMultiplier()}. */
    public void setBackoffMultiplier(@Nullable Double backoffMultiplier) {
      this.backoffMultiplier = backoffMultiplier;
    }
  }

  /** {@code retryBudget}: see {@code RetryBudgetPolicy}. */
  public static class RetryBudget {
    /** Whether retries are limited at all (default true). */
    private @Nullable Boolean enabled;

    /** Retries allowed as a percentage of the calls in the window (default 20). */
    private @Nullable Double percent;

    /** Retries allowed per second of the window whatever the traffic (default 10). */
    private @Nullable Integer minRetriesPerSecond;

    /** How far back calls and retries are counted, 1s..5m (default 10s). */
    private @Nullable Duration window;

    /** Whether retries are limited at all (default true). */
    public @Nullable Boolean getEnabled() {
      return enabled;
    }

    /** Sets {@link #getEnabled()}. */
    public void setEnabled(@Nullable Boolean enabled) {
      this.enabled = enabled;
    }

    /** Retries allowed as a percentage of the calls in the window (default 20). */
    public @Nullable Double getPercent() {
      return percent;
    }

    /** Sets {@link #getPercent()}. */
    public void setPercent(@Nullable Double percent) {
      this.percent = percent;
    }

    /** Retries allowed per second of the window whatever the traffic (default 10). */
    public @Nullable Integer getMinRetriesPerSecond() {
      return minRetriesPerSecond;
    }

    /** Sets {@link #getMinRetriesPerSecond()}. */
    public void setMinRetriesPerSecond(@Nullable Integer minRetriesPerSecond) {
      this.minRetriesPerSecond = minRetriesPerSecond;
    }

    /** How far back calls and retries are counted, 1s..5m (default 10s). */
    public @Nullable Duration getWindow() {
      return window;
    }

    /** Sets {@link #getWindow()}. */
    public void setWindow(@Nullable Duration window) {
      this.window = window;
    }
  }

  /** {@code hedging}: see {@code HedgingPolicy}. */
  public static class Hedging {
    /** Whether calls are hedged; setting a delay or percentile turns it on. */
    private @Nullable Boolean enabled;

    /** A fixed hedge delay. */
    private @Nullable Duration delay;

    /** Hedge after the service's live latency percentile, 50..99.9 (e.g. 95). */
    private @Nullable Double delayPercentile;

    /** The floor under a live percentile (default 1ms). */
    private @Nullable Duration minDelay;

    /** Extra attempts per call, 1..3 (default 1). */
    private @Nullable Integer maxHedges;

    /** Whether calls are hedged; setting a delay or percentile turns it on. */
    public @Nullable Boolean getEnabled() {
      return enabled;
    }

    /** Sets {@link #getEnabled()}. */
    public void setEnabled(@Nullable Boolean enabled) {
      this.enabled = enabled;
    }

    /** A fixed hedge delay. */
    public @Nullable Duration getDelay() {
      return delay;
    }

    /** Sets {@link #getDelay()}. */
    public void setDelay(@Nullable Duration delay) {
      this.delay = delay;
    }

    /** Hedge after the service's live latency percentile, 50..99.9 (e.g. 95). */
    public @Nullable Double getDelayPercentile() {
      return delayPercentile;
    }

    /** Sets {@link #getDelayPercentile()}. */
    public void setDelayPercentile(@Nullable Double delayPercentile) {
      this.delayPercentile = delayPercentile;
    }

    /** The floor under a live percentile (default 1ms). */
    public @Nullable Duration getMinDelay() {
      return minDelay;
    }

    /** Sets {@link #getMinDelay()}. */
    public void setMinDelay(@Nullable Duration minDelay) {
      this.minDelay = minDelay;
    }

    /** Extra attempts per call, 1..3 (default 1). */
    public @Nullable Integer getMaxHedges() {
      return maxHedges;
    }

    /** Sets {@link #getMaxHedges()}. */
    public void setMaxHedges(@Nullable Integer maxHedges) {
      this.maxHedges = maxHedges;
    }
  }

  /** {@code bulkhead}: see {@code BulkheadPolicy}. */
  public static class Bulkhead {
    /** The most calls in flight at once (0 or unset: no bulkhead). */
    private @Nullable Integer maxConcurrentCalls;

    /** The most calls in flight at once (0 or unset: no bulkhead). */
    public @Nullable Integer getMaxConcurrentCalls() {
      return maxConcurrentCalls;
    }

    /** Sets {@link #getMaxConcurrentCalls()}. */
    public void setMaxConcurrentCalls(@Nullable Integer maxConcurrentCalls) {
      this.maxConcurrentCalls = maxConcurrentCalls;
    }
  }

  /** {@code rateLimit}: see {@code RateLimitPolicy}. */
  public static class RateLimit {
    /** Calls allowed per period (0 or unset: no limit). */
    private @Nullable Integer limitForPeriod;

    /** How often the permits are renewed (default 1s). */
    private @Nullable Duration refreshPeriod;

    /** Calls allowed per period (0 or unset: no limit). */
    public @Nullable Integer getLimitForPeriod() {
      return limitForPeriod;
    }

    /** Sets {@link #getLimitForPeriod()}. */
    public void setLimitForPeriod(@Nullable Integer limitForPeriod) {
      this.limitForPeriod = limitForPeriod;
    }

    /** How often the permits are renewed (default 1s). */
    public @Nullable Duration getRefreshPeriod() {
      return refreshPeriod;
    }

    /** Sets {@link #getRefreshPeriod()}. */
    public void setRefreshPeriod(@Nullable Duration refreshPeriod) {
      this.refreshPeriod = refreshPeriod;
    }
  }

  /** {@code adaptiveConcurrency}: see {@code AdaptiveConcurrencyPolicy}. */
  public static class AdaptiveConcurrency {
    /** Whether endpoints are limited (default true once the section is set). */
    private @Nullable Boolean enabled;

    /** gradient2 (default) or vegas. */
    private @Nullable String algorithm;

    /** The limit an endpoint starts with (default 20). */
    private @Nullable Integer initialLimit;

    /** The lowest limit (default 1). */
    private @Nullable Integer minLimit;

    /** The highest limit (default 200). */
    private @Nullable Integer maxLimit;

    /** Whether endpoints are limited (default true once the section is set). */
    public @Nullable Boolean getEnabled() {
      return enabled;
    }

    /** Sets {@link #getEnabled()}. */
    public void setEnabled(@Nullable Boolean enabled) {
      this.enabled = enabled;
    }

    /** gradient2 (default) or vegas. */
    public @Nullable String getAlgorithm() {
      return algorithm;
    }

    /** Sets {@link #getAlgorithm()}. */
    public void setAlgorithm(@Nullable String algorithm) {
      this.algorithm = algorithm;
    }

    /** The limit an endpoint starts with (default 20). */
    public @Nullable Integer getInitialLimit() {
      return initialLimit;
    }

    /** Sets {@link #getInitialLimit()}. */
    public void setInitialLimit(@Nullable Integer initialLimit) {
      this.initialLimit = initialLimit;
    }

    /** The lowest limit (default 1). */
    public @Nullable Integer getMinLimit() {
      return minLimit;
    }

    /** Sets {@link #getMinLimit()}. */
    public void setMinLimit(@Nullable Integer minLimit) {
      this.minLimit = minLimit;
    }

    /** The highest limit (default 200). */
    public @Nullable Integer getMaxLimit() {
      return maxLimit;
    }

    /** Sets {@link #getMaxLimit()}. */
    public void setMaxLimit(@Nullable Integer maxLimit) {
      this.maxLimit = maxLimit;
    }
  }

  /** One route of {@code routes}: see {@code Route} and docs/traffic.md. */
  public static class Route {
    /** The route's name, unique within the service. */
    private @Nullable String name;

    /** Which requests the route takes (every request when unset). */
    private @Nullable RouteMatch match;

    /** Where the route sends requests, by weight. */
    private @Nullable List<Destination> destinations;

    /** Where requests go when the destinations have no endpoint. */
    private @Nullable Destination fallback;

    /** Timeouts of this route, over the service's. */
    private @Nullable Timeouts timeouts;

    /** Retries of this route, over the service's. */
    private @Nullable Retry retry;

    /** Hedging of this route, over the service's. */
    private @Nullable Hedging hedging;

    /** The path prefix that replaces the matched one. */
    private @Nullable String rewritePathPrefix;

    /** The Host header sent instead of the service name. */
    private @Nullable String rewriteAuthority;

    /** Headers set on the request. */
    private @Nullable Map<String, String> setHeaders;

    /** Headers removed from the request. */
    private @Nullable List<String> removeHeaders;

    /** Faults injected into this route's requests. */
    private @Nullable Fault fault;

    /** A share of this route's requests copied elsewhere. */
    private @Nullable Mirror mirror;

    /** The route's name, unique within the service. */
    public @Nullable String getName() {
      return name;
    }

    /** Sets {@link #getName()}. */
    public void setName(@Nullable String name) {
      this.name = name;
    }

    /** Which requests the route takes (every request when unset). */
    public @Nullable RouteMatch getMatch() {
      return match;
    }

    /** Sets {@link #getMatch()}. */
    public void setMatch(@Nullable RouteMatch match) {
      this.match = match;
    }

    /** Where the route sends requests, by weight. */
    public @Nullable List<Destination> getDestinations() {
      return destinations;
    }

    /** Sets {@link #getDestinations()}. */
    public void setDestinations(@Nullable List<Destination> destinations) {
      this.destinations = destinations;
    }

    /** Where requests go when the destinations have no endpoint. */
    public @Nullable Destination getFallback() {
      return fallback;
    }

    /** Sets {@link #getFallback()}. */
    public void setFallback(@Nullable Destination fallback) {
      this.fallback = fallback;
    }

    /** Timeouts of this route, over the service's. */
    public @Nullable Timeouts getTimeouts() {
      return timeouts;
    }

    /** Sets {@link #getTimeouts()}. */
    public void setTimeouts(@Nullable Timeouts timeouts) {
      this.timeouts = timeouts;
    }

    /** Retries of this route, over the service's. */
    public @Nullable Retry getRetry() {
      return retry;
    }

    /** Sets {@link #getRetry()}. */
    public void setRetry(@Nullable Retry retry) {
      this.retry = retry;
    }

    /** Hedging of this route, over the service's. */
    public @Nullable Hedging getHedging() {
      return hedging;
    }

    /** Sets {@link #getHedging()}. */
    public void setHedging(@Nullable Hedging hedging) {
      this.hedging = hedging;
    }

    /** The path prefix that replaces the matched one. */
    public @Nullable String getRewritePathPrefix() {
      return rewritePathPrefix;
    }

    /** Sets {@link #getRewritePathPrefix()}. */
    public void setRewritePathPrefix(@Nullable String rewritePathPrefix) {
      this.rewritePathPrefix = rewritePathPrefix;
    }

    /** The Host header sent instead of the service name. */
    public @Nullable String getRewriteAuthority() {
      return rewriteAuthority;
    }

    /** Sets {@link #getRewriteAuthority()}. */
    public void setRewriteAuthority(@Nullable String rewriteAuthority) {
      this.rewriteAuthority = rewriteAuthority;
    }

    /** Headers set on the request. */
    public @Nullable Map<String, String> getSetHeaders() {
      return setHeaders;
    }

    /** Sets {@link #getSetHeaders()}. */
    public void setSetHeaders(@Nullable Map<String, String> setHeaders) {
      this.setHeaders = setHeaders;
    }

    /** Headers removed from the request. */
    public @Nullable List<String> getRemoveHeaders() {
      return removeHeaders;
    }

    /** Sets {@link #getRemoveHeaders()}. */
    public void setRemoveHeaders(@Nullable List<String> removeHeaders) {
      this.removeHeaders = removeHeaders;
    }

    /** Faults injected into this route's requests. */
    public @Nullable Fault getFault() {
      return fault;
    }

    /** Sets {@link #getFault()}. */
    public void setFault(@Nullable Fault fault) {
      this.fault = fault;
    }

    /** A share of this route's requests copied elsewhere. */
    public @Nullable Mirror getMirror() {
      return mirror;
    }

    /** Sets {@link #getMirror()}. */
    public void setMirror(@Nullable Mirror mirror) {
      this.mirror = mirror;
    }
  }

  /** {@code match} of a route: every condition set must hold. */
  public static class RouteMatch {
    /** The path: exact, prefix or regex. */
    private @Nullable StringMatch path;

    /** HTTP methods, any of which matches. */
    private @Nullable List<String> methods;

    /** Header conditions by header name. */
    private @Nullable Map<String, StringMatch> headers;

    /** Query parameter conditions by name. */
    private @Nullable Map<String, StringMatch> queryParameters;

    /** The path: exact, prefix or regex. */
    public @Nullable StringMatch getPath() {
      return path;
    }

    /** Sets {@link #getPath()}. */
    public void setPath(@Nullable StringMatch path) {
      this.path = path;
    }

    /** HTTP methods, any of which matches. */
    public @Nullable List<String> getMethods() {
      return methods;
    }

    /** Sets {@link #getMethods()}. */
    public void setMethods(@Nullable List<String> methods) {
      this.methods = methods;
    }

    /** Header conditions by header name. */
    public @Nullable Map<String, StringMatch> getHeaders() {
      return headers;
    }

    /** Sets {@link #getHeaders()}. */
    public void setHeaders(@Nullable Map<String, StringMatch> headers) {
      this.headers = headers;
    }

    /** Query parameter conditions by name. */
    public @Nullable Map<String, StringMatch> getQueryParameters() {
      return queryParameters;
    }

    /** Sets {@link #getQueryParameters()}. */
    public void setQueryParameters(@Nullable Map<String, StringMatch> queryParameters) {
      this.queryParameters = queryParameters;
    }
  }

  /** A match value: exactly one of exact, prefix, regex, present or absent. */
  public static class StringMatch {
    /** The whole value. */
    private @Nullable String exact;

    /** The value's start. */
    private @Nullable String prefix;

    /** A Java regular expression the whole value matches. */
    private @Nullable String regex;

    /** Matches when the value is present. */
    private @Nullable Boolean present;

    /** Matches when the value is absent. */
    private @Nullable Boolean absent;

    /** The whole value. */
    public @Nullable String getExact() {
      return exact;
    }

    /** Sets {@link #getExact()}. */
    public void setExact(@Nullable String exact) {
      this.exact = exact;
    }

    /** The value's start. */
    public @Nullable String getPrefix() {
      return prefix;
    }

    /** Sets {@link #getPrefix()}. */
    public void setPrefix(@Nullable String prefix) {
      this.prefix = prefix;
    }

    /** A Java regular expression the whole value matches. */
    public @Nullable String getRegex() {
      return regex;
    }

    /** Sets {@link #getRegex()}. */
    public void setRegex(@Nullable String regex) {
      this.regex = regex;
    }

    /** Matches when the value is present. */
    public @Nullable Boolean getPresent() {
      return present;
    }

    /** Sets {@link #getPresent()}. */
    public void setPresent(@Nullable Boolean present) {
      this.present = present;
    }

    /** Matches when the value is absent. */
    public @Nullable Boolean getAbsent() {
      return absent;
    }

    /** Sets {@link #getAbsent()}. */
    public void setAbsent(@Nullable Boolean absent) {
      this.absent = absent;
    }
  }

  /** A route's destination: a service (the one called when unset), a subset of its endpoints by labels, and a weight. */
  public static class Destination {
    /** The service (the one called when unset). */
    private @Nullable String service;

    /** Endpoint labels the subset's endpoints all have, e.g. version: v2. */
    private @Nullable Map<String, String> subset;

    /** The relative weight among the route's destinations (default 1). */
    private @Nullable Integer weight;

    /** The service (the one called when unset). */
    public @Nullable String getService() {
      return service;
    }

    /** Sets {@link #getService()}. */
    public void setService(@Nullable String service) {
      this.service = service;
    }

    /** Endpoint labels the subset's endpoints all have, e.g. version: v2. */
    public @Nullable Map<String, String> getSubset() {
      return subset;
    }

    /** Sets {@link #getSubset()}. */
    public void setSubset(@Nullable Map<String, String> subset) {
      this.subset = subset;
    }

    /** The relative weight among the route's destinations (default 1). */
    public @Nullable Integer getWeight() {
      return weight;
    }

    /** Sets {@link #getWeight()}. */
    public void setWeight(@Nullable Integer weight) {
      this.weight = weight;
    }
  }

  /** {@code fault} of a route: see {@code FaultPolicy}. */
  public static class Fault {
    /** A delay injected before the request. */
    private @Nullable Duration delay;

    /** The share of requests delayed (default 100 once a delay is set). */
    private @Nullable Double delayPercent;

    /** Answer with this status instead of calling. */
    private @Nullable Integer abortHttpStatus;

    /** Fail as if the connection could not be made. */
    private @Nullable Boolean abortConnectionError;

    /** The share of requests aborted (default 100 once an abort is set). */
    private @Nullable Double abortPercent;

    /** Only requests with this header are faulted. */
    private @Nullable String headerName;

    /** What the header's value must match (present when unset). */
    private @Nullable StringMatch headerMatch;

    /** A delay injected before the request. */
    public @Nullable Duration getDelay() {
      return delay;
    }

    /** Sets {@link #getDelay()}. */
    public void setDelay(@Nullable Duration delay) {
      this.delay = delay;
    }

    /** The share of requests delayed (default 100 once a delay is set). */
    public @Nullable Double getDelayPercent() {
      return delayPercent;
    }

    /** Sets {@link #getDelayPercent()}. */
    public void setDelayPercent(@Nullable Double delayPercent) {
      this.delayPercent = delayPercent;
    }

    /** Answer with this status instead of calling. */
    public @Nullable Integer getAbortHttpStatus() {
      return abortHttpStatus;
    }

    /** Sets {@link #getAbortHttpStatus()}. */
    public void setAbortHttpStatus(@Nullable Integer abortHttpStatus) {
      this.abortHttpStatus = abortHttpStatus;
    }

    /** Fail as if the connection could not be made. */
    public @Nullable Boolean getAbortConnectionError() {
      return abortConnectionError;
    }

    /** Sets {@link #getAbortConnectionError()}. */
    public void setAbortConnectionError(@Nullable Boolean abortConnectionError) {
      this.abortConnectionError = abortConnectionError;
    }

    /** The share of requests aborted (default 100 once an abort is set). */
    public @Nullable Double getAbortPercent() {
      return abortPercent;
    }

    /** Sets {@link #getAbortPercent()}. */
    public void setAbortPercent(@Nullable Double abortPercent) {
      this.abortPercent = abortPercent;
    }

    /** Only requests with this header are faulted. */
    public @Nullable String getHeaderName() {
      return headerName;
    }

    /** Sets {@link #getHeaderName()}. */
    public void setHeaderName(@Nullable String headerName) {
      this.headerName = headerName;
    }

    /** What the header's value must match (present when unset). */
    public @Nullable StringMatch getHeaderMatch() {
      return headerMatch;
    }

    /** Sets {@link #getHeaderMatch()}. */
    public void setHeaderMatch(@Nullable StringMatch headerMatch) {
      this.headerMatch = headerMatch;
    }
  }

  /** {@code mirror} of a route: see {@code MirrorPolicy}. */
  public static class Mirror {
    /** Where the copies go. */
    private @Nullable Destination destination;

    /** The share of requests copied (default 100). */
    private @Nullable Double percent;

    /** Copies in flight at most; beyond, copies are dropped (default 64). */
    private @Nullable Integer maxConcurrent;

    /** Where the copies go. */
    public @Nullable Destination getDestination() {
      return destination;
    }

    /** Sets {@link #getDestination()}. */
    public void setDestination(@Nullable Destination destination) {
      this.destination = destination;
    }

    /** The share of requests copied (default 100). */
    public @Nullable Double getPercent() {
      return percent;
    }

    /** Sets {@link #getPercent()}. */
    public void setPercent(@Nullable Double percent) {
      this.percent = percent;
    }

    /** Copies in flight at most; beyond, copies are dropped (default 64). */
    public @Nullable Integer getMaxConcurrent() {
      return maxConcurrent;
    }

    /** Sets {@link #getMaxConcurrent()}. */
    public void setMaxConcurrent(@Nullable Integer maxConcurrent) {
      this.maxConcurrent = maxConcurrent;
    }
  }

  /** {@code circuitBreaker}: see {@code CircuitBreakerPolicy}. */
  public static class CircuitBreaker {
    /** Whether each endpoint has a breaker (default true). */
    private @Nullable Boolean enabled;

    /** The failure percentage that opens the breaker (default 50). */
    private @Nullable Float failureRateThreshold;

    /** How many recent calls the failure rate covers (default 20). */
    private @Nullable Integer slidingWindowSize;

    /** Calls needed before the rate counts (default 10). */
    private @Nullable Integer minimumNumberOfCalls;

    /** How long an open breaker refuses calls (default 10s). */
    private @Nullable Duration waitDurationInOpenState;

    /** Trial calls of a half-open breaker (default 3). */
    private @Nullable Integer permittedCallsInHalfOpenState;

    /** Whether each endpoint has a breaker (default true). */
    public @Nullable Boolean getEnabled() {
      return enabled;
    }

    /** Sets {@link #getEnabled()}. */
    public void setEnabled(@Nullable Boolean enabled) {
      this.enabled = enabled;
    }

    /** The failure percentage that opens the breaker (default 50). */
    public @Nullable Float getFailureRateThreshold() {
      return failureRateThreshold;
    }

    /** Sets {@link #getFailureRateThreshold()}. */
    public void setFailureRateThreshold(@Nullable Float failureRateThreshold) {
      this.failureRateThreshold = failureRateThreshold;
    }

    /** How many recent calls the failure rate covers (default 20). */
    public @Nullable Integer getSlidingWindowSize() {
      return slidingWindowSize;
    }

    /** Sets {@link #getSlidingWindowSize()}. */
    public void setSlidingWindowSize(@Nullable Integer slidingWindowSize) {
      this.slidingWindowSize = slidingWindowSize;
    }

    /** Calls needed before the rate counts (default 10). */
    public @Nullable Integer getMinimumNumberOfCalls() {
      return minimumNumberOfCalls;
    }

    /** Sets {@link #getMinimumNumberOfCalls()}. */
    public void setMinimumNumberOfCalls(@Nullable Integer minimumNumberOfCalls) {
      this.minimumNumberOfCalls = minimumNumberOfCalls;
    }

    /** How long an open breaker refuses calls (default 10s). */
    public @Nullable Duration getWaitDurationInOpenState() {
      return waitDurationInOpenState;
    }

    /** Sets {@link #getWaitDurationInOpenState()}. */
    public void setWaitDurationInOpenState(@Nullable Duration waitDurationInOpenState) {
      this.waitDurationInOpenState = waitDurationInOpenState;
    }

    /** Trial calls of a half-open breaker (default 3). */
    public @Nullable Integer getPermittedCallsInHalfOpenState() {
      return permittedCallsInHalfOpenState;
    }

    /** Sets {@link #getPermittedCallsInHalfOpenState()}. */
    public void setPermittedCallsInHalfOpenState(@Nullable Integer permittedCallsInHalfOpenState) {
      this.permittedCallsInHalfOpenState = permittedCallsInHalfOpenState;
    }
  }

  /** {@code outlierDetection}: see {@code OutlierDetectionPolicy}. */
  public static class OutlierDetection {
    /** Whether outliers are ejected (default true). */
    private @Nullable Boolean enabled;

    /** 5xx answers in a row that eject an endpoint (default 5; 0 turns it off). */
    private @Nullable Integer consecutive5xx;

    /** 502/503/504 or connection failures in a row that eject (default 5; 0 turns it off). */
    private @Nullable Integer consecutiveGatewayFailures;

    /** How often success rate and failure percentage are judged (default 10s). */
    private @Nullable Duration interval;

    /** Ejects below mean - factor x stdev of success rates (default 1.9; 0 off). */
    private @Nullable Double successRateStdevFactor;

    /** Endpoints with enough volume needed to judge success rates (default 5). */
    private @Nullable Integer successRateMinimumHosts;

    /** Requests in an interval for an endpoint to count (default 100). */
    private @Nullable Integer successRateRequestVolume;

    /** Failure percentage that ejects (default 85; 0 off). */
    private @Nullable Integer failurePercentageThreshold;

    /** Endpoints needed to judge failure percentages (default 5). */
    private @Nullable Integer failurePercentageMinimumHosts;

    /** Requests in an interval for an endpoint to count (default 50). */
    private @Nullable Integer failurePercentageRequestVolume;

    /** The first ejection's length, multiplied on repeats (default 30s). */
    private @Nullable Duration baseEjectionTime;

    /** The longest ejection (default 5m). */
    private @Nullable Duration maxEjectionTime;

    /** The most endpoints ejected at once, in percent (default 50). */
    private @Nullable Integer maxEjectionPercent;

    /** Whether outliers are ejected (default true). */
    public @Nullable Boolean getEnabled() {
      return enabled;
    }

    /** Sets {@link #getEnabled()}. */
    public void setEnabled(@Nullable Boolean enabled) {
      this.enabled = enabled;
    }

    /** 5xx answers in a row that eject an endpoint (default 5; 0 turns it off). */
    public @Nullable Integer getConsecutive5xx() {
      return consecutive5xx;
    }

    /** Sets {@link #getConsecutive5xx()}. */
    public void setConsecutive5xx(@Nullable Integer consecutive5xx) {
      this.consecutive5xx = consecutive5xx;
    }

    /** 502/503/504 or connection failures in a row that eject (default 5; 0 turns it off). */
    public @Nullable Integer getConsecutiveGatewayFailures() {
      return consecutiveGatewayFailures;
    }

    /** Sets {@link #getConsecutiveGatewayFailures()}. */
    public void setConsecutiveGatewayFailures(@Nullable Integer consecutiveGatewayFailures) {
      this.consecutiveGatewayFailures = consecutiveGatewayFailures;
    }

    /** How often success rate and failure percentage are judged (default 10s). */
    public @Nullable Duration getInterval() {
      return interval;
    }

    /** Sets {@link #getInterval()}. */
    public void setInterval(@Nullable Duration interval) {
      this.interval = interval;
    }

    /** Ejects below mean - factor x stdev of success rates (default 1.9; 0 off). */
    public @Nullable Double getSuccessRateStdevFactor() {
      return successRateStdevFactor;
    }

    /** Sets {@link #getSuccessRateStdevFactor()}. */
    public void setSuccessRateStdevFactor(@Nullable Double successRateStdevFactor) {
      this.successRateStdevFactor = successRateStdevFactor;
    }

    /** Endpoints with enough volume needed to judge success rates (default 5). */
    public @Nullable Integer getSuccessRateMinimumHosts() {
      return successRateMinimumHosts;
    }

    /** Sets {@link #getSuccessRateMinimumHosts()}. */
    public void setSuccessRateMinimumHosts(@Nullable Integer successRateMinimumHosts) {
      this.successRateMinimumHosts = successRateMinimumHosts;
    }

    /** Requests in an interval for an endpoint to count (default 100). */
    public @Nullable Integer getSuccessRateRequestVolume() {
      return successRateRequestVolume;
    }

    /** Sets {@link #getSuccessRateRequestVolume()}. */
    public void setSuccessRateRequestVolume(@Nullable Integer successRateRequestVolume) {
      this.successRateRequestVolume = successRateRequestVolume;
    }

    /** Failure percentage that ejects (default 85; 0 off). */
    public @Nullable Integer getFailurePercentageThreshold() {
      return failurePercentageThreshold;
    }

    /** Sets {@link #getFailurePercentageThreshold()}. */
    public void setFailurePercentageThreshold(@Nullable Integer failurePercentageThreshold) {
      this.failurePercentageThreshold = failurePercentageThreshold;
    }

    /** Endpoints needed to judge failure percentages (default 5). */
    public @Nullable Integer getFailurePercentageMinimumHosts() {
      return failurePercentageMinimumHosts;
    }

    /** Sets {@link #getFailurePercentageMinimumHosts()}. */
    public void setFailurePercentageMinimumHosts(@Nullable Integer failurePercentageMinimumHosts) {
      this.failurePercentageMinimumHosts = failurePercentageMinimumHosts;
    }

    /** Requests in an interval for an endpoint to count (default 50). */
    public @Nullable Integer getFailurePercentageRequestVolume() {
      return failurePercentageRequestVolume;
    }

    /** Sets {@link #getFailurePercentageRequestVolume()}. */
    public void setFailurePercentageRequestVolume(@Nullable Integer failurePercentageRequestVolume) {
      this.failurePercentageRequestVolume = failurePercentageRequestVolume;
    }

    /** The first ejection's length, multiplied on repeats (default 30s). */
    public @Nullable Duration getBaseEjectionTime() {
      return baseEjectionTime;
    }

    /** Sets {@link #getBaseEjectionTime()}. */
    public void setBaseEjectionTime(@Nullable Duration baseEjectionTime) {
      this.baseEjectionTime = baseEjectionTime;
    }

    /** The longest ejection (default 5m). */
    public @Nullable Duration getMaxEjectionTime() {
      return maxEjectionTime;
    }

    /** Sets {@link #getMaxEjectionTime()}. */
    public void setMaxEjectionTime(@Nullable Duration maxEjectionTime) {
      this.maxEjectionTime = maxEjectionTime;
    }

    /** The most endpoints ejected at once, in percent (default 50). */
    public @Nullable Integer getMaxEjectionPercent() {
      return maxEjectionPercent;
    }

    /** Sets {@link #getMaxEjectionPercent()}. */
    public void setMaxEjectionPercent(@Nullable Integer maxEjectionPercent) {
      this.maxEjectionPercent = maxEjectionPercent;
    }
  }

  /** {@code healthCheck}: see {@code HealthCheckPolicy}; checks run when a path is set. */
  public static class HealthCheck {
    /** The path checked on each endpoint, e.g. /health. */
    private @Nullable String path;

    /** Time between checks (default 10s). */
    private @Nullable Duration interval;

    /** Random extra time between checks (default 1s). */
    private @Nullable Duration jitter;

    /** How long a check may take (default 2s). */
    private @Nullable Duration timeout;

    /** Passed checks in a row that make an endpoint healthy (default 2). */
    private @Nullable Integer healthyThreshold;

    /** Failed checks in a row that make it unhealthy (default 3). */
    private @Nullable Integer unhealthyThreshold;

    /** The path checked on each endpoint, e.g. {@code /health}. */
    public @Nullable String getPath() {
      return path;
    }

    /** Sets {@link #getPath()}. */
    public void setPath(@Nullable String path) {
      this.path = path;
    }

    /** Time between checks (default 10s). */
    public @Nullable Duration getInterval() {
      return interval;
    }

    /** Sets {@link #getInterval()}. */
    public void setInterval(@Nullable Duration interval) {
      this.interval = interval;
    }

    /** Random extra time between checks (default 1s). */
    public @Nullable Duration getJitter() {
      return jitter;
    }

    /** Sets {@link #getJitter()}. */
    public void setJitter(@Nullable Duration jitter) {
      this.jitter = jitter;
    }

    /** How long a check may take (default 2s). */
    public @Nullable Duration getTimeout() {
      return timeout;
    }

    /** Sets {@link #getTimeout()}. */
    public void setTimeout(@Nullable Duration timeout) {
      this.timeout = timeout;
    }

    /** Passed checks in a row that make an endpoint healthy (default 2). */
    public @Nullable Integer getHealthyThreshold() {
      return healthyThreshold;
    }

    /** Sets {@link #getHealthyThreshold()}. */
    public void setHealthyThreshold(@Nullable Integer healthyThreshold) {
      this.healthyThreshold = healthyThreshold;
    }

    /** Failed checks in a row that make it unhealthy (default 3). */
    public @Nullable Integer getUnhealthyThreshold() {
      return unhealthyThreshold;
    }

    /** Sets {@link #getUnhealthyThreshold()}. */
    public void setUnhealthyThreshold(@Nullable Integer unhealthyThreshold) {
      this.unhealthyThreshold = unhealthyThreshold;
    }
  }

  /** One of {@code endpoints}. */
  public static class Endpoint {
    /** Host name or IP address. */
    private @Nullable String host;

    /** Port, 1..65535. */
    private @Nullable Integer port;

    /** Id kept across updates (default host:port). */
    private @Nullable String id;

    /** Whether the endpoint is called over TLS (default false). */
    private @Nullable Boolean secure;

    /** The endpoint's zone. */
    private @Nullable String zone;

    /** Relative share of traffic (default 1). */
    private @Nullable Integer weight;

    /** Whether the endpoint takes traffic (default true). */
    private @Nullable Boolean healthy;

    /** Free-form labels. */
    private @Nullable Map<String, String> labels;

    /** Host name or IP address. */
    public @Nullable String getHost() {
      return host;
    }

    /** Sets {@link #getHost()}. */
    public void setHost(@Nullable String host) {
      this.host = host;
    }

    /** Port, 1..65535. */
    public @Nullable Integer getPort() {
      return port;
    }

    /** Sets {@link #getPort()}. */
    public void setPort(@Nullable Integer port) {
      this.port = port;
    }

    /** Id kept across updates (default host:port). */
    public @Nullable String getId() {
      return id;
    }

    /** Sets {@link #getId()}. */
    public void setId(@Nullable String id) {
      this.id = id;
    }

    /** Whether the endpoint is called over TLS (default false). */
    public @Nullable Boolean getSecure() {
      return secure;
    }

    /** Sets {@link #getSecure()}. */
    public void setSecure(@Nullable Boolean secure) {
      this.secure = secure;
    }

    /** The endpoint's zone. */
    public @Nullable String getZone() {
      return zone;
    }

    /** Sets {@link #getZone()}. */
    public void setZone(@Nullable String zone) {
      this.zone = zone;
    }

    /** Relative share of traffic (default 1). */
    public @Nullable Integer getWeight() {
      return weight;
    }

    /** Sets {@link #getWeight()}. */
    public void setWeight(@Nullable Integer weight) {
      this.weight = weight;
    }

    /** Whether the endpoint takes traffic (default true). */
    public @Nullable Boolean getHealthy() {
      return healthy;
    }

    /** Sets {@link #getHealthy()}. */
    public void setHealthy(@Nullable Boolean healthy) {
      this.healthy = healthy;
    }

    /** Free-form labels. */
    public @Nullable Map<String, String> getLabels() {
      return labels;
    }

    /** Sets {@link #getLabels()}. */
    public void setLabels(@Nullable Map<String, String> labels) {
      this.labels = labels;
    }
  }

  /** {@code peerIdentity}: a peer proving any one of these is accepted. */
  public static class PeerIdentity {
    /** DNS SANs accepted. */
    private @Nullable List<String> dnsNames;

    /** URI SANs accepted, compared exactly. */
    private @Nullable List<String> uris;

    /** SPIFFE IDs accepted. */
    private @Nullable List<String> spiffeIds;

    /** SAN globs accepted, e.g. spiffe://example.org/ns/shop/sa/*. */
    private @Nullable List<String> patterns;

    /** DNS SANs accepted. */
    public @Nullable List<String> getDnsNames() {
      return dnsNames;
    }

    /** Sets {@link #getDnsNames()}. */
    public void setDnsNames(@Nullable List<String> dnsNames) {
      this.dnsNames = dnsNames;
    }

    /** URI SANs accepted, compared exactly. */
    public @Nullable List<String> getUris() {
      return uris;
    }

    /** Sets {@link #getUris()}. */
    public void setUris(@Nullable List<String> uris) {
      this.uris = uris;
    }

    /** SPIFFE IDs accepted. */
    public @Nullable List<String> getSpiffeIds() {
      return spiffeIds;
    }

    /** Sets {@link #getSpiffeIds()}. */
    public void setSpiffeIds(@Nullable List<String> spiffeIds) {
      this.spiffeIds = spiffeIds;
    }

    /** SAN globs accepted, e.g. {@code spiffe://example.org/ns/shop/sa/*}. */
    public @Nullable List<String> getPatterns() {
      return patterns;
    }

    /** Sets {@link #getPatterns()}. */
    public void setPatterns(@Nullable List<String> patterns) {
      this.patterns = patterns;
    }
  }

  /** {@code mesh.tls}: see {@code TlsPolicy}. */
  public static class Tls {
    /** permissive (default) or strict. */
    private @Nullable String mode;

    /** PEM file of the client certificate chain. */
    private @Nullable String certificateChain;

    /** PEM file of the client private key. */
    private @Nullable String privateKey;

    /** Key store file instead of PEM files. */
    private @Nullable String keyStore;

    /** The key store's password. */
    private @Nullable String keyStorePassword;

    /** The key store's type (default PKCS12). */
    private @Nullable String keyStoreType;

    /** PEM file of trusted authorities. */
    private @Nullable String trustBundle;

    /** Trust store file instead of a PEM bundle. */
    private @Nullable String trustStore;

    /** The trust store's password. */
    private @Nullable String trustStorePassword;

    /** The trust store's type (default PKCS12). */
    private @Nullable String trustStoreType;

    /** TLS versions (default TLSv1.3, TLSv1.2). */
    private @Nullable List<String> protocols;

    /** How often the files are checked for changes (default 10s; 0 never). */
    private @Nullable Duration reloadInterval;

    /** permissive (default) or strict. */
    public @Nullable String getMode() {
      return mode;
    }

    /** Sets {@link #getMode()}. */
    public void setMode(@Nullable String mode) {
      this.mode = mode;
    }

    /** PEM file of the client certificate chain. */
    public @Nullable String getCertificateChain() {
      return certificateChain;
    }

    /** Sets {@link #getCertificateChain()}. */
    public void setCertificateChain(@Nullable String certificateChain) {
      this.certificateChain = certificateChain;
    }

    /** PEM file of the client private key. */
    public @Nullable String getPrivateKey() {
      return privateKey;
    }

    /** Sets {@link #getPrivateKey()}. */
    public void setPrivateKey(@Nullable String privateKey) {
      this.privateKey = privateKey;
    }

    /** Key store file instead of PEM files. */
    public @Nullable String getKeyStore() {
      return keyStore;
    }

    /** Sets {@link #getKeyStore()}. */
    public void setKeyStore(@Nullable String keyStore) {
      this.keyStore = keyStore;
    }

    /** The key store's password. */
    public @Nullable String getKeyStorePassword() {
      return keyStorePassword;
    }

    /** Sets {@link #getKeyStorePassword()}. */
    public void setKeyStorePassword(@Nullable String keyStorePassword) {
      this.keyStorePassword = keyStorePassword;
    }

    /** The key store's type (default PKCS12). */
    public @Nullable String getKeyStoreType() {
      return keyStoreType;
    }

    /** Sets {@link #getKeyStoreType()}. */
    public void setKeyStoreType(@Nullable String keyStoreType) {
      this.keyStoreType = keyStoreType;
    }

    /** PEM file of trusted authorities. */
    public @Nullable String getTrustBundle() {
      return trustBundle;
    }

    /** Sets {@link #getTrustBundle()}. */
    public void setTrustBundle(@Nullable String trustBundle) {
      this.trustBundle = trustBundle;
    }

    /** Trust store file instead of a PEM bundle. */
    public @Nullable String getTrustStore() {
      return trustStore;
    }

    /** Sets {@link #getTrustStore()}. */
    public void setTrustStore(@Nullable String trustStore) {
      this.trustStore = trustStore;
    }

    /** The trust store's password. */
    public @Nullable String getTrustStorePassword() {
      return trustStorePassword;
    }

    /** Sets {@link #getTrustStorePassword()}. */
    public void setTrustStorePassword(@Nullable String trustStorePassword) {
      this.trustStorePassword = trustStorePassword;
    }

    /** The trust store's type (default PKCS12). */
    public @Nullable String getTrustStoreType() {
      return trustStoreType;
    }

    /** Sets {@link #getTrustStoreType()}. */
    public void setTrustStoreType(@Nullable String trustStoreType) {
      this.trustStoreType = trustStoreType;
    }

    /** TLS versions (default TLSv1.3, TLSv1.2). */
    public @Nullable List<String> getProtocols() {
      return protocols;
    }

    /** Sets {@link #getProtocols()}. */
    public void setProtocols(@Nullable List<String> protocols) {
      this.protocols = protocols;
    }

    /** How often the files are checked for changes (default 10s; 0 never). */
    public @Nullable Duration getReloadInterval() {
      return reloadInterval;
    }

    /** Sets {@link #getReloadInterval()}. */
    public void setReloadInterval(@Nullable Duration reloadInterval) {
      this.reloadInterval = reloadInterval;
    }
  }

  /** {@code mesh.egress}: see {@code EgressPolicy}. */
  public static class Egress {
    /** allow (default) or deny: what happens to a call no rule matches. */
    private @Nullable String defaultAction;

    /** The rules, first match wins. */
    private @Nullable List<EgressRule> rules;

    /** The shortest time between two log lines about one rule's denials (default 1m). */
    private @Nullable Duration logInterval;

    /** allow (default) or deny: what happens to a call no rule matches. */
    public @Nullable String getDefaultAction() {
      return defaultAction;
    }

    /** Sets {@link #getDefaultAction()}. */
    public void setDefaultAction(@Nullable String defaultAction) {
      this.defaultAction = defaultAction;
    }

    /** The rules, first match wins. */
    public @Nullable List<EgressRule> getRules() {
      return rules;
    }

    /** Sets {@link #getRules()}. */
    public void setRules(@Nullable List<EgressRule> rules) {
      this.rules = rules;
    }

    /** The shortest time between two log lines about one rule's denials (default 1m). */
    public @Nullable Duration getLogInterval() {
      return logInterval;
    }

    /** Sets {@link #getLogInterval()}. */
    public void setLogInterval(@Nullable Duration logInterval) {
      this.logInterval = logInterval;
    }
  }

  /** One of {@code mesh.egress.rules}. */
  public static class EgressRule {
    /** The rule's name in logs and metrics. */
    private @Nullable String name;

    /** allow (default) or deny. */
    private @Nullable String action;

    /** Service names or globs the rule covers. */
    private @Nullable List<String> services;

    /** HTTP methods the rule covers (default all). */
    private @Nullable List<String> methods;

    /** Path globs the rule covers (default all). */
    private @Nullable List<String> paths;

    /** The rule's name in logs and metrics. */
    public @Nullable String getName() {
      return name;
    }

    /** Sets {@link #getName()}. */
    public void setName(@Nullable String name) {
      this.name = name;
    }

    /** allow (default) or deny. */
    public @Nullable String getAction() {
      return action;
    }

    /** Sets {@link #getAction()}. */
    public void setAction(@Nullable String action) {
      this.action = action;
    }

    /** Service names or globs the rule covers. */
    public @Nullable List<String> getServices() {
      return services;
    }

    /** Sets {@link #getServices()}. */
    public void setServices(@Nullable List<String> services) {
      this.services = services;
    }

    /** HTTP methods the rule covers (default all). */
    public @Nullable List<String> getMethods() {
      return methods;
    }

    /** Sets {@link #getMethods()}. */
    public void setMethods(@Nullable List<String> methods) {
      this.methods = methods;
    }

    /** Path globs the rule covers (default all). */
    public @Nullable List<String> getPaths() {
      return paths;
    }

    /** Sets {@link #getPaths()}. */
    public void setPaths(@Nullable List<String> paths) {
      this.paths = paths;
    }
  }

  /** {@code mesh.redaction}: see {@code Redaction}. */
  public static class Redaction {
    /** Headers redacted besides those always redacted. */
    private @Nullable List<String> headers;

    /** Query parameters redacted, replacing the default list. */
    private @Nullable List<String> queryParameters;

    /** Headers redacted besides those always redacted. */
    public @Nullable List<String> getHeaders() {
      return headers;
    }

    /** Sets {@link #getHeaders()}. */
    public void setHeaders(@Nullable List<String> headers) {
      this.headers = headers;
    }

    /** Query parameters redacted, replacing the default list. */
    public @Nullable List<String> getQueryParameters() {
      return queryParameters;
    }

    /** Sets {@link #getQueryParameters()}. */
    public void setQueryParameters(@Nullable List<String> queryParameters) {
      this.queryParameters = queryParameters;
    }
  }

  /** {@code mesh.health}: the health indicator; not part of the mesh configuration. */
  public static class Health {
    /** The health status a service without a healthy endpoint gives the application: DOWN (default), OUT_OF_SERVICE, UNKNOWN or UP. */
    private String statusWithoutEndpoints = "DOWN";

    /** The health status a service without a healthy endpoint gives the application: DOWN (default), OUT_OF_SERVICE, UNKNOWN or UP. */
    public String getStatusWithoutEndpoints() {
      return statusWithoutEndpoints;
    }

    /**
     * Sets {@link #getStatusWithoutEndpoints()}, in any case.
     *
     * @throws io.meshclient.api.MeshConfigException naming {@code mesh.health.status-without-endpoints} if the value is
     *     not one of the four statuses
     */
    public void setStatusWithoutEndpoints(String statusWithoutEndpoints) {
      this.statusWithoutEndpoints = MeshHealth.status(statusWithoutEndpoints);
    }
  }
}
