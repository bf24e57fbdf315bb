package io.meshclient.core.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointStats;
import io.meshclient.api.PickResult;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import okhttp3.HttpUrl;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limiter.AbstractLimiter;
import org.jspecify.annotations.Nullable;

/**
 * The live state of one endpoint of a cluster: load, latency, counters, overload penalty, slow
 * start ramp, outlier and health state, and circuit breaker (an {@link EndpointBreaker}). One
 * instance per endpoint id, kept across discovery updates for as long as the id is reported.
 * Lock-free on the request path: atomics, immutable values swapped whole, and the breaker's own
 * state machine. Ejection and
 * health fields are written by the cluster under its lock and read here without one.
 */
public final class EndpointState implements EndpointStats {
  static final long NONE = Long.MIN_VALUE;

  private volatile Target target;
  private final EndpointBreaker breaker;
  private final Tuning tuning;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final LongAdder requests = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final AtomicReference<Ewma> ewma = new AtomicReference<>(Ewma.UNKNOWN);
  private volatile long penaltyUntil = NONE;

  // Outlier detection: streaks and the current interval's counts.
  private final AtomicInteger consecutive5xx = new AtomicInteger();
  private final AtomicInteger consecutiveGateway = new AtomicInteger();
  final LongAdder intervalSuccesses = new LongAdder();
  final LongAdder intervalFailures = new LongAdder();

  // Written by the cluster under its lock.
  volatile long ejectedUntil = NONE;
  int timesEjected;
  volatile boolean checkedHealthy = true;

  private final SlowStart slowStart;
  private final PickResult picked = PickResult.of(this);
  /** The adaptive concurrency limit, when the service has one; set once, before the endpoint is published. */
  @Nullable AbstractLimiter<Void> limiter;

  /**
   * @param breakerFactory makes the endpoint's circuit breaker when its first attempt asks for a
   *     permit (a breaker costs microseconds to make; most endpoints of a large update are not
   *     called at once), or {@code null} for no breaker
   */
  EndpointState(Endpoint endpoint, @Nullable Function<EndpointState, CircuitBreaker> breakerFactory,
      EndpointBreaker.Transitions transitions, Tuning tuning, boolean ramp) {
    this.target = new Target(checkAddressable(endpoint));
    this.breaker = new EndpointBreaker(this, breakerFactory, transitions);
    this.tuning = tuning;
    this.slowStart = new SlowStart(tuning);
    if (ramp) {
      slowStart.start(tuning.ticker.read());
    }
  }

  /**
   * {@code scheme://host:port/} of {@code endpoint}. Canonicalising a host costs about a
   * microsecond in OkHttp, so it is done once per endpoint.
   *
   * @throws IllegalArgumentException if OkHttp cannot address the endpoint's host
   */
  public static HttpUrl baseUrl(Endpoint endpoint) {
    return new HttpUrl.Builder()
        .scheme(endpoint.secure() ? "https" : "http")
        .host(endpoint.host())
        .port(endpoint.port())
        .build();
  }

  /**
   * Returns {@code endpoint} if OkHttp can address its host. A plain host name or IPv4 address
   * (letters, digits, dots, hyphens) passes without building a URL, which costs microseconds and
   * would make a 10,000-endpoint update slow; anything else is checked by building one.
   *
   * @throws IllegalArgumentException if OkHttp cannot address the endpoint's host
   */
  public static Endpoint checkAddressable(Endpoint endpoint) {
    String host = endpoint.host();
    boolean plain = !host.isEmpty() && host.charAt(0) != '.' && host.charAt(0) != '-' && !host.contains("..");
    for (int i = 0; plain && i < host.length(); i++) {
      char c = host.charAt(i);
      plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-';
    }
    if (!plain) {
      baseUrl(endpoint);
    }
    return endpoint;
  }

  @Override
  public Endpoint endpoint() {
    return target.endpoint;
  }

  /** Discovery reported new attributes for the same id; load, latency and breaker carry over. */
  void update(Endpoint updated) {
    target = new Target(checkAddressable(updated));
  }

  /**
   * {@code scheme://host:port/} of this endpoint, to which an attempt's path and query are added;
   * built on first use and kept with the endpoint it was built from.
   */
  HttpUrl baseUrl() {
    Target t = target;
    HttpUrl url = t.baseUrl;
    if (url == null) {
      url = baseUrl(t.endpoint); // a race builds it twice at worst; both are equal
      t.baseUrl = url;
    }
    return url;
  }

  @Override
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public double weight() {
    int weight = target.endpoint.weight();
    return slowStart.ramping() ? weight * slowStart.factor(tuning.ticker.read()) : weight;
  }

  @Override
  public double latencyNanos() {
    return ewma.get().at(tuning.ticker.read(), tuning.ewmaDecayNanos);
  }

  /**
   * The result of a pick of {@code endpoint}: made once per endpoint state, so that a built-in
   * balancer's pick allocates nothing; a new one for stats that are not the mesh's own.
   */
  static PickResult picked(EndpointStats endpoint) {
    return endpoint instanceof EndpointState ? ((EndpointState) endpoint).picked : PickResult.of(endpoint);
  }

  /** The mesh ticker's time now, so that a balancer comparing endpoints reads the clock once. */
  long now() {
    return tuning.ticker.read();
  }

  @Override
  public boolean penalized() {
    return penalizedAt(tuning.ticker.read());
  }

  boolean penalizedAt(long now) {
    long until = penaltyUntil;
    return until != NONE && now - until < 0;
  }

  /**
   * Peak EWMA's cost: latency × (in-flight + 1) ÷ weight. An endpoint with no latency sample yet
   * costs nothing while idle and a great deal while busy, so it gets one request at a time until
   * it has answered once.
   */
  public double score() {
    return scoreAt(tuning.ticker.read());
  }

  double scoreAt(long now) {
    double latency = ewma.get().at(now, tuning.ewmaDecayNanos);
    int load = inFlight() + 1;
    double cost = latency > 0 ? latency * load : (load == 1 ? 0 : UNKNOWN_BUSY_COST);
    int w = target.endpoint.weight();
    return cost / (slowStart.ramping() ? w * slowStart.factor(now) : w);
  }

  private static final double UNKNOWN_BUSY_COST = 1e15;

  /** Nanoseconds (on the mesh ticker) until which the endpoint is penalised, or {@link #NONE}. */
  public long penaltyUntil() {
    return penaltyUntil;
  }

  /** Nanoseconds (on the mesh ticker) until which the endpoint is ejected, or {@link #NONE}. */
  public long ejectedUntil() {
    return ejectedUntil;
  }

  /** Whether outlier detection holds the endpoint out of rotation at {@code now}. */
  boolean ejectedAt(long now) {
    long until = ejectedUntil;
    return until != NONE && now - until < 0;
  }

  /** Whether both discovery and the active health checks (if any) call the endpoint healthy. */
  public boolean healthy() {
    return checkedHealthy && target.endpoint.healthy();
  }

  /** Whether the endpoint is still ramping up to its full weight. */
  public boolean rampingUp() {
    return slowStart.ramping();
  }

  /** Starts the slow start ramp (after a readmission). */
  void rampUp(long now) {
    slowStart.start(now);
  }

  /**
   * Forgets the breaker's window (after a readmission): failures from before the ejection were
   * already acted on, and must not open the breaker on the endpoint's first answers back.
   */
  void resetBreaker() {
    breaker.reset();
  }

  /** Attempts sent, ever. */
  public long requests() {
    return requests.sum();
  }

  /** Attempts that failed (I/O error or 5xx), ever. */
  public long failures() {
    return failures.sum();
  }

  /** The breaker's state name ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}), or {@code DISABLED}. */
  public String circuitState() {
    return breaker.state();
  }

  /**
   * Asks the adaptive concurrency limit for room: the listener to report the attempt's outcome to,
   * {@link Limits#UNLIMITED} when the endpoint has no limit, or null when it is at its limit.
   */
  Limiter.@Nullable Listener tryAcquireLimit() {
    AbstractLimiter<Void> l = limiter;
    return l == null ? Limits.UNLIMITED : l.acquire(null).orElse(null);
  }

  /** The endpoint's current adaptive concurrency limit, or -1 when it has none. */
  public int concurrencyLimit() {
    AbstractLimiter<Void> l = limiter;
    return l == null ? -1 : l.getLimit();
  }

  /** Asks the breaker for a permit; true when there is no breaker. */
  boolean tryAcquire() {
    return breaker.tryAcquire();
  }

  /**
   * Whether a mirrored copy may go to this endpoint: its breaker is closed (or it has none). A copy
   * never asks the breaker for a permit, so it neither takes a half-open breaker's trial calls nor
   * goes to an endpoint primary calls are kept from.
   */
  boolean admitsShadow() {
    return breaker.admitsShadow();
  }

  /**
   * A mirrored copy is being sent to this endpoint: counted in flight (load the balancer should
   * see) until {@link #onShadowEnd}, but not as a request, and its outcome is recorded nowhere.
   */
  void onShadowSend() {
    inFlight.incrementAndGet();
  }

  /** A mirrored copy sent to this endpoint ended, however it ended. */
  void onShadowEnd() {
    inFlight.decrementAndGet();
  }

  /** An attempt is being sent to this endpoint: counts it in flight until its outcome is recorded. */
  public void onSend() {
    inFlight.incrementAndGet();
    requests.increment();
  }

  /**
   * Records a response's status and latency. A 429 or 503 penalises the endpoint for
   * {@code retryAfterNanos} (capped), or the default penalty when the answer gave none ({@code < 0}).
   */
  void onResponse(int status, long nanos, long retryAfterNanos) {
    inFlight.decrementAndGet();
    long now = tuning.ticker.read();
    sample(nanos, now);
    if (status == 429 || status == 503) {
      long penalty = retryAfterNanos < 0 ? tuning.overloadPenaltyNanos : Math.min(retryAfterNanos, tuning.maxOverloadPenaltyNanos);
      if (penalty > 0) {
        penaltyUntil = now + penalty;
      }
    }
    if (status >= 500) {
      failures.increment();
      intervalFailures.increment();
      consecutive5xx.incrementAndGet();
      if (status == 502 || status == 503 || status == 504) {
        consecutiveGateway.incrementAndGet();
      } else {
        consecutiveGateway.set(0);
      }
      breaker.onResult(nanos, status);
    } else {
      intervalSuccesses.increment();
      consecutive5xx.set(0);
      consecutiveGateway.set(0);
      breaker.onSuccess(nanos);
    }
  }

  /**
   * Records a failed attempt; a connection refused or torn down ({@code gatewayFailure}) counts
   * toward the gateway-failure streak too, a timeout or another failure ends that streak.
   */
  void onFailure(Throwable failure, long nanos, boolean gatewayFailure) {
    inFlight.decrementAndGet();
    failures.increment();
    intervalFailures.increment();
    consecutive5xx.incrementAndGet();
    if (gatewayFailure) {
      consecutiveGateway.incrementAndGet();
    } else {
      consecutiveGateway.set(0);
    }
    // A failure's time says little about the endpoint's speed, but the peak must not forget it.
    sample(nanos, tuning.ticker.read());
    breaker.onError(nanos, failure);
  }

  /**
   * The attempt ended without a verdict on the endpoint (the caller gave up, or the call failed in
   * an unexpected way): its breaker permit is given back unused.
   */
  public void abandon() {
    inFlight.decrementAndGet();
    breaker.release();
  }

  int consecutive5xx() {
    return consecutive5xx.get();
  }

  int consecutiveGatewayFailures() {
    return consecutiveGateway.get();
  }

  /** Clears the failure streaks (the endpoint was just ejected for one). */
  void resetStreaks() {
    consecutive5xx.set(0);
    consecutiveGateway.set(0);
  }

  private void sample(long nanos, long now) {
    Ewma current;
    do {
      current = ewma.get();
    } while (!ewma.compareAndSet(current, current.sample(nanos, now, tuning.ewmaDecayNanos)));
    if (slowStart.ramping()) {
      slowStart.sample(nanos, now);
    }
  }

  @Override
  public String toString() {
    return "EndpointState{" + endpoint().id() + ", inFlight=" + inFlight() + ", " + circuitState() + "}";
  }

  /** The endpoint and the URL derived from it, replaced together so readers never see them apart. */
  private static final class Target {
    final Endpoint endpoint;
    volatile @Nullable HttpUrl baseUrl;

    Target(Endpoint endpoint) {
      this.endpoint = endpoint;
    }
  }
}
