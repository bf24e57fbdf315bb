package io.meshclient.core;

import static java.util.Objects.requireNonNull;

import io.meshclient.api.EgressPolicy;
import io.meshclient.api.Endpoint;
import io.meshclient.api.LoadBalancer;
import io.meshclient.api.LoadBalancerFactory;
import io.meshclient.api.MeshConfigException;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.PeerIdentity;
import io.meshclient.api.Redaction;
import io.meshclient.api.ServiceDiscovery;
import io.meshclient.api.ServicePolicy;
import io.meshclient.api.TlsPolicy;
import io.meshclient.core.internal.Cluster;
import io.meshclient.core.internal.EndpointState;
import io.meshclient.core.internal.GuardedListener;
import io.meshclient.core.internal.LoadBalancerRegistry;
import io.meshclient.core.internal.RequestKey;
import io.meshclient.core.internal.Ticker;
import io.meshclient.core.internal.MeshSecurity;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
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
  private static final String LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
  private static final Pattern SERVICE_NAME = Pattern.compile(LABEL + "(?:\\." + LABEL + ")*");

  private ServicePolicy defaults = ServicePolicy.ofDefaults();
  private final Map<String, Consumer<ServiceBuilder>> services = new LinkedHashMap<>();
  private @Nullable ServiceDiscovery discovery;
  private @Nullable OkHttpClient transport;
  private MeshEventListener listener = MeshEventListener.NONE;
  private final List<LoadBalancerFactory> loadBalancers = new ArrayList<>();
  private Clock clock = Clock.systemUTC();
  private @Nullable String zone;
  private @Nullable TlsPolicy tls;
  private EgressPolicy egress = EgressPolicy.allowAll();
  private Redaction redaction = Redaction.ofDefaults();

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

  /** Where services without {@code endpoints(...)} or a discovery of their own find endpoints. */
  public MeshClientBuilder discovery(ServiceDiscovery discovery) {
    this.discovery = requireNonNull(discovery, "discovery");
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

  /** Which headers and query parameters are secrets that outputs blank out; {@link Redaction#ofDefaults()} by default. */
  public MeshClientBuilder redaction(Redaction redaction) {
    this.redaction = requireNonNull(redaction, "redaction");
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
    checkLoadBalancer(factories, defaults.loadBalancer(), "defaults.loadBalancer");
    StaticDiscovery builtIn = new StaticDiscovery();
    Map<String, Cluster> clusters = new LinkedHashMap<>();
    Map<String, ServiceDiscovery> sources = new LinkedHashMap<>();
    Map<String, PeerIdentity> identities = new LinkedHashMap<>();
    for (Map.Entry<String, Consumer<ServiceBuilder>> entry : services.entrySet()) {
      String name = entry.getKey();
      String path = "services." + name;
      if (!SERVICE_NAME.matcher(name).matches()) {
        throw new MeshConfigException("services", name, "a lower-case DNS name such as orders or orders.prod");
      }
      ServiceBuilder service = new ServiceBuilder(name, defaults);
      entry.getValue().accept(service);
      ServicePolicy policy;
      try {
        policy = service.policyBuilder().build();
      } catch (MeshConfigException e) {
        throw e.withParent(path);
      }
      LoadBalancerFactory factory = service.loadBalancerInstance() != null
          ? null : checkLoadBalancer(factories, policy.loadBalancer(), path + ".loadBalancer");
      sources.put(name, source(service, path, builtIn));
      if (service.hashKeyFunction() != null && policy.loadBalancing().hashKey() != null) {
        throw new MeshConfigException(path + ".loadBalancing.hashKey", policy.loadBalancing().hashKey(),
            "either a hash key setting or a hash key function, not both");
      }
      RequestKey key = RequestKey.of(policy.loadBalancing().hashKey(), service.hashKeyFunction());
      LoadBalancer balancer = service.loadBalancerInstance() != null
          ? service.loadBalancerInstance() : factory.create(name, policy.loadBalancing());
      clusters.put(name, new Cluster(name, policy, balancer, clock, Ticker.of(clock), null, guarded, zone, key));
      if (service.peerIdentity() != null) {
        identities.put(name, service.peerIdentity());
      }
    }
    boolean ownsTransport = transport == null;
    OkHttpClient client = ownsTransport ? new OkHttpClient() : transport;
    MeshSecurity security = MeshSecurity.create(tls, identities, clusters.keySet(), egress, redaction, clock, client);
    return new MeshClient(clusters, sources, client, ownsTransport, guarded, clock, security);
  }

  private ServiceDiscovery source(ServiceBuilder service, String path, StaticDiscovery builtIn) {
    List<Endpoint> endpoints = service.staticEndpoints();
    ServiceDiscovery own = service.discoveryOverride();
    if (endpoints != null) {
      if (own != null) {
        throw new MeshConfigException(path + ".discovery", own.toString(), "either endpoints or a discovery source, not both");
      }
      if (endpoints.isEmpty()) {
        throw new MeshConfigException(path + ".endpoints", endpoints, "at least one endpoint");
      }
      for (int i = 0; i < endpoints.size(); i++) {
        try {
          EndpointState.baseUrl(endpoints.get(i));
        } catch (IllegalArgumentException e) {
          throw new MeshConfigException(path + ".endpoints[" + i + "].host", endpoints.get(i).host(),
              "a host name or IP address an HTTP URL can hold");
        }
      }
      builtIn.update(service.name(), endpoints);
      return builtIn;
    }
    if (own != null) {
      return own;
    }
    if (discovery != null) {
      return discovery;
    }
    throw new MeshConfigException(path + ".endpoints", null, "endpoints, or a discovery source for the service or the mesh");
  }

  private static LoadBalancerFactory checkLoadBalancer(Map<String, LoadBalancerFactory> factories, String name, String path) {
    LoadBalancerFactory factory = factories.get(name);
    if (factory == null) {
      throw new MeshConfigException(path, name, "one of " + factories.keySet());
    }
    return factory;
  }
}
