package io.meshclient.testkit;

import static java.util.Objects.requireNonNull;

import io.meshclient.api.LoadBalancerFactory;
import io.meshclient.api.MeshConfigException;
import io.meshclient.api.ServicePolicy;
import io.meshclient.core.internal.LoadBalancerRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A deterministic simulation of one service's traffic: simulated backends with scripted
 * behaviours, an open-loop stream of requests at a fixed rate, and the mesh's real load balancer,
 * outlier detection, slow start, zones, panic mode and circuit breakers deciding where each
 * attempt goes — all in virtual time, so a minute of traffic runs in well under a second and the
 * same seed replays exactly.
 *
 * <pre>{@code
 * SimulationResult result = Simulation.builder()
 *     .seed(42)
 *     .loadBalancer("peak_ewma")
 *     .backend("a", Behaviour.steady(Duration.ofMillis(10)))
 *     .backend("b", Behaviour.steady(Duration.ofMillis(10)))
 *     .backend("slow", Behaviour.steady(Duration.ofMillis(10)).slower(10))
 *     .rate(1000)
 *     .duration(Duration.ofSeconds(30))
 *     .build()
 *     .run();
 * System.out.println(result.share("slow", Duration.ofSeconds(5), Duration.ofSeconds(30)));
 * }</pre>
 *
 * <p>What one run does: a virtual clock drives both the mesh's ticker and its clock (breaker
 * waits); one seed feeds separate random streams for the balancer, each backend, arrivals,
 * request keys and retry backoff. Each request picks an endpoint through the service's cluster,
 * is sent (in flight until its outcome), and ends with a response, a connect failure or a timeout
 * that the cluster records; it is retried as the service's {@link io.meshclient.api.RetryPolicy}
 * says, within the {@link io.meshclient.api.TimeoutPolicy} deadline (requests count as idempotent
 * GETs). Outlier detection intervals run every {@code outlierDetection.interval()} of virtual
 * time, and discovery changes ({@link Builder#addAt}, {@link Builder#removeAt},
 * {@link Builder#reportHealthAt}) are pushed at their times. Arrivals stop at the
 * {@linkplain Builder#duration(Duration) duration}; requests still in flight then are finished.
 *
 * <p>Immutable and thread-safe: {@link #run()} builds fresh state each time, so a simulation can
 * be run again (with the same result) or from several threads at once.
 */
public final class Simulation {
  final long seed;
  final String service;
  final ServicePolicy policy;
  final LoadBalancerFactory loadBalancer;
  final @Nullable String callerZone;
  final List<Backend> backends;
  final List<Backend> initial;
  final List<Change> changes;
  final double rate;
  final boolean poisson;
  final long durationNanos;
  final long bucketNanos;
  final RequestKeys keys;
  final boolean trace;

  private Simulation(Builder b, ServicePolicy policy, LoadBalancerFactory loadBalancer) {
    this.seed = b.seed;
    this.service = b.service;
    this.policy = policy;
    this.loadBalancer = loadBalancer;
    this.callerZone = b.callerZone;
    this.backends = List.copyOf(b.declared.values());
    this.initial = List.copyOf(b.initial);
    List<Change> sorted = new ArrayList<>(b.changes);
    sorted.sort((x, y) -> Long.compare(x.atNanos, y.atNanos)); // stable: same-time changes keep their order
    this.changes = List.copyOf(sorted);
    this.rate = b.rate;
    this.poisson = b.poisson;
    this.durationNanos = b.duration.toNanos();
    this.bucketNanos = b.bucket.toNanos();
    this.keys = b.keys;
    this.trace = b.trace;
  }

  /** A builder with seed 1, the default service policy, and no backends yet. */
  public static Builder builder() {
    return new Builder();
  }

  /** Runs the simulation from the start and returns what happened; the same simulation always returns the same result. */
  public SimulationResult run() {
    return new EventLoop(this).run();
  }

  /** The service policy the simulated cluster runs with (the load balancer name included). */
  public ServicePolicy policy() {
    return policy;
  }

  /** A discovery change scheduled at a virtual time. */
  record Change(long atNanos, Kind kind, String name, boolean healthy, String path) {
    enum Kind { ADD, REMOVE, HEALTH }
  }

  /**
   * Builds a {@link Simulation}: setters check their value at once, {@link #build()} checks that
   * the values fit together. Not thread-safe.
   */
  public static final class Builder {
    private long seed = 1;
    private String service = "simulated";
    private ServicePolicy policy = ServicePolicy.ofDefaults();
    private @Nullable String loadBalancerName;
    private @Nullable LoadBalancerFactory loadBalancerFactory;
    private @Nullable String callerZone;
    private final Map<String, Backend> declared = new LinkedHashMap<>();
    private final List<Backend> initial = new ArrayList<>();
    private final List<Change> changes = new ArrayList<>();
    private double rate;
    private boolean poisson;
    private @Nullable Duration duration;
    private Duration bucket = Duration.ofSeconds(1);
    private RequestKeys keys = RequestKeys.NONE;
    private boolean trace;

    private Builder() {}

    /** Seeds every random source of the run (balancer, backends, arrivals, keys, backoff); 1 unless set. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Names the simulated service (it appears in the mesh's logs); {@code simulated} unless set. */
    public Builder service(String service) {
      requireNonNull(service, "service");
      if (service.isBlank()) {
        throw new MeshConfigException("simulation.service", service, "a non-blank name");
      }
      this.service = service;
      return this;
    }

    /**
     * The service's policy: balancer, balancing settings, outlier detection, circuit breaker,
     * retries and timeouts; {@link ServicePolicy#ofDefaults()} unless set.
     */
    public Builder policy(ServicePolicy policy) {
      this.policy = requireNonNull(policy, "policy");
      return this;
    }

    /** Uses the built-in (or class-path) load balancer of that name, overriding the policy's. */
    public Builder loadBalancer(String name) {
      this.loadBalancerName = requireNonNull(name, "loadBalancer");
      this.loadBalancerFactory = null;
      return this;
    }

    /** Uses {@code factory}'s load balancer, e.g. one you are writing. */
    public Builder loadBalancer(LoadBalancerFactory factory) {
      this.loadBalancerFactory = requireNonNull(factory, "loadBalancer");
      this.loadBalancerName = null;
      return this;
    }

    /** The caller's zone, for zone-aware balancing; none unless set. */
    public Builder callerZone(String zone) {
      requireNonNull(zone, "callerZone");
      if (zone.isBlank()) {
        throw new MeshConfigException("simulation.callerZone", zone, "a non-blank zone name");
      }
      this.callerZone = zone;
      return this;
    }

    /** Adds a backend present from the start, with default weight and no zone. */
    public Builder backend(String name, Behaviour behaviour) {
      return backend(Backend.of(name, behaviour));
    }

    /** Adds a backend present from the start. */
    public Builder backend(Backend backend) {
      declare(backend);
      initial.add(backend);
      return this;
    }

    /** Discovery reports {@code backend} from {@code at} on (its behaviour's time starts then). */
    public Builder addAt(Duration at, Backend backend) {
      long nanos = at("simulation.addAt", at);
      declare(backend);
      changes.add(new Change(nanos, Change.Kind.ADD, backend.name(), backend.healthy(), "simulation.addAt"));
      return this;
    }

    /** Discovery stops reporting backend {@code name} at {@code at}; it may come back with {@link #rejoinAt}. */
    public Builder removeAt(Duration at, String name) {
      changes.add(new Change(at("simulation.removeAt", at), Change.Kind.REMOVE, requireNonNull(name, "name"), true,
          "simulation.removeAt"));
      return this;
    }

    /** Discovery reports backend {@code name} again from {@code at} (its behaviour's time restarts). */
    public Builder rejoinAt(Duration at, String name) {
      changes.add(new Change(at("simulation.rejoinAt", at), Change.Kind.ADD, requireNonNull(name, "name"), true,
          "simulation.rejoinAt"));
      return this;
    }

    /** Discovery reports backend {@code name} healthy or unhealthy from {@code at} on. */
    public Builder reportHealthAt(Duration at, String name, boolean healthy) {
      changes.add(new Change(at("simulation.reportHealthAt", at), Change.Kind.HEALTH, requireNonNull(name, "name"),
          healthy, "simulation.reportHealthAt"));
      return this;
    }

    /** The arrival rate: requests per second of virtual time, open loop (&gt; 0). */
    public Builder rate(double perSecond) {
      if (!(perSecond > 0) || perSecond > 1e9) {
        throw new MeshConfigException("simulation.rate", perSecond, "requests per second in (0, 1e9]");
      }
      this.rate = perSecond;
      return this;
    }

    /** Poisson arrivals at the rate (exponential gaps) instead of evenly spaced ones. */
    public Builder poissonArrivals(boolean poisson) {
      this.poisson = poisson;
      return this;
    }

    /** How long requests arrive, in virtual time (&gt; 0). */
    public Builder duration(Duration duration) {
      requireNonNull(duration, "duration");
      if (duration.isNegative() || duration.isZero()) {
        throw new MeshConfigException("simulation.duration", duration, "> 0s");
      }
      this.duration = duration;
      return this;
    }

    /** The width of the time buckets results are counted in; 1 s unless set. */
    public Builder bucket(Duration bucket) {
      requireNonNull(bucket, "bucket");
      if (bucket.isNegative() || bucket.isZero()) {
        throw new MeshConfigException("simulation.bucket", bucket, "> 0s");
      }
      this.bucket = bucket;
      return this;
    }

    /** The consistent-hashing key of each request; none unless set. */
    public Builder requestKeys(RequestKeys keys) {
      this.keys = requireNonNull(keys, "requestKeys");
      return this;
    }

    /** Keeps a record of every attempt in {@link SimulationResult#attemptLog()}; off unless set. */
    public Builder traceAttempts(boolean trace) {
      this.trace = trace;
      return this;
    }

    private void declare(Backend backend) {
      requireNonNull(backend, "backend");
      if (declared.containsKey(backend.name())) {
        throw new MeshConfigException("simulation.backends", backend.name(), "a name not used by another backend");
      }
      declared.put(backend.name(), backend);
    }

    private static long at(String path, Duration at) {
      requireNonNull(at, path);
      if (at.isNegative()) {
        throw new MeshConfigException(path, at, ">= 0s");
      }
      return at.toNanos();
    }

    /**
     * Checks that the values fit together and builds the simulation.
     *
     * @throws MeshConfigException naming the first bad field
     */
    public Simulation build() {
      if (rate == 0) {
        throw new MeshConfigException("simulation.rate", null, "requests per second, e.g. rate(1000)");
      }
      if (duration == null) {
        throw new MeshConfigException("simulation.duration", null, "a duration, e.g. duration(Duration.ofSeconds(30))");
      }
      if (declared.isEmpty()) {
        throw new MeshConfigException("simulation.backends", List.of(), "at least one backend");
      }
      for (Change c : changes) {
        if (!declared.containsKey(c.name())) {
          throw new MeshConfigException(c.path(), c.name(), "the name of a backend, one of " + declared.keySet());
        }
      }
      ServicePolicy p = policy;
      LoadBalancerFactory factory = loadBalancerFactory;
      if (factory != null) {
        p = p.toBuilder().loadBalancer(factory.name()).build();
      } else {
        if (loadBalancerName != null) {
          p = p.toBuilder().loadBalancer(loadBalancerName).build();
        }
        Map<String, LoadBalancerFactory> factories = LoadBalancerRegistry.factories(List.of());
        factory = factories.get(p.loadBalancer());
        if (factory == null) {
          throw new MeshConfigException("simulation.loadBalancer", p.loadBalancer(), "one of " + factories.keySet());
        }
      }
      return new Simulation(this, p, factory);
    }
  }
}
