package io.meshclient.core;

import io.meshclient.api.Endpoint;
import io.meshclient.api.LoadBalancer;
import io.meshclient.api.LoadBalancerFactory;
import io.meshclient.api.MeshConfigException;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.PeerIdentity;
import io.meshclient.api.ServiceDiscovery;
import io.meshclient.api.ServicePolicy;
import io.meshclient.core.config.MeshConfig;
import io.meshclient.core.config.ServiceConfig;
import io.meshclient.core.internal.Cluster;
import io.meshclient.core.internal.DiscoverySources;
import io.meshclient.core.internal.DiscoveryState;
import io.meshclient.core.internal.MeshEventListeners;
import io.meshclient.core.internal.MeshSecurity;
import io.meshclient.core.internal.RequestKey;
import io.meshclient.core.internal.RouteTable;
import io.meshclient.core.internal.Ticker;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * Turns a {@link MeshClientBuilder}'s settings into a running {@link MeshClient}: checks each
 * service (its name, policy, balancer, hash key and where its endpoints come from), makes its
 * discovery source and {@link Cluster}, checks route destinations across services, and records
 * the configuration model the mesh starts from ({@link MeshClient#config()}) with the
 * {@link ConfigReload} that later changes it. The first bad field throws
 * {@link MeshConfigException}.
 *
 * <p>{@link MeshClientBuilder#build()} makes one per build, after checking the mesh-wide settings,
 * and closes the discovery sources made so far if this fails. Not thread-safe; used once, on the
 * building thread.
 */
final class MeshAssembly {
  private static final String LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
  private static final Pattern SERVICE_NAME = Pattern.compile(LABEL + "(?:\\." + LABEL + ")*");

  private final MeshClientBuilder settings;
  private final Map<String, LoadBalancerFactory> factories;
  private final MeshEventListener guarded;
  private final DiscoverySources made;

  /**
   * @param settings the builder, read and not changed
   * @param factories the load balancer factories by policy name
   * @param guarded the user's event listener, guarded against its failures
   * @param made makes discovery sources from URIs and keeps those it made, for the mesh to close
   */
  MeshAssembly(MeshClientBuilder settings, Map<String, LoadBalancerFactory> factories, MeshEventListener guarded,
      DiscoverySources made) {
    this.settings = settings;
    this.factories = factories;
    this.guarded = guarded;
    this.made = made;
  }

  MeshClient build() {
    MeshClientBuilder b = settings;
    ServiceDiscovery meshDefault = b.discovery;
    if (b.discoveryUri != null && !isBareStatic(b.discoveryUri)) {
      meshDefault = made.create(b.discoveryUri, "discovery");
    }
    StaticDiscovery builtIn = new StaticDiscovery();
    Map<String, Cluster> clusters = new LinkedHashMap<>();
    Map<String, ServiceDiscovery> sources = new LinkedHashMap<>();
    Map<String, PeerIdentity> identities = new LinkedHashMap<>();
    List<MeshEventListener> listeners = new ArrayList<>();
    listeners.add(guarded);
    b.telemetry.forEach(t -> listeners.add(t.events()));
    MeshEventListener clusterListener = MeshEventListeners.of(listeners); // breaker, ejection and health events
    MeshConfig.Builder config = configSoFar();
    Set<String> fixedInCode = new HashSet<>();
    for (Map.Entry<String, Consumer<ServiceBuilder>> entry : b.services.entrySet()) {
      String name = entry.getKey();
      String path = "services." + name;
      if (!SERVICE_NAME.matcher(name).matches()) {
        throw new MeshConfigException("services", name, "a lower-case DNS name such as orders or orders.prod");
      }
      ServiceBuilder service = new ServiceBuilder(name, b.defaults);
      entry.getValue().accept(service);
      ServicePolicy policy;
      try {
        policy = service.policyBuilder().build();
      } catch (MeshConfigException e) {
        throw e.withParent(path);
      }
      LoadBalancerFactory factory = service.loadBalancerInstance() != null
          ? null : checkLoadBalancer(factories, policy.loadBalancer(), path + ".loadBalancer");
      ServiceDiscovery source = source(service, path, builtIn, meshDefault);
      sources.put(name, source);
      if (service.hashKeyFunction() != null && policy.loadBalancing().hashKey() != null) {
        throw new MeshConfigException(path + ".loadBalancing.hashKey", policy.loadBalancing().hashKey(),
            "either a hash key setting or a hash key function, not both");
      }
      RequestKey key = RequestKey.of(policy.loadBalancing().hashKey(), service.hashKeyFunction());
      LoadBalancer balancer = service.loadBalancerInstance() != null
          ? service.loadBalancerInstance() : factory.create(name, policy.loadBalancing());
      DiscoveryState state = new DiscoveryState(name, describe(source, service), b.initialDiscoveryTimeout, b.clock);
      clusters.put(name, new Cluster(name, policy, balancer, b.clock, Ticker.of(b.clock), b.random, clusterListener,
          b.zone, key, state));
      if (service.peerIdentity() != null) {
        identities.put(name, service.peerIdentity());
      }
      config.service(name, serviceConfig(service, policy));
      if (service.loadBalancerInstance() != null || service.hashKeyFunction() != null
          || service.discoveryOverride() != null) {
        fixedInCode.add(name); // parts a configuration cannot express: reloads leave the service alone
      }
    }
    for (Cluster cluster : clusters.values()) {
      RouteTable.checkDestinations(cluster.service(), cluster.policy(), clusters.keySet());
    }
    boolean ownsTransport = b.transport == null;
    OkHttpClient client = ownsTransport ? new OkHttpClient() : b.transport;
    MeshSecurity security = MeshSecurity.create(b.tls, identities, clusters.keySet(), b.egress, b.redaction, b.clock,
        client);
    MeshClient mesh = new MeshClient(clusters, sources, made.created(), client, ownsTransport, guarded, b.clock,
        security, new Observability(b.telemetry, b.accessLog, b.recentDecisions, b.adminServer));
    mesh.reloads(new ConfigReload(config.build(), clusters, factories, builtIn, fixedInCode));
    return mesh;
  }

  /** The mesh-wide settings as a configuration model, for {@link MeshClient#config()}. */
  private MeshConfig.Builder configSoFar() {
    MeshClientBuilder b = settings;
    MeshConfig.Builder config = MeshConfig.builder().defaults(b.defaults)
        .initialDiscoveryTimeout(b.initialDiscoveryTimeout).egress(b.egress).redaction(b.redaction);
    if (b.discoveryUri != null) {
      config.discovery(b.discoveryUri);
    }
    if (b.zone != null) {
      config.zone(b.zone);
    }
    if (b.tls != null) {
      config.tls(b.tls);
    }
    return config;
  }

  private static ServiceConfig serviceConfig(ServiceBuilder service, ServicePolicy policy) {
    ServiceConfig.Builder b = ServiceConfig.builder().policy(policy);
    if (service.staticEndpoints() != null) {
      b.endpoints(service.staticEndpoints());
    }
    if (service.discoveryUri() != null) {
      b.discovery(service.discoveryUri());
    }
    if (service.peerIdentity() != null) {
      b.peerIdentity(service.peerIdentity());
    }
    return b.build();
  }

  private static boolean isBareStatic(String uri) {
    return uri.equalsIgnoreCase("static:");
  }

  /** How the service's source is named in errors, logs and snapshots. */
  private String describe(ServiceDiscovery source, ServiceBuilder service) {
    String ownUri = service.discoveryUri();
    if (ownUri != null && !isBareStatic(ownUri)) {
      return ownUri;
    }
    if (service.staticEndpoints() != null || source instanceof StaticDiscovery) {
      return "static";
    }
    if (service.discoveryOverride() == null && settings.discoveryUri != null) {
      return settings.discoveryUri;
    }
    String shown = String.valueOf(source);
    return shown.length() <= 200 ? shown : shown.substring(0, 200) + "...";
  }

  private ServiceDiscovery source(ServiceBuilder service, String path, StaticDiscovery builtIn,
      @Nullable ServiceDiscovery meshDefault) {
    List<Endpoint> endpoints = service.staticEndpoints();
    String ownUri = service.discoveryUri();
    ServiceDiscovery own = service.discoveryOverride();
    if (ownUri != null && !isBareStatic(ownUri)) {
      if (endpoints != null) {
        throw new MeshConfigException(path + ".discovery", ownUri, "either endpoints or a discovery source, not both");
      }
      own = made.create(ownUri, path + ".discovery");
    }
    if (endpoints != null) {
      if (own != null) {
        throw new MeshConfigException(path + ".discovery", own.toString(), "either endpoints or a discovery source, not both");
      }
      ConfigReload.checkEndpoints(endpoints, path);
      builtIn.update(service.name(), endpoints);
      return builtIn;
    }
    if (own != null) {
      return own;
    }
    if (meshDefault != null && !(ownUri != null && isBareStatic(ownUri))) {
      return meshDefault;
    }
    throw new MeshConfigException(path + ".endpoints", null, "endpoints, or a discovery source for the service or the mesh");
  }

  /** The factory for the balancer {@code name}, or {@link MeshConfigException} at {@code path}. */
  static LoadBalancerFactory checkLoadBalancer(Map<String, LoadBalancerFactory> factories, String name, String path) {
    LoadBalancerFactory factory = factories.get(name);
    if (factory == null) {
      throw new MeshConfigException(path, name, "one of " + factories.keySet());
    }
    return factory;
  }
}
