package io.meshclient.core;

import static java.util.Objects.requireNonNull;

import io.meshclient.api.EgressPolicy;
import io.meshclient.api.Endpoint;
import io.meshclient.api.LoadBalancerFactory;
import io.meshclient.api.MeshConfigException;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.Redaction;
import io.meshclient.api.ServiceDiscovery;
import io.meshclient.api.ServiceDiscoveryProvider;
import io.meshclient.api.ServicePolicy;
import io.meshclient.api.TlsPolicy;
import io.meshclient.core.config.MeshConfig;
import io.meshclient.core.internal.DiscoverySources;
import io.meshclient.core.internal.GuardedListener;
import io.meshclient.core.internal.LoadBalancerRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link MeshClient}: the services it routes, their policies, where endpoints come from,
 * and the OkHttp client attempts are sent on. Setters reject {@code null} at once; {@link #build()}
 * checks everything else and throws {@link MeshConfigException} naming the field path, the value
 * and what was expected, e.g. {@code services.orders.retry.maxAttempts: 0 (expected: 1..10)}.
 *
 * <pre>{@code
 * MeshClient mesh = MeshClient.builder()
 *     .defaults(ServicePolicy.builder().loadBalancer("least_request").build())
 *     .service("orders", s -> s.endpoints(Endpoint.of("10.0.0.7", 8080), Endpoint.of("10.0.0.8", 8080)))
 *     .service("users", s -> s
 *         .endpoints(Endpoint.of("10.0.1.3", 9000))
 *         .timeouts(TimeoutPolicy.builder().timeout(Duration.ofSeconds(1)).build()))
 *     .build();
 * }</pre>
 *
 * <p>Not thread-safe; build once, then share the {@link MeshClient}.
 */
public final class MeshClientBuilder {
  /** How long calls wait for a discovery source's first answer unless set otherwise: 5 seconds. */
  public static final Duration DEFAULT_INITIAL_DISCOVERY_TIMEOUT = Duration.ofSeconds(5);

  // Package-private: MeshAssembly reads the settings when it builds the mesh.
  ServicePolicy defaults = ServicePolicy.ofDefaults();
  final Map<String, Consumer<ServiceBuilder>> services = new LinkedHashMap<>();
  @Nullable ServiceDiscovery discovery;
  @Nullable OkHttpClient transport;
  private MeshEventListener listener = MeshEventListener.NONE;
  private final List<LoadBalancerFactory> loadBalancers = new ArrayList<>();
  Clock clock = Clock.systemUTC();
  java.util.random.@Nullable RandomGenerator random;
  @Nullable String zone;
  @Nullable TlsPolicy tls;
  EgressPolicy egress = EgressPolicy.allowAll();
  Redaction redaction = Redaction.ofDefaults();
  @Nullable String discoveryUri;
  private final List<ServiceDiscoveryProvider> discoveryProviders = new ArrayList<>();
  Duration initialDiscoveryTimeout = DEFAULT_INITIAL_DISCOVERY_TIMEOUT;
  final List<MeshTelemetry> telemetry = new ArrayList<>();
  boolean accessLog;
  int recentDecisions = DEFAULT_RECENT_DECISIONS;
  @Nullable InetSocketAddress adminServer;

  /** How many recent pick decisions the snapshot keeps per service unless set otherwise: 32. */
  public static final int DEFAULT_RECENT_DECISIONS = 32;

  MeshClientBuilder() {}

  /** The policy every service starts from before its own settings apply. */
  public MeshClientBuilder defaults(ServicePolicy defaults) {
    this.defaults = requireNonNull(defaults, "defaults");
    return this;
  }

  /**
   * Routes calls to {@code http://<name>/...} through the mesh, configured by {@code configure}
   * (which runs during {@link #build()}, on top of the {@linkplain #defaults defaults}). The name
   * is a lower-case DNS name, e.g. {@code orders} or {@code orders.prod}. Calling this again for
   * the same name replaces the earlier configuration.
   */
  public MeshClientBuilder service(String name, Consumer<ServiceBuilder> configure) {
    services.put(requireNonNull(name, "name"), requireNonNull(configure, "configure"));
    return this;
  }

  /** Routes {@code name} to fixed endpoints with the default policies. */
  public MeshClientBuilder service(String name, Endpoint... endpoints) {
    List<Endpoint> list = List.of(endpoints);
    return service(name, s -> s.endpoints(list));
  }

  /**
   * Where services without {@code endpoints(...)} or a discovery of their own find endpoints.
   * Replaces a {@linkplain #discovery(String) discovery URI} set before. The caller keeps
   * ownership: closing the mesh does not close it.
   */
  public MeshClientBuilder discovery(ServiceDiscovery discovery) {
    this.discovery = requireNonNull(discovery, "discovery");
    this.discoveryUri = null;
    return this;
  }

  /**
   * The default source, by URI, for services without {@code endpoints(...)} or a discovery of their
   * own, e.g. {@code dns:///?port=8080} or {@code consul://127.0.0.1:8500}. The source is made in
   * {@link #build()} by the {@link ServiceDiscoveryProvider} for the URI's scheme, found through
   * {@link java.util.ServiceLoader}; {@code static:} is built in, the other schemes come with
   * {@code io.meshclient:mesh-client-discovery}. The mesh closes the sources it made when it is
   * closed. Replaces a {@linkplain #discovery(ServiceDiscovery) source} set before.
   */
  public MeshClientBuilder discovery(String uri) {
    this.discoveryUri = requireNonNull(uri, "uri");
    this.discovery = null;
    return this;
  }

  /** Adds a discovery provider beside those found through {@link java.util.ServiceLoader}; it wins on a scheme clash. */
  public MeshClientBuilder discoveryProvider(ServiceDiscoveryProvider provider) {
    discoveryProviders.add(requireNonNull(provider, "provider"));
    return this;
  }

  /**
   * How long, from {@link #build()}, a call to a service whose discovery source has not answered
   * yet waits for its first answer (never past the call's own deadline) before failing with
   * {@link io.meshclient.api.NoEndpointAvailableException}. After that window calls fail at once
   * until the source answers. {@link #DEFAULT_INITIAL_DISCOVERY_TIMEOUT} by default; zero never
   * waits.
   */
  public MeshClientBuilder initialDiscoveryTimeout(Duration timeout) {
    this.initialDiscoveryTimeout = requireNonNull(timeout, "timeout");
    return this;
  }

  /**
   * The OkHttp client every attempt is sent on: its connection pool, TLS, dispatcher and
   * connect/read/write timeouts serve all mesh calls. By default the mesh makes one and shuts it
   * down on {@link MeshClient#close()}; a client given here stays the caller's to shut down.
   */
  public MeshClientBuilder transport(OkHttpClient transport) {
    this.transport = requireNonNull(transport, "transport");
    return this;
  }

  /** Hears every attempt; see {@link MeshEventListener}. */
  public MeshClientBuilder eventListener(MeshEventListener listener) {
    this.listener = requireNonNull(listener, "listener");
    return this;
  }

  /** Adds a load balancer factory beside those found through {@link java.util.ServiceLoader}. */
  public MeshClientBuilder loadBalancerFactory(LoadBalancerFactory factory) {
    loadBalancers.add(requireNonNull(factory, "factory"));
    return this;
  }

  /**
   * The clock for deadlines and circuit breaker waits. The system clock by default; tests pass
   * one they can move forward instead of sleeping.
   */
  public MeshClientBuilder clock(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
    return this;
  }

  /**
   * The random source of the mesh's draws: the weighted split of a route's destinations, the
   * share of a route's faults and mirrored copies, and the balancers' random choices. The
   * thread-local source by default; tests and simulations pass a seeded one (for example
   * {@code new java.util.Random(42)}) to replay the same draws. It is shared by every call, so it
   * must be thread-safe ({@code java.util.Random} is; {@code SplittableRandom} is not).
   */
  public MeshClientBuilder random(RandomGenerator random) {
    this.random = requireNonNull(random, "random");
    return this;
  }

  /**
   * The zone (failure domain) this process runs in, e.g. {@code eu-west-1a}: services whose
   * endpoints carry zones then prefer endpoints in this one (see
   * {@link io.meshclient.api.LoadBalancingPolicy#zoneAware()}). Unknown by default.
   */
  public MeshClientBuilder zone(String zone) {
    this.zone = requireNonNull(zone, "zone");
    return this;
  }

  /**
   * The client certificate, trusted authorities and TLS rules for endpoints marked secure; the
   * files are read in {@link #build()} and re-read when they change. Without it, secure endpoints
   * use the transport's TLS settings (the JDK's defaults), unless a service has a
   * {@linkplain ServiceBuilder#peerIdentity peer identity}.
   */
  public MeshClientBuilder tls(TlsPolicy tls) {
    this.tls = requireNonNull(tls, "tls");
    return this;
  }

  /** Which calls this client may make; {@link EgressPolicy#allowAll()} by default. */
  public MeshClientBuilder egress(EgressPolicy egress) {
    this.egress = requireNonNull(egress, "egress");
    return this;
  }

  /**
   * Takes every setting of {@code config}: its defaults, services and mesh-wide settings, as if each
   * had been set here (a service the config names replaces one configured before under that name).
   * This is how a configuration file or Spring Boot's properties become a mesh:
   * {@code MeshClient.builder().config(MeshConfigFile.load(path)).build()}.
   */
  public MeshClientBuilder config(MeshConfig config) {
    requireNonNull(config, "config");
    defaults(config.defaults());
    if (config.discovery() != null) {
      discovery(config.discovery());
    }
    initialDiscoveryTimeout(config.initialDiscoveryTimeout());
    if (config.zone() != null) {
      zone(config.zone());
    }
    if (config.tls() != null) {
      tls(config.tls());
    }
    egress(config.egress());
    redaction(config.redaction());
    config.services().forEach((name, service) -> service(name, s -> {
      s.policy(service.policy());
      if (service.endpoints() != null) {
        s.endpoints(service.endpoints());
      }
      if (service.discovery() != null) {
        s.discovery(service.discovery());
      }
      if (service.peerIdentity() != null) {
        s.peerIdentity(service.peerIdentity());
      }
    }));
    return this;
  }

  /** Which headers and query parameters are secrets that outputs blank out; {@link Redaction#ofDefaults()} by default. */
  public MeshClientBuilder redaction(Redaction redaction) {
    this.redaction = requireNonNull(redaction, "redaction");
    return this;
  }

  /**
   * Adds metrics or traces: {@code MeshMetrics.of(meterRegistry)} (Micrometer),
   * {@code MeshTracing.of(openTelemetry)} (OpenTelemetry). Without any, the mesh records neither.
   * See {@link MeshTelemetry}.
   */
  public MeshClientBuilder telemetry(MeshTelemetry telemetry) {
    this.telemetry.add(requireNonNull(telemetry, "telemetry"));
    return this;
  }

  /**
   * Whether to write one INFO line per mesh call to the logger {@code io.meshclient.access}
   * (service, route, method, path, status, attempts, endpoint, duration, as SLF4J key-value pairs;
   * secrets redacted). Off by default.
   */
  public MeshClientBuilder accessLog(boolean enabled) {
    this.accessLog = enabled;
    return this;
  }

  /**
   * How many recent pick decisions {@link MeshClient#snapshot()} keeps per service (every retry
   * and hedge, first attempts at most ten a second): {@link #DEFAULT_RECENT_DECISIONS} by default,
   * 0 keeps none; at most 1,024.
   */
  public MeshClientBuilder recentDecisions(int perService) {
    this.recentDecisions = perService;
    return this;
  }

  /**
   * Starts the admin server on {@code 127.0.0.1:port} (0 picks a free port; see
   * {@link MeshClient#adminAddress()}): {@code /} (a page that shows every service's endpoints and
   * recent decisions), {@code /clusters} (the snapshot as JSON), {@code /metrics} (Prometheus text,
   * when a telemetry has a Prometheus registry) and {@code /health}. Off by default.
   */
  public MeshClientBuilder adminServer(int port) {
    return adminServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
  }

  /**
   * Starts the admin server on {@code address}. It has no authentication: bind it to anything
   * other than loopback only on a network you trust.
   */
  public MeshClientBuilder adminServer(InetSocketAddress address) {
    this.adminServer = requireNonNull(address, "address");
    return this;
  }

  /**
   * Checks the configuration, starts watching discovery for every service, and returns the mesh.
   *
   * @throws MeshConfigException naming the first bad field
   */
  public MeshClient build() {
    if (zone != null && zone.isBlank()) {
      throw new MeshConfigException("zone", zone, "a non-blank zone name, e.g. eu-west-1a");
    }
    Map<String, LoadBalancerFactory> factories = LoadBalancerRegistry.factories(loadBalancers);
    MeshEventListener guarded = GuardedListener.guard(listener);
    MeshAssembly.checkLoadBalancer(factories, defaults.loadBalancer(), "defaults.loadBalancer");
    if (initialDiscoveryTimeout.isNegative()) {
      throw new MeshConfigException("initialDiscoveryTimeout", initialDiscoveryTimeout, ">= 0");
    }
    if (recentDecisions < 0 || recentDecisions > 1024) {
      throw new MeshConfigException("recentDecisions", recentDecisions, "0..1024");
    }
    if (adminServer != null && adminServer.isUnresolved()) {
      throw new MeshConfigException("adminServer", adminServer, "an address that resolves");
    }
    DiscoverySources made = DiscoverySources.load(discoveryProviders);
    try {
      return new MeshAssembly(this, factories, guarded, made).build();
    } catch (RuntimeException | Error e) {
      made.closeAll(); // nothing leaks from a build that failed half way
      throw e;
    }
  }
}
